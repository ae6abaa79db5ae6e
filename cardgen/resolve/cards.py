"""Deck + Theme → `CardSpec` per card: the cascade applied, sizes in px, colors in RGBA.

The cascade is theme → deck `defaults:` → card. Text fields are typographed here, once, and their
addresses shown as the `url:` field shows one (`set_text`), so every later stage sees the text
as it will be set. Step numbers are counted over step cards in order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from cardgen.model.color import is_color
from cardgen.load.deck import IMAGE_SUFFIXES, CardFields, Deck, parse_focus
from cardgen.load.deck import Column as ColumnFields
from cardgen.load.deck import Message as MessageFields
from cardgen.model.problems import AssetError, CardgenError, DeckError, Findings, FontError, ThemeError, Where
from cardgen.load.fonts import FontBook, default_book, load_face
from cardgen.text.markup import Paragraph, parse_markup
from cardgen.model.page import RGBA, FillBox, ImageFill, LinearGradient, Paint, RadialGradient, Rect, Solid
from cardgen.text.plural import step_of
from cardgen.text.shaping import FontChain
from cardgen.load.theme import LARGE_ROLES, FontRef, Role, Theme, format_counter
from cardgen.text.typeset import StyleFonts
from cardgen.resolve.admark import ad_spec, card_marking
from cardgen.text.links import display_links, display_url
from cardgen.text.typograph import typograph

NUMBERED = ("step", "link")  # layouts numbered automatically, in the order of their cards
MAX_DOTS = 10  # a dots counter for up to this many slides
REFERENCE_WIDTH = 1080  # theme px are for a canvas this wide
_FIELD = re.compile(r"^(\w+)(?:\[(\d+)\])?")  # "items[2].marker" → items, 2


@dataclass(frozen=True, slots=True)
class TextStyle:
    """A text role resolved for one deck: fonts, px sizes and colors."""

    role: str
    fonts: StyleFonts = field(repr=False)
    size: float  # px, the reading size: a card of average density is set at it
    min_size: float  # px, the floor: a card too full for `size` shrinks down to it
    max_size: float  # px, the largest step of the type scale a sparse card may take (≥ size)
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


@dataclass(frozen=True, slots=True)
class TitleRuleSpec:
    """The theme's rule under titles, in px and RGBA."""

    width: float
    height: float
    color: RGBA


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a card of a split deck comes from: the card the user wrote (0-based), which part of
    it, and the number of its first list item."""

    index: int
    part: int = 0
    item_start: int = 1


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message of a chat card: typographed and parsed, its side settled (see `chat_sides`)."""

    text: tuple[Paragraph, ...]
    name: str | None  # typographed; shown above the bubble when the speaker changes
    side: str  # "left" | "right"


HINT_LABELS = {
    # Infinitives: neither «ты» nor «вы», so the buttons agree with whichever the deck speaks.
    "ru": {"save": "Сохранить", "share": "Поделиться", "like": "Нравится", "comment": "Комментировать"},
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
    # Composition (the theme's): the axis content sits on, the vertical placement the theme sets
    # for this layout (None: the layout's own), where numbers go, the rule under titles.
    axis: str = "left"
    valign: str | None = None
    numbering: str = "above"
    title_rule: TitleRuleSpec | None = None
    part: int = 0  # 0, or 1, 2, … for the cards a card too full was continued on (overflow: split)
    # The luminance of the card's full-bleed photo in bands (rows) of cells (see paint.pictures.photo_rows):
    # measured before layout, so the scrim is only as dark as the text over it needs.
    photo_rows: tuple[tuple[float, ...], ...] | None = None
    image_aspect: float | None = None  # a link card's picture: width ÷ height (shown whole)
    item_start: int = 1  # the number of the first list item (a continued numbered list goes on counting)
    # A story's own interface (progress bar, name; reply field) covers its top and bottom: px kept
    # clear above the counter row and below the footer row, beyond the margin.
    safe_top: float = 0.0
    safe_bottom: float = 0.0
    messages: tuple[ChatMessage, ...] = ()  # chat: the conversation, in order

    def has(self, name: str) -> bool:
        return bool(self.texts.get(name))

    def pictures(self) -> tuple[Path, ...]:
        """The picture files the card names, each once: its own picture and portrait, the deck's
        author's avatar, the theme's logo, a background picture."""
        background = self.background.path if isinstance(self.background, ImageFill) else None
        return tuple(
            dict.fromkeys(
                p for p in (self.image, self.card_avatar, self.avatar, self.logo, background) if p is not None
            )
        )


def resolve_deck(
    deck: Deck,
    theme: Theme,
    book: FontBook | None = None,
    findings: Findings | None = None,
    posts: Sequence[range] | None = None,
    origins: Sequence[Origin] | None = None,
) -> tuple[CardSpec, ...]:
    """The cards, resolved. The first problem is raised; with `findings`, every problem is added to
    it instead (each font of the theme, each card) and only the cards that resolved are returned,
    none when a font is missing (nothing can be set without it). `posts`: the albums the deck is
    published as (0-based card ranges), for the ad marking's `show: first` and the like, which
    apply to each album. `origins`: for a deck whose cards were split (`cardgen.layout.split`), where
    each card comes from: errors point at the card the user wrote, and a continued card keeps
    its step number."""
    book = book or default_book()
    origins = tuple(origins) if origins is not None else tuple(Origin(i) for i in range(len(deck.cards)))
    width, height = deck.canvas
    scale = min(width, height) / REFERENCE_WIDTH  # a landscape canvas is sized by its height (see text_scale)
    found: list[CardgenError] = []
    resolved: dict[str, TextStyle] = {}
    for name, role in theme.roles.items():
        try:
            resolved[name] = resolve_style(name, role, theme, book, text_scale(width, height), deck.lang, theme.axis)
        except CardgenError as exc:
            if findings is None:
                raise
            found.append(exc)
    styles = MappingProxyType(resolved)
    colors = MappingProxyType({name: theme.color(name) for name in theme.colors})
    total = len(deck.cards)
    counters = _counters(theme, deck, total, origins)
    safe_top, safe_bottom = story_safe(width, height, theme.spacing.margin * scale)
    # Past MAX_DOTS slides a row of dots is too fine to count: the page number instead.
    counter_style = "fraction" if theme.counter.style == "dots" and total > MAX_DOTS else theme.counter.style
    rule = theme.title_rule
    rule_spec = (
        TitleRuleSpec(rule.width * scale, rule.height * scale, theme.color(rule.color, "title_rule.color"))
        if rule.show
        else None
    )
    reserve = max((re.sub(r"\d", "0", c) for c in counters if c), key=len, default=None)
    counts: dict[str, int] = {}  # step and link cards are numbered, each kind on its own
    totals: dict[str, int] = {}
    for card, origin in zip(deck.cards, origins, strict=True):
        if origin.part == 0:
            layout = merge_fields(deck.defaults, card).layout or "text"
            totals[layout] = totals.get(layout, 0) + 1
    specs = []
    for i, card in enumerate(deck.cards):
        merged = merge_fields(deck.defaults, card)
        layout = merged.layout or "text"
        origin = origins[i]
        counts[layout] = counts.get(layout, 0) + (origin.part == 0)
        where = _card_where(deck, origin.index, card)
        try:
            background = _background(merged.background, theme, deck.folder, where("background"), scale)
        except CardgenError as exc:
            if findings is None:
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
                items=tuple(set_text(item, deck.lang) for item in merged.items or ()),
                number=_number(merged, layout, counts[layout], totals.get(layout, 0), totals.get("step", 0)),
                url=display_url(merged.url) if merged.url else None,
                link=merged.url,
                image=merged.image,
                marker=merged.marker or "bullet",
                qr=bool(merged.qr),
                focus=parse_focus(merged.focus) if merged.focus else (0.5, 0.5),
                columns=tuple(_column(c, deck.lang) for c in (merged.left, merged.right) if c is not None),
                hints=tuple(HINT_LABELS[deck.lang][h] for h in _hints(merged, layout)),
                messages=_messages(merged.messages or (), deck.lang),
                card_avatar=merged.avatar,
                background=background,
                decor=_shapes(theme, layout, width, height, scale),
                styles=styles,
                colors=colors,
                margin=theme.spacing.margin * scale,
                gap=theme.spacing.gap * scale,
                chrome_gap=theme.spacing.chrome_gap * scale,
                counter=counters[i],
                counter_style=counter_style,
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
                axis=theme.axis,
                valign=theme.align.get(layout, theme.align.get("default")),
                numbering=theme.numbering,
                title_rule=rule_spec if layout in rule.layouts else None,
                part=origin.part,
                item_start=origin.item_start,
                safe_top=safe_top,
                safe_bottom=safe_bottom,
            )
        )
    if findings is not None:
        findings.errors += found
        if any(isinstance(e, ThemeError) for e in found):
            return ()
    return tuple(specs)


STORY_ASPECT = 1.7  # height ÷ width from which a canvas is a story (9:16 is 1.78)
STORY_SAFE = (0.115, 0.156)  # of the height, clear at the top and bottom of a story (Instagram, VK)


def story_safe(width: int, height: int, margin: float) -> tuple[float, float]:
    """The extra top and bottom room a story canvas keeps clear of the platform's interface."""
    if height / width < STORY_ASPECT:
        return 0.0, 0.0
    return max(0.0, STORY_SAFE[0] * height - margin), max(0.0, STORY_SAFE[1] * height - margin)


def _card_where(deck: Deck, index: int, card: CardFields) -> Callable[..., Where]:
    own = card.fields_set

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
        if base not in own and base in deck.defaults.fields_set:
            return deck.where("defaults", *path)  # the value came from defaults:
        return deck.where("cards", index, *path)

    return where


def text_scale(width: int, height: int) -> float:
    """Text grows with the canvas width, and up to 25 % more on canvases taller than 4:5.

    A tall canvas at portrait sizes would leave much of the card empty; the fitting still brings
    long texts back down, so this only sets the reading sizes. A story counts only the height
    its platform leaves clear (`STORY_SAFE`). A landscape canvas goes by its height instead: set
    by its width, a 2000×500 banner had type too tall for any line to fit.
    """
    aspect = height / width
    if aspect >= STORY_ASPECT:
        aspect *= 1 - sum(STORY_SAFE)
    return min(width, height) / REFERENCE_WIDTH * min(1.25, max(1.0, aspect / 1.25))


def merge_fields(defaults: CardFields, card: CardFields) -> CardFields:
    """A card's own fields win; `defaults:` fill the ones it leaves out."""
    own = {name: getattr(card, name) for name in card.fields_set}  # records stay records
    return defaults.copy(**own)


def set_text(text: str, lang: str) -> tuple[Paragraph, ...]:
    """A text field as a slide sets it: typographed, each address in it shown as the `url:` field
    shows one (`cardgen.text.links`), parsed into paragraphs of styled spans."""
    return parse_markup(display_links(typograph(text, lang)))


def _texts(card: CardFields, lang: str) -> dict[str, tuple[Paragraph, ...]]:
    out = {}
    for name in ("title", "subtitle", "text", "author", "footer"):
        value = getattr(card, name)
        if value:
            out[name] = set_text(str(value), lang)
    return out


def _column(column: ColumnFields, lang: str) -> Column:
    def parse(text: str | None) -> tuple[Paragraph, ...]:
        return set_text(text, lang) if text else ()

    return Column(parse(column.title), parse(column.text), tuple(parse(item) for item in column.items or ()))


DEFAULT_HINTS = ("save", "share")  # the closing card asks for these unless the card says `hints: []`


def _hints(card: CardFields, layout: str) -> Sequence[str]:
    if card.hints is not None:
        return card.hints
    return DEFAULT_HINTS if layout == "cta" else ()


def chat_sides(messages: Sequence[MessageFields]) -> list[str]:
    """Each message's side: its own `side:`; else the side of its speaker's first message; else
    the side opposite the message before it (the first goes left). So an unnamed conversation
    alternates, and a named one keeps each speaker on one side."""
    sides: list[str] = []
    speakers: dict[str, str] = {}
    for message in messages:
        side = message.side or (speakers.get(message.name) if message.name else None)
        if side is None:
            side = "right" if sides and sides[-1] == "left" else "left"
        if message.name:
            speakers.setdefault(message.name, side)
        sides.append(side)
    return sides


def _messages(messages: Sequence[MessageFields], lang: str) -> tuple[ChatMessage, ...]:
    return tuple(
        ChatMessage(set_text(m.text, lang), typograph(m.name, lang) if m.name else None, side)
        for m, side in zip(messages, chat_sides(messages), strict=True)
    )


def _ad_line(deck: Deck, theme: Theme, index: int, total: int, posts: Sequence[range] | None) -> str | None:
    if deck.ad is None:
        return None
    # The theme chooses which cards carry the marking; the deck's own ad.show overrides it.
    return card_marking(ad_spec(deck.ad, theme.ad.show), index, total, deck.lang, posts)


def _counters(theme: Theme, deck: Deck, total: int, origins: Sequence[Origin]) -> list[str | None]:
    """Each card's counter text; with the theme's `counter.steps`, step cards read «Шаг 3 из 7»
    (a step continued on a second card is still one step)."""
    layouts = [merge_fields(deck.defaults, card).layout or "text" for card in deck.cards]
    first = [layout == "step" and origin.part == 0 for layout, origin in zip(layouts, origins, strict=True)]
    steps = sum(first)
    out: list[str | None] = []
    for i, layout in enumerate(layouts):
        text = _counter_text(theme, i + 1, total)
        if text is not None and layout == "step" and theme.counter.steps and steps >= 2:
            text = step_of(sum(first[: i + 1]), steps, deck.lang)
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


def _number(card: CardFields, layout: str, count: int, of: int, steps: int = 0) -> str | None:
    """The card's number: its own, or its place among the deck's step cards (or link cards, when
    the deck has two or more and no steps: one resource card numbered «01» would read as a count
    restarting, and links after steps 01–03 numbered 01, 02 as a second count in one deck)."""
    if card.number is not None:
        return str(card.number)
    if layout == "link" and (of < 2 or steps):
        return None
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
            under = Solid(_theme_color(theme, bg.color, "background.color"))  # through a transparent picture
            return ImageFill(bg.image, darken=bg.darken, blur=bg.blur * scale, under=under)
        return Solid(_theme_color(theme, bg.color, "background.color"))
    if value in theme.colors or is_color(value):
        return Solid(theme.color(value))
    if value.lower().endswith(IMAGE_SUFFIXES):
        path = folder / value  # the loader made it absolute and checked it against the project root
        if not path.is_file():
            raise AssetError(f'background image not found: "{value}" (looked in {path.parent})', where)
        # a transparent picture shows the theme's background through (and a photo theme's photo)
        return ImageFill(path, darken=0.35, under=_background(None, theme, folder, where, scale))
    raise DeckError(
        f"expected a theme color ({', '.join(sorted(theme.colors))}), a color "
        f'such as "#1A1A2E" or an image path (.png, .jpg, .webp); found "{value}"',
        where,
    )


def _theme_color(theme: Theme, value: str, field: str) -> RGBA:
    try:
        return theme.color(value, field)
    except ValueError as exc:
        raise ThemeError(str(exc), Where(theme.files[0] if theme.files else None)) from None


# On a centred theme these roles are centred, unless the theme sets a role's align itself; list
# items, columns and the chrome keep their own (a list is a left-aligned column, centred whole).
CENTERED_ROLES = frozenset(
    {
        "cover_title",
        "cover_subtitle",
        "title",
        "body",
        "number",
        "stat",
        "quote",
        "quote_mark",
        "quote_author",
        "cta_title",
        "cta_text",
        "statement",
        "url",
        "author_name",
        "author_handle",
    }
)


def resolve_style(
    name: str, role: Role, theme: Theme, book: FontBook, scale: float, lang: str, axis: str = "left"
) -> TextStyle:
    ref = theme.fonts[role.font]
    weight = role.weight or ref.weight
    try:
        fonts = StyleFonts(
            regular=_chain(book, ref, weight, False),
            bold=_chain(book, ref, max(role.bold_weight, weight), False),
            italic=_chain(book, ref, weight, True),
            bold_italic=_chain(book, ref, max(role.bold_weight, weight), True),
        )
    except FontError as exc:  # an unknown family, or a damaged font file (named)
        file = f" ({exc.where.file})" if exc.where.file else ""
        raise ThemeError(
            f"{exc.message}{file}", theme.where("fonts", role.font, "file" if ref.file else "family")
        ) from None
    size = role.size * scale
    return TextStyle(
        role=name,
        fonts=fonts,
        size=size,
        min_size=min(size, (role.min_size or role.size) * scale),
        max_size=max(size, (role.max_size or role.size) * scale),
        line_height=role.line_height,
        color=theme.color(role.color),
        align="center"
        if axis == "center" and name in CENTERED_ROLES and "align" not in role.fields_set
        else role.align,
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


def _chain(book: FontBook, ref: FontRef, weight: int, italic: bool) -> FontChain:
    """A role's faces: the theme's font (a family of cardgen's, or the theme's own files) for this
    weight and style, then cardgen's fallback chain."""
    if ref.file:
        from cardgen.load.brandfonts import face_path

        face = load_face(face_path(ref.files, weight, italic))
    else:
        face = book.face(ref.family or "", weight, italic)
    return FontChain((face,), book.fallbacks(weight))
