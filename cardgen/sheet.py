"""Slide images → one contact sheet PNG (an album grid), for READMEs and pull-request review."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from cardgen.export import encode_png

GAP = 16
BACKDROP = (40, 40, 46)


def contact_sheet(images: Sequence[Image.Image], *, columns: int = 4, thumb_width: int = 360) -> Image.Image:
    """Thumbnails in reading order, `columns` to a row, on a dark backdrop."""
    if not images:
        raise ValueError("no slides to put on a sheet")
    thumbs = [
        image.resize((thumb_width, round(image.height * thumb_width / image.width)), Image.Resampling.LANCZOS)
        for image in images
    ]
    columns = max(1, min(columns, len(thumbs)))
    rows = -(-len(thumbs) // columns)
    height = max(t.height for t in thumbs)
    sheet = Image.new("RGB", (columns * (thumb_width + GAP) + GAP, rows * (height + GAP) + GAP), BACKDROP)
    for i, thumb in enumerate(thumbs):
        sheet.paste(thumb.convert("RGB"), (GAP + (i % columns) * (thumb_width + GAP), GAP + (i // columns) * (height + GAP)))
    return sheet


def write_sheet(images: Sequence[Image.Image], path: Path, *, columns: int = 4, thumb_width: int = 360) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encode_png(contact_sheet(images, columns=columns, thumb_width=thumb_width)))
    return path
