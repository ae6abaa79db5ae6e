"""Laid-out deck → typographic and composition defects: what a book typesetter and an art
director would mark on a proof (pure).

Counts, per deck: lines that end in a short word or preposition (a «висячий предлог»: a defect),
paragraphs whose last line is a single word (a defect when the word is short: an orphan),
hyphenated lines (two in a row is a defect), a number at a line end with the word it counts on
the next line («30 / сообществ»: a defect), sizes of one role that differ between cards (a
defect), glyphs taken from a fallback font, and glyphs no font has (a defect). A `text` card with
a title and nothing under it (no text, link or picture) is a defect too: it is a blank slide.

Composition defects, by card (measured on the laid-out page, see `cardgen.layout.composition`): an empty
band over BAND_MAX of the slide's height (not on photo cards: the photo is the content); type
under the legible floor (reading text under 40 px, titles under 64 px, anything under 30 px, at
a 1080 px short side); body text more than 10 % smaller than the deck's other cards of the same
layout (a card that shrank to fit); a title less than 1.4 × the body on its card; an ornament
over text or the chrome; a photo whose scrim leaves less than PHOTO_LIGHT of it bright.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cardgen.layout.composition import empty_band, ornaments_over_content, photo_light
from cardgen.model.page import Page, TextBox
from cardgen.model.problems import px
from cardgen.resolve.cards import CardSpec
from cardgen.text.typograph import RU_BOUND_WORDS

# Every Russian preposition, simple and derived, written out here rather than taken from the
# typograph: a check that reads the rule's own list can never see what the rule misses (it
# passed «Чек-лист перед / запуском» while the typograph bound only words of up to three letters).
RU_PREPOSITIONS = frozenset(
    [
        "без",
        "безо",
        "близ",
        "в",
        "вблизи",
        "вглубь",
        "вдоль",
        "взамен",
        "включая",
        "вместо",
        "вне",
        "внизу",
        "внутри",
        "внутрь",
        "во",
        "вовнутрь",
        "возле",
        "вокруг",
        "вопреки",
        "впереди",
        "вплоть",
        "вроде",
        "вслед",
        "вследствие",
        "для",
        "до",
        "за",
        "из",
        "из-за",
        "из-под",
        "изо",
        "к",
        "ко",
        "кроме",
        "между",
        "меж",
        "мимо",
        "на",
        "над",
        "надо",
        "накануне",
        "наперекор",
        "напротив",
        "наподобие",
        "насчёт",
        "насчет",
        "о",
        "об",
        "обо",
        "около",
        "от",
        "ото",
        "перед",
        "передо",
        "по",
        "поверх",
        "под",
        "подо",
        "подле",
        "позади",
        "помимо",
        "поперёк",
        "поперек",
        "посреди",
        "после",
        "посредством",
        "при",
        "про",
        "против",
        "ради",
        "с",
        "сверх",
        "свыше",
        "сквозь",
        "со",
        "согласно",
        "среди",
        "средь",
        "у",
        "через",
    ]
)
# Words that must not end a line: every 1–2 letter word, the prepositions, and the other words
# the typograph binds.
SHORT_WORDS = {
    "ru": frozenset(RU_BOUND_WORDS) | RU_PREPOSITIONS,
    "en": frozenset(["a", "an", "i"]),  # what English typesetting keeps off a line end
}
NBSP = "\u00a0"
ORPHAN_LETTERS = 5  # a paragraph's last line holding one word shorter than this is a defect
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)?[*=]*")
BAND_MAX = 0.40  # the largest empty band a slide may have, as a share of its height
PHOTO_LIGHT = 0.55  # the share of a photo that must keep at least 60 % of its brightness
SPREAD_MAX = 0.10  # body sizes of one layout's cards may differ by this much
TITLE_RATIO = 1.4  # a title at least this many times the body on its card
# Floors at a 1080 px short side (composition.md): reading text, headings, and everything else.
READING_ROLES = frozenset({"body", "item", "column_item", "cta_text", "quote", "statement", "message"})
TITLE_ROLES = frozenset({"title", "cta_title", "cover_title"})
FLOORS = {"reading": 40.0, "title": 64.0, "other": 30.0}
PHOTO_LAYOUTS = frozenset({"image"})


@dataclass(frozen=True, slots=True)
class Defect:
    card: int
    field: str
    kind: str  # short-word-at-line-end | number-at-line-end | short-orphan | consecutive-hyphens | size-spread |
    # missing-glyph | title-only | empty-band | small-type | title-ratio | ornament-over-text | dark-photo
    detail: str

    def __str__(self) -> str:
        return f"card {self.card}: {self.field}: {self.kind}: {self.detail}"


@dataclass
class Quality:
    lines: int = 0
    paragraphs: int = 0
    hyphenated_lines: int = 0
    single_word_last_lines: int = 0
    fallback_glyphs: int = 0
    defects: list[Defect] = field(default_factory=list)
    size_spread: dict[str, list[float]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for d in self.defects:
            out[d.kind] = out.get(d.kind, 0) + 1
        return out


def check_quality(
    cards: tuple[CardSpec, ...], pages: tuple, lang: str, steps: tuple[int, ...] | None = None
) -> Quality:
    """Every defect of a laid-out deck; `steps`: each card's step on the type scale (-1: shrunk
    to fit), for the size spread (without them, sizes are compared per layout)."""
    report = Quality()
    short = SHORT_WORDS.get(lang, frozenset())
    for card, page in zip(cards, pages, strict=True):
        if card.layout == "text" and card.has("title") and not (card.has("text") or card.url or card.image):
            report.defects.append(
                Defect(
                    card.index,
                    "text",
                    "title-only",
                    "a title with nothing under it is a blank slide: add text or join it to the next card",
                )
            )
        for box in page.text_boxes():
            if (
                box.field.startswith("chrome.")
                or box.field in ("number", "quote_mark", "hints")
                or box.field.endswith(".marker")
            ):
                continue
            _check_box(card, box, short, report)
        _check_composition(card, page, report)
    _check_spread(cards, pages, steps, report)
    return report


def check_laid_out(laid) -> Quality:
    """`check_quality` of a `LaidOutDeck` (render.layout_deck's result), with each card's step."""
    return check_quality(laid.cards, laid.pages, laid.deck.lang, tuple(cf.step for cf in laid.fits))


def _check_composition(card: CardSpec, page: Page, report: Quality) -> None:
    k = 1080 / min(page.width, page.height)
    if card.layout not in PHOTO_LAYOUTS:
        band = empty_band(page)
        if band > BAND_MAX:
            report.defects.append(
                Defect(
                    card.index,
                    "page",
                    "empty-band",
                    f"{band:.0%} of the slide's height is empty in one band (at most {BAND_MAX:.0%})",
                )
            )
    seen: set[str] = set()
    sizes: dict[str, float] = {}
    for box in page.text_boxes():
        if box.field.endswith(".marker") or box.field in ("quote_mark", "number") or not box.lines:
            continue
        role = box.role
        sizes.setdefault(role, box.size)
        kind = "reading" if role in READING_ROLES else "title" if role in TITLE_ROLES else "other"
        if box.size * k < FLOORS[kind] - 0.05 and role not in seen:
            seen.add(role)
            field = box.field.removeprefix("chrome.")
            what = "reading text" if kind == "reading" else "titles" if kind == "title" else "any text"
            report.defects.append(
                Defect(
                    card.index,
                    field,
                    "small-type",
                    f"{role} is {box.size * k:.0f} px at a 1080 px short side (at least "
                    f"{FLOORS[kind]:.0f} px for {what})",
                )
            )
    body = sizes.get("body") or sizes.get("item")
    title = next((sizes[r] for r in ("title", "cta_title") if r in sizes), None)
    if body and title and title < TITLE_RATIO * body - 0.05:
        report.defects.append(
            Defect(
                card.index,
                "title",
                "title-ratio",
                f"the title ({title:.0f} px) is only {title / body:.2f} × the text ({body:.0f} px); "
                f"at least {TITLE_RATIO} ×",
            )
        )
    for overlap in ornaments_over_content(page):
        report.defects.append(
            Defect(
                card.index,
                overlap.ornament,
                "ornament-over-text",
                f"the theme's shape touches {overlap.field or 'the content'}",
            )
        )
    light = photo_light(page)
    if light is not None and light < PHOTO_LIGHT:
        report.defects.append(
            Defect(
                card.index,
                "image",
                "dark-photo",
                f"only {light:.0%} of the photo keeps 60 % of its brightness (at least {PHOTO_LIGHT:.0%})",
            )
        )


def _check_spread(cards: tuple[CardSpec, ...], pages: tuple, steps: tuple[int, ...] | None, report: Quality) -> None:
    """Body text of one layout's cards on the same step of the scale (or shrunk from the reading
    step) more than SPREAD_MAX apart: a card that had to shrink to fit, or an inconsistency."""
    groups: dict[tuple[str, str, int], list[tuple[CardSpec, float]]] = {}
    for i, (card, page) in enumerate(zip(cards, pages, strict=True)):
        step = steps[i] if steps is not None else 0
        for box in page.text_boxes():
            if box.role in ("body", "item") and box.lines and not box.field.startswith("chrome."):
                groups.setdefault((card.layout, box.role, max(step, 0)), []).append((card, box.size))
                break
    for (layout, role, _), entries in sorted(groups.items()):
        largest = max(size for _, size in entries)
        for card, size in entries:
            if size < (1 - SPREAD_MAX) * largest:
                report.size_spread.setdefault(role, []).append(size)
                report.defects.append(
                    Defect(
                        card.index,
                        role,
                        "size-spread",
                        f"{role} {px(size)} px is {1 - size / largest:.0%} smaller than on the deck's "
                        f"other {layout} cards ({px(largest)} px): shorten it or split the card",
                    )
                )


def _check_box(card: CardSpec, box: TextBox, short: frozenset[str], report: Quality) -> None:
    style = card.styles[box.role]
    own_fonts = {
        c.primary.path for c in (style.fonts.regular, style.fonts.bold, style.fonts.italic, style.fonts.bold_italic)
    }
    lines = box.lines
    previous_hyphen = False
    for i, line in enumerate(lines):
        report.lines += 1
        if line.starts_paragraph:
            report.paragraphs += 1
            previous_hyphen = False
        last_of_paragraph = i + 1 == len(lines) or lines[i + 1].starts_paragraph
        words = line.text.replace(NBSP, " ").split()
        last_word = line.text.split(" ")[-1].lower().strip('«„"(')
        if not last_of_paragraph and (
            last_word in short or (card.lang == "ru" and 0 < len(last_word) <= 2 and last_word.isalpha())
        ):
            report.defects.append(Defect(card.index, box.field, "short-word-at-line-end", repr(line.text)))
        last_token = line.text.replace(NBSP, " ").split(" ")[-1]  # «от 30» bound to the word before
        if not last_of_paragraph and _NUMBER.fullmatch(last_token) and _counted(lines[i + 1].text, short):
            report.defects.append(Defect(card.index, box.field, "number-at-line-end", repr(line.text)))
        if last_of_paragraph and not line.starts_paragraph and len(words) == 1:
            report.single_word_last_lines += 1
            # A long word alone under a balanced title is fine; a short one is an orphan.
            if sum(c.isalnum() for c in words[0]) < ORPHAN_LETTERS:
                report.defects.append(Defect(card.index, box.field, "short-orphan", repr(line.text)))
        hyphenated = line.text.endswith("-") and not last_of_paragraph
        if hyphenated:
            report.hyphenated_lines += 1
            if previous_hyphen:
                report.defects.append(Defect(card.index, box.field, "consecutive-hyphens", repr(line.text)))
        previous_hyphen = hyphenated
        for glyph in line.glyphs:
            if glyph.gid == 0 and not glyph.emoji:
                report.defects.append(Defect(card.index, box.field, "missing-glyph", repr(glyph.text)))
            elif glyph.font not in own_fonts:
                report.fallback_glyphs += 1


def _counted(next_line: str, short: frozenset[str]) -> bool:
    """The next line opens with the word a number at the line end counts: a word, not a short one
    or a preposition, which starts the next phrase («Шаг 1 / из 7» may break)."""
    first = next_line.replace(NBSP, " ").split(" ")[0].lower().strip('«„"(*=')
    return first[:1].isalpha() and first not in short and not (len(first) <= 2 and first.isalpha())
