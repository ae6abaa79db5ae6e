"""A quote's credit beside its avatar: one line when it fits, else two (name / role) that fit beside
the avatar and inside the card in every theme; refused only when two lines at the role's smallest
size cannot hold it, with the credit quoted cleanly."""

import shutil
from pathlib import Path

import pytest

from cardgen.layout.layouts.text import AVATAR_GAP
from cardgen.load.theme import builtin_themes
from cardgen.model.page import ImageBox
from cardgen.model.problems import CardgenError, quoted
from cardgen.run.pipeline import layout_deck

ROOT = Path(__file__).resolve().parents[2]
AVATAR_JPG = ROOT / "themes" / "_preview" / "assets" / "avatar.jpg"

CREDIT_43 = "Андрей Соколов, владелец «Чистого Берега»"  # 43 characters with its «— »
CREDIT_50 = "Екатерина Жемчужникова, шеф-повар ресторана «Щука»"  # the importer's longest credit
NO_COMMA_50 = "Михаил Шуваловский шеф-повар ресторана «Жемчужина»"


def quote_deck(tmp_path: Path, author: str) -> Path:
    shutil.copy(AVATAR_JPG, tmp_path / "avatar.jpg")
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "title: Кейс\nlang: ru\ncards:\n  - layout: quote\n"
        "    text: Раньше мы думали, что соцсети — это про скидки. Оказалось, людям интереснее, как мы моем машины.\n"
        f"    author: '{author}'\n    avatar: avatar.jpg\n",
        encoding="utf-8",
    )
    return deck


def credit_of(tmp_path: Path, author: str, theme: str):
    laid = layout_deck(quote_deck(tmp_path, author), theme=theme)
    page, card = laid.pages[0], laid.cards[0]
    (avatar,) = [b for b in page.boxes if isinstance(b, ImageBox) and b.field == "avatar"]
    lines = [line for box in page.text_boxes() if box.field == "author" for line in box.lines]
    sizes = {box.size for box in page.text_boxes() if box.field == "author"}
    return card, avatar, lines, sizes


def test_the_credits_are_as_long_as_the_issue_says():
    assert len("— " + CREDIT_43) == 43
    assert len(CREDIT_50) == len(NO_COMMA_50) == 50


@pytest.mark.parametrize("theme", builtin_themes())
@pytest.mark.parametrize("author", [CREDIT_43, CREDIT_50, NO_COMMA_50])
def test_a_long_credit_wraps_beside_the_avatar_in_every_theme(tmp_path, theme, author):
    card, avatar, lines, sizes = credit_of(tmp_path, author, theme)
    assert len(lines) == 2
    # the words are all there, in order (a comma that ended the first line dropped)
    words = " ".join(ln.text.replace("\u00a0", " ") for ln in lines).removeprefix("— ").split()
    assert [w.rstrip(",") for w in words] == [w.rstrip(",") for w in author.split()]
    for line in lines:
        assert line.x >= avatar.rect.right + AVATAR_GAP * card.scale - 0.5  # right of the avatar
        assert line.x + line.width <= card.width - card.margin + 0.5  # inside the card's margin
        assert avatar.rect.y < line.baseline < avatar.rect.bottom  # beside it, not below
    first, second = lines
    assert first.text.startswith(("— ", "—\u00a0"))
    assert second.baseline > first.baseline
    assert second.x > first.x  # the role hangs past the dash, under the name
    assert sizes == {card.styles["quote_author"].size}  # the role's size: nothing shrank


@pytest.mark.parametrize("theme", ["default", "bold"])
def test_the_break_is_after_the_name(tmp_path, theme):
    _, _, lines, _ = credit_of(tmp_path, CREDIT_43, theme)
    assert [ln.text.replace("\u00a0", " ") for ln in lines] == ["— Андрей Соколов", "владелец «Чистого Берега»"]


def test_a_credit_without_a_comma_breaks_outside_its_quotation_marks(tmp_path):
    _, _, lines, _ = credit_of(tmp_path, NO_COMMA_50, "default")
    assert all(ln.text.count("«") == ln.text.count("»") for ln in lines)


@pytest.mark.parametrize("theme", ["default", "classic"])
def test_a_short_credit_stays_on_one_line_centred_on_the_avatar(tmp_path, theme):
    card, avatar, lines, _ = credit_of(tmp_path, "Ирина, гид клуба", theme)
    assert [ln.text.replace("\u00a0", " ") for ln in lines] == ["— Ирина, гид клуба"]
    cap = card.styles["quote_author"].cap_height * card.styles["quote_author"].size
    assert lines[0].baseline - cap / 2 == pytest.approx(avatar.rect.y + avatar.rect.h / 2, abs=0.5)


def test_a_credit_too_long_for_two_lines_is_an_error_that_quotes_it_cleanly(tmp_path):
    author = "Андрей Соколов, владелец сети автомоек «Чистый Берег» в Калининграде, Светлогорске и Зеленоградске"
    with pytest.raises(CardgenError) as caught:
        credit_of(tmp_path, author, "default")
    message = str(caught.value)
    assert "deck.yaml:6:" in message and "card 1" in message and "author" in message
    assert "two lines" in message and "\n" not in message.strip()
    shown = message[message.rindex("(«") + 2 : message.rindex("»,")]
    assert shown.startswith("Андрей Соколов") and shown.endswith("Зеленоградске")
    assert "»»" not in message
    for word in shown.replace("…", " ").split():  # every word whole: cut at spaces only
        assert word.rstrip(",") in {w.rstrip(",") for w in author.split()}


def test_quoted_picks_marks_that_do_not_double_and_cuts_at_spaces():
    assert quoted("владелец «Чистого Берега»") == "“владелец «Чистого Берега»”"
    assert quoted("Ирина, гид клуба") == "«Ирина, гид клуба»"
    short = quoted("— Андрей Соколов, владелец «Чистого Берега»", 30)
    assert short == "“— Андрей Соколов… Берега»”"
    assert quoted("x" * 80, 20).count("x") == 19  # a single long word: its ends
