import pytest

from cardgen.load.deck import load_deck, parse_size
from cardgen.model.problems import CardgenError

GOOD = """\
title: Топ-9 бесплатных фотостоков
theme: midnight
size: square
lang: ru
author:
  name: Саша Чижов
  handle: "@sasha_smm"
  avatar: assets/avatar.jpg
caption: Подборка
defaults:
  footer: "@sasha_smm"
cards:
  - layout: cover
    title: Топ-9
  - title: Без layout
    text: Текст
"""


def test_every_documented_key_loads(write):
    from PIL import Image

    avatar = write("assets/avatar.jpg", "")
    Image.new("RGB", (8, 8)).save(avatar, "JPEG")
    deck = load_deck(write("deck.yaml", GOOD))
    assert deck.title == "Топ-9 бесплатных фотостоков"
    assert deck.canvas == (1080, 1080)
    assert deck.author.avatar == deck.folder / "assets" / "avatar.jpg"  # made absolute
    assert deck.defaults.footer == "@sasha_smm"
    assert [c.layout for c in deck.cards] == ["cover", None]


def test_defaults_of_a_minimal_deck(write):
    deck = load_deck(write("d.yaml", "title: x\ncards:\n  - title: a\n"))
    assert (deck.size, deck.lang, deck.theme, deck.canvas) == ("portrait", "ru", None, (1080, 1350))


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        ("title: x\ncards:\n  - layout: cover\n    titel: a\n", ":4: cards[0].titel (card 1)", 'did you mean "title"'),
        ("title: x\nthem: midnight\ncards:\n  - title: a\n", ":2: them", 'did you mean "theme"'),
        ("cards:\n  - title: a\n", ":1: title", 'required key "title" is missing'),
        ("title: x\ncards: []\n", ":2: cards", "expected at least one item, found an empty list"),
        ("title: x\nsize: huge\ncards:\n  - title: a\n", ":2: size", "portrait, square, telegram, story"),
        ("title: x\nsize: 99999x10\ncards:\n  - title: a\n", ":2: size", "320–4096"),
        ("title: x\nlang: de\ncards:\n  - title: a\n", ":2: lang", "'ru' or 'en'"),
        ("title: x\ncards:\n  - layout: stepp\n", ":3: cards[0].layout (card 1)", 'did you mean "step"'),
        (
            "title: x\ncards:\n  - items: Один\n",
            ":3: cards[0].items (card 1)",
            'expected a list, found the text "Один"',
        ),
        ("- a\n- b\n", ":1", "expected a mapping of deck keys"),
    ],
)
def test_errors_name_file_line_field_and_expectation(write, text, where, fragment):
    path = write("deck.yaml", text)
    with pytest.raises(CardgenError) as info:
        load_deck(path)
    message = str(info.value)
    assert f"deck.yaml{where}" in message
    assert fragment in message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: 42\ncards:\n  - title: a\n", "title: expected text, found the number 42"),
        (
            "title: x\ncards:\n  - 5\n",
            "cards[0] (card 1): expected a card (a mapping of fields such as title:, text:), found the number 5",
        ),
        (
            "title: x\ncards:\n  - items: []\n",
            "cards[0].items (card 1): expected at least one item, found an empty list",
        ),
        (
            "title: x\ncards:\n  - number: [1]\n",
            "cards[0].number (card 1): expected a whole number or text, found a list",
        ),
        (
            "title: x\ncards:\n  - number: 2.5\n",
            "cards[0].number (card 1): expected a whole number or text, found the number 2.5; put it in quotes to "
            'show it as written: "2.5"',
        ),
        (
            "title: x\ncards:\n  - number: -1e308\n",  # too large for a whole number: pydantic's own words before
            "cards[0].number (card 1): expected a whole number or text, found the number -1e+308",
        ),
        (
            "title: x\ncards:\n  - layout: cta\n    hints: [save, like, save]\n",
            'cards[0].hints (card 1): expected each hint once, found "save" 2 times',
        ),
        ("title: x\ncards:\n  - qr: maybe\n", 'cards[0].qr (card 1): expected true or false, found the text "maybe"'),
        (
            "title: x\nauthor: 7\ncards:\n  - title: a\n",
            "author: expected a mapping of keys such as name:, handle:, avatar:",
        ),
        ("42\n", "expected a mapping of deck keys (title:, cards:, …), found the number 42"),
    ],
)
def test_messages_use_the_deck_formats_words_not_pythons(write, text, message):
    with pytest.raises(CardgenError) as info:
        load_deck(write("deck.yaml", text))
    assert message in str(info.value)
    for python in ("a int", "dictionary", "instance of", "after validation", "valid string", "input should"):
        assert python not in str(info.value)


def test_all_errors_of_a_deck_are_reported_in_line_order(write):
    path = write("deck.yaml", "title: x\nsise: 1\ncards:\n  - titel: a\n  - layout: nope\n")
    with pytest.raises(CardgenError) as info:
        load_deck(path)
    lines = str(info.value).splitlines()
    assert len(lines) == 3
    assert [line.split(":")[1] for line in lines] == ["2", "4", "5"]


@pytest.mark.parametrize(
    ("text", "size"),
    [("portrait", (1080, 1350)), ("story", (1080, 1920)), ("1280x720", (1280, 720)), ("1080х1080", (1080, 1080))],
)
def test_sizes(text, size):
    assert parse_size(text) == size


def test_schema_and_path_errors_are_reported_together(write):
    path = write(
        "deck.yaml",
        "title: x\ncards:\n  - titel: a\n  - layout: stepp\n  - image: nowhere.png\n"
        "  - layout: quote\n    text: q\n    avatar: no-one.png\n",
    )
    with pytest.raises(CardgenError) as info:
        load_deck(path)
    lines = str(info.value).splitlines()
    assert [line.split(": ")[0].rsplit(":", 1)[1] for line in lines] == ["3", "4", "5", "8"]
    assert "cards[2].image (card 3): image not found" in lines[2]
    assert "cards[3].avatar (card 4): image not found" in lines[3]


def test_a_deck_with_schema_errors_still_gives_its_other_cards_to_check(write):
    from cardgen.load.deck import collect_deck

    path = write("deck.yaml", "title: 5\ncards:\n  - 7\n  - title: fine\n    layout: nope\n  - title: also fine\n")
    deck, errors = collect_deck(path)
    assert len(errors) == 3
    assert deck is not None and [c.title for c in deck.cards] == [None, "fine", "also fine"]  # card numbers kept


def test_a_list_item_with_a_colon_says_to_quote_it(write):
    """«- Команда: SMM, дизайнер»: YAML reads a key and a value; the error says what to do."""
    path = write(
        "d.yaml",
        "title: T\ncards:\n  - layout: list\n    items:\n      - Команда: SMM, дизайнер\n"
        "      - title: Два\n        text: три\n",
    )
    with pytest.raises(CardgenError) as info:
        load_deck(path)
    first, second = info.value.problems
    assert first.line == 5 and first.message.endswith("expected text, found a mapping")
    assert (
        first.hint
        == 'a colon and a space made this a key and a value: put the text in quotes ("Команда: SMM, дизайнер")'
    )
    assert second.hint is None  # a real mapping of two keys is not a colon slip
