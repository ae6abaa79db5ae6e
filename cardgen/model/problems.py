"""User errors: one family, each carrying where (file, line, card, field), what and what was found.

Anything that is not a `CardgenError` is a bug and keeps its traceback.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Where:
    """A place in the user's input: file, line and column, and/or card number and field path."""

    file: Path | None = None
    line: int | None = None
    field: str | None = None  # e.g. "cards[3].title"
    column: int | None = None  # 1-based, where the value (or its key) starts; None when unknown

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file is not None:
            parts.append(f"{_display_path(self.file)}:{self.line}" if self.line else _display_path(self.file))
        if self.field:
            parts.append(self.field)
        return safe_text(": ".join(parts))


def column_of(where: Where) -> int | None:
    """The column of a place: its own, or the one its line number carries (`source_types.Line`)."""
    return where.column if where.column is not None else getattr(where.line, "column", None)


def diagnostic(level: str, message: str, file: Path | str | None = None, line: int | None = None,
               column: int | None = None, field: str | None = None) -> str:
    """One problem as one line in the form editors, problem matchers and CI logs read:
    `path:line:col: error: field: message` (`path:line: …` without a column, `path: …` without a
    line, `error: …` without a file). Control characters are escaped."""
    place = ""
    if file is not None:
        place = _display_path(Path(file)) + (f":{line}" if line else "") + (f":{column}" if line and column else "")
    text = f"{field}: {message}" if field else message
    return safe_text(f"{place}: {level}: {text}" if place else f"{level}: {text}")


def _display_path(path: Path) -> str:
    """Relative to the working directory when that is shorter: errors should read like the command line."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class CardgenError(Exception):
    """A problem with the user's input. The CLI prints it as one line and exits non-zero."""

    kind = "input"
    # The warnings found before the error stopped the deck (`cardgen check` reports them too).
    warnings: tuple = ()
    # Errors found but not listed (a deck lists at most `deck.MAX_REPORTED`): counted all the same.
    unlisted: int = 0

    def __init__(self, message: str, where: Where | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where or Where()

    def __str__(self) -> str:
        place = str(self.where)
        message = safe_text(self.message)
        return f"{place}: {message}" if place else message


class DeckError(CardgenError):
    kind = "deck"


class ThemeError(CardgenError):
    kind = "theme"


class FontError(CardgenError):
    kind = "font"


class AssetError(CardgenError):
    kind = "asset"


class LayoutError(CardgenError):
    kind = "layout"


# C0/C1 controls (newlines too: an error is one line), DEL, the bidi overrides and isolates that
# can make a terminal show text in another order ("Trojan source"), and lone surrogates: the bytes
# of a file name that is not UTF-8 (a cp1251 name from a Windows zip), as Python keeps them.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def safe_text(text: str) -> str:
    """Text from user files, made safe for one terminal line: controls shown as escapes (\\x1b), and
    a byte of a file name that is not UTF-8 as the byte (\\xff), so the line always prints."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if "\udc80" <= char <= "\udcff":  # os.fsdecode's stand-in for an undecodable byte
        return f"\\x{ord(char) - 0xDC00:02x}"
    return char.encode("unicode_escape", "backslashreplace").decode("ascii")


def shown(value: object, most: int = 60) -> str:
    """A user value quoted in a message: shortened to `most` characters (the rest is an ellipsis)."""
    text = str(value)
    return text if len(text) <= most else text[: most - 1] + "…"


def shown_ends(text: str, most: int = 60) -> str:
    """A long user value quoted by its first and last characters (`abcdefgh…uvwxyz`), for a
    message that must stay one readable line: the ends are what the user recognises."""
    if len(text) <= most:
        return text
    head = (most - 1) * 2 // 3
    return text[:head] + "…" + text[-(most - 1 - head):]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "x"?)' for the closest choice, or ''."""
    if len(word) > 100:  # no real typo is that long; difflib would only waste time on it
        return ""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{match[0]}"?)' if match else ""


def one_of(choices: Iterable[str]) -> str:
    return ", ".join(sorted(choices))
