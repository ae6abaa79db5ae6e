"""An imported card (a deck dict's card) → whether it sets at the default theme's reading sizes.

The importer fills cards by character budgets (`cardgen.importer.budgets`): what a card holds
comfortably, on the safe side. Where a budget is too rough a guess, it asks the layout itself:
a continuation («… (продолжение)») is merged back into the card it continues when the two
together fit that card at its reading sizes, rather than leave a second card with three lines.
Reads the built-in theme and fonts (through the caches), so it stays out of the pure modules.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

DECK_KEYS = ("size", "lang", "defaults")  # what else decides a card's room: the canvas, the language, the footer


def fits_at_base(deck: Mapping[str, Any], card: Mapping[str, Any]) -> bool:
    """Whether `card` alone, in a deck of `deck`'s size, language and footer, fits at the default
    theme's reading sizes (no step down the type scale). False for a card that cannot be set."""
    from cardgen.layout.layouts import card_flow
    from cardgen.layout.scale import fit_card
    from cardgen.load.deck import Deck
    from cardgen.load.validation import make
    from cardgen.load.theme import DEFAULT_THEME, load_theme
    from cardgen.model.limits import DEFAULT_LIMITS
    from cardgen.model.problems import CardgenError
    from cardgen.resolve.cards import resolve_deck

    data = {key: deck[key] for key in DECK_KEYS if key in deck}
    author = deck.get("author") or {}
    if author.get("name") or author.get("handle"):  # a handle shows in the footer row: less room
        data["author"] = {k: author[k] for k in ("name", "handle") if author.get(k)}
    try:
        model = make(
            Deck,
            {**data, "title": "import", "cards": [dict(card)]},
            {"folder": Path("."), "limits": DEFAULT_LIMITS},
            path=Path("import.yaml"),
        )
        (spec,) = resolve_deck(model, load_theme(DEFAULT_THEME))
        fitted = fit_card(card_flow(spec), "error")
    except (CardgenError, ValueError):
        return False
    return fitted.fits and fitted.comfortable >= 0
