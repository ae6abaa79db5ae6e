"""The process cardgen runs in: its garbage collector, its cores, how worker processes start and
stop, Ctrl-C, and how it ends. Every process-level setting and trick is here, so none hides in
the stages.

- `tune_gc`: the collector's threshold, set before the heavy modules load (`cardgen.cli`), and
  in every worker process alike.
- `freeze_gc`: once a process has laid out its first deck, what it made so far (modules,
  classes, schemas, caches, that deck's pages) is set aside from the collector.
- `cores`: the cores this process may use (taskset and container CPU sets respected).
- `start_method`: "fork" or "spawn" for the worker processes of a batch.
- `init_worker` and `working`: a worker's Ctrl-C (cleaned up while it works on a deck, gone at
  once while it waits).
- `interrupts_deferred`: Ctrl-C held back while a few renames must happen together.
- `exit_now`: the end of a command, without the interpreter's tear-down.
"""

from __future__ import annotations

import functools
import gc
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def tune_gc() -> None:
    # Starting cardgen creates some 65 000 objects that live as long as the process (modules,
    # classes, pydantic schemas) and almost no garbage cycles. With the default threshold (a
    # collection every 700 new objects) the cyclic collector runs ~100 times during start-up
    # and walks them again and again: 30-40 ms of a 0.7 s render. Every 100 000 objects it
    # still runs, so a long `cardgen watch` session keeps its memory bounded.
    gc.set_threshold(100_000, 50, 100)


@functools.cache  # once per process: a forked worker inherits the answer
def freeze_gc() -> None:
    # The first collection, 100 000 objects into a render, walks every object start-up made
    # (~100 000: modules, classes, pydantic schemas, the first deck's layout): 35-55 ms of a
    # 0.6 s render, found nothing to free. `gc.freeze()` moves them to a generation the
    # collector never walks; they are freed by reference counting as before, only a cycle
    # among them would stay. Once per process (a `watch` or a many-deck worker freezes its
    # first deck's objects only), so what is kept aside is bounded.
    gc.freeze()


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))  # respects taskset and container CPU sets
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def start_method(fork: bool = True) -> str:
    """How worker processes start: "fork" on Linux when this process runs no other thread, else
    "spawn". A forked worker starts with the modules this process has already loaded (typer's
    pydantic, cardgen's batch and export code), which a spawned one imports again: about 0.3 s
    of every parallel run's start-up on the benchmark machine. A process with another thread
    (a server, a watcher) spawns, since a fork could inherit a lock that thread holds; macOS
    and Windows always spawn (fork is unsafe or missing there). The bytes do not depend on it."""
    if fork and sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


_WORKING = threading.Event()  # set while a worker process is busy with a deck (see `working`)


def init_worker() -> None:
    """A worker process's set-up: the collector as the command has it, and its Ctrl-C."""
    tune_gc()
    signal.signal(signal.SIGINT, _on_interrupt)


@contextmanager
def working() -> Iterator[None]:
    """While a worker works on a deck, Ctrl-C raises KeyboardInterrupt there (the slides'
    staging folder is cleaned up); outside, it ends the worker at once."""
    _WORKING.set()
    try:
        yield
    finally:
        _WORKING.clear()


def _on_interrupt(signum: int, _frame: Any) -> None:
    if _WORKING.is_set():
        raise KeyboardInterrupt
    os._exit(130)  # idle: nothing to clean, and no multiprocessing traceback on the terminal


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C back until the block ends (the renames of a swap are never split)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        if callable(previous):
            previous(signal.SIGINT, None)  # Python's default handler raises KeyboardInterrupt here
        elif previous == signal.SIG_DFL:
            raise KeyboardInterrupt


def exit_now(code: int | str | None) -> None:
    """End the process without the interpreter's tear-down when nothing is left to do.

    By now every file is written and closed, and worker threads and processes are joined. What
    Python would still do is free tens of thousands of objects (fonts, glyph masks, pydantic
    models, hyphenation patterns) one by one: ~0.1 s, 10-15 % of rendering a 7-card deck. So
    flush the two streams and leave at once. With another thread still running (a library
    user's, or a server) the ordinary exit runs instead, so nothing is cut short.
    """
    if isinstance(code, str):  # sys.exit("message"): printed, status 1, as Python does
        print(code, file=sys.stderr)
        code = 1
    status = 0 if code is None else int(code)
    if threading.active_count() > 1:
        sys.exit(status)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # `cardgen … | head` closed the pipe early, or a stream was closed
        status = status or 1
    os._exit(status)
