"""Deck + Theme → `CardSpec` per card: the cascade applied, sizes in px, colors in RGBA.

The cascade is theme → deck `defaults:` → card. Text fields are typographed here, once, so every
later stage sees the text as it will be set. Step numbers are counted over step cards in order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from cardgen.color import is_color
from cardgen.contrast import LARGE_ROLES
from cardgen.deck import IMAGE_SUFFIXES, CardFields, Deck, parse_focus
from cardgen.deck import Column as ColumnFields
from cardgen.errors import AssetError, CardgenError, DeckError, FontError, ThemeError, Where
from cardgen.fonts import FontBook, default_book
from cardgen.markup import Paragraph, parse_markup
from cardgen.page import RGBA, FillBox, ImageFill, LinearGradient, Paint, RadialGradient, Rect, Solid
from cardgen.plural import step_of
from cardgen.shaping import FontChain
from cardgen.theme import Role, Theme, format_counter
from cardgen.typeset import StyleFonts
from cardgen.typograph import typograph

NUMBERED = ("step", "link")  # layouts numbered automatically, in the order of their cards
REFERENCE_WIDTH = 1080  # theme px are for a canvas this wide
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_FIELD = re.compile(r"^(\w+)(?:\[(\d+)\])?")  # "items[2].marker" → items, 2
_TRACKING = re.compile(r"^(utm_|fbclid|gclid|yclid|ysclid|ref$|ref_)", re.I)


@dataclass(frozen=True, slots=True)
class TextStyle:
    """A text role resolved for one deck: fonts, px sizes and colors."""

    role: str
    fonts: StyleFonts = field(repr=False)
    size: float  # px, the largest this role is set at
    min_size: float  # px, the smallest fitting may go
    line_height: float  # × size
    color: RGBA
    align: str
    uppercase: bool
    hyphenate: bool
    balance: bool
    paragraph_gap: float  # × size
    accent_style: str  # "color" | "highlight"
    accent_color: RGBA
    accent_text: RGBA
    lang: str

    @property
    def cap_height(self) -> float:
        """Cap height of the primary face, in em."""
        return self.fonts.regular.primary.cap_height


@dataclass(frozen=True, slots=True)
class Column:
    """One side of a compare card, typographed and parsed."""

    title: tuple[Paragraph, ...]
    text: tuple[Paragraph, ...]
    items: tuple[tuple[Paragraph, ...], ...]


HINT_LABELS = {
    "ru": {"save": "Сохрани", "share": "Поделись", "like": "Лайкни", "comment": "Напиши в комментариях"},
    "en": {"save": "Save", "share": "Share", "like": "Like", "comment": "Comment"},
}


@dataclass(frozen=True, slots=True)
class CardSpec:
    """Everything a layout needs to compose one card; no I/O left to do."""

    index: int  # 1-based
    total: int
    layout: str
    width: int
    height: int
    scale: float  # canvas width / 1080
    lang: str
    texts: Mapping[str, tuple[Paragraph, ...]]  # typographed and parsed: title, subtitle, text, …
    items: tuple[tuple[Paragraph, ...], ...]
    number: str | None
    url: str | None  # as shown: no scheme, no tracking parameters
    link: str | None  # the url as written (for the QR code)
    image: Path | None
    marker: str  # list: bullet | number | check
    qr: bool
    focus: tuple[float, float]
    columns: tuple[Column, ...]  # compare: left and right
    hints: tuple[str, ...]  # cta: the hint labels, in the deck's language
    card_avatar: Path | None
    background: Paint
    decor: tuple[FillBox, ...]  # the theme's decorative shapes, behind everything else
    styles: Mapping[str, TextStyle] = field(repr=False)
    colors: Mapping[str, RGBA] = field(repr=False)
    margin: float
    gap: float
    chrome_gap: float
    counter: str | None
    counter_style: str
    counter_position: str
    hint: str | None
    author_name: str | None
    author_handle: str | None
    avatar: Path | None
    logo: Path | None
    brand_handle: str | None  # the footer when a card has none (theme brand.handle)
    ad_line: str | None  # «Реклама. … erid: …» on the cards the deck's ad marking names
    deck_path: Path
    where: Callable[..., Where] = field(repr=False)  # where(field) → file, line, "cards[i].field (card n)"
    # The deck's longest counter text with every digit as 0 ("00/00", "Шаг 0 из 0"): the room the
    # ad marking leaves beside the counter, the same on every card.
    counter_reserve: str | None = None

    def has(self, name: str) -> bool:
        return bool(self.texts.get(name))


def resolve_deck(
    deck: Deck, theme: Theme, book: FontBook | None = None, errors: list[CardgenError] | None = None,
    posts: Sequence[range] | None = None,
) -> tuple[CardSpec, ...]:
    """The cards, resolved. The first problem is raised; with `errors`, every problem is added to
    it instead (each font of the theme, each card) and only the cards that resolved are returned,
    none when a font is missing (nothing can be set without it). `posts`: the albums the deck is
    published as (0-based card ranges), for the ad marking's `show: first` and the like, which
    apply to each album."""
    book = book or default_book()
    width, height = deck.canvas
    scale = min(width, height) / REFERENCE_WIDTH  # a landscape canvas is sized by its height (see text_scale)
    found: list[CardgenError] = []
    resolved: dict[str, TextStyle] = {}
    for name, role in theme.roles.items():
        try:
            resolved[name] = resolve_style(name, role, theme, book, text_scale(width, height), deck.lang)
        except CardgenError as exc:
            if errors is None:
                raise
            found.append(exc)
    styles = MappingProxyType(resolved)
    colors = MappingProxyType({name: theme.color(name) for name in theme.colors})
    total = len(deck.cards)
    counters = _counters(theme, deck, total)
    reserve = max((re.sub(r"\d", "0", c) for c in counters if c), key=len, default=None)
    counts: dict[str, int] = {}  # step and link cards are numbered, each kind on its own
    specs = []
    for i, card in enumerate(deck.cards):
        merged = merge_fields(deck.defaults, card)
        layout = merged.layout or "text"
        counts[layout] = counts.get(layout, 0) + 1
        where = _card_where(deck, i, card)
        try:
            background = _background(merged.background, theme, deck.folder, where("background"), scale)
        except CardgenError as exc:
            if errors is None:
                raise
            found.append(exc)
            continue
        specs.append(
            CardSpec(
                index=i + 1,
                total=total,
                layout=layout,
                width=width,
                height=height,
                scale=scale,
                lang=deck.lang,
                texts=MappingProxyType(_texts(merged, deck.lang)),
                items=tuple(parse_markup(typograph(item, deck.lang)) for item in merged.items or ()),
                number=_number(merged, layout, counts[layout]),
                url=display_url(merged.url) if merged.url else None,
                link=merged.url,
                image=merged.image,
                marker=merged.marker or "bullet",
                qr=bool(merged.qr),
                focus=parse_focus(merged.focus) if merged.focus else (0.5, 0.5),
                columns=tuple(_column(c, deck.lang) for c in (merged.left, merged.right) if c is not None),
                hints=tuple(HINT_LABELS[deck.lang][h] for h in merged.hints or ()),
                card_avatar=merged.avatar,
                background=background,
                decor=_shapes(theme, layout, width, height, scale),
                styles=styles,
                colors=colors,
                margin=theme.spacing.margin * scale,
                gap=theme.spacing.gap * scale,
                chrome_gap=theme.spacing.chrome_gap * scale,
                counter=counters[i],
                counter_style=theme.counter.style,
                counter_position=theme.counter.position,
                hint=_hint(theme, deck.lang) if layout == "cover" and i + 1 < total else None,
                author_name=deck.author.name,
                author_handle=deck.author.handle,
                avatar=deck.author.avatar,
                logo=theme.brand.logo,
                brand_handle=deck.author.handle if theme.brand.handle else None,
                ad_line=_ad_line(deck, theme, i + 1, total, posts),
                deck_path=deck.path,
                where=where,
                counter_reserve=reserve,
            )
        )
    if errors is not None:
        errors += found
        if any(isinstance(e, ThemeError) for e in found):
            return ()
    return tuple(specs)


def _card_where(deck: Deck, index: int, card: CardFields) -> Callable[..., Where]:
    own = card.model_fields_set

    def where(name: str | None = None) -> Where:
        if not name:
            return deck.where("cards", index)
        if name == "ad":  # the ad marking is drawn on the card, but written once, at the deck's ad:
            return deck.where("ad")
        if name in ("author.name", "author.handle"):  # the deck's author, not a quote's `author:`
            return deck.where("author", name.split(".")[1])
        match = _FIELD.match(name)
        base = match.group(1) if match else name
        path: tuple[str | int, ...] = (base, int(match.group(2))) if match and match.group(2) else (base,)
        if base not in own and base in deck.defaults.model_fields_set:
            return deck.where("defaults", *path)  # the value came from defaults:
        return deck.where("cards", index, *path)

    return where


def text_scale(width: int, height: int) -> float:
    """Text grows with the canvas width, and up to 25 % more on canvases taller than 4:5.

    A story (9:16) at portrait sizes would leave half the card empty; the fitting still brings
    long texts back down, so this only sets the largest sizes. A landscape canvas goes by its
    height instead: set by its width, a 2000×500 banner had type too tall for any line to fit.
    """
    aspect = height / width
    return min(width, height) / REFERENCE_WIDTH * min(1.25, max(1.0, aspect / 1.25))


def merge_fields(defaults: CardFields, card: CardFields) -> CardFields:
    """A card's own fields win; `defaults:` fill the ones it leaves out."""
    own = {name: getattr(card, name) for name in card.model_fields_set}  # models stay models
    return defaults.model_copy(update=own)


def _texts(card: CardFields, lang: str) -> dict[str, tuple[Paragraph, ...]]:
    out = {}
    for name in ("title", "subtitle", "text", "author", "footer"):
        value = getattr(card, name)
        if value:
            out[name] = parse_markup(typograph(str(value), lang))
    return out


def _column(column: ColumnFields, lang: str) -> Column:
    def parse(text: str | None) -> tuple[Paragraph, ...]:
        return parse_markup(typograph(text, lang)) if text else ()

    return Column(parse(column.title), parse(column.text), tuple(parse(item) for item in column.items or ()))


def _ad_line(deck: Deck, theme: Theme, index: int, total: int, posts: Sequence[range] | None) -> str | None:
    if deck.ad is None:
        return None
    from cardgen.admark import card_marking

    # The theme chooses which cards carry the marking; the deck's own ad.show overrides it.
    return card_marking(deck.ad.spec(theme.ad.show), index, total, deck.lang, posts)


def _counters(theme: Theme, deck: Deck, total: int) -> list[str | None]:
    """Each card's counter text; with the theme's `counter.steps`, step cards read «Шаг 3 из 7»."""
    layouts = [merge_fields(deck.defaults, card).layout or "text" for card in deck.cards]
    steps = layouts.count("step")
    out: list[str | None] = []
    for i, layout in enumerate(layouts):
        text = _counter_text(theme, i + 1, total)
        if text is not None and layout == "step" and theme.counter.steps and steps >= 2:
            text = step_of(layouts[: i + 1].count("step"), steps, deck.lang)
        out.append(text)
    return out


def _counter_text(theme: Theme, n: int, total: int) -> str | None:
    if not theme.counter.show:
        return None
    if theme.counter.style == "number":
        return f"{n:02d}"
    return format_counter(theme.counter.format, n, total)


def _shapes(theme: Theme, layout: str, width: int, height: int, scale: float) -> tuple[FillBox, ...]:
    out = []
    for shape in theme.shapes:
        if shape.layouts is not None and layout not in shape.layouts:
            continue
        w = shape.size * scale
        h = (shape.height if shape.type == "rect" and shape.height else shape.size) * scale
        x = width - shape.x * scale - w if shape.from_right else shape.x * scale
        y = height - shape.y * scale - h if shape.from_bottom else shape.y * scale
        r, g, b, a = theme.color(shape.color, "shapes.color")
        color = (r, g, b, round(a * shape.opacity))
        radius = min(w, h) / 2 if shape.type in ("circle", "ring") else shape.radius * scale
        stroke = shape.width * scale if shape.type == "ring" else 0.0
        out.append(FillBox(Rect(x, y, w, h), Solid(color), radius, stroke))
    return tuple(out)


def _number(card: CardFields, layout: str, count: int) -> str | None:
    if card.number is not None:
        return str(card.number)
    return f"{count:02d}" if layout in NUMBERED else None


def _hint(theme: Theme, lang: str) -> str | None:
    if not theme.swipe_hint.show:
        return None
    return theme.swipe_hint.text.get(lang) or next(iter(theme.swipe_hint.text.values()), None)


def _background(value: str | None, theme: Theme, folder: Path, where: Where, scale: float = 1.0) -> Paint:
    if value is None:
        bg = theme.background
        stops = tuple(_theme_color(theme, c, "background.colors") for c in bg.colors)
        if bg.type == "linear":
            return LinearGradient(stops, bg.angle)
        if bg.type == "radial":
            return RadialGradient(stops, bg.center, bg.radius)
        if bg.type == "image" and bg.image is not None:
            return ImageFill(bg.image, darken=bg.darken, blur=bg.blur * scale)
        return Solid(_theme_color(theme, bg.color, "background.color"))
    if value in theme.colors or is_color(value):
        return Solid(theme.color(value))
    if value.lower().endswith(IMAGE_SUFFIXES):
        path = folder / value  # the loader made it absolute and checked it against the project root
        if not path.is_file():
            raise AssetError(f'background image not found: "{value}" (looked in {path.parent})', where)
        return ImageFill(path, darken=0.35)
    raise DeckError(
        f'expected a theme color ({", ".join(sorted(theme.colors))}), a hex color '
        f'such as "#1A1A2E" or an image path (.png, .jpg, .webp); found "{value}"',
        where,
    )


def _theme_color(theme: Theme, value: str, field: str) -> RGBA:
    try:
        return theme.color(value, field)
    except ValueError as exc:
        raise ThemeError(str(exc), Where(theme.files[0] if theme.files else None)) from None


def resolve_style(name: str, role: Role, theme: Theme, book: FontBook, scale: float, lang: str) -> TextStyle:
    ref = theme.fonts[role.font]
    weight = role.weight or ref.weight
    try:
        fonts = StyleFonts(
            regular=_chain(book, ref.family, weight, False),
            bold=_chain(book, ref.family, max(role.bold_weight, weight), False),
            italic=_chain(book, ref.family, weight, True),
            bold_italic=_chain(book, ref.family, max(role.bold_weight, weight), True),
        )
    except FontError as exc:  # an unknown family, or a damaged font file (named)
        file = f" ({exc.where.file})" if exc.where.file else ""
        raise ThemeError(f"{exc.message}{file}", theme.where("fonts", role.font, "family")) from None
    size = role.size * scale
    return TextStyle(
        role=name,
        fonts=fonts,
        size=size,
        min_size=min(size, (role.min_size or role.size) * scale),
        line_height=role.line_height,
        color=theme.color(role.color),
        align=role.align,
        uppercase=role.uppercase,
        hyphenate=role.hyphenate,
        balance=role.balance,
        paragraph_gap=role.paragraph_gap,
        accent_style=theme.accent.style,
        accent_color=_accent(theme, name),
        accent_text=theme.color(theme.accent.text),
        lang=lang,
    )


def _accent(theme: Theme, role: str) -> RGBA:
    """Small text takes the palette's `accent_ink` (a darker accent that meets WCAG AA) if it has one."""
    if theme.accent.style == "color" and role not in LARGE_ROLES and "accent_ink" in theme.colors:
        return theme.color("accent_ink")
    return theme.color(theme.accent.color)


def _chain(book: FontBook, family: str, weight: int, italic: bool) -> FontChain:
    return FontChain((book.face(family, weight, italic),), book.fallbacks(weight))


def display_url(url: str) -> str:
    """https://www.site.com/path/?utm_source=vk → site.com/path: how a person would write it."""
    text = _SCHEME.sub("", url.strip())
    text = text.removeprefix("www.")
    base, _, query = text.partition("?")
    query, _, _fragment = query.partition("#")
    kept = [p for p in query.split("&") if p and not _TRACKING.match(p.split("=")[0])]
    base = base.rstrip("/")
    return base + ("?" + "&".join(kept) if kept else "")
