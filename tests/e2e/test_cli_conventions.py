"""Command-line conventions: choices listed in --help and taken in any case (`--format JPG` once
crashed with a KeyError), -h, one style for every usage error, placeholders that read as words,
shell completion, errors as `path:line:col: error:` with GitHub annotations, and what `watch`
says."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import get_args, get_type_hints

import pytest
from batchkit import cardgen, cardgen_process, run_cli, write_deck

from cardgen.cli import app as cli

COMMANDS = [
    "render",
    "check",
    "watch",
    "schema",
    "config",
    "new",
    "typograph",
    "quality",
    "preview",
    "themes",
    "theme-preview",
    "gallery",
    "import",
]


@pytest.mark.parametrize("fmt", ["JPG", "jpg", "JPEG", "PNG", "Pdf", "WebP"])
def test_format_takes_any_case_and_jpg(tmp_path: Path, fmt: str) -> None:
    write_deck(tmp_path / "d.yaml")
    result = cardgen("render", "d.yaml", "--format", fmt, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    expected = {
        "jpg": ["01.jpg", "02.jpg"],
        "jpeg": ["01.jpg", "02.jpg"],
        "png": ["01.png", "02.png"],
        "pdf": ["d.pdf"],
        "webp": ["01.webp", "02.webp"],
    }[fmt.lower()]
    assert sorted(p.name for p in (tmp_path / "out" / "d").iterdir()) == expected


def test_the_library_takes_the_same_spellings() -> None:
    from cardgen.publish.plan import Publish

    assert Publish("Telegram", "JPG").fmt == "jpeg" and Publish("Telegram", "JPG").platform == "telegram"
    assert Publish(fmt="jpg").fingerprint() == Publish(fmt="jpeg").fingerprint()
    with pytest.raises(ValueError, match='unknown format "gif"'):
        Publish(fmt="gif")


def test_the_choices_are_cardgens_own_names() -> None:
    from cardgen.load.deck import SIZES, Deck
    from cardgen.output.formats import FORMATS
    from cardgen.publish.platforms import PLATFORMS

    assert set(get_args(cli.Format)) == {*FORMATS, "jpg"}
    assert get_args(cli.Platform) == tuple(PLATFORMS)
    assert get_args(cli.NamedSize) == tuple(SIZES)
    assert get_args(cli.Lang) == get_args(get_type_hints(Deck)["lang"])


def help_of(*args: str) -> str:
    result = run_cli(*args, cwd=Path.cwd())  # in this process: click's own help, the same in either
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_choices_are_listed_in_help() -> None:
    render = help_of("render", "-h")
    assert "--format [png|jpeg|jpg|webp|pdf]" in render and "--for [telegram|vk|instagram|linkedin]" in render
    assert "--annotations [github|none]" in render
    assert "--lang [ru|en]" in help_of("new", "--help")
    imported = help_of("import", "-h")
    assert "--lang [ru|en]" in imported and "--size [portrait|square|telegram|story]" in imported


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_h_and_shows_placeholders_as_words(command: str) -> None:
    text = help_of(command, "-h")
    usage = text.splitlines()[0]
    assert usage.startswith(f"Usage: cardgen {command} [OPTIONS]")
    assert "{" not in usage and "..." not in usage
    for token in ("<str>", "<path>", "<int", "<list", "<bool>", "list[", "<float"):
        assert token not in text, (command, token)


def test_the_top_level_help_and_h() -> None:
    assert help_of("-h") == help_of("--help")
    assert "--install-completion" in help_of("-h")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["render", "d.yaml", "--thme", "x"], 'error: no such option --thme (did you mean "--theme"?); see '),
        (
            ["render", "d.yaml", "--format", "gif"],
            "error: --format: 'gif' is not one of 'png', 'jpeg', 'jpg', 'webp', 'pdf'",
        ),
        (["render"], "error: missing DECK… (see "),
        (["render", "d.yaml", "-j", "0"], 'error: -j/--jobs: expected at least 1, found "0"'),
        (["render", "d.yaml", "--scale", "1.5"], 'error: --scale: expected a whole number, found "1.5"'),
        (["render", "d.yaml", "--scale", "3"], 'error: --scale: expected at most 2, found "3"'),
        (["render", "d.yaml", "--size", "huge"], 'error: --size: unknown size "huge"'),
        (["import", "d.yaml", "--lang", "fr"], "error: --lang: 'fr' is not one of 'ru', 'en'"),
        (["new", "a", "b"], "error: got unexpected extra argument(s) (b) (see cardgen new -h)"),
        (["rendr"], "error: no such command 'rendr'"),
        (["render", "d.yaml", "--report", "-q"], 'error: --report: expected a file or folder name, found "-q"'),
        (["render", "d.yaml", "-o", "-x"], 'error: -o: expected a file or folder name, found "-x"'),
        (["preview", "d.yaml", "-o", "-q"], 'error: -o: expected a file or folder name, found "-q"'),
    ],
)
def test_every_usage_error_is_one_line_in_one_style(tmp_path: Path, args: list[str], message: str) -> None:
    write_deck(tmp_path / "d.yaml")
    result = cardgen(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(message), result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.yaml"]  # nothing written, not even "-q"


def test_shell_completion_completes_commands_and_choices(tmp_path: Path) -> None:
    script = cardgen("--show-completion", "bash", cwd=tmp_path)
    assert script.returncode == 0 and "_CARDGEN_COMPLETE=complete_bash" in script.stdout
    words = cardgen(
        cwd=tmp_path, env={"_CARDGEN_COMPLETE": "complete_bash", "COMP_WORDS": "cardgen ren", "COMP_CWORD": "1"}
    )
    assert words.stdout.split() == ["render"]
    formats = cardgen(
        cwd=tmp_path,
        env={"_CARDGEN_COMPLETE": "complete_bash", "COMP_WORDS": "cardgen render --format ", "COMP_CWORD": "3"},
    )
    assert formats.stdout.split() == ["png", "jpeg", "jpg", "webp", "pdf"]


# --- errors as editors and CI read them ---------------------------------------------------------

BROKEN = "title: T\nsize: 400x500\ncards:\n  - layout: cover\n    titel: x\n  - title: Символ \u0e01\n"


def test_errors_and_warnings_print_as_path_line_column(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(BROKEN, encoding="utf-8")
    result = cardgen("check", "d.yaml", cwd=tmp_path, env={"GITHUB_ACTIONS": ""})
    lines = result.stderr.splitlines()
    assert lines[0].startswith('d.yaml:5:5: error: cards[0].titel (card 1): unknown key "titel"')
    assert not any(line.startswith("::") for line in lines)  # not in GitHub Actions: no workflow commands
    pattern = re.compile(r"^(.+?):(\d+)(?::(\d+))?: (error|warning): (.*)$")  # docs/ci/cardgen-problem-matcher.json
    assert pattern.match(lines[0]).groups()[:4] == ("d.yaml", "5", "5", "error")


def test_under_github_actions_errors_and_warnings_are_workflow_commands(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(BROKEN, encoding="utf-8")
    write_deck(tmp_path / "w.yaml", "Символ \u0e01")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(tmp_path)}
    result = cardgen_process("check", "d.yaml", "w.yaml", "--json", cwd=tmp_path, env=env)
    assert (
        '::error file=d.yaml,line=5,col=5,title=cardgen check::cards[0].titel (card 1): unknown key "titel"'
        in result.stderr
    )
    assert (
        "::warning file=w.yaml,line=5,col=5,title=cardgen check::cards[0].title (card 1): no font has" in result.stderr
    )
    import json

    document = json.loads(result.stdout)  # the JSON keeps its shape: annotations go to standard error
    error = document["decks"][0]["errors"][0]
    assert (error["line"], error["column"], error["card"], error["kind"]) == (5, 5, 1, "deck")
    off = cardgen_process("check", "d.yaml", "--annotations", "none", cwd=tmp_path, env=env)
    assert "::error" not in off.stderr and "d.yaml:5:5: error:" in off.stderr
    on = cardgen_process("check", "d.yaml", "--annotations", "github", cwd=tmp_path, env={"GITHUB_ACTIONS": ""})
    assert "::error file=d.yaml,line=5,col=5" in on.stderr


def test_workflow_commands_escape_what_would_end_them() -> None:
    from cardgen.run.batch import Problem
    from cardgen.run.console import workflow_command

    problem = Problem("100% wrong\nsecond line", "/w/a,b:c.yaml", 3, "title", 1, "deck", 7)
    os.environ["GITHUB_WORKSPACE"] = "/w"
    try:
        command = workflow_command(problem, "render")
    finally:
        del os.environ["GITHUB_WORKSPACE"]
    assert command == "::error file=a%2Cb%3Ac.yaml,line=3,col=7,title=cardgen render::title: 100%25 wrong%0Asecond line"


def test_the_problem_matcher_reads_cardgens_lines() -> None:
    import json

    matcher = json.loads(
        (Path(__file__).resolve().parents[2] / "docs" / "ci" / "cardgen-problem-matcher.json").read_text(
            encoding="utf-8"
        )
    )
    located, plain = (re.compile(m["pattern"][0]["regexp"]) for m in matcher["problemMatcher"])
    line = 'decks/стресс тест.yaml:14:5: error: cards[3].titel (card 4): unknown key "titel"'
    assert located.match(line).groups() == (
        "decks/стресс тест.yaml",
        "14",
        "5",
        "error",
        'cards[3].titel (card 4): unknown key "titel"',
    )
    assert located.match("themes/a.yaml:3: warning: x").groups()[:4] == ("themes/a.yaml", "3", None, "warning")
    assert plain.match("decks/a.yaml: error: file not found").groups() == ("decks/a.yaml", "error", "file not found")
    assert plain.match("decks/a.yaml:3:1: error: x") is None  # the located one reads it


def test_watch_says_what_it_watches_and_how_to_stop(tmp_path: Path) -> None:
    import signal
    import time

    write_deck(tmp_path / "decks" / "post.yaml", cards=1)
    env = {**os.environ, "PYTHONUTF8": "1", "CARDGEN_CACHE_DIR": str(tmp_path / "cache")}
    process = subprocess.Popen(
        [sys.executable, "-m", "cardgen", "watch", "decks", "-o", "out", "-j", "1"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "out" / "index.html").is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr  # Ctrl-C is how a watch ends: exit 0, as the README says
    assert re.search(
        r"^watching decks and \d+ folders of their themes, fonts and pictures for saved decks, themes, "
        r"fonts and pictures; press Ctrl-C to stop$",
        stderr,
        re.MULTILINE,
    ), stderr
    assert stderr.rstrip().endswith("stopped")
