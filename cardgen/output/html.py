"""Decks' slides → an HTML gallery page: every deck's slides in order, problems in red.

Input: `GalleryDeck`s (a heading, slide image URLs, error and warning lines). Output: one HTML
document. Two uses:
- `cardgen watch` writes OUT/index.html with relative links to the slides on disk, plus
  OUT/index-version.js; the page re-loads that small script every second and reloads itself
  when the version in it changes. A script tag (not fetch) works from file:// as well as over
  http, so opening the file in a browser is enough;
- `cardgen preview` writes one self-contained file (slides embedded as data: URLs), to attach
  to a pull request or a CI artifact.
No template engine and no JavaScript framework: the page is small and must open anywhere.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cardgen.model.problems import safe_text
from cardgen.base.files import write_file, writing

VERSION_SCRIPT = "index-version.js"

_STYLE = """
body{margin:0;padding:24px;background:#28282e;color:#eee;font:15px/1.4 system-ui,sans-serif}
h1{font-size:18px;font-weight:600;margin:0 0 16px}
section{margin:0 0 32px}
h2{font-size:16px;font-weight:600;margin:0 0 8px}
h2 small{color:#aaa;font-weight:400;margin-left:8px}
.slides{display:flex;flex-wrap:wrap;gap:12px}
.slides a{display:block;position:relative}
.slides img{display:block;width:270px;height:auto;border-radius:4px;background:#111}
.slides span{position:absolute;left:6px;top:6px;font-size:12px;background:#000a;padding:1px 6px;border-radius:8px}
ul{margin:0 0 8px;padding-left:20px}
li.error{color:#ff8f8f} li.warning{color:#ffd27f}
"""

_RELOAD = """
<script>
(function () {
  var seen = %s;
  window.cardgenVersion = seen;
  setInterval(function () {
    var tag = document.createElement("script");
    tag.src = "%s?t=" + Date.now();
    tag.onload = tag.onerror = function () {
      tag.remove();
      if (window.cardgenVersion !== seen) { location.reload(); }
    };
    document.head.appendChild(tag);
  }, 1000);
})();
</script>
"""


@dataclass(frozen=True, slots=True)
class GalleryDeck:
    title: str  # the deck file, as given on the command line
    slides: tuple[str, ...]  # image URLs: relative paths or data: URLs
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    note: str = ""  # e.g. "7 slides, unchanged"
    names: tuple[str, ...] = field(default=())  # a label per slide (01.png); default: the number


def gallery_html(decks: Sequence[GalleryDeck], *, title: str = "cardgen preview", version: str | None = None) -> str:
    """The page; with `version`, it reloads itself when OUT/index-version.js says another one.

    Deck names are the user's file names: shown escaped (a byte that is not UTF-8 as \\xff), so
    the page is always valid UTF-8."""
    parts = [_page_head(title, version)]
    for deck in decks:
        parts.append(_deck_head(deck))
        parts += [_slide(deck, i, src) for i, src in enumerate(deck.slides, 1)]
        parts.append(_DECK_END)
    if not decks:
        parts.append("<p>No decks yet.</p>")
    parts.append(_PAGE_END)
    return "\n".join(parts)


_DECK_END = "</div></section>"
_PAGE_END = "</body></html>\n"


def _page_head(title: str, version: str | None) -> str:
    title = safe_text(title)
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style>",
    ]
    if version is not None:
        parts.append(_RELOAD % (json.dumps(version), VERSION_SCRIPT))
    parts.append(f"</head><body><h1>{html.escape(title)}</h1>")
    return "\n".join(parts)


def _deck_head(deck: GalleryDeck) -> str:
    """The deck's heading, its problems, and the opening of its row of slides."""
    note = f"<small>{html.escape(deck.note)}</small>" if deck.note else ""
    parts = [f"<section><h2>{html.escape(safe_text(deck.title))}{note}</h2>"]
    problems = [("error", line) for line in deck.errors] + [("warning", line) for line in deck.warnings]
    if problems:
        parts.append(
            "<ul>"
            + "".join(f'<li class="{kind}">{kind}: {html.escape(line)}</li>' for kind, line in problems)
            + "</ul>"
        )
    parts.append('<div class="slides">')
    return "\n".join(parts)


def _slide(deck: GalleryDeck, i: int, src: str) -> str:
    label = deck.names[i - 1] if i - 1 < len(deck.names) else str(i)
    url = html.escape(src, quote=True)
    link = url if not src.startswith("data:") else "#"
    return (
        f'<a href="{link}" target="_blank"><img src="{url}" alt="{html.escape(safe_text(deck.title))} '
        f'{html.escape(label)}" loading="lazy"><span>{html.escape(label)}</span></a>'
    )


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def count_slides(n: int) -> str:
    """ "1 slide", "7 slides"."""
    return f"{n} slide" if n == 1 else f"{n} slides"


def relative_url(path: Path, page_folder: Path, version: str = "") -> str:
    """A slide's URL relative to the page, with a version query so the browser drops its copy."""
    try:
        rel = path.resolve().relative_to(page_folder.resolve()).as_posix()
    except ValueError:
        rel = path.resolve().as_uri()
    quoted = "/".join(_quote(part) for part in rel.split("/")) if not rel.startswith("file:") else rel
    return f"{quoted}?v={version}" if version else quoted


def _quote(part: str) -> str:
    from urllib.parse import quote

    return quote(part, errors="surrogateescape")  # a byte that is not UTF-8: %FF, as the file system has it


def write_live_gallery(out_root: Path, decks: Sequence[GalleryDeck], version: str) -> Path:
    """OUT/index.html and OUT/index-version.js (written second: a reload finds the new page)."""
    page = write_file(out_root / "index.html", gallery_html(decks, title="cardgen watch", version=version))
    # Whole, never half-written, when the page polls it (each file is replaced in one rename).
    write_file(out_root / VERSION_SCRIPT, f"window.cardgenVersion = {json.dumps(version)};\n")
    return page


class PreviewPage:
    """`cardgen preview`'s gallery: one file, the full-size slides embedded, for a pull request.

    Streamed: `add` each slide's PNG as it is painted; only that slide is held at a time. The
    file replaces `path` when the block ends without error, and is left as it was otherwise."""

    def __init__(self, path: Path, deck: str, title: str, count: int, warnings: Sequence[str]) -> None:
        self.path = path
        self.deck = GalleryDeck(
            deck, (), (), tuple(warnings), count_slides(count), tuple(f"{i:02d}" for i in range(1, count + 1))
        )
        self.title = f"{title} ({deck})"
        self.added = 0
        self._writing = writing(path)
        self._file: Any = None

    def __enter__(self) -> PreviewPage:
        self._file = self._writing.__enter__()
        self._write(_page_head(self.title, None) + "\n" + _deck_head(self.deck))
        return self

    def add(self, png: bytes) -> None:
        self.added += 1
        self._write("\n" + _slide(self.deck, self.added, data_url(png)))

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        if kind is None:
            self._write(f"\n{_DECK_END}\n{_PAGE_END}")
        self._writing.__exit__(kind, exc, tb)

    def _write(self, text: str) -> None:
        self._file.write(text.encode("utf-8"))
