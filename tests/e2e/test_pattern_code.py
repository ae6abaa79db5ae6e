"""Regular expressions compiled ahead of time (issue 17, `cardgen.base.pattern_code`): e2e, as it
starts fresh interpreters.

Shown here: each stored row is, argument for argument, what the engine's own compiler hands its
C constructor today (a stale table fails until regenerated; rows of another engine version are
not used); every `regex` pattern of cardgen is in the table, so a render compiles none; a pattern
the table does not have is compiled as before; the command, and only the command, puts the `re`
rows into `re`'s cache, whose patterns equal what `re` compiles.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import regex

from cardgen.base import _pattern_code as table
from cardgen.base import pattern_code
from cardgen.cli import patterntable

SAME_PYTHON = pattern_code.python_key() == table.PYTHON
SAME_REGEX = pattern_code.regex_key() == table.REGEX_KEY
ROOT = Path(__file__).resolve().parents[2]
REGENERATE = "stale: regenerate with `python -m cardgen.cli.patterntable`"


def _python(code: str, **env: str) -> str:
    environment = {**os.environ, **env}
    result = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=300, env=environment
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.skipif(not SAME_PYTHON, reason=f"the re rows are for {table.PYTHON} only")
def test_each_re_row_is_what_re_compiles_today() -> None:
    keys = [(row[0], row[1]) for row in table.RE]
    assert len(set(keys)) == len(keys) > 50
    assert patterntable.re_rows(keys) == list(table.RE), REGENERATE
    import _sre
    import re._compiler as compiler

    for pattern, key_flags, flags, code, groups, groupindex, indexgroup in table.RE:
        stored = _sre.compile(pattern, flags, list(code), groups, dict(groupindex), indexgroup)
        fresh = compiler.compile(pattern, key_flags)
        # Pattern equality compares the pattern, the flags and the program
        assert stored == fresh and stored.groupindex == fresh.groupindex and stored.groups == fresh.groups


@pytest.mark.skipif(not SAME_REGEX, reason=f"the regex rows are for regex {table.REGEX_KEY} only")
def test_each_regex_row_is_what_regex_compiles_today() -> None:
    """regex lists the members of some character sets in a set's order, which follows the
    hashes of its node classes (their addresses): two processes can list them in two orders.
    So a row equals a fresh compile exactly, or but for that order (the same program words, as
    many), and the two patterns find the same matches in every deck text of the repository."""
    keys = [(row[0], row[1]) for row in table.REGEX]
    assert len(set(keys)) == len(keys) > 80
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "decks").glob("*.yaml"))]
    texts += [text.replace("\n", " ") for text in texts]
    reordered = 0
    from regex import _regex  # type: ignore[attr-defined]

    for fresh, row in zip(patterntable.regex_rows(keys), table.REGEX, strict=True):
        if fresh == row:
            continue
        reordered += 1
        (pattern, flags, final, code, *rest), (_, _, stored_final, stored_code, *stored_rest) = fresh, row
        assert (final, len(code), sorted(code), rest) == (
            stored_final,
            len(stored_code),
            sorted(stored_code),
            stored_rest,
        ), f"{pattern!r}: {REGENERATE}"
        ours, theirs = _regex.compile(pattern, final, list(stored_code), *rest), regex.compile(pattern, flags)
        for text in texts:
            assert [m.span() for m in ours.finditer(text)] == [m.span() for m in theirs.finditer(text)], pattern
    assert reordered < len(keys) // 2


@pytest.mark.skipif(not SAME_REGEX, reason=f"the regex rows are for regex {table.REGEX_KEY} only")
def test_every_regex_pattern_of_cardgen_is_in_the_table_and_a_render_compiles_none(tmp_path: Any) -> None:
    (tmp_path / "deck.yaml").write_text(
        'title: "Проверка"\nlang: ru\ncards:\n'
        '  - layout: cover\n    title: "7 шагов — как работать с негативом"\n'
        '  - layout: text\n    title: "Шаг 1"\n'
        '    text: "Не удаляйте отзыв... Ответьте за 2 часа, 20% скидка, т.е. 500 ₽ (см. vk.com/id1)."\n'
        '  - layout: text\n    title: "English"\n    text: "It\'s a \\"test\\" -- with 3 items and https://example.com/a"\n',
        encoding="utf-8",
    )
    out = _python(
        "import gc, importlib, json, pkgutil, sys\n"
        "import regex._main as main\n"
        "from cardgen.base import pattern_code as pc\n"
        "pc._SEEN.append({})\n"
        "import cardgen\n"
        "for info in pkgutil.walk_packages(cardgen.__path__, 'cardgen.'):\n"
        "    if info.name.rsplit('.', 1)[-1] not in {'__main__', '_pattern_code', '_dataclass_code_311'}:\n"
        "        importlib.import_module(info.name)\n"
        "from cardgen.text.typograph_rules import Lazy\n"
        "lazy = [v.key for v in gc.get_objects() if isinstance(v, Lazy)]\n"
        "compiled = []\n"
        "real = main._compile\n"
        "main._compile = lambda pattern, flags, *rest: compiled.append(pattern) or real(pattern, flags, *rest)\n"
        "from cardgen.cli.launch import run\n"
        f"code = run(['render', {str(tmp_path / 'deck.yaml')!r}, '-o', {str(tmp_path / 'out')!r}, '-j', '1', '-q'])\n"
        "print(json.dumps({'code': code, 'seen': list(pc._SEEN[-1]), 'lazy': lazy, 'compiled': compiled}))\n"
    )
    report = json.loads(out.strip().splitlines()[-1])
    stored = {(row[0], row[1]) for row in table.REGEX}
    assert report["code"] == 0
    assert len(report["lazy"]) > 80 and len(report["seen"]) >= 5
    missing = [key for key in [*report["lazy"], *report["seen"]] if tuple(key) not in stored]
    assert missing == [], REGENERATE
    assert report["compiled"] == []  # typograph, shaper and typesetter: all from the table


def test_a_pattern_the_table_does_not_have_is_compiled_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = pattern_code.regex_compile(r"(?<=\d)\s+(?=₽)", regex.I)
    assert fresh.sub("\u00a0", "100 ₽ и 20  ₽") == "100\u00a0₽ и 20\u00a0₽"
    assert (fresh.pattern, fresh.flags) == (r"(?<=\d)\s+(?=₽)", regex.compile(r"(?<=\d)\s+(?=₽)", regex.I).flags)
    # rows written for another regex are not used: every pattern is compiled by regex
    monkeypatch.setattr(table, "REGEX_KEY", "1999.1.1-4")
    pattern_code._regex_table.cache_clear()
    try:
        assert pattern_code._regex_table() == {}
        compiled: list[str] = []
        real = regex._main._compile
        monkeypatch.setattr(regex._main, "_compile", lambda p, *rest: compiled.append(p) or real(p, *rest))
        pattern, flags = table.REGEX[0][0], table.REGEX[0][1]
        assert pattern_code.regex_compile(pattern, flags).pattern == pattern and compiled == [pattern]
    finally:
        monkeypatch.undo()
        pattern_code._regex_table.cache_clear()
    if SAME_REGEX:
        assert len(pattern_code._regex_table()) == len(table.REGEX)


def test_the_re_rows_go_into_res_cache_by_the_command_only(monkeypatch: pytest.MonkeyPatch) -> None:
    probe = (
        "import re, sys\n"
        "from cardgen.base import _pattern_code as table\n"
        "def seeded():\n"
        "    return sum((type(row[0]), row[0], row[1]) in re._cache for row in table.RE) == len(table.RE)\n"
    )
    library = _python(probe + "import cardgen.run.pipeline\nprint(seeded())\n")
    assert library.strip() == "False"  # importing cardgen leaves `re` alone
    launched = _python(
        probe + "import cardgen.base.process as process\n"
        "def report(code):\n"
        "    sys.stdout.write(f'\\nSEEDED {seeded()}\\n')\n"
        "    raise SystemExit(code)\n"
        "process.exit_now = report\n"
        "sys.argv = ['cardgen', 'check', '--help']\n"
        "from cardgen.cli import launch\n"
        "launch.main()\n"
    )
    assert launched.rsplit("SEEDED ", 1)[1].strip() == str(SAME_PYTHON)
    # on another Python the rows are not used at all
    monkeypatch.setattr(table, "PYTHON", "cpython-3.99.0-0-4")
    before = dict(re._cache)  # type: ignore[attr-defined]
    assert pattern_code.install() is False
    assert re._cache == before  # type: ignore[attr-defined]
