"""YAML file → (plain data, line map). The line map lets every later error name the line.

Paths in the line map are tuples of keys and indexes: ("cards", 2, "title") → 14.
Hostile files fail fast: size, nesting depth and alias expansion are bounded by `Limits`.

Plain values are read by YAML 1.2's core schema, as editors and the YAML language server read
them: only true and false (any case) are booleans, so `title: no` is the text "no" and `qr: yes`
is no true; `012` is twelve, `0o12` ten; `10:30` and `2024-05-01` are text; `1e5` is a number.
(PyYAML alone reads YAML 1.1: yes/no/on/off booleans, sexagesimal and octal numbers.)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import yaml

from cardgen.model.problems import CardgenError, Where
from cardgen.base.files import NotRegularFile, open_regular, read_at_most
from cardgen.model.limits import DEFAULT_LIMITS, Limits
from cardgen.model.source import FieldPath, Line, Source, card_number, format_path


_OTHER_ENCODINGS = (  # byte-order marks of encodings that are not UTF-8, longest first
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"


class _CoreLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (libyaml's when installed), resolving plain scalars by YAML 1.2's core schema."""

    yaml_implicit_resolvers: ClassVar[dict] = {}  # PyYAML's own attribute: this class's resolvers only


# YAML 1.2.2, 10.3.2 (core schema), and "<<" only so that a merge key gets its own message.
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (_INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+0123456789."),
    ),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", ["<"]),
):
    _CoreLoader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


class _CoreConstructor(yaml.constructor.SafeConstructor):
    """Integers and booleans as YAML 1.2 reads them (`!!int` and `!!bool` tags too)."""

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        value = str(self.construct_scalar(node))
        sign = -1 if value.startswith("-") else 1
        digits = value.lstrip("+-")
        if digits.startswith(("0o", "0x")):
            return sign * int(digits[2:], 8 if digits[1] == "o" else 16)
        return sign * int(digits, 10)  # "012" is twelve; "1_000" and "1:30" are not numbers (ValueError)

    def construct_yaml_bool(self, node: yaml.ScalarNode) -> bool:
        value = str(self.construct_scalar(node))
        if value.lower() not in ("true", "false"):
            raise ValueError(value)  # !!bool yes: YAML 1.1's words are no booleans here
        return value.lower() == "true"


# types-PyYAML types add_constructor for the base class's own methods only
_CoreConstructor.add_constructor(_INT, _CoreConstructor.construct_yaml_int)  # type: ignore[type-var]
_CoreConstructor.add_constructor(_BOOL, _CoreConstructor.construct_yaml_bool)  # type: ignore[type-var]


def read_yaml(path: Path, error: type[CardgenError] = CardgenError, limits: Limits = DEFAULT_LIMITS) -> Source:
    """A UTF-8 YAML file (a BOM is fine) → `Source`; any problem becomes `error` naming the file (and line)."""
    raw = _read_bounded(path, error, limits.yaml_bytes)
    for bom, name in _OTHER_ENCODINGS:
        if raw.startswith(bom):
            raise error(f"expected UTF-8 text, found {name}; save the file as UTF-8", Where(path))
    if b"\x00" in raw:
        # UTF-16 or UTF-32 without a BOM has zeros in ASCII text: name it, it is common.
        wide = _wide_encoding(raw)
        if wide:
            raise error(f"expected UTF-8 text, found {wide}; save the file as UTF-8", Where(path))
        raise error("expected a UTF-8 text file, found binary data", Where(path))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(
            f"expected UTF-8 text, found byte 0x{raw[exc.start]:02x}; save the file as UTF-8",
            Where(path, line),
        ) from None
    return parse_yaml(text, path, error, limits)


_WIDE = (("utf-32-le", 4, "UTF-32"), ("utf-32-be", 4, "UTF-32"), ("utf-16-le", 2, "UTF-16"), ("utf-16-be", 2, "UTF-16"))
_NOT_TEXT = {"Cc", "Cn", "Co", "Cs"}  # controls, unassigned, private use, lone surrogates


def _wide_encoding(raw: bytes) -> str | None:
    """ "UTF-32" or "UTF-16" when the bytes (which hold a zero) decode to plain text in one, else None.

    Zeros alone do not tell: a program or an image has plenty. Text decodes strictly, holds no
    controls but tabs and line breaks, and has ASCII in it (keys, spaces, line breaks); binary
    data read as UTF-16 is a string of NULs, lone surrogates and unassigned characters.
    UTF-32 is tried first: its ASCII, read as UTF-16, has a NUL after every character.
    """
    import unicodedata

    for codec, unit, name in _WIDE:
        try:
            text = raw[: len(raw) - len(raw) % unit].decode(codec)
        except UnicodeDecodeError:
            continue
        if not text or sum(c < "\x80" for c in text) * 10 < len(text):
            continue
        if all(c in "\t\n\r" or unicodedata.category(c) not in _NOT_TEXT for c in text):
            return name
    return None


def _read_bounded(path: Path, error: type[CardgenError], most: int) -> bytes:
    """The file's bytes, reading at most `most` + 1 so a huge file or a device never fills memory."""
    try:
        with open_regular(path) as handle:  # a FIFO or device is refused before it can block
            raw = read_at_most(handle, most)
    except FileNotFoundError:
        raise error("file not found", Where(path)) from None
    except NotRegularFile as exc:
        raise error(f"expected a YAML file, found {exc.kind}", Where(path)) from None
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror or exc}", Where(path)) from None
    except ValueError:  # an embedded NUL in the name
        raise error("the file name is not valid", Where(path)) from None
    if len(raw) > most:
        size = _size_of(path, len(raw))
        raise error(f"file is {size} bytes; at most {most} are allowed", Where(path))
    return raw


def _size_of(path: Path, at_least: int) -> int:
    try:
        return max(at_least, path.stat().st_size)
    except OSError:
        return at_least


def parse_yaml(
    text: str, path: Path, error: type[CardgenError] = CardgenError, limits: Limits = DEFAULT_LIMITS
) -> Source:
    """YAML text → `Source` (data and the line of every field path); errors name the line."""
    loader_cls = _CoreLoader
    try:
        node = yaml.compose(text, Loader=loader_cls)
    except yaml.MarkedYAMLError as exc:
        mark = _start_mark(exc)
        raise error(
            _marked_message(exc, text),
            Where(path, _mark_line(exc), column=mark.column + 1 if mark else None),
            hint=_yaml_hint(exc, text),
        ) from None
    except yaml.reader.ReaderError as exc:
        # libyaml reports a byte offset, the pure-Python reader a character offset.
        offset = exc.position if not issubclass(loader_cls, getattr(yaml, "CSafeLoader", ())) else None
        line = text[:offset].count("\n") + 1 if offset is not None else _line_at_byte(text, exc.position)
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise error(f"invalid YAML: character U+{char:04X} is not allowed in YAML text", Where(path, line)) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", Where(path)) from None
    except RecursionError:  # the pure-Python composer recurses per level: only without libyaml
        raise error(f"invalid YAML: nested more than {limits.yaml_depth} levels deep", Where(path)) from None
    if node is None:
        raise error("the file is empty", Where(path))
    lines: dict[FieldPath, int] = {}
    walker = _Walker(path, error, lines, limits)
    data = walker.build(node, ())
    return Source(path, data, lines)


# Scanner errors that start where their context began (a plain scalar's "tab that violates
# indentation" is on the problem's own line, so it is not here).
_STARTS_AT_CONTEXT = ("while scanning a quoted scalar", "while scanning a simple key")


def _start_mark(exc: yaml.MarkedYAMLError) -> Any:
    """Where the problem starts: an unclosed quote is the quote's line, not the end of the file."""
    if exc.context in _STARTS_AT_CONTEXT and exc.context_mark is not None:
        return exc.context_mark
    return exc.problem_mark or exc.context_mark


def _mark_line(exc: yaml.MarkedYAMLError) -> int | None:
    mark = _start_mark(exc)
    return mark.line + 1 if mark else None


_FLOW = {"while parsing a flow sequence": "the [ list", "while parsing a flow mapping": "the { mapping"}


def _yaml_hint(exc: yaml.MarkedYAMLError, text: str) -> str | None:
    """What to do about the YAML mistakes people who write posts make most."""
    mark = exc.problem_mark
    if mark is None or not (exc.problem or "").startswith("mapping values are not allowed"):
        return None
    lines = text.splitlines()
    before = lines[mark.line][: mark.column] if mark.line < len(lines) else ""
    if ": " in before:  # a key already on this line: the colon is inside its value (not an indentation slip)
        # «text: Шаблон: utm_source=…»: the second ": " reads as the start of a key
        return (
            "a colon and a space inside a value read as a new key: put the whole value in quotes "
            '(text: "Шаблон: …") or write it as a block (text: | and the text on the next lines, indented)'
        )
    return None


def _marked_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    mark = _start_mark(exc)
    problem = exc.problem_mark
    what = exc.problem or "invalid YAML"
    if exc.context and what.startswith("but "):  # "expected a single document … but found another"
        what = f"{exc.context} {what}"
    if mark is not None:
        lines = text.splitlines()
        line = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in line[: mark.column + 1] and "cannot start any token" in what:
            what = "a tab character; YAML is indented with spaces, not tabs"
    col = f" (column {mark.column + 1})" if mark else ""
    if mark is not None and problem is not None and mark is not problem:
        # Both places: where the problem starts (the line reported) and where YAML noticed it.
        what = what.replace("found unexpected end of stream", "found the end of the file")
        noticed = f"{what} at line {problem.line + 1}, column {problem.column + 1}"
        if exc.context == "while scanning a quoted scalar":
            return f"invalid YAML: a quoted value starts here{col} and is never closed: {noticed}"
        return f"invalid YAML: a key starts here{col}: {noticed}"
    context = exc.context_mark
    if exc.context in _FLOW and context is not None and problem is not None and context.line != problem.line:
        opens = f"line {context.line + 1}, column {context.column + 1}"
        return f"invalid YAML: {what}{col}; {_FLOW[exc.context]} opens at {opens}"
    return f"invalid YAML: {what}{col}"


def _line_at_byte(text: str, offset: int) -> int:
    return text.encode("utf-8", "surrogatepass")[:offset].count(b"\n") + 1


class _Walker:
    """Builds plain Python values from YAML nodes, recording each value's line.

    Aliases point at shared nodes; walking expands them, so the number of values built is
    counted and bounded (a "billion laughs" file stops after `limits.yaml_nodes` values, in
    milliseconds), as is the nesting depth (the walk recurses once per level).
    """

    def __init__(self, path: Path, error: type[CardgenError], lines: dict[FieldPath, int], limits: Limits) -> None:
        self.path = path
        self.error = error
        self.lines = lines
        self.limits = limits
        self.count = 0
        self.constructor = _CoreConstructor()
        self._lines_made: dict[tuple[int, int], Line] = {}

    def build(self, node: yaml.Node, at: FieldPath) -> Any:
        """A node → str/int/float/bool/None, list or dict (keys are text), recording lines."""
        self.count += 1
        if self.count > self.limits.yaml_nodes:
            raise self.error(
                f"the document expands to more than {self.limits.yaml_nodes} values (aliases?)",
                Where(self.path, node.start_mark.line + 1),
            )
        if len(at) > self.limits.yaml_depth:
            raise self.error(f"values are nested more than {self.limits.yaml_depth} levels deep", self._where(node, at))
        self.lines.setdefault(at, self._line(node))
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.error("merge keys (<<) are not supported", self._where(key_node, at))
                key = self.build_scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    raise self.error("expected a text key", self._where(key_node, at))
                key = str(key)
                if key in out:
                    raise self.error(f'duplicate key "{_clip(key)}"', self._where(key_node, (*at, key)))
                self.lines[(*at, key)] = self._line(key_node)
                out[key] = self.build(value_node, (*at, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*at, i)) for i, item in enumerate(node.value)]
        return self.build_scalar(node, at)

    def build_scalar(self, node: yaml.Node, at: FieldPath = ()) -> Any:
        """A scalar node → its value; dates stay the text the user typed."""
        if node.tag == _TIMESTAMP:
            # Dates have no meaning in a deck, and "2024-13-45" would not even construct.
            return str(node.value)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or str(exc)
            if "could not determine a constructor" in problem:
                problem = (
                    f'unknown tag "{_clip(str(node.tag))}"; cardgen reads plain values (text, numbers, '
                    "true or false, lists and mappings)"
                )
            raise self.error(f"invalid value: {problem}", self._where(node, at)) from None
        except (ValueError, OverflowError, KeyError, TypeError):
            # `!!float abc`, `!!bool maybe`, or an integer with thousands of digits (Python refuses > 4300).
            raise self.error(f"invalid value: {_tagged_problem(node)}", self._where(node, at)) from None
        # Binary blobs and other tagged values have no meaning in a deck: keep what the user typed.
        if not isinstance(value, (str, int, float, bool, type(None))):
            return str(node.value)
        return value

    def _where(self, node: yaml.Node, at: FieldPath) -> Where:
        return Where(
            self.path, node.start_mark.line + 1, format_path(at) or None, node.start_mark.column + 1, card_number(at)
        )

    def _line(self, node: yaml.Node) -> Line:
        """The node's line, knowing its column; one `Line` per place in the file, however many
        times aliases repeat it (a "billion laughs" file walks the same few nodes 50 000 times)."""
        mark = node.start_mark
        key = (mark.line, mark.column)
        line = self._lines_made.get(key)
        if line is None:
            line = self._lines_made[key] = Line(mark.line + 1, mark.column + 1)
        return line


_TAGGED = {_INT: "a whole number", "tag:yaml.org,2002:float": "a number", "tag:yaml.org,2002:bool": "true or false"}


def _tagged_problem(node: yaml.Node) -> str:
    """What is wrong with a scalar its tag cannot be made of (`!!float abc`), in the deck's words."""
    value = str(node.value)
    digits = value.replace("_", "").lstrip("+-")
    if node.tag == _INT and digits.isdigit():
        return f"a number with {len(digits)} digits is too long"
    tag = str(node.tag)
    short = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
    expected = _TAGGED.get(tag, "a value of that kind")
    return f'expected {expected} after {_clip(short)}, found "{_clip(value)}"'


def _clip(text: str, most: int = 60) -> str:
    """Long user text shortened for a one-line message."""
    return text if len(text) <= most else text[: most - 1] + "…"
