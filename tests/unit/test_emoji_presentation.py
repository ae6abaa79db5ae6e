"""Which characters are set as colour emoji: Emoji=Yes characters without U+FE0F are (❤ ☀ ✔ ☎ ✈ 🗳),
as Telegram and VK show them; U+FE0E and the documented text-default set (digits, # *, © ® ™,
arrows, ▪ ▫ ◻ ◼, ♀ ♂) keep text."""

from __future__ import annotations

import pytest
import regex

from cardgen.load.fonts import default_book
from cardgen.text.shaping import FontChain, shape_word, wants_emoji

BOOK = default_book()
CHAIN = FontChain((BOOK.face("Inter", 400),), BOOK.fallbacks(400))

# Emoji=Yes but not Emoji_Presentation: drawn from the text fonts before the fix.
BARE_EMOJI = ["❤", "☀", "✔", "☎", "✈", "🗳", "☕", "⚡", "✅", "⭐", "☑", "♥", "☺", "❄", "✂", "⚠", "➡"]
TEXT = ["→", "↗", "←", "↔", "↩", "©", "®", "™", "‼", "⁉", "✓", "0", "7", "#", "*", "▪", "◼", "♀", "♂", "•", "№"]


def faces(text: str) -> list[bool]:
    """Whether each drawn cluster of `text` comes from the colour emoji font."""
    return [g.face.is_color for g in shape_word(text, CHAIN) if g.text and g.text not in "\ufe0e\ufe0f"]


@pytest.mark.parametrize("char", BARE_EMOJI)
def test_an_emoji_without_fe0f_is_set_from_the_colour_font(char: str) -> None:
    assert wants_emoji(char)
    assert faces(char) == [True], char


@pytest.mark.parametrize("char", [c for c in BARE_EMOJI if c != "✅"])  # no text font has ✅
def test_fe0e_keeps_an_emoji_text(char: str) -> None:
    assert not wants_emoji(char + "\ufe0e")
    glyphs = shape_word(char + "\ufe0e", CHAIN)
    assert not glyphs[0].face.is_color, char
    assert glyphs[0].gid != 0


@pytest.mark.parametrize("char", TEXT)
def test_text_default_characters_stay_text(char: str) -> None:
    assert not wants_emoji(char)
    assert faces(char) == [False], char


def test_a_text_default_character_no_text_font_has_still_falls_back_to_the_emoji_font() -> None:
    """⤴ stays text by the rule, but only Noto Color Emoji draws it: a colour glyph beats a box."""
    assert not wants_emoji("⤴")
    assert faces("⤴") == [True]


@pytest.mark.parametrize("text", ["©\ufe0f", "™\ufe0f", "↗\ufe0f", "1\ufe0f\u20e3", "#\ufe0f\u20e3", "♀\ufe0f"])
def test_fe0f_or_a_keycap_makes_a_text_default_character_emoji(text: str) -> None:
    assert wants_emoji(text)
    assert shape_word(text, CHAIN)[0].face.is_color


def test_a_bare_emoji_is_as_wide_as_any_other_emoji_and_sits_in_a_word_like_one() -> None:
    """Same font, same advance: ❤ spaces like 😀 and like ❤️ did before."""
    (smile,) = shape_word("😀", CHAIN)
    for char in ("❤", "☀", "✔", "🗳"):
        (glyph,) = shape_word(char, CHAIN)
        assert glyph.face is smile.face and glyph.advance == pytest.approx(smile.advance)
        # the same box about the baseline: a line with ❤ is as tall as one with 😀
        extents, smile_extents = (smile.face.hb_font.get_glyph_extents(g.gid) for g in (glyph, smile))
        assert (extents.y_bearing, extents.height) == (smile_extents.y_bearing, smile_extents.height)
        with_fe0f = shape_word(char + "\ufe0f", CHAIN)
        assert with_fe0f[0].face is smile.face and with_fe0f[0].gid == glyph.gid
    glyphs = shape_word("Спасибо❤", CHAIN)
    assert [g.face.is_color for g in glyphs if g.text] == [False] * 7 + [True]


def test_the_emoji_font_has_every_character_the_rule_now_sends_to_it() -> None:
    """Every Emoji=Yes character without default emoji presentation that wants emoji is in Noto
    Color Emoji (so none of them turns from a text glyph into a box)."""
    colour = next(face for face in CHAIN.candidates() if face.is_color)
    presentation = regex.compile(r"\p{Emoji_Presentation}")
    wanted = [chr(c) for c in range(0x20, 0x30000) if wants_emoji(chr(c)) and not presentation.match(chr(c))]
    wanted.remove("\ufe0f")  # the selector itself, never drawn
    assert len(wanted) > 180
    assert [f"U+{ord(c):04X}" for c in wanted if not colour.covers(c)] == []
