"""Theme file(s) → `Theme` (plain records, `load.records`): colors, fonts, text roles, spacing, background, chrome.

A theme may `extends:` another by name or path; the child's keys override the parent's key by
key (maps merge deeply, lists replace). Names are looked up in a `themes/` folder beside the deck
first, then among cardgen's built-in themes. Sizes are px on a 1080 px wide canvas; resolve scales
them to the deck's canvas.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from cardgen.model.color import parse_color
from cardgen.load.deck import LAYOUTS, checked_path, internal_key_errors
from cardgen.load.records import Context, Record, Unsure, build, raise_all, spec
from cardgen.model.problems import CardgenError, ThemeError, Where, combine, did_you_mean, found, one_of, shown
from cardgen.base.files import file_kind
from cardgen.load.fonts import data_dir
from cardgen.model.limits import DEFAULT_LIMITS, Limits
from cardgen.model.source import FieldPath, Source, format_path
from cardgen.base.caches import memo

ROLES = (
    "cover_title",
    "cover_subtitle",
    "title",
    "body",
    "number",
    "stat",
    "column_title",
    "column_item",
    "item",
    "item_marker",
    "quote",
    "quote_mark",
    "quote_author",
    "cta_title",
    "cta_text",
    "statement",
    "message",
    "message_name",
    "url",
    "author_name",
    "author_handle",
    "footer",
    "counter",
    "hint",
)
# The roles set large: WCAG's "large text" (3:1 is enough contrast for them, 4.5:1 for the others).
LARGE_ROLES = frozenset(
    {"cover_title", "title", "number", "stat", "quote", "quote_mark", "cta_title", "column_title", "statement"}
)
DEFAULT_THEME = "default"
MAX_EXTENDS = 16
# Theme texts are short by nature; capped so that no theme can make a card's chrome take seconds
# to set (a 450 000-character swipe hint once did) or flood a listing.
MAX_NAME_CHARS = 100
MAX_DESCRIPTION_CHARS = 300
MAX_HINT_CHARS = 80
MAX_COUNTER_CHARS = 40
MAX_SHAPES = 20
# Every number has a range (px are at 1080 px wide): checked when the theme loads, so `check` and
# `render` agree, and painting never meets a radius of 1e-300 or a ring 1e308 px wide.
SHAPE_REACH = 2160  # two canvas widths: a shape may start off the canvas, or be larger than it


@dataclass(frozen=True, kw_only=True)
class FontRef(Record):
    """A font key: a family of cardgen's fonts, or font files beside the theme (a brand's own)."""

    family: str | None = spec(None, description="A family of cardgen's fonts: Inter, Manrope, NotoSans, NotoSerif, …")
    file: Path | list[Path] | None = spec(
        None,
        description="A font file (TTF, OTF, WOFF2, WOFF) relative to the theme file, or a list of them: the "
        "weights and italics of one family. Family, weights and styles come from the files' own tables; a variable "
        "font is instanced at the weights the roles ask for.",
    )
    weight: int = spec(400, ge=100, le=900)

    def check(self) -> None:
        if (self.family is None) == (self.file is None):
            raise ValueError(
                "give a family (one of cardgen's fonts) or a file (font files beside the theme), not both"
                if self.family
                else "expected family: or file:"
            )

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(self.file) if isinstance(self.file, list) else (self.file,) if self.file else ()


@dataclass(frozen=True, kw_only=True)
class Role(Record):
    UNSUPPORTED: ClassVar[dict[str, str]] = {
        "tracking": "letter spacing is not drawn (type is set at the font's own spacing); remove the key"
    }

    font: str = "body"  # a key of `fonts:`
    weight: int | None = spec(None, ge=100, le=900)  # overrides the font's weight
    bold_weight: int = spec(700, ge=100, le=900)  # for **bold** inside this role
    size: float = spec(40, ge=8, le=600)  # the reading size: what a card of average density gets
    min_size: float | None = spec(None, ge=8, le=600)  # the floor: a full card shrinks down to it
    max_size: float | None = spec(None, ge=8, le=600)  # a sparse card steps up to it (the type scale)
    line_height: float = spec(1.3, gt=0.5, le=3)
    color: str = "text"
    align: Literal["left", "center", "right"] = "left"
    uppercase: bool = False
    hyphenate: bool = False
    balance: bool = False
    paragraph_gap: float = spec(0.6, ge=0, le=4)  # em between paragraphs

    def check(self) -> None:
        # the sizes of the type scale must be in order, or one of them is silently never used
        low, high = self.min_size, self.max_size
        if low is not None and high is not None and low > high:
            raise ValueError(f"min_size {low:g} is larger than max_size {high:g}; expected min_size ≤ size ≤ max_size")
        if low is not None and low > self.size:
            raise ValueError(f"min_size {low:g} is larger than size {self.size:g}; expected min_size ≤ size ≤ max_size")
        if high is not None and high < self.size:
            raise ValueError(
                f"max_size {high:g} is smaller than size {self.size:g}; expected min_size ≤ size ≤ max_size"
            )


@dataclass(frozen=True, kw_only=True)
class Background(Record):
    type: Literal["solid", "linear", "radial", "image"] = "solid"
    color: str = "background"
    colors: list[str] = spec(factory=list)  # gradients: two or more stops, evenly spaced
    angle: float = spec(180.0, ge=-360, le=360)  # linear: degrees, CSS convention: 180 = top to bottom
    # radial: the centre, as shares of width and height (it may lie off the canvas, not far)
    center: tuple[float, float] = spec((0.5, 0.5), item_ge=-1, item_le=2)
    radius: float = spec(0.75, ge=0.05, le=4)  # radial: the last stop's distance, as a share of the diagonal
    image: Path | None = None  # image: a picture file, relative to the theme file
    darken: float = spec(0.35, ge=0, le=1)  # image: a black veil for legible text
    blur: float = spec(0, ge=0, le=60)  # image: Gaussian blur radius, px at 1080 wide

    def check(self) -> None:
        if self.type in ("linear", "radial") and len(self.colors) < 2:
            raise ValueError(f"a {self.type} background needs at least two colors")
        if self.type == "image" and self.image is None:
            raise ValueError("an image background needs image: (a file path)")


@dataclass(frozen=True, kw_only=True)
class Shape(Record):
    """A decorative shape a theme places behind the text (px at 1080 wide; may run off the edge)."""

    type: Literal["circle", "ring", "rect"] = "circle"
    x: float = spec(ge=-SHAPE_REACH, le=SHAPE_REACH)  # left edge; negative runs off the canvas
    y: float = spec(ge=-SHAPE_REACH, le=SHAPE_REACH)  # top edge; from the bottom when `from_bottom`
    size: float = spec(ge=1, le=SHAPE_REACH)  # diameter (circle, ring) or width (rect)
    height: float | None = spec(None, ge=1, le=SHAPE_REACH)  # rect only; default: size
    color: str = "accent"
    opacity: float = spec(0.15, ge=0, le=1)
    width: float = spec(6, ge=0.5, le=200)  # ring: line width
    radius: float = spec(0, ge=0, le=SHAPE_REACH)  # rect: corner radius
    from_right: bool = False  # x is measured from the right edge
    from_bottom: bool = False  # y is measured from the bottom edge
    layouts: list[str] | None = None  # only on these layouts (default: all)


@dataclass(frozen=True, kw_only=True)
class Spacing(Record):
    margin: float = spec(88, ge=0, le=400)  # px at 1080 px width, each side
    gap: float = spec(40, ge=0, le=400)  # between blocks
    chrome_gap: float = spec(56, ge=0, le=400)  # between the header/footer rows and the content


def _counter_format(value: str, _: Context) -> None:
    capped(value, MAX_COUNTER_CHARS)
    counter_parts(value)


@dataclass(frozen=True, kw_only=True)
class Counter(Record):
    show: bool = True
    style: Literal["fraction", "number", "dots", "bar"] = "fraction"  # "3/9", "03", ••○, a progress bar
    # fraction: the text (see `counter_parts`); number: always "03"
    format: str = spec("{n}/{total}", check=_counter_format)
    position: Literal["top-right", "top-left", "bottom-right"] = "top-right"
    # Step cards read «Шаг 3 из 7» / "Step 3 of 7" instead of "4/10" (text counters; 2+ steps).
    steps: bool = False


# A counter's format is read by cardgen itself, never by Python's str.format (which would let a
# theme print `{n.__class__}` or pad a number to a billion characters): literal text, {n},
# {total}, {n:02} (zero-padded to 2 digits, up to 4; a trailing "d" is allowed) and {{ }} for braces.
_COUNTER_TOKEN = re.compile(r"\{\{|\}\}|\{(n|total)(?::(?:0([1-4]))?d?)?\}|[{}]")
CounterPart = str | tuple[str, int]  # literal text, or (placeholder, zero-padded width; 0: none)


def counter_parts(text: str) -> tuple[CounterPart, ...]:
    """A counter format → its parts; ValueError names the placeholder that is not allowed."""
    parts: list[CounterPart] = []
    pos = 0
    for match in _COUNTER_TOKEN.finditer(text):
        if match.start() > pos:
            parts.append(text[pos : match.start()])
        token = match.group()
        if token in ("{{", "}}"):
            parts.append(token[0])
        elif match.group(1):
            parts.append((match.group(1), int(match.group(2) or 0)))
        else:
            end = text.find("}", match.start())
            bad = text[match.start() : end + 1] if token == "{" and end >= 0 else token
            raise ValueError(
                f'"{shown(bad, 30)}" is not a placeholder cardgen knows; a counter may use {{n}} (the card\'s '
                f"number), {{total}} (the number of cards), {{n:02}} (zero-padded, up to 4 digits) and {{{{ or }}}} "
                "for a brace"
            )
        pos = match.end()
    if pos < len(text):
        parts.append(text[pos:])
    return tuple(parts)


def format_counter(text: str, n: int, total: int) -> str:
    """ "{n}/{total}" with n=3, total=9 → "3/9" (see `counter_parts`)."""
    values = {"n": n, "total": total}
    return "".join(
        part if isinstance(part, str) else str(values[part[0]]).zfill(part[1]) for part in counter_parts(text)
    )


def capped(value: str, most: int) -> str:
    """A theme text of at most `most` characters; ValueError says how long it is."""
    if len(value) > most:
        raise ValueError(f"expected at most {most} characters, found {len(value)}")
    return value


def _short_hints(value: dict[str, str], _: Context) -> None:
    raise_all(
        [
            ((lang,), f"expected at most {MAX_HINT_CHARS} characters, found {len(hint)}", hint)
            for lang, hint in value.items()
            if len(hint) > MAX_HINT_CHARS
        ]
    )


@dataclass(frozen=True, kw_only=True)
class SwipeHint(Record):
    show: bool = True
    text: dict[str, str] = spec(factory=lambda: {"ru": "Листайте →", "en": "Swipe →"}, check=_short_hints)


@dataclass(frozen=True, kw_only=True)
class Brand(Record):
    """The footer's brand: the author's handle and/or a logo, on every card without its own footer."""

    UNSUPPORTED: ClassVar[dict[str, str]] = {
        "logo_height": "the logo's height follows the footer role's size (2.2 times its line): "
        "set that size instead and remove the key"
    }

    handle: bool = True  # show the deck author's handle when a card has no footer (false: only footers)
    logo: Path | None = None  # a logo file (relative to the theme file), drawn at the footer's left


@dataclass(frozen=True, kw_only=True)
class AdMarking(Record):
    """Where a deck's `ad:` marking («Реклама. … erid: …») goes; the deck's `ad.show` overrides it."""

    show: Literal["all", "first", "last", "first-last"] = spec(
        "all",
        description="Which cards carry the marking: all (each slide can be forwarded alone), "
        "first, last or first-last.",
    )


VALIGN = Literal["top", "middle", "bottom", "spread"]


@dataclass(frozen=True, kw_only=True)
class TitleRule(Record):
    """A short accent rule under titles: the theme's ornament (px at 1080 wide)."""

    show: bool = False
    width: float = spec(96, gt=0, le=1080)
    height: float = spec(8, gt=0, le=60)
    color: str = "accent"
    layouts: list[str] = spec(factory=lambda: ["text", "step", "list", "compare", "link"])


@dataclass(frozen=True, kw_only=True)
class Accent(Record):
    style: Literal["color", "highlight"] = "color"
    color: str = "accent"  # text color of ==accent== (style: color) or the highlight fill
    text: str = "on_accent"  # text color on the highlight (style: highlight)


# Each check reports every problem it finds, each at its own field path (colors.accent,
# roles.body.color), so an error names the line that holds the value.
def _palette(value: dict[str, str], _: Context) -> None:
    problems: list[tuple[FieldPath, str, Any]] = []
    for name, color in value.items():
        if color in value and color != name:  # an alias of another palette color: it must lead to one
            chain, current = [name], color
            while current in value and current not in chain:
                chain.append(current)
                current = value[current]
            if current in chain:
                loop = " → ".join([*chain[chain.index(current) :], current])
                message = f"the palette's colors name each other in a loop ({loop}): give one of them a color"
                problems.append(((name,), message + " such as #1A1A2E", color))
            continue
        try:
            parse_color(color)
        except ValueError as exc:
            problems.append(((name,), str(exc), color))
    raise_all(problems)


def _known_roles(value: dict[str, Role], _: Context) -> None:
    raise_all(
        [
            ((name,), f'unknown text role "{name}"{did_you_mean(name, ROLES)}; known: {", ".join(ROLES)}', name)
            for name in value
            if name not in ROLES
        ]
    )


def _known_aligns(value: dict[str, str], _: Context) -> None:
    known = ("default", *LAYOUTS)
    raise_all(
        [
            ((name,), f'unknown layout "{name}"{did_you_mean(name, known)}; known: {", ".join(known)}', name)
            for name in value
            if name not in known
        ]
    )


@dataclass(frozen=True, kw_only=True)
class Theme(Record):
    name: str = spec("", check=lambda value, _: capped(value, MAX_NAME_CHARS))
    description: str = spec("", check=lambda value, _: capped(value, MAX_DESCRIPTION_CHARS))
    extends: str | None = None
    colors: dict[str, str] = spec(factory=dict, check=_palette)
    fonts: dict[str, FontRef] = spec(factory=dict)
    roles: dict[str, Role] = spec(factory=dict, check=_known_roles)
    background: Background = spec(factory=Background)
    spacing: Spacing = spec(factory=Spacing)
    counter: Counter = spec(factory=Counter)
    swipe_hint: SwipeHint = spec(factory=SwipeHint)
    accent: Accent = spec(factory=Accent)
    shapes: list[Shape] = spec(factory=list, max_length=MAX_SHAPES)
    brand: Brand = spec(factory=Brand)
    ad: AdMarking = spec(factory=AdMarking)
    # Composition: how the slides are laid out, not only colored.
    axis: Literal["left", "center"] = spec(
        "left",
        description="The line content sits on: the left edge, or the centre (text centred, lists as a centred column).",
    )
    align: dict[str, VALIGN] = spec(
        factory=dict,
        check=_known_aligns,
        description="Where content sits vertically when it does not fill the card, per "
        "layout name (or default): top, middle (the optical centre), bottom, or spread (number and title at the top, "
        "the rest at the bottom).",
    )
    numbering: Literal["above", "beside", "inline"] = spec(
        "above",
        description="Where step and link numbers go: a big figure above the title, in a column beside "
        "the text, or inline before the title.",
    )
    title_rule: TitleRule = spec(factory=TitleRule)
    # Not written by users: the chain of files this theme came from (child first).
    files: tuple[Path, ...] = spec((), internal=True)

    def check(self) -> None:
        """Every font key and color the theme names exists (what resolve would otherwise fail on)."""
        problems: list[tuple[FieldPath, str, Any]] = []

        def color(value: str, *at: str | int) -> None:
            try:
                self.color(value, "")
            except ValueError as exc:
                problems.append((at, str(exc), value))

        for name, role in self.roles.items():
            if role.font not in self.fonts:
                problems.append(
                    (
                        ("roles", name, "font"),
                        f'unknown font key "{role.font}"; the theme\'s fonts: {one_of(self.fonts)}',
                        role.font,
                    )
                )
            color(role.color, "roles", name, "color")
        if self.background.type == "solid":
            color(self.background.color, "background", "color")
        elif self.background.type in ("linear", "radial"):
            for i, stop in enumerate(self.background.colors):
                color(stop, "background", "colors", i)
        for i, shape in enumerate(self.shapes):
            color(shape.color, "shapes", i, "color")
        color(self.accent.color, "accent", "color")
        color(self.accent.text, "accent", "text")
        color(self.title_rule.color, "title_rule", "color")
        for i, layout in enumerate(self.title_rule.layouts):
            if layout not in LAYOUTS:
                problems.append(
                    (
                        ("title_rule", "layouts", i),
                        f'unknown layout "{layout}"{did_you_mean(layout, LAYOUTS)}; known: {", ".join(LAYOUTS)}',
                        layout,
                    )
                )
        raise_all(problems)

    def color(self, value: str, field: str = "color") -> tuple[int, int, int, int]:
        """A palette name or a color literal → RGBA; the ValueError starts with `field` (if any)."""
        seen = set()
        while value in self.colors and value not in seen:
            seen.add(value)
            value = self.colors[value]
        try:
            return parse_color(value)
        except ValueError:
            raise ValueError(
                f'{field + ": " if field else ""}unknown color "{value}"{did_you_mean(value, self.colors)}; '
                f"use a palette name ({one_of(self.colors)}) or a color such as #1A1A2E, coral or hsl(16, 100%, 66%)"
            ) from None

    def with_lines(self, lines: tuple[dict[tuple, int], ...]) -> Theme:
        """The theme that knows each file's line map, for `where` (not a field: not compared)."""
        object.__setattr__(self, "_lines", lines)
        return self

    def where(self, *path: str | int) -> Where:
        """The theme file and line that set `path`: the file of the chain that holds the most of it,
        the child's own first (a field left at its default is placed at its nearest section)."""
        lines = self.__dict__.get("_lines", ())  # each file's line map (`with_lines`)
        sources = [Source(f, None, lines) for f, lines in zip(self.files, lines, strict=False)]
        if not sources:
            return Where(None, None, format_path(path) or None)
        return owner_of(path, sources).where(path)


def owner_of(path: FieldPath, chain: list[Source]) -> Source:
    """The source of an `extends:` chain (child first) that holds the longest part of `path`."""
    best, depth = chain[0], -1
    for source in chain:
        for cut in range(len(path), -1, -1):
            if path[:cut] in source.lines:
                if cut > depth:
                    best, depth = source, cut
                break
    return best


def builtin_theme_dir() -> Path:
    return data_dir("themes")


def builtin_themes() -> list[str]:
    return sorted(p.stem for p in builtin_theme_dir().glob("*.yaml"))


def is_theme_path(name: str) -> bool:
    """A theme written as a path (`brand/acme.yaml`), not a name (`acme`)."""
    return name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name


def find_theme(
    name: str,
    deck_folder: Path | None,
    where: Where | None = None,
    *,
    root: Path | None = None,
    allow_outside: bool = False,
    roots: tuple[Path, ...] = (),
    owner: str = "theme",
    base: Path | None = None,
) -> Path:
    """A theme name or path → its file: a path, then `themes/` beside the deck, then `themes/` in the
    project's folder, then built-in.

    A path resolves against `base`: the folder of the file that names it (the theme that
    `extends:` it; default `deck_folder`, else the working folder). A name is looked up in
    `theme_folders(deck_folder)`: the deck's own `themes/`, then the project's (the folder of
    the config file that applies there, `cardgen.load.config`). With `root`, the file (symlinks
    resolved) must stay inside it, or inside one of `roots`, unless `allow_outside`: a path, and
    a file found by name in `themes/` (the project's folder counts as inside). Built-in themes
    are cardgen's own and always allowed. A path that names no file, or a folder, pipe or
    device, is an error that says so.
    """
    if is_theme_path(name):
        folder = base or deck_folder or Path.cwd()
        if root is not None:
            _inside(name, folder, (root, *roots), allow_outside, where, image=False, owner=owner)
        return _theme_file(name, folder, where)
    folders = theme_folders(deck_folder)
    candidates = [folder / f"{name}{suffix}" for folder in folders for suffix in (".yaml", ".yml")]
    candidates.append(builtin_theme_dir() / f"{name}.yaml")
    for path in candidates:
        _not_a_file(path, f"themes/{path.name}", where)
        if path.is_file():
            if root is not None and path.parent in folders:
                # themes/NAME.yaml may be a symbolic link that points out of the project
                owner_folder = path.parent.parent
                allowed = (root, *roots) if owner_folder == deck_folder else (root, *roots, owner_folder)
                _inside(f"themes/{path.name}", owner_folder, allowed, allow_outside, where, image=False, owner=owner)
            return path.resolve()
    local = sorted({p.stem for folder in folders for p in folder.glob("*.y*ml") if p.is_file()})
    known = sorted(set(builtin_themes()) | set(local))
    raise ThemeError(f'unknown theme "{name}"{did_you_mean(name, known)}; known: {", ".join(known)}', where)


def theme_folders(deck_folder: Path | None) -> list[Path]:
    """Where a theme name is looked up before the built-in themes: `themes/` beside the deck, then
    `themes/` in the project's folder (where cardgen.toml or pyproject.toml [tool.cardgen] is,
    at or above the deck), so a team keeps its brand themes in one place for every folder of decks."""
    if deck_folder is None:
        return []
    from cardgen.load.config import project_folder

    folders = [deck_folder / "themes"]
    project = project_folder(deck_folder)
    if project is not None and project.resolve() != deck_folder.resolve():
        folders.append(project / "themes")
    return folders


def _theme_file(name: str, folder: Path, where: Where | None) -> Path:
    """A theme path → its file (symlinks resolved), or a ThemeError that names the real problem."""
    quoted = f'"{shown(name)}"'
    target = folder / name
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        raise ThemeError(f"theme file not found: {quoted} (looked in {_parent(target)})", where) from None
    except NotADirectoryError:
        raise ThemeError(f"theme file not found: {quoted}: a part of the path is a file, not a folder", where) from None
    except ValueError:
        raise ThemeError(f"{quoted}: a path cannot contain a NUL character", where) from None
    except OSError as exc:  # a symbolic link loop, a name too long, no permission
        raise ThemeError(f"cannot read the theme file {quoted}: {exc.strerror or exc}", where) from None
    _not_a_file(target, name, where, mode)
    return target.resolve()


def _parent(path: Path) -> Path:
    try:
        return path.parent.resolve()
    except (OSError, RuntimeError):
        return path.parent


def _not_a_file(path: Path, name: str, where: Where | None, mode: int | None = None) -> None:
    """A ThemeError when `path` exists but is a folder, a pipe or a device (never opened: a FIFO
    would block); nothing when it is a file or is not there at all."""
    if mode is None:
        try:
            mode = os.stat(path).st_mode
        except (OSError, ValueError):
            return
    kind = file_kind(mode)
    if kind:
        raise ThemeError(f'"{shown(name)}": expected a YAML file, found {kind}', where)


def _inside(
    raw: str,
    folder: Path,
    roots: tuple[Path, ...],
    allow_outside: bool,
    where: Where | None,
    *,
    image: bool,
    owner: str = "theme",
) -> Path:
    """`checked_path` against several allowed roots: the first that holds the path wins.
    `owner`: the kind of file the path is written in (a deck's `theme:`, or a theme)."""
    first: ValueError | None = None
    for root in roots:
        try:
            return checked_path(raw, folder, root, allow_outside, image=image, owner=owner)
        except ValueError as exc:
            first = first or exc
            if "outside the project root" not in str(exc):
                break  # missing, not an image, absolute: another root would not change it
    raise ThemeError(str(first), where)


def load_theme(
    name: str | None,
    deck_folder: Path | None = None,
    where: Where | None = None,
    *,
    root: Path | None = None,
    allow_outside: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    trust_name: bool = False,
) -> Theme:
    """Find, read, merge the `extends:` chain (cycles are errors) and validate a theme.

    With `root`, every file a theme names (each `extends:`, `background.image`, `brand.logo`)
    must stay inside it, as the deck's own paths must; the built-in themes are trusted.
    `trust_name`: `name` was typed by the user (--theme): it is not checked, and when it lies
    outside `root` its own folder is allowed too. `limits`: the YAML size, depth and alias
    bounds each theme file is read with. Every error found is raised together.
    """
    theme, errors = collect_theme(
        name, deck_folder, where, root=root, allow_outside=allow_outside, limits=limits, trust_name=trust_name
    )
    if errors or theme is None:
        raise combine(errors)
    return theme


def collect_theme(
    name: str | None,
    deck_folder: Path | None = None,
    where: Where | None = None,
    *,
    root: Path | None = None,
    allow_outside: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    trust_name: bool = False,
) -> tuple[Theme | None, list[CardgenError]]:
    """`load_theme` that collects: (the theme, every error found). With errors in its files'
    paths only, the theme comes back without those files (so later stages can go on checking
    the deck); when it cannot be read or validated at all, the theme is None."""
    from cardgen.load.reader import read_yaml

    try:
        path = find_theme(
            name or DEFAULT_THEME,
            deck_folder,
            where,
            root=None if trust_name else root,
            allow_outside=allow_outside,
            owner="deck",
        )
        roots: tuple[Path, ...] = ()
        if trust_name and root is not None and not path.is_relative_to(root):
            roots = (path.parent,)  # the user named a theme elsewhere: the files beside it come with it
        chain: list[Source] = []
        seen: list[Path] = []
        while True:
            if path in seen:
                cycle = " → ".join(p.name for p in [*seen[seen.index(path) :], path])
                # at the extends: line that closes the cycle
                raise ThemeError(f"themes extend each other in a cycle: {cycle}", chain[-1].where(("extends",)))
            if len(seen) >= MAX_EXTENDS:
                raise ThemeError(f"more than {MAX_EXTENDS} themes in an extends chain", chain[-1].where(("extends",)))
            seen.append(path)
            source = read_yaml(path, ThemeError, limits)
            if not isinstance(source.data, dict):
                raise ThemeError(
                    f"expected a mapping of theme keys (colors:, fonts:, roles:, …), found {found(source.data)}",
                    Where(path, 1),
                )
            chain.append(source)
            parent = source.data.get("extends")
            if parent is None:
                break
            if not isinstance(parent, str):
                raise ThemeError("expected a theme name or path", source.where(("extends",)))
            path = find_theme(
                parent,
                extends_folder(path),
                source.where(("extends",)),
                root=None if _builtin(path) else root,
                allow_outside=allow_outside,
                roots=roots,
                base=path.parent,
            )
    except CardgenError as exc:
        return None, [exc]
    merged: dict[str, Any] = {}
    for source in reversed(chain):
        merged = deep_merge(merged, source.data)
    merged.setdefault("name", chain[0].path.stem)
    errors = _absolute_theme_paths(merged, chain, root, roots, allow_outside)
    merged.pop("extends", None)
    errors += internal_key_errors(Theme, merged, lambda at: owner_of(at, chain).where(at), ThemeError)
    files = tuple(s.path for s in chain)
    theme: Theme | None = None
    try:  # the lean check: no pydantic for a theme that is right
        theme = build(Theme, merged, files=files)
    except Unsure:
        theme, schema = _validated(merged, files, chain)
        errors += schema
    return (theme.with_lines(tuple(s.lines for s in chain)) if theme is not None else None), errors


def _validated(
    merged: dict[str, Any], files: tuple[Path, ...], chain: list[Source]
) -> tuple[Theme | None, list[CardgenError]]:
    """pydantic's validation, for a theme the lean check handed over: (the theme, or None when
    it cannot be validated at all; every error, each at the file of the chain that holds the
    field, the child's first)."""
    from cardgen.load.validation import ValidationError, located_errors, model_of, validated

    errors: list[CardgenError] = []
    for _ in range(4):  # another pass without the values that failed finds what the last could not reach
        try:
            return validated(Theme, merged, files=files), errors
        except ValidationError as exc:
            errors += located_errors(
                exc, chain[0], model_of(Theme), data=merged, owner=lambda loc: owner_of(loc, chain), error=ThemeError
            )
            merged = _without(merged, [tuple(e["loc"]) for e in exc.errors(include_url=False)])
    return None, errors


def _without(merged: dict[str, Any], locs: list[FieldPath]) -> dict[str, Any]:
    """The merged theme without the values that failed, for a second look: a field-level error
    (a bad color, an unknown key) keeps pydantic from checking the references between fields.
    A bad palette color becomes black, so the roles that name it are not blamed too."""
    import copy

    out = copy.deepcopy(merged)
    for loc in locs:
        if len(loc) == 2 and loc[0] == "colors" and isinstance(out.get("colors"), dict) and loc[1] in out["colors"]:
            out["colors"][loc[1]] = "#000000"
            continue
        if any(isinstance(part, int) for part in loc):
            out.pop(str(loc[0]), None)  # never shift a list: later errors must keep their indexes
            continue
        parent: Any = out
        for part in loc[:-1]:
            parent = parent.get(part) if isinstance(parent, dict) else None
        if isinstance(parent, dict) and loc and loc[-1] in parent:
            del parent[loc[-1]]
        elif loc:  # a required key is missing: leave its section out
            out.pop(str(loc[0]), None)
    return out


def extends_folder(path: Path) -> Path:
    """Where a theme file's `extends: NAME` is looked up: the deck folder for themes/NAME.yaml
    (its siblings in themes/ come first), else the theme's own folder. A path in `extends:`
    resolves against the theme's own folder, like every path in a theme."""
    return path.parent.parent if path.parent.name == "themes" else path.parent


def _builtin(path: Path) -> bool:
    """One of cardgen's own themes: trusted, whatever the project root."""
    return path.is_relative_to(_builtin_dir())


@memo()
def _builtin_dir() -> Path:
    return builtin_theme_dir().resolve()


def _absolute_theme_paths(
    merged: dict[str, Any], chain: list[Source], root: Path | None, roots: tuple[Path, ...], allow_outside: bool
) -> list[CardgenError]:
    """Paths resolve against the theme file that declares them (not the one that extends it) and,
    with `root`, must stay inside it (or `roots`) unless the file is a built-in theme. A path
    that fails is left out (the theme goes on without its logo or background picture, or with
    cardgen's text face for a font)."""
    errors = _font_files(merged, chain, root, roots, allow_outside)
    for section, key in (("background", "image"), ("brand", "logo")):
        value = merged.get(section, {}).get(key) if isinstance(merged.get(section), dict) else None
        if not isinstance(value, str):
            continue
        owner = next(
            (s for s in chain if isinstance(s.data.get(section), dict) and s.data[section].get(key) == value), chain[0]
        )
        trusted = root is None or _builtin(owner.path)
        try:
            path = _inside(
                value,
                owner.path.parent,
                (root or owner.path.parent, *roots),
                trusted or allow_outside,
                owner.where((section, key)),
                image=True,
            )
        except ThemeError as exc:
            errors.append(exc)
            kept = {k: v for k, v in merged[section].items() if k != key}
            if section == "background":
                kept.pop("type", None)  # a plain background instead of the missing picture
            merged[section] = kept
            continue
        merged[section] = {**merged[section], key: path}
    return errors


def _font_files(
    merged: dict[str, Any], chain: list[Source], root: Path | None, roots: tuple[Path, ...], allow_outside: bool
) -> list[CardgenError]:
    """`fonts.KEY.file`: each path resolves against the theme file that declares it, follows the
    project root rule like pictures, and must be a font (read with fontTools: a damaged file or
    one that is no font is an error at its line). A key whose files fail is set in cardgen's
    own text face, so the rest of the theme can still be checked."""
    from cardgen.load.brandfonts import FONT_FILE_SUFFIXES, inspect_font

    fonts = merged.get("fonts")
    if not isinstance(fonts, dict):
        return []
    merged["fonts"] = fonts = dict(fonts)  # the merge may share the parent file's own mapping
    for key, ref in fonts.items():
        if isinstance(ref, dict) and "family" in ref and "file" in ref:
            # A child that names a file replaces its parent's family (and the other way round).
            def nearest(field: str, key: str = key) -> int:
                return next(
                    (
                        i
                        for i, s in enumerate(chain)
                        if isinstance(s.data.get("fonts"), dict)
                        and isinstance(s.data["fonts"].get(key), dict)
                        and field in s.data["fonts"][key]
                    ),
                    0,
                )

            if nearest("file") != nearest("family"):
                drop = "family" if nearest("file") < nearest("family") else "file"
                fonts[key] = {k: v for k, v in ref.items() if k != drop}
    errors: list[CardgenError] = []
    for key, ref in fonts.items():
        value = ref.get("file") if isinstance(ref, dict) else None
        if value is None or not isinstance(value, (str, list)):
            continue
        listed = value if isinstance(value, list) else [value]
        owner = next(
            (
                s
                for s in chain
                if isinstance(s.data.get("fonts"), dict)
                and isinstance(s.data["fonts"].get(key), dict)
                and s.data["fonts"][key].get("file") == value
            ),
            chain[0],
        )
        trusted = root is None or _builtin(owner.path)
        paths: list[Path] = []
        for i, raw in enumerate(listed):
            at = ("fonts", key, "file", i) if isinstance(value, list) else ("fonts", key, "file")
            where = owner.where(at)
            if not isinstance(raw, str):
                continue  # the model reports the type
            try:
                path = _inside(
                    raw,
                    owner.path.parent,
                    (root or owner.path.parent, *roots),
                    trusted or allow_outside,
                    where,
                    image=False,
                )
                if path.suffix.lower() not in FONT_FILE_SUFFIXES:
                    raise ThemeError(
                        f'expected a font file ({", ".join(FONT_FILE_SUFFIXES)}); found "{shown(raw)}"', where
                    )
                if not path.exists():
                    raise ThemeError(f'font file not found: "{shown(raw)}" (looked in {_parent(path)})', where)
                inspect_font(path)
            except ThemeError as exc:
                errors.append(exc)
                continue
            except CardgenError as exc:  # FontError: the file is no font, or a damaged one
                errors.append(ThemeError(f'"{shown(raw)}": {exc.message}', where))
                continue
            paths.append(path)
        if len(paths) == len(listed):
            fonts[key] = {**ref, "file": paths if isinstance(value, list) else paths[0]}
        else:
            fonts[key] = {k: v for k, v in ref.items() if k != "file"} | {"family": "Inter"}
    return errors


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out
