"""A deck's typographed texts kept between runs: `<cache>/typograph/<deck key>.json`.

The typograph (`cardgen.text.typograph`) compiles some fifty regular expressions, about 30 ms on
this project's machine, the first time its rules run in a process: a tenth of a whole 7-card
render. A deck rendered again (`--force`, `watch` after an edit to one card, CI after a theme
change) mostly has the texts it had. `load` hands their results to the typograph before the deck
is resolved, so only new texts run the rules; `save` keeps what the deck used this time.

Each file holds one deck's texts only (keyed by the deck file's absolute path), so reading it
costs what the deck's text costs. It is valid for one typograph: a digest of the typograph's
source files and the `regex` version it ran with; another cardgen or regex sets every text
again. Nothing in the file is trusted but strings: a missing, damaged, foreign or oversized file
only means setting the texts again. Like every file in the cache folder, deleting it is safe.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import regex

from cardgen.base.caches import cache_dir, memo
from cardgen.base.files import OutputError, write_file
from cardgen.text import typograph, typograph_rules

FOLDER = "typograph"
MAX_FILE_BYTES = 2_000_000  # a deck's texts: at most 100 cards of 5 000 characters, twice over
MAX_FILES = 2000  # then the files of decks not rendered for the longest are removed


@memo()
def typograph_key() -> str:
    """What the results depend on besides the text: the typograph's code and the regex engine."""
    digest = hashlib.sha256(getattr(regex, "__version__", "?").encode())
    for module in (typograph, typograph_rules):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()[:16]


def store_path(deck: Path, cache: Path | None = None) -> Path:
    key = hashlib.sha256(str(Path(deck).absolute()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return (cache or cache_dir()) / FOLDER / f"{key}.json"


def load(deck: Path, cache: Path | None = None) -> int:
    """The deck's texts as the last run set them → the typograph (`typograph.remember`); how many.
    Starts recording the texts this run uses (`typograph.recorded`)."""
    typograph.recorded(clear=True)
    results = _read(store_path(deck, cache))
    typograph.remember(results)
    return len(results)


def save(deck: Path, cache: Path | None = None) -> bool:
    """Keep the texts the deck used since `load` (when they differ from the file's); whether written."""
    used = typograph.recorded(clear=True)
    path = store_path(deck, cache)
    if not used or sorted(_read(path)) == used:
        return False
    document = {"typograph": typograph_key(), "texts": [list(entry) for entry in used]}
    try:
        write_file(path, json.dumps(document, ensure_ascii=False, separators=(",", ":")))
    except (OSError, OutputError):  # a cache that cannot be written only means setting the texts again
        return False
    _prune(path.parent)
    return True


def _read(path: Path) -> list[tuple[str, str, str]]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return []
        document: Any = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return []
    if not isinstance(document, dict) or document.get("typograph") != typograph_key():
        return []
    texts = document.get("texts")
    if not isinstance(texts, list):
        return []
    return [
        (entry[0], entry[1], entry[2])
        for entry in texts
        if isinstance(entry, list) and len(entry) == 3 and all(isinstance(part, str) for part in entry)
    ]


def _prune(folder: Path) -> None:
    """At most MAX_FILES files: those of the decks rendered longest ago go first."""
    try:
        names = os.listdir(folder)
        if len(names) <= MAX_FILES:
            return
        files = sorted((folder / name for name in names), key=lambda p: p.stat().st_mtime)
        for path in files[: len(files) - MAX_FILES]:
            path.unlink(missing_ok=True)
    except OSError:
        pass
