"""CardSpec → Flow (what each layout stacks) and → Page (the flow placed, plus chrome).

Each layout is a function from a card to a `Flow`; chrome (page counter, footer, swipe hint) is
the same for all layouts and sits in rows at the top and bottom margins.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from cardgen.layout import FixedBlock, Flow, TextBlock, fit_flow, place_flow, place_text, prepare
from cardgen.markup import Span
from cardgen.page import Box, FillBox, ImageBox, Page, Rect, Solid
from cardgen.resolve import CardSpec
from cardgen.shaping import ink_bottom
from cardgen.typeset import prepare_text, set_lines


def content_area(card: CardSpec) -> Rect:
    """The canvas less the margins and the chrome rows above and below."""
    top_row = _row_height(card, "counter")
    bottom_row = max(_row_height(card, "footer"), _row_height(card, "hint"))
    top = card.margin + top_row + card.chrome_gap
    bottom = card.height - card.margin - bottom_row - card.chrome_gap
    return Rect(card.margin, top, card.width - 2 * card.margin, bottom - top)


def _row_height(card: CardSpec, role: str) -> float:
    style = card.styles[role]
    return style.cap_height * style.size


def cover(card: CardSpec, area: Rect) -> Flow:
    s = card.scale
    blocks = [
        FixedBlock("rule", 12 * s, 112 * s, paint=Solid(card.styles["number"].color), radius=6 * s),
        TextBlock("title", card.styles["cover_title"], prepare(card, "title", "cover_title"), 64 * s),
        TextBlock("subtitle", card.styles["cover_subtitle"], prepare(card, "subtitle", "cover_subtitle"), 60 * s),
    ]
    return Flow(area, tuple(blocks), valign="center")


def step(card: CardSpec, area: Rect) -> Flow:
    s = card.scale
    blocks: list = []
    if card.number:
        number = (Span(card.number),)
        blocks.append(TextBlock("number", card.styles["number"], prepare(card, "number", "number", (number,))))
    blocks += _heading_and_body(card, 56 * s if card.number else 0)
    return Flow(area, tuple(blocks))


def text(card: CardSpec, area: Rect) -> Flow:
    return Flow(area, tuple(_heading_and_body(card, 0)))


def _heading_and_body(card: CardSpec, title_gap: float) -> list:
    s = card.scale
    blocks: list = [
        TextBlock("title", card.styles["title"], prepare(card, "title", "title"), title_gap),
        TextBlock("text", card.styles["body"], prepare(card, "text", "body"), card.gap * 1.5),
    ]
    if card.url:
        url = ((Span(card.url),),)
        blocks.append(TextBlock("url", card.styles["url"], prepare(card, "url", "url", url, hyphenate=False), card.gap * 1.2))
    if card.image:
        blocks.append(FixedBlock("image", 240 * s, 0, card.gap * 1.2, radius=28 * s, image=card.image, flexible=True))
    return blocks


def list_(card: CardSpec, area: Rect) -> Flow:
    style = card.styles["item"]
    rule = Solid(_with_alpha(card.styles["item"].color, 40))
    blocks: list = [TextBlock("title", card.styles["title"], prepare(card, "title", "title"))]
    indent = 0.95 * style.size
    for i, item in enumerate(card.items):
        if i:
            blocks.append(FixedBlock(f"divider[{i}]", max(1.0, 2 * card.scale), 0, card.gap * 0.9, paint=rule))
        gap = card.gap * (1.6 if i == 0 else 0.9)
        blocks.append(TextBlock(f"items[{i}]", style, prepare(card, f"items[{i}]", "item", item), gap, indent, "bullet"))
    return Flow(area, tuple(blocks))


def _with_alpha(color: tuple[int, int, int, int], alpha: int) -> tuple[int, int, int, int]:
    return (color[0], color[1], color[2], alpha)


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
    if card.has("author"):
        dash = ((Span("— "), *card.texts["author"][0]),)
        blocks.append(TextBlock("author", card.styles["quote_author"], prepare(card, "author", "quote_author", dash), card.gap * 1.3))
    return Flow(area, tuple(blocks), valign="center")


def cta(card: CardSpec, area: Rect) -> Flow:
    s = card.scale
    blocks: list = [
        TextBlock("title", card.styles["cta_title"], prepare(card, "title", "cta_title")),
        TextBlock("text", card.styles["cta_text"], prepare(card, "text", "cta_text"), card.gap * 1.2),
    ]
    blocks += _author_blocks(card, 72 * s)
    return Flow(area, tuple(blocks), valign="center")


AVATAR = 120  # px at 1080 wide


def _author_blocks(card: CardSpec, gap: float) -> list:
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


def _beside_avatar(card: CardSpec, boxes: list[Box]) -> list[Box]:
    """Name and handle set to the right of the avatar, centred on it as a pair."""
    out: list[Box] = []
    for box in boxes:
        if not (isinstance(box, ImageBox) and box.field == "avatar"):
            continue
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
            out += _one_line(card, field, role, text, top + cap, card.width - card.margin - x, False, left=x)
            top += cap + gap
    return out


LAYOUTS: Mapping[str, Callable[[CardSpec, Rect], Flow]] = {
    "cover": cover,
    "text": text,
    "step": step,
    "list": list_,
    "quote": quote,
    "cta": cta,
}


def card_flow(card: CardSpec) -> Flow:
    return LAYOUTS[card.layout](card, content_area(card))


def limits(card: CardSpec) -> dict[str, tuple[float, float]]:
    return {name: (style.min_size, style.size) for name, style in card.styles.items()}


def compose(card: CardSpec, flow: Flow, sizes: Mapping[str, float]) -> Page:
    from cardgen.layout import measure

    fit = measure(flow, sizes)
    boxes: list[Box] = place_flow(flow, fit)
    boxes += _markers(card, boxes)
    boxes += _beside_avatar(card, boxes)
    boxes += chrome(card)
    return Page(card.width, card.height, card.background, tuple(boxes))


def _markers(card: CardSpec, boxes: list[Box]) -> list[Box]:
    """Accent dots before list items, centred on the first line's x-height."""
    from cardgen.page import TextBox

    out: list[Box] = []
    for box in boxes:
        if isinstance(box, TextBox) and box.field.startswith("items[") and box.lines:
            size = box.size
            d = 0.34 * size
            first = box.lines[0]
            cy = first.baseline - 0.36 * size
            cx = box.rect.x - 0.95 * size + d / 2 + 0.05 * size
            out.append(FillBox(Rect(cx - d / 2, cy - d / 2, d, d), Solid(card.styles["item_marker"].color), d / 2))
    return out


def chrome(card: CardSpec) -> list[Box]:
    """Page counter, footer and swipe hint: one line each, at fixed sizes, in the margins."""
    boxes: list[Box] = []
    width = card.width - 2 * card.margin
    top_baseline = card.margin + _row_height(card, "counter")
    bottom_baseline = card.height - card.margin
    if card.counter:
        right = card.counter_position.endswith("right")
        baseline = bottom_baseline if card.counter_position.startswith("bottom") else top_baseline
        boxes += _one_line(card, "chrome.counter", "counter", card.counter, baseline, width, right)
    footer = card.texts.get("footer")
    hint_width = 0.0
    if card.hint:
        hint = _one_line(card, "chrome.hint", "hint", card.hint, bottom_baseline, width, True)
        hint_width = max((ln.width for b in hint if hasattr(b, "lines") for ln in b.lines), default=0.0)  # type: ignore[union-attr]
        boxes += hint
    if footer:
        text = "".join(s.text for s in footer[0])
        boxes += _one_line(card, "chrome.footer", "footer", text, bottom_baseline, width - hint_width - card.gap, False)
    return boxes


def _one_line(card: CardSpec, field: str, role: str, text: str, baseline: float, width: float, right: bool,
              left: float | None = None) -> list[Box]:
    style = replace(card.styles[role], align="right" if right else "left")
    prepared = prepare_text(((Span(text),),), style.fonts, lang=card.lang, uppercase=style.uppercase)
    lines = set_lines(prepared, 1e6)
    if not lines:
        return []
    line = lines[0]
    size = style.size
    if line.width * size > width:
        size = max(style.min_size, width / line.width)
    if left is None:
        left = card.width - card.margin - width if right else card.margin
    top = baseline - style.cap_height * size
    return place_text(field, style, (line,), size, Rect(left, top, width, style.cap_height * size))


def fit_card(card: CardSpec):
    flow = card_flow(card)
    return flow, fit_flow(flow, limits(card))
