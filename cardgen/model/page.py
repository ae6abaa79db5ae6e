"""The laid-out page: absolute boxes that paint draws without measuring anything.

Coordinates are px from the canvas' top-left; y of a line is its baseline. Values only: print a
`Page` to see exactly what will be drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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


@dataclass(frozen=True, slots=True)
class PlacedLine:
    text: str  # exactly as set: no-break spaces kept, a trailing hyphen when hyphenated
    x: float
    baseline: float
    width: float
    glyphs: tuple[PlacedGlyph, ...] = field(repr=False)
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
