"""What cardgen keeps to avoid doing work twice: every cache of a function's results, registered
here, and the folder of the caches kept on disk.

- `memo`: a function's results by its arguments (functools' cache, bounded or not), registered.
- `cached` with a `Budget`: results that are pixels (rasterised glyphs, emoji tiles, decoded and
  scaled pictures, masks), kept up to a byte budget, least recently used first out.
  `functools.lru_cache` bounds the number of entries, not their size: 20 000 glyph masks are 20
  MB at 1080 px and gigabytes at 4096 px, where one emoji tile is 5 MB. A `Budget` counts the
  bytes its caches hold and drops the entries used longest ago when a new one would exceed it; a
  value larger than the whole budget is returned without being kept. Several caches may share
  one budget (the pictures painting derives from one photo).
- `forget_files()`: drop every cache whose results depend on a file's contents (a picture, a
  font, a config file), which a one-off render reads once and keys by path alone. `cardgen
  watch` calls it before each new render, so a file saved under the same name is read again;
  so does a command run again in the same process (the tests). Every cache is registered when
  it is made, so none can be missed.
- `cache_dir()`: the folder cardgen keeps manifests, file hashes, parsed hyphenation patterns
  and font instances in.
"""

from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

MB = 1024 * 1024
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Registered:
    name: str
    clear: Callable[[], None]
    files: bool  # its results depend on the contents of files named by path


_REGISTRY: list[Registered] = []


def register(name: str, clear: Callable[[], None], *, files: bool) -> None:
    _REGISTRY.append(Registered(name, clear, files))


def forget_files() -> None:
    """Drop every cache whose results depend on a file's contents (see the module doc)."""
    for entry in _REGISTRY:
        if entry.files:
            entry.clear()


def memo(maxsize: int | None = None, *, files: bool = False) -> Callable[[F], F]:
    """A decorator: functools' cache of the function's results (`maxsize` entries at most, the
    least recently used dropped first; None: unbounded), registered. `files`: the results depend on
    the contents of files the arguments name, so `forget_files()` drops them."""

    def decorate(function: F) -> F:
        wrapped = functools.lru_cache(maxsize=maxsize)(function)
        register(f"{function.__module__}.{function.__qualname__}", wrapped.cache_clear, files=files)
        return wrapped  # type: ignore[return-value]

    return decorate


class Budget:
    """A byte budget shared by the caches made with `cached`; registered (its pictures, glyphs and
    masks come from files: `forget_files()` empties it)."""

    def __init__(self, name: str, most: int) -> None:
        self.name = name
        self.most = most
        self.used = 0
        self.peak = 0  # the most held at once (for tests and measurements)
        self._entries: OrderedDict[tuple[int, Hashable], tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        register(f"budget: {name}", self.clear, files=True)

    def get(self, owner: int, key: Hashable) -> tuple[bool, Any]:
        with self._lock:
            entry = self._entries.get((owner, key))
            if entry is None:
                return False, None
            self._entries.move_to_end((owner, key))
            return True, entry[0]

    def put(self, owner: int, key: Hashable, value: Any, size: int) -> None:
        if size > self.most:
            return  # larger than the whole budget: used once, not kept
        with self._lock:
            old = self._entries.pop((owner, key), None)
            if old is not None:
                self.used -= old[1]
            while self._entries and self.used + size > self.most:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.used -= dropped
            self._entries[(owner, key)] = (value, size)
            self.used += size
            self.peak = max(self.peak, self.used)

    def clear(self, owner: int | None = None) -> None:
        with self._lock:
            for key in [k for k in self._entries if owner is None or k[0] == owner]:
                self.used -= self._entries.pop(key)[1]


def cached(budget: Budget, size_of: Callable[[Any], int]) -> Callable[[F], F]:
    """A decorator: the function's results kept in `budget`, keyed by its (hashable) arguments."""

    def decorate(function: F) -> F:
        owner = id(function)

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            key = (args, tuple(sorted(kwargs.items()))) if kwargs else args
            found, value = budget.get(owner, key)
            if found:
                return value
            value = function(*args, **kwargs)
            budget.put(owner, key, value, size_of(value))
            return value

        wrapper.cache_clear = lambda: budget.clear(owner)  # type: ignore[attr-defined]
        wrapper.budget = budget  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def image_bytes(value: Any) -> int:
    """The memory a Pillow image (or a tuple holding images) takes: 1 byte a pixel for the
    one-band modes, 4 for the others (Pillow keeps RGB as 4 bytes a pixel)."""
    if isinstance(value, tuple):
        return sum(image_bytes(v) for v in value) + 64
    size = getattr(value, "size", None)
    mode = getattr(value, "mode", None)
    if size is None or mode is None:
        return 64
    return size[0] * size[1] * (1 if mode in ("1", "L", "P") else 4) + 200


def cache_dir() -> Path:
    """$CARDGEN_CACHE_DIR, else the platform's cache folder for cardgen (platformdirs: on Linux
    $XDG_CACHE_HOME/cardgen or ~/.cache/cardgen, on macOS ~/Library/Caches/cardgen, on Windows
    %LOCALAPPDATA%\\cardgen\\Cache)."""
    explicit = os.environ.get("CARDGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    from platformdirs import user_cache_path

    return user_cache_path("cardgen", appauthor=False)
