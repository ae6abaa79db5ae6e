"""A deck's output folder ↔ its manifest: what went into the slides (hashed) and what came out.

Input: a rendered deck's inputs (the deck file, every theme file of the chain, every font file
its text could use, every picture), cardgen's version and code, the options, and the slides on
disk. Output: one small JSON file per output folder, and `is_current()`, which says whether
rendering again would give the same slides, so that an unchanged deck is skipped.

Where manifests live: in cardgen's cache folder (`$CARDGEN_CACHE_DIR`, else the platform's user
cache folder from platformdirs: `~/.cache/cardgen` on Linux), one file per output folder, named by a hash
of that folder's absolute path. Not inside the slides folder: that folder is what a user drags
into VK or Telegram, so it holds slides (and the user's own files) only.

Safety without atomicity: the manifest is written after the slides are swapped in, and it
records each written file (slides by their path in the folder, "album-2/11.png", and caption
files) with its size and modification time. A manifest that does not describe the folder
on disk (a crash between the two, another writer, a slide edited or deleted by hand) only means
that the deck renders again. The check imports nothing heavy (no Pillow, HarfBuzz or pydantic):
it re-hashes the recorded input files and compares.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import stat
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cardgen import __version__
from cardgen.base.caches import cache_dir, memo
from cardgen.base.files import write_file
from cardgen.model.problems import CardgenError

if TYPE_CHECKING:
    from cardgen.layout.laid import LaidOutDeck

FORMAT = 2  # 2: slide names relative to the folder ("album-2/11.png"), caption files recorded
MAX_MANIFESTS = 2000  # above this, manifests of output folders that no longer exist are pruned
# An input modified this close to (or after) the render's start may not be what the render read:
# the manifest is then not written and the deck renders again next time. File times are coarse
# (a clock tick, up to 10 ms), hence the margin.
MTIME_MARGIN_NS = 20_000_000
# Packages whose version changes pixels: rasterising, shaping, hyphenation, QR codes, clusters.
PIXEL_PACKAGES = {
    "PIL": "pillow",
    "uharfbuzz": "uharfbuzz",
    "pyphen": "pyphen",
    "segno": "segno",
    "regex": "regex",
    "fontTools": "fonttools",
}  # fontTools: the instances of a theme's variable fonts


def manifest_path(out_dir: Path, cache: Path | None = None) -> Path:
    key = hashlib.sha256(str(Path(out_dir).absolute()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return (cache or cache_dir()) / "manifests" / f"{key}.json"


@memo()
def code_digest() -> str:
    """A stamp of cardgen's own source: an editable install changes code without a new version."""
    return source_digest(Path(__file__).resolve().parent.parent)


def source_digest(root: Path) -> str:
    """A hash of the name, size, modification time and inode of every *.py file under `root`.

    What git's index and `Hasher` trust to tell a file changed: an edit, a checkout or a new
    install changes them all. Reading and hashing cardgen's ~100 source files instead took
    ~13 ms of every render; a same-size edit that kept its file's time to the nanosecond would
    go unseen, which an editor, git and pip never do."""
    entries = []
    for path in sorted(root.rglob("*.py")):
        try:
            info = os.stat(path)
        except OSError:
            continue
        entries.append((path.relative_to(root).as_posix(), info.st_size, info.st_mtime_ns, info.st_ino))
    return hashlib.sha256(repr(entries).encode()).hexdigest()[:16]


@memo()
def package_versions() -> dict[str, str]:
    """Versions of the packages that draw, read from their .dist-info folder names (no import)."""
    listings: dict[Path, list[str]] = {}
    out = {}
    for module, dist in PIXEL_PACKAGES.items():
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            spec = None
        version = "unknown"
        if spec is not None and spec.origin:
            site = Path(spec.origin).parent.parent if spec.submodule_search_locations else Path(spec.origin).parent
            names = listings.setdefault(site, _listdir(site))
            prefix = f"{dist}-".lower()
            for name in names:
                low = name.lower().replace("_", "-")
                if low.startswith(prefix) and low.endswith(".dist-info"):
                    version = name[len(prefix) : -len(".dist-info")]
                    break
        out[dist] = version
    return out


def _listdir(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def stamp(options: Mapping[str, Any]) -> dict[str, Any]:
    """Everything besides input files that changes the slides: versions, code and options."""
    return {
        "format": FORMAT,
        "cardgen": __version__,
        "code": code_digest(),
        "packages": package_versions(),
        "options": dict(sorted(options.items())),
    }


class Hasher:
    """File → SHA-256, each file read once per process while it stays the same (fifty decks
    share one set of fonts; a watch session re-reads only what was saved).

    With a `store` (a JSON file in the cache folder), digests also outlive the process, keyed by
    the file's size, modification time and inode, as git's index does: the 19 MB of fonts a
    deck depends on are not read again on every run (~20 ms). Only a file that has not changed
    for `STABLE_NS` is stored, so a file saved again within one clock tick is never taken for
    the old one. A lost or damaged store only means hashing again.
    """

    STABLE_NS = 2_000_000_000
    MAX_ENTRIES = 4000

    def __init__(self, store: Path | None = None) -> None:
        self._known: dict[str, tuple[tuple[int, int, int], str]] = {}
        self._store = store
        self._stored: dict[str, list[Any]] | None = None
        self._dirty = False

    def digest(self, path: str) -> str | None:
        """The file's hash, or None when there is no such file (or it cannot be read)."""
        try:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode):
                return None
            key = (info.st_size, info.st_mtime_ns, info.st_ino)
            known = self._known.get(path)
            if known is not None and known[0] == key:
                return known[1]
            stored = self._from_store(path, key)
            if stored is not None:
                self._known[path] = (key, stored)
                return stored
            with open(path, "rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError:
            return None
        self._known[path] = (key, digest)
        if self._store is not None and time.time_ns() - info.st_mtime_ns > self.STABLE_NS:
            self._stored = self._stored if self._stored is not None else self._load()
            self._stored[path] = [*key, digest]
            self._dirty = True
        return digest

    def _from_store(self, path: str, key: tuple[int, int, int]) -> str | None:
        if self._store is None:
            return None
        if self._stored is None:
            self._stored = self._load()
        entry = self._stored.get(path)
        if isinstance(entry, list) and len(entry) == 4 and tuple(entry[:3]) == key and isinstance(entry[3], str):
            return entry[3]
        return None

    def _load(self) -> dict[str, list[Any]]:
        try:
            data = json.loads(self._store.read_text(encoding="utf-8"))  # type: ignore[union-attr]
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def save(self) -> None:
        """Write the store if this process hashed something new (atomically; a cache, so the
        last of several writers wins and nothing breaks)."""
        if not self._dirty or self._store is None or self._stored is None:
            return
        entries = self._stored
        if len(entries) > self.MAX_ENTRIES:  # temporary folders come and go: keep what exists
            entries = {p: e for p, e in entries.items() if os.path.exists(p)}
        try:  # ASCII: a path that is not UTF-8 (kept as surrogates) is written as an escape
            write_file(self._store, json.dumps(entries, ensure_ascii=True))
        except CardgenError:
            return  # a read-only cache: hashing stays per process
        self._dirty = False


def hash_store(cache: Path | None = None) -> Path:
    return (cache or cache_dir()) / "file-hashes.json"


def read(out_dir: Path, cache: Path | None = None) -> dict[str, Any] | None:
    try:
        data = json.loads(manifest_path(out_dir, cache).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("out_dir") == str(Path(out_dir).absolute()) else None


def is_current(manifest: Mapping[str, Any] | None, deck: Path, options: Mapping[str, Any], hasher: Hasher) -> bool:
    """Would rendering `deck` again give the slides this manifest describes?"""
    if not manifest or manifest.get("deck") != str(_absolute(deck)) or manifest.get("stamp") != stamp(options):
        return False
    out_dir = Path(manifest["out_dir"])
    for slide in [*manifest.get("slides", []), *manifest.get("extras", [])]:
        try:
            info = os.stat(out_dir / slide["name"])
        except OSError:
            return False
        if info.st_size != slide["size"] or info.st_mtime_ns != slide["mtime_ns"]:
            return False
    # Absent files are recorded too (None): a themes/NAME.yaml added beside the deck must win.
    return all(hasher.digest(path) == digest for path, digest in manifest.get("inputs", {}).items())


def write(
    out_dir: Path,
    deck: Path,
    options: Mapping[str, Any],
    inputs: Mapping[str, str | None],
    slides: Iterable[Path],
    warnings: list[dict[str, Any]],
    started_ns: int,
    cache: Path | None = None,
    extras: Iterable[Path] = (),
) -> bool:
    """Record a finished render → True, or False when it must not be trusted or cannot be saved.

    `inputs` maps absolute paths to their hashes (None: the file must stay absent). Nothing is
    written when an input changed while the deck rendered; the next run renders it again.
    `slides` and `extras` (caption files) are recorded by their path relative to `out_dir`
    ("album-2/11.png"), so slides in album folders are found again and counted as cardgen's.
    """
    for path, digest in inputs.items():
        try:
            if digest is not None and os.stat(path).st_mtime_ns >= started_ns - MTIME_MARGIN_NS:
                return False
        except OSError:
            return False
    records = _records(out_dir, slides)
    extra_records = _records(out_dir, extras)
    if records is None or extra_records is None:
        return False
    data = {
        "out_dir": str(Path(out_dir).absolute()),
        "deck": str(_absolute(deck)),
        "stamp": stamp(options),
        "inputs": dict(sorted(inputs.items())),
        "slides": records,
        "extras": extra_records,
        "warnings": warnings,
        "written": time.time(),
    }
    target = manifest_path(out_dir, cache)
    try:  # readers see the old manifest or the new one, never half; paths not in UTF-8 as escapes
        write_file(target, json.dumps(data, ensure_ascii=True, indent=1))
    except CardgenError:
        return False  # a read-only home: incremental rendering is off, nothing else changes
    _prune(target.parent)
    return True


def _records(out_dir: Path, files: Iterable[Path]) -> list[dict[str, Any]] | None:
    """Files → {name relative to out_dir, size, modification time}; None when one is missing."""
    records = []
    for path in files:
        try:
            info = os.stat(path)
        except OSError:
            return None
        name = Path(os.path.relpath(path, out_dir)).as_posix()
        records.append({"name": name, "size": info.st_size, "mtime_ns": info.st_mtime_ns})
    return records


def other_deck(manifest: Mapping[str, Any] | None, deck: Path) -> Path | None:
    """The deck that wrote the slides of a folder `deck` is about to write, when it is another
    one that still exists (two `post.yaml`s rendered in turn into one -o), else None."""
    recorded = manifest.get("deck") if manifest else None
    if not isinstance(recorded, str) or recorded == str(_absolute(deck)):
        return None
    if not os.path.isfile(recorded) or not owned_slides(manifest):
        return None  # a deck that was moved or renamed: its new place takes its folder over
    return Path(recorded)


def owned_slides(manifest: Mapping[str, Any] | None) -> frozenset[str] | None:
    """The relative paths cardgen wrote into the folder last time (None: no manifest to go by).

    A file counts only while it is as cardgen left it (the recorded size and modification time):
    a picture of the user's saved over `04.png` is the user's now, and stays when the deck
    shrinks. (A slide that still carries cardgen's mark is cardgen's anyway; see `export`.)
    """
    if not manifest:
        return None
    folder = Path(str(manifest.get("out_dir", "")))
    names = [
        str(record["name"])
        for key in ("slides", "extras")
        for record in manifest.get(key, [])
        if _as_recorded(folder / str(record["name"]), record)
    ]
    stamp_ = manifest.get("stamp")
    if isinstance(stamp_, dict) and stamp_.get("format", 1) < 2:
        # Format 1 recorded "11.png" for album-2/11.png, and no caption files: widen it to every
        # album folder the slides could have been in, and their captions.
        base = [n for n in names if "/" not in n] + ["caption.txt"]
        names += [f"album-{k}/{n}" for k in range(1, len(base) + 1) for n in base]
        names.append("caption.txt")
    return frozenset(names)


def _as_recorded(path: Path, record: Mapping[str, Any]) -> bool:
    try:
        info = os.stat(path)
    except OSError:
        return True  # gone: nothing of anyone's to keep
    return info.st_size == record.get("size") and info.st_mtime_ns == record.get("mtime_ns")


def _prune(folder: Path) -> None:
    """Tests and temporary folders leave manifests behind: drop those whose folder is gone."""
    try:
        entries = list(os.scandir(folder))
        if len(entries) <= MAX_MANIFESTS:
            return
        for entry in entries:
            try:
                out_dir = json.loads(Path(entry.path).read_text(encoding="utf-8")).get("out_dir", "")
            except (OSError, ValueError, AttributeError):
                out_dir = ""
            if not out_dir or not os.path.isdir(out_dir):
                os.unlink(entry.path)
    except OSError:
        pass


def _absolute(path: Path) -> Path:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(path).absolute()


def deck_inputs(laid: LaidOutDeck, theme_override: str | None) -> dict[str, bool]:
    """Every file a laid-out deck's slides depend on → True (must exist) or False (must stay absent).

    Fonts: every face of every text role's chains, fallbacks included, since adding a glyph to
    any of them can move a cluster to it. Pictures: every image a page draws and every image a
    card names. Themes: the files of the `extends:` chain, and the candidates looked at before
    each (a `themes/NAME.yaml` created beside the deck would take over a built-in theme).
    """
    from cardgen.load.fonts import font_source

    files: dict[str, bool] = {str(laid.deck.path): True}
    loaded = laid.theme.files if laid.theme is not None else None  # the render's own theme: not loaded again
    for path, exists in theme_files(theme_override or laid.deck.theme, laid.deck.folder, loaded):
        files[str(path)] = exists
    for card in laid.cards:
        for style in card.styles.values():
            fonts = style.fonts
            for chain in (fonts.regular, fonts.bold, fonts.italic, fonts.bold_italic):
                # a theme's own font by the file it names, not the instance made of it in the cache
                files.update((str(font_source(face.path)), True) for face in chain.faces)
                files.update((str(path), True) for path in chain.fallbacks)
        files.update((str(path), True) for path in card.pictures())
    for page in laid.pages:
        files.update((str(picture.path), True) for picture in page.pictures())
        for text in page.text_boxes():
            files.update((str(font_source(g.font)), True) for line in text.lines for g in line.glyphs)
    return files


def theme_files(name: str | None, deck_folder: Path, chain: tuple[Path, ...] | None = None) -> list[tuple[Path, bool]]:
    """The theme chain's files (True) and the candidates found missing before each (False).
    `chain`: the files of the theme as loaded (`Theme.files`), when the caller has it.

    Mirrors `theme.find_theme`'s lookup order: a path (against the deck's folder, or the folder
    of the theme that extends it); else themes/NAME.yaml and .yml beside the deck (or beside the
    theme that extends it), then in the project's themes/, then the built-in theme.
    """
    from cardgen.load.reader import read_yaml
    from cardgen.load.theme import (
        DEFAULT_THEME,
        builtin_theme_dir,
        extends_folder,
        is_theme_path,
        load_theme,
        theme_folders,
    )

    if chain is None:
        chain = load_theme(name, deck_folder).files
    out: list[tuple[Path, bool]] = []
    wanted, base = name or DEFAULT_THEME, deck_folder
    for path in chain:
        if not is_theme_path(wanted):
            candidates = [
                folder / f"{wanted}{suffix}" for folder in theme_folders(base) for suffix in (".yaml", ".yml")
            ]
            for candidate in (*candidates, builtin_theme_dir() / f"{wanted}.yaml"):
                if candidate.resolve() == path:
                    break
                out.append((candidate.absolute(), False))
        out.append((path, True))
        parent = read_yaml(path).data.get("extends")
        if not isinstance(parent, str):
            break
        wanted, base = parent, extends_folder(path)  # a path in extends: is found by find_theme's own rule
    return out
