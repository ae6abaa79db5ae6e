"""Deck file → slides on disk: load → resolve → layout (fitted, deck-wide sizes) → paint → export.

`render_deck` is the one function that runs every stage; the CLI is a thin layer over it.
`layout_deck` stops before painting, for tests and checks.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from cardgen.deck import Deck, load_deck, parse_size
from cardgen.errors import DeckError, Where
from cardgen.fonts import FontBook
from cardgen.layout import Fit, Flow, TextBlock, fit_flow, measure
from cardgen.layouts import card_flow, compose, limits
from cardgen.page import Page
from cardgen.resolve import CardSpec, resolve_deck
from cardgen.shaping import face_for_cluster
from cardgen.theme import load_theme

SMALL_CARD_RATIO = 0.85  # a card that pulls a role below this share of the median is reported


@dataclass(frozen=True)
class LaidOutDeck:
    deck: Deck
    cards: tuple[CardSpec, ...]
    pages: tuple[Page, ...]
    sizes: Mapping[str, float]  # the deck-wide size of each text role, px
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class RenderResult:
    deck: Path
    out_dir: Path
    slides: tuple[Path, ...]
    warnings: tuple[str, ...] = field(default=())


def layout_deck(
    deck_path: Path, *, theme: str | None = None, size: str | None = None, book: FontBook | None = None
) -> LaidOutDeck:
    deck = load_deck(deck_path)
    if size is not None:
        try:
            parse_size(size)
        except ValueError as exc:
            raise DeckError(f"--size: {exc}") from None
        deck = deck.model_copy(update={"size": size})
    theme_name = theme or deck.theme
    theme_where = None if theme else Where(deck.path, _line_of_key(deck.path, "theme"), "theme")
    theme_obj = load_theme(theme_name, deck.folder, theme_where)
    cards = resolve_deck(deck, theme_obj, book)
    warnings = list(missing_glyph_warnings(cards))
    flows = [card_flow(card) for card in cards]
    fits = [fit_flow(flow, limits(card)) for card, flow in zip(cards, flows, strict=True)]
    for card, flow, fit in zip(cards, flows, fits, strict=True):
        if fit.overflow > 0.5 or fit.too_wide > 0:
            from cardgen.layout import overflow_error

            raise overflow_error(card, flow, fit)
    sizes, size_warnings = deck_sizes(cards, fits)
    warnings += size_warnings
    pages = []
    for card, flow, fit in zip(cards, flows, fits, strict=True):
        card_sizes = {role: sizes[role] for role in fit.sizes}
        final = measure(flow, card_sizes)
        if final.overflow > 0.5 or final.too_wide > 0:
            # Breaking at a smaller size can, rarely, take one more line: keep this card's own fit.
            final, card_sizes = fit, dict(fit.sizes)
        pages.append(compose(card, flow, card_sizes))
    return LaidOutDeck(deck, cards, tuple(pages), sizes, tuple(warnings))


def deck_sizes(cards: tuple[CardSpec, ...], fits: list[Fit]) -> tuple[dict[str, float], list[str]]:
    """One size per text role for the whole deck: the largest that fits every card."""
    per_role: dict[str, list[tuple[float, int]]] = {}
    for card, fit in zip(cards, fits, strict=True):
        for role, size in fit.sizes.items():
            per_role.setdefault(role, []).append((size, card.index))
    sizes: dict[str, float] = {}
    warnings: list[str] = []
    for role, entries in sorted(per_role.items()):
        sizes[role] = min(size for size, _ in entries)
        if len(entries) >= 3:
            median = statistics.median(size for size, _ in entries)
            for size, index in entries:
                if size < SMALL_CARD_RATIO * median:
                    warnings.append(
                        f"card {index}: its {role} text only fits at {size:g} px, which sets the whole "
                        f"deck's {role} to {sizes[role]:g} px (others fit {median:g} px); "
                        f"shorten the card or split it in two"
                    )
    return sizes, warnings


def missing_glyph_warnings(cards: tuple[CardSpec, ...]) -> list[str]:
    import regex

    out = []
    for card in cards:
        fields = {name: paras for name, paras in card.texts.items()}
        fields.update({f"items[{i}]": item for i, item in enumerate(card.items)})
        chain = card.styles["body"].fonts.regular
        for name, paragraphs in fields.items():
            text = "".join(span.text for p in paragraphs for span in p)
            for cluster in sorted(set(regex.findall(r"\X", text))):
                if cluster.isspace():
                    continue
                _, missing = face_for_cluster(cluster, chain)
                if missing:
                    codes = " ".join(f"U+{ord(c):04X}" for c in cluster)
                    out.append(f"card {card.index}: {name}: no font has «{cluster}» ({codes}); it would show as a box")
    return out


def _line_of_key(path: Path, key: str) -> int | None:
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
            if line.startswith(f"{key}:"):
                return number
    except OSError:
        return None
    return None


def render_deck(deck_path: Path, out_root: Path, *, theme: str | None = None, size: str | None = None) -> RenderResult:
    from cardgen.export import write_slides
    from cardgen.paint import paint_page

    laid = layout_deck(deck_path, theme=theme, size=size)
    out_dir = out_root / deck_path.stem
    slides = write_slides((paint_page(page) for page in laid.pages), len(laid.pages), out_dir)
    return RenderResult(laid.deck.path, out_dir, slides, laid.warnings)
