"""Command line → library calls. A thin layer: parsing, printing, exit codes.

User errors (`CardgenError`) print as `error: <file>:<line>: <what>` on stderr and exit 1,
without a traceback; anything else is a bug and keeps its traceback. Usage errors exit 2.
"""

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from cardgen import __version__

if TYPE_CHECKING:
    from collections.abc import Iterable

    from cardgen.batch import Options
    from cardgen.limits import Limits

_APP_SETTINGS = dict(
    name="cardgen",
    help="Turn a YAML deck file into numbered PNG carousel slides for VK and Telegram.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
app = typer.Typer(**_APP_SETTINGS)  # type: ignore[arg-type]

ThemeOption = Annotated[Optional[str], typer.Option("--theme", help="Theme name or path, instead of the deck's.")]
SizeOption = Annotated[
    Optional[str],
    typer.Option("--size", help='portrait, square, telegram, story or "WIDTHxHEIGHT", instead of the deck\'s.'),
]
ForOption = Annotated[
    Optional[str],
    typer.Option("--for", help="telegram, vk, instagram or linkedin: size, albums, caption and format for it."),
]
FormatOption = Annotated[Optional[str], typer.Option("--format", help="png (default), jpeg, webp or pdf.")]
ScaleOption = Annotated[int, typer.Option("--scale", min=1, max=2, help="2: twice the pixels, for 2560 px platforms.")]
QualityOption = Annotated[
    Optional[int],
    typer.Option("--quality", min=1, max=100, help="JPEG quality (default 90); makes WebP lossy at this quality.",
                 show_default=False),
]
RootOption = Annotated[
    Optional[Path],
    typer.Option("--root", help="Paths in decks and their themes must stay inside this folder (default: each deck's folder)."),
]
AllowOutsideOption = Annotated[
    bool, typer.Option("--allow-outside-paths", help="Allow absolute paths and paths outside the project root.")
]
StrictOption = Annotated[bool, typer.Option("--strict", help="Treat warnings as errors (for CI).")]
LimitOption = Annotated[
    Optional[list[str]],
    typer.Option("--limit", metavar="NAME=VALUE", show_default=False,
                 help="Change an input limit, such as cards=500 or image_pixels=60000000 (repeatable; the "
                      "names and defaults are in the README's limits table)."),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cardgen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = None,
) -> None:
    """Turn a YAML deck file into numbered PNG carousel slides for VK and Telegram."""


def _print_error(exc: Exception) -> None:
    for line in str(exc).splitlines():
        typer.echo(f"error: {line}", err=True)


PathsArgument = Annotated[
    list[str],
    typer.Argument(metavar="PATH", help="Deck files, folders (searched recursively for decks) and glob patterns.",
                   show_default=False),
]
JobsOption = Annotated[
    Optional[int],
    typer.Option("-j", "--jobs", min=1, help="Cores to keep busy: parallel processes, or encoding threads beside one deck. Default: the number of cores.", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document to stdout (progress and messages go to stderr).")]
ShardOption = Annotated[
    Optional[str], typer.Option("--shard", metavar="I/N", help="Only shard I of N: the decks sorted by path, every N-th from the I-th.")
]
QuietOption = Annotated[bool, typer.Option("-q", "--quiet", help="Print errors and warnings only.")]


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # respects taskset and container CPU sets
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


_usage_errors: list[str] = []  # this run's usage errors, for the --json document
_documents: list[str] = []  # the --json documents written (one, or none yet)


def _usage_error(message: str) -> typer.Exit:
    typer.echo(f"error: {_safe(message)}", err=True)  # it may quote a file name or an argument
    _usage_errors.append(message)
    return typer.Exit(2)


def _safe(value: object) -> str:
    """A user's file name or argument, for one terminal line: control characters escaped."""
    from cardgen.errors import safe_text

    return safe_text(str(value))


def _checked_options(limit: Optional[list[str]] = None, root: Optional[Path] = None,
                     size: Optional[str] = None) -> "Limits":
    """The options that mean the same for every deck, checked before any deck is read → the limits.

    A wrong one is a usage error (exit 2), as a wrong --for or --format is, not a failed deck.
    """
    from cardgen.limits import with_overrides

    try:
        limits = with_overrides(limit or ())
    except ValueError as exc:
        raise _usage_error(str(exc)) from None
    if root is not None and not root.is_dir():
        raise _usage_error(f"--root: {root}: " + ("not a folder" if root.exists() else "no such folder"))
    if size is not None:
        from cardgen.deck import parse_size

        try:
            parse_size(size, limits)
        except ValueError as exc:
            raise _usage_error(f"--size: {exc}") from None
    return limits


def _theme_arg(theme: Optional[str]) -> Optional[str]:
    """A --theme path is relative to the folder the command runs in, as every path on the command
    line is (made absolute here, so every deck's worker finds the same file); a name stays a name."""
    if theme is None:
        return None
    from cardgen.theme import is_theme_path  # pydantic and the models: only when --theme is given

    return str(Path(theme).absolute()) if is_theme_path(theme) else theme


_TEXT_BYTES = 1_000_000  # a post or a caption for `import` and `typograph`: the size a deck file may have


def _read_text(path: Path, what: str = "file") -> str:
    """A UTF-8 text file (a BOM is fine), read at most `_TEXT_BYTES`: a folder, a pipe or a device is
    refused before it can block or flood memory. Any problem prints one error line and exits 1."""
    from cardgen.files import NotRegularFile, read_regular

    def fail(message: str) -> typer.Exit:
        typer.echo(f"error: {_safe(path)}: {message}", err=True)
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
        raise fail(f"line {line}: expected UTF-8 text, found byte 0x{raw[exc.start]:02x}; save the {what} as UTF-8") from None


def _check_theme(theme: Optional[str], decks: "Iterable[Path]") -> None:
    """--theme must name a theme for every deck (a bare name may be in a deck's own themes/ folder)."""
    if theme is None:
        return
    from cardgen.errors import CardgenError
    from cardgen.theme import find_theme

    for folder in dict.fromkeys(Path(deck).parent for deck in decks):
        try:
            find_theme(theme, folder)
        except CardgenError as exc:
            raise _usage_error(f"--theme: {exc.message}") from None


def _run_batch(command: str, paths: list[str], out: Path, options: "Options", shard: Optional[str], *,
               json_out: bool, quiet: bool, report: Optional[Path] = None) -> None:
    """Discover, shard, run, print; raise typer.Exit with the documented code."""
    import time

    from cardgen import batch
    from cardgen.console import Reporter, json_text
    from cardgen.discover import UsageError, parse_shard, plan_targets

    started = time.perf_counter()
    try:
        targets, total = plan_targets(paths, out, parse_shard(shard) if shard else None, writes=command != "check")
    except UsageError as exc:
        raise _usage_error(str(exc)) from None
    _check_theme(options.theme, (t.deck for t in targets))
    with Reporter(command, len(targets), quiet=quiet, json_mode=json_out) as reporter:
        outcomes = batch.run(targets, options, reporter.done)
    totals = batch.summary(outcomes, time.perf_counter() - started, options.jobs, shard, total)
    reporter.finish(totals)
    failed = bool(totals["failed"])
    document = batch.document(command, outcomes, totals)
    if report is not None:
        from cardgen.errors import CardgenError
        from cardgen.files import write_file

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
    raise typer.Exit(1 if failed else 0)


@app.command()
def render(
    paths: PathsArgument,
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder; each deck goes to OUT/<deck stem>/.")] = Path("out"),
    theme: ThemeOption = None,
    size: SizeOption = None,
    strict: StrictOption = False,
    report: Annotated[
        Optional[Path], typer.Option("--report", help="Write a JSON layout report (sizes and lines as set) to this file.")
    ] = None,
    quiet: QuietOption = False,
    jobs: JobsOption = None,
    force: Annotated[bool, typer.Option("--force", help="Render every deck, even those whose inputs did not change, "
                                        "and replace slides another deck of the same name wrote.")] = False,
    shard: ShardOption = None,
    json_out: JsonOption = False,
    root: RootOption = None,
    allow_outside: AllowOutsideOption = False,
    platform: ForOption = None,
    fmt: FormatOption = None,
    scale: ScaleOption = 1,
    quality: QualityOption = None,
    limit: LimitOption = None,
) -> None:
    """Render each deck into OUT/<deck stem>/01.png, 02.png, … (unchanged decks are skipped).

    Exit codes: 0 all good; 1 some deck failed (the others still render); 2 usage error.
    """
    from cardgen.batch import Options

    _check_publish(platform, fmt)
    limits = _checked_options(limit, root, size)
    theme = _theme_arg(theme)
    options = Options(theme=theme, size=size, strict=strict, force=force, jobs=jobs or _cores(), report=report is not None,
                      root=str(root) if root else None, allow_outside=allow_outside,
                      platform=platform, fmt=fmt, scale=scale, quality=quality, limits=limits)
    _run_batch("render", paths, out, options, shard, json_out=json_out, quiet=quiet, report=report)


@app.command()
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
) -> None:
    """Validate and lay out decks without writing images: every error and warning, located.

    Exit codes: 0 no errors (warnings allowed unless --strict); 1 some deck has errors; 2 usage error.
    """
    from cardgen.batch import Options

    _check_publish(platform, None)
    limits = _checked_options(limit, root, size)
    theme = _theme_arg(theme)
    options = Options(theme=theme, size=size, strict=strict, jobs=jobs or _cores(), mode="check",
                      root=str(root) if root else None, allow_outside=allow_outside, platform=platform,
                      limits=limits)
    _run_batch("check", paths, Path("out"), options, shard, json_out=json_out, quiet=quiet)


@app.command()
def watch(
    paths: PathsArgument,
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder; the gallery is OUT/index.html.")] = Path("out"),
    theme: ThemeOption = None,
    size: SizeOption = None,
    strict: StrictOption = False,
    jobs: JobsOption = None,
    serve: Annotated[bool, typer.Option("--serve", help="Also serve OUT on http://127.0.0.1:PORT.")] = False,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port for --serve (0: any free port).")] = 8000,
    quiet: QuietOption = False,
    root: RootOption = None,
    allow_outside: AllowOutsideOption = False,
    limit: LimitOption = None,
) -> None:
    """Render, then render again whatever a saved deck, theme, font or picture changes (Ctrl-C stops).

    OUT/index.html shows every deck's slides and reloads itself after each render.
    """
    from cardgen.batch import Options
    from cardgen.discover import UsageError, find_decks
    from cardgen.watch import Watcher
    from cardgen.watch import serve as start_server

    limits = _checked_options(limit, root, size)
    try:
        decks = find_decks(paths, out)  # a typo in PATH is a usage error now, not a silent empty watch
    except UsageError as exc:
        raise _usage_error(str(exc)) from None
    theme = _theme_arg(theme)
    _check_theme(theme, decks)
    options = Options(theme=theme, size=size, strict=strict, jobs=jobs or _cores(),
                      root=str(root) if root else None, allow_outside=allow_outside, limits=limits)
    watcher = Watcher(paths, out, options, quiet=quiet)
    server = None
    try:
        if serve:
            server = start_server(out, port)
            typer.echo(f"serving {_safe(out)} on http://127.0.0.1:{server.server_address[1]}/", err=True)
        watcher.run()
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)
    finally:
        if server is not None:
            server.shutdown()


@app.command()
def schema(
    theme: Annotated[bool, typer.Option("--theme", help="The schema of theme files instead of deck files.")] = False,
    out: Annotated[Optional[Path], typer.Option("-o", "--out", help="Write to this file instead of standard output.")] = None,
) -> None:
    """Print the JSON Schema of deck files (or theme files), for editor completion and validation."""
    from cardgen.schema import schema_text

    text = schema_text(theme)
    if out is None:
        sys.stdout.write(text)
    else:
        from cardgen.errors import CardgenError
        from cardgen.files import write_file

        try:
            write_file(out, text)
        except CardgenError as exc:
            _print_error(exc)
            raise typer.Exit(1) from None
        typer.echo(f"{'theme' if theme else 'deck'} schema → {_safe(out)}")


@app.command()
def new(
    name: Annotated[str, typer.Argument(help="The deck's name: writes NAME.yaml.", show_default=False)],
    folder: Annotated[Path, typer.Option("--dir", help="Folder to write the deck into.")] = Path("."),
    lang: Annotated[str, typer.Option("--lang", help="ru or en: the starter's language and typographic rules.")] = "ru",
) -> None:
    """Write a starter deck (a cover, three steps, a closing card) that renders as it is."""
    from cardgen.errors import CardgenError
    from cardgen.starter import write_starter

    if lang not in ("ru", "en"):
        raise _usage_error(f'--lang: expected "ru" or "en", found "{lang}"')
    try:
        path = write_starter(name, folder, lang)
    except ValueError as exc:
        raise _usage_error(str(exc)) from None
    except CardgenError as exc:
        _print_error(exc)
        raise typer.Exit(1) from None
    typer.echo(f"{_safe(path)}: a starter deck; render it with: cardgen render {_safe(path)}")


@app.command()
def typograph(
    file: Annotated[Optional[Path], typer.Argument(help="Text file to process; standard input when left out.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="ru or en: which typographic rules apply.")] = "ru",
) -> None:
    """Apply Russian (or English) typographic rules to a text and print it: quotes, dashes, no-break spaces."""
    from cardgen.typograph import typograph as apply

    if lang not in ("ru", "en"):
        raise _usage_error(f'--lang: expected "ru" or "en", found "{lang}"')
    if file is None:
        raw = sys.stdin.buffer.read(_TEXT_BYTES + 1)  # bounded: `< /dev/zero` must not fill memory
        if len(raw) > _TEXT_BYTES:
            typer.echo(f"error: standard input: the text is larger than {_TEXT_BYTES} bytes, the most allowed", err=True)
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


@app.command()
def quality(
    decks: Annotated[list[Path], typer.Argument(help="Deck files to lay out and check.", show_default=False)],
    theme: ThemeOption = None,
    size: SizeOption = None,
    root: RootOption = None,
    allow_outside: AllowOutsideOption = False,
    limit: LimitOption = None,
) -> None:
    """Check the typesetting of DECKs: hanging short words, one-word last lines, hyphens, size spread, glyphs.

    Exits 1 when any defect is found.
    """
    from cardgen.errors import CardgenError
    from cardgen.quality import check_quality
    from cardgen.render import layout_deck

    limits = _checked_options(limit, root, size)
    theme = _theme_arg(theme)
    _check_theme(theme, decks)
    defects = 0
    for deck in decks:
        try:
            laid = layout_deck(deck, theme=theme, size=size, root=root.resolve() if root else None,
                               allow_outside=allow_outside, input_limits=limits)
        except CardgenError as exc:
            _print_error(exc)
            defects += 1
            continue
        report = check_quality(laid.cards, laid.pages, laid.deck.lang)
        counts = report.counts()
        typer.echo(
            f"{_safe(deck)}: {len(laid.pages)} cards, {report.paragraphs} paragraphs, {report.lines} lines, "
            f"{report.hyphenated_lines} hyphenated, {report.single_word_last_lines} one-word last lines, "
            f"{report.fallback_glyphs} fallback glyphs, "
            f"{len(report.defects)} defects" + (f" ({', '.join(f'{k}: {v}' for k, v in sorted(counts.items()))})" if counts else "")
        )
        for defect in report.defects:
            typer.echo(f"  {_safe(defect)}")
        for notice in laid.warnings:
            typer.echo(f"  warning: {_safe(notice)}")
        defects += len(report.defects) + len(laid.warnings)
    if defects:
        raise typer.Exit(1)


@app.command()
def preview(
    deck: Annotated[Path, typer.Argument(help="Deck file to preview.", show_default=False)],
    out: Annotated[Optional[Path], typer.Option("-o", "--out", help="Sheet file (default: out/<deck stem>-sheet.png).")] = None,
    html: Annotated[
        Optional[Path], typer.Option("--html", help="Gallery page (default: the sheet's name with .html).")
    ] = None,
    theme: ThemeOption = None,
    size: SizeOption = None,
    columns: Annotated[int, typer.Option("--columns", min=1, max=10, help="Slides per row.")] = 4,
    width: Annotated[int, typer.Option("--width", min=60, max=1080, help="Width of each thumbnail, px.")] = 360,
    root: RootOption = None,
    allow_outside: AllowOutsideOption = False,
    limit: LimitOption = None,
) -> None:
    """Render DECK into a contact-sheet PNG (every slide in order, as an album grid) and a
    self-contained HTML gallery of the full-size slides: for review in pull requests."""
    from cardgen.batch import notice_problem
    from cardgen.errors import CardgenError
    from cardgen.export import encode_png, safe_stem
    from cardgen.html import PreviewPage, count_slides
    from cardgen.paint import paint_page
    from cardgen.render import check_deck
    from cardgen.sheet import SheetWriter

    limits = _checked_options(limit, root, size)
    theme = _theme_arg(theme)
    _check_theme(theme, [deck])
    try:
        laid = check_deck(deck, theme=theme, size=size, root=root.resolve() if root else None,
                          allow_outside=allow_outside, limits=limits)
    except CardgenError as exc:
        _print_error(exc)
        raise typer.Exit(1) from None
    warnings = [str(notice_problem(notice)) for notice in laid.warnings]
    for line in warnings:
        typer.echo(f"warning: {line}", err=True)
    target = out or Path("out") / f"{safe_stem(deck.stem)}-sheet.png"
    page = html or target.with_suffix(".html")
    count = len(laid.pages)
    try:
        # One slide at a time: painted, reduced onto the sheet, embedded in the page, dropped.
        # Each file replaces the previous one only when whole (a full disk leaves it as it was).
        with SheetWriter(target, count, columns=columns, thumb_width=width) as sheet, \
                PreviewPage(page, str(deck), laid.deck.title, count, warnings) as gallery:
            for laid_page in laid.pages:
                image = paint_page(laid_page, limits)
                sheet.add(image)
                gallery.add(encode_png(image))
                del image
    except CardgenError as exc:  # a picture that lies shows when it is decoded; a file that cannot be written
        _print_error(exc)
        raise typer.Exit(1) from None
    typer.echo(f"{_safe(deck)}: {count_slides(count)} → {_safe(target)}, {_safe(page)}")


@app.command()
def themes(
    folder: Annotated[Optional[Path], typer.Option("--dir", help="Also list the themes/ folder beside decks in DIR.")] = None,
) -> None:
    """List the themes: built-in ones and, with --dir, a project's own themes/ folder."""
    from cardgen.errors import CardgenError
    from cardgen.theme import builtin_theme_dir, builtin_themes, load_theme

    if folder is not None and not folder.is_dir():
        raise _usage_error(f"--dir: {folder}: " + ("not a folder" if folder.exists() else "no such folder"))
    rows = [(name, "built-in", builtin_theme_dir()) for name in builtin_themes()]
    if folder is not None:
        rows += [(p.stem, str(p.parent), folder) for p in sorted((folder / "themes").glob("*.y*ml"))]
    width = max((len(name) for name, _, _ in rows), default=0)
    for name, origin, base in rows:
        try:
            description = load_theme(name, base if origin != "built-in" else None).description
        except CardgenError as exc:
            description = f"(broken: {exc.message})"
        typer.echo(_safe(f"{name:<{width}}  {description}" + ("" if origin == "built-in" else f"  [{origin}]")))


@app.command("theme-preview")
def theme_preview(
    name: Annotated[str, typer.Argument(help="Theme name or path.", show_default=False)],
    out: Annotated[Optional[Path], typer.Option("-o", "--out", help="Sheet file (default: out/theme-NAME.png).")] = None,
    size: SizeOption = None,
    columns: Annotated[int, typer.Option("--columns", min=1, max=12, help="Slides per row.")] = 4,
    width: Annotated[int, typer.Option("--width", min=60, max=1080, help="Width of each thumbnail, px.")] = 360,
) -> None:
    """Render every layout in theme NAME onto one sheet, for designers."""
    from cardgen.errors import CardgenError
    from cardgen.gallery import preview_deck, theme_sheet

    if size is not None:
        _checked_options(size=size)
    target = out or Path("out") / f"theme-{Path(name).stem}.png"
    try:
        theme_sheet(name, target, size=size, columns=columns, thumb_width=width)
    except CardgenError as exc:
        _print_error(exc)
        raise typer.Exit(1) from None
    typer.echo(f"{_safe(name)}: every layout of {preview_deck().name} → {_safe(target)}")


@app.command()
def gallery(
    out: Annotated[Path, typer.Option("-o", "--out", help="Folder for the pictures.")] = Path("docs/gallery"),
    width: Annotated[int, typer.Option("--width", min=60, max=1080, help="Width of each thumbnail, px.")] = 240,
) -> None:
    """Render every layout in every built-in theme: one sheet per theme (the README's gallery)."""
    from cardgen.errors import CardgenError
    from cardgen.gallery import write_gallery

    try:
        paths = write_gallery(out, thumb_width=width)
    except CardgenError as exc:  # a file that cannot be written (a link planted where a sheet goes)
        _print_error(exc)
        raise typer.Exit(1) from None
    for path in paths:
        typer.echo(_safe(path))


def _check_publish(platform: str | None, fmt: str | None) -> None:
    from cardgen.formats import FORMATS
    from cardgen.platforms import PLATFORMS

    if platform is not None and platform.lower() not in PLATFORMS:
        raise _usage_error(f'--for: unknown platform "{platform}"; known: {", ".join(PLATFORMS)}')
    if fmt is not None and fmt.lower() not in (*FORMATS, "jpg"):
        raise _usage_error(f'--format: unknown format "{fmt}"; known: {", ".join(FORMATS)}')


@app.command("import")
def import_(
    post: Annotated[Path, typer.Argument(help="A post: a text or Markdown file, or a Telegram export result.json.",
                                         show_default=False)],
    out: Annotated[Optional[Path], typer.Option("-o", "--out", help="Deck file to write (default: standard output).")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="The deck's title (default: the post's first line).")] = None,
    lang: Annotated[str, typer.Option("--lang", help="ru or en.")] = "ru",
    size: Annotated[str, typer.Option("--size", help="The deck's size (sets how much text a card holds).")] = "portrait",
    post_id: Annotated[Optional[int], typer.Option("--id", help="Telegram export: the post to import.")] = None,
    list_posts: Annotated[bool, typer.Option("--list", help="Telegram export: list the posts and their ids.")] = False,
) -> None:
    """Turn a post into a deck file: a cover, cards from its paragraphs and lists, a closing card."""
    from cardgen.errors import CardgenError
    from cardgen.deck import SIZES
    from cardgen.importer import imported

    if lang not in ("ru", "en"):
        raise _usage_error(f'--lang: expected "ru" or "en", found "{lang}"')
    if size not in SIZES:  # the text budgets are measured per named size
        raise _usage_error(f'--size: unknown size "{size}"; expected one of {", ".join(SIZES)}')
    source = str(post)
    try:
        if post.suffix.lower() == ".json":
            from cardgen.files import file_kind
            from cardgen.telegram_export import post_listing, telegram_post, telegram_posts

            kind = file_kind(post.stat().st_mode)  # a pipe or device named result.json would block the read
            if kind:
                typer.echo(f"error: {_safe(post)}: expected a Telegram export (a JSON file), found {kind}", err=True)
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
        result = imported(text, source=post.name, lang=lang, title=title, size=size)
        deck = result.yaml
        for warning in result.warnings:
            typer.echo(f"warning: {_safe(source)}: {_safe(warning)}", err=True)
    except FileNotFoundError:
        typer.echo(f"error: {_safe(post)}: post not found", err=True)
        raise typer.Exit(1) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else exc.strerror or exc
        typer.echo(f"error: {_safe(post)}: cannot read the post: {_safe(reason)}", err=True)
        raise typer.Exit(1) from None
    except CardgenError as exc:
        _print_error(exc)
        raise typer.Exit(1) from None
    except ValueError as exc:
        typer.echo(f"error: {_safe(post)}: {_safe(exc)}", err=True)
        raise typer.Exit(1) from None
    if out is None:
        sys.stdout.write(deck)
        return
    from cardgen.files import write_file

    try:  # created exclusively: an existing file, or a link (even a dangling one), is never written through
        write_file(out, deck, new=True, exists="already exists; choose another name or delete it first")
    except CardgenError as exc:
        _print_error(exc)
        raise typer.Exit(1) from None
    typer.echo(f"{_safe(post)} → {_safe(out)}")


def main() -> None:
    # cardgen uses no pydantic plugins; skipping their discovery saves start-up time.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    for stream in (sys.stdout, sys.stderr):
        # The last net under every message: a file name that is not UTF-8 that escaped
        # `safe_text` prints as \udcff rather than stopping the run with UnicodeEncodeError.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    args = sys.argv[1:]
    if "--json" in args:
        _exit(_main_json(args))
    try:
        _app_for(args)()
        code: int | str | None = 0
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        code = 130
    except SystemExit as exc:
        code = exc.code
        if code == 130:  # typer turns Ctrl-C into a silent exit 130
            typer.echo("interrupted", err=True)
    except OSError as exc:
        code = _file_error(exc)
    _exit(code)


def _file_error(exc: OSError) -> int:
    """A file the command was told to read or write cannot be (`-o /proc/x.png`, a folder given
    for a file, a full disk): the file and the reason, exit 1, no traceback. Errors in deck
    inputs are reported with their deck location before they get here; this is the last net."""
    where = exc.filename if exc.filename is not None else None
    reason = exc.strerror or str(exc) or type(exc).__name__
    typer.echo(f"error: {_safe(where) + ': ' if where is not None else ''}{_safe(reason).lower()}", err=True)
    return 1


def _main_json(args: list[str]) -> int:
    """Run with --json: a usage error (exit 2) still prints one JSON document to standard output.

    A CI step that parses the output then reports the error, not a JSON decoding failure. click
    runs without its own exit handling here, so its usage errors reach this function; they are
    printed to standard error exactly as click prints them.
    """
    # click's base error class (typer bundles its own click in newer releases, so not by import).
    click_exception = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
    try:
        result = _app_for(args)(standalone_mode=False)
        code = result if isinstance(result, int) else 0
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("interrupted", err=True)
        return 130
    except click_exception as exc:
        exc.show()
        _usage_errors.append(exc.format_message())
        code = exc.exit_code
    except SystemExit as exc:
        code = 1 if isinstance(exc.code, str) else int(exc.code or 0)
    except OSError as exc:
        code = _file_error(exc)
    except Exception:  # a bug: its traceback on standard error, and still the one document
        import traceback

        traceback.print_exc()
        code = 1
        if not _documents:
            _write_document(args, 1, {"internal_error": "cardgen failed (a bug: see the traceback on standard error)"})
    if code == 130:  # Ctrl-C, which typer returns as exit code 130
        typer.echo("interrupted", err=True)
    if code == 2:
        _write_document(args, 2, {"usage_errors": _usage_errors or ["usage error (see standard error)"]})
    return code


def _write_document(args: list[str], code: int, problem: dict[str, object]) -> None:
    from cardgen import __version__
    from cardgen.console import json_text

    document = {"cardgen": __version__, "command": args[0] if args else None, "ok": False, "exit_code": code,
                **problem}
    sys.stdout.write(json_text(document))


def _command_name(info: typer.models.CommandInfo) -> str:
    return info.name or info.callback.__name__.lower().replace("_", "-")  # typer's own rule


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


def _exit(code: int | str | None) -> None:
    """End the process without the interpreter's tear-down when nothing is left to do.

    By now every file is written and closed, and worker threads and processes are joined. What
    Python would still do is free tens of thousands of objects (fonts, glyph masks, pydantic
    models, hyphenation patterns) one by one: ~0.1 s, 10-15 % of rendering a 7-card deck. So
    flush the two streams and leave at once. With another thread still running (a library
    user's, or a server) the ordinary exit runs instead, so nothing is cut short.
    """
    import threading

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
