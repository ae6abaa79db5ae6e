"""Authoring commands: `schema` (generated from the models, validating real decks and themes),
`new` (a starter that renders cleanly) and `preview` (a contact sheet and an HTML gallery)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from batchkit import cardgen
from PIL import Image

from cardgen.load.deck import Deck
from cardgen.load.records import user_fields
from cardgen.load.schema import deck_schema, schema_text, theme_schema
from cardgen.load.theme import Theme

ROOT = Path(__file__).resolve().parents[2]
DECKS = [*sorted((ROOT / "decks").glob("*.yaml")), ROOT / "tests" / "decks" / "torture.yaml"]
THEMES = sorted((ROOT / "themes").glob("*.yaml"))


def test_schema_command_prints_the_deck_and_theme_schemas(tmp_path: Path) -> None:
    deck = cardgen("schema", cwd=tmp_path)
    theme = cardgen("schema", "--theme", cwd=tmp_path)
    assert deck.returncode == theme.returncode == 0
    assert json.loads(deck.stdout) == deck_schema() and json.loads(theme.stdout) == theme_schema()


@pytest.mark.parametrize(("name", "theme"), [("deck", False), ("theme", True)])
def test_committed_schema_files_match_the_models(name: str, theme: bool) -> None:
    """docs/schema/*.json are generated: `cardgen schema [--theme] -o docs/schema/NAME.schema.json`."""
    committed = (ROOT / "docs" / "schema" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(theme)


def test_the_schema_has_the_users_keys_only() -> None:
    schema = deck_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert set(schema["properties"]) == set(user_fields(Deck))
    assert {"path", "lines", "limits"} <= {f.name for f in dataclasses.fields(Deck)} - set(user_fields(Deck))
    assert "Limits" not in schema["$defs"]
    assert "files" not in theme_schema()["properties"] and "files" in {f.name for f in dataclasses.fields(Theme)}


@pytest.mark.parametrize("path", DECKS, ids=lambda p: p.name)
def test_every_example_deck_validates(path: Path) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), deck_schema())


@pytest.mark.parametrize("path", THEMES, ids=lambda p: p.name)
def test_every_builtin_theme_validates(path: Path) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), theme_schema())


def test_the_schema_catches_what_an_editor_should_underline() -> None:
    validator = jsonschema.Draft202012Validator(deck_schema())
    bad = {"title": "T", "size": "huge", "cards": [{"layout": "stepp", "titel": "x"}]}
    messages = " ".join(e.message for e in validator.iter_errors(bad))
    assert "'titel' was unexpected" in messages and "'stepp'" in messages and "'huge'" in messages
    assert not list(validator.iter_errors({"title": "T", "size": "1080x1350", "cards": [{"title": "x"}]}))


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_new_writes_a_starter_that_renders_without_warnings(tmp_path: Path, lang: str) -> None:
    made = cardgen("new", "my-post", "--dir", "decks", "--lang", lang, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    deck = tmp_path / "decks" / "my-post.yaml"
    data = yaml.safe_load(deck.read_text(encoding="utf-8"))
    assert [c.get("layout") for c in data["cards"]] == ["cover", "step", "step", "step", "cta"]
    assert data["lang"] == lang
    rendered = cardgen("render", "decks/my-post.yaml", "--strict", cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stderr == ""
    assert len(list((tmp_path / "out" / "my-post").glob("*.png"))) == 5


def test_new_never_replaces_a_file(tmp_path: Path) -> None:
    (tmp_path / "post.yaml").write_text("mine", encoding="utf-8")
    result = cardgen("new", "post", cwd=tmp_path)
    assert result.returncode == 1 and "already exists" in result.stderr
    assert (tmp_path / "post.yaml").read_text(encoding="utf-8") == "mine"
    assert cardgen("new", "other", "--lang", "de", cwd=tmp_path).returncode == 2
    assert cardgen("new", "../escape", cwd=tmp_path).returncode == 2
    pasted = cardgen("new", "post\x1b[31m", cwd=tmp_path)  # an escape sequence pasted with the name
    assert pasted.returncode == 2 and 'found "post\\x1b[31m"' in pasted.stderr, pasted.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["post.yaml"]
    assert cardgen("new", "пост про скидки", cwd=tmp_path).returncode == 0  # any script, spaces: a file name


def test_preview_writes_a_contact_sheet_and_a_self_contained_gallery(tmp_path: Path) -> None:
    cardgen("new", "post", cwd=tmp_path)
    result = cardgen("preview", "post.yaml", "-o", "review/post.png", "--columns", "5", "--width", "100", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with Image.open(tmp_path / "review" / "post.png") as sheet:
        assert sheet.size == (5 * (100 + 16) + 16, 125 + 2 * 16)
    page = (tmp_path / "review" / "post.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 5
    assert "index-version.js" not in page  # a file to attach, not a live page


def test_preview_sheet_shows_the_slides_in_order_row_by_row(tmp_path: Path) -> None:
    colors = ["#D03030", "#30A030", "#3050D0", "#C0A020", "#8040A0", "#20A0A0", "#E07020"]
    cards = "".join(f'  - title: Карточка {i + 1}\n    background: "{c}"\n' for i, c in enumerate(colors))
    (tmp_path / "order.yaml").write_text(f"title: Порядок\nsize: 400x500\ncards:\n{cards}", encoding="utf-8")
    result = cardgen("preview", "order.yaml", "-o", "sheet.png", "--columns", "3", "--width", "100", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "order.yaml: 7 slides → sheet.png" in result.stdout
    gap, width, height = 16, 100, 125
    with Image.open(tmp_path / "sheet.png") as sheet:
        rgb = sheet.convert("RGB")
        assert sheet.size == (3 * (width + gap) + gap, 3 * (height + gap) + gap)  # 3 + 3 + 1
        seen = [
            rgb.getpixel((gap + (i % 3) * (width + gap) + 4, gap + (i // 3) * (height + gap) + 4))
            for i in range(len(colors))
        ]
    expected = [tuple(int(c[k : k + 2], 16) for k in (1, 3, 5)) for c in colors]
    assert all(max(abs(a - b) for a, b in zip(s, e, strict=True)) <= 3 for s, e in zip(seen, expected, strict=True)), (
        seen,
        expected,
    )


def test_preview_of_one_card_says_one_slide(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text("title: Один\nsize: 400x500\ncards:\n  - title: Один\n", encoding="utf-8")
    result = cardgen("preview", "one.yaml", "-o", "one.png", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "one.yaml: 1 slide → one.png" in result.stdout
