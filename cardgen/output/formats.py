"""Painted slides (PIL images) → file bytes: PNG, JPEG, WebP, and one multi-page PDF of the deck.

Every encoder is deterministic: the same pixels give the same bytes, with no timestamps, so
re-rendering an unchanged deck changes no file (design.md §3). Settings, chosen on purpose:

- **PNG** (`encode_png`): unfiltered rows at zlib level 3, no metadata but cardgen's mark.
  Untagged PNG is read as sRGB everywhere.
- **The mark**: every file carries the constant tag of `cardgen.output.marks` (PNG `tEXt`, a JPEG
  comment, WebP XMP, the PDF's producer), so cardgen can tell its own files from the user's
  without its cache. It is the same bytes in every file: output stays byte-stable.
- **JPEG**: quality 90, 4:4:4 chroma (no subsampling: 4:2:0 smears coloured text such as the
  accent into its background; it costs ~25 % in size), `optimize` (two-pass Huffman tables,
  lossless, ~5 % smaller), **baseline**, not progressive: progressive saves another ~8 %, but
  a baseline JPEG decodes in every viewer and ad system, and slides of 70–200 KB are far under
  every platform's limit (8–50 MB). Tagged sRGB with an embedded ICC profile (littlecms's
  built-in sRGB, 588 bytes), so colour-managed apps show the theme's colours exactly. Alpha
  (which slides do not have) is flattened onto white.
- **WebP**: lossless by default (method 4): for flat-colour cards it is 3–5× smaller than PNG
  and keeps text exact. `--quality N` makes it lossy at quality N (much smaller for slides with
  photos; text edges get soft below ~80); `lossless=` overrides either way.
- **PDF** (`write_pdf`): one page per slide, each the slide's pixels, lossless: the PNG
  encoder's zlib stream goes into the PDF as-is (FlateDecode with the PNG predictor, the same
  trick as img2pdf), so no JPEG artefacts appear around text. Pages are `0.75 / scale` pt per
  pixel (a 1080×1350 slide is an 810×1012.5 pt page, as a browser prints 1080 CSS px), so
  `--scale 2` keeps the page size and doubles the sharpness. The colour space is ICCBased sRGB;
  the Info dictionary has the title and producer and no dates. Pillow's own PDF writer is not
  used: it re-encodes RGB pages as JPEG and stamps the current time into every file.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

from cardgen.base import png
from cardgen.base.caches import memo
from cardgen.model.names import FORMATS
from cardgen.output.marks import JPEG_COMMENT, MARK, PNG_MARK_CHUNK, PNG_TEXT, WEBP_XMP
from cardgen.base.files import writing

if TYPE_CHECKING:  # Pillow loads when a file is encoded, not when FORMATS is read (the CLI's checks)
    from PIL import Image

Format = Literal["png", "jpeg", "webp", "pdf"]
EXTENSIONS: dict[str, str] = {"png": "png", "jpeg": "jpg", "webp": "webp", "pdf": "pdf"}
JPEG_QUALITY = 90
WEBP_QUALITY = 80  # lossy WebP asked for without a quality (encode(..., lossless=False))
PT_PER_PX = 0.75  # 72 pt per inch / 96 CSS px per inch
PRODUCER = MARK  # cardgen's mark in a PDF (see cardgen.output.marks)
_FIXED_ICC_DATE = struct.pack(">6H", 2024, 1, 1, 0, 0, 0)  # ICC header bytes 24–35
__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "encode",
    "parse_format",
    "pdf_bytes",
    "srgb_profile",
    "write_pdf",
]


PNG_OPTIONS = {"compress_level": 3, "optimize": False}
UNFILTERED_MAX_PIXELS = 4096 * 4096  # the largest canvas the default limits allow (50 MB of rows)
_PNG_COLOR_TYPES = {"L": 0, "RGB": 2, "LA": 4, "RGBA": 6}


def encode_png(image: Image.Image) -> bytes:
    """A slide → PNG bytes with cardgen's mark (see `cardgen.output.marks`) right after `IHDR`.

    8-bit RGB, RGBA, L and LA images are written here: every row unfiltered (PNG filter type 0),
    deflated by Pillow's own zlib at `PNG_OPTIONS["compress_level"]`. Pillow's PNG writer picks
    a filter per row by trying all five, which costs more than the deflate itself and, on flat
    colour and type, gains nothing: on the example and benchmark decks this writes 6–15 % smaller
    files, and a 50-deck batch renders in 9 s instead of 14 (benchmarks/batch.py). The
    rows go through Pillow's "zip" encoder as a palette image (palette rows are not filtered),
    so the bytes depend on the Pillow version only, like Pillow's own writer. Other modes are
    saved by Pillow, and so are images over `UNFILTERED_MAX_PIXELS` (only with a raised
    `canvas_side` limit): this writer holds a packed copy of every row, Pillow's streams them.
    """
    color_type = _PNG_COLOR_TYPES.get(image.mode)
    if color_type is None or image.width * image.height > UNFILTERED_MAX_PIXELS:
        buffer = io.BytesIO()
        image.save(buffer, "PNG", pnginfo=_png_mark(), **PNG_OPTIONS)
        return buffer.getvalue()
    from PIL import Image as PILImage

    width, height = image.size
    # The packed rows, seen as a palette image of one sample per "pixel" (shared, not copied
    # again): Pillow's zip encoder writes palette rows unfiltered.
    rows = PILImage.frombuffer("P", (width * len(image.mode), height), packed_rows(image), "raw", "P", 0, 1)
    data = _deflated(rows)
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return b"".join((png.SIGNATURE, png.chunk(b"IHDR", header), PNG_MARK_CHUNK, png.chunk(b"IDAT", data), png.END))


def packed_rows(image: Image.Image) -> bytes:
    """An 8-bit image's rows, packed (3 bytes a pixel for RGB): `image.tobytes()`, in one buffer.

    `tobytes` gathers the rows in 64 KB pieces and joins them, so for a moment it holds them
    twice: 8.7 MB for a 1080×1350 slide, at the peak of every encode (issue 17). Asking
    Pillow's raw encoder for all of them at once fills one buffer of the exact size. Should it
    stop short (another Pillow), `tobytes` is used."""
    from PIL import Image as PILImage

    image.load()
    size = image.width * image.height * len(image.mode)
    if not size:
        return image.tobytes()
    encoder = PILImage._getencoder(image.mode, "raw", image.mode)
    try:
        encoder.setimage(image.im, (0, 0, *image.size))
        _, status, data = encoder.encode(size)
    finally:
        encoder.cleanup()
    return data if status == 1 and len(data) == size else image.tobytes()


# Pillow's `ImageFile.MAXBLOCK`: the piece size `Image.tobytes` asks its encoders for.
_ENCODER_BLOCK = 65536


def _deflated(rows: Image.Image) -> bytes:
    """`rows.tobytes("zip", "P", False, level, -1, b"")`: the same encoder, arguments and piece
    size, so the same bytes, without importing `PIL.ImageFile` (and with it `logging` and
    `traceback`, ~8 ms of every render's start) only to read the piece size."""
    from PIL import Image as PILImage

    rows.load()
    if not rows.width or not rows.height:
        return b""
    encoder = PILImage._getencoder("P", "zip", ("P", False, PNG_OPTIONS["compress_level"], -1, b""))
    pieces = []
    try:
        encoder.setimage(rows.im, (0, 0, *rows.size))
        block = max(_ENCODER_BLOCK, rows.width * 4)
        while True:
            _, status, data = encoder.encode(block)
            pieces.append(data)
            if status:
                break
    finally:
        encoder.cleanup()
    if status < 0:
        raise RuntimeError(f"PNG deflate failed (Pillow encoder error {status})")
    return b"".join(pieces)


@memo()
def _png_mark():  # -> PIL.PngImagePlugin.PngInfo (Pillow is imported only to encode)
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text(*PNG_TEXT)
    return info


def parse_format(value: str) -> Format:
    """A --format value → a format name ("jpg" is "jpeg"); ValueError lists what is allowed."""
    key = value.strip().lower()
    key = "jpeg" if key == "jpg" else key
    if key not in FORMATS:
        raise ValueError(f'unknown format "{value}"; expected one of {", ".join(FORMATS)}')
    return key  # type: ignore[return-value]


def encode(image: Image.Image, fmt: str, *, quality: int | None = None, lossless: bool | None = None) -> bytes:
    """One slide → file bytes in `fmt` (png, jpeg, webp); see the module doc for the settings.

    `quality` (--quality): JPEG's quality (90 when None); for WebP, a quality makes it lossy at
    that quality, and None keeps it lossless. `lossless` overrides that choice for WebP.
    """
    fmt = parse_format(fmt)
    if quality is not None and not 1 <= quality <= 100:
        raise ValueError(f"{fmt.upper()} quality must be 1–100; found {quality}")
    if fmt == "png":
        return encode_png(image)
    buffer = io.BytesIO()
    if fmt == "jpeg":
        _rgb(image).save(
            buffer,
            "JPEG",
            quality=JPEG_QUALITY if quality is None else quality,
            subsampling=0,
            optimize=True,
            progressive=False,
            icc_profile=srgb_profile(),
            comment=JPEG_COMMENT,
        )
    elif fmt == "webp":
        if lossless if lossless is not None else quality is None:
            image.save(buffer, "WEBP", lossless=True, quality=80, method=4, exact=True, xmp=WEBP_XMP)
        else:
            image.save(buffer, "WEBP", quality=WEBP_QUALITY if quality is None else quality, method=4, xmp=WEBP_XMP)
    else:
        raise ValueError("a PDF holds the whole deck: use write_pdf(images, path)")
    return buffer.getvalue()


@memo()
def srgb_profile() -> bytes:
    """littlecms's built-in sRGB ICC profile, with its creation date fixed so the bytes never change."""
    from PIL import ImageCms  # littlecms: only JPEG, WebP and PDF files carry the profile

    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[24:36] = _FIXED_ICC_DATE  # the header's date; the profile ID (bytes 84–99) is zero: not computed
    return bytes(data)


def write_pdf(images: Iterable[Image.Image], path: Path, *, title: str | None = None, scale: float = 1) -> int:
    """Slides → one PDF at `path`, written to a temporary file beside it and moved into place → pages."""
    with writing(Path(path)) as out:
        return _write_pdf(images, out, title=title, scale=scale)


def pdf_bytes(images: Iterable[Image.Image], *, title: str | None = None, scale: float = 1) -> bytes:
    """Slides → the bytes of one PDF (for tests and callers that write the file themselves)."""
    buffer = io.BytesIO()
    _write_pdf(images, buffer, title=title, scale=scale)
    return buffer.getvalue()


class _PdfWriter:
    """Numbered objects appended to a stream, with their offsets kept for the xref table."""

    def __init__(self, out: BinaryIO | io.BufferedIOBase) -> None:
        self.out = out
        self.pos = 0
        self.offsets: dict[int, int] = {}

    def raw(self, data: bytes) -> None:
        self.out.write(data)
        self.pos += len(data)

    def obj(self, number: int, body: bytes, stream: bytes | None = None) -> None:
        self.offsets[number] = self.pos
        self.raw(b"%d 0 obj\n" % number + body)
        if stream is not None:
            self.raw(b"\nstream\n" + stream + b"\nendstream")
        self.raw(b"\nendobj\n")


def _write_pdf(
    images: Iterable[Image.Image],
    out: BinaryIO | io.BufferedIOBase,
    *,
    title: str | None,
    scale: float,
) -> int:
    # Objects: 1 catalog, 2 page tree (written last: it lists the pages), 3 sRGB profile, 4 info;
    # then three per page (page, content stream, image), so pages can stream from a generator.
    pdf = _PdfWriter(out)
    pdf.raw(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")  # 1.5+ for an ICC v4 profile; binary comment per the spec
    pdf.obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    icc = zlib.compress(srgb_profile(), 9)
    pdf.obj(3, b"<< /N 3 /Alternate /DeviceRGB /Filter /FlateDecode /Length %d >>" % len(icc), icc)
    info = b"<< /Producer " + _pdf_text(PRODUCER) + (b" /Title " + _pdf_text(title) if title else b"") + b" >>"
    pdf.obj(4, info)
    kids: list[int] = []
    pt = PT_PER_PX / scale
    for image in images:
        page, content, xobject = 5 + 3 * len(kids), 6 + 3 * len(kids), 7 + 3 * len(kids)
        width, height = image.size
        w_pt, h_pt = _num(width * pt), _num(height * pt)
        data = _flate_rows(_rgb(image))
        pdf.obj(
            xobject,
            (
                b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace [/ICCBased 3 0 R] "
                b"/BitsPerComponent 8 /Filter /FlateDecode "
                b"/DecodeParms << /Predictor 15 /Colors 3 /BitsPerComponent 8 /Columns %d >> /Length %d >>"
            )
            % (width, height, width, len(data)),
            data,
        )
        draw = b"q %s 0 0 %s 0 0 cm /Im0 Do Q" % (w_pt, h_pt)
        pdf.obj(content, b"<< /Length %d >>" % len(draw), draw)
        pdf.obj(
            page,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Contents %d 0 R "
            b"/Resources << /XObject << /Im0 %d 0 R >> >> >>" % (w_pt, h_pt, content, xobject),
        )
        kids.append(page)
    if not kids:
        raise ValueError("a PDF needs at least one slide")
    pdf.obj(
        2,
        b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(kids), b" ".join(b"%d 0 R" % k for k in kids)),
    )
    xref = pdf.pos
    size = max(pdf.offsets) + 1
    pdf.raw(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        pdf.raw(b"%010d 00000 n \n" % pdf.offsets[number])
    pdf.raw(b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return len(kids)


def _flate_rows(image: Image.Image) -> bytes:
    """An RGB image → its PNG IDAT stream: zlib data of PNG-filtered rows, which PDF reads as
    FlateDecode with /Predictor 15. Pillow's filter choice is adaptive and deterministic."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=6, optimize=False)
    data = buffer.getvalue()
    return b"".join(chunk.data(data) for chunk in png.chunks(data) if chunk.kind == b"IDAT")


def _rgb(image: Image.Image) -> Image.Image:
    """Slides are RGB; anything with alpha is flattened onto white (JPEG and the PDF pages have none)."""
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        from PIL import Image

        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _num(value: float) -> bytes:
    """A PDF number: at most three decimals, no exponent, no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text.encode("ascii")


def _pdf_text(text: str) -> bytes:
    """A PDF text string: UTF-16BE with a byte-order mark, as hex (safe for any character)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"
