"""Styled paragraphs → line-breaking items in em units, then lines placed at a size (pure).

`prepare_text` is size-independent: text is shaped once, in em units, and split into the
`Box`/`Glue`/`Penalty` items of `cardgen.text.linebreak`. Because every width scales linearly with
the font size, breaking at size `s` in a box `w` px wide is breaking at size 1 in `w / s` em,
so fitting a size by binary search re-breaks but never re-shapes.
"""

from __future__ import annotations

import bisect
import itertools
import math
from dataclasses import dataclass, field, replace


from cardgen.base.pattern_code import regex_compile
from cardgen.text.hyphenate import (
    hard_hyphen_points,
    hyphenation_points,
    last_resort_points,
    url_break_points,
    url_word_points,
)
from cardgen.text.linebreak import Box, BreakParams, Glue, Item, Line, Penalty, balance, break_lines
from cardgen.text.markup import ACCENT, BOLD, ITALIC, Paragraph
from cardgen.text.shaping import FontChain, Glyph, shape_word
from cardgen.base.caches import memo

# A URL, domain, e-mail or handle may break at its natural points (after "/", before "? & = . #"),
# but only when nothing else fits; so may code-like text (utm_source=vk&utm_campaign=…): a
# parameter string has no other place to break, and without one its whole card would be set smaller.
URL_BREAK_COST = 4000.0
# Inside a word of it («@smm_» / «prices», «landing-» / «page»), only where a part with no natural
# point is wider than the line: dearer than any ragged paragraph, cheaper than a line that overflows.
URL_WORD_BREAK_COST = URL_BREAK_COST * 250
HARD_HYPHEN_COST = 2500.0  # «контент-/план» only when nothing else fits: a compound reads as one word
_URLISH = regex_compile(r"://|^www\.|[\p{L}\d]\.[\p{L}]{2,}|/|@\w|[\p{L}\d][=&_][\p{L}\d{]")
_SPACE = regex_compile(r"[ \t]+")


@dataclass(frozen=True, slots=True)
class StyleFonts:
    """The font chains of one text role: regular, bold, italic and bold italic."""

    regular: FontChain
    bold: FontChain
    italic: FontChain
    bold_italic: FontChain

    def chain(self, flags: int) -> FontChain:
        if flags & BOLD:
            return self.bold_italic if flags & ITALIC else self.bold
        return self.italic if flags & ITALIC else self.regular


@dataclass(frozen=True, slots=True)
class StyledGlyph:
    glyph: Glyph
    flags: int


@dataclass(frozen=True, slots=True)
class Chunk:
    """A run of items broken as one unit: a paragraph, or a line of it after a forced break."""

    items: tuple[Item, ...]
    content: tuple[tuple[StyledGlyph, ...], ...]  # the glyphs of each item (a hyphen for a Penalty)
    flags: tuple[int, ...]  # style flags of each item (for highlight over spaces)


@dataclass(frozen=True, slots=True)
class PreparedText:
    paragraphs: tuple[tuple[Chunk, ...], ...]
    # What it was prepared from, so fitting can prepare it again with hyphenation (a word wider
    # than the measure is hyphenated, in headings too, before anything shrinks).
    source: tuple[Paragraph, ...] = field(default=(), compare=False, repr=False)
    hyphenated: bool = False

    @property
    def empty(self) -> bool:
        return not self.paragraphs


@dataclass(frozen=True, slots=True)
class SetLine:
    """A line as set at size 1: its glyphs with x in em from the line start."""

    glyphs: tuple[tuple[StyledGlyph, float], ...]
    width: float  # em
    text: str  # exactly as set: no-break spaces kept, a trailing hyphen when hyphenated
    highlights: tuple[tuple[float, float], ...]  # accent spans as (x0, x1) in em
    paragraph_start: bool  # first line of a paragraph (gets the paragraph gap above)


def prepare_text(
    paragraphs: tuple[Paragraph, ...],
    fonts: StyleFonts,
    *,
    lang: str = "ru",
    hyphenate: bool = False,
    uppercase: bool = False,
    hyphenate_wider: float | None = None,
) -> PreparedText:
    """`hyphenate_wider`: hyphenate only the words wider than this many em (a heading's word that
    does not fit its measure), when `hyphenate` is off."""
    out = []
    for paragraph in paragraphs:
        chunks = []
        for spans in _split_forced_breaks(paragraph):
            chunks.append(_prepare_chunk(spans, fonts, lang, hyphenate, uppercase, hyphenate_wider))
        out.append(tuple(chunks))
    return PreparedText(tuple(out), paragraphs, hyphenate or hyphenate_wider is not None)


def _split_forced_breaks(paragraph: Paragraph) -> list[list[tuple[str, int]]]:
    lines: list[list[tuple[str, int]]] = [[]]
    for span in paragraph:
        parts = span.text.split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append([])
            if part:
                lines[-1].append((part, span.flags))
    return [line for line in lines if any(t.strip() for t, _ in line)]


def _prepare_chunk(
    spans: list[tuple[str, int]],
    fonts: StyleFonts,
    lang: str,
    hyphenate: bool,
    uppercase: bool,
    hyphenate_wider: float | None = None,
) -> Chunk:
    # Words are runs between breakable spaces; a word may mix styles ("**фото**стоков").
    words: list[list[tuple[str, int]]] = [[]]
    space_flags: list[int] = []
    for text, flags in spans:
        if uppercase:
            text = text.upper()
        pieces = _SPACE.split(text)
        for i, piece in enumerate(pieces):
            if i:
                words.append([])
                space_flags.append(flags)
            if piece:
                words[-1].append((piece, flags))
    items: list[Item] = []
    content: list[tuple[StyledGlyph, ...]] = []
    item_flags: list[int] = []
    pending_space: int | None = None
    for index, word in enumerate(words):
        if not word:
            if index < len(space_flags) and items:
                pending_space = space_flags[index]
            continue
        if pending_space is not None or (index > 0 and items):
            flags = pending_space if pending_space is not None else space_flags[index - 1]
            items.append(Glue(_space_width(fonts.chain(flags))))
            content.append(())
            item_flags.append(flags)
        pending_space = None
        _add_word(word, fonts, lang, hyphenate, items, content, item_flags, hyphenate_wider)
    return Chunk(tuple(items), tuple(content), tuple(item_flags))


@memo(64, files=True)
def _space_width(chain: FontChain) -> float:
    return sum(g.advance for g in shape_word(" ", chain))


def _add_word(
    word: list[tuple[str, int]],
    fonts: StyleFonts,
    lang: str,
    hyphenate: bool,
    items: list[Item],
    content: list[tuple[StyledGlyph, ...]],
    item_flags: list[int],
    hyphenate_wider: float | None = None,
) -> None:
    glyphs: list[StyledGlyph] = []
    offset = 0
    for text, flags in word:
        for g in shape_word(text, fonts.chain(flags)):
            glyphs.append(StyledGlyph(_shift(g, offset), flags))
        offset += len(text)
    text = "".join(t for t, _ in word)
    breaks: dict[int, tuple[float, bool]] = {}  # index → (cost, adds a hyphen)
    if _URLISH.search(text):
        for i in url_break_points(text):  # after a slash first: a line ending «.» or «?» reads as a sentence's end
            breaks[i] = (URL_BREAK_COST if text[i - 1] == "/" else URL_BREAK_COST * 4, False)
        for i in url_word_points(text):
            breaks.setdefault(i, (URL_WORD_BREAK_COST, False))
    else:
        # A heading (no hyphenation) keeps a compound whole («купи-купи», «Чек-лист»): its lines
        # are few and balanced, and a break at the hyphen reads as a hyphenation; it breaks there
        # only when the word is too wide for the line (then `hyphenate_wider` is set).
        points = hard_hyphen_points(text) if hyphenate or hyphenate_wider is not None else ()
        if points:
            letters = list(itertools.accumulate((c.isalpha() for c in text), initial=0))  # letters before i
            for i in points:
                if letters[i] >= 3 and letters[-1] - letters[i] >= 3:
                    breaks[i] = (HARD_HYPHEN_COST, False)
        if hyphenate:
            for i in hyphenation_points(text, lang):
                breaks.setdefault(i, (0.0, True))
        elif hyphenate_wider is not None and sum(sg.glyph.advance for sg in glyphs) > hyphenate_wider:
            # A word too wide for its line is hyphenated as a last resort (see last_resort_points).
            for i in last_resort_points(text, lang):
                breaks.setdefault(i, (0.0, True))
    if not breaks:  # most words: one box
        _add_box(glyphs, items, content, item_flags)
        return
    # The glyphs between two cuts make a box; a cut with no glyph before it (since the last cut)
    # or none after it is no break. Linear in the word, however many cuts it has (a long URL has
    # one every few characters); glyphs keep their order (right-to-left runs come reversed).
    starts = sorted(sg.glyph.start for sg in glyphs)
    cuts: list[int] = []
    for cut in sorted(breaks):
        before = bisect.bisect_left(starts, cut) - bisect.bisect_left(starts, cuts[-1] if cuts else 0)
        if before and starts and starts[-1] >= cut:
            cuts.append(cut)
    pieces: list[list[StyledGlyph]] = [[] for _ in range(len(cuts) + 1)]
    for sg in glyphs:
        pieces[bisect.bisect_right(cuts, sg.glyph.start)].append(sg)
    for cut, fragment in zip(cuts, pieces, strict=False):
        _add_box(fragment, items, content, item_flags)
        cost, adds_hyphen = breaks[cut]
        if adds_hyphen:
            flags = fragment[-1].flags
            hyphen = tuple(StyledGlyph(g, flags) for g in shape_word("-", fonts.chain(flags)))
            items.append(Penalty(sum(h.glyph.advance for h in hyphen), cost, True))
            content.append(hyphen)
        else:
            items.append(Penalty(0.0, cost, False))
            content.append(())
        item_flags.append(fragment[-1].flags)
    _add_box(pieces[-1], items, content, item_flags)


def _shift(glyph: Glyph, offset: int) -> Glyph:
    if not offset:
        return glyph
    return Glyph(
        glyph.start + offset, glyph.text, glyph.face, glyph.gid, glyph.advance, glyph.dx, glyph.dy, glyph.missing
    )


def _add_box(
    glyphs: list[StyledGlyph],
    items: list[Item],
    content: list[tuple[StyledGlyph, ...]],
    item_flags: list[int],
) -> None:
    if not glyphs:
        return
    items.append(Box(sum(sg.glyph.advance for sg in glyphs), "".join(sg.glyph.text for sg in glyphs)))
    content.append(tuple(glyphs))
    item_flags.append(glyphs[0].flags)


def set_lines(
    text: PreparedText, width_em: float, *, balanced: bool = False, params: BreakParams = BreakParams()
) -> tuple[SetLine, ...]:
    """Break every paragraph at `width_em` and return the lines as set (x in em)."""
    out: list[SetLine] = []
    for paragraph in text.paragraphs:
        for n, chunk in enumerate(paragraph):
            lines = _break_short(chunk.items, width_em, balanced, params)
            for k, line in enumerate(lines):
                out.append(_set_line(chunk, line, paragraph_start=(n == 0 and k == 0)))
    return tuple(out)


def single_line(text: PreparedText) -> SetLine | None:
    """The first chunk of `text` set as one line, however long, without breaking it (chrome: a
    counter, a footer). Linear in the text: a breaker asked for a line of any width would weigh
    every break against every other one."""
    chunk = next((c for p in text.paragraphs for c in p), None)
    boxes = [i for i, item in enumerate(chunk.items) if isinstance(item, Box)] if chunk else []
    if chunk is None or not boxes:
        return None
    # From the first word to the last, as the breaker sets a paragraph that fits on one line.
    return _set_line(chunk, Line(boxes[0], boxes[-1] + 1, 0.0, False), paragraph_start=True)


def line_metrics(
    text: PreparedText, width_em: float, *, balanced: bool = False, params: BreakParams = BreakParams()
) -> tuple[tuple[float, bool], ...]:
    """(width in em, starts a paragraph) of each line: what fitting needs, without placing glyphs."""
    out: list[tuple[float, bool]] = []
    for paragraph in text.paragraphs:
        for n, chunk in enumerate(paragraph):
            for k, line in enumerate(_break_short(chunk.items, width_em, balanced, params)):
                out.append((line.width, n == 0 and k == 0))
    return tuple(out)


SHORT_LINES = 4  # a paragraph of at most this many lines is not hyphenated if it can be helped


@memo(4096, files=True)
def _break_short(items: tuple[Item, ...], width_em: float, balanced: bool, params: BreakParams) -> tuple[Line, ...]:
    """`_break`, but a short paragraph is set without hyphens when it can be (at most one line
    more, every line within the width): in a few large lines a hyphen is a blemish, not a help."""
    lines = _break(items, width_em, balanced, params)
    if len(lines) > SHORT_LINES or not any(ln.broke_at_penalty and _hyphen(items, ln) for ln in lines):
        return lines
    plain = _break(items, width_em, balanced, replace(params, hyphen_cost=NO_HYPHEN_COST))
    if len(plain) <= min(len(lines) + 1, SHORT_LINES + 1) and all(ln.width <= width_em + 1e-9 for ln in plain):
        return plain
    return lines


BALANCED_WIDOW_COST = 4000.0  # a balanced text's last line of one word: as dear as a 60 % empty line
NO_HYPHEN_COST = 1e6  # below the overflow cost: a hyphen only where a word could not fit otherwise


def _hyphen(items: tuple[Item, ...], line: Line) -> bool:
    item = items[line.end] if line.end < len(items) else None
    return isinstance(item, Penalty) and item.flagged


@memo(4096, files=True)
def _break(items: tuple[Item, ...], width_em: float, balanced: bool, params: BreakParams) -> tuple[Line, ...]:
    if balanced:  # display type (titles, quotes): one word alone under even lines is the first thing seen
        widow = max(params.single_word_last_line_cost, BALANCED_WIDOW_COST)
        return tuple(balance(items, width_em, replace(params, single_word_last_line_cost=widow))[1])
    return tuple(break_lines(items, width_em, params))


def _set_line(chunk: Chunk, line: Line, paragraph_start: bool) -> SetLine:
    placed: list[tuple[StyledGlyph, float]] = []
    text: list[str] = []
    marks: list[tuple[float, float, int, bool]] = []  # (x0, x1, flags, is_space) for highlights
    x = 0.0
    for i in range(line.start, line.end):
        item = chunk.items[i]
        x0 = x
        if isinstance(item, Glue):
            text.append(" ")
            x += item.width
            marks.append((x0, x, chunk.flags[i], True))
        elif isinstance(item, Box):
            # Per glyph: a box may join words of different styles («в\u00a0==2026==», glued by a
            # no-break space), and only the accented ones are highlighted.
            for sg in chunk.content[i]:
                placed.append((sg, x))
                text.append(sg.glyph.text)
                marks.append((x, x + sg.glyph.advance, sg.flags, False))
                x += sg.glyph.advance
    if line.broke_at_penalty and line.end < len(chunk.items):
        for sg in chunk.content[line.end]:
            placed.append((sg, x))
            text.append(sg.glyph.text)
            marks.append((x, x + sg.glyph.advance, sg.flags, False))
            x += sg.glyph.advance
    return SetLine(tuple(placed), x, "".join(text), _highlights(marks), paragraph_start)


def _highlights(marks: list[tuple[float, float, int, bool]]) -> tuple[tuple[float, float], ...]:
    """Accent spans: consecutive accented words, joined through accented spaces only."""
    spans: list[tuple[float, float]] = []
    open_span = False
    joinable = False
    for x0, x1, flags, is_space in marks:
        accented = bool(flags & ACCENT)
        if is_space:
            joinable = open_span and accented
            continue
        if accented and open_span and (joinable or math.isclose(spans[-1][1], x0)):
            spans[-1] = (spans[-1][0], x1)
        elif accented:
            spans.append((x0, x1))
        open_span = accented
        joinable = False
    return tuple(spans)
