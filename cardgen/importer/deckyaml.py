"""A deck as plain data (dicts, lists, strings, numbers) → YAML text that reads like a hand-written deck (pure).

`cardgen import` writes decks that people then edit, so the output follows the example decks
in `decks/` rather than what a general dumper produces:

- keys in the order given (title, size, lang, caption, cards), two-space indentation;
- multi-line text as a literal block (`text: |`), so paragraphs read as paragraphs;
- plain scalars wherever YAML reads them back as the same string, double quotes otherwise
  (`"@sasha_smm"`, `"10:00"`, `"да"`… anything YAML 1.1 or 1.2 would turn into a number, a
  boolean, a date or null, or that holds `: `, ` #` or a leading indicator), and text with
  characters that hide or reorder text (bidi overrides, zero-width spaces) double-quoted with
  escapes, so they show in the editor;
- a blank line between cards, and an optional comment header.

The output always loads back (`yaml.safe_load`) to exactly the data given: a property test
checks this with random strings. No YAML library is needed to write it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

INDENT = "  "
# What YAML 1.1 or 1.2 resolves to something other than a string when written plain: PyYAML's
# own implicit resolvers (bool, float, int, merge, null, timestamp, value), plus y/n, which the 1.1
# spec lists as booleans and other parsers honour, plus the 1.2 core schema's numbers (`1e5`,
# `019`, `0o17`), which cardgen reads (see `cardgen.load.reader`).
_RESOLVES = re.compile(
    r"""^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|y|Y|n|N
    |[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+
    |[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
    |[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
    |<<|~|null|Null|NULL|=
    |[0-9]{4}-[0-9]{2}-[0-9]{2}
    |[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[\ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?
     (?:[\ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$""",
    re.VERBOSE,
)
# YAML's printable set (c-printable) minus what a plain or block scalar cannot carry safely, and
# the format characters that hide text or change its order on screen (bidi overrides and
# isolates, zero-width spaces, invisible marks; not the joiners of emoji): written as escapes,
# they show in the file.
_UNPRINTABLE = re.compile(
    "[^\t\n\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029\ufeff]"
    "|[\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069]"
)
_PLAIN_FIRST = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]")
_NEEDS_QUOTES = re.compile(r": |:$| #|\t|^\s|\s$|^-[\s]|^\?\s|^:\s")


def deck_yaml(deck: Mapping[str, Any], *, header: str | None = None) -> str:
    """Deck data → YAML text; `header` becomes `# ` comment lines at the top."""
    lines: list[str] = []
    if header:
        lines += [f"# {line}".rstrip() for line in header.splitlines()]
    lines += _mapping(deck, 0)
    return "\n".join(lines) + "\n"


def scalar(value: Any) -> str:
    """One value as a YAML scalar on one line (strings plain when safe, else double-quoted)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if _plain_ok(text):
        return text
    if "'" not in text and "\n" not in text and not _UNPRINTABLE.search(text):
        return f"'{text}'"  # single quotes read best: nothing inside is escaped
    return _quoted(text)


def _plain_ok(text: str) -> bool:
    return bool(
        text
        and "\n" not in text
        and _PLAIN_FIRST.match(text[0])
        and not _NEEDS_QUOTES.search(text)
        and not _RESOLVES.match(text)
        and not _UNPRINTABLE.search(text)
    )


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar: JSON escapes (valid YAML), plus escapes for what YAML forbids raw."""
    out = json.dumps(text, ensure_ascii=False)
    return _UNPRINTABLE.sub(lambda m: _escape(m.group(0)), out)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _block_ok(text: str) -> bool:
    """Multi-line text that a literal block carries exactly."""
    lines = text.rstrip("\n").split("\n")
    return (
        "\n" in text
        and not _UNPRINTABLE.search(text)
        and "\t" not in text
        and text.strip() != ""
        and not text.startswith((" ", "\n"))
        and all(line == line.rstrip(" ") for line in lines)  # trailing spaces are invisible when editing
        and text.count("\n", len(text.rstrip("\n"))) <= 1  # at most one final newline (| or |-)
    )


def _block(text: str, level: int) -> list[str]:
    chomp = "" if text.endswith("\n") else "-"
    pad = INDENT * level
    return [f"|{chomp}"] + [f"{pad}{line}" if line else "" for line in text.rstrip("\n").split("\n")]


def _mapping(data: Mapping[str, Any], level: int) -> list[str]:
    pad = INDENT * level
    lines: list[str] = []
    for key, value in data.items():
        name = scalar(str(key))
        if isinstance(value, str) and _block_ok(value):
            head, *rest = _block(value, level + 1)
            lines += [f"{pad}{name}: {head}", *rest]
        elif isinstance(value, Mapping) and value:
            lines.append(f"{pad}{name}:")
            lines += _mapping(value, level + 1)
        elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)) and value:
            lines.append(f"{pad}{name}:")
            lines += _sequence(value, level + 1, blank_between_items=key == "cards")
        elif isinstance(value, Mapping):
            lines.append(f"{pad}{name}: {{}}")
        elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
            lines.append(f"{pad}{name}: []")
        else:
            lines.append(f"{pad}{name}: {scalar(value)}")
    return lines


def _sequence(items: Sequence[Any], level: int, *, blank_between_items: bool) -> list[str]:
    pad = INDENT * level
    lines: list[str] = []
    for i, item in enumerate(items):
        if blank_between_items and i:
            lines.append("")
        if isinstance(item, Mapping) and item:
            inner = _mapping(item, level + 1)
            lines.append(f"{pad}- {inner[0].lstrip()}")  # the first key shares the dash's line
            lines += inner[1:]
        elif isinstance(item, str) and _block_ok(item):
            head, *rest = _block(item, level + 1)
            lines += [f"{pad}- {head}", *rest]
        elif isinstance(item, Sequence) and not isinstance(item, (str, bytes)) and item:
            inner = _sequence(item, level + 1, blank_between_items=False)
            lines.append(f"{pad}- {inner[0].lstrip()}")
            lines += inner[1:]
        else:
            empty = "{}" if isinstance(item, Mapping) else "[]"
            lines.append(f"{pad}- {scalar(item) if not isinstance(item, (Mapping, list)) else empty}")
    return lines
