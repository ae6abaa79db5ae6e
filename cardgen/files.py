"""A path from user input → an open regular file, never blocking on a pipe, device or socket.

`open()` on a FIFO waits for a writer before it returns, so a FIFO named `deck.yaml` (or
`photo.png`) would hang cardgen before any size or type check could run. The path is checked with
`stat` first, so a device is never opened at all, then opened without blocking (O_NONBLOCK) and
checked again on the descriptor, so a file swapped in between is caught too.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

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
