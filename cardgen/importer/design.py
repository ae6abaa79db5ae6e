"""A post (plain text, Markdown, or one post of a Telegram export) → a deck dict → deck YAML (pure).

`cardgen import POST -o DECK.yaml` designs a carousel from a post: it must render as is,
without a warning, and read as a deck someone made by hand. The post is parsed into blocks
(`cardgen.importer.postparse`), its structure recognised (`cardgen.importer.poststructure`: greetings and
sign-offs out, dialogue, ordinals «Первое – …», quotations, lead-ins, standalone lines as
headings), and each part gets its layout:

1. **cover**: the post's first heading or first line. A first line of two sentences («Как
   работать с негативом в комментариях. Семь шагов от ленивца») is split into title and
   subtitle. Without a subtitle, a post of steps gets «7 шагов».
2. **cards** in the post's order:
   - paragraphs → `text` cards of one idea each: a heading (or a standalone line) titles the
     first card after it; short neighbours share a card, a long paragraph continues on the next,
     cut between sentences. Every text card gets a title: the heading, else its first sentence
     when that is short (promoted: it leaves the body), else «<heading> (продолжение)», unless
     it is a *statement*: one short paragraph on a card of its own, set without a title (the
     composition sets such a card large). A short last paragraph of a section that does not fit
     the card before it is a statement too, not a line or two evened out onto a half card;
   - numbered points (and «Первое – …» paragraphs) → `step` cards when they have something to
     explain (the first sentence is the step's title, the rest its text; text that does not
     fit continues on a `text` card titled «<step> (продолжение)»); short points («1. Pexels»)
     → a numbered `list`. A heading over steps titles their plan (a numbered list of the steps'
     titles before the step cards) when the deck has room for it, else the first step card;
   - bullets → `list` cards (at most LIST_ITEMS per card); a lead-in ending in «:» (or a
     heading) just before them titles the list. A list stays on one card when it can; split,
     its groups are even and never leave one item alone (7 → 4 + 3, 3 → 3, never 2 + 1);
     check-marked lines (✅ ☑️ ✔️) → a list with `marker: check`;
   - a dialogue → `chat` cards (the paragraph just before it, when short, is the chat's `text`;
     a lead-in or a heading its title);
   - `> quotes` and paragraphs wholly «in quotation marks» → `quote` cards (with «– author»);
   - a link: a card with one link gets it as its `url:` (the text keeps the link's words, or
     loses a bare address at its end); a short paragraph that is mostly its link («Подробная
     инструкция: https://…») → a `link` card with a QR code (`qr: true`, no number);
   - Markdown and Telegram italics stay `*italic*` in card text; titles, quotes and the cover
     title are set in the heading family, which may have no italic, so they are plain there.
3. **closing** `cta` card: the post's own closing call to action («Подписывайтесь…»,
   «Сохраняйте…», «Пишите в комментариях…»: its last one or two paragraphs), or its last remark
   when that would sit alone on a near-empty card after a quote or a list, else «Подписывайтесь,
   чтобы не пропустить новые карточки».

**A budget, not a page count**: cards hold what a card holds comfortably (`cardgen.importer.budgets`).
A deck must fit one album (10 cards; see `cardgen.publish.platforms`): when it does not, the ways in
FITS are tried in order (the plan of steps left out, cards up to 1.6 × fuller, a short remark
after a quote made its author line when it reads as a credit). A post that still needs more cards is split into
albums on render, and `imported` says so in one line: how many cards, how many albums, why.

The deck's `caption` is the post itself as plain text (no `#`, `>`, `**` or other Markdown
marks; a link as «text (url)»), without its first line when that is the cover's title (the
cover already says it), cut after the last whole line that fits the platform's caption
budget: what is posted with the album. `--for` chooses the platform (Telegram 1024 UTF-16
units, VK 2048 for a photo's description, Instagram 2200, LinkedIn 3000) and sets the deck's
`platform:`; without it the budget is Telegram's, the smallest. Room is kept for what render
adds to the caption: the ad marking when the deck gets an `ad:` (up to AD_RESERVE characters:
«Реклама. ООО «Ромашка». ИНН 7707083893. erid: 2VtzqwXYZ» is 55) and, for a deck split into
albums, the note «Продолжение — в следующих постах: ещё 98 карточек.», each after a blank
line. The length is measured as render counts it: typographed (`cardgen.publish.caption.plain_caption`),
in UTF-16 code units for Telegram (an emoji is two). A cut is never silent: `imported` returns
a warning whose numbers add up to the platform's limit, and the deck file's header says so too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from cardgen.importer.budgets import (
    ITEM_COST,
    KEEP_TOGETHER,
    LIST_ITEMS,
    Budgets,
    budgets_for,
    with_title,
)
from cardgen.publish.caption import continuation_note, plain_caption
from cardgen.importer.deckyaml import deck_yaml
from cardgen.model.limits import DEFAULT_LIMITS
from cardgen.model.problems import shown_ends
from cardgen.publish.checks import caption_length
from cardgen.publish.platforms import TELEGRAM, Platform, get_platform
from cardgen.text.links import display_url
from cardgen.text.plural import count_label, lang_of
from cardgen.importer.postparse import (
    PARAGRAPH_COST,
    inline_tokens,
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
from cardgen.importer.poststructure import (
    CREDIT_CHARS,
    CREDIT_WORDS,
    LEAD_IN_MAX,
    is_credit,
    is_greeting,
    is_transition,
    structure,
)
from cardgen.publish.albums import split_albums
from cardgen.importer.telegram_export import (  # re-exported: the import command's sources
    Post,
    telegram_post,
    telegram_posts,
)

__all__ = [
    "Budgets",
    "Post",
    "budgets_for",
    "caption_room",
    "deck_yaml",
    "detect_lang",
    "import_post",
    "imported",
    "post_to_deck",
    "telegram_post",
    "telegram_posts",
]

ALBUM = 10  # cards one album holds when no platform is named: Telegram, VK and Instagram all take 10
AD_RESERVE = 100  # an ad line of up to this many characters (a full legal name + ИНН + erid)
BLANK = 2  # each addition to a caption comes after a blank line ("\n\n")
# The longest note a split deck's first caption gets, for any deck within the card limit.
CONTINUATION_RESERVE = max(
    len(continuation_note(rest, posts, lang))
    for rest in range(1, DEFAULT_LIMITS.cards)
    for posts in (1, 2)
    for lang in ("ru", "en")
)
TITLE_MAX = 70  # a first sentence up to this long can be a step's title
PROMOTED_MAX = 60  # a text card's first sentence up to this long (and PROMOTED_WORDS) becomes its title
PROMOTED_WORDS = 9
TWO_LINES = 80  # characters of body that fill two lines: a card never holds less under a title
REMARK_MAX = 120  # characters of a remark after a quote that can be its credit or left to the caption
STATEMENT_MAX = 140  # one paragraph up to this long, alone on a card, is a statement (no title)
LINK_TEXT_MAX = 100  # a paragraph this short besides its link is about the link: a `link` card
CHAT_MESSAGES = 6  # at most this many messages on one chat card
MESSAGE_COST = 50  # room a bubble's padding, the gap and its half-empty last line take, in characters
CHAT_SHARE = 0.8  # bubbles are at most this share of the card wide (cardgen.layout.layouts.chat.BUBBLE_SHARE)
INTRO_MAX = 160  # a paragraph just before a dialogue, up to this long, is the chat's own text


@dataclass(frozen=True, slots=True)
class Packing:
    """How densely cards are filled: one of the ways to fit a post into one album (FITS)."""

    fuller: float = 1.0  # × the comfortable budget for text (steps and lists grow less: STEP_MOST, ITEMS_MOST)
    plans: bool = True  # a heading over steps titles a plan of them (a card of its own)
    remarks: bool = False  # a credit just after a quote («Ирина, владелица цветочного магазина») is its author line


# Ways to fit one album, in the order they are tried; the first that fits wins. At 1.6 × the
# comfortable budget a portrait text card is set at about 42 px instead of 46 (measured: 400
# characters under a title fill it at 46 px, 500 set at 43 px, 550 at 40 px).
FITS = (
    Packing(),
    Packing(plans=False),
    Packing(1.15, plans=False),
    Packing(1.3, plans=False, remarks=True),
    Packing(1.45, plans=False, remarks=True),
    Packing(1.6, plans=False, remarks=True),
)
WHOLE = 1.25  # a paragraph up to this × a card's budget stays whole rather than continue on the next card
STEP_MOST = 1.15  # a step card's budget is already near what it holds at full size
ITEMS_MOST = 1.3
LONG_ITEM = 100  # list items longer than this on average, that do not fit one card, are tips (step cards)
_CTA = re.compile(
    r"\b(?:сохран|подпис|делит|поделит|ставьте|пишите|напишите|расскажите|перешлите|save|follow|share|subscribe|"
    r"comment|tell\s+me)",
    re.IGNORECASE,
)
_SAVE = re.compile(r"\b(?:сохран|save)", re.IGNORECASE)
_HASHTAGS_ONLY = re.compile(r"^(?:[#@][\w.]+[\s,]*)+$")
_TITLE_SPLIT = re.compile(r"^(.{12,}?[^\s.])(?:\.|:|\s[—–-])\s+(\S.{3,})$")
_CLOSING = {
    "ru": ("Сохраняйте, чтобы не потерять", "Подписывайтесь, чтобы не пропустить новые карточки"),
    "en": ("Save this for later", "Follow so you don't miss new cards"),
}
_FOUND_IT_USEFUL = {"ru": "Было полезно?", "en": "Found it useful?"}  # over a closing text that asks to save
_CONTINUED = {"ru": "продолжение", "en": "continued"}
# A lead-in keeps its colon when it ends on a word that needs what follows («…в эсэмэм, то:»).
_OPEN_ENDED = frozenset(
    [
        "то",
        "что",
        "так",
        "вот",
        "это",
        "как",
        "где",
        "когда",
        "чтобы",
        "если",
        "и",
        "а",
        "но",
        "the",
        "that",
        "to",
        "is",
        "are",
        "as",
        "so",
        "then",
    ]
)


@dataclass(frozen=True, slots=True)
class CaptionRoom:
    """How a platform's caption limit is shared: the post, and what render may add after it."""

    platform: Platform
    limit: int  # what the platform takes (VK: a photo's own description, 2048)
    note: int  # kept for the note of a deck split into albums, its blank line included (0: one album)
    ad: int  # kept for an ad marking, its blank line included

    @property
    def budget(self) -> int:
        return self.limit - self.note - self.ad

    def explain(self) -> str:
        """«Telegram's album caption holds 1024: 870 for the post, 52 for …, 102 for …»: the numbers add up."""
        kind = {"telegram": "album caption", "vk": "photo description"}.get(self.platform.name, "post text")
        kept = []
        if self.note:
            kept.append(
                f"{self.note} for the note of a deck split into albums ({self.note - BLANK} characters "
                "and the blank line before it)"
            )
        kept.append(f"{self.ad} for an ad marking of up to {self.ad - BLANK} characters and its blank line")
        return f"{self.platform.title}'s {kind} holds {self.limit}: {self.budget} for the post, " + ", ".join(kept)


def caption_room(platform: Platform = TELEGRAM, *, split: bool = False) -> CaptionRoom:
    """The caption budget for a platform; a deck `split` into albums keeps room for the continuation note."""
    limit = platform.caption_soft_limit or platform.caption_limit or TELEGRAM.caption_limit or 1024
    return CaptionRoom(platform, limit, BLANK + CONTINUATION_RESERVE if split else 0, BLANK + AD_RESERVE)


@dataclass(frozen=True, slots=True)
class Caption:
    text: str  # the post as plain text, cut to the budget
    dropped: int  # characters of the plain post left out by the cut (0: it is whole)


@dataclass(frozen=True, slots=True)
class Design:
    """What `_design` made of a post: the deck, and what the user should know about it."""

    deck: dict[str, Any]
    caption: Caption
    room: CaptionRoom
    albums: list[int]  # cards per album, as render splits the deck ([9] for one album)
    limit: int | None  # cards per album on the platform (None: no albums, LinkedIn's PDF)
    length: int  # the post's characters
    left: tuple[str, ...] = ()  # remarks after quotes that are not credits, left to the caption to keep one album


def post_to_deck(
    text: str,
    *,
    lang: str | None = None,
    title: str | None = None,
    size: str = "portrait",
    budget: Budgets | None = None,
    author: Mapping[str, str] | None = None,
    platform: str | None = None,
) -> dict[str, Any]:
    """Post text → deck data (see the module doc); write it with `deck_yaml`. `lang`: ru or en
    (default: the post's own, `detect_lang`); `platform`: the caption budget and `platform:`."""
    return _design(text, lang=lang, title=title, size=size, budget=budget, author=author, platform=platform).deck


def detect_lang(text: str) -> str:
    """ "en" for a post written in Latin letters, else "ru" (a Russian post with English brand
    names and links still has far more Cyrillic)."""
    cyrillic = len(re.findall(r"[А-Яа-яЁё]", text))
    latin = len(re.findall(r"[A-Za-z]", re.sub(r"https?://\S+", "", text)))
    return "en" if latin > cyrillic else "ru"


def _design(
    text: str,
    *,
    lang: str | None,
    title: str | None,
    size: str,
    budget: Budgets | None,
    author: Mapping[str, str] | None,
    platform: str | None,
) -> Design:
    if not text.strip():
        raise ValueError("the post has no text")
    lang = lang_of(lang) if lang else detect_lang(text)
    target = get_platform(platform) if platform else None
    limit = target.album_max if target else ALBUM
    budgets = budget or budgets_for(size)
    blocks = parse_blocks(text)
    deck_title, blocks = _take_title(blocks, title, lang)
    blocks = structure(blocks, lang)
    closing, blocks = _take_closing(blocks)
    cards, closing, link, left = _fit(blocks, budgets, lang, limit, closing)
    if budget is None:  # budgets of the canvas: the layout can tell where they guessed short
        from cardgen.importer.measure import fits_at_base

        footer = {"author": author, "defaults": {"footer": author["handle"]}} if author and author.get("handle") else {}
        cards = merge_continuations(
            cards, lang, lambda card: fits_at_base({"size": size, "lang": lang, **footer}, card)
        )
    cover: dict[str, Any] = {"layout": "cover"}
    head, subtitle = _split_title(deck_title)
    cover["title"] = no_italic(head)  # set in the heading family, which may have no italic
    steps = sum(1 for c in cards if c["layout"] == "step")
    if subtitle:
        cover["subtitle"] = subtitle
    elif steps >= 2 and not re.search(r"\d", head):  # «5 ошибок…» already counts them
        cover["subtitle"] = count_label(steps, "шаг", lang)
    cta_title, cta_text = _CLOSING[lang]
    if closing and _SAVE.search(closing):  # «Сохраняйте пост…» under «Сохраняйте, чтобы не потерять» says it twice
        cta_title = _FOUND_IT_USEFUL[lang]
    cta = {
        "layout": "cta",
        "title": cta_title,
        "text": closing or cta_text,
        **({"url": link} if link else {}),
        "hints": ["save", "share"],
    }
    deck: dict[str, Any] = {"title": _plain(deck_title), "size": size, "lang": lang}
    if target:
        deck["platform"] = target.name
    if author:
        deck["author"] = {k: v for k, v in author.items() if v}
        if author.get("handle"):
            deck["defaults"] = {"footer": author["handle"]}
    deck["cards"] = [cover, *cards, cta]
    total = len(deck["cards"])
    albums = [len(r) for r in _album_ranges(total, target, limit)]
    room = caption_room(target or TELEGRAM, split=len(albums) > 1)
    caption = post_caption(text, lang, room=room, title=deck_title)
    if caption.text:
        deck = {
            **{k: v for k, v in deck.items() if k != "cards"},
            "caption": caption.text + "\n",
            "cards": deck["cards"],
        }
    return Design(deck, caption, room, albums, limit, len(text.strip()), left)


def _album_ranges(total: int, target: Platform | None, limit: int | None) -> list[range]:
    if target is not None:
        return split_albums(total, target)
    return [range(k, min(total, k + (limit or total))) for k in range(0, total, limit or total)]


Made = tuple[list[dict[str, Any]], str | None, str | None, tuple[str, ...]]  # cards, closing, its link, left out


def _fit(blocks: list[Block], budgets: Budgets, lang: str, limit: int | None, closing: str | None) -> Made:
    """The cards, fitted to one album when they can be (see the module doc): (cards, closing text,
    its link, the remarks after quotes left to the caption)."""
    tried: list[tuple[int, int, Made]] = []
    for order, packing in enumerate(FITS):
        made = _content(blocks, _fuller(budgets, packing.fuller), lang, packing, closing)
        total = len(made[0]) + 2  # the cover and the closing card
        if limit is None or total <= limit:
            return made
        tried.append((math.ceil(total / limit), order, made))
    return min(tried, key=lambda t: (t[0], t[1]))[2]  # the fewest albums, then the most comfortable cards


def _fuller(budgets: Budgets, share: float) -> Budgets:
    if share == 1.0:
        return budgets
    return replace(
        budgets,
        text=round(budgets.text * share),
        plain=round(budgets.plain * share),
        step=round(budgets.step * min(share, STEP_MOST)),
        items=round(budgets.items * min(share, ITEMS_MOST)),
    )


def _content(blocks: list[Block], budgets: Budgets, lang: str, packing: Packing, closing: str | None) -> Made:
    left: tuple[str, ...] = ()
    if packing.remarks:
        blocks, left = _with_remarks(blocks)
    cards = _cards(blocks, budgets, lang, packing)
    link = None
    if (
        closing is None
        and len(cards) >= 2
        and cards[-2]["layout"] not in ("text", "link")
        and _stub(cards[-1], budgets)
    ):
        # A last remark alone on a card after a quote or a list («Подробный гайд — в нашем блоге»)
        # would be a line on an empty card: it is the post's own closing words, for the closing card.
        last = cards.pop()
        closing, link = last["text"].strip(), last.get("url")
    return cards, closing, link, left


def _with_remarks(blocks: list[Block]) -> tuple[list[Block], tuple[str, ...]]:
    """A short paragraph just after a quote, before anything else: one card fewer when the deck
    must fit one album. A credit (a name and a role, see `is_credit`) becomes the quote's author
    line; a longer remark («Так сказала мне однажды клиентка, и с тех пор…») is a sentence of the
    post, not a credit to set in small type under it: it is left to the caption (returned, so
    `imported` can say so when the caption's cut leaves it out too)."""
    out: list[Block] = []
    left: list[str] = []
    for i, block in enumerate(blocks):
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        if (
            out
            and out[-1].kind == "quote"
            and not out[-1].body
            and block.kind == "paragraph"
            and text_length(block.text) <= REMARK_MAX
            and (after is None or after.kind != "paragraph")
            and not _LINKED.search(block.text)
            and not _RAW_URL.search(block.text)
        ):
            if is_credit(block.text.rstrip(".")):
                out[-1] = replace(out[-1], body=(block.text.rstrip("."),))
            else:
                left.append(block.text)
            continue
        out.append(block)
    return out, tuple(left)


def _pictures(text: str) -> list[str]:
    """The pictures a Markdown post shows (`![alt](src)`), by their source, in order."""
    found: list[str] = []
    for line in text.splitlines():
        if "![" in line:
            found += [str(t.attrGet("src") or t.content) for t in inline_tokens(line) if t.type == "image"]
    return found


def import_post(text: str, *, source: str = "post", **options: Any) -> str:
    """Post text → deck YAML with a header saying where it came from (the import command's whole job)."""
    return imported(text, source=source, **options).yaml


@dataclass(frozen=True, slots=True)
class Imported:
    yaml: str  # the deck file
    warnings: tuple[str, ...]  # what the user should know: a caption cut short, a deck split into albums


def imported(text: str, *, source: str = "post", **options: Any) -> Imported:
    """Post text → the deck YAML and the warnings the import command prints (after the file's name)."""
    design = _design(
        text,
        lang=options.get("lang"),
        title=options.get("title"),
        size=options.get("size", "portrait"),
        budget=options.get("budget"),
        author=options.get("author"),
        platform=options.get("platform"),
    )
    header = (
        f"Imported from {source} by `cardgen import`: edit anything you like.\n"
        "Cards: the cover, the post's parts (titled text, statements, steps, lists, chats, quotes, links), "
        "a closing call to action."
    )
    warnings: list[str] = []
    if len(design.albums) > 1:
        plan = " + ".join(str(n) for n in design.albums)
        line = (
            f"the post is {design.length} characters: more than one album holds ({design.limit} cards) even with "
            f"fuller cards, so its {sum(design.albums)} cards are posted as {len(design.albums)} albums ({plan}); "
            "shorten the post or split it into two posts to keep one album each"
        )
        header += f"\nalbums: {line}."
        warnings.append(line)
    count, most = len(design.deck.get("cards", [])), DEFAULT_LIMITS.cards
    if count > most:  # render would refuse the deck: say what it takes before the user finds out
        line = (
            f"the deck has {count} cards, more than a deck may have ({most}), so it will not render as it "
            "is: split the post into several posts"
        )
        header += f"\ncards: {line}."
        warnings.append(line)
    pictures = _pictures(text)
    if pictures:  # a card's picture is its image: field, which the author fills with a file
        more = f" and {len(pictures) - 5} more" if len(pictures) > 5 else ""
        shown = ", ".join(shown_ends(p, 40) for p in pictures[:5]) + more
        many = len(pictures) > 1
        line = (
            f"{len(pictures)} picture{'s' if many else ''} of the post ({shown}) {'are' if many else 'is'} "
            "not on a card: add each as a card's image: (a file beside the deck)"
        )
        header += f"\nleft out: {line}."
        warnings.append(line)
    kept = _words(str(design.deck.get("caption", "")))
    lost = [remark for remark in design.left if _words(remark) not in kept]
    for remark in lost:
        line = (
            f"the remark after a quote «{shown_ends(_plain(remark).strip(), 60)}» is longer than a credit "
            f"({CREDIT_WORDS} words and {CREDIT_CHARS} characters at most), so it is left to the caption to keep "
            "one album, and the caption's cut leaves it out too: put it on a card or in the caption by hand"
        )
        header += f"\nleft out: {line}."
        warnings.append(line)
    dropped = design.caption.dropped
    if dropped:
        room = design.room
        header += (
            f"\ncaption: the post's first {room.budget} characters at most; the last {dropped} are left "
            f"out ({room.explain()})."
        )
        warnings.append(
            f"the post is longer than a caption: the deck's caption keeps its first {room.budget} characters "
            f"at most and leaves out the last {dropped} ({room.explain()}); the cards keep the whole post"
            f"{' but the remark above' if lost else ''}. "
            "Edit the caption by hand if the cut falls in the wrong place"
        )
    return Imported(deck_yaml(design.deck, header=header), tuple(warnings))


def _words(text: str) -> str:
    """Text as its words only (no punctuation, quotes or dashes the typograph may change), for
    finding one text in another."""
    return " ".join(re.findall(r"\w+", _plain(text).lower()))


def _take_title(blocks: list[Block], title: str | None, lang: str) -> tuple[str, list[Block]]:
    if title is None:
        # A post that opens with «Привет, ребят!» on a line of its own: the title is the line after it.
        while len(blocks) > 1 and blocks[0].kind == "paragraph" and _only_greets(blocks[0].text):
            blocks = blocks[1:]
    first = blocks[0]
    if title is not None:
        same = first.kind in ("heading", "paragraph") and _plain(first.text).strip() == title.strip()
        return title, blocks[1:] if same else blocks
    if first.kind not in ("heading", "paragraph"):  # a post that opens with a list: no title
        return ("Без названия" if lang == "ru" else "Untitled"), blocks
    if first.kind == "heading" or (first.kind == "paragraph" and text_length(first.text) <= 140):
        return first.text, blocks[1:]
    lead = sentences(first.text)[0]  # a post that opens with a long paragraph: its first sentence
    rest = first.text[len(lead) :].strip()
    return lead, ([replace(first, text=rest)] if rest else []) + blocks[1:]


def _only_greets(text: str) -> bool:
    """A paragraph of greetings and «Погнали» alone."""
    parts = sentences(text)
    return bool(parts) and all(is_greeting(part) or is_transition(part) for part in parts)


def _split_title(title: str) -> tuple[str, str]:
    """«Заголовок. Подзаголовок» (or «…: …», «… — …») → (title, subtitle); a short one stays whole."""
    m = _TITLE_SPLIT.match(title.strip())
    if not m or text_length(title) < 40:
        return title.strip(), ""
    subtitle = m.group(2).strip()
    return m.group(1).strip(), subtitle[:1].upper() + subtitle[1:]


CLOSING_MAX = 220  # characters of the post's own closing words the closing card takes (one or two paragraphs)


def _take_closing(blocks: list[Block]) -> tuple[str | None, list[Block]]:
    """The post's own call to action at its end: its last paragraph, with the one before it when
    that is a call too and both fit the closing card («…напишите «план», пришлю всем.» then
    «Сохраняйте пост…»)."""
    while blocks and blocks[-1].kind == "paragraph" and _HASHTAGS_ONLY.match(blocks[-1].text):
        blocks = blocks[:-1]
    taken: list[str] = []
    while (
        blocks
        and len(taken) < 2
        and blocks[-1].kind == "paragraph"
        and _CTA.search(blocks[-1].text)
        and text_length(" ".join([blocks[-1].text, *taken])) <= CLOSING_MAX
    ):
        taken.insert(0, blocks[-1].text)
        blocks = blocks[:-1]
    return (" ".join(taken) if taken else None), blocks


def _cards(
    blocks: list[Block], budgets: Budgets, lang: str = "ru", packing: Packing | None = None
) -> list[dict[str, Any]]:
    packing = packing or Packing()
    # A paragraph a little over budget stays whole (set a little smaller), but never fuller than the fullest packing.
    whole = min(WHOLE, FITS[-1].fuller / packing.fuller)
    cards: list[dict[str, Any]] = []
    section: str | None = None  # a heading waiting for the next card
    paras: list[str] = []

    def flush() -> None:
        nonlocal section
        if paras:
            cards.extend(_text_cards(section, list(paras), budgets, lang, whole))
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
            if _HASHTAGS_ONLY.match(block.text):  # «#smm #вконтакте» belongs to the caption, not a card
                pass
            elif (link := _link_card(block.text, None if paras else section)) is not None:
                flush()
                cards.append(link)
                section = None
            else:
                paras.append(block.text)
        elif block.kind == "quote":
            flush()
            quote: dict[str, Any] = {"layout": "quote", "text": no_italic(block.text)}  # set in the heading family
            if block.body:
                quote["author"] = block.body[0]
            cards.append(quote)
        elif block.kind == "dialogue":
            lead = paras.pop() if paras and _is_lead_in(paras[-1]) else None
            intro = paras.pop() if not lead and paras and text_length(paras[-1]) <= INTRO_MAX else None
            flush()
            heading = _lead_title(lead) if lead else section
            cards += _chat_cards(heading, intro, list(block.body), budgets)
            section = None
        elif block.kind == "bullet":
            # «Что проверить:» just before the bullets is the list's title.
            lead = paras.pop() if paras and _is_lead_in(paras[-1]) else None
            flush()
            j = i
            checks = is_check(block.marker)  # ✅ ☑️ ✔️ items: a checklist, apart from other bullets
            while j < len(blocks) and blocks[j].kind == "bullet" and is_check(blocks[j].marker) == checks:
                j += 1
            items = [" ".join([b.text, *b.body]) for b in blocks[i:j]]
            heading = _lead_title(lead) if lead else section
            if _tips(heading, items, budgets):
                cards += _tip_cards(section, lead, items, budgets, lang)
            else:
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
                if section:
                    cards += _titled_steps(section, group, steps, budgets, packing.plans)
                else:
                    cards += [c for s in steps for c in s]
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


def _is_lead_in(text: str) -> bool:
    return text.rstrip().endswith(":") and text_length(text) <= LEAD_IN_MAX


def _lead_title(lead: str) -> str:
    """A lead-in as a title: «Что проверить» without its colon, but «Если вы хотите…, то:» keeps
    it, since its last word needs what follows."""
    text = _plain(lead).strip().rstrip(":").rstrip()
    last = re.sub(r"\W", "", text.split()[-1].lower()) if text.split() else ""
    return f"{text}:" if last in _OPEN_ENDED else text


def _text_cards(
    section: str | None, paras: list[str], budgets: Budgets, lang: str, whole: float = 1.0
) -> list[dict[str, Any]]:
    """A section's paragraphs → text cards of one idea each, every card titled or a statement (see
    the module doc); a paragraph up to `whole` × the budget stays whole on a card of its own."""
    # Text under a heading is set under a title on every card; text without one (the post's
    # opening) has the room of an untitled card, and gets a title only where a short first
    # sentence makes one (a line more on a card that holds ~12).
    budget = budgets.text if section else budgets.plain
    first = with_title(budgets.text, section, budgets) if section else budget
    more = _continued(section, lang)
    cards = []
    for i, chunk in enumerate(_chunks(paras, budget, first, whole)):
        body = "\n\n".join(chunk)
        if i == 0 and section:
            cards.append(_card("text", section, body))
            continue
        if _statement(chunk):
            cards.append(_card("text", None, body))  # large and untitled: one thought, said once
            continue
        head, rest = _promoted(chunk, budgets, whole)
        cards.append(_card("text", head, rest) if head else _card("text", more, body))
    return cards


def _chunks(paras: list[str], budget: int, first: int, whole: float) -> list[list[str]]:
    """`chunk_paragraphs`, except that a short last paragraph which does not fit the card before
    it gets a card of its own (a statement), rather than taking sentences from that card."""
    if len(paras) >= 2 and _statement([paras[-1]]):
        head = chunk_paragraphs(paras[:-1], budget, first=first, whole=whole)
        room = first if len(head) == 1 else budget
        size = sum(text_length(p) for p in head[-1]) + PARAGRAPH_COST * len(head[-1])
        if size + text_length(paras[-1]) > room:
            return [*head, [paras[-1]]]
    return chunk_paragraphs(paras, budget, first=first, whole=whole)


def _statement(chunk: list[str]) -> bool:
    """One short paragraph of one or two sentences, without a link: a statement card."""
    return (
        len(chunk) == 1
        and text_length(chunk[0]) <= STATEMENT_MAX
        and len(sentences(chunk[0])) <= 2
        and not _LINKED.search(chunk[0])
        and not _RAW_URL.search(chunk[0])
    )


def _promoted(chunk: list[str], budgets: Budgets, whole: float = 1.0) -> tuple[str | None, str]:
    """A card's first sentence as its title when it is short and a title could read so, at least
    two lines stay under it, and the rest fits under a title: (title, the rest), else (None, the
    card's text)."""
    body = "\n\n".join(chunk)
    parts = sentences(chunk[0])
    if not parts:
        return None, body
    head = parts[0]
    rest = "\n\n".join(p for p in (chunk[0][len(head) :].strip(), *chunk[1:]) if p)
    title_like = (
        text_length(head) <= PROMOTED_MAX
        and len(head.split()) <= PROMOTED_WORDS
        and head[:1].isupper()
        and re.search(r"[.!?…]$", head) is not None
        and not _LINKED.search(head)
        and not _RAW_URL.search(head)
    )
    if not title_like or not TWO_LINES <= text_length(rest) <= with_title(budgets.text, head, budgets) * whole:
        return None, body
    return _title(head), rest


def _chat_cards(title: str | None, intro: str | None, lines: list[str], budgets: Budgets) -> list[dict[str, Any]]:
    """A dialogue → chat cards of at most CHAT_MESSAGES messages, evenly split; the first takes
    the title and the paragraph that introduced the dialogue."""
    room = with_title(budgets.items, title, budgets)
    first_room = room - (text_length(intro) + PARAGRAPH_COST if intro else 0)

    def fits(group: list[str], index: int) -> bool:
        # A bubble is at most CHAT_SHARE of the card wide: its text takes that much more height.
        size = sum(text_length(x) / CHAT_SHARE + MESSAGE_COST for x in group)
        whole = len(group) == len(lines)  # a whole conversation a little over budget stays on one card
        return len(group) <= CHAT_MESSAGES and size <= (
            first_room * (KEEP_TOGETHER if whole else 1) if index == 0 else with_title(budgets.items, None, budgets)
        )

    cards = []
    for k, group in enumerate(_even_groups(lines, fits, CHAT_MESSAGES)):
        card: dict[str, Any] = {"layout": "chat"}
        if k == 0 and title:
            card["title"] = title
        if k == 0 and intro:
            card["text"] = intro
        card["messages"] = group
        cards.append(card)
    return cards


def _even_groups(items: list[str], fits: Callable[[list[str], int], bool], most: int) -> list[list[str]]:
    """Items → the fewest even groups that each fit, never leaving one item alone after fuller
    groups (3 → 3, never 2 + 1; 7 → 4 + 3). When none fit, a short run stays whole (the card
    sets it a little smaller) and a long one is split into groups of at most `most`."""
    n = len(items)
    for count in range(max(1, -(-n // most)), n + 1):  # no fewer groups than `most` per group allows
        per = -(-n // count)
        groups = [items[k : k + per] for k in range(0, n, per)]
        if len(groups) > 1 and (len(groups[-1]) == 1 or per == 1):
            continue  # a lone item on a card of its own: not a list, not a conversation
        if all(fits(g, k) for k, g in enumerate(groups)):
            return groups
    count = -(-n // most)
    per = -(-n // count)
    return [items[k : k + per] for k in range(0, n, per)]


def _titled_steps(
    section: str, group: list[Block], steps: list[list[dict[str, Any]]], budgets: Budgets, plans: bool = True
) -> list[dict[str, Any]]:
    """A heading over steps («Как мы это решили», then 1. 2. 3.) → the steps' plan, a numbered
    list of their titles under the heading, before the step cards; when the plan would not fit
    one card (or the deck has no room for it), the heading titles the first step card instead,
    whose own title then opens its text in bold. Either way no card holds a title alone (a blank slide)."""
    heads = [_head_and_rest(point.text)[0] for point in group]
    room = with_title(budgets.items, section, budgets)
    if (
        plans
        and all(heads)
        and len(heads) <= LIST_ITEMS
        and sum(text_length(h or "") + ITEM_COST for h in heads) <= room
    ):
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
    return (
        card["layout"] == "text"
        and "title" not in card
        and "\n" not in text
        and text_length(text) < STUB * budgets.plain
    )


def merge_continuations(
    cards: list[dict[str, Any]], lang: str, fits: Callable[[dict[str, Any]], bool]
) -> list[dict[str, Any]]:
    """Each card titled «<title> (продолжение)» merged back into the card it continues when both
    together fit that card at the reading sizes (`fits`, see `cardgen.importer.measure`): the
    budgets are on the safe side, and three lines continued on a card of their own read as a
    leftover, not as a part."""
    mark = f" ({_CONTINUED[lang]})"
    out: list[dict[str, Any]] = []
    for card in cards:
        title = str(card.get("title", ""))
        if out and title.endswith(mark) and out[-1].get("title") in (title[: -len(mark)], title):
            merged = _merged(out[-1], card)
            if merged is not None and fits(merged):
                out[-1] = merged
                continue
        out.append(card)
    return out


def _merged(card: dict[str, Any], more: dict[str, Any]) -> dict[str, Any] | None:
    """`card` with the text or items of the card that continues it (None: not the same kind of card)."""
    if "url" in card or "url" in more:
        return None
    if more["layout"] == "text" and card["layout"] in ("text", "step") and more.get("text") and card.get("text"):
        text = "\n\n".join(str(c["text"]).strip() for c in (card, more))
        return {**card, "text": text + "\n"}
    if more["layout"] == card["layout"] == "list" and card.get("marker") == more.get("marker"):
        items = [*card["items"], *more["items"]]
        return {**card, "items": items} if len(items) <= LIST_ITEMS else None
    return None


CONTINUED_MAX = 40  # a title up to this long is repeated on its continuation cards


def _continued(title: str | None, lang: str) -> str | None:
    """The title of a card that continues a titled one: «Что проверить (продолжение)».

    A continuation without a title reads as a new, untitled section; the mark in brackets says
    it is the same one, and stays out of the way of the title's own words. A long title (a
    lead-in sentence, «Секрет прост – сначала результат, потом список дел») is said once: with
    the mark it would fill half the card.
    """
    if not title or text_length(title) > CONTINUED_MAX:
        return None
    return f"{title} ({_CONTINUED[lang]})"


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
    budget = with_title(budgets.text, title, budgets) if title else budgets.plain
    chunks = chunk_paragraphs(paragraphs, budget, first=room)
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
    """Items → list cards of at most LIST_ITEMS, each within the items budget; the groups are even
    and never end on a lone item (`_even_groups`). A list a little over budget stays on one card,
    like a step. A titled list's later cards are titled «<title> (продолжение)» when the title is
    short; a long lead-in sentence is said once, on the first card."""
    more = _continued(title, lang)
    room = with_title(budgets.items, title, budgets)
    items = [piece for item in items for piece in split_long(item, (room - ITEM_COST) // 2)]
    rest = min(room, with_title(budgets.items, more, budgets))

    def fits(group: list[str], index: int) -> bool:
        size = sum(text_length(x) + ITEM_COST for x in group)
        whole = len(group) == len(items)
        return len(group) <= LIST_ITEMS and size <= (room * KEEP_TOGETHER if whole else room if index == 0 else rest)

    cards = []
    for i, group in enumerate(_even_groups(items, fits, LIST_ITEMS)):
        card: dict[str, Any] = {"layout": "list"}
        if title and (i == 0 or more):
            card["title"] = title if i == 0 else more
        card["items"] = group
        if marker:
            card["marker"] = marker
        cards.append(card)
    return cards


def _tips(title: str | None, items: list[str], budgets: Budgets) -> bool:
    """A few long points that do not fit one list card even a little over budget: each is a tip of
    its own, not a list shrunk to fine print or cut 2 + 1."""
    room = with_title(budgets.items, title, budgets) * KEEP_TOGETHER
    size = sum(text_length(x) + ITEM_COST for x in items)
    return 2 <= len(items) <= LIST_ITEMS and size > room and size / len(items) > ITEM_COST + LONG_ITEM


def _tip_cards(
    section: str | None, lead: str | None, items: list[str], budgets: Budgets, lang: str
) -> list[dict[str, Any]]:
    """Long points → numbered step cards, one each; their lead-in («Вот что нужно знать:») is said
    first, on a statement card of its own, or the heading over them titles the first."""
    points = [Block("number", _clause_titled(item), str(k + 1)) for k, item in enumerate(items)]
    steps = [_step_cards(point, [], budgets, lang) for point in points]
    if lead:
        return [_card("text", None, _plain(lead).strip()), *(c for cards in steps for c in cards)]
    if section:
        return _titled_steps(section, points, steps, budgets, plans=False)
    return [c for cards in steps for c in cards]


# A tip's first clause, before a colon, a dash or «, поэтому…», can title it when its first sentence cannot.
_CLAUSE = re.compile(
    r"^(?P<head>[^,:;—–]{15,60}?)"
    r"(?:\s*[:—–]\s+|,\s+(?=(?:поэтому|так что|потому что|иначе|so|because)\b))"
    r"(?P<rest>\S.{30,})$",
    re.IGNORECASE | re.DOTALL,
)


def _clause_titled(item: str) -> str:
    """A long point whose first sentence is too long for a title → «Its first clause. The rest.»,
    so that the step card gets a title: «Генератор не знает вашего фирменного стиля, поэтому…»
    → «Генератор не знает вашего фирменного стиля» over «Поэтому…». Unchanged otherwise."""
    if _head_and_rest(item)[0] is not None:
        return item
    m = _CLAUSE.match(item.strip())
    if not m:
        return item
    rest = m.group("rest").strip()
    return f"{m.group('head').strip()}. {rest[:1].upper()}{rest[1:]}"


_LINKED = re.compile(r"\s\((https?://[^\s()]+)\)")  # «в нашем блоге (https://…)», as links are imported
# A bare address in the text: not one inside «(…)» above; closing punctuation is not part of it.
_RAW_URL = re.compile(r"(?<![\w(/])(?:https?://|www\.)[^\s<>«»\"]*[^\s<>«»\".,;:!?)\]]")
_URL_AT_END = re.compile(r"\s*[:—–-]?\s*((?:https?://|www\.)[^\s<>«»\"]*[^\s<>«»\".,;:!?)\]])[.!]?$")


def _one_link(text: str) -> tuple[str, str | None]:
    """(the text without its one link, the link) or (the text, None) when it has none or several.

    «в нашем блоге (https://…).» keeps the link's words; a bare address at the end goes with the
    colon or dash before it («Подробная инструкция: https://…» → «Подробная инструкция»). A bare
    address inside a sentence stays where it is, as a person would write it (no scheme)."""
    linked = _LINKED.findall(text)
    bare = _RAW_URL.findall(text)
    if len(linked) + len(bare) != 1:
        return text, None
    if linked:
        return _LINKED.sub("", text, count=1), linked[0]
    end = _URL_AT_END.search(text)
    if end:
        url = end.group(1)
        return text[: end.start()].rstrip(), url if "://" in url else f"https://{url}"
    return _RAW_URL.sub(lambda m: display_url(m.group(0)), text), None


def _link_card(text: str, section: str | None) -> dict[str, Any] | None:
    """A short paragraph that is mostly its address («Подробная инструкция: https://…») → a `link`
    card: its words as the title (or the heading over it as the title and its words as the text),
    the address and a QR code. No big number: a lone link is not an item of a collection. A link
    hidden under words («в нашем блоге», a Telegram text link) is the card's `url:` instead: the
    post did not ask the reader to type it."""
    if len(_RAW_URL.findall(text)) != 1 or _LINKED.search(text):
        return None
    rest, url = _one_link(text)
    rest = rest.strip().rstrip(":").strip()
    if url is None or not rest or text_length(rest) > LINK_TEXT_MAX or "\n" in rest:
        return None
    card: dict[str, Any] = {"layout": "link", "number": ""}
    if section:
        card |= {"title": section, "text": rest}
    else:
        card["title"] = _title(rest)
    return card | {"url": url, "qr": True}


def _card(layout: str, title: str | None, text: str | None) -> dict[str, Any]:
    """A card dict; multi-line text ends with a newline, so the YAML shows it as a `|` block.

    A text or step card with one link gets it as its `url:` (set below the text, without the
    scheme), and the text keeps the link's words: «в нашем блоге.» over «example.com/blog».
    """
    card: dict[str, Any] = {"layout": layout}
    if title:
        card["title"] = title
    url = None
    if text and layout in ("text", "step"):
        text, url = _one_link(text)
    if text:
        card["text"] = text + "\n" if "\n" in text else text
    if url:
        card["url"] = url
    return card


def post_caption(text: str, lang: str = "ru", *, room: CaptionRoom | None = None, title: str | None = None) -> Caption:
    """The post as plain text (no Markdown), without its first line when that is `title` (the
    cover shows it), cut after the last whole line that fits the room's budget as render counts
    it (see the module doc)."""
    room = room or caption_room(TELEGRAM, split=True)
    lines = [
        plain for line in text.replace("\r\n", "\n").strip().split("\n") if (plain := _plain_line(line)) is not None
    ]
    if title and lines:
        lines = _without_title(lines, _plain(title).strip())

    def too_long(kept: list[str]) -> bool:
        return caption_length(plain_caption(_squeeze("\n".join(kept)), lang), room.platform) > room.budget

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


def _without_title(lines: list[str], title: str) -> list[str]:
    """The caption's lines without the title the cover shows: the first line when it is the
    title, or the title's words at its start (a title taken from a long first paragraph)."""
    # The first line, or the first after a greeting line of its own («Привет, ребят!» over the title).
    filled = [k for k, line in enumerate(lines) if line.strip()][:2]
    index = next((k for k in filled if _plain(lines[k]).strip().rstrip(".") == title.rstrip(".")), None)
    if index is None and filled:
        index = filled[0]
    if index is None:
        return lines
    first = lines[index].strip()
    if _plain(first).strip().rstrip(".") == title.rstrip("."):
        return [*lines[:index], *lines[index + 1 :]]
    if title and first.startswith(title):
        rest = first[len(title) :].lstrip(" .:—–-")
        return [*lines[:index], *([rest] if rest else []), *lines[index + 1 :]]
    return lines


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
