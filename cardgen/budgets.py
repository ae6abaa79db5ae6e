"""A canvas size → `Budgets`: how many characters of body text one card of each kind holds (pure).

The importer fills cards up to these budgets, so a deck it writes renders with one text size
and no warning. They were measured, not guessed: on the default theme, the most text that a
card sets at ≥ 91 % of the theme's full body size (42 of 46 px at 1080×1350; 52.5 of 57.5 px on
a story, where the theme sets type larger), over three different Russian texts, less 5 %. At
that size a card stays well above the render's own warning (a card that pulls the deck below
85 % of the others). Every built-in theme renders imported decks cleanly with them too.

Type scales with the canvas width, so the room left for text grows with height ÷ width: the
three measured ratios (square 1:1, portrait 4:5, story 9:16) are interpolated for other sizes.
A card's title takes room too: budgets are given for a title of two lines and move by
`title_line` characters per line more or less (`with_title`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from cardgen.postparse import text_length

LIST_ITEMS = 6  # at most this many items on one list card
SIZES = {
    "portrait": (1080, 1350),
    "square": (1080, 1080),
    "telegram": (1280, 1280),
    "story": (1080, 1920),
}


@dataclass(frozen=True, slots=True)
class Budgets:
    """Characters of body text per card, by what else the card holds (titles of two lines)."""

    text: int = 485  # a text card with a title
    plain: int = 620  # a text card without one (a continuation)
    step: int = 385  # a step card: its big number and the title take the top
    items: int = 555  # a list card: its items' characters plus ITEM_COST per item
    title_line: int = 45  # body characters one title line more or less takes or gives


KEEP_TOGETHER = 1.1  # a step up to 10 % over budget stays on one card (its text set ~2 px smaller)
ITEM_COST = 60  # room an item's divider, gap and half-empty last line take, in characters
TITLE_CHARS_PER_LINE = 19  # a balanced title at its full size (72 px) on a 1080 px wide card
# Measured budgets by canvas height ÷ width (type scales with the width, so a taller canvas
# holds more): the most text that sets at ≥ 91 % of the theme's full body size (42 of 46 px;
# 52.5 of 57.5 px on a story, where the theme sets type larger) in three different texts,
# less 5 %, with the card's title brought to two lines (± title_line per line). Sizes in between are interpolated; others extrapolated from the nearest pair.
MEASURED: tuple[tuple[float, Budgets], ...] = (
    (1.0, Budgets(330, 440, 215, 415)),
    (1.25, Budgets()),
    (1920 / 1080, Budgets(500, 590, 440, 545)),  # story: type is set 25 % larger
)


def budgets_for(size: str | tuple[int, int] = "portrait") -> Budgets:
    """Budgets for a canvas: a named size or (width, height) px; see MEASURED."""
    width, height = SIZES[size] if isinstance(size, str) else size
    ratio = height / width
    (r0, b0), (r1, b1) = _neighbours(ratio)
    share = (ratio - r0) / (r1 - r0)

    def mix(name: str) -> int:
        low, high = getattr(b0, name), getattr(b1, name)
        return max(100, round(low + (high - low) * share))

    return Budgets(mix("text"), mix("plain"), mix("step"), mix("items"))


def _neighbours(ratio: float) -> tuple[tuple[float, Budgets], tuple[float, Budgets]]:
    for low, high in pairwise(MEASURED):
        if ratio <= high[0]:
            return low, high
    return MEASURED[-2], MEASURED[-1]


def with_title(budget: int, title: str | None, budgets: Budgets) -> int:
    """A budget measured with a two-line title, for a card with this title (or none)."""
    lines = 0 if not title else -(-text_length(title) // TITLE_CHARS_PER_LINE)
    return max(120, budget + (2 - lines) * budgets.title_line)
