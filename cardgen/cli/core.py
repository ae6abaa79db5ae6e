"""The command line's run without typer: an argument list → the exit code, and the bodies of
`cardgen render` and `cardgen check`.

`run` reads the project's config file, then gives a plain `render` or `check` line
(`cardgen.cli.fast`) straight to its body here, and any other line to typer (`cardgen.cli.app`,
passed in as `typer_command`, so this module never imports typer: 25-30 ms and 4 MiB of every
render). Either way the same handlers turn what the command raised into the exit code and the
same messages: user errors (`CardgenError`) print as `<file>:<line>:<col>: error: <what>` on
stderr and exit 1, without a traceback; anything else is a bug and keeps its traceback; usage
errors print as `error: <what>` and exit 2, with --json still one JSON document on stdout.
Defaults come from the project's config file (`cardgen.load.config`); flags win over it.

The bodies end with `SystemExit` (never typer's `Exit`), print through `_echo` (typer's `echo`
without typer) and are looked up by name when run, so the typer commands in `cardgen.cli.app`
and the fast path call the same function (a test replaces it to compare what each passes).
"""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from cardgen import __version__
from cardgen.base.files import write_file
from cardgen.base.process import cores
from cardgen.cli import fast
from cardgen.model.limits import with_overrides
from cardgen.model.problems import CardgenError, Problem, safe_text

if TYPE_CHECKING:
    from cardgen.load.config import Config
    from cardgen.model.limits import Limits
    from cardgen.run.batch import Options

TyperCommand = Callable[[list[str], dict[str, Any]], int]  # (arguments, click's settings) → exit code

_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")  # click's pattern of the escape sequences echo drops


def _echo(text: str, err: bool = False) -> None:
    """One line on stdout (stderr with `err`), flushed: what `typer.echo` prints, without typer.
    As click does, escape sequences are dropped when the stream is not a terminal."""
    stream = sys.stderr if err else sys.stdout
    try:
        terminal = stream.isatty()
    except Exception:  # a closed or odd stream: click counts it as no terminal
        terminal = False
    stream.write((text if terminal else _ANSI.sub("", text)) + "\n")
    stream.flush()


def _print_error(exc: CardgenError, command: str = "cardgen", annotations: str | None = None) -> None:
    """A `CardgenError` (one, or a group) → its problems, one `path:line:col: error: …` line each,
    and a GitHub workflow command after each when annotations are on."""
    from cardgen.run.console import github_annotations

    _print_problems(exc.problems, command, github_annotations(annotations))


def _print_problems(problems: Iterable[Problem], command: str, annotate: bool) -> None:
    for problem in problems:
        _echo(problem.diagnostic(), err=True)
        if annotate:
            from cardgen.run.console import workflow_command

            _echo(workflow_command(problem, command), err=True)


_usage_errors: list[str] = []  # this run's usage errors, for the --json document
_documents: list[str] = []  # the --json documents written (one, or none yet)


def _usage_error(message: str) -> SystemExit:
    _echo(f"error: {_safe(message)}", err=True)  # it may quote a file name or an argument
    _usage_errors.append(message)
    return SystemExit(2)


def _not_an_input(option: str, path: Path, inputs: Iterable[Path], folders: Iterable[Path] = ()) -> None:
    """An output file the command would write over one of its own inputs (the deck, its theme, a
    font or picture it reads), or into a folder it writes slides to, is a usage error, before
    anything is written: `--report deck.yaml` once replaced the deck with the report."""
    _not_an_option(option, path)
    where = Path(os.path.abspath(path))
    for file in inputs:
        if Path(os.path.abspath(file)) == where or (_exists(file) and _exists(path) and os.path.samefile(file, path)):
            raise _usage_error(f"{option}: {path} is one of this command's input files; name another file")
    for folder in folders:
        inside = Path(os.path.abspath(folder))
        if where == inside or inside in where.parents:
            raise _usage_error(
                f"{option}: {path} is inside {folder}, the folder of a deck's slides; write it elsewhere"
            )


def _not_an_option(option: str, path: Path) -> None:
    """An output named like an option (`--report -q`: click takes `-q` as the report's name) is a
    usage error, not a file called `-q` beside the deck. (pathlib reads `./-q` as `-q`: such a
    name is written with its whole folder.)"""
    if str(path).startswith("-"):
        raise _usage_error(
            f'{option}: expected a file or folder name, found "{_safe(path)}", which reads as an option; '
            f"a name that starts with - is written with its folder, as in {_safe(os.path.abspath(path))}"
        )


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def _located(path: object, message: str, line: int | None = None, level: str = "error") -> str:
    """`path:line: error: message`: a problem with a file the command was given, in the one form."""
    return Problem(message, str(path), line, kind="input" if level == "error" else "warning").diagnostic()


def _safe(value: object) -> str:
    """A user's file name or argument, for one terminal line: control characters escaped."""
    return safe_text(str(value))


def _checked_options(limit: list[str] | None = None, root: Path | None = None, size: str | None = None) -> Limits:
    """The options that mean the same for every deck, checked before any deck is read → the limits.

    A wrong one is a usage error (exit 2), as a wrong --for or --format is, not a failed deck.
    """
    try:
        limits = with_overrides([*(_CONFIG.limits() if _CONFIG else ()), *(limit or ())])  # the command line wins
    except ValueError as exc:
        raise _usage_error(str(exc)) from None
    if root is not None and not root.is_dir():
        raise _usage_error(f"--root: {root}: " + ("not a folder" if root.exists() else "no such folder"))
    if size is not None:
        from cardgen.load.deck import parse_size

        try:
            parse_size(size, limits)
        except ValueError as exc:
            raise _usage_error(f"--size: {exc}") from None
    return limits


def _theme_arg(theme: str | None) -> str | None:
    """A --theme path is relative to the folder the command runs in, as every path on the command
    line is (made absolute here, so every deck's worker finds the same file); a name stays a name."""
    if theme is None:
        return None
    from cardgen.load.theme import is_theme_path  # pydantic and the models: only when --theme is given

    return str(Path(theme).absolute()) if is_theme_path(theme) else theme


def _check_theme(theme: str | None, decks: Iterable[Path]) -> list[Path]:
    """--theme must name a theme for every deck (a bare name may be in a deck's own themes/ folder)
    → the theme files it names for them."""
    if theme is None:
        return []
    from cardgen.load.theme import find_theme

    found = []
    for folder in dict.fromkeys(Path(deck).parent for deck in decks):
        try:
            found.append(find_theme(theme, folder))
        except CardgenError as exc:
            raise _usage_error(f"--theme: {exc.message}") from None
    return found


def _run_batch(
    command: str,
    paths: list[str],
    out: Path,
    options: Options,
    shard: str | None,
    *,
    json_out: bool,
    quiet: bool,
    report: Path | None = None,
    annotations: str | None = None,
) -> None:
    """Discover, shard, run, print; raise SystemExit with the documented code."""
    import time

    from cardgen.run import batch
    from cardgen.run.console import Reporter, json_text
    from cardgen.run.discover import UsageError, parse_shard, plan_targets

    started = time.perf_counter()
    if command != "check":
        _not_an_option("-o", out)
    if command != "check" and out.exists() and not out.is_dir():  # said as such, not "cannot create: File exists"
        raise _usage_error(f"-o: {out} is a file, not a folder; name a folder for the slides")
    try:
        targets, total = plan_targets(paths, out, parse_shard(shard) if shard else None, writes=command != "check")
    except UsageError as exc:
        raise _usage_error(str(exc)) from None
    themes = _check_theme(options.theme, (t.deck for t in targets))
    if report is not None:
        _not_an_input("--report", report, [*(t.deck for t in targets), *themes], [t.out_dir for t in targets])
    with Reporter(command, len(targets), quiet=quiet, json_mode=json_out, annotations=annotations) as reporter:
        outcomes = batch.run(targets, options, reporter.done)
    totals = batch.summary(outcomes, time.perf_counter() - started, options.jobs, shard, total)
    reporter.finish(totals)
    failed = bool(totals["failed"])
    document = batch.document(command, outcomes, totals)
    if report is not None:
        reports = [o.report for o in outcomes if o.report is not None]
        try:  # whole or not at all: a full disk leaves the previous report as it was
            write_file(report, json_text({"decks": reports}))
        except CardgenError as exc:
            _print_error(exc)
            document = {**document, "ok": False, "exit_code": 1, "report_error": str(exc)}
            failed = True
    if json_out:  # always the one document, whatever failed
        sys.stdout.write(json_text(document))
        _documents.append(command)
    raise SystemExit(1 if failed else 0)


# The bodies of `cardgen render` and `cardgen check`: their options, help and defaults are the
# typer signatures of the same names in cardgen.cli.app, which call these with every value.


def render(
    paths: list[str],
    out: Path,
    theme: str | None,
    size: str | None,
    strict: bool,
    report: Path | None,
    quiet: bool,
    jobs: int | None,
    force: bool,
    shard: str | None,
    json_out: bool,
    root: Path | None,
    allow_outside: bool,
    platform: str | None,
    fmt: str | None,
    scale: int,
    quality: int | None,
    limit: list[str] | None,
    alt: bool,
    annotations: str | None,
) -> None:
    from cardgen.run.batch import Options

    limits = _checked_options(limit, root, size)
    theme = _theme_arg(theme)
    options = Options(
        theme=theme,
        size=size,
        strict=strict,
        force=force,
        jobs=jobs or cores(),
        report=report is not None,
        root=str(root) if root else None,
        allow_outside=allow_outside,
        platform=platform,
        fmt=fmt,
        scale=scale,
        quality=quality,
        limits=limits,
        alt=alt,
    )
    _run_batch(
        "render", paths, out, options, shard, json_out=json_out, quiet=quiet, report=report, annotations=annotations
    )


def check(
    paths: list[str],
    theme: str | None,
    size: str | None,
    strict: bool,
    quiet: bool,
    jobs: int | None,
    shard: str | None,
    json_out: bool,
    root: Path | None,
    allow_outside: bool,
    platform: str | None,
    limit: list[str] | None,
    annotations: str | None,
) -> None:
    from cardgen.run.batch import Options

    limits = _checked_options(limit, root, size)
    theme = _theme_arg(theme)
    options = Options(
        theme=theme,
        size=size,
        strict=strict,
        jobs=jobs or cores(),
        mode="check",
        root=str(root) if root else None,
        allow_outside=allow_outside,
        platform=platform,
        limits=limits,
    )
    _run_batch("check", paths, Path("out"), options, shard, json_out=json_out, quiet=quiet, annotations=annotations)


def run(args: list[str], typer_command: TyperCommand) -> int:
    """Run the command line → its exit code. A plain `render` or `check` line runs its body here
    (`fast.parsed`); any other goes to `typer_command`, which runs click without its own exit
    handling, so every usage error (click's and cardgen's) prints in one style, `error: --format:
    …`; with --json a usage error (exit 2) still prints one JSON document to standard output, so a
    CI step that parses the output reports the error, not a JSON decoding failure; so does a bug
    (exit 1)."""
    _fresh_run()
    try:
        settings = _config_settings(args)
    except CardgenError as exc:
        if {"-h", "--help", "--version"} & set(args):
            settings = {}  # help and the version need no settings: a broken file does not hide them
        else:
            _print_error(exc, "config")
            _usage_errors.extend(str(problem) for problem in exc.problems)
            return _usage_exit(args)
    try:
        call = fast.parsed(args, settings.get("default_map"), os.environ)
        code = typer_command(args, settings) if call is None else _invoke(*call)
    except KeyboardInterrupt:
        _echo("interrupted", err=True)
        return 130
    except SystemExit as exc:
        code = 1 if isinstance(exc.code, str) else int(exc.code or 0)
    except OSError as exc:
        code = _file_error(exc)
    except Exception:  # a bug: its traceback on standard error, and with --json still the one document
        import traceback

        traceback.print_exc()
        code = 1
        if "--json" in args and not _documents:
            _write_document(args, 1, {"internal_error": "cardgen failed (a bug: see the traceback on standard error)"})
    if code == 130:  # Ctrl-C, which typer returns as exit code 130
        _echo("interrupted", err=True)
    return _usage_exit(args) if code == 2 else code


def _invoke(command: str, values: dict[str, Any]) -> int:
    """A command's body with its values → what typer's `_main` (standalone_mode=False) makes of
    it: Ctrl-C is exit code 130; end of input a blank line, then the same as Ctrl-C (click's
    Abort); a closed pipe exit code 1, the streams then quiet about it (click's
    PacifyFlushWrapper). SystemExit and every other exception go to `run`'s handlers."""
    try:
        result = globals()[command](**values)  # looked up now: a test may have replaced it
    except EOFError:
        _echo("", err=True)
        return 130
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        sys.stdout, sys.stderr = cast(TextIO, _Pacified(sys.stdout)), cast(TextIO, _Pacified(sys.stderr))
        return 1
    return result if isinstance(result, int) else 0


class _Pacified:
    """A stream whose flush ignores a closed pipe (the reader went away): click's wrapper."""

    def __init__(self, wrapped: TextIO) -> None:
        self.wrapped = wrapped

    def flush(self) -> None:
        try:
            self.wrapped.flush()
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)


def _fresh_run() -> None:
    """Forget what a run before this one in the same process left: its usage errors, its --json
    document, its config file, and the caches of files it read (a file may have been saved since,
    or a config file added or removed). A command runs once per process, but a test runs many in
    one, and a run must not see the settings of the folder the previous one ran in."""
    global _CONFIG  # noqa: PLW0603 - see _config_settings
    _CONFIG = None
    _usage_errors.clear()
    _documents.clear()
    caches = sys.modules.get("cardgen.base.caches")
    if caches is not None:  # not imported: no run before this one, nothing cached (and start-up stays lean)
        caches.forget_files()


def _usage_exit(args: list[str]) -> int:
    """Exit code 2; with --json, the one document that says why."""
    if "--json" in args:
        document = {
            "cardgen": __version__,
            "command": args[0] if args else None,
            "ok": False,
            "exit_code": 2,
            "usage_errors": _usage_errors or ["usage error (see standard error)"],
        }
        from cardgen.run.console import json_text

        sys.stdout.write(json_text(document))
    return 2


_CONFIG: Config | None = None  # the project's config file, once read (see _config_settings)


def config() -> Config | None:
    """This run's config file, once `run` has read it (None: there is none)."""
    return _CONFIG


def _config_settings(args: list[str]) -> dict[str, Any]:
    """The project's config file (cardgen.toml or pyproject.toml [tool.cardgen], found upward from
    the working folder) → click's `default_map`: every option it sets is a default, and a flag
    on the command line wins. A broken file is a usage error (exit 2) naming its line."""
    global _CONFIG  # noqa: PLW0603 - the one config file of this process, read when click parses the command
    from cardgen.load.config import find_config, load_config

    try:
        found = find_config(Path.cwd())
    except OSError:  # the working folder was deleted under the shell: no settings to read
        return {}
    if found is None:
        return {}
    _CONFIG = load_config(found)  # a ConfigError is printed by run, exit 2
    return {"default_map": _CONFIG.default_map()}


def _file_error(exc: OSError) -> int:
    """A file the command was told to read or write cannot be (`-o /proc/x.png`, a folder given
    for a file, a full disk): the file and the reason, exit 1, no traceback. Errors in deck
    inputs are reported with their deck location before they get here; this is the last net."""
    where = exc.filename if exc.filename is not None else None
    reason = exc.strerror or str(exc) or type(exc).__name__
    _echo(_located(where, reason.lower()) if where is not None else f"error: {_safe(reason).lower()}", err=True)
    return 1


def _write_document(args: list[str], code: int, problem: dict[str, object]) -> None:
    from cardgen.run.console import json_text

    document = {"cardgen": __version__, "command": args[0] if args else None, "ok": False, "exit_code": code, **problem}
    sys.stdout.write(json_text(document))
