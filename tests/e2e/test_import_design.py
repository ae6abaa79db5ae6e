"""`cardgen import` designs a deck from a post: the posts in tests/fixtures/posts (written in the
style of real channel posts: prose with standalone lines, a dialogue, a list with a lead-in,
greetings and sign-offs, links, a 3 000-character post, an English one) become decks whose
structure is asserted here, and which render with no warning and no `cardgen quality` defect
in every built-in theme."""

import re
import subprocess
from pathlib import Path

import pytest
from batchkit import run_cli
import yaml
from dataclasses import replace

from cardgen.importer.budgets import budgets_for

from cardgen.publish.caption import plain_caption
from cardgen.importer.design import STATEMENT_MAX, caption_room, imported, post_to_deck
from cardgen.publish.checks import caption_length
from cardgen.publish.platforms import PLATFORMS
from cardgen.importer.postparse import text_length
from cardgen.run.pipeline import render_deck
from cardgen.load.theme import builtin_themes

POSTS = Path(__file__).resolve().parents[1] / "fixtures" / "posts"
FIXTURES = sorted(p.name for p in POSTS.glob("*.txt"))
# Words no card may show: the posts' greetings, "let's go" lines and sign-offs.
GREETINGS_AND_SIGN_OFFS = (
    "Привет",
    "Всем привет",
    "Погнали",
    "Не прощаемся",
    "Всем добра",
    "Обнимаю",
    "до связи",
    "Давно не виделись",
    "Сегодня поговорим",
    "Hey folks",
    "Let's talk",
    "Cheers",
    "Sam",
)


def deck(name: str, **options) -> dict:
    return post_to_deck((POSTS / name).read_text(encoding="utf-8"), **options)


def content(cards: list[dict]) -> list[dict]:
    return [c for c in cards if c["layout"] not in ("cover", "cta")]


def words_on(card: dict) -> str:
    """Every text a card shows, joined."""
    parts = [str(card.get(k, "")) for k in ("title", "subtitle", "text", "author")]
    parts += [str(x) for x in card.get("items", [])]
    parts += [m if isinstance(m, str) else m["text"] for m in card.get("messages", [])]
    return "\n".join(parts)


def is_statement(card: dict) -> bool:
    text = str(card.get("text", "")).strip()
    return card["layout"] == "text" and "title" not in card and "\n" not in text and text_length(text) <= STATEMENT_MAX


def titled_share(cards: list[dict]) -> float:
    """Content cards with a title, or a statement, quote or chat: what the issue counts."""
    body = content(cards)
    good = [c for c in body if "title" in c or c["layout"] in ("quote", "chat") or is_statement(c)]
    return len(good) / len(body)


# --- every post ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FIXTURES)
def test_every_post_fits_one_album_and_nearly_every_card_is_titled(name):
    post = (POSTS / name).read_text(encoding="utf-8")
    cards = deck(name)["cards"]
    assert len(post) <= 3000 and len(cards) <= 10, [c["layout"] for c in cards]
    assert titled_share(cards) >= 0.8, [(c["layout"], c.get("title")) for c in content(cards)]
    assert cards[0]["layout"] == "cover" and cards[-1]["layout"] == "cta"


@pytest.mark.parametrize("name", FIXTURES)
def test_no_greeting_sign_off_or_bare_address_on_a_card(name):
    cards = deck(name)["cards"]
    for card in cards[:-1]:  # the closing card says the post's own call to action
        shown = words_on(card)
        for words in GREETINGS_AND_SIGN_OFFS:
            assert words not in shown, (words, card)
        assert "http" not in shown and "www." not in shown, card
    for card in cards:
        if "url" in card:
            assert card["url"].startswith("https://")


@pytest.mark.parametrize("name", FIXTURES)
def test_no_list_is_split_two_plus_one_and_no_list_holds_one_item(name):
    lists = [c for c in deck(name)["cards"] if c["layout"] == "list"]
    assert all(len(c["items"]) >= 2 for c in lists)


@pytest.mark.parametrize("name", FIXTURES)
def test_the_caption_is_the_post_without_its_title(name):
    data = deck(name)
    first_line = data["caption"].splitlines()[0]
    assert first_line.strip() != data["cards"][0]["title"] and not first_line.startswith(data["title"])
    assert (POSTS / name).read_text(encoding="utf-8").splitlines()[1].strip()[:20] in data["caption"]


@pytest.mark.parametrize("theme", builtin_themes())
def test_every_imported_post_renders_with_no_warning_and_no_quality_defect(theme, tmp_path):
    """What `cardgen render --strict` and `cardgen quality` check, in every built-in theme: the
    quality command itself is run, so whatever defects it learns to find are checked here too."""
    decks = []
    for name in FIXTURES:
        path = tmp_path / name.replace(".txt", ".yaml")
        path.write_text(imported((POSTS / name).read_text(encoding="utf-8"), source=name).yaml, encoding="utf-8")
        result = render_deck(path, tmp_path / "out", theme=theme)
        assert [str(w) for w in result.warnings] == [], name
        decks.append(str(path))
    run = run_cli("quality", *decks, "--theme", theme, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr


# --- each post's structure -------------------------------------------------------------------------


def test_goals_post_standalone_lines_title_their_cards_and_the_lead_in_stays_with_its_list():
    cards = deck("goals-vs-tasks.txt")["cards"]
    assert [c["layout"] for c in cards] == ["cover", "text", "text", "text", "list", "text", "text", "cta"]
    assert cards[0] == {
        "layout": "cover",
        "title": "Цели и задачи",
        "subtitle": "Почему вы всё делаете, а результата нет",
    }
    titles = [c.get("title") for c in cards[1:-1]]
    assert titles == [
        "Каждый понедельник я вижу одну и ту же картину",
        "Почему это важно",
        "Второй момент",
        "Если вы хотите добиться успеха в эсэмэм, то:",
        "Секрет прост – сначала результат, потом список дел",
        None,
    ]
    assert cards[4]["items"][0] == "сформулируйте одну цель на месяц в цифрах;" and len(cards[4]["items"]) == 4
    assert is_statement(cards[6]) and cards[6]["text"].startswith("Через три недели было сто восемьдесят")
    assert "Дело в том, что это список задач. А цели в нём нет." in cards[1]["text"]
    assert cards[-1]["text"].startswith("Попробуйте на этой неделе начать с цели")  # the post's own call


def test_stress_post_dialogue_is_a_chat_not_a_list_and_ordinals_are_steps():
    cards = deck("stress-at-work.txt")["cards"]
    assert [c["layout"] for c in cards] == ["cover", "chat", "text", "list", "step", "step", "step", "text", "cta"]
    chat = cards[1]
    assert (
        chat["text"] == "Пятница, восемь вечера. Заказчик пишет в личку моему коллеге Сане, и дальше всё по классике."
    )
    assert chat["messages"] == [
        "Всё сделал?",
        "Да, Сань, посты на неделю в отложке, рекламу запустил.",
        "А сторис?",
        "Сторис завтра утром сниму, обещаю.",
        "Ну ок. Только в субботу не пропадай, вдруг что-то понадобится.",
    ]
    assert not any("Всё сделал?" in str(c.get("items")) for c in cards)
    plan = cards[3]
    assert plan["title"] == "Что с этим делать" and plan["marker"] == "number"
    assert (
        [c["title"] for c in cards[4:7]]
        == plan["items"]
        == ["Договориться о времени на берегу", "Отделить рабочие чаты от личных", "Планировать контент заранее"]
    )
    assert cards[7]["title"] == "И самое важное" and cards[2]["title"] == "Саня не пропал"
    assert cards[-1]["text"] == "Если узнали себя, перешлите пост коллеге, которому это нужно прочитать."


def test_vk_post_long_points_are_tips_and_the_address_is_a_link_card_with_a_qr_code():
    cards = deck("vk-ad-tool.txt")["cards"]
    assert [c["layout"] for c in cards] == ["cover", "text", "text", "step", "step", "step", "text", "link", "cta"]
    assert (
        is_statement(cards[2])
        and cards[2]["text"] == "Вот что нужно знать о генераторе, прежде чем доверить ему бюджет:"
    )
    assert [c["title"] for c in cards[3:6]] == [
        "Генератор не знает вашего фирменного стиля",
        "Лучше всего он работает с предметными фото на белом фоне",
        "Тексты на баннерах система берёт из описания объявления",
    ]
    assert cards[3]["text"].startswith("Поэтому шрифты и цвета")
    assert cards[7] == {
        "layout": "link",
        "number": "",
        "title": "Подробная инструкция от VK",
        "url": "https://ads.vk.com/help/articles/creatives",
        "qr": True,
    }
    assert "Я протестировала его на трёх проектах." in cards[1]["text"]


def test_english_post_is_imported_in_english():
    data = deck("hooks-en.txt")
    cards = data["cards"]
    assert data["lang"] == "en" and cards[-1]["title"] == "Save this for later"
    assert [c["layout"] for c in cards] == ["cover", "text", "text", "list", "text", "text", "link", "cta"]
    assert cards[3]["title"] == "What works on slide two" and len(cards[3]["items"]) == 4
    assert [c["title"] for c in cards[1:3]] == ["You spent an hour on the cover", "Here is the fix"]
    assert cards[6]["url"] == "https://example.com/blog/second-slide" and cards[6]["qr"] is True


def test_numbered_steps_still_import_as_steps_and_a_long_remark_after_a_quote_is_not_its_credit():
    """«Так сказала мне однажды клиентка, владелица цветочного магазина, и с тех пор…» is a
    sentence, not a credit to set in small type under the quote: to keep one album it is left to
    the caption, and since the caption's cut leaves it out too, the import says so."""
    result = imported((POSTS / "content-plan.txt").read_text(encoding="utf-8"))
    cards = yaml.safe_load(result.yaml)["cards"]
    assert [c["layout"] for c in cards] == ["cover", "text", *["step"] * 5, "quote", "text", "cta"]
    assert [c["title"] for c in cards[2:7]] == [
        "Соберите вопросы",
        "Сгруппируйте их в рубрики",
        "Распределите рубрики по дням",
        "Заполните таблицу темами",
        "Оставьте окна",
    ]
    assert "author" not in cards[7] and not any("Так сказала" in words_on(c) for c in cards)
    (remark,) = [w for w in result.warnings if w.startswith("the remark after a quote «Так сказала")]
    assert "left to the caption" in remark and "# left out: the remark after a quote" in result.yaml
    assert cards[-1]["title"] == "Было полезно?"  # the post's call says «Сохраняйте» already


@pytest.mark.parametrize(
    ("remark", "credit"),
    [
        ("Ирина, владелица цветочного магазина", True),  # 5 words, 36 characters
        ("так сказала мне однажды одна клиентка из Самары", False),  # 8 words
        ("Константинопольская Вероника-Александровна Переславская", False),  # 3 words, 55 characters
    ],
)
def test_a_quote_credit_is_at_most_six_words_and_fifty_characters(remark, credit):
    """A longer line after a quote is a sentence: the paragraph stays body text rather than set
    its words in small type under a poster."""
    from cardgen.importer.postparse import parse_blocks
    from cardgen.importer.poststructure import structure

    (block,) = structure(parse_blocks(f"«Хороший контент-план – это ответы на вопросы клиентов». – {remark}"))
    if credit:
        assert (block.kind, block.body) == ("quote", (remark,))
    else:
        assert block.kind == "paragraph" and block.text.endswith(remark)


def test_a_continuation_that_fits_the_card_it_continues_is_merged_back():
    """The budgets are on the safe side: a step of one sentence with its other two paragraphs on
    «… (продолжение)» reads as a leftover when all of it sets on the step at the reading size."""
    from cardgen.importer.design import merge_continuations

    post = (
        "Как вести канал\n\n1. Соберите вопросы.\nОткройте комментарии и директ за последний месяц работы.\n\n"
        "Выпишите всё, о чём спрашивают чаще двух раз, в одну общую таблицу.\n\nЭто темы на месяц.\n\n"
        "2. Разложите темы по дням.\nПолезное, продающее и личное распределите по дням недели.\n\n"
        "Примерно поровну, без перекоса в продажи и без пустых дней.\n\nТак проще.\n"
    )
    cards = post_to_deck(post, size="square")["cards"]
    assert [c["layout"] for c in cards] == ["cover", "step", "step", "cta"]
    assert cards[1]["text"].count("\n\n") == 2 and "Это темы на месяц." in cards[1]["text"]
    # what the budgets alone made: each step continued on a text card
    split = post_to_deck(post, size="square", budget=replace(budgets_for("square")))["cards"]
    assert [c.get("title") for c in split[1:3]] == ["Соберите вопросы", "Соберите вопросы (продолжение)"]
    # a continuation that does not fit stays; lists merge only up to the items a card takes
    step = {"layout": "step", "title": "A", "text": "x"}
    more = {"layout": "text", "title": "A (continued)", "text": "y"}
    assert merge_continuations([step, more], "en", lambda card: False) == [step, more]
    assert merge_continuations([step, more], "en", lambda card: True) == [{**step, "text": "x\n\ny\n"}]
    lists = [
        {"layout": "list", "title": "L", "items": list("abcd")},
        {"layout": "list", "title": "L (continued)", "items": list("efg")},
    ]
    assert merge_continuations(lists, "en", lambda card: True) == lists  # 7 items: more than LIST_ITEMS


def test_a_long_prose_post_of_3000_characters_gets_fuller_cards_not_a_second_album():
    name = "audience.txt"
    assert 2800 < len((POSTS / name).read_text(encoding="utf-8")) <= 3000
    result = imported((POSTS / name).read_text(encoding="utf-8"))
    assert not any("are posted as" in w for w in result.warnings)
    cards = yaml.safe_load(result.yaml)["cards"]
    assert len(cards) == 10
    assert [c.get("title") for c in cards[3:6]] == [
        "Почему так вышло",
        "Как это проверить",
        "Записывайте формулировки дословно",
    ]


def test_a_post_longer_than_an_album_says_in_one_line_how_it_is_split_and_why(tmp_path):
    post = (
        (POSTS / "audience.txt").read_text(encoding="utf-8")
        + "\n"
        + "\n".join((POSTS / "goals-vs-tasks.txt").read_text(encoding="utf-8").splitlines()[2:])
    )
    result = imported(post, source="long.txt", platform="telegram")
    cards = yaml.safe_load(result.yaml)["cards"]
    (line,) = [w for w in result.warnings if "are posted as" in w]
    m = re.search(
        r"the post is (\d+) characters: .* its (\d+) cards are posted as (\d+) albums \((\d+) \+ (\d+)\)", line
    )
    assert m, line
    length, total, count, first, second = map(int, m.groups())
    assert (length, total, count, first + second) == (len(post.strip()), len(cards), 2, len(cards))
    assert first == 10 and "\n" not in line
    assert f"# albums: {line}." in result.yaml


# --- captions and --for ----------------------------------------------------------------------------


@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_for_sets_the_platform_and_the_caption_budget_whose_numbers_add_up(platform):
    post = (POSTS / "audience.txt").read_text(encoding="utf-8")
    result = imported(post, platform=platform)
    data = yaml.safe_load(result.yaml)
    target = PLATFORMS[platform]
    room = caption_room(target, split=False)
    assert data["platform"] == platform
    length = caption_length(plain_caption(data["caption"], "ru"), target)
    assert length <= room.budget
    (warning,) = [w for w in result.warnings if "caption" in w] or [None]
    if warning is None:  # the whole post fits (LinkedIn's 3000)
        assert data["caption"].strip().endswith("Обнимаю, до связи!")
        return
    assert length > room.budget - 300  # cut after the last whole line that fits, not far before
    limit, budget, *kept = map(int, re.findall(r"holds (\d+): (\d+) for the post.*?(\d+) for an ad", warning)[0])
    assert limit == (target.caption_soft_limit or target.caption_limit) and budget + sum(kept) == limit


def test_without_for_the_caption_keeps_telegrams_budget_and_no_platform_key():
    data = deck("audience.txt")
    assert "platform" not in data and len(data["caption"]) <= caption_room().budget + 1
    assert caption_room().budget == 1024 - 102


def test_import_command_for_and_lang_options(tmp_path):
    def cardgen(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, cwd=tmp_path)

    post = str(POSTS / "hooks-en.txt")
    run = cardgen("import", post, "--for", "vk", "-o", "deck.yaml")
    assert run.returncode == 0, run.stderr
    data = yaml.safe_load((tmp_path / "deck.yaml").read_text(encoding="utf-8"))
    assert data["platform"] == "vk" and data["lang"] == "en"  # the post's own language
    assert cardgen("import", post, "--lang", "ru", "-o", "ru.yaml").returncode == 0
    assert yaml.safe_load((tmp_path / "ru.yaml").read_text(encoding="utf-8"))["lang"] == "ru"
    bad = cardgen("import", post, "--for", "myspace")
    assert bad.returncode == 2 and "--for: 'myspace' is not one of" in bad.stderr and bad.stdout == ""


@pytest.mark.parametrize(
    "post",
    [
        "\n".join(f"– Вопрос номер {i}?" for i in range(20000)),  # a dialogue as long as a book
        "Лид:\n" + "\n".join(f"- пункт {i}" for i in range(20000)),  # a list no dialogue rule may rescan
        "\n".join(["Первое – а.", "Второе – б."] * 5000),
        "Смотри: https://" + "a" * 300000,
    ],
    ids=["dialogue", "dash-list", "ordinals", "long-address"],
)
def test_crafted_posts_import_in_seconds_not_minutes(post):
    import time

    started = time.perf_counter()
    data = post_to_deck("Заголовок\n" + post)
    assert data["cards"][0]["layout"] == "cover"
    assert time.perf_counter() - started < 30  # linear: ~2 s here; a rescan per line took minutes


def test_a_post_that_opens_with_a_greeting_line_takes_its_title_from_the_next_line():
    data = post_to_deck(
        "Привет, ребят!\nКак мы выросли в 3 раза за полгода. Кейс клуба\n"
        "За полгода мы прошли путь от 30 сообществ до 900, и вот что сработало лучше всего."
    )
    assert data["cards"][0] == {
        "layout": "cover",
        "title": "Как мы выросли в 3 раза за полгода",
        "subtitle": "Кейс клуба",
    }
    assert data["caption"].startswith("Привет, ребят!\nЗа полгода")  # the greeting stays, the title does not
