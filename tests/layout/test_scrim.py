"""The scrim over a full-bleed photo (a cover with `image:`, an `image` card), in every built-in
theme, on the cards of an art director's review: one gradient, dark only under the text and only
as dark as the text needs; the counter on the photo gets a plate of its own, not a full-width
band; the photo keeps its light (PHOTO_LIGHT); every line still meets WCAG AA on the pixels."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cardgen.layout.composition import photo_light, profile_alpha
from cardgen.load.theme import builtin_themes
from cardgen.model.page import FillBox, Scrim, Solid
from cardgen.paint.draw import sample_backdrop
from cardgen.review.contrast import text_contrast
from cardgen.review.quality import PHOTO_LIGHT
from cardgen.run.pipeline import layout_deck

ROOT = Path(__file__).resolve().parents[2]
THEMES = builtin_themes()
# The review's photo cards: a cover with a four-line title, an accent, a subtitle and the author
# under it, and an image card with a one-line caption (shop-launch.yaml, cards 1 and 8 of 12).
DECK = """title: Чек-лист запуска
lang: ru
author:
  name: Дима Орлов
  handle: "@orlov_ecom"
  avatar: assets/avatar.jpg
defaults:
  footer: "@orlov_ecom"
cards:
  - layout: cover
    title: Чек-лист запуска ==интернет-магазина==
    subtitle: Что проверить за неделю до старта
    image: assets/mountains.jpg
    focus: "0.5 0.4"
  - layout: image
    image: assets/mountains.jpg
    text: Первый заказ — как первая вершина.
  - title: Оплата
    text: Проведите тестовый платёж на 1 ₽ с каждого способа.
"""


@pytest.fixture(scope="module")
def photo_pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scrim")
    (folder / "assets").mkdir()
    for name in ("mountains.jpg", "avatar.jpg"):
        shutil.copy(ROOT / "decks" / "assets" / name, folder / "assets" / name)
    (folder / "deck.yaml").write_text(DECK, encoding="utf-8")
    cache = {}

    def get(theme: str):
        if theme not in cache:
            laid = layout_deck(folder / "deck.yaml", theme=theme)
            cache[theme] = laid.pages[:2]
        return cache[theme]

    return get


def scrim_of(page) -> FillBox:
    (scrim,) = [b for b in page.boxes if isinstance(b, FillBox) and isinstance(b.paint, Scrim)]
    return scrim


def along(page, step: int = 4) -> list[float]:
    """The scrim's opacity down the card, every `step` px, as paint draws it."""
    profile = scrim_of(page).paint.profile
    return [profile_alpha(profile, (y + 0.5) / page.height) for y in range(0, page.height, step)]


@pytest.mark.parametrize("theme", THEMES)
def test_no_band_of_lighter_photo_between_two_darker_ones(photo_pages, theme):
    """Down the card the scrim only darkens, then only lightens: between a shade for the counter
    and one for the text the sky brightened again, and read as a light stripe."""
    for page in photo_pages(theme):
        alpha = along(page)
        for i, a in enumerate(alpha):
            above, below = max(alpha[: i + 1]), max(alpha[i:])
            assert a >= min(above, below) - 0.01, (theme, i * 4, a, above, below)


@pytest.mark.parametrize("theme", THEMES)
def test_the_photo_keeps_its_light(photo_pages, theme):
    cover, image = photo_pages(theme)
    assert photo_light(cover) >= PHOTO_LIGHT, (theme, photo_light(cover))
    assert photo_light(image) >= PHOTO_LIGHT, (theme, photo_light(image))


@pytest.mark.parametrize("theme", THEMES)
def test_the_scrim_starts_under_the_text_not_at_the_top(photo_pages, theme):
    """Above the content the photo is not darkened at all: no full-width band for the counter."""
    for page in photo_pages(theme):
        content = [b for b in page.text_boxes() if not b.field.startswith("chrome.") and b.lines]
        top = min(b.rect.y for b in content)
        counter = [b for b in page.boxes if b.field == "chrome.counter"]
        alpha = along(page, 1)
        assert max(alpha[: int(top - 0.15 * page.height)]) < 0.02, (theme, max(alpha[: int(top - 0.15 * page.height)]))
        for box in counter:  # the counter sits on the photo itself, or on its own plate
            assert max(alpha[int(box.rect.y) : int(box.rect.bottom) + 1]) < 0.02


@pytest.mark.parametrize("theme", THEMES)
def test_the_counter_and_the_text_read_on_the_photo(photo_pages, theme):
    """WCAG AA on the painted pixels under every glyph, the counter's included; the counter's
    plate is a small shape around it, not a band across the card."""
    for page in photo_pages(theme):
        assert text_contrast(page, sample_backdrop) == [], theme
        for plate in [b for b in page.boxes if b.field.endswith(".plate")]:
            assert (
                isinstance(plate.paint, Solid) and plate.rect.w < page.width / 2 and plate.rect.h < 0.08 * page.height
            )


def test_a_plate_only_where_the_photo_needs_it(photo_pages):
    """The review's photo is bright at the top: the counter gets its plate; the text's own
    scrim needs none."""
    cover, image = photo_pages("default")
    for page in (cover, image):
        plates = [b.field for b in page.boxes if b.field.endswith(".plate")]
        assert plates == ["chrome.counter.plate"], plates


def test_a_bar_counter_gets_one_plate_around_its_track_and_fill(photo_pages):
    """Bold's counter is a bar: a faint track and the done part, two shapes under one plate, as
    dark as the done part needs (3:1, a shape), not as the faint track would as text."""
    from cardgen.layout.layouts.text import SCRIM_MAX

    cover, _ = photo_pages("bold")
    bar = [b for b in cover.boxes if b.field == "chrome.counter"]
    (plate,) = [b for b in cover.boxes if b.field.endswith(".plate")]
    assert len(bar) == 2 and all(
        plate.rect.x < b.rect.x and b.rect.right < plate.rect.right and plate.rect.y < b.rect.y for b in bar
    )
    assert plate.paint.color[3] < 0.7 * 255 < SCRIM_MAX * 255
