"""`cardgen check`: every error and warning with its location, no file written, and quick."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from batchkit import cardgen, cardgen_json, cardgen_process, write_deck

LONG = "очень длинный текст " * 150


def test_every_overflowing_card_is_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(
        "title: T\ncards:\n"
        f"  - layout: step\n    title: a\n    text: {LONG}\n"
        "  - title: fine\n"
        f"  - layout: step\n    title: b\n    text: {LONG}\n",
        encoding="utf-8",
    )
    code, doc, stderr = cardgen_json("check", "d.yaml", cwd=tmp_path)
    assert code == 1
    errors = doc["decks"][0]["errors"]
    assert [(e["line"], e["card"], e["kind"]) for e in errors] == [(5, 1, "layout"), (9, 3, "layout")]
    assert all("does not fit" in e["message"] for e in errors)
    assert stderr.count(": error: cards[") == 2 and stderr.count("d.yaml:") == 2
    # nothing written: no out/, no manifest (only parsed hyphenation patterns may be cached)
    assert sorted(p.name for p in tmp_path.iterdir()) in (["d.yaml"], [".cardgen-cache", "d.yaml"])
    assert [p.name for p in (tmp_path / ".cardgen-cache").glob("*")] in ([], ["hyphenation"])


def test_structure_errors_missing_files_and_warnings_are_all_listed(tmp_path: Path) -> None:
    (tmp_path / "typo.yaml").write_text("title: T\ncards:\n  - titel: x\n  - layout: stepp\n", encoding="utf-8")
    (tmp_path / "missing.yaml").write_text(
        "title: T\ncards:\n  - layout: image\n    image: missing.png\n", encoding="utf-8"
    )
    write_deck(tmp_path / "glyph.yaml", "Символ \u0e01")
    (tmp_path / "contrast.yaml").write_text(
        "title: T\nsize: 400x500\ncards:\n  - title: Тёмное на тёмном\n    background: '#2A2A2A'\n", encoding="utf-8"
    )
    code, doc, stderr = cardgen_json("check", ".", cwd=tmp_path, process=True)
    assert code == 1
    by_deck = {Path(d["deck"]).name: d for d in doc["decks"]}
    typo = [(e["line"], e["message"]) for e in by_deck["typo.yaml"]["errors"]]
    assert typo[0][0] == 3 and 'unknown key "titel"' in typo[0][1]
    assert typo[1][0] == 4 and 'unknown layout "stepp"' in typo[1][1]
    (missing,) = by_deck["missing.yaml"]["errors"]
    assert missing["line"] == 4 and "image not found" in missing["message"] and missing["kind"] == "deck"
    (glyph,) = by_deck["glyph.yaml"]["warnings"]
    assert "U+0E01" in glyph["message"] and glyph["field"].startswith("cards[0].title") and glyph["line"] == 5
    assert by_deck["glyph.yaml"]["status"] == "checked"
    assert any("contrast" in w["message"] for w in by_deck["contrast.yaml"]["warnings"])
    assert doc["summary"]["checked"] == 2 and doc["summary"]["failed"] == 2
    assert "glyph.yaml:5:5: warning: cards[0].title (card 1)" in stderr


def test_strict_fails_on_warnings_and_plain_output(tmp_path: Path) -> None:
    write_deck(tmp_path / "glyph.yaml", "Символ \u0e01")
    write_deck(tmp_path / "fine.yaml")
    relaxed = cardgen_process("check", "glyph.yaml", "fine.yaml", cwd=tmp_path)
    assert relaxed.returncode == 0
    assert "fine.yaml: OK" in relaxed.stdout and "glyph.yaml: 1 warning" in relaxed.stdout
    assert "2 decks checked: 2 passed, 0 failed; 1 warning, 0 errors" in relaxed.stdout
    strict = cardgen_process("check", "glyph.yaml", "fine.yaml", "--strict", cwd=tmp_path)
    assert strict.returncode == 1 and "(--strict)" in strict.stderr


def test_check_is_fast_enough_for_a_pre_commit_hook(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    started = time.perf_counter()
    result = cardgen_process("check", str(root / "decks"), "-q", cwd=tmp_path)
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < 15  # four real decks, start-up included: about 2 s on two cores; generous for CI


def test_warnings_are_kept_beside_errors(tmp_path: Path) -> None:
    """A card that does not fit no longer hides the other cards' glyph and contrast warnings."""
    (tmp_path / "d.yaml").write_text(
        "title: T\nsize: 400x500\ncards:\n"
        "  - title: Символ \u0e01\n"
        f"  - layout: step\n    title: a\n    text: {LONG}\n"
        "  - title: Тёмное на тёмном\n    background: '#2A2A2A'\n",
        encoding="utf-8",
    )
    code, doc, stderr = cardgen_json("check", "d.yaml", cwd=tmp_path)
    assert code == 1
    (deck,) = doc["decks"]
    assert [(e["line"], e["kind"]) for e in deck["errors"]] == [(7, "layout")]
    warnings = [(w["line"], w["message"]) for w in deck["warnings"]]
    assert warnings[0][0] == 4 and "U+0E01" in warnings[0][1]
    assert any(line == 8 and "contrast" in message for line, message in warnings)
    assert doc["summary"]["warnings"] == len(warnings) >= 2 and doc["summary"]["errors"] == 1
    assert "d.yaml:4:5: warning: cards[0].title (card 1)" in stderr


def test_an_unknown_theme_does_not_hide_the_cards_errors(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(
        "title: T\ntheme: midnigth\ncards:\n  - title: a\n    background: mauve\n"
        "  - title: b\n    background: '#12'\n  - title: c\n    image: nowhere.png\n",
        encoding="utf-8",
    )
    code, doc, _ = cardgen_json("check", "d.yaml", cwd=tmp_path)
    assert code == 1
    errors = [(e["line"], e["field"], e["kind"]) for e in doc["decks"][0]["errors"]]
    assert errors == [
        (2, "theme", "theme"),
        (5, "cards[0].background (card 1)", "deck"),
        (7, "cards[1].background (card 2)", "deck"),
        (9, "cards[2].image (card 3)", "deck"),
    ]
    assert doc["decks"][0]["warnings"] == []  # none about the default theme standing in for "midnigth"


def test_every_broken_picture_is_reported_at_its_field(tmp_path: Path) -> None:
    from PIL import Image

    (tmp_path / "text.png").write_text("not a picture", encoding="utf-8")
    (tmp_path / "half.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00")
    Image.new("RGB", (400, 500), (200, 200, 200)).save(tmp_path / "fine.png")
    (tmp_path / "d.yaml").write_text(
        "title: T\nsize: 400x500\ncards:\n  - title: a\n    image: text.png\n  - title: b\n    image: fine.png\n"
        "  - layout: quote\n    text: q\n    author: Кто-то\n    avatar: half.png\n  - title: d\n    image: text.png\n",
        encoding="utf-8",
    )
    code, doc, stderr = cardgen_json("check", "d.yaml", cwd=tmp_path)
    assert code == 1
    errors = [(e["line"], e["field"], e["kind"], e["message"].split(":")[0]) for e in doc["decks"][0]["errors"]]
    assert errors == [
        (5, "cards[0].image (card 1)", "asset", "text.png"),
        (11, "cards[2].avatar (card 3)", "asset", "half.png"),
    ]  # text.png once, where first named
    assert "d.yaml:5:5: error: cards[0].image (card 1): text.png: not an image file" in stderr


@pytest.mark.parametrize(
    ("theme", "fragment"),
    [
        ("midnigth", 'unknown theme "midnigth"'),
        ("t", "colors.accent: expected a color"),
        ("t", "roles.body.size: expected a number"),
        ("t", 'brand.logo: "../../logo.png" is outside the project root'),
        ("t", 'fonts.body.family: unknown font family "Helvetica"'),
    ],
)
def test_a_broken_theme_hides_neither_pictures_nor_pretends_to_judge_fit(
    tmp_path: Path, theme: str, fragment: str
) -> None:
    """The deck's pictures do not depend on the theme: read and reported whatever the theme's errors.
    Whether text fits does: with a stand-in theme, no fit error is given."""
    from cardgen.model.problems import CardgenError
    from cardgen.run.pipeline import check_deck

    body = {
        "colors.accent: expected a color": "colors:\n  accent: '#12'\n",
        "roles.body.size: expected a number": "roles:\n  body: {size: huge}\n",
        'brand.logo: "../../logo.png" is outside the project root': "brand: {logo: ../../logo.png}\n",
        'fonts.body.family: unknown font family "Helvetica"': "fonts:\n  body: {family: Helvetica}\n",
    }.get(fragment, "")
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "t.yaml").write_text("extends: default\n" + body, encoding="utf-8")
    (tmp_path / "text.png").write_text("not a picture", encoding="utf-8")
    (tmp_path / "d.yaml").write_text(
        f"title: T\ntheme: {theme}\nauthor: {{name: A, avatar: text.png}}\ncards:\n"
        f"  - layout: step\n    title: a\n    text: {LONG}\n  - title: b\n    image: text.png\n",
        encoding="utf-8",
    )
    with pytest.raises(CardgenError) as info:
        check_deck(tmp_path / "d.yaml")
    lines = str(info.value).splitlines()
    assert len(lines) == 2 and fragment in lines[0], lines
    assert lines[1].endswith(
        "d.yaml:3: author.avatar: " + str(tmp_path / "text.png") + ": not an image file "
        "(or a format cardgen cannot read); use PNG, JPEG or WebP"
    )  # its first place
    assert info.value.warnings == ()


def test_errors_past_the_listed_twenty_are_counted_on_their_own_line(tmp_path: Path) -> None:
    cards = "".join(f"  - titel: typo {i}\n" for i in range(1, 26))
    (tmp_path / "d.yaml").write_text(f"title: T\ncards:\n{cards}", encoding="utf-8")
    result = cardgen("check", "d.yaml", cwd=tmp_path)
    lines = result.stderr.splitlines()
    assert len(lines) == 21 and lines[19].startswith("d.yaml:22:5: error: cards[19].titel (card 20): unknown key")
    assert lines[20] == "error: … and 5 more errors (fix these and run again to see them)"
    assert "d.yaml: failed (25 errors)" in result.stdout and "0 warnings, 25 errors" in result.stdout
    _code, doc, _ = cardgen_json("check", "d.yaml", cwd=tmp_path)
    assert doc["summary"]["errors"] == 25 and doc["decks"][0]["unlisted_errors"] == 5
    assert doc["decks"][0]["errors"][-1]["kind"] == "more" and doc["decks"][0]["errors"][-1]["file"] is None
