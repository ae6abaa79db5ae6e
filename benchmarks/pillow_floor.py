"""The floor: the same cards as cardgen draws, with nothing but plain Pillow.

    python benchmarks/pillow_floor.py DECK.yaml OUTDIR

writes OUTDIR/<deck stem>/01.png, 02.png, … (the same folder shape as `cardgen render -o OUTDIR`).

What it does, and deliberately nothing more: read the deck with PyYAML, strip the `**` and `==`
markup, wrap each paragraph greedily with `font.getlength`, draw with `ImageDraw.text` in the
default theme's colors, fonts and sizes, and save PNG with Pillow's own writer at cardgen's zlib
level (compress_level=3, optimize=False; cardgen writes unfiltered rows instead). No typography, hyphenation, fitting, kerning control, font
fallback or balancing: this is what any Pillow-based renderer pays at the very least.

It imports only PyYAML and Pillow, so its start-up can be compared with `cardgen render`'s.
`benchmarks/run.py` also imports `layout_card`, `draw_card` and `encode_png` from here to time
the stages in process.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
MANROPE_EXTRABOLD = ROOT / "fonts" / "manrope" / "Manrope-ExtraBold.ttf"
INTER_REGULAR = ROOT / "fonts" / "inter" / "Inter-Regular.otf"
INTER_SEMIBOLD = ROOT / "fonts" / "inter" / "Inter-SemiBold.otf"

# themes/default.yaml, copied by hand: the floor reads no theme file.
WIDTH, HEIGHT = 1080, 1350
BACKGROUND = "#F6F3EE"
TEXT, MUTED, ACCENT = "#17171C", "#5F5E66", "#E8492C"
MARGIN, GAP, CHROME_GAP = 88, 40, 64
PNG_OPTIONS = {"compress_level": 3, "optimize": False}  # cardgen's level; Pillow's own writer (row filters)

# role: (font file, size px, line height, color)
ROLES = {
    "cover_title": (MANROPE_EXTRABOLD, 104, 1.06, TEXT),
    "cover_subtitle": (INTER_REGULAR, 42, 1.32, MUTED),
    "number": (MANROPE_EXTRABOLD, 150, 1.0, ACCENT),
    "title": (MANROPE_EXTRABOLD, 66, 1.1, TEXT),
    "body": (INTER_REGULAR, 40, 1.42, TEXT),
    "counter": (INTER_SEMIBOLD, 28, 1.0, MUTED),
    "footer": (INTER_SEMIBOLD, 28, 1.0, MUTED),
    "hint": (INTER_SEMIBOLD, 28, 1.0, ACCENT),
}
PARAGRAPH_GAP = 0.55  # of the body size
HINT = "Листайте →"

_fonts: dict[tuple[Path, int], ImageFont.FreeTypeFont] = {}


def font(role: str) -> ImageFont.FreeTypeFont:
    path, size, _, _ = ROLES[role]
    key = (path, size)
    if key not in _fonts:
        _fonts[key] = ImageFont.truetype(str(path), size)
    return _fonts[key]


def cap_height(role: str) -> int:
    return -font(role).getbbox("H", anchor="ls")[1]


def plain(text: object) -> str:
    return str(text or "").replace("**", "").replace("==", "").strip()


def load_cards(deck_path: Path) -> list[dict]:
    deck = yaml.safe_load(Path(deck_path).read_text(encoding="utf-8"))
    defaults = deck.get("defaults") or {}
    cards = [{**defaults, **card} for card in deck["cards"]]
    steps = 0
    for card in cards:
        if card.get("layout") == "step":
            steps += 1
            card.setdefault("number", f"{steps:02d}")
    return cards


def wrap(text: str, role: str, width: float) -> list[str]:
    """Greedy word wrap, paragraph by paragraph; "" marks a paragraph break."""
    f = font(role)
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
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


def layout_card(card: dict, index: int, total: int) -> tuple[list[Run], tuple[int, int, int, int] | None]:
    width = WIDTH - 2 * MARGIN
    top = MARGIN + cap_height("counter") + CHROME_GAP
    bottom = HEIGHT - MARGIN - cap_height("footer") - CHROME_GAP
    blocks: list[tuple[str, list[str], float]] = []  # role, lines, gap before
    rule = None
    if card.get("layout") == "cover":
        blocks.append(("cover_title", wrap(plain(card.get("title")), "cover_title", width), 12 + 64))
        if card.get("subtitle"):
            blocks.append(("cover_subtitle", wrap(plain(card.get("subtitle")), "cover_subtitle", width), 48))
    else:
        if card.get("number"):
            blocks.append(("number", [str(card["number"])], 0))
        if card.get("title"):
            blocks.append(("title", wrap(plain(card.get("title")), "title", width), 56 if blocks else 0))
        if card.get("text"):
            blocks.append(("body", wrap(plain(card.get("text")), "body", width), GAP * 1.1))

    def height(role: str, lines: list[str]) -> float:
        _, size, lh, _ = ROLES[role]
        paragraphs = lines.count("")
        rows = len(lines) - paragraphs
        return cap_height(role) + (rows - 1) * size * lh + paragraphs * size * PARAGRAPH_GAP

    total_height = sum(gap + height(role, lines) for role, lines, gap in blocks)
    y = top + max(0.0, (bottom - top - total_height) / 2) if card.get("layout") == "cover" else top
    runs: list[Run] = []
    if card.get("layout") == "cover":
        rule = (MARGIN, round(y), MARGIN + 112, round(y) + 12)
    for role, lines, gap in blocks:
        _, size, lh, _ = ROLES[role]
        baseline = y + gap + cap_height(role)
        for line in lines:
            if line == "":
                baseline += size * PARAGRAPH_GAP
                continue
            runs.append((role, MARGIN, baseline, line))
            baseline += size * lh
        y += gap + height(role, lines)

    # chrome: counter top right, footer bottom left, swipe hint bottom right on the cover
    counter = f"{index + 1}/{total}"
    runs.append(("counter", WIDTH - MARGIN - font("counter").getlength(counter), MARGIN + cap_height("counter"), counter))
    if card.get("footer"):
        runs.append(("footer", MARGIN, HEIGHT - MARGIN, plain(card["footer"])))
    if card.get("layout") == "cover" and index + 1 < total:
        runs.append(("hint", WIDTH - MARGIN - font("hint").getlength(HINT), HEIGHT - MARGIN, HINT))
    return runs, rule


def draw_card(runs: list[Run], rule: tuple[int, int, int, int] | None) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    if rule:
        draw.rounded_rectangle(rule, radius=6, fill=ACCENT)
    for role, x, y, text in runs:
        draw.text((x, y), text, font=font(role), fill=ROLES[role][3], anchor="ls")
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
        image = draw_card(*layout_card(card, i, len(cards)))
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
