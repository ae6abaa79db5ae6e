"""Captions (typographed plain text, per album) and Russian ad marking (the deck key `ad:`)."""

import pytest

from cardgen.load.deck import check_erid, check_inn
from cardgen.resolve.admark import AdSpec, ad_cards, card_marking, marking_text
from cardgen.publish.albums import albums
from cardgen.publish.caption import (
    album_captions,
    build_caption,
    caption_files,
    caption_problems,
    plain_caption,
)
from cardgen.publish.platforms import TELEGRAM, VK

NBSP = "\u00a0"


def sp(text: str) -> str:
    """No-break spaces as spaces: where they go is the typograph's business, tested there."""
    return text.replace(NBSP, " ")


AD = AdSpec("ООО «Ромашка»", "2VtzqwXYZ", "7707083893")


# --- ad marking ---------------------------------------------------------------------------------


def test_marking_text():
    assert marking_text(AD) == f"Реклама. ООО{NBSP}«Ромашка». ИНН{NBSP}7707083893. erid:{NBSP}2VtzqwXYZ"
    assert sp(marking_text(AdSpec("ИП Иванов И. И.", "LjN8KDfdP"))) == "Реклама. ИП Иванов И. И. erid: LjN8KDfdP"
    assert marking_text(AD, "en").startswith("Реклама.")  # the law names the Russian word


def test_the_advertisers_quotes_are_typographed_and_its_legal_form_never_ends_a_line():
    assert f"ООО{NBSP}«Ромашка»" in marking_text(AdSpec('ООО "Ромашка"', "2VtzqwXYZ", "7707083893"))


def test_inn_check_digits():
    assert check_inn("7707083893") == "7707083893"  # a company
    assert check_inn("500100732259") == "500100732259"  # a person
    assert check_inn("7707 083 893") == "7707083893"
    with pytest.raises(ValueError, match="fails its check digits"):
        check_inn("500100732258")
    with pytest.raises(ValueError, match="expected 10 digits"):
        check_inn("123")
    assert check_erid("erid=LjN8K") == "LjN8K" and check_erid(" erid: 2Vtz123 ") == "2Vtz123"
    with pytest.raises(ValueError, match='found "токен ОРД"'):
        check_erid("токен ОРД")


def test_which_cards_carry_the_marking():
    assert ad_cards(5) == (1, 2, 3, 4, 5)  # default: every slide, since each can be forwarded alone
    assert ad_cards(5, "first") == (1,)
    assert ad_cards(5, "first-last") == (1, 5) and ad_cards(1, "first-last") == (1,)
    assert ad_cards(0) == ()
    assert card_marking(AdSpec("Ромашка", "2Vtz", show="first"), 2, 5) is None
    assert card_marking(AdSpec("Ромашка", "2Vtz", show="first"), 1, 5).startswith("Реклама. Ромашка.")
    assert card_marking(None, 1, 5) is None


# --- captions -----------------------------------------------------------------------------------


def test_plain_caption_is_typographed_without_markup():
    text = 'Привет - это **важно**.\n\nВторой абзац: "кавычки" и ==акцент==.\nСтрока внутри.'
    caption = plain_caption(text)
    assert sp(caption) == "Привет — это важно.\n\nВторой абзац: «кавычки» и акцент.\nСтрока внутри."
    assert f"Привет{NBSP}—" in caption  # typographed: a dash never starts a line
    assert plain_caption("Hello - it's 5 * 3", "en") == f"Hello{NBSP}— it’s 5 * 3"
    assert plain_caption("   ") == ""


def test_build_caption_adds_the_marking_at_the_end():
    caption = build_caption("Подборка фотостоков", ad=AD)
    assert caption.split("\n\n") == ["Подборка фотостоков", marking_text(AD)]
    assert build_caption(None, ad=AD) == marking_text(AD)
    assert build_caption(None) == ""


def test_one_album_one_caption_file():
    files = caption_files("Пост", albums(9, TELEGRAM), 9)
    assert files == {"caption.txt": "Пост\n"}
    assert caption_files(None, albums(9, TELEGRAM), 9) == {}


def test_split_deck_gets_a_caption_per_album():
    parts = albums(23, TELEGRAM)
    captions = album_captions("Как работать с негативом", parts, 23, ad=AD)
    assert sp(captions[0]) == sp(
        f"Как работать с негативом\n\nПродолжение — в следующих постах: ещё 13 карточек.\n\n{marking_text(AD)}"
    )
    assert sp(captions[1]) == sp(f"Часть 2 из 3: карточки 11–20 из 23\n\n{marking_text(AD)}")
    assert sp(captions[2]).startswith("Часть 3 из 3: карточки 21–23")
    files = caption_files("Пост", parts, 23)
    assert list(files) == ["album-1/caption.txt", "album-2/caption.txt", "album-3/caption.txt"]


def test_two_albums_say_next_post_in_the_singular():
    first, _ = album_captions("Пост", albums(11, TELEGRAM), 11, lang="ru")
    assert first.endswith(f"Продолжение — в следующем посте: ещё 2{NBSP}карточки.")
    [first, _] = album_captions("Post", albums(12, TELEGRAM), 12, lang="en")
    assert first.endswith(f"Continued in the next post: 2{NBSP}more cards.")


def test_an_album_of_one_card_says_card_in_the_singular():
    parts = albums(21, VK)  # 10 + 10 + 1: VK takes a single photo
    assert [len(a.cards) for a in parts] == [10, 10, 1]
    captions = album_captions("Пост", parts, 21)
    assert sp(captions[2]) == sp("Часть 3 из 3: карточка 21 из 21")
    assert sp(album_captions("Post", parts, 21, lang="en")[2]) == sp("Part 3 of 3: card 21 of 21")
    assert sp(captions[1]) == sp("Часть 2 из 3: карточки 11–20 из 21")


def test_caption_problems_name_the_album():
    captions = ["а" * 1100, "коротко"]
    [problem] = caption_problems(captions, TELEGRAM)
    assert problem.message.startswith("album 1: caption is 1100 characters; Telegram allows 1024")
    assert caption_problems(["а" * 1100], VK) == []
    [single] = caption_problems(["а" * 1100], TELEGRAM)
    assert single.message.startswith("caption is 1100")
