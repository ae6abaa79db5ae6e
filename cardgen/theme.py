"""Theme file(s) → `Theme` (pydantic): colors, fonts, text roles, spacing, background, chrome.

A theme may `extends:` another by name or path; the child's keys override the parent's key by
key (maps merge deeply, lists replace). Names are looked up in a `themes/` folder beside the deck
first, then among cardgen's built-in themes. Sizes are px on a 1080 px wide canvas; resolve scales
them to the deck's canvas.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from cardgen.color import parse_color
from cardgen.deck import deck_errors
from cardgen.errors import ThemeError, Where, did_you_mean, one_of
from cardgen.fonts import data_dir
from cardgen.limits import DEFAULT_LIMITS, Limits
from cardgen.source_types import Source

ROLES = (
    "cover_title",
    "cover_subtitle",
    "title",
    "body",
    "number",
    "stat",
    "column_title",
    "item",
    "item_marker",
    "quote",
    "quote_mark",
    "quote_author",
    "cta_title",
    "cta_text",
    "url",
    "author_name",
    "author_handle",
    "footer",
    "counter",
    "hint",
)
DEFAULT_THEME = "default"
MAX_EXTENDS = 16


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FontRef(_Model):
    family: str
    weight: int = Field(400, ge=100, le=900)


class Role(_Model):
    font: str = "body"  # a key of `fonts:`
    weight: int | None = Field(None, ge=100, le=900)  # overrides the font's weight
    bold_weight: int = Field(700, ge=100, le=900)  # for **bold** inside this role
    size: float = Field(40, gt=0, le=600)
    min_size: float | None = Field(None, gt=0, le=600)
    line_height: float = Field(1.3, gt=0.5, le=3)
    color: str = "text"
    align: Literal["left", "center", "right"] = "left"
    uppercase: bool = False
    tracking: float = 0.0  # reserved: letter spacing in em
    hyphenate: bool = False
    balance: bool = False
    paragraph_gap: float = Field(0.6, ge=0, le=4)  # em between paragraphs


class Background(_Model):
    type: Literal["solid", "linear", "radial", "image"] = "solid"
    color: str = "background"
    colors: list[str] = Field(default_factory=list)  # gradients: two or more stops, evenly spaced
    angle: float = 180.0  # linear: degrees, CSS convention: 180 = top to bottom
    center: tuple[float, float] = (0.5, 0.5)  # radial: the centre, as shares of width and height
    radius: float = Field(0.75, gt=0, le=4)  # radial: the last stop's distance, as a share of the diagonal
    image: Path | None = None  # image: a picture file, relative to the theme file
    darken: float = Field(0.35, ge=0, le=1)  # image: a black veil for legible text
    blur: float = Field(0, ge=0, le=60)  # image: Gaussian blur radius, px at 1080 wide

    @model_validator(mode="after")
    def _stops(self) -> Background:
        if self.type in ("linear", "radial") and len(self.colors) < 2:
            raise ValueError(f"a {self.type} background needs at least two colors")
        if self.type == "image" and self.image is None:
            raise ValueError("an image background needs image: (a file path)")
        return self


class Shape(_Model):
    """A decorative shape a theme places behind the text (px at 1080 wide; may run off the edge)."""

    type: Literal["circle", "ring", "rect"] = "circle"
    x: float  # left edge; negative runs off the canvas
    y: float  # top edge; from the bottom when `from_bottom`
    size: float = Field(gt=0)  # diameter (circle, ring) or width (rect)
    height: float | None = None  # rect only; default: size
    color: str = "accent"
    opacity: float = Field(0.15, ge=0, le=1)
    width: float = Field(6, gt=0)  # ring: line width
    radius: float = 0  # rect: corner radius
    from_right: bool = False  # x is measured from the right edge
    from_bottom: bool = False  # y is measured from the bottom edge
    layouts: list[str] | None = None  # only on these layouts (default: all)


class Spacing(_Model):
    margin: float = Field(88, ge=0, le=400)  # px at 1080 px width, each side
    gap: float = Field(40, ge=0, le=400)  # between blocks
    chrome_gap: float = Field(56, ge=0, le=400)  # between the header/footer rows and the content


class Counter(_Model):
    show: bool = True
    style: Literal["fraction", "number", "dots", "bar"] = "fraction"  # "3/9", "03", ••○, a progress bar
    format: str = "{n}/{total}"  # fraction: the text ({n} and {total}); number: "{n:02d}"-like
    position: Literal["top-right", "top-left", "bottom-right"] = "top-right"
    # Step cards read «Шаг 3 из 7» / "Step 3 of 7" instead of "4/10" (text counters; 2+ steps).
    steps: bool = False

    @field_validator("format")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        try:
            value.format(n=1, total=9)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"format may use {{n}} and {{total}} only; found {value!r}") from exc
        return value


class SwipeHint(_Model):
    show: bool = True
    text: dict[str, str] = Field(default_factory=lambda: {"ru": "Листайте →", "en": "Swipe →"})


class Brand(_Model):
    """The footer's brand: the author's handle and/or a logo, on every card without its own footer."""

    handle: bool = False  # show the deck author's handle when a card has no footer
    logo: Path | None = None  # a logo file (relative to the theme file), drawn at the footer's left
    logo_height: float = Field(44, gt=0, le=200)


class AdMarking(_Model):
    """Where a deck's `ad:` marking («Реклама. … erid: …») goes; the deck's `ad.show` overrides it."""

    show: Literal["all", "first", "last", "first-last"] = Field(
        "all", description="Which cards carry the marking: all (each slide can be forwarded alone), "
        "first, last or first-last."
    )


class Accent(_Model):
    style: Literal["color", "highlight"] = "color"
    color: str = "accent"  # text color of ==accent== (style: color) or the highlight fill
    text: str = "on_accent"  # text color on the highlight (style: highlight)


class Theme(_Model):
    name: str = ""
    description: str = ""
    extends: str | None = None
    colors: dict[str, str] = Field(default_factory=dict)
    fonts: dict[str, FontRef] = Field(default_factory=dict)
    roles: dict[str, Role] = Field(default_factory=dict)
    background: Background = Field(default_factory=Background)
    spacing: Spacing = Field(default_factory=Spacing)
    counter: Counter = Field(default_factory=Counter)
    swipe_hint: SwipeHint = Field(default_factory=SwipeHint)
    accent: Accent = Field(default_factory=Accent)
    shapes: list[Shape] = Field(default_factory=list)
    brand: Brand = Field(default_factory=Brand)
    ad: AdMarking = Field(default_factory=AdMarking)
    # Not written by users: the chain of files this theme came from (child first).
    files: tuple[Path, ...] = Field(default=(), exclude=True)

    @field_validator("colors")
    @classmethod
    def _colors(cls, value: dict[str, str]) -> dict[str, str]:
        for name, color in value.items():
            if color in value and color != name:
                continue  # an alias of another palette color
            parse_color(color)
        return value

    @field_validator("roles")
    @classmethod
    def _roles(cls, value: dict[str, Role]) -> dict[str, Role]:
        for name in value:
            if name not in ROLES:
                raise ValueError(
                    f'unknown text role "{name}"{did_you_mean(name, ROLES)}; known: {", ".join(ROLES)}'
                )
        return value

    @model_validator(mode="after")
    def _references(self) -> Theme:
        for name, role in self.roles.items():
            if role.font not in self.fonts:
                raise ValueError(
                    f'roles.{name}.font: unknown font key "{role.font}"; the theme\'s fonts: '
                    f"{one_of(self.fonts)}"
                )
            self.color(role.color, f"roles.{name}.color")
        return self

    def color(self, value: str, field: str = "color") -> tuple[int, int, int, int]:
        """A palette name or a color literal → RGBA."""
        seen = set()
        while value in self.colors and value not in seen:
            seen.add(value)
            value = self.colors[value]
        try:
            return parse_color(value)
        except ValueError:
            raise ValueError(
                f'{field}: unknown color "{value}"{did_you_mean(value, self.colors)}; '
                f"use a palette name ({one_of(self.colors)}) or a hex color such as #1A1A2E"
            ) from None


def builtin_theme_dir() -> Path:
    return data_dir("themes")


def builtin_themes() -> list[str]:
    return sorted(p.stem for p in builtin_theme_dir().glob("*.yaml"))


def find_theme(
    name: str, deck_folder: Path | None, where: Where | None = None, *, root: Path | None = None,
    allow_outside: bool = False,
) -> Path:
    """A theme name or path → its file: a path, then `themes/` beside the deck, then built-in.

    With `root`, a path must stay inside it (symlinks resolved) unless `allow_outside`.
    """
    candidates: list[Path] = []
    if name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name:
        folder = deck_folder or Path.cwd()
        if root is not None:
            from cardgen.deck import checked_path

            try:
                checked_path(name, folder, root, allow_outside, image=False)
            except ValueError as exc:
                raise ThemeError(str(exc), where) from None
        candidates.append(folder / name)
    else:
        if deck_folder is not None:
            candidates += [deck_folder / "themes" / f"{name}.yaml", deck_folder / "themes" / f"{name}.yml"]
        candidates.append(builtin_theme_dir() / f"{name}.yaml")
    for path in candidates:
        if path.is_file():
            return path.resolve()
    local = sorted(p.stem for p in (deck_folder / "themes").glob("*.y*ml")) if deck_folder else []
    known = sorted(set(builtin_themes()) | set(local))
    raise ThemeError(f'unknown theme "{name}"{did_you_mean(name, known)}; known: {", ".join(known)}', where)


def load_theme(
    name: str | None, deck_folder: Path | None = None, where: Where | None = None, *,
    root: Path | None = None, allow_outside: bool = False, limits: Limits = DEFAULT_LIMITS,
) -> Theme:
    """Find, read, merge the `extends:` chain (cycles are errors) and validate a theme.

    With `root`, every theme path (the name given and each `extends:`) must stay inside it.
    `limits`: the YAML size, depth and alias bounds each theme file is read with.
    """
    from cardgen.source import read_yaml

    path = find_theme(name or DEFAULT_THEME, deck_folder, where, root=root, allow_outside=allow_outside)
    chain: list[Source] = []
    seen: list[Path] = []
    while True:
        if path in seen:
            cycle = " → ".join(p.name for p in [*seen[seen.index(path) :], path])
            raise ThemeError(f"themes extend each other in a cycle: {cycle}", Where(seen[-1]))
        if len(seen) >= MAX_EXTENDS:
            raise ThemeError(f"more than {MAX_EXTENDS} themes in an extends chain", Where(path))
        seen.append(path)
        source = read_yaml(path, ThemeError, limits)
        if not isinstance(source.data, dict):
            raise ThemeError("expected a mapping of theme keys (colors:, fonts:, roles:, …)", Where(path, 1))
        chain.append(source)
        parent = source.data.get("extends")
        if parent is None:
            break
        if not isinstance(parent, str):
            raise ThemeError("extends: expected a theme name or path", source.where(("extends",)))
        path = find_theme(parent, path.parent.parent if path.parent.name == "themes" else path.parent,
                          source.where(("extends",)), root=root, allow_outside=allow_outside)
    merged: dict[str, Any] = {}
    for source in reversed(chain):
        merged = deep_merge(merged, source.data)
    merged.setdefault("name", chain[0].path.stem)
    _absolute_theme_paths(merged, chain)
    merged.pop("extends", None)
    try:
        return Theme.model_validate({**merged, "files": tuple(s.path for s in chain)})
    except ValidationError as exc:
        # Name the child file; the line of the nearest source that has the key.
        raise _theme_error(exc, chain) from None


def _theme_error(exc: ValidationError, chain: list[Source]) -> ThemeError:
    for source in chain:
        err = deck_errors(exc, source, Theme)
        if err.where.line and err.where.line > 1 or source is chain[-1]:
            return ThemeError(err.message, err.where)
    raise AssertionError("unreachable")


def _absolute_theme_paths(merged: dict[str, Any], chain: list[Source]) -> None:
    """Paths resolve against the theme file that declares them (not the one that extends it)."""
    for section, key in (("background", "image"), ("brand", "logo")):
        value = merged.get(section, {}).get(key) if isinstance(merged.get(section), dict) else None
        if not isinstance(value, str):
            continue
        owner = next((s for s in chain if isinstance(s.data.get(section), dict) and s.data[section].get(key) == value),
                     chain[0])
        path = (owner.path.parent / value).resolve()
        if not path.is_file():
            raise ThemeError(f'{section}.{key}: file not found: "{value}" (looked in {owner.path.parent})',
                             owner.where((section, key)))
        merged[section] = {**merged[section], key: path}


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out
