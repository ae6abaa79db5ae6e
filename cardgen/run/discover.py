"""Command-line PATHs → the decks to render and the folder each one writes to.

Input: the PATH arguments of `render`, `check` and `watch` (deck files, folders searched
recursively, glob patterns), the output root and an optional shard "I/N". Output: an ordered
list of `Target`s (deck path as the user wrote it, output folder), or a `UsageError` (exit 2)
naming the argument that found nothing.

Deliberately light: no YAML parser, Pillow or pydantic is imported, so that a run where nothing
changed stays fast. A folder's deck files are recognised by a top-level `cards:` line rather than
by parsing, so a deck with a YAML syntax error is still found (and its error reported) instead of
being skipped in silence.

Folders and glob patterns are searched by one walk with one set of rules (`_walk`): hidden
folders, `themes/`, `node_modules/` and the output folder are skipped, and a symbolic link to a
folder is never followed (only a folder named on the command line is entered, link or not), so
a link cannot lead the search out of the project, and a link loop cannot make it endless. A
pattern is matched against the paths the walk finds (`*`, `?`, `[…]` within a name, `**` for
any number of folders), never by Python's `glob`, which follows links.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cardgen.output.slides import safe_stem
from cardgen.base.files import open_regular
import itertools

DECK_SUFFIXES = (".yaml", ".yml")
# Folders never searched: theme files are not decks; hidden folders hold tools' state (.git, .venv).
SKIPPED_FOLDERS = {"themes", "__pycache__", "node_modules"}
_CARDS_KEY = re.compile(r"""^["']?cards["']?[ \t]*:|[{,][ \t]*["']?cards["']?[ \t]*:""", re.M)
_GLOB_CHARS = re.compile(r"[*?\[]")
HEAD_BYTES = 1_000_000  # a deck is at most this big (Limits.yaml_bytes); larger files fail later


class UsageError(Exception):
    """A command line that cannot be run as written: the CLI prints it and exits 2."""


@dataclass(frozen=True, slots=True)
class Target:
    """One deck to render: its file (as written on the command line) and its output folder."""

    deck: Path
    out_dir: Path


def is_deck_file(path: Path) -> bool:
    """A YAML file whose top-level mapping has `cards:` (a theme or a config file has none)."""
    if path.suffix.lower() not in DECK_SUFFIXES:
        return False
    try:
        with open_regular(path) as handle:  # a FIFO named deck.yaml must not block the search
            head = handle.read(HEAD_BYTES)
    except (OSError, ValueError):
        return False
    return bool(_CARDS_KEY.search(head.decode("utf-8", errors="replace")))


def find_decks(args: Sequence[str], out_root: Path | None = None) -> list[Path]:
    """PATH arguments → deck files, in argument order (a folder's in sorted order), no repeats.

    A file named on the command line is always taken as a deck (a missing one too: rendering
    reports "file not found" with exit 1, like any broken deck). A folder or a glob that finds
    no deck file is a usage error.
    """
    found: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            decks = list(_scan(path, out_root))
            if not decks:
                raise UsageError(
                    f"{arg}: no deck files in this folder (*.yaml or *.yml with a top-level cards: key; "
                    "themes/ folders are skipped)"
                )
            found += decks
        elif path.exists() or not _GLOB_CHARS.search(arg):
            found.append(path)
        else:
            decks = list(_glob(arg, out_root))
            if not decks:
                raise UsageError(f"{arg}: the pattern matches no deck files")
            found += decks
    return _unique(found)


def _scan(folder: Path, out_root: Path | None) -> Iterable[Path]:
    """The deck files in `folder` and its subfolders, in sorted order (see the module doc)."""
    for here, _, files in _walk(folder, out_root):
        for name in files:
            path = here / name
            if is_deck_file(path):
                yield path


def _walk(
    top: Path,
    out_root: Path | None,
    descend: Callable[[tuple[str, ...]], bool] = lambda parts: True,
) -> Iterator[tuple[Path, list[str], list[str]]]:
    """(folder, its subfolders, its files) from `top` down, sorted, by the rules of the module doc.

    `descend(parts)`: whether a subfolder (its path below `top`, as parts) can hold anything
    wanted. Links to folders are listed among the files, never entered."""
    skip = out_root.resolve() if out_root is not None else None
    for here, dirs, files in os.walk(top):  # followlinks=False: a linked folder is not entered
        base = Path(here)
        rel = base.relative_to(top).parts
        links = [d for d in dirs if os.path.islink(os.path.join(here, d))]
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in links
            and not d.startswith(".")
            and d not in SKIPPED_FOLDERS
            and (skip is None or _real(base / d) != skip)
            and descend((*rel, d))
        )
        yield base, list(dirs), sorted([*files, *links])


def _glob(pattern: str, out_root: Path | None) -> Iterator[Path]:
    """Deck files a glob pattern names: matching files, and the decks in matching folders."""
    top, parts = _split_pattern(pattern)
    if not parts:
        return
    match = functools.partial(_matches, tuple(parts))
    for here, dirs, files in _walk(top, out_root, functools.partial(_may_hold, tuple(parts))):
        rel = here.relative_to(top).parts
        for name in sorted([*dirs, *files]):  # in name order, as a sorted glob listed them
            path = here / name
            if not match((*rel, name)):
                continue
            if name in dirs:
                yield from _scan(path, out_root)
            elif not path.is_dir() and is_deck_file(path):
                yield path


def _split_pattern(pattern: str) -> tuple[Path, list[str]]:
    """ "decks/**/*.yaml" → (decks, ["**", "*.yaml"]): the folder before the first glob character."""
    parts = [p for p in re.split(r"[/\\]", pattern) if p not in ("", ".")]
    fixed: list[str] = []
    for part in parts:
        if _GLOB_CHARS.search(part):
            break
        fixed.append(part)
    top = Path(pattern[:1] if pattern[:1] in ("/", "\\") else ".").joinpath(*fixed)
    return top, parts[len(fixed) :]


def _matches(pattern: tuple[str, ...], parts: tuple[str, ...]) -> bool:
    """Whether a path (as parts below the pattern's folder) matches the pattern's parts."""

    @functools.cache
    def at(i: int, j: int) -> bool:
        if i == len(pattern):
            return j == len(parts)
        if pattern[i] == "**":
            return at(i + 1, j) or (j < len(parts) and not parts[j].startswith(".") and at(i, j + 1))
        return j < len(parts) and _name_matches(pattern[i], parts[j]) and at(i + 1, j + 1)

    return at(0, 0)


def _may_hold(pattern: tuple[str, ...], parts: tuple[str, ...]) -> bool:
    """Whether a folder (as parts) can hold a match: its path agrees with the pattern so far."""
    for i, part in enumerate(parts):
        if i >= len(pattern):
            return False
        if pattern[i] == "**":
            return True
        if not _name_matches(pattern[i], part):
            return False
    return True


def _name_matches(pattern: str, name: str) -> bool:
    """One name against one part of a pattern; as in a shell, `*` does not match a leading dot."""
    return fnmatch.fnmatchcase(name, pattern) and (not name.startswith(".") or pattern.startswith("."))


def _unique(paths: Iterable[Path]) -> list[Path]:
    seen: set[Path] = set()
    out = []
    for path in paths:
        key = _real(path)
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def assign_outputs(decks: Sequence[Path], out_root: Path) -> list[Target]:
    """Each deck → OUT/<stem>/; decks sharing a stem → OUT/<folder>/<stem>/ each.

    The folder is the deck's folder relative to the folder the colliding decks have in common
    (`a/post.yaml`, `b/post.yaml` → OUT/a/post/, OUT/b/post/), so a deck whose stem is unique
    always keeps OUT/<stem>/, however many decks run. Names are compared without case (two
    folders "Post" and "post" are one folder on macOS and Windows).
    """
    by_name: dict[str, list[int]] = {}
    for i, deck in enumerate(decks):
        by_name.setdefault(safe_stem(deck.stem).casefold(), []).append(i)
    outs: list[Path] = [out_root / safe_stem(deck.stem) for deck in decks]
    for indexes in by_name.values():
        if len(indexes) < 2:
            continue
        parents = [_real(decks[i]).parent for i in indexes]
        common = Path(os.path.commonpath(parents))
        for i, parent in zip(indexes, parents, strict=True):
            parts = [safe_stem(part) for part in parent.relative_to(common).parts]
            outs[i] = out_root.joinpath(*parts, safe_stem(decks[i].stem))
    _refuse_overlaps(decks, outs)
    return [Target(deck, out) for deck, out in zip(decks, outs, strict=True)]


def _refuse_overlaps(decks: Sequence[Path], outs: Sequence[Path]) -> None:
    """Two decks may not write one folder, nor one inside the other (a swap would carry it away)."""
    keys = [tuple(part.casefold() for part in out.parts) for out in outs]
    order = sorted(range(len(keys)), key=lambda i: keys[i])
    for a, b in itertools.pairwise(order):
        if keys[b][: len(keys[a])] == keys[a]:
            raise UsageError(
                f"{decks[a]} and {decks[b]} would write to {outs[a]} and {outs[b]}; "
                "rename one of them or render them with separate -o folders"
            )


def parse_shard(text: str) -> tuple[int, int]:
    """ "2/4" → (2, 4); anything else is a usage error that says what is expected."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise UsageError(f'--shard: expected I/N with 1 <= I <= N, such as "1/4"; found "{text}"')
    return int(match.group(1)), int(match.group(2))


def shard_key(deck: Path) -> str:
    """The deck's path relative to the working folder, with "/": the same on every CI runner."""
    real = _real(deck)
    try:
        return real.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return real.as_posix()


def select_shard(targets: Sequence[Target], shard: tuple[int, int]) -> list[Target]:
    """Shard I of N: the decks sorted by path, every N-th starting at the I-th (command order kept).

    Round-robin over the sorted paths keeps shards within one deck of each other in size, and
    every runner of a CI matrix computes the same split from the same arguments.
    """
    index, count = shard
    ranked = sorted(range(len(targets)), key=lambda i: shard_key(targets[i].deck))
    chosen = {i for rank, i in enumerate(ranked) if rank % count == index - 1}
    return [t for i, t in enumerate(targets) if i in chosen]


def plan_targets(
    args: Sequence[str], out_root: Path, shard: tuple[int, int] | None = None, *, writes: bool = True
) -> tuple[list[Target], int]:
    """PATHs → (this shard's targets, the number of decks before sharding).

    Output folders are assigned before sharding, so a deck's folder never depends on the shard.
    `writes=False` (`check`): nothing is written, so decks sharing a stem need no folders of their own.
    """
    decks = find_decks(args, out_root)
    targets = assign_outputs(decks, out_root) if writes else [Target(d, out_root / safe_stem(d.stem)) for d in decks]
    total = len(targets)
    return (select_shard(targets, shard) if shard else targets), total
