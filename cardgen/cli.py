"""Command line → library calls. A thin layer: parsing, printing, exit codes.

User errors (`CardgenError`) print as `error: <file>:<line>: <what>` on stderr and exit 1,
without a traceback; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

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


@app.command()
def render(
    decks: Annotated[list[Path], typer.Argument(help="Deck files (.yaml) to render.", show_default=False)],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder; each deck goes to OUT/<deck stem>/.")] = Path("out"),
    theme: Annotated[Optional[str], typer.Option("--theme", help="Theme name or path, instead of the deck's.")] = None,
    size: Annotated[
        Optional[str],
        typer.Option("--size", help='portrait, square, telegram, story or "WIDTHxHEIGHT", instead of the deck\'s.'),
    ] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Print errors only.")] = False,
) -> None:
    """Render each DECK into OUT/<deck stem>/01.png, 02.png, …"""
    from cardgen.errors import CardgenError
    from cardgen.render import render_deck

    failed = 0
    for deck in decks:
        try:
            result = render_deck(deck, out, theme=theme, size=size)
        except CardgenError as exc:
            failed += 1
            for line in str(exc).splitlines():
                typer.echo(f"error: {line}", err=True)
            continue
        for warning in result.warnings:
            typer.echo(f"warning: {deck}: {warning}", err=True)
        if not quiet:
            typer.echo(f"{deck}: {len(result.slides)} slides → {result.out_dir}")
    if failed:
        raise typer.Exit(1)


def main() -> None:
    # cardgen uses no pydantic plugins; skipping their discovery saves ~20 ms of start-up.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
