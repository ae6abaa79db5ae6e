"""How big an input may be: one frozen `Limits` value, passed to the stages that read user files.

Every limit exists so that a hostile or broken file fails fast, with a clear message and little
memory, instead of exhausting the machine. The defaults are far above what a real carousel needs
(a 20-card deck is about 10 KB of YAML and 500 values) and may be raised by callers that trust
their input: `load_deck(path, limits=replace(DEFAULT_LIMITS, cards=500))`, or on the command line
with `--limit cards=500` (`with_overrides` reads those; each limit has a ceiling that keeps a raised
limit from crashing cardgen instead, see `CEILINGS`).

| limit            | default    | checked in | what it stops                                        |
|------------------|------------|------------|------------------------------------------------------|
| `yaml_bytes`     | 1 000 000  | source.py  | huge files read into memory                           |
| `yaml_nodes`     | 50 000     | source.py  | "billion laughs": aliases expanded while walking      |
| `yaml_depth`     | 32         | source.py  | deep nesting (Python recursion, libyaml stops at 1000)|
| `cards`          | 100        | deck.py    | decks that would render for minutes                   |
| `field_chars`    | 5 000      | deck.py    | one text field the size of a book                     |
| `list_items`     | 100        | deck.py    | `items:` lists (and any other list but `cards`)       |
| `image_bytes`    | 40 MB      | paint.py   | image files read from disk                            |
| `image_pixels`   | 40 MP      | paint.py   | decompression bombs (Pillow's guard follows a raise) |
| `canvas_side`    | 4096 px    | deck.py    | `size: 100000x100000`                                 |
| `canvas_min_side`| 320 px     | deck.py    | slides too small to hold any text                     |
| `deck_pixels`    | 400 MP     | render.py  | a deck that paints for minutes (100 cards of 4096²)   |

Time and memory are bounded together by these: a deck paints at most `deck_pixels` pixels (about
25 s on a loaded 2-core machine, 60 ms a megapixel to paint and encode), every text is set in
time linear in its length (`typeset`, `linebreak`), and the caches of pixels hold at most their
byte budgets (`paint`); see the README's limits section for the measurements.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace

from cardgen.model.problems import did_you_mean, safe_text, shown

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
    deck_pixels: int = 400_000_000  # cards × canvas pixels: 100 story cards, 68 portrait cards at --scale 2


DEFAULT_LIMITS = Limits()

# The most a limit may be raised to: beyond these cardgen would fail with Python's recursion limit
# (`yaml_depth`: the walk recurses per level) or run out of memory rather than with a message.
# `yaml_nodes`: a "billion laughs" file expands until the limit stops it, at about 2 µs and 150
# bytes a value: at 1 000 000 it fails in 1–3 s with under 200 MB (at 10 000 000 it took 46 s and
# 1.6 GB). A million values is 10 000 cards (the `cards` ceiling) of 100 values each.
CEILINGS = {
    "yaml_bytes": 100 * MB,
    "yaml_nodes": 1_000_000,
    "yaml_depth": 200,
    "cards": 10_000,
    "field_chars": 1_000_000,
    "list_items": 100_000,
    "image_bytes": 1024 * MB,
    "image_pixels": 400_000_000,
    "canvas_side": 16_384,
    "canvas_min_side": 16_384,
    "deck_pixels": 1_000_000_000_000,  # only time grows with it: a deck paints one card at a time
}
FLOORS = {"canvas_min_side": 100, "canvas_side": 100}  # a slide smaller than this holds no text


def limit_names() -> list[str]:
    return [f.name for f in fields(Limits)]


def with_overrides(texts: Iterable[str], base: Limits = DEFAULT_LIMITS) -> Limits:
    """ "NAME=VALUE" texts (`--limit cards=500`) → `base` with those limits changed.

    ValueError names what is wrong: an unknown name (the known ones listed), a value that is not a
    whole number, a value outside FLOORS..CEILINGS, a smallest canvas side above the largest.
    Dashes in a name are read as underscores (`image-bytes`), and `1_000_000` is a number.
    """
    changes: dict[str, int] = {}
    for text in texts:
        name, sep, value = text.partition("=")
        name = name.strip().replace("-", "_")
        if not sep:
            raise ValueError(
                f'--limit: expected NAME=VALUE such as cards=500, found "{safe_text(shown(text))}"; '
                f"names: {', '.join(limit_names())}"
            )
        if name not in limit_names():
            raise ValueError(
                f'--limit: unknown limit "{safe_text(shown(name))}"{did_you_mean(name, limit_names())}; '
                f"known: {', '.join(limit_names())}"
            )
        try:
            number = int(value.strip())
        except ValueError:
            raise ValueError(f'--limit {name}: expected a whole number, found "{safe_text(shown(value))}"') from None
        low, high = FLOORS.get(name, 1), CEILINGS[name]
        if not low <= number <= high:
            raise ValueError(f"--limit {name}: expected {low}–{high}, found {number}")
        changes[name] = number
    limits = replace(base, **changes)
    if limits.canvas_min_side > limits.canvas_side:
        raise ValueError(
            f"--limit: canvas_min_side ({limits.canvas_min_side}) is larger than canvas_side ({limits.canvas_side})"
        )
    return limits


def overrides(limits: Limits, base: Limits = DEFAULT_LIMITS) -> dict[str, int]:
    """The limits that differ from `base`, by name: what a run changed (for the manifest's options)."""
    return {f.name: getattr(limits, f.name) for f in fields(Limits) if getattr(limits, f.name) != getattr(base, f.name)}
