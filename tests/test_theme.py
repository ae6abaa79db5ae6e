import pytest

from cardgen.errors import CardgenError
from cardgen.theme import builtin_themes, load_theme


def test_builtin_themes_validate():
    names = builtin_themes()
    assert {"default", "midnight", "paper"} <= set(names)
    for name in names:
        theme = load_theme(name)
        assert theme.roles["body"].size > 0
        assert theme.description


def test_extends_merges_deeply(tmp_path):
    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / "brand.yaml").write_text(
        "extends: midnight\ncolors:\n  accent: '#FF0000'\nroles:\n  body: {size: 44}\n", encoding="utf-8"
    )
    theme = load_theme("brand", tmp_path)
    assert theme.color("accent") == (255, 0, 0, 255)
    assert theme.roles["body"].size == 44
    assert theme.roles["body"].hyphenate is True  # kept from default, two levels up
    assert theme.background.type == "linear"  # from midnight
    assert [p.stem for p in theme.files] == ["brand", "midnight", "default"]


def test_a_themes_folder_beside_the_deck_wins_over_builtin(tmp_path):
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "midnight.yaml").write_text("extends: default\ncolors: {accent: '#00FF00'}\n")
    assert load_theme("midnight", tmp_path).color("accent") == (0, 255, 0, 255)


def test_theme_by_path(tmp_path):
    (tmp_path / "mine.yaml").write_text("extends: paper\n")
    assert load_theme("mine.yaml", tmp_path).accent.style == "highlight"


def test_cycle_is_detected(tmp_path):
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "a.yaml").write_text("extends: b\n")
    (tmp_path / "themes" / "b.yaml").write_text("extends: a\n")
    with pytest.raises(CardgenError, match="cycle: a.yaml → b.yaml → a.yaml"):
        load_theme("a", tmp_path)


def test_unknown_theme_lists_known_ones():
    with pytest.raises(CardgenError, match='unknown theme "midnigth" \\(did you mean "midnight"\\?\\); known: .*default'):
        load_theme("midnigth")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("roles:\n  boddy: {size: 10}\n", 'unknown text role "boddy" (did you mean "body"?)'),
        ("colors:\n  accent: '#12'\n", "expected a color"),
        ("roles:\n  body: {color: nope}\n", 'unknown color "nope"'),
        ("roles:\n  body: {font: serif}\n", 'unknown font key "serif"'),
        ("background: {type: linear, colors: ['#000']}\n", "at least two colors"),
        ("spacing: {margins: 10}\n", 'unknown key "margins" (did you mean "margin"?)'),
    ],
)
def test_theme_errors(tmp_path, text, fragment):
    (tmp_path / "t.yaml").write_text("extends: default\n" + text)
    with pytest.raises(CardgenError) as info:
        load_theme("t.yaml", tmp_path)
    assert fragment in str(info.value)
    assert "t.yaml" in str(info.value)
