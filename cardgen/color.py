"""Color literals → RGBA tuples (pure): #RGB, #RGBA, #RRGGBB, #RRGGBBAA, rgb()/rgba(), a few names."""

from __future__ import annotations

import re

RGBA = tuple[int, int, int, int]

NAMED: dict[str, RGBA] = {
    "white": (255, 255, 255, 255),
    "black": (0, 0, 0, 255),
    "transparent": (0, 0, 0, 0),
}
_HEX = re.compile(r"^#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_RGB = re.compile(r"^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*([\d.]+)\s*)?\)$")


def parse_color(value: str) -> RGBA:
    if not isinstance(value, str):
        raise ValueError(f"expected a color such as #1A1A2E, found {value!r}")
    text = value.strip()
    if text.lower() in NAMED:
        return NAMED[text.lower()]
    match = _HEX.match(text)
    if match:
        digits = match.group(1)
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits)
        if len(digits) == 6:
            digits += "ff"
        r, g, b, a = (int(digits[i : i + 2], 16) for i in range(0, 8, 2))
        return (r, g, b, a)
    match = _RGB.match(text)
    if match:
        r, g, b = (int(match.group(i)) for i in (1, 2, 3))
        alpha = float(match.group(4)) if match.group(4) else 1.0
        if max(r, g, b) <= 255 and 0 <= alpha <= 1:
            return (r, g, b, round(alpha * 255))
    raise ValueError(f'expected a color such as "#1A1A2E" or "rgb(26, 26, 46)", found "{value}"')


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


def contrast_ratio(a: RGBA, b: RGBA) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
