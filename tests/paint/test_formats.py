"""Output formats: PNG as before, JPEG tagged sRGB, lossless WebP, one multi-page PDF; all byte-stable."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageCms, ImageDraw, PdfParser

from cardgen.output.formats import encode_png
from cardgen.output.formats import EXTENSIONS, encode, parse_format, pdf_bytes, srgb_profile, write_pdf


def slide(width: int = 216, height: int = 270, accent: tuple[int, int, int] = (232, 73, 44)) -> Image.Image:
    """A small card-like picture: paper background, an accent bar, dark "text" strokes."""
    image = Image.new("RGB", (width, height), (246, 243, 238))
    draw = ImageDraw.Draw(image)
    draw.rectangle((18, 30, 60, 36), fill=accent)
    for row in range(5):
        draw.rectangle((18, 60 + row * 24, width - 30 - row * 11, 70 + row * 24), fill=(23, 23, 28))
    return image


def test_parse_format():
    assert parse_format("JPG") == "jpeg" and parse_format("webp") == "webp"
    assert EXTENSIONS["jpeg"] == "jpg"
    with pytest.raises(ValueError, match='unknown format "gif"; expected one of png, jpeg, webp, pdf'):
        parse_format("gif")


def test_png_is_the_existing_export_encoding():
    image = slide()
    assert encode(image, "png") == encode_png(image)


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk, each CRC checked."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        assert struct.unpack(">I", data[at + 8 + length : at + 12 + length])[0] == zlib.crc32(kind + body)
        chunks.append((kind, body))
        at += 12 + length
    return chunks


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "LA"])
def test_png_rows_are_unfiltered_and_the_pixels_exact(mode):
    image = slide(217, 61).convert(mode)  # an odd width: rows are not a multiple of 4 bytes
    data = encode_png(image)
    chunks = png_chunks(data)
    assert [kind for kind, _ in chunks] == [b"IHDR", b"tEXt", b"IDAT", b"IEND"]
    assert chunks[1][1] == b"Software\0cardgen"  # the mark, right after IHDR (cardgen.output.marks)
    width, height, depth, color, *_ = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (width, height, depth, color) == (217, 61, 8, {"L": 0, "RGB": 2, "LA": 4, "RGBA": 6}[mode])
    raw = zlib.decompress(chunks[2][1])
    stride = 1 + 217 * len(mode)
    assert len(raw) == stride * 61 and all(raw[row * stride] == 0 for row in range(61))  # filter type 0
    assert b"".join(raw[row * stride + 1 : (row + 1) * stride] for row in range(61)) == image.tobytes()
    decoded = Image.open(io.BytesIO(data))
    assert decoded.mode == mode and decoded.tobytes() == image.tobytes()


def test_png_above_the_default_canvas_is_streamed_by_pillow(monkeypatch):
    from cardgen.output import formats

    image = slide(217, 61)
    monkeypatch.setattr(formats, "UNFILTERED_MAX_PIXELS", 217 * 61 - 1)  # as a canvas over 4096×4096 would be
    data = encode_png(image)
    decoded = Image.open(io.BytesIO(data))
    assert decoded.tobytes() == image.tobytes() and decoded.info["Software"] == "cardgen"
    raw = zlib.decompress(b"".join(body for kind, body in png_chunks(data) if kind == b"IDAT"))
    assert any(raw[row * (1 + 217 * 3)] != 0 for row in range(61))  # Pillow's writer filters rows


def test_png_of_other_modes_is_pillows_with_the_mark():
    image = slide().convert("P")
    decoded = Image.open(io.BytesIO(encode_png(image)))
    assert decoded.mode == "P" and decoded.info["Software"] == "cardgen"
    assert decoded.convert("RGB").tobytes() == image.convert("RGB").tobytes()


def test_jpeg_is_rgb_baseline_444_with_an_srgb_profile():
    data = encode(slide(), "jpeg")
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.mode == "RGB" and image.size == (216, 270)
    assert "progressive" not in image.info and "progression" not in image.info  # baseline
    profile = ImageCms.ImageCmsProfile(io.BytesIO(image.info["icc_profile"]))
    assert "sRGB" in ImageCms.getProfileDescription(profile)
    assert profile.profile.xcolor_space.strip() == "RGB"
    from PIL import JpegImagePlugin

    assert JpegImagePlugin.get_sampling(image) == 0  # 4:4:4: coloured text keeps its edges
    assert "exif" not in image.info


def test_jpeg_keeps_the_accent_colour_close():
    image = Image.open(io.BytesIO(encode(slide(), "jpeg"))).convert("RGB")
    r, g, b = image.getpixel((40, 33))
    assert abs(r - 232) < 12 and abs(g - 73) < 12 and abs(b - 44) < 12


def test_jpeg_quality_changes_size_and_is_checked():
    image = slide(540, 675)
    assert len(encode(image, "jpeg", quality=60)) < len(encode(image, "jpeg", quality=95))
    with pytest.raises(ValueError, match="JPEG quality must be 1–100; found 0"):
        encode(image, "jpeg", quality=0)


def test_jpeg_flattens_alpha_onto_white():
    image = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    pixel = Image.open(io.BytesIO(encode(image, "jpeg"))).getpixel((20, 20))
    assert min(pixel) > 245


def test_webp_is_lossless_by_default():
    image = slide()
    decoded = Image.open(io.BytesIO(encode(image, "webp")))
    assert decoded.format == "WEBP"
    assert decoded.convert("RGB").tobytes() == image.tobytes()
    lossy = encode(image, "webp", lossless=False, quality=70)
    assert Image.open(io.BytesIO(lossy)).size == image.size


def test_webp_quality_makes_it_lossy():
    image = slide()
    lossless = encode(image, "webp")
    q60, q95 = encode(image, "webp", quality=60), encode(image, "webp", quality=95)
    assert len({lossless, q60, q95}) == 3  # --quality is not ignored
    assert Image.open(io.BytesIO(q60)).convert("RGB").tobytes() != image.tobytes()
    assert encode(image, "webp", quality=60, lossless=True) == lossless
    assert encode(slide(), "webp", quality=60) == q60  # lossy is byte-stable too
    assert encode(image, "jpeg") == encode(image, "jpeg", quality=90)  # JPEG's default stays 90


@pytest.mark.parametrize("fmt", ["png", "jpeg", "webp"])
def test_same_pixels_same_bytes(fmt):
    assert encode(slide(), fmt) == encode(slide(), fmt)


def test_srgb_profile_has_a_fixed_date():
    data = srgb_profile()
    assert data[36:40] == b"acsp"  # an ICC profile
    assert struct.unpack(">6H", data[24:36]) == (2024, 1, 1, 0, 0, 0)
    assert data[84:100] == bytes(16)  # no profile ID: nothing that depends on the date


def test_encode_refuses_pdf_for_one_slide():
    with pytest.raises(ValueError, match="write_pdf"):
        encode(slide(), "pdf")


# --- PDF ----------------------------------------------------------------------------------------


def page_images(data: bytes) -> list[Image.Image]:
    """Decode each page's image the way a PDF reader does: FlateDecode + PNG predictor rows."""
    parser = PdfParser.PdfParser(buf=data)
    images = []
    for ref in parser.pages:
        page = parser.read_indirect(ref)
        xobject = parser.read_indirect(page[b"Resources"][b"XObject"][b"Im0"])
        info, stream = xobject.dictionary, xobject.buf
        width, height = info[b"Width"], info[b"Height"]
        assert info[b"Filter"] == PdfParser.PdfName(b"FlateDecode")
        assert info[b"DecodeParms"][b"Predictor"] == 15
        # A PNG file is exactly these rows plus a header: let Pillow undo the filters.
        ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
        png = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", bytes(stream)) + _chunk(b"IEND", b"")
        images.append(Image.open(io.BytesIO(png)).convert("RGB"))
    return images


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def test_pdf_has_one_lossless_page_per_slide():
    slides = [slide(accent=(232, 73, 44)), slide(accent=(20, 120, 90)), slide(accent=(60, 60, 200))]
    data = pdf_bytes(slides, title="Как работать с негативом")
    assert data.startswith(b"%PDF-1.7") and data.rstrip().endswith(b"%%EOF")
    parser = PdfParser.PdfParser(buf=data)
    assert len(parser.pages) == 3
    for decoded, original in zip(page_images(data), slides, strict=True):
        assert decoded.tobytes() == original.tobytes()  # exactly the slide's pixels


def test_pdf_page_size_and_metadata():
    data = pdf_bytes([slide(1080, 1350)], title="Топ-9 фотостоков")
    parser = PdfParser.PdfParser(buf=data)
    page = parser.read_indirect(parser.pages[0])
    assert page[b"MediaBox"] == [0, 0, 810, 1012.5]  # 0.75 pt per px, as a browser prints CSS px
    assert PdfParser.decode_text(parser.info[b"Title"]) == "Топ-9 фотостоков"
    assert PdfParser.decode_text(parser.info[b"Producer"]) == "cardgen"
    assert b"CreationDate" not in data and b"ModDate" not in data
    assert b"/ICCBased" in data


def test_pdf_at_scale_2_keeps_the_page_size():
    data = pdf_bytes([slide(2160, 2700)], scale=2)
    parser = PdfParser.PdfParser(buf=data)
    assert parser.read_indirect(parser.pages[0])[b"MediaBox"] == [0, 0, 810, 1012.5]


def test_pdf_bytes_are_stable(tmp_path: Path):
    slides = [slide(), slide(accent=(0, 0, 0))]
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert write_pdf(slides, first, title="Deck") == 2
    assert write_pdf(iter(slides), second, title="Deck") == 2  # a generator of pages works too
    assert first.read_bytes() == second.read_bytes() == pdf_bytes(slides, title="Deck")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a.pdf",
        "b.pdf",
    ]  # no temporary files left


def test_pdf_flattens_rgba_and_refuses_no_pages(tmp_path: Path):
    data = pdf_bytes([Image.new("RGBA", (30, 20), (255, 0, 0, 128))])
    [page] = page_images(data)
    assert page.getpixel((5, 5)) == (255, 127, 127)
    with pytest.raises(ValueError, match="at least one slide"):
        write_pdf([], tmp_path / "empty.pdf")
    assert not list(tmp_path.iterdir())  # the temporary file is gone


def test_pdf_xref_offsets_point_at_their_objects():
    data = pdf_bytes([slide(), slide()])
    start = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data[start : start + 4] == b"xref"
    rows = data[start:].split(b"\n")
    count = int(rows[1].split()[1])
    for number in range(1, count):
        offset = int(rows[2 + number].split()[0])
        assert data[offset:].startswith(b"%d 0 obj" % number)
