"""Reading posts: Markdown and Telegram-style blocks, sentences, and chunks that never cut a word."""

from hypothesis import given, settings
from hypothesis import strategies as st

from cardgen.importer.postparse import (
    Block,
    chunk_paragraphs,
    clean_inline,
    is_check,
    no_italic,
    parse_blocks,
    sentences,
    split_long,
    text_length,
)

# --- reading posts ------------------------------------------------------------------------------


def test_markdown_blocks():
    text = """# Заголовок

Вступление, которое
переносится по строкам.

## Что ответить:
- Поблагодарите
* Уточните _детали_

1. Не удаляйте негатив сразу. Текст.
2) Ответьте быстро
   Пояснение под пунктом.

> Цитата
> на две строки
Текст [ссылка](https://x.ru), `код` и a == b.
"""
    assert parse_blocks(text) == [
        Block("heading", "Заголовок"),
        Block("paragraph", "Вступление, которое переносится по строкам."),
        Block("heading", "Что ответить:"),
        Block("bullet", "Поблагодарите", "-"),
        Block("bullet", "Уточните *детали*", "*"),
        Block("number", "Не удаляйте негатив сразу. Текст.", "1"),
        Block("number", "Ответьте быстро", "2", ("Пояснение под пунктом.",)),
        Block("quote", "Цитата на две строки"),
        Block("paragraph", "Текст ссылка (https://x.ru), код и a \\=\\= b."),
    ]


def test_telegram_style_lines_are_paragraphs():
    text = "Первый абзац.\nВторой абзац.\n**Жирный заголовок**\n**1. Шаг один.** Пояснение.\n1️⃣ Ключ\nШаг 3: Третий"
    assert parse_blocks(text) == [
        Block("paragraph", "Первый абзац."),
        Block("paragraph", "Второй абзац."),
        Block("heading", "Жирный заголовок"),
        Block("number", "**Шаг один.** Пояснение.", "1"),
        Block("number", "Ключ", "1"),
        Block("number", "Третий", "3"),
    ]


def test_weak_bullets_need_a_neighbour():
    blocks = parse_blocks("— Привет, — сказал он.\n✅ один\n✅ два\n🔥 Горячая новость")
    assert [b.kind for b in blocks] == ["paragraph", "bullet", "bullet", "paragraph"]
    assert blocks[0].text == "— Привет, — сказал он." and blocks[3].text == "🔥 Горячая новость"


def test_weak_check_marks_are_one_marker():
    """✅, ☑️ and ✔️ mixed in one checklist are one list; a lone check line is a paragraph."""
    blocks = parse_blocks("Что проверить:\n✅ один\n☑️ два\n✔️ три")
    assert [(b.kind, b.marker) for b in blocks[1:]] == [("bullet", "✅"), ("bullet", "☑"), ("bullet", "✔")]
    assert all(is_check(b.marker) for b in blocks[1:])
    assert parse_blocks("Итог.\n✅ Готово") == [Block("paragraph", "Итог."), Block("paragraph", "✅ Готово")]


def test_clean_inline():
    # Markdown emphasis → cardgen's markup: italics stay italics (`*…*`), not plain text
    assert clean_inline("__жирный__ и *курсив* и _тоже_") == "**жирный** и *курсив* и *тоже*"
    assert no_italic("**жирный** и *курсив* и 5 * 3") == "**жирный** и курсив и 5 * 3"
    assert text_length("*курсив*") == len("курсив")
    assert clean_inline("5 * 3 = 15, snake_case_name") == "5 * 3 = 15, snake_case_name"
    assert clean_inline("![картинка](a.png) [https://x.ru](https://x.ru)") == "https://x.ru"


def test_sentences():
    assert sentences("Привет, ребят!) Как дела? А. С. Пушкин писал и т. д. Это всё. «Цитата.» В 2024 г. Москва.") == [
        "Привет, ребят!)",
        "Как дела?",
        "А. С. Пушкин писал и т. д.",
        "Это всё.",
        "«Цитата.»",
        "В 2024 г. Москва.",
    ]
    assert sentences("**Жирно.** Дальше.") == ["**Жирно.**", "Дальше."]


WORDS = st.text(alphabet="абвгдежзиклмнопрстуфхцчшщэюяABCxyz", min_size=1, max_size=14)
SENTENCE = st.lists(WORDS, min_size=1, max_size=25).map(lambda ws: " ".join(ws).capitalize() + st_end())


def st_end() -> str:
    return "."


@settings(max_examples=150, deadline=None)
@given(st.lists(SENTENCE, min_size=1, max_size=12), st.integers(min_value=30, max_value=400))
def test_split_long_never_cuts_a_word(sentence_list, budget):
    text = " ".join(sentence_list)
    pieces = split_long(text, budget)
    assert " ".join(pieces).split() == text.split()  # the same words, in order, none cut
    for piece in pieces:
        assert text_length(piece) <= budget or " " not in piece  # only a single over-long word may exceed


def test_split_long_prefers_sentences_and_balances():
    text = " ".join(["Первое предложение про негатив в комментариях."] * 9)
    pieces = split_long(text, 200)
    assert all(p.endswith(".") for p in pieces)
    lengths = [len(p) for p in pieces]
    assert max(lengths) - min(lengths) <= 48  # at most one sentence apart


def test_chunk_keeps_paragraphs_whole_and_evens_the_tail():
    paragraphs = ["а" * 150, "б" * 150, "в" * 150, "г" * 40]
    cards = chunk_paragraphs(paragraphs, 400)
    assert [len(c) for c in cards] == [2, 2]  # 150+150 | 150+40, not 150+150 | 150 | … or a stub
    assert [p for c in cards for p in c] == paragraphs
    assert chunk_paragraphs(["а" * 100, "б" * 100], 400, first=150) == [["а" * 100], ["б" * 100]]


def test_underlined_headings_and_rules():
    assert parse_blocks("Заголовок\n---\nТекст\n\n***\nЕщё\n===") == [
        Block("heading", "Заголовок"),
        Block("paragraph", "Текст"),
        Block("heading", "Ещё"),
    ]


def test_wrapped_point_text_joins_its_point():
    assert parse_blocks("- Первый пункт, который\nпродолжается на строке\n- Второй") == [
        Block("bullet", "Первый пункт, который продолжается на строке", "-"),
        Block("bullet", "Второй", "-"),
    ]


def test_a_stub_last_card_takes_the_closing_sentences_of_the_one_before():
    long = " ".join(f"Предложение номер {i} о том, как писать посты." for i in range(8))
    cards = chunk_paragraphs([long, "Короткий хвост."], 420, first=400)
    sizes = [sum(text_length(p) for p in card) for card in cards]
    assert len(cards) == 2 and min(sizes) > 0.5 * max(sizes), sizes  # not [360, 15]
    assert cards[1][-1] == "Короткий хвост." and " ".join(cards[0] + cards[1][:1]) == long
