"""Outcomes → what a person or a CI log sees: progress, a line per deck, problems, a summary.

Input: `batch.Outcome`s as decks finish, then the run's summary. Output:
- `path:line:col: error: …` and `… warning: …` lines on stderr, always (a CI log and a pre-commit
  hook show them; editors and problem matchers parse them), and with GitHub annotations on
  (`--annotations github`, or GITHUB_ACTIONS=true) a workflow command after each, so the problem
  shows on the deck's line in the pull request;
- one line per deck and a summary on stdout, unless -q or --json (then stdout holds only the
  JSON document, printed by the CLI);
- on a terminal (stderr is a TTY), a rich progress bar on stderr that disappears when done;
  elsewhere no bar, so logs stay plain text.
"""

from __future__ import annotations

import json
import os
import re
import sys
from types import TracebackType
from typing import Any

from cardgen.model.problems import Problem
from cardgen.run.batch import CHECKED, FAILED, RENDERED, SKIPPED, Outcome
from cardgen.model.problems import safe_text


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_text(document: Any) -> str:
    """A JSON document as text that always encodes as UTF-8 (the --json output, --report).

    Text stays readable (not \\u-escaped), but the bytes of a file name that is not UTF-8, which
    Python keeps as lone surrogates, are written as \\udcXX escapes: valid JSON, and a Python
    reader gets the very name back (`os.fsencode` turns it into the original bytes)."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _files(slides: int, pdfs: int) -> str:
    """ "7 slides", or "1 PDF" for `--format pdf` (one file, every card a page in it)."""
    parts = [_plural(slides, "slide")] if slides or not pdfs else []
    return ", ".join(parts + ([f"{pdfs} PDF"] if pdfs else []))


def deck_line(outcome: Outcome) -> str:
    """One line per deck; file names are the user's, so control characters are shown escaped."""
    pdfs = sum(str(s).lower().endswith(".pdf") for s in outcome.slides)
    files = _files(len(outcome.slides) - pdfs, pdfs)
    deck, out = safe_text(outcome.deck), safe_text(str(outcome.out_dir))
    if outcome.status == RENDERED:
        return f"{deck}: {files} → {out}"
    if outcome.status == SKIPPED:
        return f"{deck}: unchanged, {files} in {out}"
    if outcome.status == CHECKED:
        return f"{deck}: " + (_plural(len(outcome.warnings), "warning") if outcome.warnings else "OK")
    return f"{deck}: failed ({_plural(outcome.error_count, 'error')})"


def summary_line(command: str, totals: dict[str, Any]) -> str:
    decks = _plural(totals["decks"], "deck")
    if command == "check":
        head = f"{decks} checked: {totals[CHECKED]} passed, {totals[FAILED]} failed"
    else:
        head = f"{decks}: {totals[RENDERED]} rendered, {totals[SKIPPED]} unchanged, {totals[FAILED]} failed"
        head += f"; {_files(totals['slides'], totals.get('pdfs', 0))}"
    tail = f"{_plural(totals['warnings'], 'warning')}, {_plural(totals['errors'], 'error')}"
    shard = f", shard {totals['shard']} of {totals['decks_in_all_shards']} decks" if totals.get("shard") else ""
    return f"{head}; {tail}; {totals['seconds']:.2f} s (-j {totals['jobs']}{shard})"


class Reporter:
    """Prints outcomes as they come; a context manager around the run (for the progress bar)."""

    def __init__(
        self,
        command: str,
        total: int,
        *,
        quiet: bool = False,
        json_mode: bool = False,
        unchanged_lines: bool = True,
        annotations: str | None = None,
    ) -> None:
        self.command = command
        self.annotate = github_annotations(annotations)
        self.unchanged_lines = unchanged_lines  # watch prints only what a save changed
        self.total = total
        self.lines = not (quiet or json_mode)  # deck lines and the summary, on stdout
        self.live = total > 0 and sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> Reporter:
        if self.live:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
                # Deck lines printed to a terminal stdout go above the bar; a redirected stdout stays a file.
                redirect_stdout=sys.stdout.isatty(),
                redirect_stderr=False,
                # Redrawn as each deck ends, from this thread: no refresh thread, so the parallel
                # workers can be forked (batch.start_method).
                auto_refresh=False,
            )
            self._progress.start()
            verb = "checking" if self.command == "check" else "rendering"
            self._task = self._progress.add_task(verb, total=self.total)
            self._progress.refresh()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def done(self, outcome: Outcome) -> None:
        if outcome.trace:  # a bug in cardgen: its traceback, for the report (the other decks went on)
            self._err(outcome.trace.rstrip())
        for problem in (*outcome.errors, *outcome.warnings):
            self._err(problem.diagnostic(), problem.severity)
            if self.annotate:
                self._err(workflow_command(problem, self.command), problem.severity)
        if self.lines and (self.unchanged_lines or outcome.status != SKIPPED):
            print(deck_line(outcome), flush=True)
        if self._progress is not None:
            from rich.markup import escape  # a deck named "[/].yaml" is a name, not markup

            self._progress.update(self._task, advance=1, description=escape(safe_text(outcome.deck)), refresh=True)

    def finish(self, totals: dict[str, Any]) -> None:
        if self.lines:
            print(summary_line(self.command, totals), flush=True)

    def _err(self, text: str, level: str = "error") -> None:
        if self._progress is not None:
            # Through rich's console, so the line lands above the bar instead of through it.
            self._progress.console.print(
                text, markup=False, highlight=False, soft_wrap=True, style="red" if level == "error" else "yellow"
            )
        else:
            print(text, file=sys.stderr, flush=True)


def github_annotations(choice: str | None) -> bool:
    """Whether to print GitHub workflow commands: `--annotations github`, or by default inside a
    GitHub Actions job (GITHUB_ACTIONS=true); `--annotations none` turns them off there."""
    if choice is not None:
        return choice.lower() == "github"
    return os.environ.get("GITHUB_ACTIONS") == "true"


def workflow_command(problem: Problem, command: str = "cardgen") -> str:
    """A problem → `::error file=…,line=…,col=…,title=…::message`, GitHub's workflow command that
    puts it on that line of the pull request's diff (escaped as GitHub's toolkit escapes: a value
    cannot end the command early or start another)."""
    properties = []
    if problem.file:
        properties.append(f"file={_property(_workspace_path(problem.file))}")
        if problem.line:
            properties.append(f"line={problem.line}")
            if problem.column:
                properties.append(f"col={problem.column}")
    properties.append(f"title={_property(f'cardgen {command}')}")
    message = f"{problem.field}: {problem.message}" if problem.field else problem.message
    if problem.kind == "strict":
        message += " (--strict)"
    return f"::{problem.severity} {','.join(properties)}::{_data(message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _workspace_path(file: str) -> str:
    """The file relative to the repository (GitHub places annotations by that path), else as is."""
    from pathlib import Path

    base = os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
    try:
        return Path(file).resolve().relative_to(Path(base).resolve()).as_posix()
    except (ValueError, OSError):
        return file
