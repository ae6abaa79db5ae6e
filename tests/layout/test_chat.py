"""The `chat` layout as data: bubbles alternate sides, nothing overlaps, text fits inside its
bubble; speakers keep their side; the colours read in every built-in theme; the deck format's
short and long forms, and its errors."""

from itertools import pairwise
from pathlib import Path

import jsonschema
import pytest
import yaml

from cardgen.model.color import contrast_ratio
from cardgen.load.deck import Message, collect_deck
from cardgen.model.problems import CardgenError
from cardgen.layout.layouts.chat import BUBBLE_SHARE, PAD_X, bubble_colors
from cardgen.layout.chrome import content_area
from cardgen.model.page import FillBox, Rect, TextBox
from cardgen.run.pipeline import layout_deck, render_deck
from cardgen.resolve.cards import chat_sides
from cardgen.load.schema import deck_schema
from cardgen.load.theme import builtin_themes

ROOT = Path(__file__).resolve().parents[2]

DECK = """title: Чат
cards:
  - layout: chat
    title: Пятница, восемь вечера
    messages:
      - Всё сделал?
      - Да, Сань, посты на неделю в отложке, рекламу запустил.
      - А сторис?
      - Сторис завтра утром сниму, обещаю.
      - Ну ок. Только в субботу не пропадай, вдруг что-то ==понадобится==.
  - layout: chat
    text: Как звучит типичный бриф.
    messages:
      - {name: Клиент, text: Нужно сделать вирусный пост.}
      - {name: Саша, text: "Для кого он?"}
      - {name: Саша, text: "И что должен сделать **читатель**?"}
      - {name: Клиент, text: Для всех.}
      - {text: Так не бывает., side: left}
"""


@pytest.fixture(scope="module")
def laid(tmp_path_factory):
    path = tmp_path_factory.mktemp("chat") / "chat.yaml"
    path.write_text(DECK, encoding="utf-8")
    return layout_deck(path)


def bubbles(page) -> dict[int, FillBox]:
    return {
        int(b.field[len("messages[") : b.field.index("]")]): b
        for b in page.boxes
        if isinstance(b, FillBox) and b.field.endswith(".bubble")
    }


def texts(page) -> dict[str, TextBox]:
    return {b.field: b for b in page.text_boxes()}


def overlap(a: Rect, b: Rect) -> bool:
    return a.x < b.right - 0.5 and b.x < a.right - 0.5 and a.y < b.bottom - 0.5 and b.y < a.bottom - 0.5


def test_unnamed_messages_alternate_sides_from_the_left(laid):
    card, page = laid.cards[0], laid.pages[0]
    area = content_area(card)
    found = bubbles(page)
    assert sorted(found) == [0, 1, 2, 3, 4]
    sides = [
        "left" if abs(b.rect.x - area.x) < 1 else "right" if abs(b.rect.right - area.right) < 1 else "?"
        for _, b in sorted(found.items())
    ]
    assert sides == ["left", "right", "left", "right", "left"]
    assert [m.side for m in card.messages] == sides


def test_nothing_overlaps_and_every_box_stays_in_the_content_area(laid):
    for card, page in zip(laid.cards, laid.pages, strict=True):
        area = content_area(card)
        found = bubbles(page)
        boxes = [b.rect for b in found.values()]
        boxes += [
            t.rect
            for f, t in texts(page).items()
            if not f.startswith("chrome.") and f not in {f"messages[{i}]" for i in found}
        ]  # a message's own text is inside its bubble
        for i, a in enumerate(boxes):
            assert area.y - 0.5 <= a.y and a.bottom <= area.bottom + 0.5 and area.x - 0.5 <= a.x
            assert a.right <= area.right + 0.5
            for b in boxes[i + 1 :]:
                assert not overlap(a, b), (a, b)
        ordered = sorted(found.items())
        for (_, upper), (_, lower) in pairwise(ordered):
            assert upper.rect.bottom < lower.rect.y  # in the order written, top to bottom


def test_text_fits_inside_its_bubble_and_a_bubble_is_at_most_its_share_wide(laid):
    for card, page in zip(laid.cards, laid.pages, strict=True):
        area = content_area(card)
        pad = PAD_X * card.scale
        for index, bubble in bubbles(page).items():
            box = texts(page)[f"messages[{index}]"]
            assert bubble.rect.w <= area.w * BUBBLE_SHARE + 0.5
            assert bubble.rect.y < box.rect.y and box.rect.bottom < bubble.rect.bottom
            for line in box.lines:
                # (a line starts up to a side bearing left of its box: the optical margin)
                assert bubble.rect.x + pad - 5 <= line.x and line.x + line.width <= bubble.rect.right - pad + 2
                for glyph in line.glyphs:
                    assert bubble.rect.x < glyph.x < bubble.rect.right
            widest = max(line.x + line.width for line in box.lines)
            assert widest == pytest.approx(bubble.rect.right - pad, abs=2)  # the bubble hugs its longest line


def test_named_speakers_keep_their_side_and_names_show_when_the_speaker_changes(laid):
    card, page = laid.cards[1], laid.pages[1]
    assert [m.side for m in card.messages] == ["left", "right", "right", "left", "left"]
    names = {f: t for f, t in texts(page).items() if f.endswith(".name")}
    assert sorted(names) == ["messages[0].name", "messages[1].name", "messages[3].name"]
    found = bubbles(page)
    right = names["messages[1].name"]
    assert right.lines[0].x + right.lines[0].width == pytest.approx(found[1].rect.right - PAD_X * card.scale, abs=2)
    assert right.rect.bottom < found[1].rect.y  # above its bubble
    assert texts(page)["text"].rect.bottom < names["messages[0].name"].rect.y  # the scene, then the talk


def test_sides_follow_side_then_speaker_then_alternation():
    def sides(*messages: dict) -> list[str]:
        return chat_sides([Message(**m) for m in messages])

    assert sides({"text": "a"}, {"text": "b"}, {"text": "c"}) == ["left", "right", "left"]
    assert sides(
        {"text": "a", "name": "A"}, {"text": "b", "name": "A"}, {"text": "c", "name": "B"}, {"text": "d", "name": "A"}
    ) == ["left", "left", "right", "left"]
    assert sides({"text": "a", "side": "right"}, {"text": "b"}) == ["right", "left"]
    assert sides({"text": "a", "name": "A", "side": "right"}, {"text": "b", "name": "A"}) == ["right", "right"]


@pytest.mark.parametrize("theme", builtin_themes())
def test_every_theme_renders_a_chat_with_readable_bubbles_and_no_warning(theme, tmp_path):
    (tmp_path / "chat.yaml").write_text(DECK, encoding="utf-8")
    result = render_deck(tmp_path / "chat.yaml", tmp_path / "out", theme=theme)
    assert [str(w) for w in result.warnings] == []  # the contrast check samples the bubbles too
    card = result.laid.cards[0]
    (left, _), (right, right_ink) = bubble_colors(card)
    assert contrast_ratio(right_ink, right) >= 4.5
    assert right != left  # the two sides are told apart by colour
    inks = {
        g.color
        for b in result.laid.pages[0].text_boxes()
        if b.field == "messages[1]"
        for line in b.lines
        for g in line.glyphs
    }
    assert inks == {right_ink}


def test_the_preview_deck_shows_a_chat(tmp_path):
    laid = layout_deck(ROOT / "themes" / "_preview" / "preview.yaml")
    chat = next(page for card, page in zip(laid.cards, laid.pages, strict=True) if card.layout == "chat")
    assert len(bubbles(chat)) == 4


def test_a_theme_without_the_message_roles_sets_messages_as_body_text(tmp_path):
    theme = (ROOT / "themes" / "default.yaml").read_text(encoding="utf-8")
    theme = "\n".join(line for line in theme.splitlines() if not line.lstrip().startswith("message"))
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "old.yaml").write_text(theme, encoding="utf-8")
    (tmp_path / "chat.yaml").write_text(DECK.replace("title: Чат\n", "title: Чат\ntheme: old\n"), encoding="utf-8")
    laid = layout_deck(tmp_path / "chat.yaml")
    assert {b.role for b in laid.pages[0].text_boxes() if b.field.startswith("messages[")} == {"body"}


def test_a_conversation_too_long_for_a_card_is_a_located_error(tmp_path):
    lines = "\n".join(
        f"      - Сообщение номер {i}, в котором много слов, чтобы оно заняло несколько строк." for i in range(30)
    )
    (tmp_path / "long.yaml").write_text(
        f"title: T\ncards:\n  - layout: chat\n    messages:\n{lines}\n", encoding="utf-8"
    )
    with pytest.raises(CardgenError) as info:
        layout_deck(tmp_path / "long.yaml")
    message = str(info.value)
    assert "long.yaml:" in message and "cards[0].messages[" in message and "does not fit" in message


def test_messages_short_and_long_forms_and_their_errors(tmp_path):
    (tmp_path / "d.yaml").write_text(
        "title: T\ncards:\n  - layout: chat\n    messages:\n      - Всё сделал?\n"
        "      - {text: Да, name: Саня, sid: left}\n      - 42\n      - {name: X}\n      - {text: a, side: middle}\n"
        "  - layout: chat\n    messages: []\n",
        encoding="utf-8",
    )
    _, errors = collect_deck(tmp_path / "d.yaml")
    shown = [str(e).replace(str(tmp_path), "") for e in errors]
    assert shown == [
        '/d.yaml:6: cards[0].messages[1].sid (card 1): unknown key "sid" (did you mean "side"?); '
        "known keys: text, name, side",
        (
            "/d.yaml:7: cards[0].messages[2] (card 1): expected a message (its text, or a mapping of text:, "
            "name:, side:), found the number 42"
        ),
        '/d.yaml:8: cards[0].messages[3].text (card 1): required key "text" is missing',
        "/d.yaml:9: cards[0].messages[4].side (card 1): expected 'left' or 'right', found the text \"middle\"",
        "/d.yaml:11: cards[1].messages (card 2): expected at least one item, found an empty list",
    ]
    good = yaml.safe_load(DECK)
    jsonschema.validate(good, deck_schema())  # the string form and the mapping form
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"title": "T", "cards": [{"layout": "chat", "messages": [{"text": "a", "side": "up"}]}]}, deck_schema()
        )
