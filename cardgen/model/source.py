"""Where values came from: a parsed file's data and the line of every field path (pure).

Paths are tuples of keys and indexes: ("cards", 2, "title") → line 14.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cardgen.model.problems import Where

FieldPath = tuple[str | int, ...]


class Line(int):
    """A line number (1-based) that also knows its column: the YAML reader records these in the
    line maps, so every `where` made from a map can print `file:line:col` while the rest of the
    code (and the decks, themes and JSON that keep the maps) goes on seeing a plain int."""

    column: int | None

    def __new__(cls, line: int, column: int | None = None) -> Line:
        value = super().__new__(cls, line)
        value.column = column
        return value

    def __reduce__(self) -> tuple:  # worker processes get the column too
        return (Line, (int(self), self.column))


MAX_KEY_SHOWN = 40  # characters of a key shown in a field path
MAX_PARTS_SHOWN = 8  # keys and indexes shown in a field path


@dataclass(frozen=True)
class Source:
    """A parsed YAML file: its data and where each value came from."""

    path: Path
    data: Any
    lines: dict[FieldPath, int] = field(repr=False)

    def line_of(self, path: FieldPath) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        for cut in range(len(path), -1, -1):
            line = self.lines.get(path[:cut])
            if line is not None:
                return line
        return None

    def where(self, path: FieldPath) -> Where:
        line = self.line_of(path)
        return Where(self.path, line, format_path(path) or None, getattr(line, "column", None), card_number(path))


def card_number(path: FieldPath) -> int | None:
    """3 for a path inside cards[2]: card numbers as users count them; None outside `cards:`."""
    if len(path) >= 2 and path[0] == "cards" and isinstance(path[1], int):
        return path[1] + 1
    return None


def card_hint(path: FieldPath) -> str:
    """' (card 3)' for a path inside cards[2]."""
    card = card_number(path)
    return f" (card {card})" if card is not None else ""


def format_path(path: FieldPath) -> str:
    """("cards", 3, "title") → 'cards[3].title (card 4)'; very long keys are shortened."""
    out = ""
    if len(path) > MAX_PARTS_SHOWN:  # deep nesting: the start and the end say where
        path = (*path[: MAX_PARTS_SHOWN - 2], "…", path[-1])
    for part in path:
        if isinstance(part, str) and len(part) > MAX_KEY_SHOWN:
            part = part[: MAX_KEY_SHOWN - 1] + "…"  # a hostile key must not flood the message
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out + card_hint(path)
