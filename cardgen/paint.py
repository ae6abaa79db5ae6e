"""Page → PIL image. The only stage that draws; it reads positions and never measures.

Glyphs are drawn one cluster at a time at the x that HarfBuzz gave, so what was measured is what
is drawn, with kerning, on any machine (Pillow's own layout engine is not used for positioning).
Glyph masks are cached per (font, size, cluster, quarter-pixel phase); color emoji are the font's
PNG strike, scaled once per (glyph, size).
"""

from __future__ import annotations

import functools
import io
import math
from pathlib import Path

from PIL import Image, ImageFont, ImageOps

from cardgen.errors import AssetError, Where
from cardgen.fonts import load_face
from cardgen.page import RGBA, FillBox, ImageBox, ImageFill, LinearGradient, Page, Paint, PlacedGlyph, Rect, Solid, TextBox

SUBPIXEL = 4  # horizontal glyph phases: quarter pixels
SUPERSAMPLE = 4  # for anti-aliased rounded shapes


def paint_page(page: Page) -> Image.Image:
    canvas = background_image(page.width, page.height, page.background).copy()
    for box in page.boxes:
        if isinstance(box, FillBox):
            paint_fill(canvas, box)
        elif isinstance(box, ImageBox):
            paint_image(canvas, box)
        elif isinstance(box, TextBox):
            for line in box.lines:
                for glyph in line.glyphs:
                    paint_glyph(canvas, glyph)
    return canvas


@functools.lru_cache(maxsize=16)
def background_image(width: int, height: int, paint: Paint) -> Image.Image:
    if isinstance(paint, Solid):
        return Image.new("RGB", (width, height), paint.color[:3])
    if isinstance(paint, LinearGradient):
        return linear_gradient(width, height, paint)
    return cover_image(paint.path, width, height, darken=paint.darken)


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
    stops = paint.stops
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


def paint_fill(canvas: Image.Image, box: FillBox) -> None:
    rect = box.rect
    x0, y0 = math.floor(rect.x), math.floor(rect.y)
    x1, y1 = math.ceil(rect.right), math.ceil(rect.bottom)
    if x1 <= x0 or y1 <= y0:
        return
    if isinstance(box.paint, Solid):
        fill: Image.Image | tuple[int, ...] = box.paint.color[:3]
        alpha = box.paint.color[3]
    else:
        fill = background_image(x1 - x0, y1 - y0, box.paint)
        alpha = 255
    mask = rounded_mask(x1 - x0, y1 - y0, box.radius, rect.x - x0, rect.y - y0, rect.w, rect.h)
    if alpha < 255:
        mask = mask.point(lambda v: v * alpha // 255)
    canvas.paste(fill, (x0, y0, x1, y1), mask)


@functools.lru_cache(maxsize=256)
def rounded_mask(width: int, height: int, radius: float, ox: float = 0, oy: float = 0,
                 w: float | None = None, h: float | None = None) -> Image.Image:
    """An anti-aliased rounded-rectangle mask (drawn 4× larger, then reduced)."""
    from PIL import ImageDraw

    s = SUPERSAMPLE
    w = width if w is None else w
    h = height if h is None else h
    big = Image.new("L", (width * s, height * s), 0)
    ImageDraw.Draw(big).rounded_rectangle(
        (ox * s, oy * s, (ox + w) * s - 1, (oy + h) * s - 1), radius=max(0.0, radius * s), fill=255
    )
    return big.reduce(s)


def paint_image(canvas: Image.Image, box: ImageBox) -> None:
    rect = box.rect
    x0, y0 = round(rect.x), round(rect.y)
    w, h = round(rect.w), round(rect.h)
    if w <= 0 or h <= 0:
        return
    picture = cover_image(box.path, w, h, focus=box.focus)
    canvas.paste(picture, (x0, y0), rounded_mask(w, h, box.radius) if box.radius else None)


@functools.lru_cache(maxsize=32)
def cover_image(path: Path, width: int, height: int, focus: tuple[float, float] = (0.5, 0.5), darken: float = 0.0) -> Image.Image:
    """Scale and crop an image to fill width×height around the focal point (CSS object-fit: cover)."""
    try:
        with Image.open(path) as raw:
            image = ImageOps.exif_transpose(raw).convert("RGB")
    except FileNotFoundError:
        raise AssetError("image not found", Where(path)) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise AssetError(f"cannot read the image: {exc}", Where(path)) from None
    scale = max(width / image.width, height / image.height)
    size = (max(width, round(image.width * scale)), max(height, round(image.height * scale)))
    image = image.resize(size, Image.Resampling.LANCZOS)
    left = round((size[0] - width) * focus[0])
    top = round((size[1] - height) * focus[1])
    image = image.crop((left, top, left + width, top + height))
    if darken > 0:
        image = Image.blend(image, Image.new("RGB", image.size, (0, 0, 0)), darken)
    return image


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


@functools.lru_cache(maxsize=64)
def pil_font(path: Path, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


@functools.lru_cache(maxsize=20000)
def glyph_mask(path: Path, size: float, text: str, phase: int) -> tuple[Image.Image | None, tuple[int, int]]:
    font = pil_font(path, size)
    core, offset = font.getmask2(text, mode="L", anchor="ls", start=(phase / SUBPIXEL, 0))
    if core.size[0] == 0 or core.size[1] == 0:
        return None, offset
    return Image.Image()._new(core), offset


@functools.lru_cache(maxsize=512)
def emoji_tile(path: Path, gid: int, size: float) -> tuple[Image.Image, tuple[float, float]]:
    """The color glyph's bitmap scaled to `size`, and its offset from the pen position and baseline."""
    face = load_face(path)
    font = face.hb_font
    blob = font.get_glyph_color_png(gid)
    extents = font.get_glyph_extents(gid)
    scale = size / face.upem
    if not blob or extents is None:
        return Image.new("RGBA", (1, 1)), (0.0, 0.0)
    with Image.open(io.BytesIO(bytes(blob.data))) as raw:
        bitmap = raw.convert("RGBA")
    w = max(1, round(extents.width * scale))
    h = max(1, round(-extents.height * scale))
    tile = bitmap.resize((w, h), Image.Resampling.LANCZOS)
    return tile, (extents.x_bearing * scale, -extents.y_bearing * scale)
