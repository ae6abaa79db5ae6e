"""A canvas size → `Budgets`: how many characters of body text one card of each kind holds (pure).

The importer fills cards up to these budgets. They are what a card holds *comfortably*, not
the most it can take: about ten lines of body under a two-line title on a portrait card, set
at the theme's full body size (46 px at 1080×1350; the text area would take 15–16). The maxima
measured first (the most text that sets at ≥ 91 % of the full size: text 485, a card without a
title 620, step 385, list 555 at 4:5) gave imported cards of 13–16 lines: a wall of text in a
feed. The step budget stays at that level: a step carries its number and title, and its ~10
lines match the hand-made example deck (decks/negativity.yaml).

Room for Russian ad marking is kept: a short marking sits in the counter's row and takes none;
a full legal name wraps onto up to three lines (`cardgen.layout.chrome`) and takes about one
body line more. With it, imported decks still render on every canvas, at most one dense step set a little smaller (a
test adds the longest marking to imported decks and checks).

Type scales with the canvas width, so the room left for text grows with height ÷ width: the
three ratios (square 1:1, portrait 4:5, story 9:16) are interpolated for other sizes. A card's
title takes room too: budgets are given for a title of two lines and move by `title_line`
characters per line more or less (`with_title`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from cardgen.importer.postparse import text_length

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

    text: int = 320  # a text card with a title: ~10 lines at 46 px
    plain: int = 400  # a text card without one: ~12 lines
    step: int = 385  # a step card: its big number and the title take the top; ~10 lines
    items: int = 480  # a list card: its items' characters plus ITEM_COST per item
    title_line: int = 45  # body characters one title line more or less takes or gives


KEEP_TOGETHER = 1.1  # a step up to 10 % over budget stays on one card (its text set ~2 px smaller)
ITEM_COST = 60  # room an item's divider, gap and half-empty last line take, in characters
TITLE_CHARS_PER_LINE = 19  # a balanced title at its full size (72 px) on a 1080 px wide card
# Budgets by canvas height ÷ width (type scales with the width, so a taller canvas holds
# more), chosen on imports of five posts (the example deck as a post, an article of every
# example deck's text, the Telegram fixture): text and list cards at the full body size with
# room to spare, steps as dense as the hand-made example, and no warning with a three-line ad
# marking added. Sizes in between are interpolated; others extrapolated from the nearest pair.
MEASURED: tuple[tuple[float, Budgets], ...] = (
    (1.0, Budgets(250, 310, 150, 380)),
    (1.25, Budgets()),
    (1920 / 1080, Budgets(340, 390, 420, 500)),  # story: type is set 25 % larger
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
