"""cardgen's mark: a constant tag in every image and PDF cardgen writes → "did cardgen write this file?".

Input: a file on disk. Output: whether it carries the mark. The mark proves ownership when no
manifest says which files are cardgen's (a cleared cache, a fresh CI runner, a moved project):
a file named like a slide that lacks it is the user's, so it is never deleted or replaced.

The mark is the same bytes in every file (no version, no date), so output stays byte-identical
for identical pixels:

- PNG: a `tEXt` chunk `Software` = `cardgen`, written right after `IHDR`;
- JPEG: a comment segment (`COM`) `cardgen`;
- WebP: an XMP packet whose `xmp:CreatorTool` is `cardgen` (the extended `VP8X` format);
- PDF: the Info dictionary's `/Producer (cardgen)`, which cardgen's PDF writer always wrote.

Reading is pure byte parsing of the file's first chunks (no Pillow): it runs for every file in
a deck's folder on each render, and stops at the image data.
"""

from __future__ import annotations

import struct
from pathlib import Path

from cardgen.base import png

MARK = "cardgen"
PNG_TEXT = ("Software", MARK)
JPEG_COMMENT = MARK.encode("ascii")
WEBP_XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="cardgen"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
# The PDF writer's Info dictionary: "/Producer " + the producer as a UTF-16BE hex string.
PDF_PRODUCER = b"/Producer <FEFF" + MARK.encode("utf-16-be").hex().upper().encode("ascii") + b">"
PDF_HEAD_BYTES = 16_384  # the Info object comes right after the catalog and the 588-byte sRGB profile
_MAX_CHUNKS = 64  # metadata chunks before the image data; more is not a file cardgen wrote
PNG_HEAD_BYTES = 16_384  # cardgen writes its mark right after IHDR: the first chunks are read, not the pixels
PNG_MARK_CHUNK = png.chunk(b"tEXt", f"{PNG_TEXT[0]}\0{PNG_TEXT[1]}".encode("latin-1"))


def is_marked(path: Path) -> bool:
    """True when `path` is a regular file (not a link) with cardgen's mark; never raises."""
    try:
        if path.is_symlink() or not path.is_file():
            return False
        with open(path, "rb") as handle:
            head = handle.read(12)
            if png.is_png(head):
                return _png(head + handle.read(PNG_HEAD_BYTES - len(head)))
            if head.startswith(b"\xff\xd8"):
                return _jpeg(handle)
            if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
                return _webp(handle)
            if head.startswith(b"%PDF-"):
                return PDF_PRODUCER in head + handle.read(PDF_HEAD_BYTES)
    except (OSError, struct.error, ValueError):
        return False
    return False


def _png(head: bytes) -> bool:
    for i, chunk in enumerate(png.chunks(head)):
        if i >= _MAX_CHUNKS or chunk.kind in (b"IDAT", b"IEND") or not chunk.whole:
            return False
        if chunk.kind == b"tEXt" and chunk.length < 1024:
            key, _, value = chunk.data(head).partition(b"\0")
            if (key.decode("latin-1"), value.decode("latin-1")) == PNG_TEXT:
                return True
    return False


def _jpeg(handle) -> bool:
    handle.seek(2)
    for _ in range(_MAX_CHUNKS):
        marker = handle.read(4)
        if len(marker) < 4 or marker[0] != 0xFF or marker[1] in (0xDA, 0xD9):  # start of scan, end
            return False
        length = struct.unpack(">H", marker[2:])[0]
        if marker[1] == 0xFE:  # COM
            if handle.read(length - 2) == JPEG_COMMENT:
                return True
        else:
            handle.seek(length - 2, 1)
    return False


def _webp(handle) -> bool:
    handle.seek(12)
    for _ in range(_MAX_CHUNKS):
        header = handle.read(8)
        if len(header) < 8:
            return False
        kind, length = struct.unpack("<4sI", header)
        if kind == b"XMP ":
            return handle.read(length) == WEBP_XMP
        handle.seek(length + (length & 1), 1)  # chunks are padded to an even size
    return False
