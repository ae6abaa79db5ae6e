"""The laid-out page: absolute boxes that paint draws without measuring anything.

Coordinates are px from the canvas' top-left; y of a line is its baseline. Values only: print a
`Page` to see exactly what will be drawn.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

RGBA = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True, slots=True)
class Solid:
    color: RGBA


@dataclass(frozen=True, slots=True)
class LinearGradient:
    stops: tuple[RGBA, ...]  # evenly spaced
    angle: float  # degrees, CSS convention (180 = top to bottom)


@dataclass(frozen=True, slots=True)
class RadialGradient:
    stops: tuple[RGBA, ...]  # evenly spaced from the centre out
    center: tuple[float, float]  # shares of width and height
    radius: float  # the last stop's distance, as a share of the diagonal


@dataclass(frozen=True, slots=True)
class ImageFill:
    path: Path
    darken: float = 0.0  # 0..1 black overlay for legibility
    blur: float = 0.0  # px
    focus: tuple[float, float] = (0.5, 0.5)
    # What shows through a picture's transparent parts when it is the card's background (the
    # theme's own background); None: whatever the picture is painted over.
    under: Paint | None = None


@dataclass(frozen=True, slots=True)
class Scrim:
    """A vertical fade from transparent to a color: text over photos stays legible."""

    color: RGBA
    start: float = 0.0  # share of the box height where the fade begins (above: clear)
    upward: bool = False  # True: darkest at the top, clear at the bottom
    end: float = 1.0  # share of the box height where the fade reaches full strength
    # Or an opacity (0-255) for each of evenly spaced bands from top to bottom, interpolated
    # between their middles: a scrim as dark as the text over each part of a photo needs.
    profile: tuple[int, ...] = ()


Paint = Solid | LinearGradient | RadialGradient | ImageFill | Scrim


@dataclass(frozen=True, slots=True)
class FillBox:
    rect: Rect
    paint: Paint
    radius: float = 0.0
    stroke: float = 0.0  # > 0: only an outline this wide (rings)
    field: str = ""  # the layout element it draws ("rule", "hints", …), for tests and decorations


@dataclass(frozen=True, slots=True)
class ImageBox:
    rect: Rect
    path: Path
    radius: float = 0.0  # half the side for a circle (avatars)
    fit: str = "cover"  # cover | contain
    focus: tuple[float, float] = (0.5, 0.5)
    field: str = "image"


@dataclass(frozen=True, slots=True)
class PlacedGlyph:
    text: str  # the cluster's characters ("" for the 2nd+ glyph of a cluster)
    font: Path
    gid: int
    x: float  # pen position, px
    y: float  # baseline, px
    size: float  # px
    color: RGBA
    emoji: bool = False


class GlyphRow(Sequence[PlacedGlyph]):
    """A line's placed glyphs, kept column by column: what `PlacedLine.glyphs` holds.

    It reads as a sequence of `PlacedGlyph` (made when read), equal to the tuple of them, but
    holds about 40 bytes a glyph instead of about 120 (an object of eight fields and its own x):
    a render keeps every page until its slides are written, and a 70-card deck places some 22 000
    glyphs, which made its peak memory grow with the number of cards (issue 17). The baseline and
    size are the line's own unless a glyph has its own (`ys`, a superscript's shifted baseline).
    """

    __slots__ = ("_colors", "_emoji", "_fonts", "_gids", "_size", "_texts", "_xs", "_y", "_ys")

    def __init__(
        self,
        texts: Sequence[str],
        fonts: Sequence[Path],
        gids: Sequence[int],
        xs: Sequence[float],
        y: float,
        size: float,
        colors: Sequence[RGBA],
        emoji: Sequence[bool],
        ys: Sequence[float] | None = None,
    ) -> None:
        self._texts = tuple(texts)
        self._fonts = tuple(fonts)
        self._gids = array("I", gids)  # glyph ids are 16-bit in every font format
        self._xs = array("d", xs)
        self._y = y
        self._size = size
        self._colors = tuple(colors)
        self._emoji = bytes(emoji)
        self._ys = array("d", ys) if ys is not None else None

    @classmethod
    def of(cls, glyphs: Sequence[PlacedGlyph]) -> GlyphRow | tuple[PlacedGlyph, ...]:
        """Glyphs → a row; a tuple when they do not share one size (none that cardgen places)."""
        if not glyphs or len({g.size for g in glyphs}) != 1:
            return tuple(glyphs)
        y = glyphs[0].y
        ys = [g.y for g in glyphs]
        return cls(
            [g.text for g in glyphs],
            [g.font for g in glyphs],
            [g.gid for g in glyphs],
            [g.x for g in glyphs],
            y,
            glyphs[0].size,
            [g.color for g in glyphs],
            [g.emoji for g in glyphs],
            ys if any(v != y for v in ys) else None,
        )

    def __len__(self) -> int:
        return len(self._texts)

    def _glyph(self, i: int) -> PlacedGlyph:
        y = self._y if self._ys is None else self._ys[i]
        return PlacedGlyph(
            self._texts[i],
            self._fonts[i],
            self._gids[i],
            self._xs[i],
            y,
            self._size,
            self._colors[i],
            bool(self._emoji[i]),
        )

    @overload
    def __getitem__(self, index: int) -> PlacedGlyph: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[PlacedGlyph, ...]: ...
    def __getitem__(self, index: int | slice) -> PlacedGlyph | tuple[PlacedGlyph, ...]:
        if isinstance(index, slice):
            return tuple(self._glyph(i) for i in range(*index.indices(len(self))))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("glyph index out of range")
        return self._glyph(index)

    def __iter__(self) -> Iterator[PlacedGlyph]:
        return (self._glyph(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (GlyphRow, tuple)):
            return len(self) == len(other) and tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"GlyphRow({list(self)!r})"

    def __reduce__(self) -> tuple[object, ...]:
        return (
            GlyphRow,
            (self._texts, self._fonts, self._gids, self._xs, self._y, self._size, self._colors, self._emoji, self._ys),
        )


@dataclass(frozen=True, slots=True)
class PlacedLine:
    text: str  # exactly as set: no-break spaces kept, a trailing hyphen when hyphenated
    x: float
    baseline: float
    width: float
    glyphs: Sequence[PlacedGlyph] = field(repr=False)  # a GlyphRow as placed; a tuple where code makes one
    starts_paragraph: bool = True


@dataclass(frozen=True, slots=True)
class TextBox:
    field: str  # the deck field it shows: "title", "text", "items[2]", or "chrome.counter"
    role: str
    rect: Rect  # from the first line's cap height to the last baseline
    size: float
    lines: tuple[PlacedLine, ...]


@dataclass(frozen=True, slots=True)
class QRBox:
    """A QR code of `data`, drawn as crisp modules filling `rect` (a square)."""

    rect: Rect
    data: str
    dark: RGBA
    light: RGBA | None = None  # None: transparent between modules
    field: str = "qr"


Box = FillBox | ImageBox | TextBox | QRBox


@dataclass(frozen=True, slots=True)
class Shown:
    """A picture as a page shows it: the field it shows, the file, the px it takes, how it fits."""

    field: str  # "background", "image", "avatar", "chrome.logo", …
    path: Path
    width: float
    height: float
    fit: str  # cover | contain
    blur: float = 0.0


@dataclass(frozen=True, slots=True)
class Page:
    width: int
    height: int
    background: Paint
    boxes: tuple[Box, ...]

    def text_boxes(self) -> tuple[TextBox, ...]:
        return tuple(b for b in self.boxes if isinstance(b, TextBox))

    def pictures(self) -> tuple[Shown, ...]:
        """The pictures the page shows, in painting order: its background, picture boxes, photo fills."""
        out = []
        if isinstance(self.background, ImageFill):
            out.append(
                Shown("background", self.background.path, self.width, self.height, "cover", self.background.blur)
            )
        for box in self.boxes:
            if isinstance(box, ImageBox):
                out.append(Shown(box.field, box.path, box.rect.w, box.rect.h, box.fit))
            elif isinstance(box, FillBox) and isinstance(box.paint, ImageFill):
                out.append(Shown("image", box.paint.path, box.rect.w, box.rect.h, "cover", box.paint.blur))
        return tuple(out)
