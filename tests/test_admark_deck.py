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
    with pytest.raises(CardgenError, match=r"d.yaml:2: ad: expected the token your ОРД issued"):
        layout_deck(deck)


def test_platform_key_is_checked(write):
    deck = write("d.yaml", "title: T\nplatform: myspace\ncards:\n  - title: A\n")
    with pytest.raises(CardgenError, match=r"d.yaml:2: platform: .*'telegram'"):
        layout_deck(deck)
