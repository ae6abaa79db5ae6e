"""Addresses in a slide's text are shown as the `url:` field shows one: no scheme, `www.`,
trailing slash or tracking parameters; every other part the user wrote is kept."""

import pytest

from cardgen.publish.caption import plain_caption
from cardgen.resolve.cards import set_text
from cardgen.text.links import display_links, display_url
from cardgen.text.markup import plain_text
from cardgen.text.typograph import typograph


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://www.unsplash.com/", "unsplash.com"),
        ("https://sova-digital.ru/calc?utm_source=vk", "sova-digital.ru/calc"),
        ("https://x.ru/a/?id=7&utm_medium=cpc&fbclid=1&gclid=2&yclid=3&ysclid=4&ref=5&ref_src=6", "x.ru/a?id=7"),
        ("https://x.ru/docs#install", "x.ru/docs#install"),  # a part of the page is the reader's
        ("https://x.ru/p?utm_source=vk#prices", "x.ru/p#prices"),
        ("http://x.ru/?UTM_Source=vk", "x.ru"),
    ],
)
def test_display_url(url, shown):
    assert display_url(url) == shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        # prices-2026.yaml, card 7: the tracking tail was set across three lines
        (
            "Наш прайс: https://sova-digital.ru/price?utm_source=vk&utm_campaign=carousel",
            "Наш прайс: sova-digital.ru/price",
        ),
        ("Смотрите www.example.com/guide/, там всё.", "Смотрите example.com/guide, там всё."),
        ("Бланк: https://x.ru/form?id=7&utm_source=vk.", "Бланк: x.ru/form?id=7."),  # the sentence's dot stays
        ("Каталог vc.ru/marketing/?utm_source=tg и kwork.ru.", "Каталог vc.ru/marketing и kwork.ru."),
        ("**https://x.ru/?gclid=1** и ==www.y.ru/==", "**x.ru** и ==y.ru=="),  # markup around it stays
        ("Пишите на info@sova.ru и @sova_digital", "Пишите на info@sova.ru и @sova_digital"),
        ("Без адресов: utm_source=vk&utm_campaign=…", "Без адресов: utm_source=vk&utm_campaign=…"),
        # inline code is literal: an address written as code is shown as typed
        (
            "Ссылка `https://x.ru/?utm_source=vk` и https://x.ru/?utm_source=vk",
            "Ссылка `https://x.ru/?utm_source=vk` и x.ru",
        ),
    ],
)
def test_display_links(text, shown):
    assert display_links(text) == shown
    assert display_links(shown) == shown  # shown once is shown


def test_a_slide_text_shows_its_addresses_as_the_url_field_does():
    """What the typesetter receives: typographed, the address shortened, nothing else changed."""
    text = "Открытые прайсы: vc.ru/marketing.\n\nНаш прайс: https://sova-digital.ru/price?utm_source=vk&utm_campaign=carousel"
    shown = plain_text(set_text(text, "ru"))
    assert shown == plain_text(set_text(typograph(text, "ru"), "ru"))
    assert shown.endswith("Наш прайс: sova-digital.ru/price")
    assert "utm" not in shown and "https" not in shown
    assert "vc.ru/marketing." in shown


def test_the_typograph_command_keeps_addresses_whole():
    """`cardgen typograph` and the caption give text to paste where addresses are links: kept."""
    text = "Прайс: https://sova-digital.ru/price?utm_source=vk"
    assert "https://sova-digital.ru/price?utm_source=vk" in typograph(text, "ru")
    assert "https://sova-digital.ru/price?utm_source=vk" in plain_caption(text)
