"""Laid-out deck → contrast warnings: text against the background actually under it (WCAG AA).

Body text needs 4.5:1, large text (headings, big numbers) 3:1. The background is sampled under
every glyph, from the page painted without its text, so gradients, photos,
scrims and highlights all count; the worst glyph decides. Chrome (counter, footer) is body text.
A page of solid colours only is checked without painting (`solid_sampler`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from cardgen.layout.laid import LaidOutDeck
from cardgen.load.theme import LARGE_ROLES
from cardgen.model.color import contrast_ratio, over
from cardgen.model.page import RGBA, FillBox, Page, Solid, TextBox
from cardgen.model.problems import Problem, Where
from cardgen.paint.draw import sample_backdrop

BODY_MIN, LARGE_MIN = 4.5, 3.0

Sampler = Callable[[Page, Sequence[tuple[float, float]]], list[RGBA]]


def needs_pixels(page: Page) -> bool:
    """A solid page with only solid, opaque fills can be checked without painting."""
    if not isinstance(page.background, Solid):
        return True
    return any(
        not isinstance(b, (FillBox, TextBox)) or (isinstance(b, FillBox) and not isinstance(b.paint, Solid))
        for b in page.boxes
    )


def text_contrast(page: Page, sampler: Sampler) -> list[tuple[TextBox, RGBA, float, float]]:
    """(box, text color, worst ratio, required ratio) for every text color that fails.

    Each glyph is checked against the background under its middle, so an accent word on its
    highlight is judged on the highlight, and a line over a photo on the photo.
    """
    failures = []
    probes: list[tuple[TextBox, RGBA]] = []
    points: list[tuple[float, float]] = []
    for box in page.text_boxes():
        for line in box.lines:
            for g in line.glyphs:
                if not g.emoji:
                    probes.append((box, g.color))
                    points.append((g.x + 0.25 * g.size, g.y - 0.3 * g.size))
    colors = sampler(page, points) if points else []
    worst: dict[tuple[int, RGBA], tuple[TextBox, float]] = {}
    ratios: dict[tuple[RGBA, RGBA], float] = {}  # a card has a few color pairs and ~300 glyphs
    for (box, color), bg in zip(probes, colors, strict=True):
        ratio = ratios.get((color, bg))
        if ratio is None:
            ratio = ratios[color, bg] = contrast_ratio(over(color, bg), bg)
        key = (id(box), color)
        if key not in worst or ratio < worst[key][1]:
            worst[key] = (box, ratio)
    for (_, color), (box, ratio) in worst.items():
        required = LARGE_MIN if box.role in LARGE_ROLES else BODY_MIN
        if ratio + 1e-9 < required:
            failures.append((box, color, ratio, required))
    return failures


def solid_sampler(page: Page, points: Sequence[tuple[float, float]]) -> list[RGBA]:
    """The color under each point from the page's solid background and solid fills (no painting)."""
    out = []
    fills = [b for b in page.boxes if isinstance(b, FillBox) and isinstance(b.paint, Solid) and not b.stroke]
    for x, y in points:
        color = page.background.color  # type: ignore[union-attr]
        for fill in fills:
            r = fill.rect
            if r.x <= x <= r.right and r.y <= y <= r.bottom:
                color = over(fill.paint.color, color)  # type: ignore[union-attr]
        out.append(color)
    return out


def contrast_warnings(laid: LaidOutDeck) -> list[Problem]:
    """Text whose contrast with the background under it is below WCAG AA, per card and field."""
    warnings = []
    for card, page in zip(laid.cards, laid.pages, strict=True):
        # The pictures read as painting reads them; a page of solid colours is not painted.
        sampler = partial(sample_backdrop, limits=laid.deck.limits) if needs_pixels(page) else solid_sampler
        for box, color, ratio, required in text_contrast(page, sampler):
            field = box.field.removeprefix("chrome.")
            kind = "large text" if required < 4.5 else "text"
            where = card.where(field if not box.field.startswith("chrome.") else None)
            warnings.append(
                Problem.at(
                    where,
                    f"{unless_named(field, where)}{_hex(color)} text has contrast {ratio:.1f}:1 with the "
                    f"background under it; WCAG AA needs {required:g}:1 for {kind}",
                    card=card.index,
                )
            )
    return warnings


def unless_named(field: str, where: Where) -> str:
    """ "field: " unless the place already names the field."""
    return "" if where.field and f".{field.split('.', maxsplit=1)[0]}" in where.field else f"{field}: "


def _hex(color: RGBA) -> str:
    return "#{:02X}{:02X}{:02X}".format(*color[:3])
