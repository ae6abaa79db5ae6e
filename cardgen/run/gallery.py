"""Themes → preview sheets: the built-in preview deck (every layout once) rendered in a theme.

`cardgen theme-preview NAME` makes one sheet; `cardgen gallery` makes one per built-in theme
(the pictures under docs/gallery/ that the README shows).
"""

from __future__ import annotations

from pathlib import Path

from cardgen.load.theme import builtin_theme_dir, builtin_themes


def preview_deck() -> Path:
    return builtin_theme_dir() / "_preview" / "preview.yaml"


def theme_sheet(theme: str, target: Path, *, size: str | None = None, columns: int = 4, thumb_width: int = 360) -> Path:
    from cardgen.paint.draw import paint_page
    from cardgen.run.pipeline import layout_deck
    from cardgen.output.sheet import write_sheet

    laid = layout_deck(preview_deck(), theme=theme, size=size)
    return write_sheet(
        (paint_page(page) for page in laid.pages),
        target,
        count=len(laid.pages),
        columns=columns,
        thumb_width=thumb_width,
    )


def write_gallery(folder: Path, *, thumb_width: int = 240) -> list[Path]:
    return [theme_sheet(name, folder / f"{name}.png", columns=6, thumb_width=thumb_width) for name in builtin_themes()]
