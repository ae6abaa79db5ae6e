"""YAML file → (plain data, line map). The line map lets every later error name the line.

Paths in the line map are tuples of keys and indexes: ("cards", 2, "title") → 14.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from cardgen.errors import CardgenError, Where
from cardgen.source_types import FieldPath, Source, format_path

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 200_000  # aliases are expanded while walking: this stops a "billion laughs" file early

def read_yaml(path: Path, error: type[CardgenError] = CardgenError) -> Source:
    """Read a UTF-8 YAML file; any problem becomes `error` naming the file (and line)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error("file not found", Where(path)) from None
    except IsADirectoryError:
        raise error("expected a YAML file, found a folder", Where(path)) from None
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror}", Where(path)) from None
    if len(raw) > MAX_FILE_BYTES:
        raise error(f"file is {len(raw)} bytes; at most {MAX_FILE_BYTES} are allowed", Where(path))
    if b"\x00" in raw:
        raise error("expected a UTF-8 text file, found binary data", Where(path))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(
            f"expected UTF-8 text, found byte 0x{raw[exc.start]:02x}; save the file as UTF-8",
            Where(path, line),
        ) from None
    return parse_yaml(text, path, error)


def parse_yaml(text: str, path: Path, error: type[CardgenError] = CardgenError) -> Source:
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader_cls)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or "invalid YAML"
        col = f" (column {mark.column + 1})" if mark else ""
        raise error(f"invalid YAML: {what}{col}", Where(path, line)) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", Where(path)) from None
    if node is None:
        raise error("the file is empty", Where(path))
    lines: dict[FieldPath, int] = {}
    walker = _Walker(path, error, lines)
    data = walker.build(node, ())
    return Source(path, data, lines)


class _Walker:
    """Builds plain Python values from YAML nodes, recording each value's line."""

    def __init__(self, path: Path, error: type[CardgenError], lines: dict[FieldPath, int]) -> None:
        self.path = path
        self.error = error
        self.lines = lines
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, at: FieldPath) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.error(
                f"the document expands to more than {MAX_NODES} values (aliases?)",
                Where(self.path, node.start_mark.line + 1),
            )
        self.lines.setdefault(at, node.start_mark.line + 1)
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
                    raise self.error(f'duplicate key "{key}"', self._where(key_node, at + (key,)))
                self.lines[at + (key,)] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, at + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, at + (i,)) for i, item in enumerate(node.value)]
        return self.build_scalar(node)

    def build_scalar(self, node: yaml.Node) -> Any:
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise self.error(f"invalid value: {exc}", Where(self.path, node.start_mark.line + 1)) from None
        # Dates and binary blobs have no meaning in a deck: keep what the user typed.
        if not isinstance(value, (str, int, float, bool, type(None))):
            return str(node.value)
        return value

    def _where(self, node: yaml.Node, at: FieldPath) -> Where:
        return Where(self.path, node.start_mark.line + 1, format_path(at) or None)
