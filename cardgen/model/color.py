"""Color literals → RGBA tuples: what Pillow's `ImageColor` reads (CSS names such as `coral`,
`#RGB`, `#RGBA`, `#RRGGBB`, `#RRGGBBAA`, `rgb()` with numbers or percentages, `hsl()`, `hsv()`),
plus CSS's `rgba()` with an alpha of 0–1 and `transparent`, which it lacks.

Pillow is imported only when a value is parsed (not at import: this module stays light for the
pure stages that name colours), and its answers are checked: every channel 0–255.
"""

from __future__ import annotations

import re

RGBA = tuple[int, int, int, int]

NAMED: dict[str, RGBA] = {"transparent": (0, 0, 0, 0)}  # CSS keywords ImageColor does not know
# CSS rgb()/rgba() with an alpha of 0–1 (ImageColor reads rgba's alpha as 0–255).
_RGB = re.compile(r"^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*([\d.]+)\s*)?\)$", re.IGNORECASE)
MAX_TEXT = 100  # no color is longer; a longer value is refused before any parsing


def parse_color(value: str) -> RGBA:
    """A color as a designer writes it → (r, g, b, a); ValueError quotes it and gives examples."""
    if not isinstance(value, str):
        raise ValueError(f"expected a color such as #1A1A2E, found {value!r}")
    text = value.strip()
    if text.lower() in NAMED:
        return NAMED[text.lower()]
    match = _RGB.match(text)
    if match:
        r, g, b = (int(match.group(i)) for i in (1, 2, 3))
        alpha = float(match.group(4)) if match.group(4) else 1.0
        if max(r, g, b) <= 255 and 0 <= alpha <= 1:
            return (r, g, b, round(alpha * 255))
    elif text and len(text) <= MAX_TEXT and not text.lower().startswith("rgba"):
        from PIL import ImageColor

        try:
            channels = ImageColor.getrgb(text)
        except ValueError:
            channels = None
        if channels is not None and all(0 <= c <= 255 for c in channels):
            return (*channels[:3], channels[3] if len(channels) == 4 else 255)
    raise ValueError(
        f'expected a color such as "#1A1A2E", "coral", "rgb(26, 26, 46)", "rgba(0, 0, 0, 0.5)" or '
        f'"hsl(16, 100%, 66%)", found "{value}"'
    )


def is_color(value: str) -> bool:
    try:
        parse_color(value)
    except ValueError:
        return False
    return True


def mix(a: RGBA, b: RGBA, t: float) -> RGBA:
    """Linear mix in sRGB space: t=0 gives a, t=1 gives b."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def relative_luminance(color: RGBA) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b, _ = color
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def over(top: RGBA, bottom: RGBA) -> RGBA:
    """`top` (with its alpha) painted over an opaque `bottom`."""
    a = top[3] / 255
    return (
        round(top[0] * a + bottom[0] * (1 - a)),
        round(top[1] * a + bottom[1] * (1 - a)),
        round(top[2] * a + bottom[2] * (1 - a)),
        255,
    )


def contrast_ratio(a: RGBA, b: RGBA) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
