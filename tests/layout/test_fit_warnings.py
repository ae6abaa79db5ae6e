"""Fit warnings (`review.warnings.fit_warnings`) say what is true and what helps: a poster is
compared with the theme's reading sizes, never with the deck's other posters; the roles listed
under their floors are the ones really under them; sizes are whole pixels or one decimal; a cover
set smaller because its canvas is low is not reported; a closing card is never told to split."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from cardgen.layout.scale import sizes_at, text_styles
from cardgen.load.theme import builtin_themes
from cardgen.review.warnings import SINGLE_SLIDE, fit_warnings
from cardgen.run.pipeline import layout_deck

THEMES = builtin_themes()
AVATAR = Path(__file__).resolve().parents[2] / "decks" / "assets" / "avatar.jpg"
WORDS = ["Регулярность", "важнее", "вдохновения,", "а", "план", "важнее", "настроения", "и", "любой", "мотивации"]
ROLE_SIZE = re.compile(r"(\w+) ([\d.]+) px \((not|floor) ([\d.]+)\)")
# The cover of an art director's deck (six words): right at every size, in every theme
COVER = """  - layout: cover
    title: "Гайд по упоминаниям: как отмечать ==партнёров=="
    subtitle: Telegram и ВКонтакте, с примерами
"""
CHAT = """  - layout: chat
    title: Как звучали ответы
    text: Суббота, 9 утра, комментарий под постом.
    messages:
      - {name: Подписчик, text: "А зимой днище моете? Сколько стоит?"}
      - {name: Администратор, text: "Моем! Днище с антикором — 900 ₽, занимает 20 минут. Записать вас на сегодня?"}
      - {name: Подписчик, text: "Давайте на 12:00 👍"}
"""
CTA = """  - layout: cta
    title: Подписывайтесь на канал
    text: Каждую неделю — разбор одного инструмента для Telegram.
    url: t.me/drozdov_tg
"""


def deck(write, cards: str, *, size: str = "portrait", theme: str | None = None) -> Path:
    head = f"title: T\nsize: '{size}'\n" + (f"theme: {theme}\n" if theme else "")
    return write("deck.yaml", head + "cards:\n" + cards)


def quote(words: int) -> str:
    return f"  - layout: quote\n    text: {' '.join((WORDS * 10)[:words])}\n"


def test_a_poster_is_compared_with_the_reading_sizes_not_the_decks_other_posters(write):
    """Two quotes: a short one stepped up (to 112 px), a long one set smaller. The long one was
    said to be '28% smaller than this deck's other quote cards … (not 64)': 64 is the reading
    size, the other quote is at 112."""
    laid = layout_deck(deck(write, quote(4) + quote(60)))
    assert laid.fits[0].factor > 1  # the short quote is stepped up
    (warning,) = laid.warnings
    assert warning.card == 2 and "other quote cards" not in warning.message
    assert "smaller than the theme's reading sizes to fit" in warning.message
    shown = {m[0]: (float(m[1]), float(m[3])) for m in ROLE_SIZE.findall(warning.message)}
    quote_style = text_styles(laid.fits[1].flow)["quote"]
    assert shown["quote"] == (pytest.approx(laid.fits[1].sizes["quote"], abs=0.05), quote_style.size)
    percent = int(re.search(r"set (\d+)% smaller", warning.message).group(1))  # type: ignore[union-attr]
    assert percent == round(100 * (1 - laid.fits[1].factor))


def test_a_card_smaller_than_its_stepped_up_siblings_quotes_their_sizes(write):
    """A text card set smaller beside text cards stepped up one size: the warning compares it with
    the sizes those cards are really set at (and says how much smaller than them)."""
    short = "".join(f"  - layout: text\n    title: Т{i}\n    text: Коротко.\n" for i in range(3))
    long = "  - layout: text\n    title: Длинный\n    text: " + " ".join((WORDS * 20)[:80]) + "\n"
    laid = layout_deck(deck(write, short + long))
    factors = [round(cf.factor, 3) for cf in laid.fits]
    assert len(set(factors[:3])) == 1 and factors[0] > factors[3]
    (warning,) = [w for w in laid.warnings if w.card == 4]
    assert "than this deck's other text cards to fit" in warning.message
    others = {b.role: b.size for b in laid.pages[0].text_boxes() if b.role in ("title", "body")}
    shown = {m[0]: float(m[3]) for m in ROLE_SIZE.findall(warning.message)}
    assert shown == {r: pytest.approx(others[r], abs=0.05) for r in shown} and shown
    said = re.search(r"set (\d+)(?:–(\d+))?% smaller", warning.message)
    assert said is not None
    shares = [round(100 * (1 - laid.fits[3].sizes[r] / others[r])) for r in shown]
    assert (int(said.group(1)), int(said.group(2) or said.group(1))) == (min(shares), max(shares))


def test_only_the_roles_really_under_their_floors_are_listed(write):
    """A chat card too full for a telegram canvas is set past the floors: its title (79 px, floor
    75.8) stayed above its floor and was listed with the roles below theirs."""
    laid = layout_deck(deck(write, CHAT, size="telegram", theme="default"))
    (warning,) = laid.warnings
    assert "below the smallest legible sizes" in warning.message
    styles = text_styles(laid.fits[0].flow)
    listed = {m[0]: (float(m[1]), float(m[3])) for m in ROLE_SIZE.findall(warning.message)}
    assert listed and all(m[2] == "floor" for m in ROLE_SIZE.findall(warning.message))
    under = {r for r, st in styles.items() if laid.fits[0].sizes[r] < st.min_size - 0.01}
    assert set(listed) == under and "title" not in listed
    assert all(size < floor for size, floor in listed.values())


def test_a_card_past_its_floors_with_every_role_above_them_is_not_said_to_be_below(write):
    """Past-floor fitting can end at sizes that are all above the floors: saying 'fits only below
    the smallest legible sizes' would be untrue; it is a card set smaller, said as such."""
    laid = layout_deck(deck(write, quote(4) + "  - layout: text\n    title: T\n    text: Коротко.\n"))
    card, cf = laid.cards[1], laid.fits[1]
    styles = text_styles(cf.flow)
    lowest = max(st.min_size / st.size for st in styles.values())  # every role at or above its floor
    past = replace(cf, step=-1, factor=lowest, sizes=sizes_at(styles, lowest), below_floor=True)
    (warning,) = fit_warnings([card], [past], "shrink")
    assert "below the smallest legible" not in warning.message
    assert "smaller than the theme's reading sizes" in warning.message


def test_sizes_in_fit_warnings_are_whole_pixels_or_one_decimal(write):
    """«(not 49.7778)», «title 75.85 px»: the sizes fitting arrived at, quoted to the hundredth."""
    laid = layout_deck(deck(write, CHAT + quote(70) + CTA, size="1280x1500", theme="default"))
    assert laid.warnings
    for warning in laid.warnings:
        assert ROLE_SIZE.search(warning.message), warning.message
        assert not re.search(r"\d\.\d\d", warning.message), warning.message


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", ["telegram", "square", "portrait", "story"])
def test_a_short_cover_on_a_low_canvas_is_not_reported(write, theme, size):
    """A six-word cover title with an author, an avatar and an ad marking, set 19-27 % smaller on a telegram
    (1280×1280) card because a square canvas is lower than the portrait one the theme's sizes are
    drawn for: it looks right, yet was reported in every theme at telegram size (never at portrait)."""
    author = (
        'lang: ru\nauthor:\n  name: Олег Дроздов\n  handle: "@drozdov_tg"\n  avatar: avatar.jpg\n'
        'ad:\n  advertiser: ООО "Телеграф Медиа"\n  erid: 2VtzqvWgxE1\n  inn: "7707083893"\n'
        'defaults:\n  footer: "@drozdov_tg"\n'
    )
    path = write("deck.yaml", f"title: T\nsize: {size}\ntheme: {theme}\n{author}cards:\n{COVER}")
    shutil.copy(AVATAR, path.parent / "avatar.jpg")
    laid = layout_deck(path)
    if size in ("telegram", "square") and theme == "default":
        assert laid.fits[0].factor < 0.8  # the case: set visibly (27 %) smaller than the reading sizes
    assert [w for w in laid.warnings if "smaller" in w.message] == []


def test_a_poster_much_smaller_than_its_canvas_allows_is_still_reported_and_says_the_canvas_is_low(write):
    from cardgen.review.warnings import POSTER_NOTICE, canvas_share

    laid = layout_deck(deck(write, quote(60), size="1080x1200"))
    card, cf = laid.cards[0], laid.fits[0]
    assert cf.factor < POSTER_NOTICE * canvas_share(card) < POSTER_NOTICE
    (warning,) = laid.warnings
    assert "1080×1200 canvas is lower than the portrait 1080×1350" in warning.message
    assert warning.hint == "shorten it"


def test_canvas_share():
    from cardgen.review.warnings import canvas_share

    class Card:
        def __init__(self, width: int, height: int) -> None:
            self.width, self.height = width, height

    shares = [canvas_share(Card(w, h)) for w, h in ((1080, 1350), (1080, 1920), (1080, 1080), (1280, 720))]  # type: ignore[arg-type]
    assert shares == [1.0, 1.0, pytest.approx(0.8), pytest.approx(0.8)]


@pytest.mark.parametrize("below", [False, True])
@pytest.mark.parametrize("overflow", ["split", "shrink"])
def test_a_closing_card_is_never_told_to_split(write, below, overflow):
    """A cta is the closing card: split in two, the deck would close twice. Set smaller (or past
    its floors), it is told to shorten its text; a text card may still split."""
    assert "cta" in SINGLE_SLIDE
    laid = layout_deck(deck(write, CTA + "  - layout: text\n    title: T\n    text: Коротко.\n"))
    shrunk = []
    for cf in laid.fits:
        styles = text_styles(cf.flow)
        factor = 0.5
        sizes = sizes_at(styles, factor, floor_share=0.75 if below else 1.0)
        # a card shrunk to fit has no growth caps (a title capped where its word fits a step up)
        shrunk.append(replace(cf, step=-1, factor=factor, sizes=sizes, below_floor=below, caps={}))
    cta, text = fit_warnings(laid.cards, shrunk, overflow)
    assert cta.hint is not None and "shorten it" in cta.hint and "split" not in cta.hint
    assert text.hint is not None and "split" in text.hint
