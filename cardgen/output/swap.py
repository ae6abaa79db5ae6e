"""A staging folder of new slides → the deck's slides folder, whole, under a lock, without moving
or copying a file cardgen did not write; and the recovery of a swap a killed process left half done.

Input: the slides folder (OUT/<stem>), a private staging folder beside it holding every new file,
and which files in the slides folder are cardgen's (`ownership`: the manifest's record and
cardgen's mark, see `export`). Output: the slides folder holding the new files, the user's own
files untouched, and a retired folder of the old slides for the caller to delete.

Two ways, chosen under an exclusive lock on the parent folder (`locked`):
- the folder holds cardgen's files only (the usual case): two renames swap the folders, so a
  reader sees the old slides or the new ones, never a mix;
- it also holds the user's files (a note, a picture): those never move. cardgen's old files
  are moved out into the retired folder, then the new ones moved in, one rename each. A file of
  the user's saved meanwhile stays where it was saved.

Every swap writes a journal into its retired folder (`.<stem>.<pid>.<token>.old/journal.json`)
before its first rename, and marks it done after the last. The next writer of the folder
(`recover`, under the lock) finds what a killed process left: a swap cut short is undone (the
old slides are put back, whole), a finished one is cleaned up, and a staging folder is removed.
A file of the user's that landed in a retired folder (saved into the slides folder in the
instant between the two renames) is moved back, never deleted.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from cardgen.model.problems import CardgenError, Where
from cardgen.base.files import write_file

try:  # POSIX; elsewhere swaps are not locked (a second writer may fail, never mix)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

JOURNAL = "journal.json"
DONE = "done"
OLD = "slides"  # the retired folder's copy of the slides folder (or of cardgen's files in it)


def check_target(out_dir: Path) -> None:
    """A file or a symbolic link where the slides folder goes is the user's: never replace it."""
    try:
        mode = os.lstat(out_dir).st_mode  # one look: another writer may swap the folder meanwhile
    except FileNotFoundError:
        return
    except OSError:
        return  # e.g. a parent that is a file: creating the folder reports it
    if stat.S_ISLNK(mode):
        raise CardgenError("is a symbolic link; cardgen replaces only folders it wrote itself", Where(out_dir))
    if not stat.S_ISDIR(mode):
        raise CardgenError("exists and is not a folder; remove it or choose another -o/--out", Where(out_dir))


def private_dir(out_dir: Path, kind: str) -> Path:
    """A new hidden folder beside `out_dir`, named after this process (mkdir: never an existing one)."""
    path = out_dir.parent / f".{out_dir.name}.{os.getpid()}.{os.urandom(4).hex()}.{kind}"
    path.mkdir()
    return path


def install(
    staging: Path, out_dir: Path, ours: Sequence[str], foreign: Sequence[str], new: Sequence[str]
) -> Path | None:
    """Put the files of `staging` (relative paths `new`) in `out_dir`; call under the lock.

    `ours`: the files cardgen wrote there before (they go); `foreign`: the user's (they stay,
    where they are). → the retired folder, for `discard` (None when `out_dir` did not exist).
    """
    if not os.path.lexists(out_dir):
        os.replace(staging, out_dir)
        return None
    retired = private_dir(out_dir, "old")
    mode = "files" if foreign else "folder"
    _write_journal(retired, {"mode": mode, "staging": staging.name, "old": list(ours), "new": list(new)})
    if mode == "folder":
        os.replace(out_dir, retired / OLD)
        try:
            os.replace(staging, out_dir)
        except BaseException:
            os.replace(retired / OLD, out_dir)  # put the previous slides back
            raise
        _rescue_late_files(retired, out_dir, ours)
    else:
        for rel in ours:
            _move(out_dir / rel, retired / OLD / rel)
        for rel in new:
            _move(staging / rel, out_dir / rel)
        _remove_empty_folders(out_dir, ours)
        shutil.rmtree(staging, ignore_errors=True)
    (retired / DONE).touch()
    return retired


def discard(retired: Path | None) -> None:
    """Delete cardgen's old files from a retired folder (outside the lock: they may be large),
    then the folder, unless a file of the user's is still in it (see `_rescue_late_files`)."""
    if retired is None:
        return
    for rel in _read_journal(retired).get("old", []):
        try:
            os.unlink(retired / OLD / rel)
        except OSError:
            pass
    if not _files_under(retired / OLD):
        shutil.rmtree(retired, ignore_errors=True)


def recover(out_dir: Path) -> None:
    """Finish what killed cardgen processes left beside `out_dir`; call under the lock.

    Only folders of processes that are gone are touched: a live writer's staging folder is its own.
    """
    prefix = f".{out_dir.name}."
    try:
        entries = sorted(out_dir.parent.iterdir())
    except OSError:
        return
    leftovers: dict[str, dict[str, Path]] = {}
    for entry in entries:
        name = entry.name
        if not name.startswith(prefix) or entry.is_symlink() or not entry.is_dir():
            continue
        parts = name[len(prefix) :].split(".")
        if len(parts) != 3 or not parts[0].isdigit() or parts[2] not in ("tmp", "old") or _alive(int(parts[0])):
            continue
        leftovers.setdefault(f"{parts[0]}.{parts[1]}", {})[parts[2]] = entry
    for found in leftovers.values():
        if "old" in found:
            _recover_swap(found["old"], out_dir, found.get("tmp"))
        if "tmp" in found:
            shutil.rmtree(found["tmp"], ignore_errors=True)


def _recover_swap(retired: Path, out_dir: Path, staging: Path | None) -> None:
    """One retired folder of a dead process: undo a swap cut short, or clean up a finished one."""
    journal = _read_journal(retired)
    old = retired / OLD
    if not (retired / JOURNAL).exists() and os.path.lexists(out_dir):
        shutil.rmtree(retired, ignore_errors=True)  # an older cardgen's finished swap: copies only
        return
    if journal.get("mode") == "files" and not (retired / DONE).exists():
        _undo_files(retired, out_dir, staging, journal)
    elif old.is_dir() and not os.path.lexists(out_dir):
        os.replace(old, out_dir)  # killed between the two renames: the previous slides, whole
    elif journal.get("mode") == "folder":
        _rescue_late_files(retired, out_dir, journal.get("old", []))
    discard(retired)


def _undo_files(retired: Path, out_dir: Path, staging: Path | None, journal: dict) -> None:
    """A file-by-file swap cut short: the new files that went in go, the old ones come back."""
    old, new = set(journal.get("old", [])), journal.get("new", [])
    for rel in new:
        moved_in = staging is None or not os.path.lexists(staging / rel)
        # Old files all left before the first new one came in: a name still held by an old
        # file (not yet moved out) means no new file came in under it.
        if moved_in and (rel not in old or os.path.lexists(retired / OLD / rel)):
            try:
                os.unlink(out_dir / rel)
            except OSError:
                pass
    for rel in _files_under(retired / OLD):
        if not os.path.lexists(out_dir / rel):
            _move(retired / OLD / rel, out_dir / rel)


def _rescue_late_files(retired: Path, out_dir: Path, ours: Iterable[str]) -> None:
    """Files in the retired folder that cardgen did not list as its own arrived during the swap:
    the user's, saved into the slides folder in the instant between the renames. They move to
    the slides folder (never deleted); one whose name is taken there stays in the retired folder."""
    known = set(ours)
    for rel in _files_under(retired / OLD):
        if rel not in known and not os.path.lexists(out_dir / rel):
            _move(retired / OLD / rel, out_dir / rel)


def _files_under(folder: Path) -> list[str]:
    """Every file (and link) below `folder`, as relative paths with "/"."""
    out: list[str] = []
    if not folder.is_dir() or folder.is_symlink():
        return out
    for here, dirs, files in os.walk(folder):
        base = Path(here).relative_to(folder)
        for name in [*files, *(d for d in dirs if os.path.islink(os.path.join(here, d)))]:
            out.append((base / name).as_posix())
    return sorted(out)


def _move(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


def _remove_empty_folders(out_dir: Path, ours: Iterable[str]) -> None:
    """Album folders emptied of cardgen's old slides go; one holding a file of the user's stays."""
    for folder in sorted({str(Path(rel).parent) for rel in ours} - {"."}, reverse=True):
        try:
            (out_dir / folder).rmdir()
        except OSError:
            pass  # not empty (a new slide, a note of the user's), or already gone


def _write_journal(retired: Path, data: dict) -> None:
    write_file(retired / JOURNAL, json.dumps(data, ensure_ascii=True))


def _read_journal(retired: Path) -> dict:
    try:
        data = json.loads((retired / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or we cannot tell: keep its folder
    return True


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """An exclusive advisory lock on `folder` itself (no lock file is left behind)."""
    if fcntl is None:
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
