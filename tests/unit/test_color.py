import pytest

from cardgen.model.color import contrast_ratio, parse_color


@pytest.mark.parametrize(
    ("text", "rgba"),
    [
        ("#fff", (255, 255, 255, 255)),
        ("#0E1330", (14, 19, 48, 255)),
        ("#0E133080", (14, 19, 48, 128)),
        ("rgb(1, 2, 3)", (1, 2, 3, 255)),
        ("rgba(1,2,3,0.5)", (1, 2, 3, 128)),
        ("white", (255, 255, 255, 255)),
        # as designers write them: CSS names, short hex with alpha, percentages, hsl and hsv (Pillow's ImageColor)
        ("coral", (255, 127, 80, 255)),
        ("Coral", (255, 127, 80, 255)),
        ("rebeccapurple", (102, 51, 153, 255)),
        ("#F0A8", (255, 0, 170, 136)),
        ("rgb(100%, 0%, 50%)", (255, 0, 128, 255)),
        ("hsl(16, 100%, 66%)", (255, 128, 82, 255)),
        ("hsv(0, 100%, 100%)", (255, 0, 0, 255)),
        ("transparent", (0, 0, 0, 0)),
    ],
)
def test_parse_color(text, rgba):
    assert parse_color(text) == rgba


@pytest.mark.parametrize(
    "text", ["#ggg", "red-ish", "rgb(300,0,0)", "#12345", "hsl(0, 200%, 50%)", "rgba(1,2,3,128)", "coral" * 30, ""]
)
def test_bad_colors_say_what_is_expected(text):
    with pytest.raises(ValueError, match='expected a color such as "#1A1A2E", "coral", "rgb'):
        parse_color(text)


def test_a_theme_takes_css_colors_and_places_a_wrong_one_at_its_line(tmp_path):
    from cardgen.model.problems import CardgenError
    from cardgen.load.theme import load_theme

    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "t.yaml").write_text(
        "extends: default\ncolors:\n  accent: coral\n  muted: hsl(220, 10%, 40%)\n  text: '#1A1A2ECC'\n",
        encoding="utf-8",
    )
    theme = load_theme("t", tmp_path)
    assert theme.color("accent") == (255, 127, 80, 255) and theme.color("muted")[3] == 255
    (tmp_path / "themes" / "t.yaml").write_text("extends: default\ncolors:\n  accent: corral\n", encoding="utf-8")
    with pytest.raises(CardgenError) as info:
        load_theme("t", tmp_path)
    assert str(info.value).startswith(
        "themes/t.yaml:3: colors.accent: expected a color such as"
    ) or 'colors.accent: expected a color such as "#1A1A2E", "coral"' in str(info.value)
    assert info.value.where.line == 3


def test_contrast_ratio_black_on_white_is_21():
    assert contrast_ratio((0, 0, 0, 255), (255, 255, 255, 255)) == pytest.approx(21.0)
