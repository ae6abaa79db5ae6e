"""A plain `cardgen render …` or `cardgen check …` line → the values typer would give the command,
without typer (importing it and building the command is 25-30 ms and 4 MiB of every render).

Input: the arguments after `cardgen`, click's `default_map` from the project's config file, and
the environment. Output: the command's name and its keyword values, or None: "typer's". Only a
line made of the command's own options (long, short, `--opt=value`, `-jN`), their values and
DECK paths is taken, and only values that need no conversion typer does and this does not (a
choice in ASCII letters of any case, a number in ASCII digits within its bounds, a path typer's
path check passes); help, an unknown option, a bad or odd value, `--`, combined short options,
shell completion and an option's environment variable are typer's, so every message and exit
code stays its own. Values come as in click: the command line, then the option's environment
variable, then the config file's `default_map`, then the default; a repeated option's last value
wins, a repeatable one collects them all.

The options are `fast_table.json`, generated from the typer signatures in `cardgen.cli.app` by
`python -m cardgen.cli.fasttable`; tests/e2e/test_fastpath.py regenerates it and fails while it
differs, and compares what both parsers give for a few dozen argument lists.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

TABLE = Path(__file__).with_name("fast_table.json")
COMPLETE_VAR = "_CARDGEN_COMPLETE"  # typer's shell completion: `_{prog_name}_COMPLETE`, prog_name "cardgen"


@dataclass(frozen=True)
class Param:
    """One parameter of a command, as typer builds it (see `cardgen.cli.fasttable`)."""

    name: str  # the callback's keyword
    kind: str  # paths (the DECK… argument), text, path, int, choice, flag, texts (a repeatable option)
    default: Any  # what the callback gets when nothing gives a value (a path as its text)
    required: bool = False
    low: int | None = None
    high: int | None = None
    choices: tuple[str, ...] = ()
    case_sensitive: bool = True
    exists: bool = False  # typer's path check: its flags
    file_okay: bool = True
    dir_okay: bool = True
    readable: bool = True
    writable: bool = False
    envvar: tuple[str, ...] = ()


@dataclass(frozen=True)
class Command:
    params: tuple[Param, ...]
    # `-o`, `--out`, `--no-alt` → (the parameter, the value the flag sets; None: the option takes a value)
    options: dict[str, tuple[str, bool | None]]


@cache
def commands() -> dict[str, Command]:
    """The table, read once."""
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    return {
        name: Command(
            tuple(
                Param(**{**row, "choices": tuple(row.get("choices", ())), "envvar": tuple(row.get("envvar", ()))})
                for row in spec["params"]
            ),
            {option: (param, value) for option, (param, value) in spec["options"].items()},
        )
        for name, spec in table["commands"].items()
    }


class _Typers(Exception):
    """Not a plain line: typer parses it."""


def parsed(
    args: list[str], default_map: Mapping[str, Any] | None, environ: Mapping[str, str]
) -> tuple[str, dict[str, Any]] | None:
    """`args` → (command, its keyword values) when the line is plain, else None (see the module)."""
    command = commands().get(args[0]) if args else None
    if command is None or COMPLETE_VAR in environ:
        return None
    defaults = (default_map or {}).get(args[0]) or {}
    try:
        given = _given(args[1:], command)
        if any(key not in {p.name for p in command.params} for key in defaults):
            raise _Typers  # a setting typer would not look up: never from cardgen.load.config, but not guessed at
        return args[0], {param.name: _value(param, given, defaults, environ) for param in command.params}
    except _Typers:
        return None


def _given(tokens: list[str], command: Command) -> dict[str, Any]:
    """The command line → each parameter's text(s) as click's parser collects them."""
    given: dict[str, Any] = {}
    paths: list[str] = []
    kinds = {param.name: param.kind for param in command.params}
    rest = iter(tokens)
    for token in rest:
        if "\0" in token or token == "--":
            raise _Typers
        if not token.startswith("-"):
            paths.append(token)
            continue
        if token.startswith("--"):
            option, equals, value = token.partition("=")
            attached = bool(equals)
        else:  # -q, -o DIR, -oDIR (click: the rest of the token is the value); -qj2 → typer's
            option, value = token[:2], token[2:]
            attached = bool(value)
        name, flag = command.options.get(option, (None, None))
        if name is None:  # `-`, -h, --help, an unknown option
            raise _Typers
        if flag is not None:
            if attached:
                raise _Typers  # "--force=1": typer's error
            given[name] = flag
            continue
        if not attached:
            following = next(rest, None)
            if following is None or "\0" in following or following == "--":
                raise _Typers
            value = following
        if kinds[name] == "texts":
            given.setdefault(name, []).append(value)
        else:
            given[name] = value  # a repeated option: the last wins
    for param in command.params:
        if param.kind == "paths" and paths:
            given[param.name] = paths
    if paths and not any(param.kind == "paths" for param in command.params):
        raise _Typers
    return given


def _value(param: Param, given: dict[str, Any], defaults: Mapping[str, Any], environ: Mapping[str, str]) -> Any:
    if param.name in given:
        return _converted(param, given[param.name], typed=False)
    if any(name in environ for name in param.envvar):
        raise _Typers
    configured = defaults.get(param.name)
    if configured is not None:
        if callable(configured):
            raise _Typers
        return _converted(param, configured, typed=True)
    if param.required:
        raise _Typers  # typer's "missing DECK"
    if param.default is None:
        return None
    return _converted(param, param.default, typed=True)


def _converted(param: Param, value: Any, *, typed: bool) -> Any:
    """A value from the command line (text) or from the config file and the defaults (`typed`:
    already a bool, an int, a list) → what typer gives the callback; anything typer would convert
    differently or refuse → `_Typers`."""
    kind = param.kind
    if kind in ("paths", "texts"):
        if isinstance(value, (list, tuple)) and value and all(type(item) is str for item in value):
            return list(value)
    elif kind == "flag":
        if type(value) is bool:
            return value
    elif kind == "text":
        if type(value) is str:
            return value
    elif kind == "path":
        if isinstance(value, (str, Path)) and "\0" not in str(value):
            path = Path(value)
            if _passes_typers_path_check(path, param):
                return path
    elif kind == "int":
        number = value if typed and type(value) is int else _digits(value) if type(value) is str else None
        if (
            number is not None
            and (param.low is None or number >= param.low)
            and (param.high is None or number <= param.high)
        ):
            return number
    elif kind == "choice" and type(value) is str:
        if not param.case_sensitive and value.isascii():
            found = [choice for choice in param.choices if choice.lower() == value.lower()]
            if found:
                return found[0]  # click gives the choice as declared
        elif value in param.choices:
            return value
    raise _Typers


def _digits(text: str) -> int | None:
    """ASCII digits → the number; a sign, a space, `1_0`, other scripts' digits → None (typer's)."""
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)


def _passes_typers_path_check(path: Path, param: Param) -> bool:
    """typer's own check of a path option (`coerce_cli_path`): a path that does not exist passes
    unless it must exist; one that does is checked for its kind and access."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return not param.exists
    if not param.file_okay and stat.S_ISREG(found.st_mode):
        return False
    if not param.dir_okay and stat.S_ISDIR(found.st_mode):
        return False
    if param.readable and not os.access(path, os.R_OK):
        return False
    return not (param.writable and not os.access(path, os.W_OK))
