"""Regenerate the binary files of the hostile corpus: `python tests/hostile/make_assets.py`.

They are committed (all small), so the tests do not depend on this script; it documents how
each broken file was made.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
ASSETS = HERE / "assets"


def chunk(kind: bytes, data: bytes, crc: int | None = None) -> bytes:
    value = zlib.crc32(kind + data) if crc is None else crc
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", value & 0xFFFFFFFF)


def png(
    width: int, height: int, idat: bytes | None = None, color_type: int = 2, extra: bytes = b"", bad_crc: bool = False
) -> bytes:
    """A hand-made PNG: any header, any data, optionally a wrong IDAT checksum."""
    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0))
    if idat is None:
        idat = zlib.compress((b"\x00" + b"\x80" * (width * 3)) * height)
    data = chunk(b"IDAT", idat, crc=0xDEADBEEF if bad_crc else None)
    return b"\x89PNG\r\n\x1a\n" + header + extra + data + chunk(b"IEND", b"")


def elf() -> bytes:
    """The start of a 64-bit Linux program: an ELF header, a program header, code and zero padding."""
    header = (
        b"\x7fELF"
        + bytes([2, 1, 1, 0])
        + bytes(8)
        + struct.pack("<HHIQQQIHHHHHH", 2, 0x3E, 1, 0x401000, 64, 0, 0, 64, 56, 1, 0, 0, 0)
    )
    program = struct.pack("<IIQQQQQQ", 1, 5, 0, 0x400000, 0x400000, 0x1000, 0x1000, 0x1000)
    code = bytes.fromhex("b83c000000bf000000000f05") * 4  # exit(0), four times
    return (header + program + code).ljust(4096, b"\x00") + b"\x00.shstrtab\x00.text\x00" + bytes(64)


def main() -> None:
    ASSETS.mkdir(exist_ok=True)
    (ASSETS / "text.png").write_text("This is a text file with a .png name.\n", encoding="utf-8")
    whole = png(200, 200)
    (ASSETS / "truncated.png").write_bytes(whole[: len(whole) // 2])
    (ASSETS / "bad-crc.png").write_bytes(png(64, 48, bad_crc=True))
    # 100 000 × 100 000 pixels declared, a few bytes of data: refused from the header alone.
    (ASSETS / "bomb.png").write_bytes(png(100_000, 100_000, idat=zlib.compress(b"\x00" * 1024)))
    palette = b"".join(bytes([i % 256, 0, 0]) for i in range(1000))  # 1000 entries; PNG allows 256
    rows = (b"\x00" + bytes(range(64))) * 48
    (ASSETS / "huge-palette.png").write_bytes(
        png(64, 48, zlib.compress(rows), color_type=3, extra=chunk(b"PLTE", palette))
    )
    # A 3 MB zTXt (metadata) chunk in 3 KB: Pillow refuses text chunks over 1 MB unpacked.
    (ASSETS / "text-bomb.png").write_bytes(
        png(64, 48, extra=chunk(b"zTXt", b"k\x00\x00" + zlib.compress(b"a" * 3_000_000)))
    )
    # A WebP whose VP8 frame is zeros: the WebP decoder cannot even start on it.
    vp8 = b"VP8 " + struct.pack("<I", 20) + bytes(20)
    (ASSETS / "bad-frame.webp").write_bytes(b"RIFF" + struct.pack("<I", 4 + len(vp8)) + b"WEBP" + vp8)
    frames = [Image.new("RGB", (64, 48), color) for color in ((220, 30, 30), (30, 220, 30), (30, 30, 220))]
    for name, fmt in (("animated-gif.png", "GIF"), ("animated.gif", "GIF"), ("animated.png", "PNG")):
        frames[0].save(ASSETS / name, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    Image.new("CMYK", (64, 48), (0, 220, 220, 0)).save(ASSETS / "cmyk.jpg", "JPEG")
    Image.new("I;16", (64, 48), 40000).save(ASSETS / "gray16.png", "PNG")
    (ASSETS / "photo.png").write_bytes(png(64, 48))
    # Formats cardgen does not read, named .png: Pillow would decode TIFF and BMP, and hand EPS
    # to Ghostscript.
    Image.new("RGB", (64, 48), (30, 30, 220)).save(ASSETS / "tiff.png", "TIFF")
    Image.new("RGB", (64, 48), (30, 30, 220)).save(ASSETS / "bmp.png", "BMP")
    (ASSETS / "eps.png").write_bytes(
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 64 48\n0 0 1 setrgbcolor 0 0 64 48 rectfill\nshowpage\n%%EOF\n"
    )
    (HERE / "elf.yaml").write_bytes(elf())
    (HERE / "utf32-no-bom.yaml").write_bytes("title: Hi\ncards:\n  - title: Card\n".encode("utf-32-le"))
    (HERE / "fonts").mkdir(exist_ok=True)
    (HERE / "fonts" / "Fake-Regular.ttf").write_bytes(b"OTTO" + b"not really a font\n" * 20)


if __name__ == "__main__":
    main()
