"""Emoji written without U+FE0F are painted in colour (❤ ☀ in a text, 🗳 in a title), U+FE0E keeps
one a text glyph in the text colour, and cardgen's own chrome (the swipe hint «Листайте →», «↗»
after a url, the counter) and typographic signs (→ ©) stay glyphs of the theme's text font."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops

from cardgen.load.theme import builtin_themes
from cardgen.model.page import Page
from cardgen.paint.draw import paint_page
from cardgen.run.pipeline import layout_deck

DECK = """title: Emoji
lang: ru
cards:
  - layout: cover
    title: Голосуем {vote}
    subtitle: Итоги недели
  - layout: step
    title: Спасибо {heart}
    text: Солнце {sun} и кофе → ваш © бренд
  - layout: link
    title: Гайд
    url: https://www.example.com/guide
"""


def laid(tmp_path: Path, theme: str, **chars: str) -> list[Page]:
    deck = tmp_path / f"deck-{len(list(tmp_path.iterdir()))}.yaml"
    deck.write_text(DECK.format(**chars), encoding="utf-8")
    return list(layout_deck(deck, theme=theme, size="360x450").pages)


def glyphs(page: Page) -> list:
    return [g for box in page.text_boxes() for line in box.lines for g in line.glyphs if g.text]


def coloured(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Pixels in `box` whose channels differ by more than 90: hue, not a grey or a theme's ink."""
    r, g, b = image.convert("RGB").crop(box).split()
    spread = ImageChops.subtract(
        ImageChops.lighter(ImageChops.lighter(r, g), b), ImageChops.darker(ImageChops.darker(r, g), b)
    )
    return spread.point(lambda v: 255 if v > 90 else 0).histogram()[255]


def ink_box(page: Page, char: str) -> tuple[int, int, int, int]:
    (glyph,) = [g for g in glyphs(page) if g.text.startswith(char)]
    em = glyph.size
    return int(glyph.x), int(glyph.y - em), int(glyph.x + 1.3 * em), int(glyph.y + 0.3 * em)


@pytest.mark.parametrize("theme", builtin_themes())
def test_bare_emoji_are_laid_out_and_painted_as_colour_emoji(tmp_path: Path, theme: str) -> None:
    bare = laid(tmp_path, theme, vote="🗳", heart="❤", sun="☀")
    text = laid(tmp_path, theme, vote="🗳\ufe0e", heart="❤\ufe0e", sun="☀\ufe0e")
    for char, card in (("🗳", 0), ("❤", 1), ("☀", 1)):
        (emoji,) = [g for g in glyphs(bare[card]) if g.text.startswith(char)]
        (plain,) = [g for g in glyphs(text[card]) if g.text.startswith(char)]
        assert emoji.emoji and not plain.emoji, (theme, char)
        assert coloured(paint_page(bare[card]), ink_box(bare[card], char)) > 0.2 * emoji.size**2, (theme, char)
    # ❤ is red whatever the theme; ❤︎ takes the text colour, the same as the word before it
    heart = next(g for g in glyphs(text[1]) if g.text.startswith("❤"))
    word = next(g for g in glyphs(text[1]) if g.text == "С")
    assert heart.color == word.color


@pytest.mark.parametrize("theme", builtin_themes())
def test_chrome_arrows_and_signs_stay_text(tmp_path: Path, theme: str) -> None:
    pages = laid(tmp_path, theme, vote="🗳", heart="❤", sun="☀")
    shown = [g for page in pages for g in glyphs(page)]
    signs = [g for g in shown if g.text in ("→", "↗", "©") or g.text.isdigit()]
    # → in the text (and the swipe hint, counters, where the theme shows them), ↗ after the address
    assert {g.text for g in signs} >= {"→", "↗", "©", "1"}, [g.text for g in shown]
    assert not any(g.emoji for g in signs)
