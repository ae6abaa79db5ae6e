"""The deck's `caption` (+ `ad:`) → the post text to publish with the slides, per album (pure).

The caption is what the author pastes under the album, so it is plain text: it goes through the
same typograph as the cards (quotes, dashes, no-break spaces; a no-break space pastes into
Telegram and VK as a space that does not break), and cardgen's inline markup (`**bold**`,
`==accent==`) is removed, since a pasted `**` shows as two asterisks. Then:

- with `ad:`, the marking line («Реклама. ООО «Ромашка». erid: …») goes at the end, after a
  blank line: that is where Telegram and VK readers expect it, and the cover slide already
  shows the label without a tap (see `cardgen.resolve.admark`). Every album of a split deck is its own
  post, so every album's caption carries it;
- a deck split into albums (see `cardgen.publish.platforms.split_albums`) gets one caption per album:
  the first is the deck's caption with «Продолжение — в следующих постах: ещё 13 карточек.»;
  the others say which part they are («Часть 2 из 3: карточки 11–20 из 23»).

`caption_files` gives the files to write: `caption.txt` next to the slides, or
`album-N/caption.txt` in each album folder. Lengths are checked by
`cardgen.publish.platforms.check_caption` (which counts as the platform does).
"""

from __future__ import annotations

from dataclasses import replace

from cardgen.resolve.admark import AdSpec, marking_text
from cardgen.publish.albums import Album
from cardgen.text.markup import parse_markup, plain_text
from cardgen.model.problems import Problem
from cardgen.publish.checks import check_caption
from cardgen.publish.platforms import Platform
from cardgen.text.plural import lang_of, more_cards, noun_for
from cardgen.text.typograph import typograph

CAPTION_FILE = "caption.txt"
__all__ = [
    "CAPTION_FILE",
    "album_captions",
    "build_caption",
    "caption_files",
    "caption_problems",
    "continuation_note",
    "plain_caption",
]


def plain_caption(text: str, lang: str = "ru") -> str:
    """Caption source → typographed plain text: paragraphs kept, single line breaks kept, markup gone."""
    if not text or not text.strip():
        return ""
    return plain_text(parse_markup(typograph(text, lang_of(lang))))


def build_caption(text: str | None, *, lang: str = "ru", ad: AdSpec | None = None) -> str:
    """The deck's caption and ad marking → the text of caption.txt ("" when there is neither)."""
    parts = [plain_caption(text or "", lang)]
    if ad is not None:
        parts.append(marking_text(ad, lang))
    return "\n\n".join(p for p in parts if p)


def album_captions(
    text: str | None, albums: list[Album], total: int, *, lang: str = "ru", ad: AdSpec | None = None
) -> list[str]:
    """One caption per album (see the module doc); a single album gets `build_caption` as is."""
    lang = lang_of(lang)
    if len(albums) <= 1:
        return [build_caption(text, lang=lang, ad=ad)]
    out = []
    for album in albums:
        if album.index == 1:
            rest = total - len(album.cards)
            body = plain_caption(text or "", lang)
            body = "\n\n".join(p for p in (body, _continued(rest, len(albums) - 1, lang)) if p)
        else:
            body = _part(album, len(albums), total, lang)
        marking = marking_text(ad, lang) if ad is not None else ""
        out.append("\n\n".join(p for p in (body, marking) if p))
    return out


def caption_files(
    text: str | None, albums: list[Album], total: int, *, lang: str = "ru", ad: AdSpec | None = None
) -> dict[str, str]:
    """Relative path → file text: {"caption.txt": …} or {"album-1/caption.txt": …, …}; empty captions are left out."""
    captions = album_captions(text, albums, total, lang=lang, ad=ad)
    if len(albums) <= 1:
        names = [CAPTION_FILE]
    else:
        names = [f"{album.folder}/{CAPTION_FILE}" for album in albums]
    return {name: caption + "\n" for name, caption in zip(names, captions, strict=True) if caption}


def caption_problems(captions: list[str], platform: Platform) -> list[Problem]:
    """Each album's caption checked against the platform's limit; messages name the album when there are several."""
    out = []
    for i, caption in enumerate(captions, 1):
        for problem in check_caption(caption, platform):
            if len(captions) > 1:
                problem = replace(problem, message=f"album {i}: {problem.message}")
            out.append(problem)
    return out


def continuation_note(rest: int, posts: int, lang: str = "ru") -> str:
    """What the first album's caption of a split deck ends with: «Продолжение — в следующих
    постах: ещё 13 карточек.» (`rest` cards in `posts` more posts)."""
    return _continued(rest, posts, lang_of(lang))


def _continued(rest: int, posts: int, lang: str) -> str:
    if lang == "ru":
        where = "в следующем посте" if posts == 1 else "в следующих постах"
        return f"Продолжение — {where}: {more_cards(rest, 'ru')}."
    where = "the next post" if posts == 1 else "the next posts"
    return f"Continued in {where}: {more_cards(rest, 'en')}."


def _part(album: Album, count: int, total: int, lang: str) -> str:
    """«Часть 2 из 3: карточки 11–20 из 23»; an album of one card (VK: 21 → 10 + 10 + 1) says
    «карточка 21 из 21», not «карточки 21–21»."""
    first, last = album.cards.start + 1, album.cards.stop
    cards = f"{first}–{last}" if last > first else str(first)
    word = noun_for(2 if last > first else 1, "карточка", lang)  # a range is plural: «карточки 11–20»
    if lang == "ru":
        return f"Часть {album.index} из\u00a0{count}: {word} {cards} из\u00a0{total}"
    return f"Part {album.index} of\u00a0{count}: {word} {cards} of\u00a0{total}"
