"""Writes `cardgen/base/_pattern_code.py`, the compiled regular expressions of
`cardgen.base.pattern_code`: `python -m cardgen.cli.patterntable`.

It records every `re` pattern compiled while importing every cardgen module and rendering and
checking the decks of `decks/` in every built-in theme, and every `regex` pattern of cardgen (each
typograph `Lazy`, and those `regex_compile` meets), then compiles each once more with the engine's
C constructor watched, and writes down the arguments it was given.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any

from cardgen.base import pattern_code
from cardgen.base.pattern_code import TABLE_NAME, python_key, regex_compile, regex_key


class _Recorder:
    """An engine's C module whose `compile` also records the arguments it is given."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls: list[tuple[Any, ...]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def compile(self, *args: Any) -> Any:
        self.calls.append(args)
        return self.real.compile(*args)


@contextlib.contextmanager
def _recording(module: Any) -> Iterator[_Recorder]:
    """`module`'s C engine (its `_sre` or `_regex`) swapped for a recorder while the block runs."""
    name = "_sre" if hasattr(module, "_sre") else "_regex"
    real = getattr(module, name)
    recorder = _Recorder(real)
    setattr(module, name, recorder)
    try:
        yield recorder
    finally:
        setattr(module, name, real)


def _recorded(recorder: _Recorder, compile_one: Any) -> tuple[Any, ...]:
    """The arguments the C constructor got for one compile."""
    recorder.calls.clear()
    compile_one()
    ((text, final_flags, code, *rest),) = recorder.calls
    return (text, int(final_flags), tuple(map(int, code)), *rest)  # opcodes are named ints: stored plain


def re_rows(patterns: list[tuple[Any, int]]) -> list[tuple[Any, ...]]:
    """Each `re` (pattern, flags) → its row: the pattern, the flags as given, and what the
    compiler hands `_sre.compile` (flags, code, groups, group names, index → name)."""
    import re._compiler as compiler

    rows = []
    with _recording(compiler) as recorder:
        for pattern, flags in patterns:
            text, final, code, groups, groupindex, indexgroup = _recorded(
                recorder,
                lambda: compiler.compile(pattern, flags),  # noqa: B023 (called at once)
            )
            rows.append((text, flags, final, code, groups, tuple(groupindex.items()), indexgroup))
    return rows


def regex_rows(patterns: list[tuple[str, int]]) -> list[tuple[Any, ...]]:
    """Each `regex` (pattern, flags) → its row: the pattern, the flags as given, and what the
    compiler hands `_regex.compile` after the pattern (flags, code, groups, named lists, the
    required string, the group count)."""
    import regex._main as main

    rows = []
    with _recording(main) as recorder:
        for pattern, flags in patterns:
            # neither from nor into regex's cache
            text, final, code, *rest = _recorded(
                recorder,
                lambda: main._compile(pattern, flags, False, {}, False),  # noqa: B023 (called at once)
            )
            rows.append((text, flags, final, code, *map(_plain, rest)))
    return rows


def _plain(value: Any) -> Any:
    """The value with its named ints (`regex.I`, opcodes) as plain ints, so that it reads back
    from the table as written."""
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {_plain(key): _plain(item) for key, item in value.items()}
    return value


def recorded_patterns() -> tuple[list[tuple[Any, int]], list[tuple[str, int]]]:
    """What cardgen compiles → (`re` patterns, `regex` patterns), in first-seen order.

    `re`: every pattern compiled while importing every cardgen module and rendering and checking
    the decks of `decks/` in every built-in theme (cardgen's, PyYAML's, Pillow's…). `regex`:
    every `regex_compile` pattern met on the way, and every typograph `Lazy`, compiled or not."""
    import contextlib
    import gc
    import importlib
    import io
    import os
    import pkgutil
    import re
    import tempfile
    from pathlib import Path

    import cardgen

    seen_re: dict[tuple[Any, int], None] = {}
    original = re._compile  # type: ignore[attr-defined]

    def compiling(pattern: Any, flags: Any) -> Any:
        value = int(flags)
        if isinstance(pattern, (str, bytes)) and not value & re.DEBUG:
            seen_re.setdefault((pattern, value))
        return original(pattern, flags)

    re._compile = compiling  # type: ignore[attr-defined]
    pattern_code._SEEN.append({})
    try:
        for info in pkgutil.walk_packages(cardgen.__path__, "cardgen."):
            if info.name.rsplit(".", 1)[-1] not in {"__main__", "_pattern_code", "_dataclass_code_311"}:
                importlib.import_module(info.name)
        from cardgen.cli.launch import run
        from cardgen.load.fonts import data_dir
        from cardgen.text.typograph_rules import Lazy

        for value in gc.get_objects():  # before a render freezes them out of gc's sight
            if isinstance(value, Lazy):
                regex_compile(*value.key)
        decks = sorted(str(p) for p in (data_dir("themes").parent / "decks").glob("*.yaml"))
        themes = sorted(p.stem for p in data_dir("themes").glob("*.yaml"))
        cache = os.environ.get("CARDGEN_CACHE_DIR")
        with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stdout(io.StringIO()):
            os.environ["CARDGEN_CACHE_DIR"] = folder  # every deck typographed and hyphenated here
            try:
                for theme in themes:  # in this process (-j 1), where the compiles are seen
                    out = str(Path(folder) / theme)
                    if run(["render", *decks, "-o", out, "-j", "1", "-q", "--theme", theme]) != 0:
                        raise RuntimeError(f"rendering decks/ in {theme} failed")
                    run(["check", *decks, "-j", "1", "-q", "--theme", theme])
            finally:
                if cache is None:
                    os.environ.pop("CARDGEN_CACHE_DIR", None)
                else:
                    os.environ["CARDGEN_CACHE_DIR"] = cache
        regex_seen = list(pattern_code._SEEN[-1])
    finally:
        re._compile = original  # type: ignore[attr-defined]
        pattern_code._SEEN.clear()
    return list(seen_re), regex_seen


def table_source(re_table: list[tuple[Any, ...]], regex_table: list[tuple[Any, ...]]) -> str:
    lines = [
        '"""Generated by `python -m cardgen.cli.patterntable`: do not edit.',
        "",
        "Regular expressions compiled ahead of time (see `cardgen.base.pattern_code`).",
        '"""',
        "",
        f"PYTHON = {python_key()!r}  # the `re` rows are for this engine only",
        f"REGEX_KEY = {regex_key()!r}  # the `regex` rows are for this version and code size only",
        "",
        "# (pattern, flags as given, then _sre.compile's flags, code, groups, groupindex items, indexgroup)",
        "RE = (",
        *(f"    {row!r}," for row in re_table),
        ")",
        "",
        "# (pattern, flags as given, then _regex.compile's flags, code, group_index, index_group,",
        "#  named_lists, named_list_indexes, req_offset, req_chars, req_flags, group_count)",
        "REGEX = (",
        *(f"    {row!r}," for row in regex_table),
        ")",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    from pathlib import Path

    re_patterns, regex_patterns = recorded_patterns()
    path = Path(pattern_code.__file__).with_name(TABLE_NAME)
    path.write_text(table_source(re_rows(re_patterns), regex_rows(regex_patterns)), encoding="utf-8")
    sys.stdout.write(f"wrote {path}: {len(re_patterns)} re and {len(regex_patterns)} regex patterns\n")
    return 0


if __name__ == "__main__":  # run as cardgen's own module, the one the rest of cardgen imports
    import importlib

    raise SystemExit(importlib.import_module("cardgen.cli.patterntable").main())
