"""PATHs → slides kept up to date while files are saved, and a gallery page that reloads itself.

Input: the PATHs, output folder and `batch.Options` of `render`. Output: a loop of cycles. Each
cycle finds the decks again (a new deck in a watched folder joins), renders what changed (the
manifests decide: an unchanged deck is skipped in milliseconds, so a cycle may be liberal about
what triggers it), prints errors and goes on, and writes OUT/index.html (see `html`). Then it
waits (watchfiles) until a deck, theme, font or picture is saved.

What is watched: each folder named on the command line and its subfolders, the folder of each
deck file, and the folders of every input recorded in the decks' manifests (themes, fonts,
pictures), each without recursion, so a deck at the top of a big repository does not watch
every file under it. The output folder is never watched: cardgen's own writes trigger nothing.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cardgen.base import caches
from cardgen.run import batch
from cardgen.run import manifest
from cardgen.run.batch import Options, Outcome
from cardgen.run.console import Reporter
from cardgen.run.discover import SKIPPED_FOLDERS, Target, UsageError, plan_targets
from cardgen.model.problems import CardgenError, safe_text
from cardgen.output.html import GalleryDeck, count_slides, relative_url, write_live_gallery

RELEVANT_SUFFIXES = {".yaml", ".yml", ".png", ".jpg", ".jpeg", ".webp", ".otf", ".ttf", ".woff2", ".woff", ".toml"}
CycleHook = Callable[[int, list[Outcome]], None]


class Watcher:
    """One watch session; `run()` loops until `stop` is set, `max_cycles` ran, or Ctrl-C."""

    def __init__(self, paths: Sequence[str], out_root: Path, options: Options, *, quiet: bool = False) -> None:
        self.paths = list(paths)
        self.out_root = out_root
        self.options = options
        self.quiet = quiet
        self.cycles = 0
        self.targets: list[Target] = []

    def cycle(self) -> list[Outcome]:
        """Render what changed and rewrite the gallery → the outcomes (errors printed, not raised)."""
        if self.cycles:
            caches.forget_files()  # a deck rendered in this process must see the pictures and fonts as saved
        try:
            self.targets, _ = plan_targets(self.paths, self.out_root)
        except UsageError as exc:
            print(f"error: {safe_text(str(exc))}", file=sys.stderr, flush=True)  # a folder may get its first deck later
            self.targets = []
        started = time.perf_counter()
        with Reporter("render", len(self.targets), quiet=self.quiet, unchanged_lines=False) as reporter:
            outcomes = batch.run(self.targets, self.options, reporter.done, fork=False)
        self.cycles += 1
        if not self.quiet:
            totals = batch.summary(outcomes, time.perf_counter() - started, self.options.jobs, None, len(outcomes))
            print(
                f"[{time.strftime('%H:%M:%S')}] {totals['rendered']} rendered, {totals['skipped']} unchanged, "
                f"{totals['failed']} failed; gallery: {self.out_root / 'index.html'}",
                flush=True,
            )
        try:
            write_gallery(self.out_root, outcomes)
        except CardgenError as exc:  # a link or a folder where the page goes: said, and the watch goes on
            print(f"error: {exc}", file=sys.stderr, flush=True)
        return outcomes

    def folders(self) -> set[Path]:
        """The folders to watch now (absolute), from the arguments, decks and manifests."""
        out = _real(self.out_root)
        found: set[Path] = set()
        for arg in self.paths:
            path = Path(arg)
            if path.is_dir():
                for here, dirs, _ in os.walk(path):
                    dirs[:] = [
                        d
                        for d in dirs
                        if not d.startswith(".") and d not in SKIPPED_FOLDERS and _real(Path(here, d)) != out
                    ]
                    found.add(_real(Path(here)))
            else:
                found.add(_real(path).parent)
        cache = Path(self.options.cache) if self.options.cache else None
        for target in self.targets:
            found.add(_real(target.deck).parent)
            themes = _real(target.deck).parent / "themes"
            if themes.is_dir():
                found.add(themes)
            for path in (manifest.read(target.out_dir, cache) or {}).get("inputs", {}):
                found.add(Path(path).parent)
        return {f for f in found if f.is_dir() and not f.is_relative_to(out)}

    def relevant(self, path: str) -> bool:
        p = Path(path)
        if p.name.startswith(".") or p.is_relative_to(_real(self.out_root)):  # editors' swap files, our output
            return False
        return p.suffix.lower() in RELEVANT_SUFFIXES

    def run(
        self,
        *,
        stop: threading.Event | None = None,
        max_cycles: int | None = None,
        on_cycle: CycleHook | None = None,
        debounce_ms: int = 300,
    ) -> int:
        """Cycle, then wait for saves and cycle again → the number of cycles run."""
        import watchfiles

        stop = stop or threading.Event()
        hook = on_cycle or (lambda n, outcomes: None)
        hook(self.cycles + 1, self.cycle())
        catch_up = False  # after a restart: one cycle as soon as the new watch listens
        while not stop.is_set() and not (max_cycles and self.cycles >= max_cycles):
            folders = self.folders()
            restart = False
            # The watch keeps collecting events while a cycle runs, so a save during a render
            # is seen on the next turn; only a restart (new folders) needs the catch-up cycle.
            for changes in watchfiles.watch(
                *sorted(folders),
                watch_filter=lambda _change, path: self.relevant(path),
                stop_event=stop,
                recursive=False,
                debounce=debounce_ms,
                step=50,
                rust_timeout=200,
                yield_on_timeout=True,
            ):
                if stop.is_set():
                    break
                if not changes and not catch_up:
                    continue
                catch_up = False
                hook(self.cycles + 1, self.cycle())
                if max_cycles and self.cycles >= max_cycles:
                    break
                if self.folders() != folders:
                    restart = catch_up = True  # a new theme or picture folder: watch it from now on
                    break
            if not restart:
                break
        return self.cycles


def write_gallery(out_root: Path, outcomes: Sequence[Outcome]) -> Path:
    """OUT/index.html: every deck's slides (the previous ones when a deck failed) and problems."""
    decks = []
    signature = hashlib.sha256()
    for outcome in outcomes:
        slides = [Path(s) for s in outcome.slides]
        if not slides and outcome.out_dir and Path(outcome.out_dir).is_dir():
            slides = sorted(p for p in Path(outcome.out_dir).glob("*.png") if p.stem.isdigit())
        urls = []
        for slide in slides:
            stamp = _mtime(slide)
            signature.update(f"{slide}:{stamp}".encode("utf-8", "surrogateescape"))
            urls.append(relative_url(slide, out_root, str(stamp)))
        errors = tuple(str(p) for p in outcome.errors)
        warnings = tuple(str(p) for p in outcome.warnings)
        signature.update(repr((outcome.deck, outcome.status, errors, warnings)).encode("utf-8", "surrogateescape"))
        note = {"rendered": "rendered", "skipped": "unchanged", "failed": "failed: showing the previous slides"}
        decks.append(
            GalleryDeck(
                outcome.deck,
                tuple(urls),
                errors,
                warnings,
                f"{count_slides(len(urls))}, {note.get(outcome.status, outcome.status)}",
                tuple(s.name for s in slides),
            )
        )
    return write_live_gallery(out_root, decks, signature.hexdigest()[:16])


def serve(folder: Path, port: int) -> Any:
    """Serve `folder` on http://127.0.0.1:PORT in a daemon thread → the server (call shutdown())."""
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # the page polls every second
            pass

    folder.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True, name="cardgen-serve").start()
    return server


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()
