"""Resolved cards → alt text: one line per slide, from the card's own text, for `alt.txt`.

Input: `CardSpec`s (their text already typographed and its markup parsed). Output: one line per
card, what a screen reader should say for that image: the card's heading, subtitle, number,
text, list items, columns, quote author and link, in reading order, as sentences on one line;
and the files to write beside the slides (`alt.txt`, or `album-N/alt.txt` for a deck split into
albums, line N for the album's N-th slide). A line longer than the platform's limit is cut
after a whole word and ends with "…". Pure.

Instagram and LinkedIn take alt text per image (`--for instagram|linkedin` always writes the
file); any other render writes it on request (`--alt`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cardgen.text.markup import Paragraph

if TYPE_CHECKING:
    from cardgen.publish.albums import Album
    from cardgen.resolve.cards import CardSpec

ALT_FILE = "alt.txt"
DEFAULT_LIMIT = 1000  # characters per image where a platform states none (Instagram's own limit)
_ENDS_SENTENCE = (".", "!", "?", "…", ":", ";")


def card_alt(card: CardSpec) -> str:
    """The card's own text as one line of alt text (no limit applied)."""
    parts: list[str] = []
    texts = card.texts
    parts += _lines(texts.get("title", ()))
    parts += _lines(texts.get("subtitle", ()))
    if card.number and card.layout == "stat":
        parts.append(card.number)
    parts += _lines(texts.get("text", ()))
    parts += [" ".join(_lines(item)) for item in card.items]
    for column in card.columns:
        inner = _lines(column.title) + _lines(column.text) + [" ".join(_lines(i)) for i in column.items]
        parts.append(_sentences(inner))
    author = " ".join(_lines(texts.get("author", ())))
    if author:
        parts.append(f"— {author}")
    if card.url:
        parts.append(card.url)
    return _sentences([p for p in parts if p])


def alt_lines(cards: Sequence[CardSpec], deck_title: str) -> list[str]:
    """Each card's alt text; a card with no text of its own (a picture alone) says which slide of
    which deck it is, rather than nothing."""
    return [card_alt(card) or f"{deck_title} ({card.index}/{card.total})" for card in cards]


def _lines(paragraphs: Sequence[Paragraph]) -> list[str]:
    """Paragraphs → their plain text, each on one line (line breaks become spaces)."""
    out = []
    for paragraph in paragraphs:
        text = re.sub(r"[ \t\r\n]+", " ", "".join(span.text for span in paragraph)).strip()  # no-break spaces stay
        if text:
            out.append(text)
    return out


def _sentences(parts: list[str]) -> str:
    """Parts joined as sentences: a part that does not end one gets a full stop."""
    out = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        out.append(part if last or part.endswith(_ENDS_SENTENCE) or part.startswith("— ") else part + ".")
    return " ".join(out)


def fit(text: str, limit: int) -> str:
    """`text` within `limit` characters: cut after the last whole word that fits, then "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = max(cut.rfind(" "), cut.rfind("\u00a0"))
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:—–-\u00a0") + "…"


def alt_files(lines: Sequence[str], albums: Sequence[Album], limit: int) -> dict[str, str]:
    """Relative path → file text: one line per slide, in the album folders when the deck is split."""
    fitted = [fit(line, limit) or "…" for line in lines]
    if len(albums) <= 1:
        return {ALT_FILE: "\n".join(fitted) + "\n"} if fitted else {}
    return {f"{album.folder}/{ALT_FILE}": "\n".join(fitted[i] for i in album.cards) + "\n" for album in albums}
