"""Problems with the user's input → one shape, from every stage to the CLI, `--json`, the report
and the manifest (pure).

- `Where`: a place in the input (file, line, column, field path, and the card as users count it).
- `Problem`: one located problem, an error or a warning: message, hint, place, kind. Printed as
  `path:line:col: error: field: message` (`diagnostic`), as `path:line: field: message` (`str`),
  and as the `--json` object (`as_json`).
- `CardgenError`: the exception that carries a stage's errors (one or many) to the caller; its
  kinds (`DeckError`, `ThemeError`, …) name the stage. Anything that is not a `CardgenError` is
  a bug and keeps its traceback.
- `combine` and `Findings`: the one place errors are gathered, deduplicated, ordered by file and
  line, and capped at `MAX_REPORTED` (the rest counted).

The text helpers for messages (`safe_text`, `shown`, `did_you_mean`, …) live here too, so every
message quotes user values alike.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

MAX_REPORTED = 20  # errors listed for one run of a deck; the rest are counted
WARNING = "warning"  # the kind of every warning; every other kind is an error


@dataclass(frozen=True, slots=True)
class Where:
    """A place in the user's input: file, line and column, the field path, and the card (1-based,
    as users count) when the field is inside `cards:`."""

    file: Path | None = None
    line: int | None = None
    field: str | None = None  # e.g. "cards[3].title (card 4)"
    column: int | None = None  # 1-based, where the value (or its key) starts; None when unknown
    card: int | None = None

    def __post_init__(self) -> None:
        # A line from a YAML line map knows its column (`model.source.Line`).
        if self.column is None and getattr(self.line, "column", None) is not None:
            object.__setattr__(self, "column", self.line.column)  # type: ignore[union-attr]

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file is not None:
            parts.append(f"{display_path(self.file)}:{self.line}" if self.line else display_path(self.file))
        if self.field:
            parts.append(self.field)
        return safe_text(": ".join(parts))


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem with the user's input: an error or a warning.

    `kind` is "warning" for a warning, else the error's kind (deck, theme, font, layout, asset,
    output, config, strict, internal, more). `hint` says how to fix it, when that is said apart
    from what is wrong; printed and in JSON it follows the message after "; ". `card` is the card
    as users count it. `code` names a platform's finding ("caption-length") for tests and tools.
    """

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    card: int | None = None
    kind: str = WARNING
    column: int | None = None
    hint: str | None = None
    code: str | None = None

    @classmethod
    def at(
        cls,
        where: Where | None,
        message: str,
        *,
        kind: str = WARNING,
        card: int | None = None,
        hint: str | None = None,
        code: str | None = None,
    ) -> Problem:
        """A problem at `where`. An error is on the card its place is in; a warning names its card itself
        (the card as laid out, which a split deck numbers anew)."""
        where = where or Where()
        if kind != WARNING and card is None:
            card = where.card
        return cls(
            message,
            str(where.file) if where.file is not None else None,
            int(where.line) if where.line is not None else None,
            where.field,
            card,
            kind,
            where.column,
            hint,
            code,
        )

    @property
    def severity(self) -> str:
        """ "warning" or "error" (a warning made an error by --strict is an error)."""
        return WARNING if self.kind == WARNING else "error"

    @property
    def where(self) -> Where:
        return Where(Path(self.file) if self.file is not None else None, self.line, self.field, self.column, self.card)

    @property
    def text(self) -> str:
        """The message and the hint, as printed."""
        text = f"{self.message}; {self.hint}" if self.hint else self.message
        return f"{text} (--strict)" if self.kind == "strict" else text

    def placed(self, where: Where) -> Problem:
        """This problem at `where` (a platform's finding, placed in the deck)."""
        return Problem.at(where, self.message, kind=self.kind, card=self.card, hint=self.hint, code=self.code)

    def __str__(self) -> str:
        place = str(self.where)
        return f"{place}: {safe_text(self.text)}" if place else safe_text(self.text)

    def diagnostic(self) -> str:
        """One line in the form editors, problem matchers and CI logs read: `path:line:col: error:
        field: message` (`path:line: …` without a column, `path: …` without a line, `error: …`
        without a file). Control characters are escaped."""
        place = ""
        if self.file is not None:
            place = display_path(Path(self.file)) + (f":{self.line}" if self.line else "")
            place += f":{self.column}" if self.line and self.column else ""
        text = f"{self.field}: {self.text}" if self.field else self.text
        return safe_text(f"{place}: {self.severity}: {text}" if place else f"{self.severity}: {text}")

    def as_json(self) -> dict[str, Any]:
        """The object of `--json`, the layout report and the manifest (its keys and their order are
        a contract: CI scripts read them)."""
        text = f"{self.message}; {self.hint}" if self.hint else self.message
        return {
            "message": text,
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "card": self.card,
            "kind": self.kind,
            "column": self.column,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Problem:
        """`as_json`'s object → the problem (a manifest's warnings, replayed for a skipped deck)."""
        return cls(
            str(data.get("message", "")),
            data.get("file"),
            data.get("line"),
            data.get("field"),
            data.get("card"),
            str(data.get("kind", WARNING)),
            data.get("column"),
        )


def display_path(path: Path) -> str:
    """Relative to the working directory when that is shorter: errors should read like the command line."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class CardgenError(Exception):
    """Problems with the user's input that stop a stage: one or several errors, and the warnings
    found before them (`cardgen check` reports both). The CLI prints each as one line and exits 1."""

    kind = "input"

    def __init__(self, message: str, where: Where | None = None, *, hint: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = (Problem.at(where, message, kind=self.kind, hint=hint),)
        self.warnings: tuple[Problem, ...] = ()
        self.unlisted = 0  # errors found beyond the MAX_REPORTED listed: counted all the same
        super().__init__(message)

    @classmethod
    def of(
        cls, problems: Sequence[Problem], kind: str, *, warnings: Sequence[Problem] = (), unlisted: int = 0
    ) -> CardgenError:
        """Several errors found together, as one exception of the first one's kind."""
        error = cls.__new__(cls)
        Exception.__init__(error, "\n".join(str(p) for p in problems))
        error.problems = tuple(problems)
        error.warnings = tuple(warnings)
        error.unlisted = unlisted
        error.kind = kind
        return error

    @property
    def message(self) -> str:
        """What is wrong (with the hint): the one error's, or every error's line."""
        return self.problems[0].text if len(self.problems) == 1 else "\n".join(str(p) for p in self.problems)

    @property
    def where(self) -> Where:
        return self.problems[0].where

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


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


class StrictError(CardgenError):
    """Warnings made errors by --strict."""

    kind = "strict"

    def __init__(self, warnings: Sequence[Problem]) -> None:
        super().__init__("")
        self.problems = tuple(replace(w, kind=self.kind) for w in warnings)


def combine(errors: Iterable[CardgenError], warnings: Sequence[Problem] = ()) -> CardgenError:
    """Errors → the one error (if one), else one `CardgenError` that lists them in line order.

    Errors of several files (a deck and its theme) are grouped by file, in the order the files
    first appear; the same error found twice (by two stages) is listed once; at most MAX_REPORTED
    are listed and a last line counts the rest. `warnings`: those found beside the errors
    (`cardgen check` reports both), kept on the error."""
    errors = list(errors)
    unique: dict[str, tuple[Problem, CardgenError]] = {}
    unlisted = 0  # errors an earlier combine found but did not list
    for error in errors:
        unlisted += error.unlisted
        for problem in error.problems:
            if problem.kind != "more":
                unique.setdefault(str(problem), (problem, error))
    found = list(unique.values())
    files = list(dict.fromkeys(p.file for p, _ in found))
    found.sort(key=lambda pair: (files.index(pair[0].file), pair[0].line or 0))
    if len(found) == 1 and not unlisted and len(found[0][1].problems) == 1:
        error = found[0][1]  # the one error as it was raised: its kind, its class
        error.warnings = tuple(warnings)
        return error
    problems = [p for p, _ in found]
    unlisted += max(0, len(problems) - MAX_REPORTED)
    if unlisted:  # on a line of its own, without a place
        problems = [
            *problems[:MAX_REPORTED],
            Problem(
                f"… and {unlisted} more error{'s' if unlisted != 1 else ''} (fix these and run again to see them)",
                kind="more",
            ),
        ]
    return CardgenError.of(
        problems, problems[0].kind if problems else CardgenError.kind, warnings=warnings, unlisted=unlisted
    )


class Findings:
    """The errors the stages found while they went on, kept to be raised together (see `combine`).
    A stage that finds an error goes on with what is left, so that the later stages can report
    theirs too. (Warnings are values the stages return: `LaidOutDeck.warnings`.)"""

    def __init__(self) -> None:
        self.errors: list[CardgenError] = []

    def error(self, error: CardgenError) -> None:
        self.errors.append(error)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_errors(self, warnings: Sequence[Problem] = ()) -> None:
        """Raise every error found so far, together (with `warnings`, for `cardgen check`)."""
        if self.errors:
            raise combine(self.errors, warnings)


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
    return text[:head] + "…" + text[-(most - 1 - head) :]


def quoted(text: str, most: int = 60) -> str:
    """A user text quoted in a message: in «», or in “” when it holds guillemets of its own (so a
    credit ending in «Чистого Берега» does not close with »»); a long one shortened at spaces,
    keeping its first and last words (`Андрей Соколов, владелец… Берега»`), never cut inside a word
    unless a single word is that long."""
    text = " ".join(text.split())
    if len(text) > most:
        words = text.split(" ")
        head: list[str] = []
        tail: list[str] = []
        budget = most - 2  # the ellipsis and the space after it
        for word in words:  # the first words, up to two thirds of the room
            if sum(len(w) + 1 for w in head) + len(word) > budget * 2 // 3:
                break
            head.append(word)
        for word in reversed(words[len(head) :]):
            if sum(len(w) + 1 for w in head + tail) + len(word) > budget:
                break
            tail.insert(0, word)
        if head and tail:
            text = " ".join(head).rstrip(",;:") + "… " + " ".join(tail)
        elif head:
            text = " ".join(head).rstrip(",;:") + "…"
        else:  # one long word (an address, a run without spaces): its ends
            text = shown_ends(text, most)
    marks = "“”" if "«" in text or "»" in text else "«»"
    return marks[0] + text + marks[1]


def px(size: float) -> str:
    """A type size or length in a message: one decimal at most, none when it is whole (`47.4`,
    `137.5`, `64`), never the float the fitting arrived at (`137.481`)."""
    return f"{size:.1f}".removesuffix(".0")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "x"?)' for the closest choice, or ''."""
    if len(word) > 100:  # no real typo is that long; difflib would only waste time on it
        return ""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{match[0]}"?)' if match else ""


def one_of(choices: Iterable[str]) -> str:
    return ", ".join(sorted(choices))


def found(value: Any) -> str:
    """What the user wrote, named for a message: 'the number 42', 'the text "…"', 'an empty list'."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'}"
    if isinstance(value, float) and not math.isfinite(value):  # YAML's .nan, .inf and -.inf
        return ".nan (not a number)" if math.isnan(value) else f"{'-' if value < 0 else ''}.inf (infinity)"
    if isinstance(value, (int, float)):
        return f"the number {shown(value, 40)}"
    if isinstance(value, str):
        return f'the text "{shown(value, 40)}"' if value else "empty text"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    return f"a {type(value).__name__}"
