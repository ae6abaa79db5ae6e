import pytest

from cardgen.color import contrast_ratio, parse_color


@pytest.mark.parametrize(
    ("text", "rgba"),
    [
        ("#fff", (255, 255, 255, 255)),
        ("#0E1330", (14, 19, 48, 255)),
        ("#0E133080", (14, 19, 48, 128)),
        ("rgb(1, 2, 3)", (1, 2, 3, 255)),
        ("rgba(1,2,3,0.5)", (1, 2, 3, 128)),
        ("white", (255, 255, 255, 255)),
    ],
)
def test_parse_color(text, rgba):
    assert parse_color(text) == rgba


@pytest.mark.parametrize("text", ["#ggg", "red-ish", "rgb(300,0,0)", "#12345"])
def test_bad_colors_say_what_is_expected(text):
    with pytest.raises(ValueError, match="expected a color"):
        parse_color(text)


def test_contrast_ratio_black_on_white_is_21():
    assert contrast_ratio((0, 0, 0, 255), (255, 255, 255, 255)) == pytest.approx(21.0)
