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
import warnings
from pathlib import Path

from PIL import Image, ImageChops, ImageFont, ImageOps

from cardgen.base import png
from cardgen.base.caches import Budget, MB, cached, image_bytes, memo
from cardgen.model.problems import AssetError, FontError, Where
from cardgen.base.files import NotRegularFile, open_regular, read_at_most
from cardgen.load.fonts import load_face
from cardgen.model.limits import DEFAULT_LIMITS, Limits
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
SUPERSAMPLE = 4  # for anti-aliased rounded shapes
# A shape's mask is drawn this many pixels large at most: 4× supersampling up to ~2000×2000 visible
# pixels, 2× up to the whole of a 4096×4096 canvas, then 1× (a raised canvas_side limit).
SUPERSAMPLED_PIXELS = 72_000_000
# What each cache of pixels may hold (see `cardgen.base.caches`): ~500 MB in all, whatever the deck.
DECODED = Budget("decoded pictures", 192 * MB)  # one 40 MP photo is 160 MB decoded
DERIVED = Budget("scaled pictures and backgrounds", 128 * MB)  # a 4096×4096 canvas is 64 MB
MASKS = Budget("shape and scrim masks", 48 * MB)
GLYPHS = Budget("glyph masks", 48 * MB)
EMOJI = Budget("emoji tiles", 48 * MB)  # a 1100 px emoji tile is 5 MB

# Pillow's own decompression-bomb guard, at our limit: it warns above it and refuses above twice
# it. `load_image` sets it to the limit in use, turns the warning into an error and checks the
# header size itself too.
Image.MAX_IMAGE_PIXELS = DEFAULT_LIMITS.image_pixels
# The longest side a picture may have, whatever its pixel count: Pillow keeps a pointer (and
# padding) for every row, so a 1×40 000 000 strip, 40 MP like a photo, decoded into gigabytes.
MAX_IMAGE_SIDE = 32_768
# The decoders a user's picture may reach (GIF for its first frame, as the README says). Pillow
# would otherwise try every plugin it has: TIFF, BMP, PSD, or EPS, which runs Ghostscript.
IMAGE_FORMATS = ("PNG", "JPEG", "WEBP", "GIF")


def paint_page(page: Page, limits: Limits = DEFAULT_LIMITS) -> Image.Image:
    """`limits`: the image file size and pixel limits for the page's pictures."""
    decor = _decor(page.boxes)
    canvas = decorated_background(page.width, page.height, page.background, decor, limits).copy()
    for box in page.boxes[len(decor):]:
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
        if not (isinstance(box, FillBox) and isinstance(box.paint, Solid)
                and (not box.field or box.field.startswith("ornament"))):
            break
        count += 1
    return tuple(boxes[:count])


@cached(DERIVED, image_bytes)
def decorated_background(width: int, height: int, paint: Paint, decor: tuple[FillBox, ...],
                         limits: Limits = DEFAULT_LIMITS) -> Image.Image:
    """The background with the theme's shapes on it, drawn once for all the cards that share them
    (20 shapes as large as the canvas cost seconds a card)."""
    if not decor:
        return background_image(width, height, paint, limits)
    canvas = background_image(width, height, paint, limits).copy()
    for box in decor:
        paint_fill(canvas, box, limits)
    return canvas


def sample_backdrop(page: Page, points, limits: Limits = DEFAULT_LIMITS) -> list[RGBA]:
    """The colors under `points` on the page painted without its text (for the contrast check)."""
    backdrop = replace(page, boxes=tuple(b for b in page.boxes if not isinstance(b, TextBox)))
    image = paint_page(backdrop, limits)
    out = []
    for x, y in points:
        px = image.getpixel((min(image.width - 1, max(0, int(x))), min(image.height - 1, max(0, int(y)))))
        out.append((px[0], px[1], px[2], 255))
    return out


@cached(DERIVED, image_bytes)
def background_image(width: int, height: int, paint: Paint, limits: Limits = DEFAULT_LIMITS) -> Image.Image:
    if isinstance(paint, Solid):
        return Image.new("RGB", (width, height), paint.color[:3])
    if isinstance(paint, LinearGradient):
        return linear_gradient(width, height, paint)
    if isinstance(paint, RadialGradient):
        return radial_gradient(width, height, paint)
    if isinstance(paint, Scrim):
        return Image.new("RGB", (width, height), paint.color[:3])
    image = cover_image(paint.path, width, height, focus=paint.focus, darken=paint.darken, limits=limits)
    if paint.blur:
        from PIL import ImageFilter

        image = image.filter(ImageFilter.GaussianBlur(paint.blur))
    return image


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
    ramp.putdata(
        [min(255, round(math.hypot(x - cx, y - cy) / reach * 255)) for y in range(h) for x in range(w)]
    )
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
    if _inside(canvas, x0, y0, x1, y1):
        canvas.paste(fill, (x0, y0, x1, y1), mask)
    else:  # decorative shapes may run off the canvas: paste the part inside it
        _paste_clipped(canvas, fill, x0, y0, mask)


def _inside(canvas: Image.Image, x0: int, y0: int, x1: int, y1: int) -> bool:
    return x0 >= 0 and y0 >= 0 and x1 <= canvas.width and y1 <= canvas.height


def _paste_clipped(canvas: Image.Image, fill: Image.Image | tuple[int, ...], x0: int, y0: int, mask: Image.Image) -> None:
    left, top = max(0, -x0), max(0, -y0)
    right = min(mask.width, canvas.width - x0)
    bottom = min(mask.height, canvas.height - y0)
    if right <= left or bottom <= top:
        return
    crop = (left, top, right, bottom)
    part = fill.crop(crop) if isinstance(fill, Image.Image) else fill
    canvas.paste(part, (x0 + left, y0 + top, x0 + right, y0 + bottom), mask.crop(crop))


@cached(MASKS, image_bytes)
def scrim_mask(width: int, height: int, start: float, alpha: int, end: float = 1.0,
               profile: tuple[int, ...] = ()) -> Image.Image:
    """Opacity 0 above `start` (a share of the height), an eased ramp up to `alpha` at `end`, then
    flat; or, with a `profile`, the band opacities interpolated row by row."""
    if profile:
        from cardgen.layout.composition import profile_alpha

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
def rounded_mask(width: int, height: int, radius: float, ox: float = 0, oy: float = 0,
                 w: float | None = None, h: float | None = None, stroke: float = 0.0) -> Image.Image:
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
        ImageDraw.Draw(big).rounded_rectangle(box, radius=max(0.0, radius * s), outline=255, width=max(1, round(stroke * s)))
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
    canvas.paste(picture, (x0, y0), rounded_mask(w, h, box.radius) if box.radius else None)


@cached(DERIVED, image_bytes)
def contain_image(path: Path, width: int, height: int, limits: Limits = DEFAULT_LIMITS) -> Image.Image:
    """Scale an image (keeping its transparency) to fit inside width×height (object-fit: contain)."""
    image = load_image(path, limits, alpha=True)
    scale = min(width / image.width, height / image.height)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


@cached(DERIVED, image_bytes)
def cover_image(path: Path, width: int, height: int, focus: tuple[float, float] = (0.5, 0.5), darken: float = 0.0,
                limits: Limits = DEFAULT_LIMITS) -> Image.Image:
    """Scale and crop an image to fill width×height around the focal point (CSS object-fit: cover).

    Only the part of the picture that shows is resampled (Pillow's `box`): scaling the whole
    picture first would make a 1×3000 px strip covering a 1080 px card a 1080×3 240 000 image.
    """
    image = load_image(path, limits)
    scale = max(width / image.width, height / image.height)
    # The visible part, in the picture's pixels (clamped: float rounding must not step outside).
    shown_w, shown_h = min(image.width, width / scale), min(image.height, height / scale)
    left = max(0.0, (image.width - shown_w) * focus[0])
    top = max(0.0, (image.height - shown_h) * focus[1])
    image = image.resize((width, height), Image.Resampling.LANCZOS, box=(left, top, left + shown_w, top + shown_h))
    if darken > 0:
        image = Image.blend(image, Image.new("RGB", image.size, (0, 0, 0)), darken)
    return image


PHOTO_ROWS = 64  # a photo's brightness profile: this many bands from top to bottom


@memo(32, files=True)
def photo_rows(path: Path, width: int, height: int, focus: tuple[float, float] = (0.5, 0.5),
               limits: Limits = DEFAULT_LIMITS) -> tuple[float, ...]:
    """The brightest relative luminance (0..1, WCAG's) in each of PHOTO_ROWS bands of a photo as it
    fills a width×height card: what a scrim over it must darken for white text to read. The
    photo is the one painting uses (`cover_image` is cached), reduced to a 32-column grid."""
    grid = cover_image(path, width, height, focus, limits=limits).convert("L").resize(
        (32, PHOTO_ROWS), Image.Resampling.BOX)
    values = grid.tobytes()
    return tuple(_linear(max(values[r * 32:(r + 1) * 32]) / 255) for r in range(PHOTO_ROWS))


def _linear(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


@cached(DECODED, image_bytes)  # decoded photos are large: the budget keeps only the few in use
def load_image(path: Path, limits: Limits = DEFAULT_LIMITS, alpha: bool = False) -> Image.Image:
    """An image file → an sRGB RGB (or, with `alpha`, RGBA) image, decoded and upright.

    EXIF orientation is applied, and an embedded ICC profile (Display P3 from a phone, Adobe RGB
    from a camera) is converted to sRGB, the space PNG viewers and VK/Telegram assume.

    Every way a file can lie is an `AssetError` naming the file: not an image, an image in a format
    other than PNG, JPEG, WebP or GIF (whatever its name says), truncated, a bad checksum, larger
    than `limits.image_bytes` on disk or `limits.image_pixels` decoded (a decompression bomb),
    not a regular file (a FIFO would block the read). Handled, not refused: animated GIF/PNG/WebP use their first frame;
    palette, grey, grey+alpha, CMYK and 16-bit images are converted to 8-bit RGB; transparency
    is dropped (the color under transparent pixels shows), as before.
    """
    data = _read_bounded(path, limits.image_bytes)
    damage = png_damage(data)
    if damage:
        raise AssetError(f"the PNG file is damaged: {damage}", Where(path))
    # Pillow's guard follows a raised limit; a lowered one is checked below, with the exact size.
    Image.MAX_IMAGE_PIXELS = max(limits.image_pixels, DEFAULT_LIMITS.image_pixels)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=IMAGE_FORMATS) as raw:
                pixels = raw.width * raw.height
                if pixels > limits.image_pixels:  # checked before anything is decoded
                    raise AssetError(_too_many_pixels(raw.width, raw.height, limits), Where(path))
                if max(raw.width, raw.height) > MAX_IMAGE_SIDE:
                    raise AssetError(_too_long_a_side(raw.width, raw.height), Where(path))
                raw.seek(0)  # an animation: its first frame
                raw.load()  # decode now, inside the try: truncation and bad checksums show here
                icc = raw.info.get("icc_profile")
                upright = ImageOps.exif_transpose(raw)
                image = _to_rgba(upright) if alpha else _to_rgb(upright)
                return to_srgb(image, icc) if icc else image
    except AssetError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AssetError(f"the image is too large (a decompression bomb?); at most {limits.image_pixels} pixels are allowed", Where(path)) from None
    except Image.UnidentifiedImageError:
        found = other_format(data)
        if found:
            raise AssetError(f"the file is in {found} format, whatever its name says; cardgen reads PNG, JPEG, "
                             "WebP and GIF only: save it as PNG or JPEG", Where(path)) from None
        raise AssetError("not an image file (or a format cardgen cannot read); use PNG, JPEG or WebP", Where(path)) from None
    except MemoryError:
        raise AssetError("the image needs more memory than is available to decode", Where(path)) from None
    except Exception as exc:  # Pillow reports a damaged file in many ways (OSError, SyntaxError, struct.error…)
        from cardgen.paint.pictures import damage_message

        raise AssetError(damage_message(exc, data), Where(path)) from None


def _read_bounded(path: Path, most: int) -> bytes:
    """The file's bytes, reading at most `most` + 1: one read, so the size checked is the size decoded."""
    try:
        with open_regular(path) as handle:  # a FIFO or device is refused before it can block
            data = read_at_most(handle, most)
    except FileNotFoundError:
        raise AssetError("image not found", Where(path)) from None
    except NotRegularFile as exc:
        raise AssetError(f"expected an image file, found {exc.kind}", Where(path)) from None
    except (OSError, ValueError) as exc:
        raise AssetError(f"cannot read the image: {getattr(exc, 'strerror', None) or exc}", Where(path)) from None
    if len(data) > most:
        raise AssetError(f"the image file is larger than {most} bytes, the most allowed", Where(path))
    return data


def other_format(data: bytes) -> str | None:
    """The name of the format Pillow would take `data` for ("TIFF", "EPS"…), from its first bytes only.

    Only the plugins' signature tests run (`accept`): nothing is parsed, and no plugin of a format
    cardgen refuses gets to read the file.
    """
    Image.init()
    head = data[:16]
    for name in Image.ID:
        accept = Image.OPEN[name][1]
        try:
            if name not in IMAGE_FORMATS and accept is not None and accept(head):
                return name
        except Exception:  # a signature test that chokes on odd bytes says nothing
            continue
    return None


def png_damage(data: bytes) -> str | None:
    """What is wrong with a PNG's chunk structure, or None (also for files that are not PNG).

    Pillow does not check the checksums of image data chunks; like libpng, a bad checksum in a
    critical chunk (IHDR, PLTE, IDAT, IEND) is refused and one in an ancillary chunk ignored.
    """
    if not png.is_png(data):
        return None
    for chunk in png.chunks(data):
        name = chunk.kind.decode("latin-1")
        if not chunk.whole:
            return f"the file ends inside chunk {name!r} (truncated)"
        if chunk.critical and not chunk.crc_ok(data):
            return f"chunk {name!r} has a wrong checksum (CRC)"
        if chunk.kind == b"IEND":
            return None
    return "the file is truncated (no IEND chunk)"


def to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    """Convert from an embedded ICC profile to sRGB (a broken profile leaves the pixels as they are)."""
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in (ImageCms.getProfileDescription(source) or "").lower().replace(" ", ""):
            return image
        return ImageCms.profileToProfile(image, source, _srgb_profile(), outputMode=image.mode) or image
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


@memo()
def _srgb_profile():
    from PIL import ImageCms

    return ImageCms.createProfile("sRGB")


def _to_rgba(image: Image.Image) -> Image.Image:
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return image if image.mode == "RGBA" else image.convert("RGBA")


def image_size(path: Path) -> tuple[int, int]:
    """An image's upright size without decoding it (for the upscale warning).

    Only the formats `load_image` reads, from a regular file; anything else is an OSError or a
    ValueError here and is reported, with its reason, when the picture is painted.
    """
    with open_regular(path) as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # painting refuses it
        try:
            with Image.open(handle, formats=IMAGE_FORMATS) as raw:
                width, height = raw.size
                # A PNG's EXIF may follow its pixels, and Pillow decodes them all to reach it (a
                # second or two for 40 MP): read only what the header holds.
                header_only = raw.format == "PNG" and "exif" not in raw.info
                orientation = 1 if header_only else raw.getexif().get(0x0112, 1)
        except OSError:
            raise
        except Exception as exc:  # a bomb, or a damaged header (SyntaxError, struct.error…)
            raise ValueError(_reason(exc)) from None
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _to_rgb(image: Image.Image) -> Image.Image:
    """Any Pillow mode → 8-bit RGB (16-bit grey is scaled down, not clipped to white)."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")  # straight to RGB warns about byte transparency
    return image if image.mode == "RGB" else image.convert("RGB")


def _too_long_a_side(width: int, height: int) -> str:
    return (f"the image is {width}×{height} px; a side longer than {MAX_IMAGE_SIDE} px is not read (each row "
            f"costs memory however narrow it is: a 1×40000000 strip took over a gigabyte); crop it, or scale it "
            f"so that neither side is longer than {MAX_IMAGE_SIDE} px")


def _too_many_pixels(width: int, height: int, limits: Limits) -> str:
    return f"the image is {width}×{height} = {width * height} pixels; at most {limits.image_pixels} are allowed"


def _reason(exc: BaseException) -> str:
    text = str(exc).split("\n")[0][:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


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


@cached(GLYPHS, image_bytes)
def glyph_mask(path: Path, size: float, text: str, phase: int) -> tuple[Image.Image | None, tuple[int, int]]:
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
