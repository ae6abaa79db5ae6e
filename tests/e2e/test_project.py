"""A project as a team keeps it: settings in pyproject.toml [tool.cardgen] (or cardgen.toml), its
own themes/ folder, decks named in Cyrillic and with spaces. Every command runs with no flag
repeated; flags still win; `cardgen config` says where each setting came from."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import pytest
from batchkit import cardgen, write_deck

from cardgen.load.config import find_config, load_config, schema
from cardgen.model.problems import CardgenError

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = """[project]
name = "our-decks"

[tool.cardgen]
decks = ["decks"]
out = "out/slides"
theme = "acme"
strict = true
jobs = 1

[tool.cardgen.limits]
cards = 50
"""
ACME = "extends: midnight\ndescription: ACME brand\ncolors:\n  accent: coral\n"


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """pyproject.toml with [tool.cardgen], themes/acme.yaml at the top, decks in decks/ and decks/sub/."""
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "acme.yaml").write_text(ACME, encoding="utf-8")
    write_deck(tmp_path / "decks" / "стресс тест.yaml", "Стресс")
    write_deck(tmp_path / "decks" / "sub" / "two  spaces.yaml", "Пробелы")
    return tmp_path


def test_every_command_runs_with_the_projects_settings_and_no_flags(scratch: Path) -> None:
    checked = cardgen("check", cwd=scratch)
    assert checked.returncode == 0, checked.stderr
    assert "2 decks checked: 2 passed" in checked.stdout
    rendered = cardgen("render", cwd=scratch)
    assert rendered.returncode == 0, rendered.stderr
    assert (scratch / "out" / "slides" / "стресс тест" / "01.png").is_file()
    assert (scratch / "out" / "slides" / "two  spaces" / "02.png").is_file()
    preview = cardgen("preview", "decks/стресс тест.yaml", cwd=scratch)
    assert preview.returncode == 0, preview.stderr
    quality = cardgen("quality", "decks/sub/two  spaces.yaml", cwd=scratch)
    assert "Traceback" not in quality.stderr and "two  spaces.yaml: 2 cards" in quality.stdout
    sheet = cardgen("theme-preview", "acme", cwd=scratch)
    assert sheet.returncode == 0 and (scratch / "out" / "theme-acme.png").is_file(), sheet.stderr
    listed = cardgen("themes", cwd=scratch)
    assert "ACME brand" in listed.stdout
    assert cardgen("schema", "--config", cwd=scratch).returncode == 0
    # The project's theme reached the slides: midnight's dark background, not the default's paper.
    from PIL import Image

    with Image.open(scratch / "out" / "slides" / "стресс тест" / "01.png") as slide:
        assert sum(slide.convert("RGB").getpixel((5, 5))) < 200


def test_the_settings_apply_from_a_subfolder_with_paths_relative_to_the_file(scratch: Path) -> None:
    result = cardgen("check", cwd=scratch / "decks" / "sub")
    assert result.returncode == 0, result.stderr
    assert "2 decks checked" in result.stdout  # decks = ["decks"], from the file's folder


def test_flags_win_over_the_file(scratch: Path) -> None:
    write_deck(scratch / "decks" / "glyph.yaml", "Символ \u0e01")  # a warning: strict = true fails it
    assert cardgen("check", cwd=scratch).returncode == 1
    relaxed = cardgen("check", "--no-strict", cwd=scratch)
    assert relaxed.returncode == 0, relaxed.stderr
    one = cardgen("render", "decks/стресс тест.yaml", "-o", "elsewhere", "--theme", "paper", cwd=scratch)
    assert one.returncode == 0 and (scratch / "elsewhere" / "стресс тест" / "01.png").is_file()
    # limits add up: the file's cards = 50 stays, a flag adds its own
    too_many = cardgen("check", "decks/стресс тест.yaml", "--limit", "cards=1", cwd=scratch)
    assert too_many.returncode == 1 and "at most 1 are allowed" in too_many.stderr


def test_cardgen_config_prints_each_setting_and_where_it_came_from(scratch: Path) -> None:
    result = cardgen("config", cwd=scratch)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith("pyproject.toml [tool.cardgen]: flags on the command line win")
    rows = {line.split()[0]: line for line in lines[1:]}
    assert rows["theme"].split()[1:] == ['"acme"', "pyproject.toml:7"]
    assert rows["strict"].split()[1:] == ["true", "pyproject.toml:8"]
    assert rows["limits"].endswith("pyproject.toml:11")
    assert rows["size"].endswith("default") and "each deck's own" in rows["size"]
    document = json.loads(cardgen("config", "--json", cwd=scratch).stdout)
    assert document["file"] == str(scratch / "pyproject.toml")
    assert {"key": "out", "value": '"out/slides"', "source": "pyproject.toml:6"} in document["settings"]
    none = cardgen("config", cwd=scratch / "decks" / ".." / "..")  # tmp's parent: no file above it either
    assert none.returncode == 0


def test_cardgen_toml_wins_in_its_folder_and_the_nearest_file_above_applies(scratch: Path) -> None:
    (scratch / "cardgen.toml").write_text('out = "from-cardgen-toml"\n', encoding="utf-8")
    config = load_config(find_config(scratch / "decks"))
    assert config.path.name == "cardgen.toml" and config.values == {"out": "from-cardgen-toml"}
    plain = scratch / "plain"
    plain.mkdir()
    (plain / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")  # no [tool.cardgen]: passed over
    assert find_config(plain) == scratch / "cardgen.toml"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[tool.cardgen]\nthme = "acme"\n',
            '2:1: error: [tool.cardgen] thme: unknown setting "thme" (did you mean "theme"?)',
        ),
        (
            "[tool.cardgen]\nstrict = 1\n",
            "2:1: error: [tool.cardgen] strict: expected true or false, found the number 1",
        ),
        ('[tool.cardgen]\nformat = "gif"\n', 'expected one of png, jpeg, webp, pdf, jpg; found "gif"'),
        (
            "[tool.cardgen]\n[tool.cardgen.limits]\ncards = 0\n",
            "error: [tool.cardgen] limits: limits cards: expected 1–10000, found 0",
        ),
        (
            '[tool.cardgen]\nout = "a"\nout = "b"\n',
            "pyproject.toml:3:10: error: invalid TOML: Cannot overwrite a value",
        ),
    ],
)
def test_a_broken_config_is_a_located_usage_error(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    write_deck(tmp_path / "d.yaml")
    result = cardgen("check", "d.yaml", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and result.stderr.startswith("pyproject.toml:")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    document = json.loads(cardgen("check", "d.yaml", "--json", cwd=tmp_path).stdout)
    assert document["exit_code"] == 2 and message.rsplit("error: ", maxsplit=1)[-1] in document["usage_errors"][0]
    assert cardgen("check", "-h", cwd=tmp_path).returncode == 0  # help is still there to read


def test_the_config_schema_is_committed_and_validates_what_the_reader_accepts(scratch: Path) -> None:
    committed = json.loads((ROOT / "docs" / "schema" / "config.schema.json").read_text(encoding="utf-8"))
    assert committed == schema()
    table = tomllib.loads(PYPROJECT)["tool"]["cardgen"]
    jsonschema.validate(table, committed)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**table, "thme": "x"}, committed)
    with pytest.raises(CardgenError):
        (scratch / "cardgen.toml").write_text('thme = "x"\n', encoding="utf-8")
        load_config(scratch / "cardgen.toml")


def test_theme_preview_and_themes_find_a_theme_here_as_render_does(tmp_path: Path) -> None:
    """No config file: themes/acme.yaml beside the working folder, and a relative path to it."""
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "acme.yaml").write_text(ACME, encoding="utf-8")
    write_deck(tmp_path / "d.yaml", theme="acme")
    assert cardgen("check", "d.yaml", cwd=tmp_path).returncode == 0
    by_name = cardgen("theme-preview", "acme", "-o", "a.png", cwd=tmp_path)
    assert by_name.returncode == 0 and (tmp_path / "a.png").is_file(), by_name.stderr
    by_path = cardgen("theme-preview", "themes/acme.yaml", "-o", "b.png", cwd=tmp_path)
    assert by_path.returncode == 0 and (tmp_path / "b.png").is_file(), by_path.stderr
    assert "acme      ACME brand" in cardgen("themes", cwd=tmp_path).stdout
    unknown = cardgen("theme-preview", "acmee", cwd=tmp_path)
    assert unknown.returncode == 1 and 'unknown theme "acmee" (did you mean "acme"?)' in unknown.stderr


def test_themes_in_cardgens_own_clone_lists_each_built_in_theme_once() -> None:
    """Run from a checkout of cardgen itself, its themes/ folder is where the built-in themes come
    from (an editable install): it is not listed a second time as the project's."""
    from cardgen.load.theme import builtin_theme_dir, builtin_themes

    listed = [line.split()[0] for line in cardgen("themes", cwd=ROOT).stdout.splitlines()]
    if builtin_theme_dir().resolve() == (ROOT / "themes").resolve():
        assert listed == builtin_themes()
    else:  # a wheel install: the clone's themes/ is a project folder like any other
        assert sorted(set(listed)) == builtin_themes()


def test_a_deck_in_a_subfolder_finds_the_projects_themes_and_its_own_come_first(scratch: Path) -> None:
    (scratch / "decks" / "own.yaml").write_text(
        "title: T\nsize: 400x500\ntheme: acme\ncards:\n  - title: a\n", encoding="utf-8"
    )
    checked = cardgen("check", "decks/own.yaml", "--theme", "acme", cwd=scratch)
    assert checked.returncode == 0, checked.stderr
    (scratch / "decks" / "themes").mkdir()
    (scratch / "decks" / "themes" / "acme.yaml").write_text("extends: nowhere\n", encoding="utf-8")
    shadowed = cardgen("check", "decks/own.yaml", cwd=scratch)
    assert shadowed.returncode == 1 and 'unknown theme "nowhere"' in shadowed.stderr
