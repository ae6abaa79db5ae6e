"""Laid-out deck → typographic defects: what a book typesetter would mark on a proof (pure).

Counts, per deck: lines that end in a short word or preposition (a «висячий предлог»: a defect),
paragraphs whose last line is a single word (a defect when the word is short: an orphan),
hyphenated lines (two in a row is a defect), a number at a line end with the word it counts on
the next line («30 / сообществ»: a defect), sizes of one role that differ between cards (a
defect), glyphs taken from a fallback font, and glyphs no font has (a defect). A `text` card with
a title and nothing under it (no text, link or picture) is a defect too: it is a blank slide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cardgen.page import TextBox
from cardgen.resolve import CardSpec
from cardgen.typograph import RU_BOUND_WORDS

# Every Russian preposition, simple and derived, written out here rather than taken from the
# typograph: a check that reads the rule's own list can never see what the rule misses (it
# passed «Чек-лист перед / запуском» while the typograph bound only words of up to three letters).
RU_PREPOSITIONS = frozenset(
    "без безо близ в вблизи вглубь вдоль взамен включая вместо вне внизу внутри внутрь во "
    "вовнутрь возле вокруг вопреки впереди вплоть вроде вслед вследствие для до за из из-за "
    "из-под изо к ко кроме между меж мимо на над надо накануне наперекор напротив наподобие "
    "насчёт насчет о об обо около от ото перед передо по поверх под подо подле позади помимо "
    "поперёк поперек посреди после посредством при про против ради с сверх свыше сквозь со "
    "согласно среди средь у через".split()
)
# Words that must not end a line: every 1–2 letter word, the prepositions, and the other words
# the typograph binds.
SHORT_WORDS = {
    "ru": frozenset(RU_BOUND_WORDS) | RU_PREPOSITIONS,
    "en": frozenset("the for and nor but via per our".split()),
}
NBSP = "\u00a0"
ORPHAN_LETTERS = 5  # a paragraph's last line holding one word shorter than this is a defect
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)?[*=]*")


@dataclass(frozen=True, slots=True)
class Defect:
    card: int
    field: str
    kind: str  # short-word-at-line-end | number-at-line-end | short-orphan | consecutive-hyphens | size-spread | missing-glyph | title-only
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


def check_quality(cards: tuple[CardSpec, ...], pages: tuple, lang: str) -> Quality:
    report = Quality()
    sizes: dict[str, set[float]] = {}
    short = SHORT_WORDS.get(lang, frozenset())
    for card, page in zip(cards, pages, strict=True):
        if card.layout == "text" and card.has("title") and not (card.has("text") or card.url or card.image):
            report.defects.append(Defect(card.index, "text", "title-only",
                                         "a title with nothing under it is a blank slide: add text or join it to the next card"))
        for box in page.text_boxes():
            if box.field.startswith("chrome.") or box.field in ("number", "quote_mark", "hints") or box.field.endswith(".marker"):
                continue
            sizes.setdefault(box.role, set()).add(round(box.size, 2))
            _check_box(card, box, short, report)
    for role, values in sorted(sizes.items()):
        if len(values) > 1:
            report.size_spread[role] = sorted(values)
            report.defects.append(Defect(0, role, "size-spread", f"{sorted(values)} px across the deck"))
    return report


def _check_box(card: CardSpec, box: TextBox, short: frozenset[str], report: Quality) -> None:
    style = card.styles[box.role]
    own_fonts = {c.primary.path for c in (style.fonts.regular, style.fonts.bold, style.fonts.italic,
                                          style.fonts.bold_italic)}
    lines = box.lines
    previous_hyphen = False
    for i, line in enumerate(lines):
        report.lines += 1
        if line.starts_paragraph:
            report.paragraphs += 1
            previous_hyphen = False
        last_of_paragraph = i + 1 == len(lines) or lines[i + 1].starts_paragraph
        words = line.text.replace(NBSP, " ").split()
        last_word = line.text.split(" ")[-1].lower().strip("«„\"(")
        if not last_of_paragraph and (last_word in short or (0 < len(last_word) <= 2 and last_word.isalpha())):
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
    first = next_line.replace(NBSP, " ").split(" ")[0].lower().strip("«„\"(*=")
    return first[:1].isalpha() and first not in short and not (len(first) <= 2 and first.isalpha())
