"""Page → PIL image. The only stage that draws; it reads positions and never measures.

Glyphs are drawn one cluster at a time at the x that HarfBuzz gave, so what was measured is what
is drawn, with kerning, on any machine (Pillow's own layout engine is not used for positioning).
Glyph masks are cached per (font, size, cluster, quarter-pixel phase); color emoji are the font's
PNG strike, scaled once per (glyph, size).

Memory is bounded whatever the canvas: every cache of pixels (glyph masks, emoji tiles, decoded
pictures, scaled pictures and backgrounds, shape masks) holds at most its byte budget
(`cardgen.base.caches`), a shape is drawn only where it meets the canvas, and a large one with
less supersampling (`SUPERSAMPLED_PIXELS`).
"""

from __future__ import annotations

from dataclasses import replace
import io
import math
from pathlib import Path
from typing import cast

from PIL import Image, ImageChops, ImageFont

from cardgen.base.caches import Budget, MB, cached, image_bytes, memo
from cardgen.base.pattern_code import regex_compile
from cardgen.model.problems import FontError, Where
from cardgen.load.fonts import load_face
from cardgen.model.limits import DEFAULT_LIMITS, Limits
from cardgen.paint.pictures import DERIVED, contain_image, cover_image, flatten
from cardgen.layout.composition import profile_alpha
from cardgen.model.page import (
    RGBA,
    FillBox,
    ImageBox,
    LinearGradient,
    Page,
    Paint,
    PlacedGlyph,
    QRBox,
    RadialGradient,
    Scrim,
    Solid,
    TextBox,
)

SUBPIXEL = 4  # horizontal glyph phases: quarter pixels
# A transparent picture in a round crop (a logo as an avatar) is set inside the circle: its
# bounding square this share of the diameter (1/√2 ≈ 0.707 touches the circle), a small margin in.
LOGO_INSET = 0.68
SUPERSAMPLE = 4  # for anti-aliased rounded shapes
# A shape's mask is drawn this many pixels large at most: 4× supersampling up to ~2000×2000 visible
# pixels, 2× up to the whole of a 4096×4096 canvas, then 1× (a raised canvas_side limit).
SUPERSAMPLED_PIXELS = 72_000_000
# What each cache of pixels may hold (see `cardgen.base.caches`): ~500 MB in all, whatever the deck
# (and paint.pictures: the decoded and the scaled pictures).
MASKS = Budget("shape and scrim masks", 48 * MB)
GLYPHS = Budget("glyph masks", 48 * MB)
EMOJI = Budget("emoji tiles", 48 * MB)  # a 1100 px emoji tile is 5 MB


def paint_page(page: Page, limits: Limits = DEFAULT_LIMITS) -> Image.Image:
    """`limits`: the image file size and pixel limits for the page's pictures."""
    decor = _decor(page.boxes)
    if isinstance(page.background, Solid) and not decor:
        # A plain colour is filled faster than a kept canvas is copied, and nothing is kept: a
        # cached one held 5.8 MB (at 1080×1350) for the whole render, at its peak too (issue 17).
        canvas = _filled(page.width, page.height, page.background.color)
    else:
        canvas = decorated_background(page.width, page.height, page.background, decor, limits).copy()
    for box in page.boxes[len(decor) :]:
        if isinstance(box, FillBox):
            paint_fill(canvas, box, limits)
        elif isinstance(box, ImageBox):
            paint_image(canvas, box, limits)
        elif isinstance(box, QRBox):
            paint_qr(canvas, box)
        elif isinstance(box, TextBox):
            for line in box.lines:
                for glyph in line.glyphs:
                    paint_glyph(canvas, glyph)
    return canvas


def _decor(boxes: tuple) -> tuple[FillBox, ...]:
    """The page's leading plain-colour shapes: the theme's ornaments (see `layouts.ornament`), in
    the same places on most cards, so drawn once for them."""
    count = 0
    for box in boxes:
        if not (
            isinstance(box, FillBox)
            and isinstance(box.paint, Solid)
            and (not box.field or box.field.startswith("ornament"))
        ):
            break
        count += 1
    return tuple(boxes[:count])


@cached(DERIVED, image_bytes)
def decorated_background(
    width: int, height: int, paint: Paint, decor: tuple[FillBox, ...], limits: Limits = DEFAULT_LIMITS
) -> Image.Image:
    """The background with the theme's shapes on it, drawn once for all the cards that share them
    (20 shapes as large as the canvas cost seconds a card)."""
    if not decor:
        return flatten(background_image(width, height, paint, limits), WHITE)
    canvas = flatten(background_image(width, height, paint, limits), WHITE).copy()
    for box in decor:
        paint_fill(canvas, box, limits)
    return canvas


def sample_backdrop(page: Page, points, limits: Limits = DEFAULT_LIMITS) -> list[RGBA]:
    """The colors under `points` on the page painted without its text (for the contrast check)."""
    backdrop = replace(page, boxes=tuple(b for b in page.boxes if not isinstance(b, TextBox)))
    image = paint_page(backdrop, limits)
    out = []
    for x, y in points:
        px = cast(
            tuple[int, ...],
            image.getpixel((min(image.width - 1, max(0, int(x))), min(image.height - 1, max(0, int(y))))),
        )
        out.append((px[0], px[1], px[2], 255))
    return out


@cached(DERIVED, image_bytes)
def background_image(width: int, height: int, paint: Paint, limits: Limits = DEFAULT_LIMITS) -> Image.Image:
    """A paint as a width×height image: RGB, or RGBA for a picture with transparency and nothing
    `under` it (a photo laid over the card: its alpha is pasted with it, see `paint_fill`)."""
    if isinstance(paint, Solid):
        return _filled(width, height, paint.color)
    if isinstance(paint, LinearGradient):
        return linear_gradient(width, height, paint)
    if isinstance(paint, RadialGradient):
        return radial_gradient(width, height, paint)
    if isinstance(paint, Scrim):
        return _filled(width, height, paint.color)
    image = cover_image(paint.path, width, height, focus=paint.focus, darken=paint.darken, limits=limits)
    if image.mode == "RGBA" and paint.under is not None:
        # Transparent parts show the card's own background, under the same veil as the picture
        # (a veil is linear: veiling both, then laying one over the other, is veiling the whole).
        under = flatten(background_image(width, height, paint.under, limits), WHITE)
        if paint.darken > 0:
            under = Image.blend(under, Image.new("RGB", under.size, (0, 0, 0)), paint.darken)
        image = flatten(image, under)
    if paint.blur:
        from PIL import ImageFilter

        if image.mode == "RGBA":  # blurred premultiplied: transparent pixels' hidden colour must not bleed in
            image = image.convert("RGBa").filter(ImageFilter.GaussianBlur(paint.blur)).convert("RGBA")
        else:
            image = image.filter(ImageFilter.GaussianBlur(paint.blur))
    return image


WHITE = (255, 255, 255)  # what shows through a transparent picture when nothing is under it (as in formats._rgb)


def _filled(width: int, height: int, color: RGBA) -> Image.Image:
    """A canvas of one opaque colour (a background's alpha is not drawn: nothing is under it)."""
    return Image.new("RGB", (width, height), color[:3])


def _colorize(ramp: Image.Image, stops: tuple[RGBA, ...], width: int, height: int) -> Image.Image:
    """A 0–255 ramp → colors interpolated between evenly spaced stops, scaled to width×height."""
    luts = []
    for channel in range(3):
        lut = []
        for v in range(256):
            t = v / 255 * (len(stops) - 1)
            i = min(int(t), len(stops) - 2)
            f = t - i
            lut.append(round(stops[i][channel] + (stops[i + 1][channel] - stops[i][channel]) * f))
        luts.append(lut)
    small = Image.merge("RGB", [ramp.point(lut) for lut in luts])
    return small.resize((width, height), Image.Resampling.BICUBIC)


def radial_gradient(width: int, height: int, paint: RadialGradient) -> Image.Image:
    """A radial gradient from `center` outwards; computed at a quarter size like the linear one."""
    w, h = max(2, width // 4), max(2, height // 4)
    cx, cy = paint.center[0] * w, paint.center[1] * h
    reach = paint.radius * math.hypot(w, h)
    ramp = Image.new("L", (w, h))
    ramp.putdata([min(255, round(math.hypot(x - cx, y - cy) / reach * 255)) for y in range(h) for x in range(w)])
    return _colorize(ramp, paint.stops, width, height)


def linear_gradient(width: int, height: int, paint: LinearGradient) -> Image.Image:
    """A CSS-like linear gradient: computed at a quarter size, then smoothly scaled up."""
    w, h = max(2, width // 4), max(2, height // 4)
    angle = math.radians(paint.angle)
    dx, dy = math.sin(angle), -math.cos(angle)  # CSS: 0deg points up, 180deg down
    half = abs(w * dx) / 2 + abs(h * dy) / 2
    ramp = Image.new("L", (w, h))
    ramp.putdata(
        [
            max(0, min(255, round(((x - w / 2) * dx + (y - h / 2) * dy) / (2 * half) * 255 + 127.5)))
            for y in range(h)
            for x in range(w)
        ]
    )
    return _colorize(ramp, paint.stops, width, height)


def paint_fill(canvas: Image.Image, box: FillBox, limits: Limits = DEFAULT_LIMITS) -> None:
    rect = box.rect
    plain = box.radius <= 0 and box.stroke <= 0
    if plain:  # snap to whole pixels: a 2 px rule stays 2 px
        x0, y0, x1, y1 = round(rect.x), round(rect.y), round(rect.right), round(rect.bottom)
        x1, y1 = max(x1, x0 + 1), max(y1, y0 + 1)
    else:
        x0, y0 = math.floor(rect.x), math.floor(rect.y)
        x1, y1 = math.ceil(rect.right), math.ceil(rect.bottom)
    if x1 <= x0 or y1 <= y0:
        return
    if isinstance(box.paint, Solid):
        fill: Image.Image | tuple[int, ...] = box.paint.color[:3]
        alpha = box.paint.color[3]
        if alpha == 0:
            return
        # A solid shape is drawn only where it meets the canvas: a decorative circle may be many
        # times the canvas, and its mask would be too.
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, canvas.width), min(y1, canvas.height)
        if x1 <= x0 or y1 <= y0:
            return
    else:
        fill = background_image(x1 - x0, y1 - y0, box.paint, limits)
        alpha = 255
    if plain:
        # A plain rectangle (a scrim, a photo, a divider) needs no anti-aliased, supersampled mask.
        mask = Image.new("L", (x1 - x0, y1 - y0), 255)
    else:
        mask = rounded_mask(x1 - x0, y1 - y0, box.radius, rect.x - x0, rect.y - y0, rect.w, rect.h, box.stroke)
    if isinstance(box.paint, Scrim):
        fill = box.paint.color[:3]
        ramp = scrim_mask(x1 - x0, y1 - y0, box.paint.start, box.paint.color[3], box.paint.end, box.paint.profile)
        if box.paint.upward:
            ramp = ramp.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
        mask = ImageChops.multiply(mask, ramp)
    elif alpha < 255:
        mask = mask.point(lambda v: v * alpha // 255)
    if isinstance(fill, Image.Image) and fill.mode == "RGBA":  # a picture's transparency shows what is under it
        mask = ImageChops.multiply(mask, fill.getchannel("A"))
    if _inside(canvas, x0, y0, x1, y1):
        canvas.paste(fill, (x0, y0, x1, y1), mask)
    else:  # decorative shapes may run off the canvas: paste the part inside it
        _paste_clipped(canvas, fill, x0, y0, mask)


def _inside(canvas: Image.Image, x0: int, y0: int, x1: int, y1: int) -> bool:
    return x0 >= 0 and y0 >= 0 and x1 <= canvas.width and y1 <= canvas.height


def _paste_clipped(
    canvas: Image.Image, fill: Image.Image | tuple[int, ...], x0: int, y0: int, mask: Image.Image
) -> None:
    left, top = max(0, -x0), max(0, -y0)
    right = min(mask.width, canvas.width - x0)
    bottom = min(mask.height, canvas.height - y0)
    if right <= left or bottom <= top:
        return
    crop = (left, top, right, bottom)
    part = fill.crop(crop) if isinstance(fill, Image.Image) else fill
    canvas.paste(part, (x0 + left, y0 + top, x0 + right, y0 + bottom), mask.crop(crop))


@cached(MASKS, image_bytes)
def scrim_mask(
    width: int, height: int, start: float, alpha: int, end: float = 1.0, profile: tuple[int, ...] = ()
) -> Image.Image:
    """Opacity 0 above `start` (a share of the height), an eased ramp up to `alpha` at `end`, then
    flat; or, with a `profile`, the band opacities interpolated row by row."""
    if profile:
        column = [round(255 * profile_alpha(profile, (y + 0.5) / height)) for y in range(height)]
    else:
        column = []
        for y in range(height):
            t = (y / max(1, height - 1) - start) / max(1e-6, end - start)
            t = min(1.0, max(0.0, t))
            column.append(round(alpha * t * t * (3 - 2 * t)))  # smoothstep: no visible band where it starts
    strip = Image.new("L", (1, height))
    strip.putdata(column)
    return strip.resize((width, height))


@cached(MASKS, image_bytes)
def rounded_mask(
    width: int,
    height: int,
    radius: float,
    ox: float = 0,
    oy: float = 0,
    w: float | None = None,
    h: float | None = None,
    stroke: float = 0.0,
) -> Image.Image:
    """An anti-aliased rounded-rectangle mask (drawn 4× larger, then reduced); an outline if `stroke`.

    The mask is width×height px; the shape's box starts at (ox, oy) in it and may run past its
    edges (only the part inside is drawn). A mask so large that 4× would pass SUPERSAMPLED_PIXELS
    is drawn 2× (or 1×) larger instead: memory stays bounded, edges stay smooth enough at that size.
    """
    from PIL import ImageDraw

    s = SUPERSAMPLE
    while s > 1 and width * height * s * s > SUPERSAMPLED_PIXELS:
        s //= 2
    w = width if w is None else w
    h = height if h is None else h
    big = Image.new("L", (width * s, height * s), 0)
    box = (ox * s, oy * s, (ox + w) * s - 1, (oy + h) * s - 1)
    if stroke > 0:
        ImageDraw.Draw(big).rounded_rectangle(
            box, radius=max(0.0, radius * s), outline=255, width=max(1, round(stroke * s))
        )
    else:
        ImageDraw.Draw(big).rounded_rectangle(box, radius=max(0.0, radius * s), fill=255)
    return big.reduce(s)


def paint_qr(canvas: Image.Image, box: QRBox) -> None:
    """Modules as crisp squares: the matrix is scaled up without smoothing, then fitted to the box."""
    import segno

    matrix = segno.make(box.data, error="m", micro=False).matrix
    n = len(matrix)
    side = round(box.rect.w)
    cell = max(1, side // n)
    modules = Image.new("L", (n, n), 0)
    modules.putdata([255 if bit else 0 for row in matrix for bit in row])
    mask = modules.resize((cell * n, cell * n), Image.Resampling.NEAREST)
    offset = (side - cell * n) // 2  # whole pixels per module: center what is left over
    x0, y0 = round(box.rect.x) + offset, round(box.rect.y) + offset
    if box.light is not None:
        canvas.paste(box.light[:3], (x0, y0, x0 + cell * n, y0 + cell * n))
    canvas.paste(box.dark[:3], (x0, y0), mask)


def paint_image(canvas: Image.Image, box: ImageBox, limits: Limits = DEFAULT_LIMITS) -> None:
    rect = box.rect
    x0, y0 = round(rect.x), round(rect.y)
    w, h = round(rect.w), round(rect.h)
    if w <= 0 or h <= 0:
        return
    if box.fit == "contain":
        picture = contain_image(box.path, w, h, limits)
        canvas.paste(picture, (x0 + (w - picture.width) // 2, y0 + (h - picture.height) // 2), picture)
        return
    picture = cover_image(box.path, w, h, focus=box.focus, limits=limits)
    if picture.mode == "RGBA" and 2 * box.radius >= min(w, h) - 1:
        # A round crop of a picture with transparency: a logo (a rounded square, a mark on a clear
        # ground) that the circle would cut into an octagon. It is set whole inside the circle
        # instead, its bounding square inscribed with a small margin, on whatever is under it;
        # an opaque picture (a photo portrait) fills the circle.
        side = max(1, round(min(w, h) * LOGO_INSET))
        logo = contain_image(box.path, side, side, limits)
        canvas.paste(logo, (x0 + (w - logo.width) // 2, y0 + (h - logo.height) // 2), logo)
        return
    mask = rounded_mask(w, h, box.radius) if box.radius else None
    if picture.mode == "RGBA":  # transparent parts show what is under them (an avatar's corners: the card)
        mask = picture.getchannel("A") if mask is None else ImageChops.multiply(mask, picture.getchannel("A"))
    canvas.paste(picture, (x0, y0), mask)


def paint_glyph(canvas: Image.Image, glyph: PlacedGlyph) -> None:
    if glyph.emoji:
        tile, (dx, dy) = emoji_tile(glyph.font, glyph.gid, round(glyph.size * 4) / 4)
        x = round(glyph.x + dx)
        y = round(glyph.y + dy)
        canvas.paste(tile, (x, y), tile)
        return
    x_int = math.floor(glyph.x)
    phase = round((glyph.x - x_int) * SUBPIXEL)
    if phase == SUBPIXEL:
        x_int, phase = x_int + 1, 0
    mask, (ox, oy) = glyph_mask(glyph.font, glyph.size, glyph.text, phase)
    if mask is None:
        return
    color = glyph.color
    if color[3] < 255:
        mask = mask.point(lambda v: v * color[3] // 255)
    canvas.paste(color[:3], (x_int + ox, round(glyph.y) + oy), mask)


@memo(64, files=True)
def pil_font(path: Path, size: float) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)
    except OSError as exc:  # FreeType refuses a file HarfBuzz accepted (a damaged table)
        raise FontError(f"cannot read the font file: {exc}", Where(path)) from None


# Characters with no ink of their own (zero-width space and joiners, the soft hyphen, word
# joiner, BOM, bidi controls, variation selectors…): HarfBuzz gives them no width, but a font that
# lacks them would draw its missing-glyph box for them, and one that has the soft hyphen a hyphen.
_INVISIBLE = regex_compile(r"\p{Default_Ignorable_Code_Point}")


@cached(GLYPHS, image_bytes)
def glyph_mask(path: Path, size: float, text: str, phase: int) -> tuple[Image.Image | None, tuple[int, int]]:
    text = _INVISIBLE.sub("", text)
    if not text:
        return None, (0, 0)
    font = pil_font(path, size)
    core, offset = font.getmask2(text, mode="L", anchor="ls", start=(phase / SUBPIXEL, 0))
    if core.size[0] == 0 or core.size[1] == 0:
        return None, offset
    return Image.Image()._new(core), offset


@cached(EMOJI, image_bytes)
def emoji_tile(path: Path, gid: int, size: float) -> tuple[Image.Image, tuple[float, float]]:
    """The color glyph's bitmap scaled to `size`, and its offset from the pen position and baseline."""
    face = load_face(path)
    font = face.hb_font
    blob = font.get_glyph_color_png(gid)
    extents = font.get_glyph_extents(gid)
    scale = size / face.upem
    if not blob or extents is None:
        return Image.new("RGBA", (1, 1)), (0.0, 0.0)
    with Image.open(io.BytesIO(bytes(blob.data)), formats=("PNG",)) as raw:  # CBDT strikes are PNG
        bitmap = raw.convert("RGBA")
    w = max(1, round(extents.width * scale))
    h = max(1, round(-extents.height * scale))
    tile = bitmap.resize((w, h), Image.Resampling.LANCZOS)
    return tile, (extents.x_bearing * scale, -extents.y_bearing * scale)
