"""A rendered deck → its layout report (`--report`): every slide's text blocks as set, how each
slide is composed, the deck's type scale and its warnings (a JSON-ready dict).
"""

from __future__ import annotations

from typing import Any

from cardgen.layout.composition import empty_band, fill_share, photo_light
from cardgen.layout.laid import LaidOutDeck
from cardgen.layout.layouts import content_area
from cardgen.run.pipeline import RenderResult


def deck_scale(laid: LaidOutDeck) -> dict[str, list[float]]:
    """The type scale the deck uses: each text role's sizes, smallest first."""
    sizes: dict[str, set[float]] = {}
    for cf in laid.fits:
        for role, size in cf.sizes.items():
            sizes.setdefault(role, set()).add(round(size, 2))
    return {role: sorted(values) for role, values in sorted(sizes.items())}


def layout_report(result: RenderResult) -> dict[str, Any]:
    """The report of --report: every slide's text blocks with their sizes, boxes and lines as set,
    and how the slide is composed (the share of its content area the content spans, the largest
    empty band, its step on the type scale)."""
    laid = result.laid
    slides = []
    for path, card, page, cf in zip(result.slides, laid.cards, laid.pages, laid.fits, strict=True):
        blocks = [
            {
                "field": box.field,
                "role": box.role,
                "size": round(box.size, 2),
                "box": [round(box.rect.x, 1), round(box.rect.y, 1), round(box.rect.w, 1), round(box.rect.h, 1)],
                "lines": [ln.text for ln in box.lines],
            }
            for box in page.text_boxes()
            if not box.field.startswith("chrome.")
        ]
        slide: dict[str, Any] = {
            "file": str(path),
            "card": card.index,
            "layout": card.layout,
            "kind": cf.flow.kind or "text",
            "step": cf.step,
            "fill": round(fill_share(page, content_area(card)), 3),
            "empty_band": round(empty_band(page), 3),
            "blocks": blocks,
            "warnings": [n.text for n in laid.warnings if n.card == card.index],
        }
        light = photo_light(page)
        if light is not None:
            slide["photo_light"] = round(light, 3)
        slides.append(slide)
    return {
        "deck": str(result.deck),
        "out": str(result.out_dir),
        "canvas": [laid.pages[0].width, laid.pages[0].height],
        "sizes": deck_scale(laid),
        "slides": slides,
        "warnings": [str(n) for n in laid.warnings if n.card is None],
    }
