"""Post → deck: the cards it builds, and imported decks rendering cleanly (no warning, no overflow):
the sample posts (copied into tests/fixtures/sample-posts), the Telegram export fixture, and a long
post of seven steps."""

import json
import re
import subprocess
from pathlib import Path

import pytest
from batchkit import run_cli, run_process
import yaml

from cardgen.importer.budgets import Budgets, budgets_for
from cardgen.importer.deckyaml import deck_yaml
from cardgen.importer.design import caption_room, import_post, imported, post_caption, post_to_deck
from cardgen.publish.platforms import TELEGRAM
from cardgen.importer.postparse import text_length
from cardgen.review.quality import check_laid_out
from cardgen.run.pipeline import layout_deck, render_deck
from cardgen.importer.telegram_export import telegram_post, telegram_posts

ROOT = Path(__file__).resolve().parents[2]
EXPORT = ROOT / "tests" / "fixtures" / "telegram" / "result.json"
CONTENT = ROOT / "tests" / "fixtures" / "sample-posts"  # copies of the shared sample posts: a lone clone has them
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
    assert closing["text"] == "Это был последний совет, спасибо, что дочитали."  # not part of step 3
    assert cta == {  # the post's own call already says «Сохраняйте»: the title does not say it twice
        "layout": "cta",
        "title": "Было полезно?",
        "text": "Сохраняйте пост и подписывайтесь на канал!",
        "hints": ["save", "share"],
    }
    assert (  # the cover shows the title; the caption is the rest of the post, greeting and hashtags too
        deck["caption"].startswith("Привет, ребят. Даже если") and "#smm #негатив" in deck["caption"]
    )
    assert "#smm" not in json.dumps(deck["cards"], ensure_ascii=False)  # hashtags stay in the caption


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
    assert lists[0]["title"] == "Что проверить"
    assert lists[1]["title"] == "Что проверить (продолжение)"  # a continuation says whose it is


def test_headings_title_the_next_card_and_quotes_become_quote_cards():
    deck = post_to_deck("# Статья\n\n## Первый раздел\n\nТекст раздела.\n\n> Мудрая мысль.\n\nКонец статьи.")
    assert deck["cards"][1:3] == [
        {"layout": "text", "title": "Первый раздел", "text": "Текст раздела."},
        {"layout": "quote", "text": "Мудрая мысль."},
    ]
    # A last remark after the quote would be one line on an empty card: it closes the deck.
    assert deck["cards"][3]["layout"] == "cta" and deck["cards"][3]["text"] == "Конец статьи."


SECTION_STEPS = """# Как мы выросли в 30 раз

За полгода мы прошли путь от 30 сообществ до 900.

## Как мы это решили

1. Составили контент-план. Мы расписали темы на месяц вперёд.
2. Завели рубрики. Каждая рубрика выходит в свой день недели.
3. Отвечали на комментарии. В первый час после публикации — на каждый.
"""


def _title_only(cards: list[dict]) -> list[dict]:
    return [c for c in cards if c["layout"] in ("text", "step") and "title" in c and not c.get("text")]


def test_a_heading_over_numbered_steps_titles_their_plan_not_a_blank_card():
    """«## Как мы это решили» then 1. 2. 3.: as over bullets, the heading titles a list (the
    steps' plan), never a card with a title alone."""
    cards = post_to_deck(SECTION_STEPS)["cards"]
    assert _title_only(cards) == []
    plan = cards[2]
    assert plan == {
        "layout": "list",
        "title": "Как мы это решили",
        "marker": "number",
        "items": ["Составили контент-план", "Завели рубрики", "Отвечали на комментарии"],
    }
    assert [c["layout"] for c in cards[3:6]] == ["step"] * 3 and cards[3]["title"] == "Составили контент-план"


def test_a_heading_over_more_steps_than_a_plan_holds_titles_the_first_step():
    steps = "\n".join(f"{i}. Шаг номер {i}. Пояснение к шагу номер {i}, чтобы было что читать." for i in range(1, 8))
    cards = post_to_deck(f"Пост\n\n## Что делать\n\n{steps}")["cards"]
    assert _title_only(cards) == [] and [c["layout"] for c in cards[1:-1]] == ["step"] * 7
    assert cards[1]["title"] == "Что делать" and cards[1]["text"].startswith("**Шаг номер 1.** Пояснение")
    assert cards[2]["title"] == "Шаг номер 2"


def test_headings_in_a_row_title_one_card_and_a_last_heading_is_text():
    cards = post_to_deck("Пост\n\n## Часть 1\n\n### Как мы начинали\n\nТекст раздела.\n\n## Итоги")["cards"]
    assert cards[1] == {"layout": "text", "title": "Часть 1. Как мы начинали", "text": "Текст раздела."}
    assert _title_only(cards) == [] and "Итоги" in (cards[2].get("text"), cards[-1].get("text"))


def test_an_imported_section_of_steps_passes_quality(tmp_path: Path):
    (tmp_path / "post.md").write_text(SECTION_STEPS, encoding="utf-8")
    assert cardgen("import", "post.md", "-o", "deck.yaml", cwd=tmp_path).returncode == 0
    run = cardgen("quality", "deck.yaml", cwd=tmp_path)
    assert run.returncode == 0 and "title-only" not in run.stdout, run.stdout


def test_quality_flags_a_text_card_with_a_title_and_nothing_under_it(tmp_path: Path):
    (tmp_path / "d.yaml").write_text(
        "title: T\ncards:\n  - layout: cover\n    title: Обложка\n  - title: Как мы это решили\n"
        "  - title: С текстом\n    text: Текст.\n",
        encoding="utf-8",
    )
    run = cardgen("quality", "d.yaml", cwd=tmp_path)
    assert run.returncode == 1
    assert "card 2: text: title-only: a title with nothing under it is a blank slide" in run.stdout
    assert run.stdout.count("title-only") == 2  # the count and the one defect; card 3 has text


def test_markdown_emphasis_keeps_its_italics_on_the_cards():
    deck = post_to_deck(
        "# Что _не_ сработало\n\nРеклама у *крупных* и _мелких_ блогеров.\n\n"
        "## Раздел _с курсивом_\n\nТекст.\n\n> Цитата _с курсивом_\n\nКонец."
    )
    texts = [c.get("text", "") for c in deck["cards"]]
    assert "Реклама у *крупных* и *мелких* блогеров." in texts
    # titles and quotes are set in the heading family, which may have no italic: plain there
    assert deck["cards"][0]["title"] == "Что не сработало" and deck["title"] == "Что не сработало"
    assert any(c.get("title") == "Раздел с курсивом" for c in deck["cards"])
    assert {"layout": "quote", "text": "Цитата с курсивом"} in deck["cards"]
    assert "*" not in deck["caption"]
    tg = post_to_deck(telegram_post(EXPORT, 30).text)  # a Telegram `italic` entity
    assert any("*живые примеры*" in c.get("text", "") for c in tg["cards"])


def test_check_marked_items_become_a_checklist():
    """Telegram post 21: «✅ …» lines are a list with check marks, not bullets without the emoji."""
    lists = [c for c in post_to_deck(telegram_post(EXPORT, 21).text)["cards"] if c["layout"] == "list"]
    assert [c["marker"] for c in lists] == ["check", "check"]
    assert lists[0]["items"][0] == "Пиксель стоит на сайте и видит события"
    assert not any("✅" in item for c in lists for item in c["items"])
    mixed = post_to_deck("Пост\n\nГотово:\n✅ один пункт\n☑️ второй пункт\n✔️ третий пункт\n- обычный пункт")
    checklists = [c for c in mixed["cards"] if c["layout"] == "list"]
    assert checklists[0] == {
        "layout": "list",
        "title": "Готово",
        "marker": "check",
        "items": ["один пункт", "второй пункт", "третий пункт"],
    }
    assert "marker" not in checklists[1] and checklists[1]["items"] == ["обычный пункт"]


def test_long_text_continues_on_the_next_card_between_sentences():
    paragraph = " ".join(f"Предложение номер {i} о том, как писать посты, которые дочитывают." for i in range(30))
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
    assert deck["title"] == "Свой заголовок" and deck["cards"][1]["text"] == "Первая строка\n\nТекст поста.\n"
    assert post_to_deck("Свой заголовок\nТекст.", title="Свой заголовок")["cards"][1]["text"] == "Текст."
    assert post_to_deck("1. Первое\n2. Второе")["title"] == "Без названия"
    with pytest.raises(ValueError, match="the post has no text"):
        post_to_deck(" \n ")


def test_author_and_platform_keys():
    deck = post_to_deck("Пост\nТекст.", author={"name": "Саша", "handle": "@sasha_smm"}, platform="telegram")
    assert deck["author"] == {"name": "Саша", "handle": "@sasha_smm"}
    assert deck["defaults"] == {"footer": "@sasha_smm"} and deck["platform"] == "telegram"


# --- imported decks render cleanly --------------------------------------------------------------


# The shared sample posts the import is checked on, copied into tests/fixtures/sample-posts so a
# clone of the project alone runs them (never replaced by a made-up post that would pass whatever
# the importer does).
SHARED_POSTS = ("negativity-intro.txt", "photostocks-intro.txt")
EXPORT_POSTS = (2, 14, 21, 30)


def cardgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd)  # in this process (see batchkit)


def cardgen_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_process(*args, cwd=cwd)


def _render_strict_without_defects(deck: Path, tmp_path: Path) -> None:
    """What `cardgen render --strict` and `cardgen quality` check, in this process (quicker)."""
    result = render_deck(deck, tmp_path / "out")
    assert [str(w) for w in result.warnings] == []  # --strict: no warning
    laid = result.laid
    assert [str(d) for d in check_laid_out(laid).defects] == []
    body = [cf.sizes["body"] for cf in laid.fits if "body" in cf.sizes]
    assert min(body, default=46) >= 42 and len(laid.pages) >= 2


@pytest.mark.parametrize("name", SHARED_POSTS)
def test_shared_posts_import_and_render_strictly_without_defects(name, tmp_path: Path):
    post = CONTENT / name
    result = cardgen("import", str(post), "-o", "deck.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    _render_strict_without_defects(tmp_path / "deck.yaml", tmp_path)


@pytest.mark.parametrize("post_id", EXPORT_POSTS)
def test_export_posts_import_and_render_strictly_without_defects(post_id, tmp_path: Path):
    result = cardgen("import", str(EXPORT), "--id", str(post_id), "-o", "deck.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    _render_strict_without_defects(tmp_path / "deck.yaml", tmp_path)


def test_every_export_post_is_covered():
    assert tuple(p.id for p in telegram_posts(EXPORT)) == EXPORT_POSTS


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
            # cover, the intro (3 paragraphs) on one fuller card so that the deck fits one album, 7 steps, cta
            assert len(result.slides) == slides
        layouts = [c.layout for c in result.laid.cards]
        assert layouts.count("step") == 7 and re.fullmatch(r"cover( text)+( step( text)*)+ cta", " ".join(layouts))


# --- captions, links and the command's options ---------------------------------------------------

MARKDOWN = (
    "# Как писать посты\n\nПервый абзац с **жирным**, _курсивом_ и [ссылкой](https://example.com/a).\n\n"
    "## Раздел\n\n- пункт один\n* пункт два\n\n> Цитата\n\n---\n\nКонец `кода`. #smm_tips\n"
)


def test_a_markdown_post_gives_a_plain_text_caption():
    caption = post_to_deck(MARKDOWN)["caption"]
    # The cover shows the title: the caption starts with the post's first paragraph.
    assert caption.startswith("Первый абзац с жирным, курсивом и ссылкой (https://example.com/a).")
    assert "\nРаздел\n" in caption and "- пункт один\n- пункт два" in caption and "\nЦитата\n" in caption
    for mark in ("#", "**", "_к", "[", "](", "`", ">", "---"):
        assert mark not in caption.replace("#smm_tips", ""), mark
    assert caption.rstrip().endswith("Конец кода. #smm_tips")  # hashtags are not headings


def test_a_cut_caption_is_reported_and_noted_in_the_deck(tmp_path: Path):
    post = "Длинный пост\n\n" + "\n\n".join(
        f"Абзац номер {i}: текст, который повторяется, чтобы пост был длинным." for i in range(40)
    )
    result = imported(post, source="long.md")
    deck = yaml.safe_load(result.yaml)
    assert len(deck["cards"]) <= 10  # one album: no room kept for the note of a split deck
    room = caption_room(TELEGRAM, split=False)
    dropped = post_caption(post, room=room, title="Длинный пост").dropped
    assert len(deck["caption"]) <= room.budget + 1 and dropped > 1000
    (warning,) = result.warnings
    assert f"leaves out the last {dropped}" in warning and f"first {room.budget} characters" in warning
    assert "Telegram's album caption holds 1024: 922 for the post, 102 for an ad marking of up to 100" in warning
    assert (
        f"# caption: the post's first {room.budget} characters at most; the last {dropped} are left out" in result.yaml
    )
    assert imported("Пост\n\nКороткий.").warnings == ()
    (tmp_path / "long.md").write_text(post, encoding="utf-8")
    run = cardgen("import", "long.md", "-o", "deck.yaml", cwd=tmp_path)
    assert run.returncode == 0 and "long.md: warning: the post is longer than a caption" in run.stderr
    assert f"the last {dropped}" in run.stderr


def test_a_single_long_paragraph_gives_its_whole_sentences_to_the_caption():
    post = "Заголовок\n\n" + " ".join(f"Предложение номер {i} длинного абзаца." for i in range(60))
    caption = post_caption(post)
    budget = caption_room(TELEGRAM, split=True).budget  # the smallest budget there is: Telegram, split
    assert budget - 100 < len(caption.text) <= budget and caption.text.endswith(".")
    assert caption.dropped > 0


def test_an_imported_long_post_takes_an_ad_and_an_album_split_within_telegrams_caption(tmp_path: Path):
    """The cut leaves room for what render adds: «Продолжение — …» when the deck is split into
    albums and a «Реклама. …» line, so a short `ad:` added to an imported long post still fits 1024."""
    post = "Длинный пост\n\n" + "\n\n".join(
        f"Абзац номер {i}: 10000 подписчиков 🔥 за 30 дней, и т.д. - всё, что повторяется." for i in range(45)
    )
    data = post_to_deck(post)
    data["ad"] = {"advertiser": "ООО «Смарт Маркетинг Групп»", "inn": "7707083893", "erid": "2VtzqwXYZabcdEF12"}
    (tmp_path / "deck.yaml").write_text(deck_yaml(data), encoding="utf-8")
    assert len(data["cards"]) > 10  # split into albums: the first caption gets the continuation note
    run = cardgen("render", "deck.yaml", "--for", "telegram", "-o", "out", cwd=tmp_path)
    assert run.returncode == 0 and "caption" not in run.stderr, run.stderr
    first = (tmp_path / "out" / "deck" / "album-1" / "caption.txt").read_text(encoding="utf-8")
    assert "Продолжение —" in first and "Реклама." in first
    assert len(first.rstrip("\n").encode("utf-16-le")) // 2 <= 1024


def test_list_and_id_are_usage_errors_for_a_text_post(tmp_path: Path):
    (tmp_path / "long.md").write_text("Пост\n\nТекст.", encoding="utf-8")
    for args in (("--list",), ("--id", "3")):
        run = cardgen("import", "long.md", *args, cwd=tmp_path)
        assert run.returncode == 2 and run.stdout == "", run.stdout
        assert f"error: {args[0]}: only for a Telegram export" in run.stderr


def test_a_card_with_one_link_gets_it_as_its_url():
    deck = post_to_deck(
        "Пост\n\nГайд по настройке - в [нашем блоге](https://example.com/blog).\n\nЕщё абзац текста здесь."
    )
    (card,) = [c for c in deck["cards"] if c["layout"] == "text"]
    assert card["url"] == "https://example.com/blog" and "(https" not in card["text"]
    assert "в нашем блоге." in card["text"]
    two = post_to_deck("Пост\n\n[Один](https://a.ru) и [два](https://b.ru) сайта.\n\nЕщё абзац.")
    assert "url" not in two["cards"][1] and "Один (https://a.ru)" in two["cards"][1]["text"]


def test_telegram_text_links_keep_their_address():
    deck = post_to_deck(telegram_post(EXPORT, 21).text)
    (cta,) = [c for c in deck["cards"] if c["layout"] == "cta"]
    # the post's last remark (a line after the quote) closes the deck, with its link
    assert cta["text"] == "Подробный гайд по настройке пикселя - в нашем блоге."
    assert cta["url"] == "https://example.com/blog/pixel"
    assert "в нашем блоге (https://example.com/blog/pixel)." in deck["caption"]


# --- continuations ---------------------------------------------------------------------------------


def test_continuation_cards_carry_the_title_with_a_mark():
    long = " ".join(f"Предложение номер {i} о том, как писать посты, которые дочитывают." for i in range(12))
    deck = post_to_deck(f"Заголовок\n\n## Раздел\n\n{long}\n\n1. Первый шаг. {long}\n2. Второй шаг. Коротко.")
    titles = [c.get("title") for c in deck["cards"][1:-1]]
    assert titles[:2] == ["Раздел", "Раздел (продолжение)"]
    assert "Первый шаг" in titles and "Первый шаг (продолжение)" in titles
    en = post_to_deck(f"Title\n\n## Part\n\n{long}", lang="en")
    assert [c.get("title") for c in en["cards"][1:3]] == ["Part", "Part (continued)"]


def test_a_continuation_never_leaves_a_line_or_two_on_an_empty_card():
    # The step's first paragraph fills its card; the short second one would be alone on the next.
    long = " ".join(f"Предложение номер {i} о том, как писать посты и тексты." for i in range(7))
    deck = post_to_deck(
        f"Заголовок\n\n1. Первый шаг, который надо сделать сразу. {long}\n\n"
        "Короткий хвост, который занимает строку.\n2. Второй шаг. Коротко."
    )
    first = [c for c in deck["cards"] if c.get("title", "").startswith("Первый шаг")]
    sizes = [text_length(c["text"]) for c in first]
    assert len(sizes) == 2 and min(sizes) > 0.5 * max(sizes), sizes  # even, not 370 + 40


def test_the_fixture_checklist_post_has_no_near_empty_card(tmp_path: Path):
    path = tmp_path / "tg21.yaml"
    path.write_text(import_post(telegram_post(EXPORT, 21).text), encoding="utf-8")
    laid = layout_deck(path)
    for card, page in zip(laid.cards, laid.pages, strict=True):
        body = sum(
            len(b.lines) for b in page.text_boxes() if b.role in ("body", "item", "quote", "cta_text", "statement")
        )
        titled = any(b.field == "title" for b in page.text_boxes())
        assert card.layout in ("cover", "cta") or titled or body >= 3, (card.index, body)
    cover = next(b for b in laid.pages[0].text_boxes() if b.field == "title")
    assert [ln.text.split(" ")[-1] for ln in cover.lines[:-1]] == ["Чек-лист", "перед\u00a0запуском"]


# --- budgets -------------------------------------------------------------------------------------

LEGAL_AD = {
    "advertiser": "Общество с ограниченной ответственностью «Ромашка-Маркетинг Северо-Запад»",
    "inn": "7707083893",
    "erid": "2SDnjeVvTqj",
}


def _steps_post() -> str:
    deck = yaml.safe_load(NEGATIVITY.read_text(encoding="utf-8"))
    lines = [deck["title"] + ". Семь шагов от ленивца", *deck["caption"].split("\n\n")[1:]]
    for i, card in enumerate((c for c in deck["cards"] if c["layout"] == "step"), 1):
        lines += [f"{i}. {card['title']}", *card["text"].strip().split("\n\n")]
    return "\n".join(lines)


def test_imported_text_cards_hold_a_comfortable_amount_at_the_full_size(tmp_path: Path):
    """About ten lines of body under a title (the text area takes 15–16): not a wall of text."""
    path = tmp_path / "tg30.yaml"
    path.write_text(import_post(telegram_post(EXPORT, 30).text + "\n\n" + _steps_post()), encoding="utf-8")
    laid = layout_deck(path)
    assert min(cf.sizes["body"] for cf in laid.fits if "body" in cf.sizes) >= 0.9 * laid.cards[0].styles["body"].size
    for card, page in zip(laid.cards, laid.pages, strict=True):
        if card.layout == "text":
            lines = sum(len(b.lines) for b in page.text_boxes() if b.role == "body")
            assert lines <= (11 if card.has("title") else 12), (card.index, lines)


@pytest.mark.parametrize("size", ["portrait", "square", "story"])
def test_budgets_keep_room_for_a_three_line_ad_marking(size, tmp_path: Path):
    for name, post in (("steps", _steps_post()), ("tg30", telegram_post(EXPORT, 30).text)):
        data = post_to_deck(post, size=size)
        data["ad"] = LEGAL_AD
        path = tmp_path / f"{name}.yaml"
        path.write_text(deck_yaml(data), encoding="utf-8")
        laid = layout_deck(path)
        # The longest legal marking takes two lines from every card: a dense step may then be set a
        # little smaller (said in a warning), but every card fits at legible sizes, none splits.
        # (compared with the other step cards when they share one size, else with the reading sizes)
        shrunk = [w for w in laid.warnings if "the text is set" in w.message and "smaller than" in w.message]
        assert [w for w in laid.warnings if w not in shrunk] == [], [str(w) for w in laid.warnings]
        assert len(shrunk) <= 1 and all(cf.factor >= 0.85 for cf in laid.fits)
        assert min(cf.sizes.get("body", 46) for cf in laid.fits) >= 40
        ad = next(b for b in laid.pages[1].text_boxes() if b.field == "chrome.ad")
        assert len(ad.lines) >= 2  # the long marking does wrap


def test_the_pictures_of_a_post_are_named_as_left_out_not_dropped_silently(tmp_path: Path):
    """A Markdown picture has no place in a card's text; it used to vanish without a word."""
    post = "# Фотостоки\n\nПодборка на выходные.\n\n![обложка](cover.png)\n\n"
    post += "Текст ![иконка](https://e.com/i.jpg) внутри.\n"
    result = imported(post, source="p.md")
    (warning,) = result.warnings
    assert warning.startswith("2 pictures of the post (cover.png, https://e.com/i.jpg) are not on a card")
    assert f"# left out: {warning}." in result.yaml
    assert imported("Пост\n\nБез картинок, но со ссылкой [тут](https://e.com).").warnings == ()


def test_a_post_too_long_for_one_deck_is_said_so_at_import(tmp_path: Path):
    """Importing 2000 list items gave a deck of hundreds of cards that render then refused
    (the `cards` limit) while the import itself said only how many albums it made."""
    post = "# Список\n\n" + "\n".join(f"- пункт номер {i}" for i in range(2000))
    result = imported(post, source="big.md")
    count = len(yaml.safe_load(result.yaml)["cards"])
    assert count > 100
    line = f"the deck has {count} cards, more than a deck may have (100), so it will not render as it is"
    assert any(w.startswith(line) for w in result.warnings) and f"# cards: {line}" in result.yaml
    assert not any("more than a deck may have" in w for w in imported("Пост\n\n- один\n- два").warnings)
