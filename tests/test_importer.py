"""Post → deck: the cards it builds, and imported decks rendering cleanly (no warning, no overflow):
the posts in ../shared/content, the Telegram export fixture, and a long post of seven steps."""

import json
import re
from pathlib import Path

import pytest
import yaml

from cardgen.budgets import Budgets, budgets_for
from cardgen.importer import import_post, post_to_deck
from cardgen.postparse import text_length
from cardgen.render import render_deck
from cardgen.telegram_export import telegram_posts

ROOT = Path(__file__).resolve().parent.parent
EXPORT = ROOT / "tests" / "fixtures" / "telegram" / "result.json"
CONTENT = ROOT.parent / "shared" / "content"
NEGATIVITY = ROOT / "decks" / "negativity.yaml"

# --- the deck -----------------------------------------------------------------------------------

STEPS_POST = """Как работать с негативом в комментариях. Семь шагов от ленивца
Привет, ребят. Даже если вы будете вести сообщество о котиках, рано или поздно кто-нибудь докопается.
1. Не удаляйте негатив сразу
Удаленный комментарий часто возвращается скриншотом в соседнем паблике.
2. Ответьте в течение часа-двух
Недовольный клиент, которому никто не ответил, к вечеру соберет группу поддержки.
3. Поблагодарите и признайте проблему
Не оправдывайтесь и не спорьте.
Это был последний совет, спасибо, что дочитали.
Сохраняйте пост и подписывайтесь на канал!
#smm #негатив"""


def test_post_with_steps():
    deck = post_to_deck(STEPS_POST)
    assert deck["title"] == "Как работать с негативом в комментариях. Семь шагов от ленивца"
    assert [c["layout"] for c in deck["cards"]] == [
        "cover",
        "text",
        "step",
        "step",
        "step",
        "text",
        "cta",
    ]
    cover, _, step1, *_, closing, cta = deck["cards"]
    assert cover == {
        "layout": "cover",
        "title": "Как работать с негативом в комментариях",
        "subtitle": "Семь шагов от ленивца",
    }
    assert step1 == {
        "layout": "step",
        "title": "Не удаляйте негатив сразу",
        "text": "Удаленный комментарий часто возвращается скриншотом в соседнем паблике.",
    }
    assert (
        closing["text"] == "Это был последний совет, спасибо, что дочитали."
    )  # not part of step 3
    assert cta == {
        "layout": "cta",
        "title": "Сохраняйте, чтобы не потерять",
        "text": "Сохраняйте пост и подписывайтесь на канал!",
        "hints": ["save", "share"],
    }
    assert (
        deck["caption"].startswith("Как работать с негативом")
        and "#smm #негатив" in deck["caption"]
    )
    assert "#smm" not in json.dumps(
        deck["cards"], ensure_ascii=False
    )  # hashtags stay in the caption


def test_count_subtitle_is_plural_aware():
    post = "Как отвечать на негатив\n1. Первый шаг. Пояснение к шагу.\n2. Второй шаг. Пояснение к шагу."
    assert post_to_deck(post)["cards"][0]["subtitle"] == "2\u00a0шага"
    assert post_to_deck(post, lang="en")["cards"][0]["subtitle"] == "2\u00a0steps"
    numbered = "5 ошибок в оформлении\n1. Первая. Пояснение.\n2. Вторая. Пояснение."
    assert "subtitle" not in post_to_deck(numbered)["cards"][0]  # the title already counts


def test_short_numbered_points_are_a_numbered_list():
    deck = post_to_deck("Топ стоков\n\n1. Unsplash\n2. Pexels\n3. Pixabay")
    assert deck["cards"][1] == {
        "layout": "list",
        "items": ["Unsplash", "Pexels", "Pixabay"],
        "marker": "number",
    }


def test_bullets_take_their_lead_in_as_title_and_split_evenly():
    items = "\n".join(f"- Пункт номер {i} про настройку рекламы" for i in range(1, 8))
    deck = post_to_deck(f"Чек-лист\n\nЧто проверить:\n{items}")
    lists = [c for c in deck["cards"] if c["layout"] == "list"]
    assert [len(c["items"]) for c in lists] == [4, 3]  # 7 items → 4 + 3, never 6 + 1
    assert lists[0]["title"] == "Что проверить" and "title" not in lists[1]


def test_headings_title_the_next_card_and_quotes_become_quote_cards():
    deck = post_to_deck(
        "# Статья\n\n## Первый раздел\n\nТекст раздела.\n\n> Мудрая мысль.\n\nКонец статьи."
    )
    assert deck["cards"][1:4] == [
        {"layout": "text", "title": "Первый раздел", "text": "Текст раздела."},
        {"layout": "quote", "text": "Мудрая мысль."},
        {"layout": "text", "text": "Конец статьи."},
    ]


def test_long_text_continues_on_the_next_card_between_sentences():
    paragraph = " ".join(
        f"Предложение номер {i} о том, как писать посты, которые дочитывают." for i in range(30)
    )
    deck = post_to_deck(f"Заголовок\n\n{paragraph}")
    texts = [c["text"] for c in deck["cards"] if c["layout"] == "text"]
    assert len(texts) >= 3
    assert all(t.endswith(".") for t in texts)
    assert " ".join(texts).split() == paragraph.split()
    budget = budgets_for("portrait").plain
    assert all(text_length(t) <= budget for t in texts)


def test_budgets_follow_the_canvas():
    portrait, square, story = budgets_for("portrait"), budgets_for("square"), budgets_for("story")
    assert story.text > square.text
    assert portrait == Budgets()
    assert square.text < portrait.text and square.step < portrait.step
    assert budgets_for("telegram") == square  # type scales with the width: same room
    between = budgets_for((1080, 1200))
    assert square.text < between.text < portrait.text


def test_title_option_and_empty_post():
    deck = post_to_deck("Первая строка\nТекст поста.", title="Свой заголовок")
    assert (
        deck["title"] == "Свой заголовок"
        and deck["cards"][1]["text"] == "Первая строка\n\nТекст поста.\n"
    )
    assert (
        post_to_deck("Свой заголовок\nТекст.", title="Свой заголовок")["cards"][1]["text"]
        == "Текст."
    )
    assert post_to_deck("1. Первое\n2. Второе")["title"] == "Без названия"
    with pytest.raises(ValueError, match="the post has no text"):
        post_to_deck(" \n ")


def test_author_and_platform_keys():
    deck = post_to_deck(
        "Пост\nТекст.", author={"name": "Саша", "handle": "@sasha_smm"}, platform="telegram"
    )
    assert deck["author"] == {"name": "Саша", "handle": "@sasha_smm"}
    assert deck["defaults"] == {"footer": "@sasha_smm"} and deck["platform"] == "telegram"


# --- imported decks render cleanly --------------------------------------------------------------


def sources() -> list[tuple[str, str]]:
    found = (
        [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(CONTENT.glob("*.txt"))]
        if CONTENT.is_dir()
        else []
    )
    found += [(f"telegram-{p.id}", p.text) for p in telegram_posts(EXPORT)]
    return found


@pytest.mark.parametrize(("name", "text"), sources(), ids=[n for n, _ in sources()])
def test_imported_decks_render_without_warnings(name, text, tmp_path: Path):
    path = tmp_path / f"{name}.yaml"
    path.write_text(import_post(text, source=name), encoding="utf-8")
    result = render_deck(path, tmp_path / "out")
    assert [str(w) for w in result.warnings] == []
    assert len(result.slides) >= 2 and result.laid.sizes.get("body", 46) >= 42


def test_shared_content_posts_are_there():
    if not CONTENT.is_dir():
        pytest.skip("../shared/content is not beside this checkout")
    assert len(list(CONTENT.glob("*.txt"))) >= 2


def test_a_long_steps_post_renders_one_card_per_step(tmp_path: Path):
    """The example deck written back as a post: seven steps of two paragraphs each."""
    deck = yaml.safe_load(NEGATIVITY.read_text(encoding="utf-8"))
    lines = [deck["title"] + ". Семь шагов от ленивца", *deck["caption"].split("\n\n")[1:]]
    for i, card in enumerate((c for c in deck["cards"] if c["layout"] == "step"), 1):
        lines += [f"{i}. {card['title']}", *card["text"].strip().split("\n\n")]
    lines.append(deck["cards"][-1]["text"])
    for size, slides in (("portrait", 10), ("square", None), ("story", None)):
        path = tmp_path / f"negativity-{size}.yaml"
        path.write_text(import_post("\n".join(lines), size=size), encoding="utf-8")
        result = render_deck(path, tmp_path / "out")
        assert [str(w) for w in result.warnings] == []
        if slides:
            assert len(result.slides) == slides  # cover, intro, 7 steps, cta
        layouts = [c.layout for c in result.laid.cards]
        assert layouts.count("step") == 7 and re.fullmatch(
            r"cover( text)+( step( text)*)+ cta", " ".join(layouts)
        )
