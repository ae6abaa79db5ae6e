"""A post (plain text, Markdown, or one post of a Telegram export) → a deck dict → deck YAML (pure).

`cardgen import POST -o DECK.yaml` is a first draft to edit, not a finished deck, but it must
render as is, without overflow. The deck it builds:

1. **cover**: the post's first heading or first line. A first line of two sentences («Как
   работать с негативом в комментариях. Семь шагов от ленивца») is split into title and
   subtitle. Without a subtitle, a post of steps gets «7 шагов».
2. **cards** in the post's order:
   - paragraphs → `text` cards, as many paragraphs per card as fit the budget; a `## heading`
     titles the first card after it. A paragraph longer than a card continues on the next,
     cut between sentences (never inside a word: see `cardgen.postparse`);
   - numbered points → `step` cards when they have something to explain (a short first
     sentence and more text, or paragraphs under them): the first sentence is the step's
     title, the rest its text; text that does not fit continues on an untitled `text` card.
     Short numbered points («1. Pexels») → a `list` card with numbers;
   - bullets → `list` cards (at most LIST_ITEMS per card); a lead-in line ending in «:» just
     before them is the list's title;
   - `> quotes` → `quote` cards.
3. **closing** `cta` card: «Сохраняйте, чтобы не потерять» with the post's own last line when
   it is a call to action («Подписывайтесь…», «Сохраняйте…»), else «Подписывайтесь, чтобы не
   пропустить новые карточки».

The deck's `caption` is the post itself, from the top, cut at a paragraph end to fit
CAPTION_BUDGET characters (Telegram's album caption is 1024): what is posted with the album.

How much text goes on one card is `cardgen.budgets`: measured so an imported deck keeps one
text size without a warning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from cardgen.budgets import (
    ITEM_COST,
    KEEP_TOGETHER,
    LIST_ITEMS,
    Budgets,
    budgets_for,
    with_title,
)
from cardgen.deckyaml import deck_yaml
from cardgen.plural import count_label, lang_of
from cardgen.postparse import (
    PARAGRAPH_COST,
    Block,
    chunk_paragraphs,
    parse_blocks,
    sentences,
    split_long,
    text_length,
)
from cardgen.telegram_export import (  # re-exported: the import command's sources
    Post,
    telegram_post,
    telegram_posts,
)

__all__ = [
    "Budgets",
    "Post",
    "budgets_for",
    "deck_yaml",
    "import_post",
    "post_to_deck",
    "telegram_post",
    "telegram_posts",
]

CAPTION_BUDGET = 1000
TITLE_MAX = 70  # a first sentence up to this long can be a step's or a card's title
_CTA = re.compile(
    r"\b(?:сохран|подпис|делит|поделит|ставьте|пишите|расскажите|save|follow|share|subscribe)",
    re.IGNORECASE,
)
_HASHTAGS_ONLY = re.compile(r"^(?:[#@][\w.]+[\s,]*)+$")
_TITLE_SPLIT = re.compile(r"^(.{12,}?[^\s.])(?:\.|:|\s[—–-])\s+(\S.{3,})$")
_CLOSING = {
    "ru": ("Сохраняйте, чтобы не потерять", "Подписывайтесь, чтобы не пропустить новые карточки"),
    "en": ("Save this for later", "Follow so you don't miss new cards"),
}


def post_to_deck(
    text: str,
    *,
    lang: str = "ru",
    title: str | None = None,
    size: str = "portrait",
    budget: Budgets | None = None,
    author: Mapping[str, str] | None = None,
    platform: str | None = None,
) -> dict[str, Any]:
    """Post text → deck data (see the module doc); write it with `deck_yaml`."""
    lang = lang_of(lang)
    if not text.strip():
        raise ValueError("the post has no text")
    budgets = budget or budgets_for(size)
    blocks = parse_blocks(text)
    deck_title, blocks = _take_title(blocks, title, lang)
    closing, blocks = _take_closing(blocks)
    cards = _cards(blocks, budgets)
    cover: dict[str, Any] = {"layout": "cover"}
    head, subtitle = _split_title(deck_title)
    cover["title"] = head
    steps = sum(1 for c in cards if c["layout"] == "step")
    if subtitle:
        cover["subtitle"] = subtitle
    elif steps >= 2 and not re.search(r"\d", head):  # «5 ошибок…» already counts them
        cover["subtitle"] = count_label(steps, "шаг", lang)
    cta_title, cta_text = _CLOSING[lang]
    cta = {
        "layout": "cta",
        "title": cta_title,
        "text": closing or cta_text,
        "hints": ["save", "share"],
    }
    deck: dict[str, Any] = {"title": _plain(deck_title), "size": size, "lang": lang}
    if platform:
        deck["platform"] = platform
    if author:
        deck["author"] = {k: v for k, v in author.items() if v}
        if author.get("handle"):
            deck["defaults"] = {"footer": author["handle"]}
    caption = _caption(text)
    if caption:
        deck["caption"] = caption + "\n"
    deck["cards"] = [cover, *cards, cta]
    return deck


def import_post(text: str, *, source: str = "post", **options: Any) -> str:
    """Post text → deck YAML with a header saying where it came from (the import command's whole job)."""
    header = (
        f"Imported from {source} by `cardgen import`: a first draft to edit.\n"
        "Cards: cover, the post's paragraphs, lists and steps, a closing call to action."
    )
    return deck_yaml(post_to_deck(text, **options), header=header)


def _take_title(blocks: list[Block], title: str | None, lang: str) -> tuple[str, list[Block]]:
    first = blocks[0]
    if title is not None:
        same = (
            first.kind in ("heading", "paragraph") and _plain(first.text).strip() == title.strip()
        )
        return title, blocks[1:] if same else blocks
    if first.kind not in ("heading", "paragraph"):  # a post that opens with a list: no title
        return ("Без названия" if lang == "ru" else "Untitled"), blocks
    if first.kind == "heading" or (first.kind == "paragraph" and text_length(first.text) <= 140):
        return first.text, blocks[1:]
    lead = sentences(first.text)[0]  # a post that opens with a long paragraph: its first sentence
    rest = first.text[len(lead) :].strip()
    return lead, ([replace(first, text=rest)] if rest else []) + blocks[1:]


def _split_title(title: str) -> tuple[str, str]:
    """«Заголовок. Подзаголовок» (or «…: …», «… — …») → (title, subtitle); a short one stays whole."""
    m = _TITLE_SPLIT.match(title.strip())
    if not m or text_length(title) < 40:
        return title.strip(), ""
    subtitle = m.group(2).strip()
    return m.group(1).strip(), subtitle[:1].upper() + subtitle[1:]


def _take_closing(blocks: list[Block]) -> tuple[str | None, list[Block]]:
    while blocks and blocks[-1].kind == "paragraph" and _HASHTAGS_ONLY.match(blocks[-1].text):
        blocks = blocks[:-1]
    if (
        blocks
        and blocks[-1].kind == "paragraph"
        and text_length(blocks[-1].text) <= 200
        and _CTA.search(blocks[-1].text)
    ):
        return blocks[-1].text, blocks[:-1]
    return None, blocks


def _cards(blocks: list[Block], budgets: Budgets) -> list[dict[str, Any]]:
    cards: list[dict[str, Any]] = []
    section: str | None = None  # a heading waiting for the next card
    paras: list[str] = []

    def flush() -> None:
        nonlocal section
        if paras:
            first = with_title(budgets.text, section, budgets) if section else budgets.plain
            for i, chunk in enumerate(chunk_paragraphs(paras, budgets.plain, first=first)):
                cards.append(_card("text", section if i == 0 else None, "\n\n".join(chunk)))
            section = None
            paras.clear()

    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind == "heading":
            flush()
            if section:  # two headings in a row: the first stands on its own card
                cards.append(_card("text", section, None))
            section = _title(block.text)
        elif block.kind == "paragraph":
            # «#smm #вконтакте» belongs to the caption, not a card.
            if not _HASHTAGS_ONLY.match(block.text):
                paras.append(block.text)
        elif block.kind == "quote":
            flush()
            cards.append({"layout": "quote", "text": block.text})
        elif block.kind == "bullet":
            # «Что проверить:» just before the bullets is the list's title.
            lead_in = bool(paras) and paras[-1].endswith(":") and text_length(paras[-1]) <= 90
            lead = paras.pop() if lead_in else None
            flush()
            j = i
            while j < len(blocks) and blocks[j].kind == "bullet":
                j += 1
            items = [" ".join([b.text, *b.body]) for b in blocks[i:j]]
            heading = (lead or section or "").rstrip(":").strip() or None
            cards += _list_cards(heading, items, budgets, numbered=False)
            section, i = None, j
            continue
        elif block.kind == "number":
            flush()
            group, owned, end = _number_group(blocks, i)
            if len(group) == 1 and not owned[0] and not group[0].body:
                paras.append(f"{group[0].marker}. {group[0].text}")  # a lone "1." is just text
            elif _are_steps(group, owned):
                if section:
                    cards.append(_card("text", section, None))
                for point, extra in zip(group, owned, strict=True):
                    cards += _step_cards(point, extra, budgets)
            else:
                cards += _list_cards(section, [b.text for b in group], budgets, numbered=True)
            section, i = None, end
            continue
        i += 1
    flush()
    if section:
        cards.append(_card("text", section, None))
    return cards


def _number_group(blocks: list[Block], start: int) -> tuple[list[Block], list[list[str]], int]:
    """Consecutive numbered points and the paragraphs between them → (points, paragraphs per point, end).

    `end` is the index after the last block used. The last point keeps as many of the paragraphs
    after it as the others had on average, so a closing remark of the post is not read as its text.
    """
    points: list[Block] = []
    owned: list[list[str]] = []
    i = start
    while i < len(blocks) and blocks[i].kind == "number":
        points.append(blocks[i])
        owned.append([])
        i += 1
        while i < len(blocks) and blocks[i].kind == "paragraph":
            owned[-1].append(blocks[i].text)
            i += 1
    if owned[-1]:
        before = [len(o) for o in owned[:-1]]
        keep = round(sum(before) / len(before)) if before else 0
        i -= len(owned[-1]) - min(keep, len(owned[-1]))
        owned[-1] = owned[-1][:keep]
    return points, owned, i


def _are_steps(group: list[Block], owned: list[list[str]]) -> bool:
    """Points with something to explain are steps; short ones («1. Pexels») are a numbered list."""
    if any(owned) or any(b.body for b in group):
        return True
    explained = sum(1 for b in group if _head_and_rest(b.text)[1])
    return explained * 2 >= len(group) or sum(text_length(b.text) for b in group) / len(group) > 90


def _head_and_rest(text: str) -> tuple[str | None, str]:
    """A point's text → (its first sentence as a title, the rest), or (None, text) if the first is too long."""
    parts = sentences(text)
    if len(parts) > 1 and text_length(parts[0]) <= TITLE_MAX:
        return _title(parts[0]), text[len(parts[0]) :].strip()
    if len(parts) == 1 and text_length(text) <= TITLE_MAX:
        return _title(text), ""
    return None, text


def _title(text: str) -> str:
    """A sentence used as a title: no markup (titles are set bold anyway), no closing period or colon."""
    return _plain(text).strip().rstrip(".:;").strip()


def _step_cards(point: Block, extra: list[str], budgets: Budgets) -> list[dict[str, Any]]:
    head, rest = _head_and_rest(point.text)
    paragraphs = [p for p in (rest, *point.body, *extra) if p]
    if not paragraphs:
        return [_card("step", head, None)]
    room = with_title(budgets.step, head, budgets)
    size = sum(text_length(p) for p in paragraphs) + PARAGRAPH_COST * (len(paragraphs) - 1)
    if size <= room * KEEP_TOGETHER:  # a step a little over budget stays whole
        return [_card("step", head, "\n\n".join(paragraphs))]
    chunks = chunk_paragraphs(paragraphs, budgets.plain, first=room)
    first, *more = chunks
    # What does not fit the step continues on untitled text cards: the step numbers stay 1, 2, 3…
    return [
        _card("step", head, "\n\n".join(first)),
        *(_card("text", None, "\n\n".join(c)) for c in more),
    ]


def _list_cards(
    title: str | None, items: list[str], budgets: Budgets, *, numbered: bool
) -> list[dict[str, Any]]:
    """Items → list cards of at most LIST_ITEMS, each within the items budget; the groups are even."""
    room = with_title(budgets.items, title, budgets)
    items = [piece for item in items for piece in split_long(item, (room - ITEM_COST) // 2)]

    def fits(group: list[str]) -> bool:
        return len(group) <= LIST_ITEMS and sum(text_length(x) + ITEM_COST for x in group) <= room

    count = 1
    while True:  # the fewest cards whose even split fits: 7 items → 4 + 3, not 6 + 1
        per = -(-len(items) // count)
        groups = [items[k : k + per] for k in range(0, len(items), per)]
        if all(fits(g) for g in groups) or per == 1:
            break
        count += 1
    cards = []
    for i, group in enumerate(groups):
        card: dict[str, Any] = {"layout": "list"}
        if title and i == 0:
            card["title"] = title
        card["items"] = group
        if numbered:
            card["marker"] = "number"
        cards.append(card)
    return cards


def _card(layout: str, title: str | None, text: str | None) -> dict[str, Any]:
    """A card dict; multi-line text ends with a newline, so the YAML shows it as a `|` block."""
    card: dict[str, Any] = {"layout": layout}
    if title:
        card["title"] = title
    if text:
        card["text"] = text + "\n" if "\n" in text else text
    return card


def _caption(text: str) -> str:
    """The post as written, markup removed, cut after the last whole line that fits CAPTION_BUDGET."""
    lines = [
        re.sub(r"^\s{0,3}>\s?", "", _plain(line.rstrip()))
        for line in text.replace("\r\n", "\n").strip().split("\n")
    ]
    out: list[str] = []
    for line in lines:
        if len("\n".join([*out, line])) > CAPTION_BUDGET:
            break
        out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def _plain(text: str) -> str:
    """Without cardgen's bold markers and escapes: for the deck title, titles and the caption."""
    return text.replace("**", "").replace("\\=", "=")
