"""A deck laid out: what the layout stage gives the later ones (a value).

`LaidOutDeck` holds the deck as loaded, the cards that laid out (resolved), a page each (every
position decided), how each card fitted on the deck's type scale, the warnings found so far, and
the theme (where its files are named, for picture errors). Paint reads the pages; review, the
report, publishing and the manifest read the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cardgen.layout.scale import CardFit
from cardgen.load.deck import Deck
from cardgen.load.theme import Theme
from cardgen.model.page import Page
from cardgen.model.problems import Problem
from cardgen.resolve.cards import CardSpec


@dataclass(frozen=True)
class LaidOutDeck:
    deck: Deck
    cards: tuple[CardSpec, ...]
    pages: tuple[Page, ...]
    fits: tuple[CardFit, ...]  # how each card fitted: its step on the type scale and its sizes
    warnings: tuple[Problem, ...] = ()
    theme: Theme | None = field(default=None, repr=False)  # where its files are named, for picture errors
