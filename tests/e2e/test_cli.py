"""The CLI: messages, exit codes and files, through the command's own function in this process
(`batchkit.run_cli`); what needs a process of its own (several decks in worker processes, the
streams' encoding) through the real entry point (`python -m cardgen`, the same code as the
`cardgen` script)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from batchkit import run_cli, run_process, write_deck

ROOT = Path(__file__).resolve().parents[2]


def cardgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd)  # in this process (see batchkit)


def cardgen_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_process(*args, cwd=cwd, timeout=120)


def test_version(tmp_path):
    result = cardgen_process("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("cardgen 0.")


def test_help_lists_render(tmp_path):
    result = cardgen("--help", cwd=tmp_path)
    assert result.returncode == 0 and "render" in result.stdout


def test_each_command_runs_from_its_own_lean_app_with_the_same_help(tmp_path):
    """main() builds only the named command (start-up time); its help must be what the whole
    app would print, and every listed command must be found that way."""
    import re

    from typer.testing import CliRunner

    from cardgen.cli.app import _app_for, app

    listing = cardgen("--help", cwd=tmp_path).stdout
    names = re.findall(r"^  ([a-z][a-z-]*)  ", listing.split("Commands:")[1], re.M)
    assert len(names) == len(app.registered_commands) >= 12
    runner = CliRunner()
    for name in names:
        lean = _app_for([name, "--help"])
        assert lean is not app and len(lean.registered_commands) == 1
        whole, alone = runner.invoke(app, [name, "--help"]), runner.invoke(lean, [name, "--help"])
        assert whole.exit_code == alone.exit_code == 0 and whole.output == alone.output, name
    for args in ([], ["--version"], ["rendr", "x"], ["--help"]):
        assert _app_for(args) is app
    result = cardgen("theme-preview", "--help", cwd=tmp_path)
    assert result.returncode == 0 and "cardgen theme-preview [OPTIONS]" in result.stdout.splitlines()[0]


def test_render_writes_numbered_slides_under_out(tmp_path):
    deck = tmp_path / "post.yaml"
    deck.write_text("title: T\ncards:\n  - layout: cover\n    title: Привет\n  - title: Пока\n", encoding="utf-8")
    result = cardgen("render", "post.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out" / "post").iterdir()) == ["01.png", "02.png"]
    assert "2 slides" in result.stdout


def test_out_theme_and_size_options(tmp_path):
    deck = tmp_path / "post.yaml"
    deck.write_text("title: T\ncards:\n  - title: Привет\n", encoding="utf-8")
    result = cardgen("render", str(deck), "-o", "build", "--theme", "midnight", "--size", "square", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    from PIL import Image

    with Image.open(tmp_path / "build" / "post" / "01.png") as image:
        assert image.size == (1080, 1080)
        assert image.getpixel((5, 5))[2] > image.getpixel((5, 5))[0]  # midnight's indigo, not paper white


@pytest.mark.parametrize(
    ("deck", "expected"),
    [
        (
            "title: T\ncards:\n  - layout: cover\n    titel: x\n",
            'bad.yaml:4:5: error: cards[0].titel (card 1): unknown key "titel" (did you mean "title"?)',
        ),
        ("title: T\ncards:\n  - title: [unclosed\n", "bad.yaml:4:1: error: invalid YAML"),
        (
            "title: T\ntheme: midnigth\ncards:\n  - title: x\n",
            'bad.yaml:2:1: error: theme: unknown theme "midnigth" (did you mean "midnight"?)',
        ),
        (
            "title: T\ncards:\n  - layout: step\n    title: x\n    text: " + "очень длинный текст " * 200 + "\n",
            "bad.yaml:5:5: error: cards[0].text (card 1): the text does not fit",
        ),
    ],
)
def test_user_errors_are_one_line_without_traceback_and_exit_1(tmp_path, deck, expected):
    (tmp_path / "bad.yaml").write_text(deck, encoding="utf-8")
    result = cardgen("render", "bad.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(expected), result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out" / "bad").exists()


def test_missing_deck_file(tmp_path):
    result = cardgen("render", "nope.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "nope.yaml: error: file not found"


def test_other_decks_still_render_when_one_fails(tmp_path):
    (tmp_path / "good.yaml").write_text("title: T\ncards:\n  - title: x\n", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("title: T\n", encoding="utf-8")
    result = cardgen_process("render", "bad.yaml", "good.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert (tmp_path / "out" / "good" / "01.png").is_file()


def test_installed_cardgen_renders_from_any_folder(tmp_path):
    """The wheel (or the editable install) carries fonts and themes: no repository paths needed."""
    (tmp_path / "d.yaml").write_text("title: T\ntheme: paper\ncards:\n  - title: x\n", encoding="utf-8")
    result = cardgen_process("render", "d.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_root_and_allow_outside_paths_widen_where_deck_paths_may_point(tmp_path):
    from PIL import Image

    (tmp_path / "assets").mkdir()
    Image.new("RGB", (300, 300), (200, 100, 50)).save(tmp_path / "assets" / "me.png")
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "d.yaml").write_text(
        "title: T\nauthor: {name: A, avatar: ../assets/me.png}\ncards:\n  - layout: cta\n    title: X\n",
        encoding="utf-8",
    )
    refused = cardgen("render", "decks/d.yaml", cwd=tmp_path)
    assert refused.returncode == 1
    assert "is outside the project root" in refused.stderr and "--allow-outside-paths" in refused.stderr
    assert cardgen("render", "decks/d.yaml", "--root", ".", cwd=tmp_path).returncode == 0
    assert cardgen("check", "decks/d.yaml", "--allow-outside-paths", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize(
    "args",
    [
        ["preview", "post.yaml", "-o", "{missing}/sheet.png"],
        ["preview", "post.yaml", "-o", "{folder}"],
        ["preview", "post.yaml", "--html", "{folder}"],
        ["schema", "-o", "{folder}"],
        ["render", "post.yaml", "--report", "{folder}"],
        ["import", "post.txt", "-o", "{folder}"],
        ["theme-preview", "default", "-o", "{folder}"],
        ["new", "other", "--dir", "{file}"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_an_output_path_that_cannot_be_written_is_an_error_not_a_traceback(tmp_path, args):
    """A folder given for a file, a file given for a folder, a parent that cannot be created: the
    file and the reason, exit 1."""
    cardgen("new", "post", cwd=tmp_path)
    (tmp_path / "post.txt").write_text("Заголовок\n\nПервый абзац поста.\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    (tmp_path / "plain-file").write_text("x", encoding="utf-8")
    (tmp_path / "blocked").write_text("a file where a folder would go", encoding="utf-8")
    paths = {
        "folder": str(tmp_path / "folder"),
        "file": str(tmp_path / "plain-file"),
        "missing": str(tmp_path / "blocked" / "sub"),
    }
    given = [a.format(**paths) for a in args]
    result = cardgen(*given, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    # The file as given, or (as every cardgen error names a file) relative to the working folder.
    named = next(a for a in given if a.startswith(str(tmp_path)))
    last = result.stderr.strip().splitlines()[-1]
    printed = last.split(": error: ")[0]  # the file, or the folder that cannot be made
    assert ": error: " in last and printed, result.stderr
    assert named.startswith(printed) or str(Path(named).relative_to(tmp_path)).startswith(printed), result.stderr


def test_typograph_and_import_refuse_folders_pipes_and_devices_without_waiting(tmp_path):
    import os

    (tmp_path / "folder").mkdir()
    paths = {"folder": "a folder"}
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.txt")
        os.mkfifo(tmp_path / "result.json")
        paths["pipe.txt"] = "a named pipe (FIFO)"
    if os.path.exists("/dev/zero"):
        paths["/dev/zero"] = "a device"
    for path, kind in paths.items():
        for command in ("typograph", "import"):
            result = subprocess.run(
                [sys.executable, "-m", "cardgen", command, path],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=30,
            )  # a blocking read would time out
            assert result.returncode == 1, result.stderr
            assert result.stderr == f"{path}: error: expected a text file, found {kind}\n"
    if hasattr(os, "mkfifo"):
        result = cardgen("import", "result.json", "--list", cwd=tmp_path)
        assert (result.returncode, result.stderr) == (
            1,
            "result.json: error: expected a Telegram export (a JSON file), found a named pipe (FIFO)\n",
        )
    (tmp_path / "big.txt").write_bytes(b"a" * 1_000_001)
    assert "larger than 1000000 bytes" in cardgen("typograph", "big.txt", cwd=tmp_path).stderr
    (tmp_path / "cp1251.txt").write_bytes("Привет\n".encode("cp1251"))
    result = cardgen("typograph", "cp1251.txt", cwd=tmp_path)
    assert result.stderr == "cp1251.txt:1: error: expected UTF-8 text, found byte 0xcf; save the text as UTF-8\n"
    assert cardgen("import", "gone.txt", cwd=tmp_path).stderr == "gone.txt: error: post not found\n"


def test_usage_errors_of_import_and_themes_exit_2(tmp_path):
    (tmp_path / "post.txt").write_text("Заголовок\n\nТекст.\n", encoding="utf-8")
    result = cardgen("import", "post.txt", "--lang", "fr", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "error: --lang: 'fr' is not one of 'ru', 'en'\n")
    result = cardgen("themes", "--dir", "/nonexistent/cardgen", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "error: --dir: /nonexistent/cardgen: no such folder\n")
    assert cardgen("themes", "--dir", "post.txt", cwd=tmp_path).returncode == 2
    assert cardgen("themes", "--dir", ".", cwd=tmp_path).returncode == 0


def test_a_theme_path_on_the_command_line_is_relative_to_the_working_folder(tmp_path):
    """Like every path on the command line: not to each deck's folder."""
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "d.yaml").write_text("title: T\ncards:\n  - title: a\n", encoding="utf-8")
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "t.yaml").write_text("extends: midnight\n", encoding="utf-8")
    result = cardgen("check", "decks/d.yaml", "--theme", "brand/t.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (tmp_path / "decks" / "brand").mkdir()  # beside the deck: not looked at
    (tmp_path / "decks" / "brand" / "t.yaml").write_text("extends: nowhere\n", encoding="utf-8")
    assert cardgen("check", "decks/d.yaml", "--theme", "brand/t.yaml", cwd=tmp_path).returncode == 0
    result = cardgen("check", "d.yaml", "--theme", "brand/t.yaml", cwd=tmp_path / "decks")
    assert result.returncode == 1 and 'unknown theme "nowhere"' in result.stderr
    if Path("/dev/zero").exists():
        result = cardgen("check", "decks/d.yaml", "--theme", "/dev/zero", cwd=tmp_path)
        assert (result.returncode, result.stderr) == (
            2,
            'error: --theme: "/dev/zero": expected a YAML file, found a device\n',
        )


@pytest.mark.parametrize("command", ["render", "check"])
def test_the_readme_synopsis_lists_every_option_of_render_and_check(command):
    """The README's commands table is what users read first: `check --for` was missing from it."""
    import typer

    from cardgen.cli.app import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (row,) = [line for line in readme.splitlines() if line.startswith(f"| `cardgen {command} DECK…")]
    synopsis = row.split("` |")[0]
    params = typer.main.get_command(app).commands[command].params
    missing = [
        p.opts[0]
        for p in params
        if p.opts[0].startswith("-") and not any(f"[{opt}" in synopsis for opt in (*p.opts, *p.secondary_opts))
    ]
    assert missing == []


# --- every command once as the real command ---------------------------------------------------------

POST = "Три правила\n\nПервое. Пишите коротко.\n\nВторое. Одна мысль на карточку.\n"
# Each command run once as `python -m cardgen`, with what shows it worked. The other tests of a
# command mostly run it in this process (`run_cli`); these keep the real process in reach of each.
# `watch` runs as the real command in tests/e2e/test_watch.py (it stops on Ctrl-C).
REAL = {
    "render": (("render", "d.yaml", "-o", "out"), lambda folder, result: (folder / "out" / "d" / "02.png").is_file()),
    "check": (("check", "d.yaml"), lambda folder, result: "1 deck checked: 1 passed" in result.stdout),
    "schema": (("schema",), lambda folder, result: "cards" in json.loads(result.stdout)["properties"]),
    "config": (("config",), lambda folder, result: result.stdout.startswith("no config file here or above")),
    "new": (("new", "starter", "--lang", "en"), lambda folder, result: (folder / "starter.yaml").is_file()),
    "typograph": (("typograph", "post.txt"), lambda folder, result: "Одна мысль на\u00a0карточку." in result.stdout),
    "quality": (("quality", "d.yaml"), lambda folder, result: result.stdout.startswith("d.yaml: 2 cards")),
    "preview": (
        ("preview", "d.yaml", "-o", "sheet.png", "--width", "60"),
        lambda folder, result: (folder / "sheet.png").is_file() and (folder / "sheet.html").is_file(),
    ),
    "themes": (("themes",), lambda folder, result: "\ndefault " in result.stdout),
    "theme-preview": (
        ("theme-preview", "paper", "-o", "paper.png", "--width", "60"),
        lambda folder, result: (folder / "paper.png").is_file(),
    ),
    "gallery": (("gallery", "-o", "sheets", "--width", "60"), lambda folder, result: (folder / "sheets").is_dir()),
    "import": (("import", "post.txt", "-o", "post.yaml"), lambda folder, result: (folder / "post.yaml").is_file()),
}


def test_every_command_but_watch_has_its_real_command_test() -> None:
    from cardgen.cli.app import _command_name, app

    assert {*REAL, "watch"} == {_command_name(info) for info in app.registered_commands}


@pytest.mark.parametrize("command", sorted(REAL))
def test_each_command_works_as_the_real_command(tmp_path: Path, command: str) -> None:
    write_deck(tmp_path / "d.yaml")
    (tmp_path / "post.txt").write_text(POST, encoding="utf-8")
    args, worked = REAL[command]
    result = cardgen_process(*args, cwd=tmp_path)
    assert result.returncode in ((0, 1) if command == "quality" else (0,)), result.stderr
    assert "Traceback" not in result.stderr
    assert worked(tmp_path, result), (result.stdout, result.stderr)


def test_no_output_option_writes_over_an_input_or_into_a_decks_slides(tmp_path):
    """`--report deck.yaml` once replaced the deck with the report, and `--report out/deck/01.png`
    a slide; preview's -o and --html, and theme-preview's -o, could write over the deck or the
    theme. Each is a usage error now, before anything is written."""
    deck = tmp_path / "post.yaml"
    deck.write_text("title: T\ncards:\n  - layout: cover\n    title: Привет\n  - title: Пока\n", encoding="utf-8")
    (tmp_path / "themes").mkdir()
    theme = tmp_path / "themes" / "brand.yaml"
    theme.write_text("extends: paper\n", encoding="utf-8")
    before = {path: path.read_bytes() for path in (deck, theme)}
    assert cardgen("render", "post.yaml", "-q", cwd=tmp_path).returncode == 0
    slide = (tmp_path / "out" / "post" / "01.png").read_bytes()
    refused = {
        (
            "render",
            "post.yaml",
            "--report",
            "post.yaml",
            "--force",
        ): "--report: post.yaml is one of this command's input files",
        ("render", "post.yaml", "--report", "./post.yaml"): "is one of this command's input files",
        (
            "render",
            "post.yaml",
            "--report",
            "out/post/01.png",
            "--force",
        ): "is inside out/post, the folder of a deck's slides",
        (
            "render",
            "post.yaml",
            "--theme",
            "brand",
            "--report",
            "themes/brand.yaml",
        ): "themes/brand.yaml is one of this",
        ("preview", "post.yaml", "-o", "post.yaml"): "-o: post.yaml is one of this command's input files",
        ("preview", "post.yaml", "--html", "post.yaml"): "--html: post.yaml is one of this command's input files",
        ("preview", "post.yaml", "--theme", "brand", "-o", "themes/brand.yaml"): "-o: themes/brand.yaml is one of this",
        ("preview", "post.yaml", "-o", "s.png", "--html", "s.png"): "--html: s.png is also the sheet's file (-o)",
        ("theme-preview", "themes/brand.yaml", "-o", "themes/brand.yaml"): "-o: themes/brand.yaml is one of this",
    }
    for args, message in refused.items():
        result = cardgen(*args, cwd=tmp_path)
        assert result.returncode == 2 and message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert {path: path.read_bytes() for path in (deck, theme)} == before
    assert (tmp_path / "out" / "post" / "01.png").read_bytes() == slide
    assert not (tmp_path / "s.png").exists()
    # beside the slides, or anywhere else, the report is written as before
    result = cardgen("render", "post.yaml", "--report", "out/report.json", "--force", "-q", cwd=tmp_path)
    assert result.returncode == 0 and json.loads((tmp_path / "out" / "report.json").read_text())["decks"]


def test_an_output_folder_that_is_a_file_is_a_usage_error(tmp_path):
    """It said "cannot create the output folder: File exists"."""
    write_deck(tmp_path / "d.yaml")
    (tmp_path / "slides").write_text("mine", encoding="utf-8")
    result = cardgen("render", "d.yaml", "-o", "slides", cwd=tmp_path)
    assert (
        result.returncode == 2 and "-o: slides is a file, not a folder; name a folder for the slides" in result.stderr
    )
    assert (tmp_path / "slides").read_text(encoding="utf-8") == "mine"
