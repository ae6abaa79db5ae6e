import pytest
from fontTools.ttLib import TTFont

from cardgen.load.fonts import data_dir, default_book, nearest_weight, parse_font_name
from cardgen.model.problems import FontError

REQUIRED = "₽«»„“—–→№ёЁАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя"


@pytest.mark.parametrize(
    ("wanted", "available", "chosen"),
    [
        (400, [300, 500, 700], 500),  # 400 tries 500 first
        (500, [300, 400, 700], 400),
        (600, [400, 800], 800),  # heavier first above 500
        (300, [200, 400], 200),  # lighter first below 400
        (900, [400, 700], 700),
    ],
)
def test_css_nearest_weight(wanted, available, chosen):
    assert nearest_weight(wanted, available) == chosen


def test_font_names():
    assert parse_font_name(data_dir("fonts") / "x" / "Inter-SemiBoldItalic.otf") == ("Inter", 600, True)
    assert parse_font_name(data_dir("fonts") / "x" / "LICENSE.txt") is None


@pytest.mark.parametrize("family", ["Inter", "Manrope"])
def test_text_families_cover_cyrillic_and_typography(family):
    book = default_book()
    for weight in (400, 800):
        face = book.face(family, weight)
        cmap = TTFont(face.path, lazy=True).getBestCmap()
        missing = [c for c in REQUIRED if ord(c) not in cmap]
        assert not missing, f"{face.path.name} lacks {missing}"


def test_every_font_ships_with_a_licence():
    folders = {p.parent for p in data_dir("fonts").rglob("*") if p.suffix in (".otf", ".ttf")}
    assert folders
    for folder in folders:
        assert (folder / "LICENSE.txt").is_file(), folder


def test_emoji_font_is_color_and_last_in_the_chain():
    from cardgen.load.fonts import load_face

    emoji = load_face(default_book().fallbacks(400)[-1])
    assert emoji.is_color
    assert emoji.covers("😀")


def test_unknown_family():
    with pytest.raises(FontError, match='unknown font family "Interr" \\(did you mean "Inter"\\?\\)'):
        default_book().face("Interr")
