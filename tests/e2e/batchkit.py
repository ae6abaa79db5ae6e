"""Helpers for the command-line tests: small decks in temporary folders, and two ways to run
`cardgen ARGS` in a folder → a `subprocess.CompletedProcess` (returncode, stdout, stderr):

- `run_cli`: in this process, through typer's `CliRunner` isolation (stdin, stdout, stderr and
  the environment swapped for the run) and `cardgen.cli.app._run`, the function the command
  runs (cardgen's usage errors and --json documents included, which `CliRunner.invoke` would
  bypass). No Python start-up per call: for messages, exit codes, --json documents, files
  written, config, import, check and the render of a small deck.
- `run_process`: the real command, `python -m cardgen`, for what needs a process of its own:
  Ctrl-C and signals, worker processes (-j 2 over several decks), start-up, the streams'
  encoding, a killed run, memory and time bounds, caches a fresh process fills.

`run_cli` refuses to start worker processes (a fork of the test process): a run that would is
a test for `run_process`. A deck written just before `run_cli` is younger than the margin a
manifest needs: `age` it when the test relies on the manifest (skips, ownership).
`cardgen`, `cardgen_process` and `cardgen_json` give each run its own manifest cache
(CARDGEN_CACHE_DIR inside the run's folder), so tests never see each other's manifests nor the
user's.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SMALL = "400x500"  # a small canvas renders in a fraction of the time; layout rules are the same


def deck_text(title: str, cards: int = 2, *, size: str = SMALL, theme: str | None = None, extra: str = "") -> str:
    lines = [f"title: {title}", f"size: {size}"]
    if theme:
        lines.append(f"theme: {theme}")
    lines.append("cards:")
    lines.append(f"  - layout: cover\n    title: {title}")
    for i in range(2, cards + 1):
        lines.append(f"  - title: Карточка {i}\n    text: Немного текста для карточки {i}.{extra}")
    return "\n".join(lines) + "\n"


def write_deck(path: Path, title: str = "Пост", cards: int = 2, **kwargs: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(deck_text(title, cards, **kwargs), encoding="utf-8")
    return path


def run_process(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 300,
    errors: str = "strict",
) -> subprocess.CompletedProcess[str]:
    """`python -m cardgen ARGS` in `cwd`, the environment plus `env`; its output read as UTF-8."""
    return subprocess.run(
        [sys.executable, "-m", "cardgen", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors=errors,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


class NeedsAProcess(AssertionError):
    """The run would start worker processes: a fork of the test process. Use `run_process`."""


@contextmanager
def _in(folder: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@contextmanager
def _no_workers() -> Iterator[list[str]]:
    """Worker pools refused while cardgen runs in the test process (they would fork it); the
    refusals are listed, since cardgen reports any exception as a failed run."""
    import concurrent.futures

    refused: list[str] = []
    pool = concurrent.futures.ProcessPoolExecutor

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        refused.append("ProcessPoolExecutor")
        raise NeedsAProcess("worker processes: run this command with run_process")

    concurrent.futures.ProcessPoolExecutor = refuse  # type: ignore[assignment,misc]
    try:
        yield refused
    finally:
        concurrent.futures.ProcessPoolExecutor = pool  # type: ignore[misc]


def run_cli(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 300,
    errors: str = "strict",
) -> subprocess.CompletedProcess[str]:
    """`cardgen ARGS` in this process, as `run_process` runs it (`timeout` is not enforced)."""
    from typer.testing import CliRunner

    from cardgen.cli.app import _run

    with CliRunner().isolation(input=stdin, env=dict(env or {})) as (out, err, _), _in(cwd), _no_workers() as refused:
        code = _run(list(args))
        sys.stdout.flush()
        sys.stderr.flush()
        stdout, stderr = out.getvalue().decode("utf-8", errors), err.getvalue().decode("utf-8", errors)
    if refused:
        raise NeedsAProcess(f"cardgen {' '.join(args)}: starts worker processes; run it with run_process")
    return subprocess.CompletedProcess(["cardgen", *args], code, stdout, stderr)


def batch_runner(
    run: Callable[..., subprocess.CompletedProcess[str]],
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """A runner with the batch tests' own manifest cache: CARDGEN_CACHE_DIR in the run's folder."""

    def cardgen(
        *args: str, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        cache = {"PYTHONUTF8": "1", "CARDGEN_CACHE_DIR": str(cwd / ".cardgen-cache")}
        return run(*args, cwd=cwd, env={**cache, **(env or {})}, timeout=timeout)

    return cardgen


cardgen = batch_runner(run_cli)  # in this process
cardgen_process = batch_runner(run_process)  # the real command


def cardgen_json(*args: str, cwd: Path, process: bool = False) -> tuple[int, dict[str, Any], str]:
    """`cardgen ARGS --json` → exit code, the document, standard error (`process`: the real command)."""
    result = (cardgen_process if process else cardgen)(*args, "--json", cwd=cwd)
    return result.returncode, json.loads(result.stdout), result.stderr


def age(*paths: Path) -> None:
    """Date files back a minute, as files saved before a run are. A manifest is not written for an
    input saved while its deck renders (`manifest.MTIME_MARGIN_NS`), and a test that writes a deck
    and runs `run_cli` at once is within that margin (a process's start-up used to hide it)."""
    past = time.time() - 60
    for path in paths:
        os.utime(path, (past, past))


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.png"))
    }


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
