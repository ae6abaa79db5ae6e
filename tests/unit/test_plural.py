"""Plural forms for generated labels: Russian one/few/many by the last digits, English one/many."""

import pytest

from cardgen.text.plural import (
    NBSP,
    count_label,
    lang_of,
    more_cards,
    noun_for,
    number_text,
    plural,
    plural_form,
    step_of,
)

RU_FORMS = [
    (0, "many"),
    (1, "one"),
    (2, "few"),
    (3, "few"),
    (4, "few"),
    (5, "many"),
    (10, "many"),
    (11, "many"),
    (12, "many"),
    (13, "many"),
    (14, "many"),
    (15, "many"),
    (20, "many"),
    (21, "one"),
    (22, "few"),
    (24, "few"),
    (25, "many"),
    (100, "many"),
    (101, "one"),
    (102, "few"),
    (111, "many"),
    (112, "many"),
    (114, "many"),
    (121, "one"),
    (1000, "many"),
    (1001, "one"),
    (1011, "many"),
    (1_000_000, "many"),
    (-1, "one"),
    (-3, "few"),
    (-11, "many"),
]


@pytest.mark.parametrize(("n", "form"), RU_FORMS)
def test_russian_form_follows_the_last_digits(n, form):
    assert plural_form(n, "ru") == form


@pytest.mark.parametrize(
    ("n", "word"),
    [
        (0, "шагов"),
        (1, "шаг"),
        (2, "шага"),
        (5, "шагов"),
        (11, "шагов"),
        (12, "шагов"),
        (14, "шагов"),
        (21, "шаг"),
        (22, "шага"),
        (25, "шагов"),
        (101, "шаг"),
        (111, "шагов"),
        (1000, "шагов"),
    ],
)
def test_plural_picks_the_russian_word(n, word):
    assert plural(n, "шаг", "шага", "шагов") == word


@pytest.mark.parametrize(
    ("n", "word"),
    [(0, "steps"), (1, "step"), (2, "steps"), (11, "steps"), (21, "steps"), (101, "steps")],
)
def test_english_has_one_and_many(n, word):
    assert plural(n, "step", "steps", lang="en") == word
    assert plural_form(n, "en") in ("one", "many")


def test_fractions_take_the_few_form_in_russian():
    assert plural_form(1.5, "ru") == "few"
    assert count_label(1.5, "шаг") == f"1,5{NBSP}шага"
    assert plural_form(2.0, "ru") == "few"  # a whole float is a whole number
    assert count_label(0.5, "step", "en") == f"0.5{NBSP}steps"


@pytest.mark.parametrize(
    ("n", "label"),
    [
        (1, "1 шаг"),
        (3, "3 шага"),
        (7, "7 шагов"),
        (11, "11 шагов"),
        (21, "21 шаг"),
        (104, "104 шага"),
    ],
)
def test_count_label_steps(n, label):
    assert count_label(n, "шаг") == label.replace(" ", NBSP)


@pytest.mark.parametrize(
    ("word", "forms"),
    [
        ("карточка", ("карточка", "карточки", "карточек")),
        ("слайд", ("слайд", "слайда", "слайдов")),
        ("пост", ("пост", "поста", "постов")),
        ("альбом", ("альбом", "альбома", "альбомов")),
    ],
)
def test_table_words(word, forms):
    assert [noun_for(n, word) for n in (1, 3, 5)] == list(forms)
    assert [noun_for(n, word) for n in (21, 22, 12)] == list(forms)


def test_indeclinable_word_keeps_one_form():
    assert {noun_for(n, "фото") for n in (1, 2, 5, 11)} == {"фото"}


def test_english_keys_and_labels():
    assert count_label(1, "step", "en") == f"1{NBSP}step"
    assert count_label(7, "шаг", "en") == f"7{NBSP}steps"  # a Russian key gives the English word too
    assert count_label(2, "Card", "en") == f"2{NBSP}cards"


def test_big_numbers_are_grouped_like_the_typograph():
    assert number_text(1000) == "1000"  # four digits stay whole
    assert number_text(10_000) == f"10{NBSP}000"
    assert count_label(25_000, "слайд") == f"25{NBSP}000{NBSP}слайдов"
    assert number_text(1_234_567, "en") == "1,234,567"
    assert number_text(-12_000) == f"−12{NBSP}000"


def test_step_of():
    assert step_of(3, 7) == f"Шаг{NBSP}3 из{NBSP}7"
    assert step_of(3, 7, "en") == f"Step{NBSP}3 of{NBSP}7"
    assert step_of(1, 1, "ru_RU") == f"Шаг{NBSP}1 из{NBSP}1"


@pytest.mark.parametrize(
    ("n", "ru", "en"),
    [
        (1, "ещё 1 карточка", "1 more card"),
        (3, "ещё 3 карточки", "3 more cards"),
        (5, "ещё 5 карточек", "5 more cards"),
        (11, "ещё 11 карточек", "11 more cards"),
        (21, "ещё 21 карточка", "21 more cards"),
        (0, "ещё 0 карточек", "0 more cards"),
    ],
)
def test_more_cards(n, ru, en):
    assert more_cards(n, "ru") == ru.replace(f"{n} ", f"{n}{NBSP}")
    assert more_cards(n, "en") == en.replace(f"{n} ", f"{n}{NBSP}")


def test_unknown_word_and_language_are_clear_errors():
    with pytest.raises(ValueError, match=r'no plural forms known for "кот"; known words: .*шаг'):
        count_label(2, "кот")
    with pytest.raises(ValueError, match='unsupported language "de"'):
        plural_form(2, "de")
    assert lang_of("en-US") == "en"


def test_two_forms_with_russian_counts_use_the_plural():
    assert plural(1, "step", "steps") == "step"  # lang="ru" rules, two forms: one vs the rest
    assert plural(22, "step", "steps") == "steps"


# --- where generated text uses it -----------------------------------------------------------


STEPS_DECK = (
    "title: T\ntheme: steps\nlang: {lang}\ncards:\n  - {{layout: cover, title: Cover}}\n"
    "  - {{layout: step, title: One}}\n  - {{layout: text, title: Between}}\n"
    "  - {{layout: step, title: Two}}\n  - {{layout: step, title: Three}}\n  - {{layout: cta, title: End}}\n"
)


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("ru", ["1/6", "Шаг 1 из 3", "3/6", "Шаг 2 из 3", "Шаг 3 из 3", "6/6"]),
        ("en", ["1/6", "Step 1 of 3", "3/6", "Step 2 of 3", "Step 3 of 3", "6/6"]),
    ],
)
def test_the_theme_counter_can_say_step_of_on_step_cards(tmp_path, lang, labels):
    from cardgen.run.pipeline import layout_deck

    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "steps.yaml").write_text("extends: default\ncounter: {steps: true}\n", encoding="utf-8")
    deck = tmp_path / "d.yaml"
    deck.write_text(STEPS_DECK.format(lang=lang), encoding="utf-8")
    pages = layout_deck(deck).pages
    counters = [next(b for b in p.text_boxes() if b.field == "chrome.counter").lines[0].text for p in pages]
    assert [c.replace(NBSP, " ") for c in counters] == labels
    deck.write_text(STEPS_DECK.format(lang=lang).replace("theme: steps", "theme: default"), encoding="utf-8")
    pages = layout_deck(deck).pages  # off by default: the page counter everywhere
    assert [next(b for b in p.text_boxes() if b.field == "chrome.counter").lines[0].text for p in pages][1] == "2/6"
