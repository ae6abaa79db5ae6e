"""Dataclass methods from compiled sources (issue 17, `cardgen.base.dataclass_code`): e2e, as it
starts fresh interpreters.

Shown here: the generated table is what cardgen's classes make `dataclasses` compile today (a
changed class fails until the table is regenerated); each stored code object is the one
`compile` makes of its text (all but the file name and line numbers); a render started by the
command takes every method of cardgen's dataclasses from the table and gets the same methods,
defaults, annotations and closures as without it, and the same slides; any other text is left to
the builtin `exec`; and nothing is installed on another Python or when cardgen is only imported.
"""

from __future__ import annotations

import json
import marshal
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from cardgen.base import dataclass_code

ON_311 = sys.implementation.cache_tag == dataclass_code.CACHE_TAG
needs_311 = pytest.mark.skipif(not ON_311, reason="the table is written from CPython 3.11's dataclasses")
TABLE = Path(dataclass_code.__file__).with_name(dataclass_code.TABLE_NAME)


def _python(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _same_code(a: types.CodeType, b: types.CodeType) -> bool:
    """Whether two code objects are alike but for file name and first line number (line tables
    are relative). Code equality compares nested code objects by identity, so they are compared
    here one by one."""
    nested_a = [c for c in a.co_consts if isinstance(c, types.CodeType)]
    nested_b = [c for c in b.co_consts if isinstance(c, types.CodeType)]

    def flat(code: types.CodeType) -> types.CodeType:
        consts = tuple(None if isinstance(c, types.CodeType) else c for c in code.co_consts)
        return code.replace(co_filename="", co_firstlineno=1, co_consts=consts)

    return (
        flat(a) == flat(b)
        and len(nested_a) == len(nested_b)
        and all(_same_code(x, y) for x, y in zip(nested_a, nested_b, strict=True))
    )


@needs_311
def test_the_table_is_what_cardgens_classes_compile_today() -> None:
    fresh = _python(
        "import sys\n"
        "from cardgen.base import dataclass_code as d\n"
        "sys.stdout.write(d.table_source(d.recorded_texts()))\n"
    )
    assert TABLE.read_text(encoding="utf-8") == fresh, (
        "cardgen/base/_dataclass_code_311.py is stale: run `python -m cardgen.base.dataclass_code`"
    )


@needs_311
def test_each_stored_code_is_what_compile_makes_of_its_text() -> None:
    from cardgen.base._dataclass_code_311 import CODES, TEXTS

    assert len(TEXTS) == len(CODES) == len(set(TEXTS)) > 300
    for text, code in zip(TEXTS, CODES, strict=True):
        # dont_inherit: this module's `from __future__ import annotations` would make the
        # annotations strings, which dataclasses' own exec does not
        (made,) = [
            c for c in compile(text, "<string>", "exec", dont_inherit=True).co_consts if isinstance(c, types.CodeType)
        ]
        assert _same_code(code, made), text
        assert not _same_code(
            code, compile(text.replace("(", "(_x,", 1), "<string>", "exec", dont_inherit=True).co_consts[0]
        )


# What a process knows of every method dataclasses added to cardgen's classes: the code (without
# file name and first line, marshalled), defaults, annotations (by repr), qualified name, closure
# values (by repr), and the file the code says it came from.
_DESCRIBE = """
import dataclasses, importlib, json, marshal, pkgutil, sys, types
{setup}
import cardgen

def placeless(code):  # the method's own code holds no nested code
    return code.replace(co_filename="", co_firstlineno=1)

out = {{}}
for info in pkgutil.walk_packages(cardgen.__path__, "cardgen."):
    if info.name.rsplit(".", 1)[-1] in {{"__main__", "_dataclass_code_311"}}:
        continue
    module = importlib.import_module(info.name)
    for cls in vars(module).values():
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == info.name):
            continue
        for name in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
            fn = vars(cls).get(name)
            if fn is None or not hasattr(fn, "__code__"):
                continue
            fn = getattr(fn, "__wrapped__", fn)  # __repr__ is wrapped against recursion
            if fn.__code__.co_filename not in ("<string>", {table!r}):
                continue  # written by hand in the class
            out[f"{{cls.__module__}}.{{cls.__qualname__}}.{{name}}"] = {{
                "code": marshal.dumps(placeless(fn.__code__)).hex(),
                "file": fn.__code__.co_filename,
                "defaults": repr(fn.__defaults__),
                "kwdefaults": repr(fn.__kwdefaults__),
                "annotations": repr(fn.__annotations__),
                "qualname": fn.__qualname__,
                "closure": repr([c.cell_contents for c in fn.__closure__ or ()]),
                "globals": fn.__globals__ is vars(module),
            }}
sys.stdout.write(json.dumps(out))
"""


def _methods(installed: bool) -> dict[str, dict[str, Any]]:
    setup = "from cardgen.base.dataclass_code import install\nassert install()" if installed else ""
    described = _python(_DESCRIBE.format(setup=setup, table=str(TABLE)))
    return json.loads(re.sub(r" at 0x[0-9a-f]+", "", described))  # the addresses of default functions


@needs_311
def test_with_the_table_every_method_comes_from_it_and_is_the_same() -> None:
    plain, fast = _methods(False), _methods(True)
    assert set(plain) == set(fast) and len(plain) > 300
    assert {m["file"] for m in plain.values()} == {"<string>"}
    assert {m["file"] for m in fast.values()} == {str(TABLE)}  # every one from the table: none compiled
    for name in plain:
        a, b = plain[name], fast[name]
        # marshal's back-references depend on identity: compare the loaded code objects
        assert _same_code(marshal.loads(bytes.fromhex(a.pop("code"))), marshal.loads(bytes.fromhex(b.pop("code"))))
        a.pop("file"), b.pop("file")
        assert a == b, name
        assert a["globals"] is True


def test_a_text_the_table_does_not_know_is_compiled_as_before() -> None:
    text = "def __create_fn__(x):\n def f(self):\n  return x\n return f"
    known_text = "def __create_fn__(y):\n def g(self):\n  return y * 2\n return g"
    known = {
        known_text: compile("def __create_fn__(y):\n def g(self):\n  return y * 3\n return g", "t", "exec").co_consts[0]
    }
    run = dataclass_code._exec_from(known)
    namespace: dict[str, Any] = {}
    scope = {"__builtins__": __builtins__, "__name__": "m"}
    run(text, scope, namespace)
    assert namespace["__create_fn__"](5)(None) == 5  # compiled from its text
    run(known_text, scope, namespace)
    made = namespace["__create_fn__"]
    assert made.__globals__ is scope and made.__module__ == "m"
    assert made(5)(None) == 15  # taken from the table (the stored code multiplies by 3: it was used)
    run(known_text, {"__name__": "m"}, namespace)  # globals without builtins: exec's own business
    assert namespace["__create_fn__"](5)(None) == 10


def test_installed_by_the_command_only_and_only_on_its_python(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    assert "exec" not in vars(dataclasses)  # importing cardgen (this test process) installs nothing
    monkeypatch.setattr(dataclass_code, "CACHE_TAG", "cpython-399")
    assert dataclass_code.install() is False
    assert "exec" not in vars(dataclasses)
    if not ON_311:
        return
    launched = _python(
        "import dataclasses, sys\n"
        "import cardgen.base.process as process\n"
        "def report(code):\n"
        "    sys.stdout.write(f'\\nINSTALLED {\"exec\" in vars(dataclasses)}\\n')\n"
        "    raise SystemExit(code)\n"
        "process.exit_now = report\n"
        "sys.argv = ['cardgen', 'check', '--help']\n"
        "from cardgen.cli import launch\n"
        "launch.main()\n"
    )
    assert launched.rsplit("INSTALLED ", 1)[1].strip() == "True"


@needs_311
def test_the_command_installs_it_once() -> None:
    out = _python(
        "import dataclasses, sys\n"
        "from cardgen.base import dataclass_code as d\n"
        "print(d.install(), d.install(), 'exec' in vars(dataclasses))\n"
        "d.uninstall()\n"
        "print('exec' in vars(dataclasses))\n"
    )
    assert out.split() == ["True", "False", "True", "False"]
