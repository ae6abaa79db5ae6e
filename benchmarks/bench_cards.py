"""What the benchmark's renderers share: a deck file → the cards they draw, and the style they draw them in.

    load_cards(Path("benchmarks/bench-deck.yaml"))  → [{"cover": True, "counter": "1/7", …}, …]
    STYLE                                            ← benchmarks/card-style.json

The Pillow floor (`pillow_floor.py`) and the Typst peer (`typst_peer.py`) both read the deck here,
so they draw the same text: the deck's `defaults` merged into each card, step numbers counted
("01", "02", …), cardgen's `**` and `==` markup stripped, body text split into paragraphs at blank
lines, the "N/M" counter and, on a cover that is not the last card, the swipe hint. The style
(canvas, colours, font files, sizes, line heights and gaps: the default theme's values, copied
by hand) is `card-style.json`, which the satori peer (Node.js) reads as well.

It imports only PyYAML and the standard library, so it adds nothing to any renderer's start-up but
the YAML parse each of them pays anyway.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from typing import TypedDict

    class Card(TypedDict):
        """One card as every renderer draws it (texts plain, "" where the card has none)."""

        cover: bool
        counter: str
        number: str
        title: str
        subtitle: str
        paragraphs: list[str]
        footer: str
        hint: str


ROOT = Path(__file__).resolve().parent.parent
STYLE_FILE = Path(__file__).resolve().parent / "card-style.json"
STYLE: dict = json.loads(STYLE_FILE.read_text(encoding="utf-8"))


def font_file(role: str) -> Path:
    """The font file a role is drawn in, from the repository's fonts/ folder."""
    return ROOT / STYLE["roles"][role]["font"]


def font_files() -> list[Path]:
    """Every font file the cards use, each once, in role order."""
    return list(dict.fromkeys(font_file(role) for role in STYLE["roles"]))


def plain(text: object) -> str:
    """A deck text without cardgen's inline markup (`**bold**`, `==highlight==`)."""
    return str(text or "").replace("**", "").replace("==", "").strip()


def load_cards(deck_path: Path) -> list[Card]:
    """Read a deck file into the cards the benchmark's renderers draw, in order."""
    deck = yaml.safe_load(Path(deck_path).read_text(encoding="utf-8"))
    defaults = deck.get("defaults") or {}
    raw = [{**defaults, **card} for card in deck["cards"]]
    cards: list[Card] = []
    steps = 0
    for index, card in enumerate(raw):
        cover = card.get("layout") == "cover"
        number = card.get("number")
        if card.get("layout") == "step":
            steps += 1
            number = card.get("number", f"{steps:02d}")
        text = plain(card.get("text"))
        cards.append(
            {
                "cover": cover,
                "counter": f"{index + 1}/{len(raw)}",
                "number": str(number) if number and not cover else "",
                "title": plain(card.get("title")),
                "subtitle": plain(card.get("subtitle")) if cover else "",
                "paragraphs": text.split("\n\n") if text and not cover else [],
                "footer": plain(card.get("footer")),
                "hint": STYLE["hint"] if cover and index + 1 < len(raw) else "",
            }
        )
    return cards
