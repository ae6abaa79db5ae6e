"""Telegram Desktop channel export (result.json): posts, entities flattened, one post by id, errors."""

import json
from pathlib import Path

import pytest

from cardgen.telegram_export import (
    ImportSourceError,
    Post,
    flatten_text,
    post_listing,
    telegram_post,
    telegram_posts,
)

EXPORT = Path(__file__).resolve().parent / "fixtures" / "telegram" / "result.json"

# --- Telegram export ----------------------------------------------------------------------------


def test_export_posts_skip_service_and_photo_only_messages():
    posts = telegram_posts(EXPORT)
    assert [p.id for p in posts] == [2, 14, 21, 30]
    assert posts[1].date == "2024-02-09T12:30:41"
    assert posts[1].first_line == "**5 ошибок в оформлении сообщества ВКонтакте**"
    assert "**1. Аватар, который не читается в ленте.** В ленте" in posts[1].text
    assert "> Реклама не спасет продукт" in posts[2].text
    assert "в нашем блоге." in posts[2].text and "живые примеры" in posts[3].text


def test_export_fixture_is_in_the_real_format():
    data = json.loads(EXPORT.read_text(encoding="utf-8"))
    assert data["type"] == "public_channel" and isinstance(data["id"], int)
    for message in data["messages"]:
        assert {"id", "type", "date", "date_unixtime", "text", "text_entities"} <= set(message)
        if message["type"] == "message":
            assert message["from_id"] == f"channel{data['id']}"
            assert flatten_text(message["text"]) == flatten_text(message["text_entities"])


def test_flatten_entities():
    assert flatten_text(["a ", {"type": "bold", "text": "bold "}, "b"]) == "a **bold** b"
    assert flatten_text([{"type": "bold", "text": "one\ntwo"}]) == "**one**\n**two**"
    assert flatten_text(["text", {"type": "blockquote", "text": "q1\nq2"}]) == "text\n> q1\n> q2"
    assert (
        flatten_text(
            [
                {"type": "text_link", "text": "блог", "href": "https://x"},
                {"type": "italic", "text": "!"},
            ]
        )
        == "блог!"
    )
    assert flatten_text(None) == ""


def test_one_post_by_id_and_listing():
    assert telegram_post(EXPORT, 21).first_line == "**Чек-лист перед запуском таргета**"
    with pytest.raises(
        ImportSourceError, match=r"no post 20 with text in the export; nearest: .*21.*--list"
    ):
        telegram_post(EXPORT, 20)
    listing = post_listing(telegram_posts(EXPORT)).splitlines()
    assert listing[1] == "    14  2024-02-09 12:30  5 ошибок в оформлении сообщества ВКонтакте"
    assert listing[0].endswith("…") and len(listing[0]) <= 6 + 2 + 16 + 2 + 60
    assert post_listing([Post(1, "2024-01-01T00:00:00", "x")]) == "     1  2024-01-01 00:00  x"


def test_export_errors(tmp_path: Path):
    bad = tmp_path / "result.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ImportSourceError, match="not JSON"):
        telegram_posts(bad)
    bad.write_text('{"chats": {"list": []}}', encoding="utf-8")
    with pytest.raises(ImportSourceError, match="export the channel alone"):
        telegram_posts(bad)
    with pytest.raises(ImportSourceError, match="cannot read"):
        telegram_posts(tmp_path / "missing.json")
