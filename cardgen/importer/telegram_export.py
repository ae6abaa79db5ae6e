"""A Telegram Desktop channel export (`result.json`) → its posts as `Post(id, date, text)`.

Telegram Desktop (Settings → Advanced → Export Telegram data, or a channel's ⋮ → Export chat
history, format "Machine-readable JSON") writes one `result.json`:

```json
{"name": "…", "type": "public_channel", "id": 1234567890,
 "messages": [{"id": 12, "type": "message", "date": "2024-03-05T10:15:00",
               "date_unixtime": "1709633700", "from": "…", "from_id": "channel1234567890",
               "text": ["plain ", {"type": "bold", "text": "bold"}, " text"],
               "text_entities": [{"type": "plain", "text": "plain "}, {"type": "bold", "text": "bold"}, …]},
              {"id": 13, "type": "service", "action": "pin_message", …}]}
```

`text` is a string, or a list of strings and `{type, text}` entities; `text_entities` is the
same as a list of entities only (newer exports have both; older ones only `text`). Flattening
keeps the words and what a card can show: `bold` becomes `**bold**` and `italic` `*italic*`
(whitespace moved outside the markers, which must touch the word), a `blockquote` becomes `> `
lines, a `text_link` becomes «text (https://…)» (its `href` kept: the importer puts a card's
single link in its `url:`); spoilers, custom emoji and the rest become their plain text. Service messages
(pins, joins, title changes) and posts without text (a photo alone) are skipped.

An export is untrusted input like a deck: it is read up to EXPORT_BYTES, nested at most
MAX_DEPTH levels (deeper is an error, not Python's recursion limit), and a number with more
than MAX_ID_DIGITS digits is no post id (never Python's "exceeds the limit for integer string
conversion"). `post_listing` escapes control characters and bidi overrides in what it prints.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cardgen.model.problems import CardgenError, Where, safe_text
from cardgen.base.files import NotRegularFile, read_regular

__all__ = [
    "ImportSourceError",
    "Post",
    "flatten_text",
    "post_listing",
    "read_export",
    "telegram_post",
    "telegram_posts",
]


class ImportSourceError(CardgenError):
    """A post or export that cannot be imported: unreadable, not an export, or no such post."""

    kind = "import"


@dataclass(frozen=True, slots=True)
class Post:
    id: int
    date: str  # as in the export: local time, ISO 8601 ("2024-03-05T10:15:00")
    text: str  # flattened: plain text with **bold** and > quotes

    @property
    def first_line(self) -> str:
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")


EXPORT_BYTES = 64 * 1024 * 1024  # a channel's text posts: tens of thousands fit (parsed: ~10× in memory)
MAX_DEPTH = 32  # JSON nesting: an export is 5 levels deep, old nested entities a few more
MAX_ID_DIGITS = 18  # a post id fits 64 bits


def read_export(path: Path) -> dict[str, Any]:
    """result.json → its data; errors name the file and say what a channel export looks like."""
    where = Where(Path(path))
    try:
        raw = read_regular(path, EXPORT_BYTES)
    except NotRegularFile as exc:
        raise ImportSourceError(f"expected a Telegram export (a JSON file), found {exc.kind}", where) from None
    except (OSError, ValueError) as exc:
        raise ImportSourceError(
            f"cannot read the Telegram export: {getattr(exc, 'strerror', None) or exc}", where
        ) from None
    if len(raw) > EXPORT_BYTES:
        raise ImportSourceError(
            f"the export is larger than {EXPORT_BYTES} bytes, the most allowed; export the "
            "channel for a shorter period (Export chat history → From … To)",
            where,
        )
    try:
        text = raw.decode("utf-8-sig")
        if _depth(text) > MAX_DEPTH:
            raise ImportSourceError(
                f"the JSON is nested more than {MAX_DEPTH} levels deep; a Telegram export is a few levels deep", where
            )
        data = json.loads(text, parse_int=_whole_number)
    except UnicodeDecodeError as exc:
        raise ImportSourceError(
            f"cannot read the Telegram export: expected UTF-8 text, found byte 0x{raw[exc.start]:02x}", where
        ) from None
    except json.JSONDecodeError as exc:
        raise ImportSourceError(
            f"not JSON (line {exc.lineno}): {exc.msg}; expected Telegram Desktop's result.json", where
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise ImportSourceError(
            'expected a Telegram Desktop export of one chat or channel ("messages": [...]); for a whole-account '
            "export, export the channel alone (its ⋮ menu → Export chat history, JSON)",
            Where(Path(path)),
        )
    return data


def _depth(text: str) -> int:
    """How deep the JSON's arrays and objects nest (brackets inside strings are not counted);
    linear, without recursion, so a file of 100 000 "[" is measured, not parsed."""
    deepest = depth = 0
    for match in _STRUCTURE.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _whole_number(digits: str) -> int | str:
    """A JSON integer; one longer than any id is kept as its text (no id, no number to convert)."""
    return int(digits) if len(digits.lstrip("-")) <= MAX_ID_DIGITS else digits


def telegram_posts(path: Path) -> list[Post]:
    """Every post with text in the export, in the export's order (oldest first)."""
    return list(_posts(read_export(path)["messages"]))


def telegram_post(path: Path, post_id: int) -> Post:
    """One post by its id (as in its link t.me/channel/ID); the error lists ids near the one asked."""
    posts = telegram_posts(path)
    for post in posts:
        if post.id == post_id:
            return post
    if not posts:
        raise ImportSourceError("the export has no posts with text", Where(Path(path)))
    near = sorted(posts, key=lambda p: abs(p.id - post_id))[:5]
    ids = ", ".join(str(p.id) for p in sorted(near, key=lambda p: p.id))
    raise ImportSourceError(
        f"no post {post_id} with text in the export; nearest: {ids} (run with --list to see all {len(posts)})",
        Where(Path(path)),
    )


def post_listing(posts: Iterable[Post], width: int = 60) -> str:
    """Posts → one line each: id, date, first line (for `cardgen import result.json --list`)."""
    lines = []
    for post in posts:
        first = post.first_line.replace("**", "")
        first = first if len(first) <= width else first[: width - 1].rstrip() + "…"
        # Post text on the terminal: control characters and bidi overrides shown escaped.
        lines.append(safe_text(f"{post.id:>6}  {post.date[:16].replace('T', ' ')}  {first}"))
    return "\n".join(lines)


def _posts(messages: list[Any]) -> Iterable[Post]:
    for message in messages:
        if not isinstance(message, dict) or message.get("type") != "message":
            continue
        entities = message.get("text_entities")
        text = flatten_text(entities if isinstance(entities, list) and entities else message.get("text", ""))
        if text.strip() and isinstance(message.get("id"), int):
            yield Post(message["id"], str(message.get("date", "")), text.strip())


def flatten_text(value: Any) -> str:
    """`text` or `text_entities` of a message → plain text with **bold** and > quotes (see the module doc)."""
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        return ""
    out: list[str] = []
    for part in value:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, dict):
            kind = str(part.get("type", "plain"))
            if kind == "blockquote" and out and not out[-1].endswith("\n"):
                out.append("\n")  # a quote starts its own line
            entity = _entity(kind, part.get("text", ""))
            out.append(_link(part, entity) if kind == "text_link" else entity)
    return "".join(out)


_EMPHASIS = {"bold": "**", "italic": "*"}


def _entity(kind: str, text: Any) -> str:
    text = flatten_text(text)  # entities may nest in old exports
    if kind in _EMPHASIS and text.strip():
        mark = _EMPHASIS[kind]
        lead = text[: len(text) - len(text.lstrip())]
        tail = text[len(text.rstrip()) :]
        # Per line: a ** pair cannot span a paragraph break.
        body = "\n".join(f"{mark}{line.strip()}{mark}" if line.strip() else line for line in text.strip().split("\n"))
        return f"{lead}{body}{tail}"
    if kind == "blockquote":
        return "\n".join(f"> {line}" if line.strip() else ">" for line in text.split("\n"))
    return text


def _link(part: dict[str, Any], text: str) -> str:
    """A `text_link` → «text (https://…)»: the address is kept, as the post's reader had it a tap away."""
    href = part.get("href")
    if not isinstance(href, str) or not href.strip() or href.strip() == text.strip():
        return text
    lead = text[: len(text) - len(text.lstrip())]
    tail = text[len(text.rstrip()) :]
    return f"{lead}{text.strip()} ({href.strip()}){tail}" if text.strip() else href.strip()
