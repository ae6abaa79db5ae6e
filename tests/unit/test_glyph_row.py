"""`model.page.GlyphRow`: a line's glyphs kept column by column read as the tuple of them."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import pytest

from cardgen.model.page import GlyphRow, PlacedGlyph, PlacedLine

FONT, EMOJI = Path("/f/Inter.ttf"), Path("/f/NotoColorEmoji.ttf")
GLYPHS = (
    PlacedGlyph("П", FONT, 301, 100.0, 500.0, 46.0, (20, 20, 20, 255)),
    PlacedGlyph("р", FONT, 17, 131.25, 500.0, 46.0, (220, 60, 40, 255)),
    PlacedGlyph("²", FONT, 65535, 160.5, 481.5, 46.0, (20, 20, 20, 255)),  # its own baseline
    PlacedGlyph("🙂", EMOJI, 902, 190.0, 500.0, 46.0, (20, 20, 20, 255), emoji=True),
)


def test_a_row_reads_as_the_tuple_of_its_glyphs() -> None:
    row = GlyphRow.of(GLYPHS)
    assert isinstance(row, GlyphRow)
    assert tuple(row) == GLYPHS and row == GLYPHS and GLYPHS == row  # noqa: SIM300 - both sides of ==
    assert len(row) == 4 and row[0] == GLYPHS[0] and row[-1] == GLYPHS[-1] and row[1:3] == GLYPHS[1:3]
    assert hash(row) == hash(GLYPHS)
    assert row != GLYPHS[:3] and row != GlyphRow.of(GLYPHS[:3])
    with pytest.raises(IndexError):
        row[4]
    assert pickle.loads(pickle.dumps(row)) == row


def test_lines_with_a_row_or_a_tuple_are_equal() -> None:
    a = PlacedLine("Пр²🙂", 100.0, 500.0, 120.0, GlyphRow.of(GLYPHS))
    b = PlacedLine("Пр²🙂", 100.0, 500.0, 120.0, GLYPHS)
    assert a == b and hash(a) == hash(b)


def test_a_row_holds_less_than_the_glyph_objects() -> None:
    """What issue 17 needed: a 70-card deck's pages grew the render's peak with every card."""
    glyphs = tuple(
        PlacedGlyph(chr(0x430 + i % 32), FONT, 300 + i, 100.0 + 23.5 * i, 500.0, 46.0, (20, 20, 20, 255))
        for i in range(40)
    )
    row = GlyphRow.of(glyphs)
    as_objects = sys.getsizeof(glyphs) + sum(sys.getsizeof(g) + sys.getsizeof(g.x) for g in glyphs)
    as_columns = sys.getsizeof(row) + sum(
        sys.getsizeof(getattr(row, name)) for name in ("_texts", "_fonts", "_gids", "_xs", "_colors", "_emoji")
    )
    assert as_columns < as_objects / 2
