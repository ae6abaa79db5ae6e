"""Command line → library calls. A thin layer: parsing, printing, exit codes.

User errors (`CardgenError`) print as `error: <file>:<line>: <what>` on stderr and exit 1,
without a traceback; anything else is a bug and keeps its traceback. Usage errors exit 2.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from cardgen import __version__

app = typer.Typer(
    name="cardgen",
    help="Turn a YAML deck file into numbered PNG carousel slides for VK and Telegram.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

ThemeOption = Annotated[Optional[str], typer.Option("--theme", help="Theme name or path, instead of the deck's.")]
SizeOption = Annotated[
    Optional[str],
    typer.Option("--size", help='portrait, square, telegram, story or "WIDTHxHEIGHT", instead of the deck\'s.'),
]
StrictOption = Annotated[bool, typer.Option("--strict", help="Treat warnings as errors (for CI).")]


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


@app.command()
def render(
    decks: Annotated[list[Path], typer.Argument(help="Deck files (.yaml) to render.", show_default=False)],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder; each deck goes to OUT/<deck stem>/.")] = Path("out"),
    theme: ThemeOption = None,
    size: SizeOption = None,
    strict: StrictOption = False,
    report: Annotated[
        Optional[Path], typer.Option("--report", help="Write a JSON layout report (sizes and lines as set) to this file.")
    ] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Print errors and warnings only.")] = False,
) -> None:
    """Render each DECK into OUT/<deck stem>/01.png, 02.png, …"""
    from cardgen.errors import CardgenError
    from cardgen.render import layout_report, render_deck

    failed = 0
    reports = []
    for deck in decks:
        try:
            result = render_deck(deck, out, theme=theme, size=size, strict=strict)
        except CardgenError as exc:
            failed += 1
            _print_error(exc)
            continue
        for notice in result.warnings:
            typer.echo(f"warning: {notice}", err=True)
        if report:
            reports.append(layout_report(result))
        if not quiet:
            typer.echo(f"{deck}: {len(result.slides)} slides → {result.out_dir}")
    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(json.dumps({"decks": reports}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if failed:
        raise typer.Exit(1)


@app.command()
def typograph(
    file: Annotated[Optional[Path], typer.Argument(help="Text file to process; standard input when left out.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="ru or en: which typographic rules apply.")] = "ru",
) -> None:
    """Apply Russian (or English) typographic rules to a text and print it: quotes, dashes, no-break spaces."""
    from cardgen.typograph import typograph as apply

    if lang not in ("ru", "en"):
        typer.echo(f'error: --lang: expected "ru" or "en", found "{lang}"', err=True)
        raise typer.Exit(2)
    if file is None:
        text = sys.stdin.read()
    else:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            typer.echo(f"error: {file}: cannot read as UTF-8 text: {exc}", err=True)
            raise typer.Exit(1) from None
    sys.stdout.write(apply(text, lang))
    if not text.endswith("\n"):
        sys.stdout.write("\n")


@app.command()
def quality(
    decks: Annotated[list[Path], typer.Argument(help="Deck files to lay out and check.", show_default=False)],
    theme: ThemeOption = None,
    size: SizeOption = None,
) -> None:
    """Check the typesetting of DECKs: hanging short words, one-word last lines, hyphens, size spread, glyphs.

    Exits 1 when any defect is found.
    """
    from cardgen.errors import CardgenError
    from cardgen.quality import check_quality
    from cardgen.render import layout_deck

    defects = 0
    for deck in decks:
        try:
            laid = layout_deck(deck, theme=theme, size=size)
        except CardgenError as exc:
            _print_error(exc)
            defects += 1
            continue
        report = check_quality(laid.cards, laid.pages, laid.deck.lang)
        counts = report.counts()
        typer.echo(
            f"{deck}: {len(laid.pages)} cards, {report.paragraphs} paragraphs, {report.lines} lines, "
            f"{report.hyphenated_lines} hyphenated, {report.single_word_last_lines} one-word last lines, "
            f"{report.fallback_glyphs} fallback glyphs, "
            f"{len(report.defects)} defects" + (f" ({', '.join(f'{k}: {v}' for k, v in sorted(counts.items()))})" if counts else "")
        )
        for defect in report.defects:
            typer.echo(f"  {defect}")
        for notice in laid.warnings:
            typer.echo(f"  warning: {notice}")
        defects += len(report.defects) + len(laid.warnings)
    if defects:
        raise typer.Exit(1)


@app.command()
def preview(
    deck: Annotated[Path, typer.Argument(help="Deck file to preview.", show_default=False)],
    out: Annotated[Optional[Path], typer.Option("-o", "--out", help="Sheet file (default: out/<deck stem>-sheet.png).")] = None,
    theme: ThemeOption = None,
    size: SizeOption = None,
    columns: Annotated[int, typer.Option("--columns", min=1, max=10, help="Slides per row.")] = 4,
    width: Annotated[int, typer.Option("--width", min=60, max=1080, help="Width of each thumbnail, px.")] = 360,
) -> None:
    """Render DECK into one contact-sheet PNG: every slide in order, as an album grid."""
    from cardgen.errors import CardgenError
    from cardgen.paint import paint_page
    from cardgen.render import layout_deck
    from cardgen.sheet import write_sheet

    try:
        laid = layout_deck(deck, theme=theme, size=size)
    except CardgenError as exc:
        _print_error(exc)
        raise typer.Exit(1) from None
    target = out or Path("out") / f"{deck.stem}-sheet.png"
    write_sheet([paint_page(page) for page in laid.pages], target, columns=columns, thumb_width=width)
    typer.echo(f"{deck}: {len(laid.pages)} slides → {target}")


@app.command()
def themes(
    folder: Annotated[Optional[Path], typer.Option("--dir", help="Also list the themes/ folder beside decks in DIR.")] = None,
) -> None:
    """List the themes: built-in ones and, with --dir, a project's own themes/ folder."""
    from cardgen.errors import CardgenError
    from cardgen.theme import builtin_theme_dir, builtin_themes, load_theme

    rows = [(name, "built-in", builtin_theme_dir()) for name in builtin_themes()]
    if folder is not None:
        rows += [(p.stem, str(p.parent), folder) for p in sorted((folder / "themes").glob("*.y*ml"))]
    width = max((len(name) for name, _, _ in rows), default=0)
    for name, origin, base in rows:
        try:
            description = load_theme(name, base if origin != "built-in" else None).description
        except CardgenError as exc:
            description = f"(broken: {exc.message})"
        typer.echo(f"{name:<{width}}  {description}" + ("" if origin == "built-in" else f"  [{origin}]"))


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

    target = out or Path("out") / f"theme-{Path(name).stem}.png"
    try:
        theme_sheet(name, target, size=size, columns=columns, thumb_width=width)
    except CardgenError as exc:
        _print_error(exc)
        raise typer.Exit(1) from None
    typer.echo(f"{name}: every layout of {preview_deck().name} → {target}")


@app.command()
def gallery(
    out: Annotated[Path, typer.Option("-o", "--out", help="Folder for the pictures.")] = Path("docs/gallery"),
    width: Annotated[int, typer.Option("--width", min=60, max=1080, help="Width of each thumbnail, px.")] = 240,
) -> None:
    """Render every layout in every built-in theme: one sheet per theme (the README's gallery)."""
    from cardgen.gallery import write_gallery

    for path in write_gallery(out, thumb_width=width):
        typer.echo(str(path))


def main() -> None:
    # cardgen uses no pydantic plugins; skipping their discovery saves start-up time.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
