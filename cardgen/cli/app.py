"""Command line → library calls, through typer: the app, its commands' signatures (options, help,
defaults) and the bodies of every command but `render` and `check`.

The run around a command (config file, exit codes, usage errors, --json documents) and the
bodies of `render` and `check` are `cardgen.cli.core`, which runs a plain `render` or `check`
line without typer (`cardgen.cli.fast`, whose table `cardgen.cli.fasttable` builds from the
signatures here); every other line is parsed here, by typer (`typer_command`).
"""

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from cardgen import __version__
from cardgen.base.files import NotRegularFile, file_kind, read_regular, write_file
from cardgen.base.process import cores
from cardgen.cli import core
from cardgen.cli.core import (
    _check_theme,
    _checked_options,
    _located,
    _not_an_input,
    _not_an_option,
    _print_error,
    _print_problems,
    _safe,
    _theme_arg,
    _usage_error,
    _usage_errors,
)
from cardgen.model.problems import CardgenError, did_you_mean

if TYPE_CHECKING:
    from collections.abc import Iterable


try:
    from typer._param_types import coerce_cli_path as _coerce_cli_path
except ImportError:  # another typer: its own coercion for paths
    _coerce_cli_path = None  # type: ignore[assignment]


class _Coercion:
    """A parameter's value → the value typer would give the command, without typer's pydantic
    `TypeAdapter` when the value needs no conversion (see `_lean_coercion`)."""

    def __init__(self, param: Any) -> None:
        descriptor = param.type_descriptor
        self._annotation = descriptor.annotation
        self._info = descriptor.parameter_info
        self._multi = param.multiple or param.nargs == -1
        self._typer = param.get_runtime_param  # typer's own, built on first need

    def as_is(self, value: Any) -> bool:
        """Would typer's coercion return `value` unchanged? Only for the plain cases: a str for a
        str, strings for a list of str, an int within its bounds for an int."""
        kind, info = self._annotation, self._info
        if kind is str:
            return not self._multi and type(value) is str
        if kind == list[str]:
            return isinstance(value, (list, tuple)) and all(type(item) is str for item in value)
        if kind is int and type(value) is int and not info.clamp:
            return (info.min is None or value >= info.min) and (info.max is None or value <= info.max)
        return False

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:  # as typer's RuntimeParam.coerce: nothing given, no adapter needed
            return () if self._multi else None
        if self.as_is(value):
            return list(value) if isinstance(value, (list, tuple)) else value
        if (
            self._annotation is int
            and type(value) is str
            and value.isascii()
            and value.isdigit()
            and self.as_is(int(value))
        ):  # "-j 2": digits only; a sign, a space or a bound → typer
            return int(value)
        if (
            self._annotation is Path
            and self._info.path_type is None
            and _coerce_cli_path is not None
            and not self._multi
            and isinstance(value, (str, Path))
            and "\0" not in str(value)
        ):
            # typer's adapter for a path is pydantic's str → Path, then this check of typer's
            # own (exists, file or folder, readable: its flags, its messages). A NUL, which
            # os.stat refuses, is left to the adapter, which words the error as a usage error.
            return _coerce_cli_path(Path(value), self._info, path_type=Path, param=param, ctx=ctx)
        return self._typer().coerce(value, param=param, ctx=ctx)


def _lean_coercion(params: "Iterable[Any]") -> None:
    """typer (0.16 and later) coerces every parameter's value, defaults and absent options
    included, through a pydantic `TypeAdapter` built per parameter on first use: pydantic's
    import and some twenty schema builds (about 75 ms) on every `cardgen render`, and pydantic
    for `--help` alone. Values that need no conversion (None, a str, strings, an int in its
    bounds) pass through here, and a path goes straight to typer's own path check; anything
    else (a choice, a str to convert) goes to typer's own coercion, so its checks and messages
    stay typer's. A typer without these internals is left as it is."""
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or not hasattr(param, "get_runtime_param") or "get_runtime_param" in vars(param):
            continue  # not typer's, or already lean
        if descriptor.file_annotation is None and descriptor.parameter_info.parser is None:
            coercion = _Coercion(param)
            param.get_runtime_param = lambda coercion=coercion: coercion


class _Group(TyperGroup):
    """typer's group, with the lean coercion of its options (`--version`, `--help`, completion)."""

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        _lean_coercion(params)  # --help and the completion options are made here, not in __init__
        return params


class _Command(TyperCommand):
    """typer's command, with arguments shown as words: `DECK…`, not `{DECK}...` or `<list[str]>`,
    and the lean coercion of its parameters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperArgument):
                word = (param.metavar or param.name or "").upper() + ("…" if param.nargs != 1 else "")
                param.metavar = word
                shown = word if param.required else f"[{word}]"
                param.get_usage_pieces = lambda ctx, shown=shown: [shown]  # type: ignore[method-assign,misc]
                param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        _lean_coercion(params)
        return params


_APP_SETTINGS = dict(
    name="cardgen",
    cls=_Group,
    help="Turn a YAML deck file into numbered PNG carousel slides for VK and Telegram.",
    add_completion=True,  # --install-completion and --show-completion (bash, zsh, fish, PowerShell)
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app = typer.Typer(**_APP_SETTINGS)  # type: ignore[arg-type]
COMMAND: dict[str, Any] = {"cls": _Command}  # every command parses with _Command

# Options with a fixed set of values are choices: listed in --help, any case, checked by click.
# The names are cardgen's own (platforms.PLATFORMS, formats.FORMATS, deck.SIZES); a test keeps
# these in step with them (the modules are not imported here: `cardgen --help` stays fast).
Platform = Literal["telegram", "vk", "instagram", "linkedin"]
Format = Literal["png", "jpeg", "jpg", "webp", "pdf"]  # jpg: another name for jpeg
Lang = Literal["ru", "en"]
NamedSize = Literal["portrait", "square", "telegram", "story"]
Annotations = Literal["github", "none"]


def _choices(kind: Any) -> str:
    return "[" + "|".join(get_args(kind)) + "]"


ThemeOption = Annotated[
    str | None, typer.Option("--theme", metavar="NAME", help="Theme name or path, instead of the deck's.")
]
SizeOption = Annotated[
    str | None,
    typer.Option(
        "--size", metavar="SIZE", help='portrait, square, telegram, story or "WIDTHxHEIGHT", instead of the deck\'s.'
    ),
]
ForOption = Annotated[
    Platform | None,
    typer.Option(
        "--for",
        metavar=_choices(Platform),
        case_sensitive=False,
        help="The platform: size, albums, caption and format for it.",
    ),
]
FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format", metavar=_choices(Format), case_sensitive=False, help="The file format (default png; jpg is jpeg)."
    ),
]
ScaleOption = Annotated[
    int, typer.Option("--scale", metavar="N", min=1, max=2, help="2: twice the pixels, for 2560 px platforms.")
]
QualityOption = Annotated[
    int | None,
    typer.Option(
        "--quality",
        metavar="N",
        min=1,
        max=100,
        help="JPEG quality (default 90); makes WebP lossy at this quality.",
        show_default=False,
    ),
]
RootOption = Annotated[
    Path | None,
    typer.Option(
        "--root",
        metavar="DIR",
        help="Paths in decks and their themes must stay inside this folder (default: the project's folder, "
        "else each deck's folder).",
    ),
]
AllowOutsideOption = Annotated[
    bool, typer.Option("--allow-outside-paths", help="Allow absolute paths and paths outside the project root.")
]
StrictOption = Annotated[bool, typer.Option("--strict/--no-strict", help="Treat warnings as errors (for CI).")]
LimitOption = Annotated[
    list[str] | None,
    typer.Option(
        "--limit",
        metavar="NAME=VALUE",
        show_default=False,
        help="Change an input limit, such as cards=500 or image_pixels=60000000 (repeatable; the "
        "names and defaults are in the README's limits table).",
    ),
]
AnnotationsOption = Annotated[
    Annotations | None,
    typer.Option(
        "--annotations",
        metavar=_choices(Annotations),
        case_sensitive=False,
        show_default=False,
        help="github: also print each error and warning as a GitHub Actions workflow command, so it shows "
        "on the deck's line in the pull request (the default when GITHUB_ACTIONS=true); none: never.",
    ),
]
LangOption = Annotated[
    Lang,
    typer.Option(
        "--lang", metavar=_choices(Lang), case_sensitive=False, help="The language: typographic rules and words."
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cardgen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = None,
) -> None:
    """Turn a YAML deck file into numbered PNG carousel slides for VK and Telegram."""


PathsArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="DECK",
        help="Deck files, folders (searched recursively for decks) and glob patterns.",
        show_default=False,
    ),
]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "-j",
        "--jobs",
        metavar="N",
        min=1,
        help="Cores to keep busy: parallel processes, or encoding threads beside one deck. "
        "Default: the number of cores.",
        show_default=False,
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document to stdout (progress and messages go to stderr).")
]
ShardOption = Annotated[
    str | None,
    typer.Option(
        "--shard", metavar="I/N", help="Only shard I of N: the decks sorted by path, every N-th from the I-th."
    ),
]
QuietOption = Annotated[bool, typer.Option("-q", "--quiet", help="Print errors and warnings only.")]


_TEXT_BYTES = 1_000_000  # a post or a caption for `import` and `typograph`: the size a deck file may have


def _read_text(path: Path, what: str = "file") -> str:
    """A UTF-8 text file (a BOM is fine), read at most `_TEXT_BYTES`: a folder, a pipe or a device is
    refused before it can block or flood memory. Any problem prints one error line and exits 1."""

    def fail(message: str, line: int | None = None) -> typer.Exit:
        typer.echo(_located(path, message, line), err=True)
        return typer.Exit(1)

    try:
        raw = read_regular(path, _TEXT_BYTES)
    except FileNotFoundError:
        raise fail(f"{what} not found") from None
    except NotRegularFile as exc:
        raise fail(f"expected a text file, found {exc.kind}") from None
    except OSError as exc:
        raise fail(f"cannot read the {what}: {exc.strerror or exc}") from None
    except ValueError:  # a NUL in the name
        raise fail("the file name is not valid") from None
    if len(raw) > _TEXT_BYTES:
        raise fail(f"the {what} is larger than {_TEXT_BYTES} bytes, the most allowed")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(f"expected UTF-8 text, found byte 0x{raw[exc.start]:02x}; save the {what} as UTF-8", line) from None


@app.command(**COMMAND)
def render(
    paths: PathsArgument,
    out: Annotated[
        Path, typer.Option("-o", "--out", metavar="DIR", help="Output folder; each deck goes to DIR/<deck stem>/.")
    ] = Path("out"),
    theme: ThemeOption = None,
    size: SizeOption = None,
    strict: StrictOption = False,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", metavar="FILE", help="Write a JSON layout report (sizes and lines as set) to this file."
        ),
    ] = None,
    quiet: QuietOption = False,
    jobs: JobsOption = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Render every deck, even those whose inputs did not change, "
            "and replace slides another deck of the same name wrote.",
        ),
    ] = False,
    shard: ShardOption = None,
    json_out: JsonOption = False,
    root: RootOption = None,
    allow_outside: AllowOutsideOption = False,
    platform: ForOption = None,
    fmt: FormatOption = None,
    scale: ScaleOption = 1,
    quality: QualityOption = None,
    limit: LimitOption = None,
    alt: Annotated[
        bool,
        typer.Option(
            "--alt/--no-alt",
            help="Write alt.txt beside the slides: a line of alt text "
            "per slide (always for --for instagram and linkedin).",
        ),
    ] = False,
    annotations: AnnotationsOption = None,
) -> None:
    """Render each deck into OUT/<deck stem>/01.png, 02.png, … (unchanged decks are skipped).

    Exit codes: 0 all good; 1 some deck failed (the others still render); 2 usage error.
    """
    core.render(**locals())  # the body is typer-free: the fast path (cardgen.cli.fast) runs it too


@app.command(**COMMAND)
def check(
    paths: PathsArgument,
    theme: ThemeOption = None,
    size: SizeOption = None,
    strict: StrictOption = False,
    quiet: QuietOption = False,
    jobs: JobsOption = None,
    shard: ShardOption = None,
    json_out: JsonOption = False,
    root: RootOption = None,
    allow_outside: AllowOutsideOption = False,
    platform: ForOption = None,
    limit: LimitOption = None,
    annotations: AnnotationsOption = None,
) -> None:
    """Validate and lay out decks without writing images: every error and warning, located.

    Exit codes: 0 no errors (warnings allowed unless --strict); 1 some deck has errors; 2 usage error.
    """
    core.check(**locals())


@app.command(**COMMAND)
def watch(
    paths: PathsArgument,
    out: Annotated[
        Path, typer.Option("-o", "--out", metavar="DIR", help="Output folder; the gallery is DIR/index.html.")
    ] = Path("out"),
    theme: ThemeOption = None,
    size: SizeOption = None,
    strict: StrictOption = False,
    jobs: JobsOption = None,
    serve: Annotated[bool, typer.Option("--serve", help="Also serve OUT on http://127.0.0.1:PORT.")] = False,
    port: Annotated[
        int, typer.Option("--port", metavar="N", min=0, max=65535, help="Port for --serve (0: any free port).")
    ] = 8000,
    quiet: QuietOption = False,
    root: RootOption = None,
    allow_outside: AllowOutsideOption = False,
    limit: LimitOption = None,
) -> None:
    """Render, then render again whatever a saved deck, theme, font or picture changes (Ctrl-C stops).

    DIR/index.html shows every deck's slides and reloads itself after each render. Ctrl-C stops the
    watch: it prints "stopped" and exits 0; a usage error exits 2.
    """
    from cardgen.run.batch import Options
    from cardgen.run.discover import UsageError, find_decks
    from cardgen.run.watch import Watcher
    from cardgen.run.watch import serve as start_server

    limits = _checked_options(limit, root, size)
    try:
        decks = find_decks(paths, out)  # a typo in PATH is a usage error now, not a silent empty watch
    except UsageError as exc:
        raise _usage_error(str(exc)) from None
    theme = _theme_arg(theme)
    _check_theme(theme, decks)
    options = Options(
        theme=theme,
        size=size,
        strict=strict,
        jobs=jobs or cores(),
        root=str(root) if root else None,
        allow_outside=allow_outside,
        limits=limits,
    )
    watcher = Watcher(paths, out, options, quiet=quiet)
    server = None
    try:
        if serve:
            server = start_server(out, port)
            typer.echo(f"serving {_safe(out)} on http://127.0.0.1:{server.server_address[1]}/", err=True)

        def announce(cycle: int, outcomes: object) -> None:
            if cycle == 1:  # after the first render the folders are known: the decks', their themes', inputs'
                given = [Path(p).absolute() for p in paths]
                others = [f for f in watcher.folders() if not any(f == g or f.is_relative_to(g) for g in given)]
                more = f" and {len(others)} folder{'s' if len(others) != 1 else ''} of their themes, fonts and pictures"
                typer.echo(
                    _safe(
                        f"watching {', '.join(paths)}{more if others else ''} for saved decks, themes, fonts "
                        "and pictures; press Ctrl-C to stop"
                    ),
                    err=True,
                )

        watcher.run(on_cycle=announce)
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)  # the way a watch ends: exit code 0
    finally:
        if server is not None:
            server.shutdown()


@app.command(**COMMAND)
def schema(
    theme: Annotated[bool, typer.Option("--theme", help="The schema of theme files instead of deck files.")] = False,
    config: Annotated[
        bool,
        typer.Option(
            "--config",
            help="The schema of the project's settings (cardgen.toml, "
            "pyproject.toml [tool.cardgen]) instead of deck files.",
        ),
    ] = False,
    out: Annotated[
        Path | None, typer.Option("-o", "--out", metavar="FILE", help="Write to this file instead of standard output.")
    ] = None,
) -> None:
    """Print the JSON Schema of deck files (or theme files, or settings), for editor completion and validation."""
    if theme and config:
        raise _usage_error("--theme and --config: choose one schema")
    if config:
        from cardgen.load.config import schema as config_schema

        from cardgen.run.console import json_text

        text, what = json_text(config_schema()), "config"
    else:
        from cardgen.load.schema import schema_text

        text, what = schema_text(theme), "theme" if theme else "deck"
    if out is None:
        sys.stdout.write(text)
    else:
        try:
            write_file(out, text)
        except CardgenError as exc:
            _print_error(exc)
            raise typer.Exit(1) from None
        typer.echo(f"{what} schema → {_safe(out)}")


@app.command("config", **COMMAND)
def config_(
    json_out: JsonOption = False,
) -> None:
    """Print the project's settings, each with where it came from: the config file (cardgen.toml, or
    [tool.cardgen] in pyproject.toml, found upward from here) or cardgen's default. Flags win over both."""
    from cardgen.load.config import Config

    found = core.config()
    rows = (found or Config(Path("(none)"), "", {})).describe()
    if json_out:
        document = {
            "cardgen": __version__,
            "file": str(found.path) if found else None,
            "settings": [{"key": k, "value": v, "source": src} for k, v, src in rows],
        }
        from cardgen.run.console import json_text

        sys.stdout.write(json_text(document))
        return
    if found is None:
        typer.echo(
            "no config file here or above (cardgen.toml, or [tool.cardgen] in pyproject.toml): "
            "cardgen's defaults, and your flags"
        )
    else:
        typer.echo(f"{_safe(found.path)}{' ' + found.table if found.table else ''}: flags on the command line win")
    width = max(len(key) for key, _, _ in rows)
    value_width = min(40, max(len(value) for _, value, _ in rows))
    for key, value, source in rows:
        typer.echo(_safe(f"{key:<{width}}  {value:<{value_width}}  {source}"))


@app.command(**COMMAND)
def new(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The deck's name: writes NAME.yaml.", show_default=False)],
    folder: Annotated[Path, typer.Option("--dir", metavar="DIR", help="Folder to write the deck into.")] = Path("."),
    lang: LangOption = "ru",
) -> None:
    """Write a starter deck (a cover, three steps, a closing card) that renders as it is."""
    from cardgen.cli.starter import write_starter

    try:
        path = write_starter(name, folder, lang)
    except ValueError as exc:
        raise _usage_error(str(exc)) from None
    except CardgenError as exc:
        _print_error(exc)
        raise typer.Exit(1) from None
    typer.echo(f"{_safe(path)}: a starter deck; render it with: cardgen render {_safe(path)}")


@app.command(**COMMAND)
def typograph(
    file: Annotated[
        Path | None, typer.Argument(metavar="FILE", help="Text file to process; standard input when left out.")
    ] = None,
    lang: LangOption = "ru",
) -> None:
    """Apply Russian (or English) typographic rules to a text and print it: quotes, dashes, no-break spaces."""
    from cardgen.text.typograph import typograph as apply

    if file is None:
        raw = sys.stdin.buffer.read(_TEXT_BYTES + 1)  # bounded: `< /dev/zero` must not fill memory
        if len(raw) > _TEXT_BYTES:
            typer.echo(
                f"error: standard input: the text is larger than {_TEXT_BYTES} bytes, the most allowed", err=True
            )
            raise typer.Exit(1)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            typer.echo(f"error: standard input: expected UTF-8 text, found byte 0x{raw[exc.start]:02x}", err=True)
            raise typer.Exit(1) from None
    else:
        text = _read_text(file, "text")
    sys.stdout.write(apply(text, lang))
    if not text.endswith("\n"):
        sys.stdout.write("\n")


@app.command(**COMMAND)
def quality(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Deck files, folders or glob patterns to lay out and check.", show_default=False, metavar="PATH"
        ),
    ],
    theme: ThemeOption = None,
    size: SizeOption = None,
    root: RootOption = None,
    allow_outside: AllowOutsideOption = False,
    limit: LimitOption = None,
    annotations: AnnotationsOption = None,
) -> None:
    """Check the typesetting and composition of decks: hanging short words, one-word last lines,
    hyphens, glyphs; empty bands, type under the floor, uneven body sizes, titles too close to
    the body, ornaments over text, photos darkened too much.

    Exits 0 when nothing is found, 1 when any defect or warning is.
    """
    from cardgen.run.discover import UsageError, find_decks
    from cardgen.review.quality import check_laid_out
    from cardgen.run.pipeline import layout_deck

    limits = _checked_options(limit, root, size)
    theme = _theme_arg(theme)
    try:
        decks = find_decks(paths)
    except UsageError as exc:
        raise _usage_error(str(exc)) from None
    _check_theme(theme, decks)
    defects = 0
    for deck in decks:
        try:
            laid = layout_deck(
                deck,
                theme=theme,
                size=size,
                root=root.resolve() if root else None,
                allow_outside=allow_outside,
                input_limits=limits,
            )
        except CardgenError as exc:
            _print_error(exc, "quality", annotations)
            defects += 1
            continue
        report = check_laid_out(laid)
        counts = report.counts()
        typer.echo(
            f"{_safe(deck)}: {len(laid.pages)} cards, {report.paragraphs} paragraphs, {report.lines} lines, "
            f"{report.hyphenated_lines} hyphenated, {report.single_word_last_lines} one-word last lines, "
            f"{report.fallback_glyphs} fallback glyphs, "
            f"{len(report.defects)} defects"
            + (f" ({', '.join(f'{k}: {v}' for k, v in sorted(counts.items()))})" if counts else "")
        )
        for defect in report.defects:
            typer.echo(f"  {_safe(defect)}")
        for notice in laid.warnings:
            typer.echo(f"  warning: {_safe(notice)}")
        defects += len(report.defects) + len(laid.warnings)
    if defects:
        raise typer.Exit(1)


@app.command(**COMMAND)
def preview(
    deck: Annotated[Path, typer.Argument(metavar="DECK", help="Deck file to preview.", show_default=False)],
    out: Annotated[
        Path | None,
        typer.Option("-o", "--out", metavar="FILE", help="Sheet file (default: out/<deck stem>-sheet.png)."),
    ] = None,
    html: Annotated[
        Path | None, typer.Option("--html", metavar="FILE", help="Gallery page (default: the sheet's name with .html).")
    ] = None,
    theme: ThemeOption = None,
    size: SizeOption = None,
    columns: Annotated[int, typer.Option("--columns", metavar="N", min=1, max=10, help="Slides per row.")] = 4,
    width: Annotated[
        int, typer.Option("--width", metavar="PX", min=60, max=1080, help="Width of each thumbnail, px.")
    ] = 360,
    root: RootOption = None,
    allow_outside: AllowOutsideOption = False,
    limit: LimitOption = None,
    annotations: AnnotationsOption = None,
) -> None:
    """Render DECK into a contact-sheet PNG (every slide in order, as an album grid) and a
    self-contained HTML gallery of the full-size slides: for review in pull requests."""
    from cardgen.output.formats import encode_png
    from cardgen.output.slides import safe_stem
    from cardgen.output.html import PreviewPage, count_slides
    from cardgen.paint.draw import paint_page
    from cardgen.run.pipeline import check_deck
    from cardgen.output.sheet import SheetWriter

    limits = _checked_options(limit, root, size)
    for option, given in (("-o", out), ("--html", html)):
        if given is not None:  # before any work: `-o -q` is a usage error, not a slow one
            _not_an_option(option, given)
    theme = _theme_arg(theme)
    _check_theme(theme, [deck])
    try:
        laid = check_deck(
            deck,
            theme=theme,
            size=size,
            root=root.resolve() if root else None,
            allow_outside=allow_outside,
            limits=limits,
        )
    except CardgenError as exc:
        _print_error(exc, "preview", annotations)
        raise typer.Exit(1) from None
    from cardgen.run.console import github_annotations

    _print_problems(laid.warnings, "preview", github_annotations(annotations))
    warnings = [str(problem) for problem in laid.warnings]
    target = out or Path("out") / f"{safe_stem(deck.stem)}-sheet.png"
    page = html or target.with_suffix(".html")
    from cardgen.run.manifest import deck_inputs

    inputs = [Path(file) for file, exists in deck_inputs(laid, theme).items() if exists]
    _not_an_input("-o", target, inputs)
    _not_an_input("--html", page, inputs)
    if Path(os.path.abspath(page)) == Path(os.path.abspath(target)):
        raise _usage_error(f"--html: {page} is also the sheet's file (-o); name two files")
    count = len(laid.pages)
    try:
        # One slide at a time: painted, reduced onto the sheet, embedded in the page, dropped.
        # Each file replaces the previous one only when whole (a full disk leaves it as it was).
        with (
            SheetWriter(target, count, columns=columns, thumb_width=width) as sheet,
            PreviewPage(page, str(deck), laid.deck.title, count, warnings) as gallery,
        ):
            for laid_page in laid.pages:
                image = paint_page(laid_page, limits)
                sheet.add(image)
                gallery.add(encode_png(image))
                del image
    except CardgenError as exc:  # a picture that lies shows when it is decoded; a file that cannot be written
        _print_error(exc, "preview", annotations)
        raise typer.Exit(1) from None
    typer.echo(f"{_safe(deck)}: {count_slides(count)} → {_safe(target)}, {_safe(page)}")


@app.command(**COMMAND)
def themes(
    folder: Annotated[
        Path | None,
        typer.Option("--dir", metavar="DIR", help="List the themes/ folder beside decks in DIR (default: here)."),
    ] = None,
) -> None:
    """List the themes a deck here can name: built-in ones, and the themes/ folders beside the decks
    (here, or in DIR) and in the project's folder (where its config file is)."""
    from cardgen.load.theme import builtin_theme_dir, builtin_themes, load_theme, theme_folders

    if folder is not None and not folder.is_dir():
        raise _usage_error(f"--dir: {folder}: " + ("not a folder" if folder.exists() else "no such folder"))
    rows = [(name, "built-in", builtin_theme_dir()) for name in builtin_themes()]
    for themes_folder in theme_folders(folder or Path.cwd()):
        if themes_folder.resolve() == builtin_theme_dir().resolve():  # run inside cardgen's own clone: listed above
            continue
        rows += [(p.stem, str(p.parent), p.parent.parent) for p in sorted(themes_folder.glob("*.y*ml")) if p.is_file()]
    width = max((len(name) for name, _, _ in rows), default=0)
    for name, origin, base in rows:
        try:
            description = load_theme(name, base if origin != "built-in" else None).description
        except CardgenError as exc:
            description = f"(broken: {exc.message})"
        typer.echo(_safe(f"{name:<{width}}  {description}" + ("" if origin == "built-in" else f"  [{origin}]")))


@app.command("theme-preview", **COMMAND)
def theme_preview(
    name: Annotated[
        str,
        typer.Argument(
            metavar="THEME",
            help="Theme name or path (a name: themes/NAME.yaml here or in the project, else built-in).",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path | None, typer.Option("-o", "--out", metavar="FILE", help="Sheet file (default: out/theme-THEME.png).")
    ] = None,
    size: SizeOption = None,
    columns: Annotated[int, typer.Option("--columns", metavar="N", min=1, max=12, help="Slides per row.")] = 4,
    width: Annotated[
        int, typer.Option("--width", metavar="PX", min=60, max=1080, help="Width of each thumbnail, px.")
    ] = 360,
) -> None:
    """Render every layout in theme NAME onto one sheet, for designers."""
    from cardgen.run.gallery import preview_deck, theme_sheet
    from cardgen.load.theme import find_theme

    if size is not None:
        _checked_options(size=size)
    target = out or Path("out") / f"theme-{Path(name).stem}.png"
    try:
        # Found as a deck in this folder would find it: themes/ here, the project's, built-in; a
        # path is relative to this folder, as every path on the command line is.
        path = find_theme(name, Path.cwd())
        _not_an_input("-o", target, [path])
        theme_sheet(str(path), target, size=size, columns=columns, thumb_width=width)
    except CardgenError as exc:
        _print_error(exc)
        raise typer.Exit(1) from None
    typer.echo(f"{_safe(name)}: every layout of {preview_deck().name} → {_safe(target)}")


@app.command(**COMMAND)
def gallery(
    out: Annotated[Path, typer.Option("-o", "--out", metavar="DIR", help="Folder for the pictures.")] = Path(
        "docs/gallery"
    ),
    width: Annotated[
        int, typer.Option("--width", metavar="PX", min=60, max=1080, help="Width of each thumbnail, px.")
    ] = 240,
) -> None:
    """Render every layout in every built-in theme: one sheet per theme (the README's gallery)."""
    from cardgen.run.gallery import write_gallery

    try:
        paths = write_gallery(out, thumb_width=width)
    except CardgenError as exc:  # a file that cannot be written (a link planted where a sheet goes)
        _print_error(exc)
        raise typer.Exit(1) from None
    for path in paths:
        typer.echo(_safe(path))


@app.command("import", **COMMAND)
def import_(
    post: Annotated[
        Path,
        typer.Argument(
            metavar="POST",
            help="A post: a text or Markdown file, or a Telegram export result.json.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path | None, typer.Option("-o", "--out", metavar="FILE", help="Deck file to write (default: standard output).")
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="The deck's title (default: the post's first line).")
    ] = None,
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang",
            metavar=_choices(Lang),
            case_sensitive=False,
            help="ru or en (default: the post's own).",
            show_default=False,
        ),
    ] = None,
    size: Annotated[
        NamedSize,
        typer.Option(
            "--size",
            metavar=_choices(NamedSize),
            case_sensitive=False,
            help="The deck's size (sets how much text a card holds).",
        ),
    ] = "portrait",
    platform: Annotated[
        Platform | None,
        typer.Option(
            "--for",
            metavar=_choices(Platform),
            case_sensitive=False,
            show_default=False,
            help="The caption's budget and the deck's platform: key.",
        ),
    ] = None,
    post_id: Annotated[
        int | None, typer.Option("--id", metavar="N", help="Telegram export: the post to import.")
    ] = None,
    list_posts: Annotated[bool, typer.Option("--list", help="Telegram export: list the posts and their ids.")] = False,
) -> None:
    """Turn a post into a deck: a cover, cards for its parts (titled text, steps, lists, chats,
    quotes, links), a closing card."""
    from cardgen.importer.design import imported

    source = str(post)
    try:
        if post.suffix.lower() == ".json":
            from cardgen.importer.telegram_export import post_listing, telegram_post, telegram_posts

            kind = file_kind(post.stat().st_mode)  # a pipe or device named result.json would block the read
            if kind:
                typer.echo(_located(post, f"expected a Telegram export (a JSON file), found {kind}"), err=True)
                raise typer.Exit(1)
            if list_posts:
                typer.echo(post_listing(telegram_posts(post)))
                return
            if post_id is None:
                raise _usage_error("--id: which post of the export? (see --list)")
            text = telegram_post(post, post_id).text
            source = f"{post} (post {post_id})"
        else:
            for option, given in (("--list", list_posts), ("--id", post_id is not None)):
                if given:  # not silently ignored: the user expected an export
                    raise _usage_error(f"{option}: only for a Telegram export (a .json file); {post} is a post text")
            text = _read_text(post, "post")
        result = imported(
            text, source=post.name, lang=lang, title=title, size=size, platform=platform.lower() if platform else None
        )
        deck = result.yaml
        for warning in result.warnings:
            typer.echo(_located(source, warning, level="warning"), err=True)
    except FileNotFoundError:
        typer.echo(_located(post, "post not found"), err=True)
        raise typer.Exit(1) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else exc.strerror or exc
        typer.echo(_located(post, f"cannot read the post: {reason}"), err=True)
        raise typer.Exit(1) from None
    except CardgenError as exc:
        _print_error(exc)
        raise typer.Exit(1) from None
    except ValueError as exc:
        typer.echo(_located(post, str(exc)), err=True)
        raise typer.Exit(1) from None
    if out is None:
        sys.stdout.write(deck)
        return
    try:  # created exclusively: an existing file, or a link (even a dangling one), is never written through
        write_file(out, deck, new=True, exists="already exists; choose another name or delete it first")
    except CardgenError as exc:
        _print_error(exc)
        raise typer.Exit(1) from None
    typer.echo(f"{_safe(post)} → {_safe(out)}")


def _click_usage(exc: Exception) -> str:
    """One of click's usage errors → cardgen's words: `--format: "gif" is not one of …`."""
    param = getattr(exc, "param", None)
    name = (
        ("/".join(param.opts) if getattr(param, "param_type_name", "") == "option" else param.metavar)
        if param
        else None
    )
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx else "cardgen"
    kind = type(exc).__name__
    if kind == "MissingParameter":
        return f"missing {name or 'a value'} (see {command} -h)"
    if kind == "NoSuchOption":
        given = getattr(exc, "option_name", "")
        return (
            f"no such option {given}{did_you_mean(given, getattr(exc, 'possibilities', None) or ())}; see {command} -h"
        )
    message = _number_problem(exc) or str(getattr(exc, "message", exc)).removeprefix("Value error, ").rstrip(".")
    if name and kind == "BadParameter":
        return f"{name}: {message}"
    return message[:1].lower() + message[1:] + (f" (see {command} -h)" if kind == "UsageError" else "")


def _number_problem(exc: Exception) -> str | None:
    """typer checks a number option with pydantic: its words ("Input should be a valid integer,
    unable to parse string as an integer") → what was expected and what was found:
    `expected a whole number, found "1.5"`, `expected at most 2, found "3"`. None: not one."""
    errors = getattr(exc.__cause__, "errors", None)
    try:
        error = errors()[0] if callable(errors) else None
    except Exception:  # not pydantic's error after all: click's own words
        return None
    if not isinstance(error, dict) or "input" not in error:
        return None
    limits = error.get("ctx") or {}
    expected = {
        "int_parsing": "a whole number",
        "int_from_float": "a whole number",
        "int_type": "a whole number",
        "less_than_equal": f"at most {limits.get('le')}",
        "greater_than_equal": f"at least {limits.get('ge')}",
        "less_than": f"less than {limits.get('lt')}",
        "greater_than": f"more than {limits.get('gt')}",
    }.get(str(error.get("type")))
    if expected is None:
        return None
    return f'expected {expected}, found "{error["input"]}"'


def typer_command(args: list[str], settings: dict[str, Any]) -> int:
    """typer parses and runs the command line → the exit code (`core.run` handles the rest).
    click runs without its own exit handling: its usage errors print here in cardgen's style."""
    # click's base error class (typer bundles its own click in newer releases, so not by import).
    # typer vends its own click (typer._click): its ClickException is found from a public class
    click_exception: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
    try:
        # prog_name: usage lines, help and shell completion say `cardgen`, also under `python -m cardgen`.
        result = _app_for(args)(args=args, prog_name="cardgen", standalone_mode=False, **settings)
    except typer.Abort:  # end of input at a prompt: as Ctrl-C
        return 130
    except click_exception as exc:
        message = _click_usage(exc)
        typer.echo(f"error: {_safe(message)}", err=True)
        _usage_errors.append(message)
        return int(getattr(exc, "exit_code", 2))
    return result if isinstance(result, int) else 0


def _run(args: list[str]) -> int:
    """The command line → its exit code, in this process (the tests' runner): `core.run`, typer
    for any line the fast path does not take."""
    return core.run(args, typer_command)


def _command_name(info: typer.models.CommandInfo) -> str:
    callback = info.callback.__name__ if info.callback else ""
    return info.name or callback.lower().replace("_", "-")  # typer's own rule


def _app_for(args: list[str]) -> typer.Typer:
    """The app to run for these arguments: only the command being run, when one is named.

    typer turns every registered command into a click command on each start (signatures,
    annotations, defaults, a validator per option): for twelve commands that is a sizeable part
    of start-up, of which `cardgen render` needs one. The same callback and settings make the
    same group, so usage lines, help and errors are the ones the whole app gives. Anything
    else (no command, options first, a misspelt command to suggest for) gets the whole app.
    """
    if not args:
        return app
    chosen = [info for info in app.registered_commands if _command_name(info) == args[0]]
    if len(chosen) != 1:
        return app
    lean = typer.Typer(**_APP_SETTINGS)  # type: ignore[arg-type]
    lean.registered_callback = app.registered_callback
    lean.registered_commands = chosen
    return lean
