"""Structure detection on parsed blocks (any parser that yields `Block`s can feed it): greetings
and sign-offs, dialogue against lists, ordinals, quotations, lead-ins, standalone lines as headings."""

import pytest

from cardgen.importer.postparse import Block, parse_blocks
from cardgen.importer.poststructure import (
    is_dialogue,
    is_greeting,
    is_sign_off,
    is_standalone_line,
    structure,
)


def para(text: str) -> Block:
    return Block("paragraph", text)


def kinds(blocks: list[Block]) -> list[str]:
    return [b.kind for b in blocks]


@pytest.mark.parametrize(
    "sentence",
    [
        "Привет, ребят.",
        "Привет, ребят!)",
        "Всем привет!",
        "Здравствуйте, друзья!",
        "Добрый вечер.",
        "Hey folks!",
        "Hi everyone,",
        "Good morning!",
    ],
)
def test_greetings(sentence):
    assert is_greeting(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Не прощаемся :)",
        "Всем добра!",
        "Обнимаю, до связи!",
        "До встречи в следующем посте.",
        "Пока!",
        "Хорошего вечера!",
        "Ваша Саша",
        "Cheers,",
        "See you next week!",
        "Take care.",
    ],
)
def test_sign_offs(sentence):
    assert is_sign_off(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Привет из прошлого: как мы запускали рекламу в 2015 году и что из этого вышло.",  # too long to be a greeting
        "Пока вы не посмотрите на цифры, вы пишете для воображаемого читателя.",  # «пока» that is not goodbye
        "Удачи в запуске рекламы не бывает без теста.",
        "Best results come from testing.",
        "Ваша задача – начать.",  # «Ваша Саша» signs a post; «Ваша задача» does not
    ],
)
def test_sentences_that_only_start_like_a_greeting_or_sign_off_are_kept(sentence):
    assert not is_greeting(sentence) and not is_sign_off(sentence)
    assert structure([para("Абзац текста, который остаётся."), para(sentence)])[-1].text == sentence


def test_the_greeting_and_what_only_announces_the_post_go_the_content_stays():
    blocks = structure(
        [
            para(
                "Привет, ребят. Сегодня поговорим о целях. Даже если вы ведёте сообщество о котиках, "
                "рано или поздно кто-то докопается."
            ),
            para("Погнали."),
            para("Второй абзац."),
        ]
    )
    assert [b.text for b in blocks] == [
        "Даже если вы ведёте сообщество о котиках, рано или поздно кто-то докопается.",
        "Второй абзац.",
    ]  # «Погнали.» on a line of its own goes too
    untouched = [para("Сегодня поговорим о целях."), para("Текст.")]  # no greeting: nothing is taken
    assert structure(untouched) == untouched


def test_sign_offs_at_the_end_go_with_the_name_under_them():
    blocks = structure(
        [para("Текст поста, который остаётся на карточке."), para("Всем добра!"), para("Cheers,"), para("Sam")]
    )
    assert [b.text for b in blocks] == ["Текст поста, который остаётся на карточке."]
    tail = structure([para("Спасибо, что дочитали. Не прощаемся :)")])
    assert [b.text for b in tail] == ["Спасибо, что дочитали."]


def test_dash_lines_that_talk_are_a_dialogue_whatever_the_dashes():
    text = "Пятница, восемь вечера.\n– Всё сделал?\n— Да, Сань, посты в отложке.\n- А сторис?\n– Завтра сниму."
    blocks = structure(parse_blocks(text))
    assert kinds(blocks) == ["heading", "dialogue"]  # the short line over it titles the chat
    assert blocks[1].body == ("Всё сделал?", "Да, Сань, посты в отложке.", "А сторис?", "Завтра сниму.")


def test_dash_lines_after_a_lead_in_or_without_speech_are_a_list():
    listed = "Если вы хотите добиться успеха, то:\n– сформулируйте цель;\n– разбейте её на задачи?"
    assert kinds(structure(parse_blocks(listed))) == ["paragraph", "bullet", "bullet"]
    assert not is_dialogue(["Ставьте цели.", "Делайте задачи."])  # statements, no question and answer
    assert not is_dialogue(["Сколько стоит?", "Как оплатить?"])  # questions alone: a FAQ
    assert is_dialogue(["Ты где?", "Дома, – ответил он."])
    assert is_dialogue(["Да, – сказал Петя.", "Нет."])  # the author's words inside speech


def test_ordinal_paragraphs_are_numbered_points():
    blocks = structure(
        [
            para("Первое – договориться о времени. Текст."),
            para("Второе – отделить чаты. Текст."),
            para("Третье: планировать заранее."),
        ]
    )
    assert [(b.kind, b.marker, b.text) for b in blocks] == [
        ("number", "1", "Договориться о времени. Текст."),
        ("number", "2", "Отделить чаты. Текст."),
        ("number", "3", "Планировать заранее."),
    ]
    assert kinds(structure([para("Первое – одно.")])) == ["paragraph"]  # one is not a sequence
    english = structure([para("First, open the stats."), para("Second, call two clients.")], "en")
    assert kinds(english) == ["number", "number"] and english[1].text == "Call two clients."


def test_a_paragraph_in_quotation_marks_is_a_quote_with_its_author():
    (quote,) = structure([para("«Хороший контент-план – это ответы на вопросы клиентов». – Ирина, гид клуба")])
    assert (quote.kind, quote.text, quote.body) == (
        "quote",
        "Хороший контент-план – это ответы на вопросы клиентов",
        ("Ирина, гид клуба",),
    )


def test_a_lead_in_at_the_end_of_a_paragraph_goes_with_its_list():
    blocks = structure(parse_blocks("Я протестировала его на трёх проектах. Вот что нужно знать:\n- раз\n- два"))
    assert [b.text for b in blocks[:2]] == ["Я протестировала его на трёх проектах.", "Вот что нужно знать:"]


def test_short_standalone_lines_title_what_follows():
    long = "Задача отвечает на вопрос «что сделать», а цель – на вопрос «зачем». " * 2
    blocks = structure(
        [
            para("Вступление поста."),
            para("Почему это важно."),
            para(long),
            para("Секрет прост – сначала результат."),
            para(long),
            para("Короткая строка."),
            para("Тоже короткая."),
        ]
    )
    assert kinds(blocks) == ["paragraph", "heading", "paragraph", "heading", "paragraph", "paragraph", "paragraph"]
    assert not is_standalone_line("Если вы хотите добиться успеха, то:")  # a lead-in
    assert not is_standalone_line("Подробнее: https://example.com")
    assert not is_standalone_line("Первое предложение. Второе предложение.")


def test_a_line_between_numbered_points_stays_the_points_own_text():
    blocks = structure(
        [Block("number", "Первый шаг", "1"), para("Короткий хвост шага."), Block("number", "Второй", "2")]
    )
    assert kinds(blocks) == ["number", "paragraph", "number"]
