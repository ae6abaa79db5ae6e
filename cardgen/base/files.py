"""Files on the user's disk: a path from user input → an open regular file (never blocking on a
pipe, device or socket); bytes → a file written whole or not at all (`write_file`, `writing`).

Reading: `open()` on a FIFO waits for a writer before it returns, so a FIFO named `deck.yaml` (or
`photo.png`) would hang cardgen before any size or type check could run. The path is checked with
`stat` first, so a device is never opened at all, then opened without blocking (O_NONBLOCK) and
checked again on the descriptor, so a file swapped in between is caught too.

Writing: every file cardgen writes (slides, captions, PDFs, reports, previews, watch pages,
imported and starter decks, schemas, caches) goes through `writing`. The bytes go to a temporary
file created exclusively (O_CREAT | O_EXCL | O_NOFOLLOW, a random name) in the target's own
folder, then renamed over the target: a reader sees the old file or the new one, never half of
one, and a full disk leaves the old file as it was. A symbolic link, a folder or a pipe at the
target is refused, never written through; so is a link planted at the temporary name (the
exclusive create fails). `new=True` creates the target itself exclusively: for a file that must
not exist yet (an imported deck, a slide in a fresh staging folder). Errors are `OutputError`s
that name the file and the reason.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from cardgen.model.problems import CardgenError, Where

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class NotRegularFile(OSError):
    """The path names a folder, pipe, device or socket: `kind` says which ("a named pipe (FIFO)")."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"found {kind}, not a file")
        self.kind = kind
        self.strerror = f"found {kind}, not a file"


def file_kind(mode: int) -> str | None:
    """None for a regular file, else what the path is, as a message names it."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something that is not a file"


def open_regular(path: Path | str) -> BinaryIO:
    """Open a regular file for reading in binary mode; `NotRegularFile` for anything else.

    Other failures are the usual `OSError`s (FileNotFoundError, PermissionError, …), and a NUL
    in the name is a ValueError, as with `open()`.
    """
    kind = file_kind(os.stat(path).st_mode)  # symbolic links followed, as open() would
    if kind:
        raise NotRegularFile(kind)
    fd = os.open(path, _FLAGS)
    try:
        kind = file_kind(os.fstat(fd).st_mode)
        if kind:
            raise NotRegularFile(kind)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_at_most(handle: BinaryIO, most: int) -> bytes:
    """Up to `most` + 1 bytes of an open regular file (one more than allowed says "too big").

    A read of n bytes reserves n bytes first, so asking for `most` + 1 of a 2 KB file would
    reserve the whole limit (40 MB for a picture; gigabytes once a limit is raised): ask for the
    size the file has, and read on only if it grew meanwhile.
    """
    want = min(most, os.fstat(handle.fileno()).st_size) + 1
    data = handle.read(want)
    if len(data) == want and want <= most:  # the file grew while it was read
        data += handle.read(most + 1 - want)
    return data


def read_regular(path: Path | str, most: int) -> bytes:
    """Up to `most` + 1 bytes of a regular file (more than `most` means "too big"), never
    blocking on a pipe or device: `NotRegularFile` for those, the usual OSErrors otherwise."""
    with open_regular(path) as handle:
        return read_at_most(handle, most)


# --- writing ------------------------------------------------------------------------------------

_CREATE = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_TEMP_STEM_CHARS = 40  # of the target's name in its temporary file's (".report.json.1a2b3c4d5e6f.tmp")


class OutputError(CardgenError):
    """A file cardgen was asked to write cannot be written: named, with the reason."""

    kind = "output"


def write_file(path: Path, data: bytes | str, *, new: bool = False, exists: str | None = None) -> Path:
    """`data` (text is written as UTF-8) → the file at `path`, whole or not at all → `path`. See `writing`."""
    with writing(path, new=new, exists=exists) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@contextmanager
def writing(path: Path, *, new: bool = False, exists: str | None = None) -> Iterator[BinaryIO]:
    """A binary file handle whose bytes become the file at `path` when the block ends without error.

    The folder is created if missing. Without `new`, the bytes go to a temporary file beside the
    target (created exclusively, never through a link) and replace the target in one rename; an
    error or Ctrl-C removes the temporary file and leaves the target as it was. With `new`, the
    target itself is created exclusively: an existing file or link there is an `OutputError`
    (`exists` is its message), and a failed write removes the partial file. A link, folder or
    pipe at the target is always refused.
    """
    path = Path(path)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder: {_reason(exc)}", Where(folder)) from None
    _check_target(path, new, exists)
    temporary = path if new else folder / f".{path.name[:_TEMP_STEM_CHARS]}.{os.urandom(6).hex()}.tmp"
    try:
        fd = os.open(temporary, _CREATE, 0o666)
    except FileExistsError:  # `new`: a file or link appeared since the check
        raise OutputError(exists or "already exists", Where(path)) from None
    except (OSError, ValueError) as exc:
        raise OutputError(f"cannot write the file: {_reason(exc)}", Where(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        if not new:
            _check_target(path, False, None)  # a link planted meanwhile is refused, not replaced
            os.replace(temporary, path)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write the file: {_reason(exc)}", Where(path)) from None
        raise


def _check_target(path: Path, new: bool, exists: str | None) -> None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except (OSError, ValueError) as exc:
        raise OutputError(f"cannot write the file: {_reason(exc)}", Where(path)) from None
    if stat.S_ISLNK(mode):
        raise OutputError(
            "is a symbolic link; cardgen never writes through a link: remove it or choose another file name",
            Where(path),
        )
    kind = file_kind(mode)
    if kind:
        raise OutputError(f"is {kind}, not a file; remove it or choose another file name", Where(path))
    if new:
        raise OutputError(exists or "already exists", Where(path))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ValueError):  # a NUL in the name
        return "the file name is not valid"
    return str(getattr(exc, "strerror", None) or exc)
