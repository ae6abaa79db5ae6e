"""The floor: the same cards as cardgen draws, with nothing but plain Pillow.

    python benchmarks/pillow_floor.py DECK.yaml OUTDIR

writes OUTDIR/<deck stem>/01.png, 02.png, … (the same folder shape as `cardgen render -o OUTDIR`).

What it does, and deliberately nothing more: read the deck with PyYAML, strip the `**` and `==`
markup, wrap each paragraph greedily with `font.getlength`, draw with `ImageDraw.text` in the
default theme's colors, fonts and sizes, and save PNG with Pillow's own writer at cardgen's zlib
level (compress_level=3, optimize=False; cardgen writes unfiltered rows instead). No typography,
hyphenation, fitting, kerning control, font fallback or balancing: this is what any Pillow-based
renderer pays at the very least.

The deck is read, and the style (the default theme's values, copied by hand into
card-style.json) comes, from `bench_cards.py`, which the Typst and satori peers share, so every
renderer draws the same cards. It imports only PyYAML, Pillow and that module, so its start-up
can be compared with `cardgen render`'s. `benchmarks/run.py` also imports `load_cards`,
`layout_card`, `draw_card` and `encode_png` from here to time the stages in process.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bench_cards import STYLE, font_file, load_cards
from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:
    from bench_cards import Card

WIDTH, HEIGHT = STYLE["width"], STYLE["height"]
MARGIN, CHROME_GAP, PARAGRAPH_GAP = STYLE["margin"], STYLE["chrome_gap"], STYLE["paragraph_gap"]
RULE, GAPS = STYLE["rule"], STYLE["gaps"]
ROLES = STYLE["roles"]  # role: font file, size px, line height (× size), color
PNG_OPTIONS = {"compress_level": 3, "optimize": False}  # cardgen's level; Pillow's own writer (row filters)

__all__ = ["draw_card", "encode_png", "layout_card", "load_cards", "render_deck"]

_faces: dict[tuple[Path, int], ImageFont.FreeTypeFont] = {}  # roles in the same file and size share one
_fonts: dict[str, ImageFont.FreeTypeFont] = {}


def font(role: str) -> ImageFont.FreeTypeFont:
    if role not in _fonts:
        key = (font_file(role), ROLES[role]["size"])
        if key not in _faces:
            _faces[key] = ImageFont.truetype(str(key[0]), key[1])
        _fonts[role] = _faces[key]
    return _fonts[role]


def cap_height(role: str) -> int:
    return -font(role).getbbox("H", anchor="ls")[1]


def wrap(paragraphs: list[str], role: str, width: float) -> list[str]:
    """Greedy word wrap, paragraph by paragraph; "" marks a paragraph break."""
    f = font(role)
    lines: list[str] = []
    for paragraph in paragraphs:
        if lines:
            lines.append("")
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if not line or f.getlength(candidate) <= width:
                line = candidate
            else:
                lines.append(line)
                line = word
        if line:
            lines.append(line)
    return lines


# A laid-out card: a list of (role, x, baseline y, text) and, for the cover, an accent rule.
Run = tuple[str, float, float, str]


def layout_card(card: Card) -> tuple[list[Run], tuple[int, int, int, int] | None]:
    width = WIDTH - 2 * MARGIN
    top = MARGIN + cap_height("counter") + CHROME_GAP
    bottom = HEIGHT - MARGIN - cap_height("footer") - CHROME_GAP
    blocks: list[tuple[str, list[str], float]] = []  # role, lines, gap before
    rule = None
    if card["cover"]:
        blocks.append(("cover_title", wrap([card["title"]], "cover_title", width), RULE["height"] + RULE["gap_after"]))
        if card["subtitle"]:
            blocks.append(("cover_subtitle", wrap([card["subtitle"]], "cover_subtitle", width), GAPS["subtitle"]))
    else:
        if card["number"]:
            blocks.append(("number", [card["number"]], 0))
        if card["title"]:
            blocks.append(("title", wrap([card["title"]], "title", width), GAPS["title"] if blocks else 0))
        if card["paragraphs"]:
            blocks.append(("body", wrap(card["paragraphs"], "body", width), GAPS["body"]))

    def height(role: str, lines: list[str]) -> float:
        size, lh = ROLES[role]["size"], ROLES[role]["line_height"]
        paragraphs = lines.count("")
        rows = len(lines) - paragraphs
        return cap_height(role) + (rows - 1) * size * lh + paragraphs * size * PARAGRAPH_GAP

    total_height = sum(gap + height(role, lines) for role, lines, gap in blocks)
    y = top + max(0.0, (bottom - top - total_height) / 2) if card["cover"] else top
    runs: list[Run] = []
    if card["cover"]:
        rule = (MARGIN, round(y), MARGIN + RULE["width"], round(y) + RULE["height"])
    for role, lines, gap in blocks:
        size, lh = ROLES[role]["size"], ROLES[role]["line_height"]
        baseline = y + gap + cap_height(role)
        for line in lines:
            if line == "":
                baseline += size * PARAGRAPH_GAP
                continue
            runs.append((role, MARGIN, baseline, line))
            baseline += size * lh
        y += gap + height(role, lines)

    # chrome: counter top right, footer bottom left, swipe hint bottom right on the cover
    counter = card["counter"]
    runs.append(
        ("counter", WIDTH - MARGIN - font("counter").getlength(counter), MARGIN + cap_height("counter"), counter)
    )
    if card["footer"]:
        runs.append(("footer", MARGIN, HEIGHT - MARGIN, card["footer"]))
    if card["hint"]:
        runs.append(("hint", WIDTH - MARGIN - font("hint").getlength(card["hint"]), HEIGHT - MARGIN, card["hint"]))
    return runs, rule


def draw_card(runs: list[Run], rule: tuple[int, int, int, int] | None) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), STYLE["background"])
    draw = ImageDraw.Draw(image)
    if rule:
        draw.rounded_rectangle(rule, radius=RULE["radius"], fill=RULE["color"])
    for role, x, y, text in runs:
        draw.text((x, y), text, font=font(role), fill=ROLES[role]["color"], anchor="ls")
    return image


def encode_png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **PNG_OPTIONS)
    return buffer.getvalue()


def render_deck(deck_path: Path, out_root: Path) -> list[Path]:
    cards = load_cards(deck_path)
    out_dir = Path(out_root) / Path(deck_path).stem
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for i, card in enumerate(cards):
        image = draw_card(*layout_card(card))
        path = out_dir / f"{i + 1:02d}.png"
        path.write_bytes(encode_png(image))
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python benchmarks/pillow_floor.py DECK.yaml OUTDIR", file=sys.stderr)
        return 2
    written = render_deck(Path(argv[0]), Path(argv[1]))
    print(f"{argv[0]}: {len(written)} slides → {written[0].parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
