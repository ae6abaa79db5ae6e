"""The project's config file → default option values for each command, and where each came from.

Input: a folder (the working folder, or a deck's folder). The config is `cardgen.toml` (its top
level) or the `[tool.cardgen]` table of a `pyproject.toml`, whichever is found first going up
from that folder (in one folder, `cardgen.toml` wins; a `pyproject.toml` without the table is
passed over, as ruff does). Output: a `Config`: the file, each setting with its line, and
`default_map()`, the defaults click gives each command's options (a flag on the command line
wins over them). Paths in the file resolve against the file's folder, so a command run from a
subfolder means the same folders; that folder is also the project: the default `--root`, and a
second `themes/` folder that theme names are looked up in (see `theme.find_theme`).

Reading it costs a few `stat` calls and, when there is a file, `tomllib`: no pydantic, so the
"nothing changed" path of `render` stays light. The JSON Schema (`schema()`) is written from the
same table of settings that validates the file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cardgen.model.names import FORMATS, PLATFORMS
from cardgen.model.problems import CardgenError, Where, combine, did_you_mean, safe_text, shown
from cardgen.model.source import Line
from cardgen.base.caches import memo
from cardgen.base.files import read_regular
from cardgen.model.limits import CEILINGS, FLOORS, limit_names, with_overrides

CONFIG_FILE = "cardgen.toml"
PYPROJECT = "pyproject.toml"
ALL_DECK_COMMANDS = ("render", "check", "watch", "preview", "quality")


class ConfigError(CardgenError):
    kind = "config"


@dataclass(frozen=True)
class Setting:
    """One key of the config file: what it holds, the commands it applies to, their option."""

    key: str
    kind: str  # text, path, paths, flag, number, choice, limits
    commands: tuple[str, ...]
    param: str  # the click parameter it gives a default to
    help: str
    choices: Callable[[], tuple[str, ...]] | None = None
    low: int | None = None
    high: int | None = None
    default: str = "none"  # how the default reads in `cardgen config`


def _formats() -> tuple[str, ...]:
    return (*FORMATS, "jpg")


def _platforms() -> tuple[str, ...]:
    return PLATFORMS


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "decks",
        "paths",
        ("render", "check", "watch"),
        "paths",
        "Deck files, folders and glob patterns to use when a command names none.",
        default="none: name them",
    ),
    Setting("out", "path", ("render", "watch"), "out", "Output folder (-o).", default="out"),
    Setting(
        "theme",
        "text",
        ALL_DECK_COMMANDS,
        "theme",
        "Theme name or path instead of each deck's (--theme).",
        default="each deck's own",
    ),
    Setting(
        "size",
        "text",
        (*ALL_DECK_COMMANDS, "theme-preview"),
        "size",
        'portrait, square, telegram, story or "WIDTHxHEIGHT", instead of each deck\'s (--size).',
        default="each deck's own",
    ),
    Setting(
        "platform",
        "choice",
        ("render", "check"),
        "platform",
        "The platform to publish for (--for).",
        _platforms,
        default="each deck's own",
    ),
    Setting(
        "format",
        "choice",
        ("render",),
        "fmt",
        "The file format (--format).",
        _formats,
        default="the platform's, else png",
    ),
    Setting("scale", "number", ("render",), "scale", "2: twice the pixels (--scale).", low=1, high=2, default="1"),
    Setting(
        "quality",
        "number",
        ("render",),
        "quality",
        "JPEG quality; lossy WebP at it (--quality).",
        low=1,
        high=100,
        default="JPEG 90, WebP lossless",
    ),
    Setting(
        "root",
        "path",
        ALL_DECK_COMMANDS,
        "root",
        "Paths in decks and themes must stay inside this folder (--root).",
        default="this file's folder",
    ),
    Setting(
        "allow-outside-paths",
        "flag",
        ALL_DECK_COMMANDS,
        "allow_outside",
        "Allow absolute paths and paths outside the root (--allow-outside-paths).",
        default="false",
    ),
    Setting(
        "strict",
        "flag",
        ("render", "check", "watch"),
        "strict",
        "Treat warnings as errors (--strict).",
        default="false",
    ),
    Setting(
        "jobs",
        "number",
        ("render", "check", "watch"),
        "jobs",
        "Cores to keep busy (-j).",
        low=1,
        high=1024,
        default="the number of cores",
    ),
    Setting(
        "alt",
        "flag",
        ("render",),
        "alt",
        "Write alt.txt beside the slides (--alt).",
        default="only --for instagram and linkedin",
    ),
    Setting(
        "annotations",
        "choice",
        ("render", "check", "preview", "quality"),
        "annotations",
        "github: GitHub Actions workflow commands for each error and warning (--annotations).",
        lambda: ("github", "none"),
        default="github when GITHUB_ACTIONS=true",
    ),
    Setting(
        "limits",
        "limits",
        ALL_DECK_COMMANDS,
        "limit",
        "Input limits, NAME = VALUE (--limit NAME=VALUE).",
        default="the README's limits table",
    ),
)
BY_KEY = {s.key: s for s in SETTINGS}


@dataclass(frozen=True)
class Config:
    """A config file, read and checked: the values as written, and the line of each."""

    path: Path
    table: str  # "[tool.cardgen]" or "" for cardgen.toml's top level
    values: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def where(self, key: str) -> Where:
        return Where(self.path, self.lines.get(key) or self.lines.get(key.split(".", maxsplit=1)[0]), self._field(key))

    def _field(self, key: str) -> str:
        return f"{self.table} {key}" if self.table else key

    def limits(self) -> list[str]:
        """The `limits` table as --limit texts (NAME=VALUE), before any --limit of the command line."""
        return [f"{name}={value}" for name, value in self.values.get("limits", {}).items()]

    def default_map(self) -> dict[str, dict[str, Any]]:
        """click's per-command defaults: paths made relative to the working folder (as if typed
        there), the project folder as the default root."""
        out: dict[str, dict[str, Any]] = {}
        values = dict(self.values)
        values.setdefault("root", ".")
        for key, value in values.items():
            setting = BY_KEY[key]
            if setting.kind == "limits":
                continue  # merged with the command line's --limit (cardgen.cli.app), not replaced by it
            if setting.kind == "path":
                value = self.relative(value)
            elif setting.kind == "paths":
                value = [self.relative(v) for v in value]
            elif key == "theme" and _is_path(value):
                value = str((self.folder / value).absolute())
            for command in setting.commands:
                out.setdefault(command, {})[setting.param] = value
        return out

    def relative(self, value: str) -> str:
        """A path written in the file → the same path as typed in the working folder."""
        target = self.folder / value
        try:
            return os.path.relpath(target)
        except ValueError:  # another drive (Windows)
            return str(target.absolute())

    def describe(self) -> list[tuple[str, str, str]]:
        """Every setting → (key, its value or default, where it came from): for `cardgen config`."""
        rows = []
        for setting in SETTINGS:
            if setting.key in self.values:
                value = self.values[setting.key]
                shown_value = _toml(value)
                source = f"{_display(self.path)}:{self.lines.get(setting.key, '?')}"
            elif setting.key == "root":
                shown_value, source = _toml("."), f"{_display(self.path)} (its folder)"
            else:
                shown_value, source = f"({setting.default})", "default"
            rows.append((setting.key, shown_value, source))
        return rows


def _is_path(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}"
    return str(value)


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


@memo(files=True)
def find_config(folder: Path) -> Path | None:
    """The config file that applies in `folder`: cardgen.toml, or a pyproject.toml with a
    [tool.cardgen] table, in the folder or the nearest one above it; None when there is none."""
    try:
        start = folder.absolute()
    except OSError:
        return None
    for here in (start, *start.parents):
        candidate = here / CONFIG_FILE
        if _is_file(candidate):
            return candidate
        candidate = here / PYPROJECT
        if _is_file(candidate) and _has_table(candidate):
            return candidate
    return None


def project_folder(folder: Path) -> Path | None:
    """The folder of the config file that applies in `folder`, or None."""
    found = find_config(folder)
    return found.parent if found is not None else None


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


_TABLE = re.compile(r"^\s*\[\s*tool\s*\.\s*cardgen\s*[\].]", re.MULTILINE)
MAX_BYTES = 1_000_000  # a config file is a few lines; a larger one is refused before it is read whole


def _read(path: Path) -> str:
    try:
        raw = read_regular(path, MAX_BYTES)
    except OSError as exc:
        raise ConfigError(f"cannot read the config file: {exc.strerror or exc}", Where(path)) from None
    if len(raw) > MAX_BYTES:
        raise ConfigError(f"the file is larger than {MAX_BYTES} bytes", Where(path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"expected UTF-8 text, found byte 0x{raw[exc.start]:02x}", Where(path, line)) from None


def _has_table(path: Path) -> bool:
    try:
        return bool(_TABLE.search(_read(path)))
    except ConfigError:
        return True  # an unreadable pyproject.toml is reported by load_config, not passed over


def load_config(path: Path) -> Config:
    """A config file → `Config`; every problem is a `ConfigError` at its line."""
    import tomllib  # here, not at the top: a project without a config file never loads it (~3 ms)

    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # "Cannot overwrite a value (at line 3, column 10)": Python 3.11's tomllib puts the place in the text.
        found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", str(exc))
        message = str(exc)[: found.start()] if found else str(exc)
        line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
        raise ConfigError(f"invalid TOML: {message}", Where(path, line, column=column)) from None
    if path.name == PYPROJECT:
        table, values = "[tool.cardgen]", data.get("tool", {}).get("cardgen", {})
        prefix: tuple[str, ...] = ("tool", "cardgen")
    else:
        table, values, prefix = "", data, ()
    lines = _key_lines(text, prefix)
    config = Config(path, table, {}, lines)
    if not isinstance(values, dict):
        raise ConfigError("expected a table of settings", config.where(""))
    errors = []
    checked: dict[str, Any] = {}
    for key, value in values.items():
        try:
            checked[key] = _check(key, value)
        except ValueError as exc:
            errors.append(ConfigError(str(exc), config.where(key)))
    if errors:
        raise combine(errors)
    return Config(path, table, checked, lines)


def _check(key: str, value: Any) -> Any:
    """One setting's value as written → the value; ValueError says what was expected."""
    setting = BY_KEY.get(key)
    if setting is None:
        known = ", ".join(BY_KEY)
        raise ValueError(f'unknown setting "{safe_text(shown(key))}"{did_you_mean(key, BY_KEY)}; known: {known}')
    kind = setting.kind
    if kind in ("text", "path") and isinstance(value, str) and value.strip() and "\x00" not in value:
        return value
    if kind == "paths" and isinstance(value, str):
        value = [value]
    if kind == "paths" and isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return value
    if kind == "flag" and isinstance(value, bool):
        return value
    if kind == "number" and isinstance(value, int) and not isinstance(value, bool):
        if setting.low is not None and setting.high is not None and not setting.low <= value <= setting.high:
            raise ValueError(f"expected {setting.low}–{setting.high}, found {value}")
        return value
    if kind == "choice" and isinstance(value, str) and setting.choices is not None:
        choices = setting.choices()
        if value.lower() in choices:
            return value.lower()
        raise ValueError(f'expected one of {", ".join(choices)}; found "{safe_text(shown(value))}"')
    if kind == "limits" and isinstance(value, dict):
        texts = [
            f"{name}={number}" if isinstance(number, int) and not isinstance(number, bool) else f"{name}=?"
            for name, number in value.items()
        ]
        try:
            with_overrides(texts)
        except ValueError as exc:
            raise ValueError(str(exc).replace("--limit", "limits", 1)) from None
        return value
    expected = {
        "text": "text",
        "path": "a path (text)",
        "paths": "a path or a list of paths",
        "flag": "true or false",
        "number": "a whole number",
        "choice": "text",
        "limits": "a table of NAME = VALUE",
    }
    raise ValueError(f"expected {expected[kind]}, found {_kind_of(value)}")


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f'the text "{safe_text(shown(value))}"' if value.strip() else "empty text"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)\s*=")


def _key_lines(text: str, prefix: tuple[str, ...]) -> dict[str, int]:
    """The line of each setting in the table `prefix` ("limits.cards" for a [… .limits] table's
    keys), read from the text: tomllib keeps no positions. Good enough for a config's plain keys."""
    lines: dict[str, int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            table = tuple(part.strip().strip("\"'") for part in header.group(1).split("."))
            if table == prefix:
                lines.setdefault("", number)
            continue
        key = _KEY.match(line)
        if not key:
            continue
        name = key.group(1).strip("\"'")
        at = Line(number, key.start(1) + 1)
        if table == prefix:
            lines.setdefault(name, at)
        elif table[: len(prefix)] == prefix and len(table) == len(prefix) + 1:
            lines.setdefault(table[-1], lines.get(table[-1]) or Line(number - 1, 1))
            lines.setdefault(f"{table[-1]}.{name}", at)
    return lines


def schema() -> dict[str, Any]:
    """The JSON Schema of the settings (cardgen.toml's top level, or pyproject's [tool.cardgen])."""
    properties: dict[str, Any] = {}
    for setting in SETTINGS:
        kind = setting.kind
        entry: dict[str, Any] = {"description": setting.help}
        if kind in ("text", "path"):
            entry.update(type="string", minLength=1)
        elif kind == "paths":
            entry["anyOf"] = [
                {"type": "string", "minLength": 1},
                {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
            ]
        elif kind == "flag":
            entry["type"] = "boolean"
        elif kind == "number":
            entry.update(type="integer", minimum=setting.low, maximum=setting.high)
        elif kind == "choice" and setting.choices is not None:
            entry.update(type="string", enum=list(setting.choices()))
        elif kind == "limits":
            entry.update(
                type="object",
                additionalProperties=False,
                properties={
                    name: {"type": "integer", "minimum": FLOORS.get(name, 1), "maximum": CEILINGS[name]}
                    for name in limit_names()
                },
            )
        properties[setting.key] = entry
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "cardgen project settings",
        "description": "cardgen.toml, or the [tool.cardgen] table of pyproject.toml. Command-line flags win.",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }
