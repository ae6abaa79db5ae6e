"""The deck's `ad:` key: validated where it is written, and the marking drawn on the cards it names."""

import pytest

from cardgen.model.problems import CardgenError
from cardgen.run.pipeline import layout_deck


def test_ad_marking_is_set_on_every_card_by_default(write):
    deck = write(
        "d.yaml", 'title: T\nad: {advertiser: ООО "Ромашка", erid: 2VtzqwXYZ}\ncards:\n  - title: A\n  - title: B\n'
    )
    laid = layout_deck(deck)
    for page in laid.pages:
        (ad,) = [b for b in page.text_boxes() if b.field == "chrome.ad"]
        assert ad.lines[0].text.startswith("Реклама. ООО\u00a0«Ромашка»")  # the legal form never ends a line
        assert "erid: 2VtzqwXYZ" in ad.lines[0].text.replace("\u00a0", " ")
        counter = next(b for b in page.text_boxes() if b.field == "chrome.counter")
        assert ad.lines[0].x + ad.lines[0].width < counter.lines[0].x  # never under the counter


def test_ad_marking_on_the_first_card_only(write):
    deck = write(
        "d.yaml",
        "title: T\nad: {advertiser: ИП Иванов, erid: 2VtzqwXYZ, show: first}\ncards:\n  - title: A\n  - title: B\n",
    )
    pages = layout_deck(deck).pages
    assert [any(b.field == "chrome.ad" for b in p.text_boxes()) for p in pages] == [True, False]


def test_a_bad_erid_is_a_located_error(write):
    deck = write("d.yaml", "title: T\nad: {advertiser: A, erid: '!!'}\ncards:\n  - title: A\n")
    with pytest.raises(CardgenError, match=r"d.yaml:2: ad.erid: expected the token your ОРД issued"):
        layout_deck(deck)


def test_a_bad_inn_points_to_the_inn_line_not_the_ad_line(write):
    deck = write(
        "d.yaml",
        "title: T\ntheme: default\nlang: ru\nsize: portrait\nad:\n  advertiser: A\n"
        "  erid: 2SDnjeVvTqj\n  inn: '7707083894'\ncards:\n  - title: A\n",
    )
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


LEGAL = "Общество с ограниченной ответственностью «Ромашка-Маркетинг Северо-Запад»"


def _legal_deck(write, theme: str = "default", advertiser: str = LEGAL):
    return write(
        "d.yaml",
        f"title: T\ntheme: {theme}\nad:\n  advertiser: {advertiser}\n  inn: '7707083893'\n"
        "  erid: 2SDnjeVvTqj\ncards:\n  - {layout: cover, title: Топ-9 бесплатных фотостоков}\n"
        "  - {layout: step, title: Unsplash, text: Самый известный бесплатный сток.}\n"
        "  - {layout: cta, title: Сохраняйте, text: Подписывайтесь на канал}\n",
    )


@pytest.mark.parametrize("theme", ["default", "bold", "classic", "photo"])
def test_a_full_legal_name_wraps_whole_and_clear_of_the_counter_footer_and_text(write, theme):
    laid = layout_deck(_legal_deck(write, theme))
    footer_size = laid.cards[0].styles["footer"].size
    for card, page in zip(laid.cards, laid.pages, strict=True):
        boxes = page.text_boxes()
        (ad,) = [b for b in boxes if b.field == "chrome.ad"]
        text = ad.lines[0].text
        for line in ad.lines[1:]:  # a line may end after the hard hyphen of «Северо-Запад»
            text += ("" if text.endswith("-") else " ") + line.text
        text = text.replace("\u00a0", " ")
        assert text == "Реклама. " + LEGAL + ". ИНН 7707083893. erid: 2SDnjeVvTqj"  # whole, nothing cut
        assert 2 <= len(ad.lines) <= 3 and ad.size >= 0.8 * footer_size
        for line in ad.lines:
            assert line.x >= 0.5 * card.margin and line.x + line.width <= card.width - card.margin + 0.5
        content = [b for b in boxes if not b.field.startswith("chrome.")]
        top_of_content = min(b.rect.y for b in content)
        bottom_of_content = max(b.rect.y + b.rect.h for b in content)
        counter = [b for b in boxes if b.field == "chrome.counter"]
        if ad.lines[0].baseline < card.height / 2:  # at the top: under or beside the counter, above the text
            assert ad.lines[-1].baseline + 0.3 * ad.size < top_of_content
            for c in counter:
                beside = [ln for ln in ad.lines if abs(ln.baseline - c.lines[0].baseline) < 1]
                assert all(ln.x + ln.width < c.lines[0].x for ln in beside)
        else:  # above the footer (a counter at the top left keeps the top row)
            assert ad.lines[0].baseline - ad.size > bottom_of_content
            footers = [b for b in boxes if b.field in ("chrome.footer", "chrome.hint")]
            assert all(ad.lines[-1].baseline < f.lines[0].baseline - f.size for f in footers)


def test_an_ad_marking_that_cannot_fit_is_an_error_at_the_ad_key(write):
    deck = _legal_deck(write, advertiser=" ".join([LEGAL] * 4))
    with pytest.raises(CardgenError, match=r"d.yaml:3: ad: the ad marking does not fit: .* 6 lines of the 3"):
        layout_deck(deck)


def test_the_marking_breaks_alike_on_every_card_whatever_the_counter_says(write):
    write("themes/steps.yaml", "extends: default\ncounter: {steps: true}\n")  # «Шаг 1 из 2» on steps
    deck = write(
        "d.yaml",
        f"title: T\ntheme: steps\nad: {{advertiser: {LEGAL}, erid: 2SDnjeVvTqj}}\ncards:\n"
        + "".join(f"  - {{layout: step, title: S{i}}}\n" for i in range(2))
        + "".join(f"  - {{title: T{i}}}\n" for i in range(9)),
    )
    breaks = {
        tuple(ln.text for ln in b.lines)
        for p in layout_deck(deck).pages
        for b in p.text_boxes()
        if b.field == "chrome.ad"
    }
    assert len(breaks) == 1


def test_first_last_and_first_last_apply_to_each_album_of_a_split_deck():
    from cardgen.resolve.admark import ad_cards
    from cardgen.publish.albums import split_albums
    from cardgen.publish.platforms import TELEGRAM

    posts = split_albums(23, TELEGRAM)  # 10 + 10 + 3
    assert ad_cards(23, "first", posts) == (1, 11, 21)
    assert ad_cards(23, "last", posts) == (10, 20, 23)
    assert ad_cards(23, "first-last", posts) == (1, 10, 11, 20, 21, 23)
    assert ad_cards(23, "all", posts) == tuple(range(1, 24))
    assert ad_cards(23, "first") == (1,)  # one post: as before


def test_in_a_theme_with_its_counter_top_left_the_marking_stays_above_the_footer_on_every_card(write):
    """classic keeps its top-left counter row to itself, so the marking sits above the footer; on
    a step card the counter moves off the step number, and the marking used to jump to the top of
    that card alone, 21 px over the number, and elsewhere came within 15-22 px of the content."""
    steps = "".join(f"  - layout: step\n    title: Шаг {i}\n    text: Коротко о шаге.\n" for i in (1, 2))
    items = "".join(f"      - Пункт номер {i} списка\n" for i in range(1, 8))
    deck = write(
        "d.yaml",
        "title: T\ntheme: classic\nsize: square\n"
        'ad: {advertiser: ООО "Телеграф Медиа", erid: 2VtzqvWgxE1, inn: "7707083893"}\n'
        f"cards:\n  - title: Зачем\n    text: Коротко.\n{steps}"
        f"  - layout: list\n    title: Кого отметить\n    items:\n{items}",
    )
    laid = layout_deck(deck)
    tops = set()
    for card, page in zip(laid.cards, laid.pages, strict=True):
        (ad,) = [b for b in page.text_boxes() if b.field == "chrome.ad"]
        tops.add(round(ad.rect.y, 1))
        content = [b for b in page.boxes if not b.field.startswith("chrome.")]
        lowest = max(b.rect.bottom for b in content)
        assert ad.rect.y - lowest >= card.chrome_gap - 1, (card.index, ad.rect.y - lowest)
    assert len(tops) == 1 and min(tops) > laid.pages[0].height / 2  # one place, above the footer
