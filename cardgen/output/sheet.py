"""Slide images → one contact sheet PNG (an album grid), for READMEs and pull-request review.

Built in bounded memory, whatever the number of slides: each slide is reduced to its thumbnail
as soon as it is painted (the caller may drop the slide then), and each row of the grid is
written to the PNG file as soon as its last thumbnail is in, in strips, so only one row of
thumbnails is held at a time. A thumbnail is never wider than its slide (`thumb_size`): a
thumbnail blown up past the slide holds nothing more, and would only make the row larger.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from PIL import Image

from cardgen.base import png
from cardgen.output.formats import PNG_OPTIONS
from cardgen.output.marks import PNG_MARK_CHUNK
from cardgen.base.files import writing

GAP = 16
BACKDROP = (40, 40, 46)
STRIP_ROWS = 128  # sheet rows composed and compressed at a time
IDAT_BYTES = 1 << 20  # compressed bytes written per IDAT chunk


def thumb_size(slide: tuple[int, int], thumb_width: int) -> tuple[int, int]:
    """A slide's thumbnail size: `thumb_width` wide (never wider than the slide), its shape kept."""
    width = max(1, min(thumb_width, slide[0]))
    return width, max(1, round(slide[1] * width / slide[0]))


class SheetWriter:
    """Thumbnails in reading order, `columns` to a row, on a dark backdrop, streamed to `path`.

    Use as a context manager: `add` each slide as it is painted; the file replaces `path` when
    the block ends without error (see `files.writing`), and is left as it was otherwise.
    """

    def __init__(self, path: Path, count: int, *, columns: int = 4, thumb_width: int = 360) -> None:
        if count < 1:
            raise ValueError("no slides to put on a sheet")
        self.path = path
        self.count = count
        self.columns = max(1, min(columns, count))
        self.thumb_width = thumb_width
        self.added = 0
        self.row: list[Image.Image] = []
        self.thumb: tuple[int, int] | None = None
        self._writing = writing(path)
        self._file: BinaryIO | None = None
        self._zip = zlib.compressobj(PNG_OPTIONS["compress_level"])
        self._pending: list[bytes] = []
        self._pending_bytes = 0

    def __enter__(self) -> SheetWriter:
        self._file = self._writing.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            try:
                self._finish()
            except BaseException as error:
                self._writing.__exit__(type(error), error, error.__traceback__)
                raise
        self._writing.__exit__(kind, exc, tb)

    @property
    def size(self) -> tuple[int, int]:
        assert self.thumb is not None
        rows = -(-self.count // self.columns)
        width, height = self.thumb
        return self.columns * (width + GAP) + GAP, rows * (height + GAP) + GAP

    def add(self, slide: Image.Image) -> None:
        """The next slide: reduced to its thumbnail now; a full row of the grid is written out."""
        if self.thumb is None:
            self.thumb = thumb_size(slide.size, self.thumb_width)
            width, height = self.size
            self._write(
                png.SIGNATURE
                + png.chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + PNG_MARK_CHUNK
            )
            self._rows(GAP)
        thumb = slide.resize(self.thumb, Image.Resampling.LANCZOS) if slide.size != self.thumb else slide
        self.row.append(thumb.convert("RGB"))
        self.added += 1
        if len(self.row) == self.columns or self.added == self.count:
            self._flush_row()

    def _flush_row(self) -> None:
        assert self.thumb is not None
        width, height = self.size[0], self.thumb[1]
        for top in range(0, height, STRIP_ROWS):
            rows = min(STRIP_ROWS, height - top)
            strip = Image.new("RGB", (width, rows), BACKDROP)
            for i, thumb in enumerate(self.row):
                strip.paste(thumb, (GAP + i * (self.thumb[0] + GAP), -top))
            self._compress(strip.tobytes(), width, rows)
        self.row = []
        self._rows(GAP)

    def _rows(self, count: int) -> None:
        """`count` rows of plain backdrop (the gaps between grid rows)."""
        width = self.size[0]
        self._compress(bytes(BACKDROP) * width * count, width, count)

    def _compress(self, raw: bytes, width: int, rows: int) -> None:
        stride = width * 3
        lines = b"".join(b"\x00" + raw[y * stride : (y + 1) * stride] for y in range(rows))  # filter 0: none
        self._pending.append(self._zip.compress(lines))
        self._pending_bytes += len(self._pending[-1])
        if self._pending_bytes >= IDAT_BYTES:
            self._idat()

    def _idat(self) -> None:
        data = b"".join(self._pending)
        self._pending, self._pending_bytes = [], 0
        if data:
            self._write(png.chunk(b"IDAT", data))

    def _finish(self) -> None:
        if self.added != self.count:
            raise ValueError(f"{self.count} slides were announced and {self.added} added")
        self._pending.append(self._zip.flush())
        self._idat()
        self._write(png.END)

    def _write(self, data: bytes) -> None:
        assert self._file is not None
        self._file.write(data)


def write_sheet(
    images: Iterable[Image.Image], path: Path, *, count: int, columns: int = 4, thumb_width: int = 360
) -> Path:
    """`count` slides (painted one by one as `images` is read) → the contact sheet at `path`."""
    with SheetWriter(path, count, columns=columns, thumb_width=thumb_width) as sheet:
        for image in images:
            sheet.add(image)
    return path
