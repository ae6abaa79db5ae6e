"""How big an input may be: one frozen `Limits` value, passed to the stages that read user files.

Every limit exists so that a hostile or broken file fails fast, with a clear message and little
memory, instead of exhausting the machine. The defaults are far above what a real carousel needs
(a 20-card deck is about 10 KB of YAML and 500 values) and may be raised by callers that trust
their input: `load_deck(path, limits=replace(DEFAULT_LIMITS, cards=500))`.

| limit            | default    | checked in | what it stops                                        |
|------------------|------------|------------|------------------------------------------------------|
| `yaml_bytes`     | 1 000 000  | source.py  | huge files read into memory                           |
| `yaml_nodes`     | 50 000     | source.py  | "billion laughs": aliases expanded while walking      |
| `yaml_depth`     | 32         | source.py  | deep nesting (Python recursion, libyaml stops at 1000)|
| `cards`          | 100        | deck.py    | decks that would render for minutes                   |
| `field_chars`    | 5 000      | deck.py    | one text field the size of a book                     |
| `list_items`     | 100        | deck.py    | `items:` lists (and any other list but `cards`)       |
| `image_bytes`    | 40 MB      | paint.py   | image files read from disk                            |
| `image_pixels`   | 40 MP      | paint.py   | decompression bombs (Pillow's guard set to the same)  |
| `canvas_side`    | 4096 px    | deck.py    | `size: 100000x100000`                                 |
| `canvas_min_side`| 320 px     | deck.py    | slides too small to hold any text                     |
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Upper bounds on user input (see the table in the module docstring for what each stops)."""

    yaml_bytes: int = 1_000_000
    yaml_nodes: int = 50_000
    yaml_depth: int = 32
    cards: int = 100
    field_chars: int = 5_000
    list_items: int = 100
    image_bytes: int = 40 * MB
    image_pixels: int = 40_000_000
    canvas_side: int = 4096
    canvas_min_side: int = 320


DEFAULT_LIMITS = Limits()
