"""A post (plain text, Markdown, or one post of a Telegram export) → a deck dict → deck YAML (pure).

`cardgen import POST -o DECK.yaml` is a first draft to edit, not a finished deck, but it must
render as is, without overflow. The deck it builds:

1. **cover**: the post's first heading or first line. A first line of two sentences («Как
   работать с негативом в комментариях. Семь шагов от ленивца») is split into title and
   subtitle. Without a subtitle, a post of steps gets «7 шагов».
2. **cards** in the post's order:
   - paragraphs → `text` cards, as many paragraphs per card as fit the budget; a `## heading`
     titles the first card after it (two headings in a row title it together, «Часть 1. Как мы
     начинали»; a card with a title alone would be a blank slide). A paragraph longer than a card continues on the next,
     cut between sentences (never inside a word: see `cardgen.postparse`), titled
     «<heading> (продолжение)»;
   - numbered points → `step` cards when they have something to explain (a short first
     sentence and more text, or paragraphs under them): the first sentence is the step's
     title, the rest its text; text that does not fit continues on a `text` card titled
     «<step> (продолжение)» (a continuation, not another numbered step).
     Short numbered points («1. Pexels») → a `list` card with numbers. A heading over steps
     titles their plan: a numbered list of the steps' titles before the step cards (or, when
     the plan does not fit one card, the first step card, its own title opening its text);
   - bullets → `list` cards (at most LIST_ITEMS per card); a lead-in line ending in «:» or a
     heading just before them is the list's title; check-marked lines (✅ ☑️ ✔️) → a list with
     `marker: check`;
   - Markdown and Telegram italics stay `*italic*` in card text; titles, quotes and the cover
     title are set in the heading family, which may have no italic, so they are plain there;
   - `> quotes` → `quote` cards;
   - a text or step card with one link («текст (https://…)», from Markdown or a Telegram
     `text_link`) gets it as its `url:`.
3. **closing** `cta` card: «Сохраняйте, чтобы не потерять» with the post's own last line when
   it is a call to action («Подписывайтесь…», «Сохраняйте…»), or its last remark when that
   would sit alone on a near-empty card after a quote or a list (with its link as `url:`), else
   «Подписывайтесь, чтобы не пропустить новые карточки».

The deck's `caption` is the post itself as plain text (no `#`, `>`, `**` or other Markdown
marks; a link as «text (url)»), from the top, cut after the last whole line that fits
CAPTION_BUDGET characters: what is posted with the album. Telegram's album caption holds 1024
(the smallest limit of the platforms), and cardgen adds to the caption on render: the note
of a split deck («Продолжение — в следующих постах: ещё 98 карточек.», the longest for a deck
within the card limit) and the ad marking when the deck gets an `ad:` (up to AD_RESERVE
characters: «Реклама. ООО «Ромашка». ИНН 7707083893. erid: 2VtzqwXYZ» is 55). Both are kept
free, so an imported deck with an ad of reasonable length renders as is. The length is
measured as render will count it: typographed (`cardgen.caption.plain_caption`), in UTF-16
code units as Telegram counts (an emoji is two). A cut is never silent: `imported` returns a
warning that says how much was left out and why, and the deck file's header says so too.

How much text goes on one card is `cardgen.budgets`: what a card holds comfortably (about ten
lines of body), with room kept for a long ad marking.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from cardgen.budgets import (
    ITEM_COST,
    KEEP_TOGETHER,
    LIST_ITEMS,
    Budgets,
    budgets_for,
    with_title,
)
from cardgen.caption import continuation_note, plain_caption
from cardgen.deckyaml import deck_yaml
from cardgen.limits import DEFAULT_LIMITS
from cardgen.platform_checks import caption_length
from cardgen.platforms import TELEGRAM
from cardgen.plural import count_label, lang_of
from cardgen.postparse import (
    PARAGRAPH_COST,
    STUB,
    Block,
    chunk_paragraphs,
    clean_inline,
    is_check,
    no_italic,
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
    "imported",
    "post_to_deck",
    "telegram_post",
    "telegram_posts",
]

CAPTION_LIMIT = TELEGRAM.caption_limit or 1024  # the smallest caption limit of the platforms
AD_RESERVE = 100  # an ad line of up to this many characters (a full legal name + ИНН + erid)
# The longest note a split deck's first caption gets, for any deck within the card limit.
CONTINUATION_RESERVE = max(
    len(continuation_note(rest, posts, lang))
    for rest in range(1, DEFAULT_LIMITS.cards) for posts in (1, 2) for lang in ("ru", "en")
)
# Each addition comes after a blank line ("\n\n").
CAPTION_BUDGET = CAPTION_LIMIT - (2 + CONTINUATION_RESERVE) - (2 + AD_RESERVE)
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
    cards = _cards(blocks, budgets, lang)
    link = None
    if closing is None and len(cards) >= 2 and cards[-2]["layout"] != "text" and _stub(cards[-1], budgets):
        # A last remark alone on a card after a quote or a list («Подробный гайд — в нашем блоге»)
        # would be a line on an empty card: it is the post's own closing words, for the closing card.
        last = cards.pop()
        closing, link = last["text"].strip(), last.get("url")
    cover: dict[str, Any] = {"layout": "cover"}
    head, subtitle = _split_title(deck_title)
    cover["title"] = no_italic(head)  # set in the heading family, which may have no italic
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
        **({"url": link} if link else {}),
        "hints": ["save", "share"],
    }
    deck: dict[str, Any] = {"title": _plain(deck_title), "size": size, "lang": lang}
    if platform:
        deck["platform"] = platform
    if author:
        deck["author"] = {k: v for k, v in author.items() if v}
        if author.get("handle"):
            deck["defaults"] = {"footer": author["handle"]}
    caption = post_caption(text, lang).text
    if caption:
        deck["caption"] = caption + "\n"
    deck["cards"] = [cover, *cards, cta]
    return deck


def import_post(text: str, *, source: str = "post", **options: Any) -> str:
    """Post text → deck YAML with a header saying where it came from (the import command's whole job)."""
    return imported(text, source=source, **options).yaml


@dataclass(frozen=True, slots=True)
class Imported:
    yaml: str  # the deck file
    warnings: tuple[str, ...]  # what the user should know: a caption cut short


def imported(text: str, *, source: str = "post", **options: Any) -> Imported:
    """Post text → the deck YAML and the warnings the import command prints (after the file's name)."""
    header = (
        f"Imported from {source} by `cardgen import`: a first draft to edit.\n"
        "Cards: cover, the post's paragraphs, lists and steps, a closing call to action."
    )
    warnings: list[str] = []
    dropped = post_caption(text, str(options.get("lang", "ru"))).dropped
    if dropped:
        room = (
            f"Telegram's album caption holds {CAPTION_LIMIT}, and {CAPTION_LIMIT - CAPTION_BUDGET} are kept for "
            f"the note of a deck split into albums ({CONTINUATION_RESERVE}) and an ad marking of up to "
            f"{AD_RESERVE} characters"
        )
        header += (
            f"\ncaption: the post's first {CAPTION_BUDGET} characters at most; the last {dropped} are left "
            f"out ({room})."
        )
        warnings.append(
            f"the post is longer than a caption: the deck's caption keeps its first {CAPTION_BUDGET} characters "
            f"at most ({room}) and leaves out the last {dropped}; the cards keep "
            "the whole post. Edit the caption by hand if the cut falls in the wrong place"
        )
    return Imported(deck_yaml(post_to_deck(text, **options), header=header), tuple(warnings))


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


def _cards(blocks: list[Block], budgets: Budgets, lang: str = "ru") -> list[dict[str, Any]]:
    cards: list[dict[str, Any]] = []
    section: str | None = None  # a heading waiting for the next card
    paras: list[str] = []

    def flush() -> None:
        nonlocal section
        if paras:
            first = with_title(budgets.text, section, budgets) if section else budgets.plain
            more = _continued(section, lang)
            rest = with_title(budgets.text, more, budgets) if more else budgets.plain
            for i, chunk in enumerate(chunk_paragraphs(paras, rest, first=first)):
                cards.append(_card("text", section if i == 0 else more, "\n\n".join(chunk)))
            section = None
            paras.clear()

    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind == "heading":
            flush()
            # Two headings in a row («Часть 1», «Как мы начинали») title one card together: a
            # card with a title and nothing under it reads as a blank slide.
            section = f"{section}. {_title(block.text)}" if section else _title(block.text)
        elif block.kind == "paragraph":
            # «#smm #вконтакте» belongs to the caption, not a card.
            if not _HASHTAGS_ONLY.match(block.text):
                paras.append(block.text)
        elif block.kind == "quote":
            flush()
            cards.append({"layout": "quote", "text": no_italic(block.text)})  # set in the heading family
        elif block.kind == "bullet":
            # «Что проверить:» just before the bullets is the list's title.
            lead_in = bool(paras) and paras[-1].endswith(":") and text_length(paras[-1]) <= 90
            lead = paras.pop() if lead_in else None
            flush()
            j = i
            checks = is_check(block.marker)  # ✅ ☑️ ✔️ items: a checklist, apart from other bullets
            while j < len(blocks) and blocks[j].kind == "bullet" and is_check(blocks[j].marker) == checks:
                j += 1
            items = [" ".join([b.text, *b.body]) for b in blocks[i:j]]
            heading = (lead or section or "").rstrip(":").strip() or None
            cards += _list_cards(heading, items, budgets, marker="check" if checks else None, lang=lang)
            section, i = None, j
            continue
        elif block.kind == "number":
            flush()
            group, owned, end = _number_group(blocks, i)
            if len(group) == 1 and not owned[0] and not group[0].body:
                paras.append(f"{group[0].marker}. {group[0].text}")  # a lone "1." is just text
            elif _are_steps(group, owned):
                steps = [_step_cards(point, extra, budgets, lang) for point, extra in zip(group, owned, strict=True)]
                cards += _titled_steps(section, group, steps, budgets, lang) if section else [c for s in steps for c in s]
            else:
                cards += _list_cards(section, [b.text for b in group], budgets, marker="number", lang=lang)
            section, i = None, end
            continue
        i += 1
    if section and not paras:  # a heading with nothing after it: its words, as text
        paras.append(section)
        section = None
    flush()
    return cards


def _titled_steps(
    section: str, group: list[Block], steps: list[list[dict[str, Any]]], budgets: Budgets, lang: str
) -> list[dict[str, Any]]:
    """A heading over steps («Как мы это решили», then 1. 2. 3.) → the steps' plan, a numbered
    list of their titles under the heading, before the step cards; when the plan would not fit
    one card, the heading titles the first step card instead, whose own title then opens its
    text in bold. Either way no card holds a title alone (a blank slide)."""
    heads = [_head_and_rest(point.text)[0] for point in group]
    room = with_title(budgets.items, section, budgets)
    if all(heads) and len(heads) <= LIST_ITEMS and sum(text_length(h or "") + ITEM_COST for h in heads) <= room:
        plan = {"layout": "list", "title": section, "items": heads, "marker": "number"}
        return [plan, *(card for cards in steps for card in cards)]
    first, *rest = steps[0]
    own = f"**{first['title']}.**" if first.get("title") else ""
    card = _card("step", section, " ".join(p for p in (own, str(first.get("text", "")).strip()) if p) or None)
    if first.get("url"):
        card["url"] = first["url"]
    return [card, *rest, *(c for cards in steps[1:] for c in cards)]


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
    """A sentence used as a title: no markup (titles are set bold anyway, in the heading family,
    which may have no italic), no closing period or colon."""
    return _plain(text).strip().rstrip(".:;").strip()


def _stub(card: dict[str, Any], budgets: Budgets) -> bool:
    """An untitled text card with one short paragraph: a line or two on an otherwise empty card."""
    text = str(card.get("text", "")).strip()
    return (card["layout"] == "text" and "title" not in card and "\n" not in text
            and text_length(text) < STUB * budgets.plain)


def _continued(title: str | None, lang: str) -> str | None:
    """The title of a card that continues a titled one: «Что проверить (продолжение)».

    A continuation without a title reads as a new, untitled section; the mark in brackets says
    it is the same one, and stays out of the way of the title's own words.
    """
    if not title:
        return None
    return f"{title} ({'продолжение' if lang == 'ru' else 'continued'})"


def _step_cards(point: Block, extra: list[str], budgets: Budgets, lang: str = "ru") -> list[dict[str, Any]]:
    head, rest = _head_and_rest(point.text)
    paragraphs = [p for p in (rest, *point.body, *extra) if p]
    if not paragraphs:
        return [_card("step", head, None)]
    room = with_title(budgets.step, head, budgets)
    size = sum(text_length(p) for p in paragraphs) + PARAGRAPH_COST * (len(paragraphs) - 1)
    if size <= room * KEEP_TOGETHER:  # a step a little over budget stays whole
        return [_card("step", head, "\n\n".join(paragraphs))]
    title = _continued(head, lang)
    rest = with_title(budgets.text, title, budgets) if title else budgets.plain
    chunks = chunk_paragraphs(paragraphs, rest, first=room)
    first, *more = chunks
    # What does not fit the step continues on text cards (not steps: the numbers stay 1, 2, 3…)
    # titled «<step> (продолжение)».
    return [
        _card("step", head, "\n\n".join(first)),
        *(_card("text", title, "\n\n".join(c)) for c in more),
    ]


def _list_cards(
    title: str | None, items: list[str], budgets: Budgets, *, marker: str | None = None, lang: str = "ru"
) -> list[dict[str, Any]]:
    """Items → list cards of at most LIST_ITEMS, each within the items budget; the groups are even.
    A titled list's later cards are titled «<title> (продолжение)»."""
    more = _continued(title, lang)
    room = with_title(budgets.items, title, budgets)
    items = [piece for item in items for piece in split_long(item, (room - ITEM_COST) // 2)]

    def fits(group: list[str], room: int) -> bool:
        return len(group) <= LIST_ITEMS and sum(text_length(x) + ITEM_COST for x in group) <= room

    count = 1
    while True:  # the fewest cards whose even split fits: 7 items → 4 + 3, not 6 + 1
        per = -(-len(items) // count)
        groups = [items[k : k + per] for k in range(0, len(items), per)]
        # Split, every card must fit the room its (longer) continuation title leaves.
        limit = room if count == 1 else min(room, with_title(budgets.items, more, budgets))
        if all(fits(g, limit) for g in groups) or per == 1:
            break
        count += 1
    cards = []
    for i, group in enumerate(groups):
        card: dict[str, Any] = {"layout": "list"}
        if title:
            card["title"] = title if i == 0 else more
        card["items"] = group
        if marker:
            card["marker"] = marker
        cards.append(card)
    return cards


_LINKED = re.compile(r"\s\((https?://[^\s()]+)\)")  # «в нашем блоге (https://…)», as links are imported


def _card(layout: str, title: str | None, text: str | None) -> dict[str, Any]:
    """A card dict; multi-line text ends with a newline, so the YAML shows it as a `|` block.

    A text or step card with one link gets it as its `url:` (set below the text, without the
    scheme), and the text keeps the link's words: «в нашем блоге.» over «example.com/blog».
    """
    card: dict[str, Any] = {"layout": layout}
    if title:
        card["title"] = title
    links = _LINKED.findall(text or "") if layout in ("text", "step") else []
    if text and len(links) == 1:
        text = _LINKED.sub("", text, count=1)
    if text:
        card["text"] = text + "\n" if "\n" in text else text
    if len(links) == 1:
        card["url"] = links[0]
    return card


@dataclass(frozen=True, slots=True)
class Caption:
    text: str  # the post as plain text, cut to CAPTION_BUDGET
    dropped: int  # characters of the plain post left out by the cut (0: it is whole)


def post_caption(text: str, lang: str = "ru") -> Caption:
    """The post as plain text (no Markdown), cut after the last whole line that fits CAPTION_BUDGET
    as render counts it (see the module doc)."""
    lines = [plain for line in text.replace("\r\n", "\n").strip().split("\n")
             if (plain := _plain_line(line)) is not None]

    def too_long(kept: list[str]) -> bool:
        return caption_length(plain_caption(_squeeze("\n".join(kept)), lang), TELEGRAM) > CAPTION_BUDGET

    out: list[str] = []
    for line in lines:
        if too_long([*out, line]):
            # The line that does not fit gives its whole sentences that do (a post of one long paragraph).
            kept: list[str] = []
            for sentence in sentences(line):
                if too_long([*out, " ".join([*kept, sentence])]):
                    break
                kept.append(sentence)
            if kept:
                out.append(" ".join(kept))
            break
        out.append(line)
    whole = _squeeze("\n".join(lines))
    cut = _squeeze("\n".join(out))
    return Caption(cut, len(whole) - len(cut))


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")
_MD_BULLET = re.compile(r"^\s*[*+•]\s+")
_MD_RULE = re.compile(r"^\s{0,3}(?:(?:[-*_=]\s*){3,})$")


def _plain_line(line: str) -> str | None:
    """A Markdown line → post text: no `#`, `>`, emphasis or code marks; links as «text (url)»;
    a rule or a heading's underline → None (left out)."""
    line = line.rstrip()
    if _MD_RULE.match(line):
        return None
    if m := _MD_HEADING.match(line):
        line = m.group(1)
    line = _MD_QUOTE.sub("", line)
    line = _MD_BULLET.sub("- ", line)  # one list marker in the caption, as the typograph sets it
    return _plain(clean_inline(line)) if line.strip() else ""


def _squeeze(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _plain(text: str) -> str:
    """Without cardgen's bold and italic markers and escapes: for the deck title, titles and the caption."""
    return no_italic(text).replace("**", "").replace("\\=", "=")
