"""Page → how it is composed, measured from its boxes (pure): where the ink is, the largest empty
band, how much of the content area the content fills, how much of a photo keeps its light.

These are the measures of `cardgen quality` and of `--report`, taken from the laid-out page
rather than from pixels, so they are exact and cost nothing. The empty band follows the
designers' rule of thumb that `docs/composition` in the README states: over the middle 80 % of
the slide (10 %..90 % of its height, so the counter and footer rows sit outside it), the
longest run of rows with no text, picture or drawn element, as a share of the slide's height.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cardgen.model.page import Box, FillBox, ImageBox, ImageFill, Page, QRBox, Rect, Scrim, TextBox

WINDOW = (0.10, 0.90)  # the rows the empty band is measured in, as shares of the height
ASCENT, DESCENT = 0.78, 0.24  # em above and below a baseline that a line's ink may take
BRIGHT = 0.6  # a photo pixel "keeps its light" while a scrim leaves it at least this bright


def line_rects(box: TextBox) -> list[Rect]:
    """The ink of each line of a text box: its width, from ascender to descender."""
    return [
        Rect(ln.x, ln.baseline - ASCENT * box.size, ln.width, (ASCENT + DESCENT) * box.size)
        for ln in box.lines
        if ln.width > 0
    ]


def is_visible(box: Box) -> bool:
    """A box that draws something (not an empty slot a decoration found its place by)."""
    if isinstance(box, FillBox):
        paint = box.paint
        if isinstance(paint, (Scrim, ImageFill)):
            return False  # a photo or its scrim is the backdrop, not the content
        color = getattr(paint, "color", None)
        return color is None or color[3] > 0
    return True


def ink_rects(boxes: Iterable[Box]) -> list[Rect]:
    """What the reader sees as content: text lines, pictures, QR codes, drawn elements."""
    out: list[Rect] = []
    for box in boxes:
        if isinstance(box, TextBox):
            out += line_rects(box)
        elif isinstance(box, (ImageBox, QRBox)) or (isinstance(box, FillBox) and is_visible(box)):
            out.append(box.rect)
    return out


def content_boxes(page: Page) -> list[Box]:
    """The page's content: everything but backdrop (photo, scrims), ornaments and chrome."""
    return [
        b
        for b in page.boxes
        if not _is_chrome(b) and not getattr(b, "field", "").startswith(("ornament", "photo", "scrim"))
    ]


def _is_chrome(box: Box) -> bool:
    return getattr(box, "field", "").startswith("chrome.")


def empty_band(page: Page) -> float:
    """The largest run of rows with no ink, in the middle 80 % of the page, as a share of its height."""
    top, bottom = WINDOW[0] * page.height, WINDOW[1] * page.height
    spans = sorted((r.y, r.bottom) for r in ink_rects(b for b in page.boxes if not _ornament(b)))
    best, y = 0.0, top
    for y0, y1 in spans:
        if y1 <= y:
            continue
        if y0 > y:
            best = max(best, min(y0, bottom) - y)
        y = max(y, y1)
        if y >= bottom:
            break
    best = max(best, bottom - y)
    return max(0.0, best) / page.height


def _ornament(box: Box) -> bool:
    return getattr(box, "field", "").startswith("ornament")


def content_extent(page: Page) -> tuple[float, float] | None:
    """The top and bottom of the content's ink (None for an empty page)."""
    rects = ink_rects(content_boxes(page))
    if not rects:
        return None
    return min(r.y for r in rects), max(r.bottom for r in rects)


def fill_share(page: Page, area: Rect) -> float:
    """How much of the content area's height the content spans."""
    extent = content_extent(page)
    if extent is None or area.h <= 0:
        return 0.0
    return min(1.0, (extent[1] - extent[0]) / area.h)


def overlaps(a: Rect, b: Rect, margin: float = 0.0) -> bool:
    return a.x - margin < b.right and b.x - margin < a.right and a.y - margin < b.bottom and b.y - margin < a.bottom


def circle_overlaps(circle: Rect, rect: Rect, margin: float = 0.0) -> bool:
    """A circle (its bounding square) and a rectangle come closer than `margin`."""
    r = min(circle.w, circle.h) / 2
    cx, cy = circle.x + circle.w / 2, circle.y + circle.h / 2
    nx = min(max(cx, rect.x), rect.right)
    ny = min(max(cy, rect.y), rect.bottom)
    return (cx - nx) ** 2 + (cy - ny) ** 2 < (r + margin) ** 2


def shape_overlaps(shape: FillBox, rect: Rect, margin: float = 0.0) -> bool:
    round_shape = shape.radius >= min(shape.rect.w, shape.rect.h) / 2 - 0.5
    return circle_overlaps(shape.rect, rect, margin) if round_shape else overlaps(shape.rect, rect, margin)


@dataclass(frozen=True, slots=True)
class Overlap:
    ornament: str
    field: str


def ornaments_over_content(page: Page) -> list[Overlap]:
    """Ornaments (theme shapes) that touch text, pictures or the chrome."""
    out = []
    targets = [
        b
        for b in page.boxes
        if not _ornament(b)
        and (isinstance(b, (TextBox, ImageBox, QRBox)) or (isinstance(b, FillBox) and is_visible(b)))
    ]
    for shape in (b for b in page.boxes if isinstance(b, FillBox) and _ornament(b)):
        for box in targets:
            rects = line_rects(box) if isinstance(box, TextBox) else [box.rect]
            if any(shape_overlaps(shape, r) for r in rects):
                out.append(Overlap(shape.field, getattr(box, "field", "")))
                break
    return out


def photo_light(page: Page) -> float | None:
    """The share of a full-bleed photo that keeps at least BRIGHT of its brightness under the
    scrims laid over it (None when the page has no such photo)."""
    photo = next(
        (
            b
            for b in page.boxes
            if isinstance(b, FillBox)
            and isinstance(b.paint, ImageFill)
            and b.rect.w >= page.width
            and b.rect.h >= page.height
        ),
        None,
    )
    if photo is None:
        return None
    scrims = [b for b in page.boxes if isinstance(b, FillBox) and isinstance(b.paint, Scrim)]
    rows = 200
    kept = 0
    for i in range(rows):
        y = (i + 0.5) * page.height / rows
        light = 1.0
        for box in scrims:
            light *= 1.0 - scrim_alpha(box, y)
        kept += light >= BRIGHT
    return kept / rows


def profile_alpha(profile: tuple[int, ...], share: float) -> float:
    """A scrim profile's opacity (0..1) at `share` of its height: linear between band middles."""
    n = len(profile)
    x = min(n - 1.0, max(0.0, share * n - 0.5))
    i = min(n - 2, int(x)) if n > 1 else 0
    if n == 1:
        return profile[0] / 255
    f = x - i
    return (profile[i] * (1 - f) + profile[i + 1] * f) / 255


def scrim_alpha(box: FillBox, y: float) -> float:
    """A scrim's opacity (0..1) at canvas row y, as paint draws it (a smoothstep ramp)."""
    paint = box.paint
    assert isinstance(paint, Scrim)
    if not box.rect.y <= y < box.rect.bottom or box.rect.h <= 0:
        return 0.0
    share = (y - box.rect.y) / box.rect.h
    if paint.profile:
        return profile_alpha(paint.profile, share)
    if paint.upward:
        share = 1.0 - share
    t = min(1.0, max(0.0, (share - paint.start) / max(1e-6, paint.end - paint.start)))
    return paint.color[3] / 255 * t * t * (3 - 2 * t)
