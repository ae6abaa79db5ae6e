"""The deck's `ad:` key: validated where it is written, and the marking drawn on the cards it names."""

import pytest

from cardgen.errors import CardgenError
from cardgen.render import layout_deck


def test_ad_marking_is_set_on_every_card_by_default(write):
    deck = write("d.yaml", "title: T\nad: {advertiser: ООО \"Ромашка\", erid: 2VtzqwXYZ}\n"
                           "cards:\n  - title: A\n  - title: B\n")
    laid = layout_deck(deck)
    for page in laid.pages:
        (ad,) = [b for b in page.text_boxes() if b.field == "chrome.ad"]
        assert ad.lines[0].text.startswith("Реклама. ООО «Ромашка»")
        assert "erid: 2VtzqwXYZ" in ad.lines[0].text.replace("\u00a0", " ")
        counter = next(b for b in page.text_boxes() if b.field == "chrome.counter")
        assert ad.lines[0].x + ad.lines[0].width < counter.lines[0].x  # never under the counter


def test_ad_marking_on_the_first_card_only(write):
    deck = write("d.yaml", "title: T\nad: {advertiser: ИП Иванов, erid: 2VtzqwXYZ, show: first}\n"
                           "cards:\n  - title: A\n  - title: B\n")
    pages = layout_deck(deck).pages
    assert [any(b.field == "chrome.ad" for b in p.text_boxes()) for p in pages] == [True, False]


def test_a_bad_erid_is_a_located_error(write):
    deck = write("d.yaml", "title: T\nad: {advertiser: A, erid: '!!'}\ncards:\n  - title: A\n")
    with pytest.raises(CardgenError, match=r"d.yaml:2: ad.erid: expected the token your ОРД issued"):
        layout_deck(deck)


def test_a_bad_inn_points_to_the_inn_line_not_the_ad_line(write):
    deck = write("d.yaml", "title: T\ntheme: default\nlang: ru\nsize: portrait\nad:\n  advertiser: A\n"
                           "  erid: 2SDnjeVvTqj\n  inn: '7707083894'\ncards:\n  - title: A\n")
    with pytest.raises(CardgenError, match=r"d.yaml:8: ad.inn: the ИНН \"7707083894\" fails its check digits"):
        layout_deck(deck)


def _marked(deck) -> list[bool]:
    return [any(b.field == "chrome.ad" for b in p.text_boxes()) for p in layout_deck(deck).pages]


CARDS = "cards:\n  - title: A\n  - title: B\n  - title: C\n"


def test_the_theme_chooses_the_cards_and_the_deck_may_override(write):
    write("themes/brand.yaml", "extends: default\nad: {show: first-last}\n")
    deck = write("d.yaml", "title: T\ntheme: brand\nad: {advertiser: A, erid: 2VtzqwXYZ}\n" + CARDS)
    assert _marked(deck) == [True, False, True]
    deck = write("e.yaml", "title: T\ntheme: brand\nad: {advertiser: A, erid: 2VtzqwXYZ, show: last}\n" + CARDS)
    assert _marked(deck) == [False, False, True]
    deck = write("f.yaml", "title: T\nad: {advertiser: A, erid: 2VtzqwXYZ}\n" + CARDS)
    assert _marked(deck) == [True, True, True]  # the built-in themes: every card


def test_a_bad_theme_ad_show_is_a_theme_error(write):
    write("themes/brand.yaml", "extends: default\nad: {show: some}\n")
    deck = write("d.yaml", "title: T\ntheme: brand\nad: {advertiser: A, erid: 2VtzqwXYZ}\n" + CARDS)
    with pytest.raises(CardgenError, match=r"brand.yaml:2: ad.show: .*'first-last'"):
        layout_deck(deck)


def test_platform_key_is_checked(write):
    deck = write("d.yaml", "title: T\nplatform: myspace\ncards:\n  - title: A\n")
    with pytest.raises(CardgenError, match=r"d.yaml:2: platform: .*'telegram'"):
        layout_deck(deck)
