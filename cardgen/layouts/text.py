"""The text layouts: cover, text, step, list, quote, cta. CardSpec → Flow, plus decorations that
need the placed boxes (list markers, the author beside an avatar, hint pills)."""

from __future__ import annotations

from cardgen.layout import FixedBlock, Flow, TextBlock, prepare
from cardgen.layouts.chrome import WHITE, line_width, one_line, readable_on
from cardgen.markup import Span
from cardgen.page import ImageFill, Box, FillBox, ImageBox, Rect, Scrim, Solid, TextBox
from cardgen.resolve import CardSpec
from cardgen.shaping import ink_bottom

AVATAR = 120  # px at 1080 wide
SCRIM = (8, 8, 14, 235)


def cover(card: CardSpec, area: Rect) -> Flow:
    s = card.scale
    blocks: list = [
        FixedBlock("rule", 12 * s, 112 * s, paint=Solid(card.styles["number"].color), radius=6 * s),
        TextBlock("title", card.styles["cover_title"], prepare(card, "title", "cover_title"), 64 * s),
        TextBlock("subtitle", card.styles["cover_subtitle"], prepare(card, "subtitle", "cover_subtitle"), 60 * s),
    ]
    if card.avatar:
        blocks += author_blocks(card, 80 * s)
    # Over a photo the text sits low, on the scrim; on a plain background, in the middle.
    return Flow(area, tuple(blocks), valign="bottom" if card.image else "center")


def cover_backdrop(card: CardSpec) -> list[Box]:
    """A cover with an image: the photo fills the card, a scrim darkens its lower part."""
    if not card.image:
        return []
    return photo_backdrop(card)


def photo_backdrop(card: CardSpec) -> list[Box]:
    full = Rect(0, 0, card.width, card.height)
    return [
        FillBox(full, ImageFill(card.image, focus=card.focus)),  # type: ignore[arg-type]
        FillBox(Rect(0, 0, card.width, card.height * 0.25), Scrim((8, 8, 14, 175), 0.0, upward=True)),
        FillBox(Rect(0, card.height * 0.2, card.width, card.height * 0.8), Scrim(SCRIM, 0.0, end=0.55)),
    ]


def step(card: CardSpec, area: Rect) -> Flow:
    return Flow(area, tuple(number_block(card) + heading_and_body(card, title_gap(card))))


def number_block(card: CardSpec) -> list:
    """The big number that opens step and link cards (none when the card has no number)."""
    if not card.number:
        return []
    number = ((Span(card.number),),)
    return [TextBlock("number", card.styles["number"], prepare(card, "number", "number", number))]


def title_gap(card: CardSpec) -> float:
    return 56 * card.scale if card.number else 0.0


def text(card: CardSpec, area: Rect) -> Flow:
    return Flow(area, tuple(heading_and_body(card, 0)))


def heading_and_body(card: CardSpec, title_gap: float, *, image: bool = True) -> list:
    s = card.scale
    blocks: list = [
        TextBlock("title", card.styles["title"], prepare(card, "title", "title"), title_gap),
        TextBlock("text", card.styles["body"], prepare(card, "text", "body"), card.gap * 1.5),
    ]
    if card.url:
        url = ((Span(card.url),),)
        blocks.append(TextBlock("url", card.styles["url"], prepare(card, "url", "url", url, hyphenate=False), card.gap * 1.2))
    if card.image and image:
        blocks.append(FixedBlock("image", 240 * s, 0, card.gap * 1.2, radius=28 * s, image=card.image,
                                 flexible=True, focus=card.focus))
    return blocks


def list_(card: CardSpec, area: Rect) -> Flow:
    style = card.styles["item"]
    rule = Solid(with_alpha(style.color, 40))
    blocks: list = [TextBlock("title", card.styles["title"], prepare(card, "title", "title"))]
    indent = {"number": 1.25, "check": 1.15}.get(card.marker, 0.95) * style.size
    for i, item in enumerate(card.items):
        if i:
            blocks.append(FixedBlock(f"divider[{i}]", max(1.0, 2 * card.scale), 0, card.gap * 0.9, paint=rule))
        gap = card.gap * (1.6 if i == 0 else 0.9)
        blocks.append(TextBlock(f"items[{i}]", style, prepare(card, f"items[{i}]", "item", item), gap, indent, card.marker))
    return Flow(area, tuple(blocks))


def with_alpha(color: tuple[int, int, int, int], alpha: int) -> tuple[int, int, int, int]:
    return (color[0], color[1], color[2], alpha)


def list_markers(card: CardSpec, boxes: list[Box]) -> list[Box]:
    """Before each item: an accent dot, a check mark, or its number in an accent circle."""
    out: list[Box] = []
    marker_style = card.styles["item_marker"]
    items = [b for b in boxes if isinstance(b, TextBox) and ("items[" in b.field) and not b.field.endswith(".marker") and b.lines]
    marker = card.marker if card.layout == "list" else "bullet"
    for n, box in enumerate(items, start=1):
        size = box.size
        first = box.lines[0]
        x_height_mid = first.baseline - 0.36 * size
        if marker == "number":
            d = 1.0 * size
            circle = Rect(box.rect.x - 1.25 * size, x_height_mid - d / 2, d, d)
            out.append(FillBox(circle, Solid(marker_style.color), d / 2))
            label = str(n)
            style = card.styles["item_marker"]
            number_size = 0.6 * size
            w = line_width(card, "item_marker", label) * number_size / style.size
            cap = style.cap_height * number_size
            from dataclasses import replace as _replace

            ink = readable_on(marker_style.color, card.colors.get("on_accent", WHITE))
            small = _replace(style, size=number_size, min_size=number_size, color=ink)
            out += one_line(card, f"{box.field}.marker", "item_marker", label, x_height_mid + cap / 2, w + 1, False,
                            left=circle.x + (d - w) / 2, style=small)
        elif marker == "check":
            # right-aligned in the indent: the mark ends a quarter em before the text
            out += one_line(card, f"{box.field}.marker", "item_marker", "✓", first.baseline, 0.9 * size, True,
                            left=box.rect.x - 1.15 * size, style=_sized(marker_style, 0.85 * size))
        else:
            d = 0.34 * size
            cx = box.rect.x - 0.95 * size + d / 2 + 0.05 * size
            out.append(FillBox(Rect(cx - d / 2, x_height_mid - d / 2, d, d), Solid(marker_style.color), d / 2))
    return out


def _sized(style, size: float):
    from dataclasses import replace

    return replace(style, size=size, min_size=size)


def quote(card: CardSpec, area: Rect) -> Flow:
    s = card.scale
    mark_style = card.styles["quote_mark"]
    mark = prepare(card, "quote_mark", "quote_mark", ((Span("«" if card.lang == "ru" else "“"),),))
    # The mark's block ends at its baseline, but its ink ends high above it: close that gap.
    glyph = mark.paragraphs[0][0].content[0][0].glyph
    lift = ink_bottom(glyph.face, glyph.gid) * mark_style.size
    blocks: list = [
        TextBlock("quote_mark", mark_style, mark),
        TextBlock("text", card.styles["quote"], prepare(card, "text", "quote"), 48 * s - lift),
    ]
    if card.card_avatar and card.has("author"):
        blocks.append(FixedBlock("avatar", AVATAR * s, AVATAR * s, card.gap * 1.3, radius=AVATAR * s / 2,
                                 image=card.card_avatar))
    elif card.has("author"):
        dash = ((Span("— "), *card.texts["author"][0]),)
        blocks.append(TextBlock("author", card.styles["quote_author"], prepare(card, "author", "quote_author", dash), card.gap * 1.3))
    return Flow(area, tuple(blocks), valign="center")


def cta(card: CardSpec, area: Rect) -> Flow:
    s = card.scale
    blocks: list = [
        TextBlock("title", card.styles["cta_title"], prepare(card, "title", "cta_title")),
        TextBlock("text", card.styles["cta_text"], prepare(card, "text", "cta_text"), card.gap * 1.2),
    ]
    if card.url:  # where the call leads: «Подробный гайд — в нашем блоге» over example.com/blog
        url = ((Span(card.url),),)
        blocks.append(TextBlock("url", card.styles["url"], prepare(card, "url", "url", url, hyphenate=False), card.gap))
    if card.hints:
        style = card.styles["hint"]
        pill = style.cap_height * style.size * HINT_SCALE * 3.2
        blocks.append(FixedBlock("hints", pill, 0, card.gap * 1.5))
    blocks += author_blocks(card, 72 * s)
    return Flow(area, tuple(blocks), valign="center")


def author_blocks(card: CardSpec, gap: float) -> list:
    """The deck's author: a round avatar with name and handle beside it, or the text alone."""
    s = card.scale
    if card.avatar:
        return [FixedBlock("avatar", AVATAR * s, AVATAR * s, gap, radius=AVATAR * s / 2, image=card.avatar)]
    blocks: list = []
    if card.author_name:
        name = ((Span(card.author_name),),)
        blocks.append(TextBlock("author.name", card.styles["author_name"], prepare(card, "author", "author_name", name), gap))
    if card.author_handle:
        handle = ((Span(card.author_handle),),)
        blocks.append(TextBlock("author.handle", card.styles["author_handle"],
                                prepare(card, "author", "author_handle", handle), 20 * s if blocks else gap))
    return blocks


def beside_avatar(card: CardSpec, boxes: list[Box]) -> list[Box]:
    """Name and handle (or, on a quote, «— author») set to the right of the avatar, centred on it."""
    out: list[Box] = []
    for box in boxes:
        if not (isinstance(box, ImageBox) and box.field == "avatar"):
            continue
        if card.layout == "quote":
            author = "— " + "".join(s.text for s in card.texts["author"][0])
            lines = [("author", "quote_author", author)]
        else:
            lines = [(f, r, t) for f, r, t in (("author.name", "author_name", card.author_name),
                                               ("author.handle", "author_handle", card.author_handle)) if t]
        if not lines:
            continue
        x = box.rect.right + 32 * card.scale
        styles = [card.styles[r] for _, r, _ in lines]
        gap = 16 * card.scale
        height = sum(st.cap_height * st.size for st in styles) + gap * (len(lines) - 1)
        top = box.rect.y + (box.rect.h - height) / 2
        for (field, role, text), style in zip(lines, styles, strict=True):
            cap = style.cap_height * style.size
            out += one_line(card, field, role, text, top + cap, card.width - card.margin - x, False, left=x)
            top += cap + gap
    return out


HINT_SCALE = 1.35  # pills read as buttons: larger than the footer-sized hint role
HINT_ICONS = {"Сохрани": "🔖", "Поделись": "📤", "Лайкни": "❤️", "Напиши в комментариях": "💬",
              "Save": "🔖", "Share": "📤", "Like": "❤️", "Comment": "💬"}


def hint_pills(card: CardSpec, boxes: list[Box]) -> list[Box]:
    """«Сохрани», «Поделись», …: outlined pills in a row, in the hint role's color."""
    slot = next((b for b in boxes if isinstance(b, FillBox) and b.field == "hints"), None)
    if slot is None:
        return []
    style = card.styles["hint"]
    cap = style.cap_height * style.size * HINT_SCALE
    pad = 1.1 * cap
    x = slot.rect.x
    out: list[Box] = []
    for n, label in enumerate(card.hints):
        text = f"{HINT_ICONS.get(label, '')} {label}".strip()
        w = line_width(card, "hint", text) * HINT_SCALE + 2 * pad
        if x + w > slot.rect.right:  # never dropped in silence
            from cardgen.errors import LayoutError

            raise LayoutError(f"the hints do not fit in one row: «{label}» and what follows it would run off the "
                              f"card ({n} of {len(card.hints)} fit); leave some out", card.where("hints"))
        pill = Rect(x, slot.rect.y, w, slot.rect.h)
        out.append(FillBox(pill, Solid(style.color), slot.rect.h / 2, stroke=max(1.5, 2.5 * card.scale), field="hint"))
        baseline = pill.y + (pill.h + cap) / 2
        out += one_line(card, "hints", "hint", text, baseline, w, False, left=x + pad,
                        style=_sized(style, style.size * HINT_SCALE))
        x += w + 0.6 * pad
    return out


def decorate(card: CardSpec, boxes: list[Box]) -> list[Box]:
    return list_markers(card, boxes) + beside_avatar(card, boxes) + hint_pills(card, boxes)


