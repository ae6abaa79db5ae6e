"""Telegram Desktop channel export (result.json): posts, entities flattened, one post by id, errors."""

import json
import re
from datetime import datetime, UTC
from pathlib import Path

import pytest

from cardgen.importer.telegram_export import (
    ImportSourceError,
    Post,
    flatten_text,
    post_listing,
    telegram_post,
    telegram_posts,
)

EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "telegram" / "result.json"

# --- Telegram export ----------------------------------------------------------------------------


def test_export_posts_skip_service_and_photo_only_messages():
    posts = telegram_posts(EXPORT)
    assert [p.id for p in posts] == [2, 14, 21, 30]
    assert posts[1].date == "2024-02-09T12:30:41"
    assert posts[1].first_line == "**5 ошибок в оформлении сообщества ВКонтакте**"
    assert "**1. Аватар, который не читается в ленте.** В ленте" in posts[1].text
    assert "> Реклама не спасет продукт" in posts[2].text
    assert "в нашем блоге (https://example.com/blog/pixel)." in posts[2].text  # text_link keeps its href
    assert "живые примеры" in posts[3].text


# What Telegram Desktop writes (a chat's ⋮ → Export chat history → JSON), written out here from
# the format, not read off the fixture: the fixture is checked against it, so it cannot drift.
CHAT_TYPES = {
    "personal_chat",
    "bot_chat",
    "private_group",
    "private_supergroup",
    "public_supergroup",
    "private_channel",
    "public_channel",
    "saved_messages",
}
ENTITY_TYPES = {
    "plain",
    "bold",
    "italic",
    "underline",
    "strikethrough",
    "spoiler",
    "code",
    "pre",
    "text_link",
    "link",
    "mention",
    "mention_name",
    "hashtag",
    "cashtag",
    "bot_command",
    "email",
    "phone",
    "bank_card",
    "custom_emoji",
    "blockquote",
    "unknown",
}
DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")  # local time, no zone
PEER = re.compile(r"^(?:user|channel|chat)\d+$")


def _is_entity(part) -> bool:
    if not (isinstance(part, dict) and part.get("type") in ENTITY_TYPES and isinstance(part.get("text"), str)):
        return False
    if part["type"] == "text_link":
        return isinstance(part.get("href"), str) and part["href"].startswith(("http://", "https://", "tg://"))
    if part["type"] == "custom_emoji":
        return isinstance(part.get("document_id"), str)
    return True


def test_export_fixture_is_in_the_real_format():
    data = json.loads(EXPORT.read_text(encoding="utf-8"))
    assert isinstance(data["name"], str) and data["type"] in CHAT_TYPES
    assert isinstance(data["id"], int) and not isinstance(data["id"], bool)
    assert isinstance(data["messages"], list)
    ids = [m["id"] for m in data["messages"]]
    assert all(isinstance(i, int) for i in ids) and ids == sorted(set(ids))  # oldest first, unique
    kinds: set[str] = set()
    for m in data["messages"]:
        assert m["type"] in ("message", "service")
        assert DATE.match(m["date"]) and m["date_unixtime"].isdigit()  # a string of digits, UTC
        local = datetime.fromisoformat(m["date"]).replace(tzinfo=UTC).timestamp()
        offset = local - int(m["date_unixtime"])  # the exporting machine's time zone
        assert offset % 900 == 0 and abs(offset) <= 14 * 3600
        # text: a string, or a list of plain strings and entity dicts (plain runs are bare strings)
        text = m["text"]
        assert isinstance(text, str) or all(
            isinstance(x, str) or (_is_entity(x) and x["type"] != "plain") for x in text
        )
        # text_entities: the same text as entities only (plain runs as {"type": "plain"})
        assert isinstance(m["text_entities"], list) and all(_is_entity(e) for e in m["text_entities"])
        runs = [text] if isinstance(text, str) else [x if isinstance(x, str) else x["text"] for x in text]
        assert "".join(runs) == "".join(e["text"] for e in m["text_entities"])
        kinds |= {e["type"] for e in m["text_entities"]}
        if m["type"] == "message":
            assert isinstance(m["from"], str) and PEER.match(m["from_id"])
        else:
            assert {"actor", "actor_id", "action"} <= set(m) and PEER.match(m["actor_id"])
    # What the importer must meet in a real channel: links, quotes, custom emoji, a service
    # message and a photo without text.
    assert {"bold", "italic", "text_link", "blockquote", "hashtag", "custom_emoji"} <= kinds
    assert any(m["type"] == "service" for m in data["messages"])
    assert any(m["type"] == "message" and not m["text"] and "photo" in m for m in data["messages"])


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
        == "блог (https://x)*!*"
    )
    # italic is kept as cardgen's *italic*, whitespace outside the markers
    assert (
        flatten_text(["это ", {"type": "italic", "text": "живые примеры "}, "всегда"]) == "это *живые примеры* всегда"
    )
    assert flatten_text([{"type": "text_link", "text": "https://x", "href": "https://x"}]) == "https://x"
    assert flatten_text(None) == ""


def test_one_post_by_id_and_listing():
    assert telegram_post(EXPORT, 21).first_line == "**Чек-лист перед запуском таргета**"
    with pytest.raises(ImportSourceError, match=r"no post 20 with text in the export; nearest: .*21.*--list"):
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
