"""Theme shapes → ornaments placed where the laid-out page has no text (pure).

A theme places its circles, rings and rectangles at fixed spots. Content moves from card to
card, so each shape is tried where the theme put it, then mirrored to the other corners, then
smaller (anchored at the same corner); the first place where it keeps clear of every text line,
picture, QR code, drawn element and the chrome is taken. A shape with no such place is left off
that card: an ornament never sits behind text or touches the counter.
"""

from __future__ import annotations

from dataclasses import replace
from collections.abc import Sequence

from cardgen.layout.composition import ink_rects, shape_overlaps
from cardgen.model.page import Box, FillBox, Rect
from cardgen.resolve.cards import CardSpec

SHRINK = (1.0, 0.75, 0.55)  # the sizes a shape is tried at, as shares of the theme's
CLEARANCE = 40  # px at a 1080 px short side between an ornament and anything it must not touch


def place_ornaments(card: CardSpec, shapes: Sequence[FillBox], boxes: Sequence[Box]) -> list[FillBox]:
    if not shapes:
        return []
    obstacles = ink_rects(boxes)
    margin = CLEARANCE * card.scale
    out: list[FillBox] = []
    for i, shape in enumerate(shapes):
        for candidate in _candidates(shape, card.width, card.height):
            if not any(shape_overlaps(candidate, r, margin) for r in obstacles):
                out.append(replace(candidate, field=f"ornament[{i}]"))
                break
    return out


def _candidates(shape: FillBox, width: float, height: float) -> list[FillBox]:
    rect = shape.rect
    out = []
    for share in SHRINK:
        w, h = rect.w * share, rect.h * share
        for mirror_x, mirror_y in ((False, False), (True, False), (False, True), (True, True)):
            x, y = _anchored(rect.x, rect.w, w, width, mirror_x), _anchored(rect.y, rect.h, h, height, mirror_y)
            out.append(replace(shape, rect=Rect(x, y, w, h), radius=shape.radius * share, stroke=shape.stroke))
    return out


def _anchored(start: float, size: float, new: float, extent: float, mirror: bool) -> float:
    """The new start of a shape `size` → `new` wide, kept at the edge it sits nearest (mirrored
    to the opposite edge when asked)."""
    if mirror:
        start = extent - start - size
    near_end = start + size / 2 > extent / 2
    return start + size - new if near_end else start
