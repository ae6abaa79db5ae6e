"""Targets → rendered (or checked) decks, in parallel processes, with the same bytes as serially.

Input: `Target`s (a deck file and its output folder, from `discover`) and `Options`. Output: one
`Outcome` per deck (rendered, skipped, checked or failed; slide paths; warnings and errors with
their locations; seconds), handed to a callback as each deck finishes (progress) and returned in
target order.

How the work is split: `-j N` allows N busy cores. With several decks to render, each of up to
N worker processes (forked on Linux, spawned elsewhere: `start_method`) renders whole
decks, painting and encoding on its one thread; with fewer decks than N, the spare cores become
PNG encoding threads beside the painting (`encoders`). So `-j 1` keeps one core busy, not one
and a bit. Neither changes a byte. Unchanged decks (see `manifest`) are
found in this process before any worker starts, without importing Pillow, HarfBuzz or pydantic.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cardgen import __version__
from cardgen.base.process import init_worker, start_method, working
from cardgen.output.slides import encoders
from cardgen.run import manifest
from cardgen.run.discover import Target
from cardgen.model.problems import CardgenError, Problem, StrictError, safe_text
from cardgen.model.limits import DEFAULT_LIMITS, Limits, overrides
from cardgen.publish.options import Publish

RENDERED, SKIPPED, CHECKED, FAILED = "rendered", "skipped", "checked", "failed"


@dataclass(frozen=True, slots=True)
class Options:
    theme: str | None = None
    size: str | None = None
    strict: bool = False
    force: bool = False  # render even when nothing changed
    jobs: int = 1
    mode: str = "render"  # render | check
    report: bool = False  # keep each deck's layout report (--report)
    cache: str | None = None  # manifest folder; None: manifest.cache_dir()
    platform: str | None = None  # --for
    fmt: str | None = None  # --format
    scale: int = 1  # --scale
    quality: int | None = None  # --quality (None: JPEG 90, WebP lossless)
    root: str | None = None  # the project root paths must stay in (None: each deck's folder)
    allow_outside: bool = False  # --allow-outside-paths (neither changes pixels: not fingerprinted)
    limits: Limits = DEFAULT_LIMITS  # --limit NAME=VALUE; workers get them with the options
    alt: bool = False  # --alt: alt.txt beside the slides of any render

    def fingerprint(self) -> dict[str, Any]:
        """The options that change pixels (strict does not: a skipped deck replays its warnings),
        and those that decide whether a deck renders at all: limits that differ from the defaults,
        and the path rules (a deck rendered with --allow-outside-paths must not be skipped as
        unchanged by a run without it)."""
        changed = overrides(self.limits)
        paths = {"root": str(_root(self)) if self.root else None, "allow_outside": self.allow_outside}
        return {
            "theme": self.theme,
            "size": self.size,
            **self.publish().fingerprint(),
            **({"limits": changed} if changed else {}),
            **({"paths": paths} if self.root or self.allow_outside else {}),
        }

    def publish(self) -> Publish:
        return Publish(self.platform, self.fmt, self.scale, self.quality, self.alt)


def _root(options: Options) -> Path | None:
    return Path(options.root).resolve() if options.root else None


@dataclass(slots=True)
class Outcome:
    deck: str
    out_dir: str | None
    status: str
    slides: tuple[str, ...] = ()
    warnings: tuple[Problem, ...] = ()
    errors: tuple[Problem, ...] = ()
    seconds: float = 0.0
    report: dict[str, Any] | None = field(default=None, repr=False)
    unlisted: int = 0  # errors found beyond those listed: `errors` ends with a "… and N more errors" line
    trace: str | None = field(default=None, repr=False)  # a bug's traceback (printed, not in --json)

    @property
    def error_count(self) -> int:
        """Every error found: those listed and those the "… and N more errors" line counts."""
        return sum(p.kind != "more" for p in self.errors) + self.unlisted

    def as_dict(self) -> dict[str, Any]:
        return {
            "deck": self.deck,
            "out": self.out_dir,
            "status": self.status,
            "slides": list(self.slides),
            "warnings": [p.as_json() for p in self.warnings],
            "errors": [p.as_json() for p in self.errors],
            **({"unlisted_errors": self.unlisted} if self.unlisted else {}),
            "seconds": round(self.seconds, 3),
        }


# --- one deck, in a worker process or in this one -------------------------------------------

_HASHERS: dict[Path, manifest.Hasher] = {}  # one per process and cache: fonts shared by many decks are hashed once


def _hasher(cache: Path | None) -> manifest.Hasher:
    # Keyed by the store's path, found now: the cache folder ($CARDGEN_CACHE_DIR) may differ
    # from one run to the next in a process that runs several (the tests).
    store = manifest.hash_store(cache)
    if store not in _HASHERS:
        _HASHERS[store] = manifest.Hasher(store)
    return _HASHERS[store]


def run_job(target: Target, options: Options, threads: int, mode: str) -> Outcome:
    """Render (`render`), check (`check`) or lay out for the report only (`report`) one deck."""
    from cardgen.run.pipeline import RenderResult, check_deck, render_deck
    from cardgen.run.report import layout_report

    started, started_ns = time.perf_counter(), time.time_ns()
    out = str(target.out_dir) if mode != "check" else None
    cache = Path(options.cache) if options.cache else None
    with working():  # Ctrl-C in a worker cleans up while a deck is written
        try:
            if mode == "render":
                previous = manifest.read(target.out_dir, cache)
                other = None if options.force else manifest.other_deck(previous, target.deck)
                if other is not None:
                    return _refused(target, other, started)
                result = render_deck(
                    target.deck,
                    target.out_dir.parent,
                    theme=options.theme,
                    size=options.size,
                    strict=options.strict,
                    out_dir=target.out_dir,
                    encode_workers=threads,
                    owned=manifest.owned_slides(previous),
                    root=_root(options),
                    allow_outside=options.allow_outside,
                    publish=options.publish(),
                    limits=options.limits,
                )
                laid, slides, status, captions = result.laid, result.slides, RENDERED, result.captions
            else:
                laid = check_deck(
                    target.deck,
                    theme=options.theme,
                    size=options.size,
                    root=_root(options),
                    allow_outside=options.allow_outside,
                    publish=options.publish(),
                    limits=options.limits,
                )
                slides = (
                    tuple(target.out_dir / name for name in _recorded_slides(target, cache)) if mode == "report" else ()
                )
                status = CHECKED if mode == "check" else SKIPPED
                result = RenderResult(laid.deck.path, target.out_dir, slides, laid)
            warnings = laid.warnings
            if mode == "check" and options.strict and warnings:
                return Outcome(
                    str(target.deck), out, FAILED, (), (), StrictError(warnings).problems, time.perf_counter() - started
                )
            if mode == "render":
                _record(target, options, laid, slides, warnings, started_ns, cache, captions)
            report = layout_report(result) if options.report and mode != "check" else None
            return Outcome(
                str(target.deck),
                out,
                status,
                tuple(str(s) for s in slides),
                warnings,
                (),
                time.perf_counter() - started,
                report,
            )
        except CardgenError as exc:  # with the warnings found beside the errors (check reports both)
            return Outcome(
                str(target.deck),
                out,
                FAILED,
                (),
                exc.warnings,
                exc.problems,
                time.perf_counter() - started,
                unlisted=exc.unlisted,
            )
        except Exception as exc:
            import traceback

            message = (
                f"cardgen failed on this deck: {type(exc).__name__}: {safe_text(str(exc))[:300]} (a bug in "
                "cardgen: please report it, with the traceback printed above)"
            )
            return Outcome(
                str(target.deck),
                out,
                FAILED,
                errors=(Problem(message, str(target.deck), kind="internal"),),
                seconds=time.perf_counter() - started,
                trace=traceback.format_exc(),
            )


def _refused(target: Target, other: Path, started: float) -> Outcome:
    """Another deck of the same name wrote this folder: its slides are not replaced without --force."""
    message = (
        f"{target.out_dir} holds the slides of {other}, another deck of the same name; rendering this one "
        "there would replace them: render it with another -o, rename one of the decks, or pass --force "
        "to replace them"
    )
    return Outcome(
        str(target.deck),
        str(target.out_dir),
        FAILED,
        errors=(Problem(message, str(target.deck), kind="output"),),
        seconds=time.perf_counter() - started,
    )


def _recorded_slides(target: Target, cache: Path | None) -> list[str]:
    return [s["name"] for s in (manifest.read(target.out_dir, cache) or {}).get("slides", [])]


def _record(
    target: Target,
    options: Options,
    laid: Any,
    slides: Sequence[Path],
    warnings: Sequence[Problem],
    started_ns: int,
    cache: Path | None,
    captions: Sequence[Path] = (),
) -> None:
    inputs: dict[str, str | None] = {}
    hasher = _hasher(cache)
    for path, exists in manifest.deck_inputs(laid, options.theme).items():
        digest = hasher.digest(path)
        if exists and digest is None:
            return  # an input vanished while the deck rendered: do not vouch for these slides
        inputs[path] = digest if exists else None
    manifest.write(
        target.out_dir,
        target.deck,
        options.fingerprint(),
        inputs,
        slides,
        [w.as_json() for w in warnings],
        started_ns,
        cache,
        extras=captions,
    )
    hasher.save()


# --- many decks ------------------------------------------------------------------------------


def skipped_outcome(target: Target, recorded: dict[str, Any], options: Options) -> Outcome:
    """An unchanged deck: its slides stay; its recorded warnings are reported again."""
    warnings = tuple(Problem.from_json(w) for w in recorded.get("warnings", []))
    slides = tuple(str(target.out_dir / s["name"]) for s in recorded.get("slides", []))
    if options.strict and warnings:
        return Outcome(str(target.deck), str(target.out_dir), FAILED, (), (), StrictError(warnings).problems)
    return Outcome(str(target.deck), str(target.out_dir), SKIPPED, slides, warnings)


def plan_work(targets: Sequence[Target], options: Options) -> tuple[list[tuple[int, str]], dict[int, Outcome]]:
    """Which decks need a worker (index, mode) and which are already settled (skipped)."""
    if options.mode == "check":
        return [(i, "check") for i in range(len(targets))], {}
    cache = Path(options.cache) if options.cache else None
    hasher = _hasher(cache)
    work: list[tuple[int, str]] = []
    settled: dict[int, Outcome] = {}
    for i, target in enumerate(targets):
        recorded = None if options.force else manifest.read(target.out_dir, cache)
        if recorded and manifest.is_current(recorded, target.deck, options.fingerprint(), hasher):
            settled[i] = skipped_outcome(target, recorded, options)
            if options.report and settled[i].status == SKIPPED:
                work.append((i, "report"))  # the report needs the layout; nothing is painted
        else:
            work.append((i, "render"))
    hasher.save()
    return work, settled


def run(
    targets: Sequence[Target], options: Options, on_done: Callable[[Outcome], None] | None = None, *, fork: bool = True
) -> list[Outcome]:
    """Render or check every target → outcomes in target order; `on_done` sees each as it ends.

    `fork=False` always spawns the workers (see `start_method`): `watch` runs beside its own
    threads and keeps decoded files between cycles."""
    work, outcomes = plan_work(targets, options)
    notify = on_done or (lambda outcome: None)
    busy = {i for i, _ in work}
    for i in sorted(outcomes):
        if i not in busy:
            notify(outcomes[i])
    processes = min(options.jobs, len(work))
    if processes <= 1:
        for i, mode in work:
            outcomes[i] = _merge(outcomes.get(i), run_job(targets[i], options, encoders(options.jobs), mode))
            notify(outcomes[i])
    else:
        import multiprocessing  # only with several decks to render: one deck starts faster
        from concurrent.futures import ProcessPoolExecutor, as_completed
        from concurrent.futures.process import BrokenProcessPool

        threads = encoders(options.jobs // processes)
        method = start_method(fork)
        if method == "fork":
            # A forked worker shares the modules its parent has loaded: load the renderer once
            # here, not once in every worker (~0.3 s of CPU each; `-j 2` spent more CPU than `-j 1`).
            import cardgen.run.pipeline
            import cardgen.run.report  # noqa: F401
        context = multiprocessing.get_context(method)
        with ProcessPoolExecutor(processes, mp_context=context, initializer=init_worker) as pool:
            futures = {pool.submit(run_job, targets[i], options, threads, mode): i for i, mode in work}
            try:
                for future in as_completed(futures):
                    i = futures[future]
                    try:
                        done = future.result()
                    except BrokenProcessPool:  # a worker was killed (out of memory, a signal): the rest go on
                        done = _lost(targets[i], options)
                    outcomes[i] = _merge(outcomes.get(i), done)
                    notify(outcomes[i])
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)  # running decks finish or clean up
                raise
    return [outcomes[i] for i in range(len(targets))]


def _lost(target: Target, options: Options) -> Outcome:
    message = (
        "not finished: a worker process stopped while rendering this deck or another one (out of memory, "
        "or killed); run again, with -j 1 to find the deck"
    )
    out = str(target.out_dir) if options.mode != "check" else None
    return Outcome(str(target.deck), out, FAILED, errors=(Problem(message, str(target.deck), kind="internal"),))


def _merge(skipped: Outcome | None, done: Outcome) -> Outcome:
    """A skipped deck laid out for the report keeps its recorded slides and warnings."""
    if skipped is None or done.status == FAILED:
        return done
    skipped.report = done.report
    return skipped


def summary(outcomes: Sequence[Outcome], seconds: float, jobs: int, shard: str | None, total: int) -> dict[str, Any]:
    count = {status: sum(o.status == status for o in outcomes) for status in (RENDERED, SKIPPED, CHECKED, FAILED)}
    return {
        "decks": len(outcomes),
        **count,
        "slides": sum(not s.lower().endswith(".pdf") for o in outcomes for s in o.slides),
        "pdfs": sum(s.lower().endswith(".pdf") for o in outcomes for s in o.slides),
        "warnings": sum(len(o.warnings) for o in outcomes),
        "errors": sum(o.error_count for o in outcomes),
        "seconds": round(seconds, 3),
        "jobs": jobs,
        "shard": shard,
        "decks_in_all_shards": total,
    }


def document(command: str, outcomes: Sequence[Outcome], totals: dict[str, Any]) -> dict[str, Any]:
    """The --json document: one object, the same shape for `render` and `check`."""
    return {
        "cardgen": __version__,
        "command": command,
        "ok": totals["failed"] == 0,
        "exit_code": 1 if totals["failed"] else 0,
        "summary": totals,
        "decks": [o.as_dict() for o in outcomes],
    }
