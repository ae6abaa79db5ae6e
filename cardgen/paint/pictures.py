"""Picture files → decoded, upright sRGB images, checked on the way; and what layout needs to know
of a picture before painting (its size, a photo's brightness profile).

Every way a file can lie is an `AssetError` naming the file (see `load_image`). Decoded pictures
and the pictures scaled from them are kept in memory up to their byte budgets (`DECODED`,
`DERIVED`, see `cardgen.base.caches`).
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, ImageOps

from cardgen.base import png
from cardgen.base.caches import MB, Budget, cached, image_bytes, memo
from cardgen.base.files import NotRegularFile, open_regular, read_at_most
from cardgen.model.limits import DEFAULT_LIMITS, Limits
from cardgen.model.problems import AssetError, Where

# What each cache of pixels may hold (see `cardgen.base.caches`): ~500 MB in all, whatever the deck.
DECODED = Budget("decoded pictures", 192 * MB)  # one 40 MP photo is 160 MB decoded
DERIVED = Budget("scaled pictures and backgrounds", 128 * MB)  # a 4096×4096 canvas is 64 MB

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


@cached(DERIVED, image_bytes)
def contain_image(path: Path, width: int, height: int, limits: Limits = DEFAULT_LIMITS) -> Image.Image:
    """Scale an image (keeping its transparency) to fit inside width×height (object-fit: contain)."""
    image = load_image(path, limits, alpha=True)
    scale = min(width / image.width, height / image.height)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


@cached(DERIVED, image_bytes)
def cover_image(
    path: Path,
    width: int,
    height: int,
    focus: tuple[float, float] = (0.5, 0.5),
    darken: float = 0.0,
    limits: Limits = DEFAULT_LIMITS,
) -> Image.Image:
    """Scale and crop an image to fill width×height around the focal point (CSS object-fit: cover).

    A picture with transparency stays RGBA (Pillow resamples it premultiplied: no dark fringe),
    for the painter to lay over what is behind it; `darken` veils its colours, not its alpha.
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
        veiled = Image.blend(image.convert("RGB"), Image.new("RGB", image.size, (0, 0, 0)), darken)
        if image.mode == "RGBA":
            veiled.putalpha(image.getchannel("A"))
        image = veiled
    return image


def flatten(image: Image.Image, under: tuple[int, ...] | Image.Image) -> Image.Image:
    """An RGBA picture laid over an opaque colour, or an opaque RGB image of its size (left as it
    is) → a new RGB image; an RGB picture is returned as it is."""
    if image.mode != "RGBA":
        return image
    flat = under.copy() if isinstance(under, Image.Image) else Image.new("RGB", image.size, under[:3])
    flat.paste(image, (0, 0), image)
    return flat


PHOTO_ROWS = 64  # a photo's brightness grid: this many bands from top to bottom
PHOTO_COLUMNS = 32  # … and this many cells across each band


@memo(32, files=True)
def photo_rows(
    path: Path, width: int, height: int, focus: tuple[float, float] = (0.5, 0.5), limits: Limits = DEFAULT_LIMITS
) -> tuple[tuple[float, ...], ...]:
    """The relative luminance (0..1, WCAG's) of a photo as it fills a width×height card, averaged
    over a grid of PHOTO_ROWS bands by PHOTO_COLUMNS cells: what a scrim over it must darken for
    white text to read, judged under the text's own cells (a line beside the sun is not judged on
    the sun). The photo is the one painting uses (`cover_image` is cached); what shows through a
    transparent one is not known here: counted as white, the worst case."""
    photo = cover_image(path, width, height, focus, limits=limits)
    if photo.mode == "RGBA":
        photo = flatten(photo, (255, 255, 255))
    grid = photo.convert("L").resize((PHOTO_COLUMNS, PHOTO_ROWS), Image.Resampling.BOX)
    values = grid.tobytes()
    return tuple(
        tuple(_linear(v / 255) for v in values[r * PHOTO_COLUMNS : (r + 1) * PHOTO_COLUMNS]) for r in range(PHOTO_ROWS)
    )


def _linear(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


@cached(DECODED, image_bytes)  # decoded photos are large: the budget keeps only the few in use
def load_image(path: Path, limits: Limits = DEFAULT_LIMITS, alpha: bool = False) -> Image.Image:
    """An image file → an sRGB image, decoded and upright: RGB when the picture is opaque, RGBA
    when it has transparency (or always RGBA, with `alpha`).

    EXIF orientation is applied, and an embedded ICC profile (Display P3 from a phone, Adobe RGB
    from a camera) is converted to sRGB, the space PNG viewers and VK/Telegram assume.

    Every way a file can lie is an `AssetError` naming the file: not an image, an image in a format
    other than PNG, JPEG, WebP or GIF (whatever its name says), truncated, a bad checksum, larger
    than `limits.image_bytes` on disk or `limits.image_pixels` decoded (a decompression bomb),
    not a regular file (a FIFO would block the read). Handled, not refused: animated GIF/PNG/WebP use their first frame;
    palette, grey, grey+alpha, CMYK and 16-bit images are converted to 8-bit RGB, or RGBA when
    some pixel is not opaque: transparency is kept, never dropped (the color stored under a
    transparent pixel is often black, and a logo's corners would show it). A picture whose alpha
    is opaque everywhere is RGB, decoded exactly as an opaque one.
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
                image = _to_rgba(upright) if alpha or _may_be_transparent(upright) else _to_rgb(upright)
                if not alpha and image.mode == "RGBA" and not is_transparent(image):
                    image = image.convert("RGB")  # alpha 255 everywhere: an opaque picture
                return to_srgb(image, icc) if icc else image
    except AssetError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AssetError(
            f"the image is too large (a decompression bomb?); at most {limits.image_pixels} pixels are allowed",
            Where(path),
        ) from None
    except Image.UnidentifiedImageError:
        found = other_format(data)
        if found:
            raise AssetError(
                f"the file is in {found} format, whatever its name says; cardgen reads PNG, JPEG, "
                "WebP and GIF only: save it as PNG or JPEG",
                Where(path),
            ) from None
        raise AssetError(
            "not an image file (or a format cardgen cannot read); use PNG, JPEG or WebP", Where(path)
        ) from None
    except MemoryError:
        raise AssetError("the image needs more memory than is available to decode", Where(path)) from None
    except Exception as exc:  # Pillow reports a damaged file in many ways (OSError, SyntaxError, struct.error…)
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


def is_transparent(image: Image.Image) -> bool:
    """Whether some pixel of an RGBA picture is not fully opaque (an alpha channel that is 255
    everywhere, as many exported PNGs have, is not transparency)."""
    if image.mode != "RGBA":
        return False
    low = image.getchannel("A").getextrema()[0]  # one channel: (least, most)
    return isinstance(low, (int, float)) and low < 255


def _may_be_transparent(image: Image.Image) -> bool:
    """Whether a decoded picture has an alpha channel or a transparent colour (PNG's tRNS, GIF's)."""
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


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
    return image if image.mode == "RGB" else image.convert("RGB")


def _too_long_a_side(width: int, height: int) -> str:
    return (
        f"the image is {width}×{height} px; a side longer than {MAX_IMAGE_SIDE} px is not read (each row "
        f"costs memory however narrow it is: a 1×40000000 strip took over a gigabyte); crop it, or scale it "
        f"so that neither side is longer than {MAX_IMAGE_SIDE} px"
    )


def _too_many_pixels(width: int, height: int, limits: Limits) -> str:
    return f"the image is {width}×{height} = {width * height} pixels; at most {limits.image_pixels} are allowed"


def _reason(exc: BaseException) -> str:
    text = str(exc).split("\n")[0][:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def damage_message(exc: BaseException, data: bytes) -> str:
    """Why a picture could not be decoded, in plain words: what was expected and what was found,
    never the decoder's class names or internals (`ValueError: invalid palette size`)."""
    text = str(exc)
    kind = _format_name(data)
    if "palette" in text.lower():
        colors = _png_palette_colors(data)
        found = f"holds {colors} colors" if colors is not None else "has a wrong size"
        return f"the {kind} file is damaged: its color palette {found}; a palette holds 1 to 256 colors"
    if "MAX_TEXT_CHUNK" in text or "MAX_TEXT_MEMORY" in text or "text chunk" in text.lower():
        return (
            f"the {kind} file holds metadata (a text or color-profile chunk) that unpacks to more than 1 MB "
            "(a decompression bomb?); save the picture again without its metadata"
        )
    if "truncated" in text.lower():
        return f"the {kind} file is truncated: it ends before its picture data does"
    return f"the {kind} file is damaged: its picture data cannot be decoded"


def _format_name(data: bytes) -> str:
    """ "PNG", "JPEG", "WebP", "GIF" from a file's first bytes, or "image"."""
    if png.is_png(data):
        return "PNG"
    if data.startswith(b"\xff\xd8"):
        return "JPEG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    return "image"


def _png_palette_colors(data: bytes) -> int | None:
    """How many colors a PNG's PLTE chunk holds (None when there is no such chunk to read)."""
    return next((chunk.length // 3 for chunk in png.chunks(data) if chunk.kind == b"PLTE"), None)
