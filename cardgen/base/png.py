"""PNG bytes ↔ chunks: the one reader and writer of PNG's chunk structure (no Pillow).

A PNG file is its 8-byte signature, then chunks: a 4-byte length, a 4-byte type, the data, and
a CRC-32 of type and data. cardgen reads chunks to check a user's picture (`paint.pictures`:
a bad checksum, a truncated file, its palette), to find its own mark (`output.marks`) and to
take the compressed rows out of a PNG for the PDF (`output.formats`); it writes them for slides
and contact sheets (`output.formats`, `output.sheet`).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunk(kind: bytes, data: bytes) -> bytes:
    """One chunk's bytes: length, type, data, CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


END = chunk(b"IEND", b"")


@dataclass(frozen=True, slots=True)
class Chunk:
    """A chunk as found in the bytes: its type, where its data starts and how long it says it is."""

    kind: bytes
    start: int  # the offset of the chunk's data
    length: int
    whole: bool  # False: the bytes end inside the chunk (a truncated file, or only its head read)

    @property
    def end(self) -> int:
        """The offset just past the chunk's CRC."""
        return self.start + self.length + 4

    def data(self, png: bytes) -> bytes:
        return png[self.start : self.start + self.length]

    def crc_ok(self, png: bytes) -> bool:
        stored = int.from_bytes(png[self.end - 4 : self.end], "big")
        return zlib.crc32(png[self.start - 4 : self.start + self.length]) == stored

    @property
    def critical(self) -> bool:
        """IHDR, PLTE, IDAT, IEND: a reader must understand them (an upper-case first letter)."""
        return self.kind[:1].isupper()


def is_png(data: bytes) -> bool:
    return data.startswith(SIGNATURE)


def chunks(png: bytes) -> Iterator[Chunk]:
    """The chunks of a PNG's bytes, in order: up to IEND (included), or up to the end of the bytes
    (a chunk the bytes end inside comes last, not `whole`). Nothing for bytes that are no PNG."""
    if not is_png(png):
        return
    pos = len(SIGNATURE)
    while pos + 8 <= len(png):
        length = int.from_bytes(png[pos : pos + 4], "big")
        found = Chunk(png[pos + 4 : pos + 8], pos + 8, length, pos + 12 + length <= len(png))
        yield found
        if not found.whole or found.kind == b"IEND":
            return
        pos = found.end
