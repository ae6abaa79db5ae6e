"""The fast path (issue 17): a plain `cardgen render …` or `cardgen check …` line is parsed by
`cardgen.cli.fast` without typer, and must give the command's body exactly what typer gives it,
or leave the line to typer. Shown here: the table is what typer builds from the signatures (a
changed signature fails), both parsers side by side on a few dozen argument lists (with and
without a config file), the endings of a command (Ctrl-C, end of input, a closed pipe, a usage
error) the same either way, and typer's path check reproduced. That a plain line loads no typer
is tests/e2e/test_startup.py's."""

from __future__ import annotations

import errno
import inspect
import os
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
from batchkit import write_deck

from cardgen.cli import app as cli
from cardgen.cli import core, fast, fasttable

# --- the table ---------------------------------------------------------------------------------------


def test_the_table_is_what_typer_builds_from_the_signatures() -> None:
    assert fast.TABLE.read_text(encoding="utf-8") == fasttable.text(), (
        "cardgen/cli/fast_table.json is not what the typer signatures say: run `python -m cardgen.cli.fasttable`"
    )
    table = fast.commands()
    assert set(table) == {"render", "check"}
    group = typer.main.get_command(cli.app)
    for name, command in table.items():
        params = group.commands[name].params  # type: ignore[attr-defined]
        assert [p.name for p in command.params] == [p.name for p in params]
        names = {o for p in params if p.param_type_name == "option" for o in (*p.opts, *p.secondary_opts)}
        assert set(command.options) == names  # every spelling, and no other
        # the typer-free body takes every value by the same name (app's command passes locals())
        assert list(inspect.signature(getattr(core, name)).parameters) == [p.name for p in params]


def _with_signature(monkeypatch: pytest.MonkeyPatch, name: str, callback: Any) -> None:
    info = next(i for i in cli.app.registered_commands if cli._command_name(i) == name)
    monkeypatch.setattr(info, "callback", callback)


def test_a_changed_signature_changes_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the table test compares: an option renamed, added, given another default or type,
    or made a flag shows in the table built from the signature."""
    before = fasttable.table()["commands"]["check"]

    def check(
        paths: cli.PathsArgument,
        jobs: Annotated[int, typer.Option("-J", "--workers", min=2, max=8)] = 3,
        fast_too: Annotated[bool, typer.Option("--fast/--slow")] = True,
        fmt: cli.FormatOption = None,
    ) -> None:
        """A check with other options."""

    _with_signature(monkeypatch, "check", check)
    after = fasttable.table()["commands"]["check"]
    assert after != before
    jobs = next(row for row in after["params"] if row["name"] == "jobs")
    assert (jobs["low"], jobs["high"], jobs["default"]) == (2, 8, 3)
    assert after["options"]["-J"] == ["jobs", None] and "-j" not in after["options"]
    assert after["options"]["--slow"] == ["fast_too", False]
    assert next(row for row in after["params"] if row["name"] == "fmt")["choices"] == [
        "png",
        "jpeg",
        "jpg",
        "webp",
        "pdf",
    ]


def shout(value: str | None) -> str | None:
    return value.upper() if value else value


def test_an_option_the_fast_path_cannot_read_stops_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    def check(
        paths: cli.PathsArgument, theme: Annotated[str | None, typer.Option("--theme", callback=shout)] = None
    ) -> None:
        """A check whose option runs a callback: typer's alone."""

    _with_signature(monkeypatch, "check", check)
    with pytest.raises(fasttable.Unsupported, match="check --theme: a callback"):
        fasttable.table()


# --- both parsers side by side ----------------------------------------------------------------------

PLAIN: list[list[str]] = [  # typer takes these; so must the fast path
    ["render", "d.yaml"],
    ["render", "d.yaml", "-o", "out2"],
    ["render", "d.yaml", "--out", "out2"],
    ["render", "d.yaml", "--out=out2"],
    ["render", "d.yaml", "-oout2"],
    ["render", "d.yaml", "-o=out2"],  # click: the rest of a short option is its value, "=out2"
    ["render", "d.yaml", "-o", ""],
    ["render", "d.yaml", "-o", "-x"],  # a value that looks like an option is the value
    ["render", "d.yaml", "--out=", "--theme=--help"],
    ["render", "d.yaml", "--theme", "-h"],
    ["render", "my deck.yaml", "ёлка/дек.yaml", "d.yaml"],
    ["render", ""],
    ["render", "-o", "out", "d.yaml", "--force", "a.yaml"],  # options among the paths
    ["render", "d.yaml", "--theme", "paper", "--size", "400x500", "--strict", "--no-strict"],
    ["render", "d.yaml", "--no-strict", "--strict", "--theme", "a", "--theme", "b"],  # the last wins
    ["render", "d.yaml", "--report", "r.json", "-q", "--quiet", "-j", "2"],
    ["render", "d.yaml", "--jobs=3", "-j4", "-j", "03", "--jobs", "1"],
    ["render", "d.yaml", "--force", "--shard", "1/2", "--json", "--root", ".", "--allow-outside-paths"],
    ["render", "d.yaml", "--for", "VK", "--format", "JPG", "--scale", "2", "--quality", "90"],
    ["render", "d.yaml", "--for=linkedin", "--format=Pdf", "--scale=1", "--quality=1", "--quality", "100"],
    ["render", "d.yaml", "--format", "webp", "--for", "InStAgRaM", "--format", "jpeg"],
    ["render", "d.yaml", "--limit", "cards=5", "--limit", "image_pixels=100", "--limit=cards=6"],
    ["render", "d.yaml", "--limit", "nonsense"],  # cardgen's own check, in the body, not the parser's
    ["render", "d.yaml", "--alt", "--annotations", "GitHub"],
    ["render", "d.yaml", "--no-alt", "--annotations=none", "--alt", "--no-alt"],
    ["render", "d.yaml", "-j", "99999999999"],
    ["check", "d.yaml"],
    ["check", "d.yaml", "a.yaml", "--for", "Telegram", "--strict", "-q", "-j1", "--limit", "cards=2"],
    ["check", "d.yaml", "--annotations", "GITHUB", "--root", "..", "--allow-outside-paths", "--shard", "2/2"],
    ["check", "--json", "--theme", "paper", "--size", "square", "d.yaml", "--no-strict", "--jobs", "2"],
]
TYPERS: list[list[str]] = [  # typer refuses these, or reads them in a way the fast path leaves to it
    ["render"],
    ["check"],
    ["render", "d.yaml", "-h"],
    ["render", "--help"],
    ["check", "d.yaml", "--help"],
    ["render", "d.yaml", "-j", "0"],
    ["render", "d.yaml", "-j", "-1"],
    ["render", "d.yaml", "-j", "+2"],
    ["render", "d.yaml", "-j", " 2"],
    ["render", "d.yaml", "-j", "2 "],
    ["render", "d.yaml", "-j", "٣"],
    ["render", "d.yaml", "-j", "1_0"],
    ["render", "d.yaml", "-j", "x"],
    ["render", "d.yaml", "-j", ""],
    ["render", "d.yaml", "-j"],
    ["render", "d.yaml", "--scale", "3"],
    ["render", "d.yaml", "--quality", "0"],
    ["render", "d.yaml", "--quality", "101"],
    ["render", "d.yaml", "--for", "myspace"],
    ["render", "d.yaml", "--for", "vk "],
    ["render", "d.yaml", "--for", "ＶＫ"],
    ["render", "d.yaml", "--format", "gif"],
    ["render", "d.yaml", "--force=1"],
    ["render", "d.yaml", "--alt=yes"],
    ["render", "d.yaml", "--out"],
    ["render", "d.yaml", "-x"],
    ["render", "d.yaml", "--bogus"],
    ["render", "d.yaml", "--jobs2"],
    ["render", "d.yaml", "-qj2"],  # combined short options: typer's (it takes them)
    ["render", "d.yaml", "-"],
    ["render", "--", "-d.yaml"],  # a path with a leading dash after `--`: typer's
    ["render", "d.yaml", "--theme", "--"],
    ["render", "d.yaml", "--theme", "a\0b"],
    ["render", "a\0b.yaml"],
    ["check", "d.yaml", "-o", "out"],  # render's option, not check's
    ["check", "d.yaml", "--format", "png"],
    ["check", "d.yaml", "--alt"],
    ["--version"],
    ["-h"],
    ["rendr", "d.yaml"],
    ["--verbose", "render", "d.yaml"],
    ["watch", "d.yaml", "--help"],
    ["config"],
]

CONFIG = """decks = ["d.yaml", "sub"]
out = "o2"
theme = "paper"
size = "square"
platform = "VK"
format = "jpg"
scale = 2
quality = 80
root = "."
allow-outside-paths = true
strict = true
jobs = 3
alt = true
annotations = "none"

[limits]
cards = 5
"""
CONFIGURED: list[list[str]] = [  # with CONFIG: its values, and flags that win over them
    ["render"],
    ["check"],
    ["render", "x.yaml", "--no-strict", "--no-alt", "-j", "1", "-o", "o3", "--format", "png", "--for", "telegram"],
    ["check", "x.yaml", "--root", "/", "--annotations", "github", "--theme", "t.yaml", "--size", "400x500"],
    ["render", "--limit", "cards=2", "--scale", "1", "--quality", "50"],
]


def _typers(args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, Any]] | None:
    """What typer gives the body for `args` in the working folder (None: it gave nothing)."""
    seen: list[tuple[str, dict[str, Any]]] = []
    with monkeypatch.context() as patch:
        patch.setattr(fast, "parsed", lambda *_: None)  # every line to typer
        for name in ("render", "check"):
            patch.setattr(core, name, lambda name=name, **values: seen.append((name, values)))
        code = cli._run(args)
    assert len(seen) <= 1 and (code == 0 or not seen), (args, code)
    return seen[0] if seen else None


def _fasts(args: list[str], environ: dict[str, str] | None = None) -> tuple[str, dict[str, Any]] | None:
    core._fresh_run()
    settings = core._config_settings(args)
    return fast.parsed(args, settings.get("default_map"), os.environ if environ is None else environ)


def _project(tmp_path: Path, config: str | None) -> Path:
    write_deck(tmp_path / "d.yaml")
    (tmp_path / "sub").mkdir()
    if config is not None:
        (tmp_path / "cardgen.toml").write_text(config, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("config", "cases", "taken"), [(None, PLAIN, True), (None, TYPERS, False), (CONFIG, CONFIGURED, True)]
)
def test_the_fast_path_gives_what_typer_gives_or_leaves_the_line_to_typer(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    config: str | None,
    cases: list[list[str]],
    taken: bool,
) -> None:
    monkeypatch.chdir(_project(tmp_path, config))
    for args in cases:
        typers, fasts = _typers(args, monkeypatch), _fasts(args)
        if fasts is not None:
            assert fasts == typers, args  # the same command, the same values, of the same types
            assert all(type(fasts[1][k]) is type(v) for k, v in typers[1].items()), args  # type: ignore[index]
        assert (fasts is not None) == taken, (args, fasts, typers)
        if not taken and typers is None:
            assert fasts is None
    capsys.readouterr()  # typer's usage errors and help


def test_config_values_from_a_project_folder_above(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Paths in the config file are relative to its folder: typed here as `../o2`, `..`."""
    monkeypatch.chdir(_project(tmp_path, CONFIG) / "sub")
    for args in (["render"], ["check", "--no-strict"], ["render", "../d.yaml", "--json"]):
        fasts = _fasts(args)
        assert fasts is not None and fasts == _typers(args, monkeypatch), args
    assert _fasts(["render"])[1]["out"] == Path("../o2")  # type: ignore[index]
    capsys.readouterr()


def test_a_broken_or_unknown_setting_goes_to_typer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_project(tmp_path, None))
    assert fast.parsed(["render", "d.yaml"], {"render": {"jobs": True}}, {}) is None  # a bool is no number
    assert fast.parsed(["render", "d.yaml"], {"render": {"jobs": 0}}, {}) is None
    assert fast.parsed(["render", "d.yaml"], {"render": {"fmt": "gif"}}, {}) is None
    assert fast.parsed(["render", "d.yaml"], {"render": {"colour": "red"}}, {}) is None  # not render's
    assert fast.parsed(["render", "d.yaml"], {"render": {"theme": lambda: "paper"}}, {}) is None
    assert fast.parsed(["render"], {"render": {"paths": []}}, {}) is None
    assert fast.parsed(["render", "d.yaml"], {"check": {"jobs": 0}}, {}) is not None  # another command's


def test_shell_completion_and_an_options_environment_variable_go_to_typer(tmp_path: Path) -> None:
    assert fast.parsed(["render", "d.yaml"], None, {}) is not None
    assert fast.parsed(["render", "d.yaml"], None, {"_CARDGEN_COMPLETE": "bash_complete"}) is None
    jobs = fast.Param("jobs", "int", None, low=1, envvar=("CARDGEN_JOBS",))
    command = fast.Command((fast.Param("paths", "paths", None, required=True), jobs), {"-j": ("jobs", None)})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fast, "commands", lambda: {"render": command})
        assert fast.parsed(["render", "d.yaml"], None, {}) == ("render", {"paths": ["d.yaml"], "jobs": None})
        assert fast.parsed(["render", "d.yaml"], None, {"CARDGEN_JOBS": "2"}) is None  # click would read it
        assert fast.parsed(["render", "d.yaml", "-j", "2"], None, {"CARDGEN_JOBS": "3"}) == (
            "render",
            {"paths": ["d.yaml"], "jobs": 2},  # the command line wins over the variable, as in click
        )


@pytest.mark.parametrize(
    "flags",
    [
        {},
        {"exists": True},
        {"file_okay": False},
        {"dir_okay": False},
        {"exists": True, "dir_okay": False},
        {"writable": True},
        {"readable": False},
    ],
)
def test_typers_path_check_is_reproduced(tmp_path: Path, flags: dict[str, bool]) -> None:
    """For an option's path: passes here exactly when typer's own check passes."""
    from typer._param_types import coerce_cli_path
    from typer.models import OptionInfo

    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    param = fast.Param("out", "path", None, **flags)
    info = OptionInfo(**flags)
    for path in (tmp_path / "file.txt", tmp_path, tmp_path / "missing", Path("")):
        try:
            coerce_cli_path(path, info, path_type=Path)
            typers = True
        except typer.BadParameter:
            typers = False
        assert fast._passes_typers_path_check(path, param) == typers, (path, flags)


# --- how a command ends, either way -----------------------------------------------------------------


def _broken_pipe() -> None:
    raise OSError(errno.EPIPE, "Broken pipe")


@pytest.mark.parametrize(
    "ending",
    [
        lambda: (_ for _ in ()).throw(KeyboardInterrupt),
        lambda: (_ for _ in ()).throw(EOFError),
        _broken_pipe,
        lambda: (_ for _ in ()).throw(SystemExit(1)),
        lambda: (_ for _ in ()).throw(core._usage_error("--size: nonsense")),
        lambda: (_ for _ in ()).throw(FileNotFoundError(2, "No such file or directory", "x.png")),
        lambda: (_ for _ in ()).throw(ZeroDivisionError("a bug")),
        lambda: 0,
    ],
)
@pytest.mark.parametrize("json_out", [[], ["--json"]])
def test_a_command_ends_the_same_either_way(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    ending: Any,
    json_out: list[str],
) -> None:
    """The body raising what a run may raise: the same exit code, stdout and stderr through the
    fast path as through typer (Ctrl-C 130 "interrupted", end of input a blank line first, a
    closed pipe 1, a usage error 2 with its --json document, a bug its traceback)."""
    import sys

    monkeypatch.chdir(_project(tmp_path, None))
    capsys.readouterr()
    results = []
    streams = sys.stdout, sys.stderr
    for through_typer in (False, True):
        with monkeypatch.context() as patch:
            if through_typer:
                patch.setattr(fast, "parsed", lambda *_: None)
            patch.setattr(core, "render", lambda **_: ending())
            code = cli._run(["render", "d.yaml", *json_out])
        sys.stdout, sys.stderr = streams  # a closed pipe wraps them
        out, err = capsys.readouterr()
        results.append((code, out, err.replace("lambda **_: ending()", "").replace(cli.__file__, "")))
    assert results[0][0] == results[1][0]
    assert results[0][1] == results[1][1]
    if "Traceback" in results[0][2]:  # the frames differ (typer's own are in one): the last line
        assert results[0][2].splitlines()[-1] == results[1][2].splitlines()[-1] == "ZeroDivisionError: a bug"
    else:
        assert results[0][2] == results[1][2]
