"""A peer: the floor's cards typeset by Typst (the Rust typesetter, through its Python binding).

    python benchmarks/typst_peer.py DECK.yaml OUTDIR

writes OUTDIR/<deck stem>/01.png, 02.png, … (the same folder shape as `cardgen render -o OUTDIR`
and `pillow_floor.py`): one 1080×1350 PNG per card.

The deck is read by `bench_cards.load_cards`, as the floor reads it (same text, markup stripped);
`typst_peer.typ` lays the cards out in the floor's style (card-style.json: colours, sizes, line
heights, gaps), with the folders of the floor's font files (fonts/manrope, fonts/inter) passed as
font paths and no system or bundled fonts, so the faces and glyphs are the floor's. Typst shapes, kerns and
breaks the lines itself and writes the PNGs with its own encoder. It needs the `typst` package
(`pip install -e '.[bench]'`, which bundles the compiler: nothing is fetched at run time).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bench_cards import font_files, load_cards

if TYPE_CHECKING:
    from bench_cards import Card

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "typst_peer.typ"
PPI = 72.0  # 1 pt = 1 px: the template's sizes are the floor's pixels


def typst_inputs(cards: list[Card]) -> dict[str, str]:
    """The template's `sys.inputs`: the cards as JSON (strings, so no text is ever read as markup)."""
    return {"cards": json.dumps(cards, ensure_ascii=False)}


def font_dirs() -> list[str]:
    """The folders of the floor's font files: Typst takes font folders, not files, and picks each
    role's face in them by family and weight (card-style.json names both), so the faces it uses
    are the floor's files."""
    return list(dict.fromkeys(str(path.parent) for path in font_files()))


def render_pages(cards: list[Card]) -> list[bytes]:
    """One PNG per card, typeset by Typst. A warning (an unknown font family would draw no
    text at all) is an error: the peer must draw what the floor draws."""
    import typst  # here, so that importing this module (the tests do) needs no typst

    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=font_dirs())
    pages, warnings = typst.compile_with_warnings(
        str(TEMPLATE), root=str(HERE), font_paths=fonts, format="png", ppi=PPI, sys_inputs=typst_inputs(cards)
    )
    if warnings:
        raise RuntimeError("typst: " + "; ".join(w.message for w in warnings))
    pages = pages if isinstance(pages, list) else [pages]  # a single page comes back as bytes
    if len(pages) != len(cards):
        raise RuntimeError(f"typst made {len(pages)} pages for {len(cards)} cards")
    return pages


def render_deck(deck_path: Path, out_root: Path) -> list[Path]:
    out_dir = Path(out_root) / Path(deck_path).stem
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for i, png in enumerate(render_pages(load_cards(deck_path))):
        path = out_dir / f"{i + 1:02d}.png"
        path.write_bytes(png)
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python benchmarks/typst_peer.py DECK.yaml OUTDIR", file=sys.stderr)
        return 2
    written = render_deck(Path(argv[0]), Path(argv[1]))
    print(f"{argv[0]}: {len(written)} slides → {written[0].parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
