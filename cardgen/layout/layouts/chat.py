"""The `chat` layout: a conversation as message bubbles. CardSpec → Flow → bubbles under the placed text.

The flow stacks an optional title and text (the scene: «Пятница, восемь вечера…») and the
messages, each message indented to its side and at most BUBBLE_SHARE of the content width
wide, with the speaker's name above it when the speaker changes. Bubble padding is part of the
gaps between blocks, so fitting measures the whole conversation. After the flow is placed,
`arrange` draws each bubble behind its text, hugging the longest line, and moves a right-hand
message so that its bubble ends at the right margin.

Colours come from the theme: a left bubble is the palette's `surface` when it stands out from
the page and the text reads on it (a faint tint of the text colour over the page otherwise);
a right bubble is the accent (or `accent_ink` when the accent is too light for `on_accent`
text), with whichever of `on_accent`, white and near-black reads best on it. The contrast
check then samples the bubble under every glyph like any other background.
"""

from __future__ import annotations

from dataclasses import replace

from cardgen.model.color import contrast_ratio
from cardgen.model.color import over
from cardgen.layout.flow import FixedBlock, Flow, TextBlock, prepare
from cardgen.layout.chrome import content_area, readable_on
from cardgen.layout.layouts.text import flow
from cardgen.text.markup import Span
from cardgen.model.page import (
    RGBA,
    Box,
    FillBox,
    LinearGradient,
    GlyphRow,
    PlacedGlyph,
    RadialGradient,
    Rect,
    Solid,
    TextBox,
)
from cardgen.resolve.cards import CardSpec, TextStyle

BUBBLE_SHARE = 0.8  # a bubble takes at most this share of the content width
PAD_X, PAD_Y = 34.0, 26.0  # px at 1080 wide: text inset from the bubble's edges
RADIUS = 34.0  # px at 1080 wide
SAME_SIDE_GAP = 14.0  # px between two bubbles on one side
TURN_GAP = 30.0  # px between bubbles of different sides: the turn reads as a turn
NAME_GAP = 12.0  # px between a speaker's name and their bubble
SURFACE_CONTRAST = 1.15  # a surface colour this close to the page does not read as a bubble (white on cream)
BODY_CONTRAST = 4.5  # WCAG AA for body-size text
TINT_ALPHA = {"light": 30, "dark": 40}  # the text colour over the page, when there is no usable surface


def chat(card: CardSpec, area: Rect) -> Flow:
    s = card.scale
    style = _style(card, "message", "body")
    name_style = _style(card, "message_name", "footer")
    pad_x, pad_y = PAD_X * s, PAD_Y * s
    width = area.w * BUBBLE_SHARE - 2 * pad_x
    (left_fill, left_ink), (right_fill, right_ink) = bubble_colors(card)
    blocks: list = [
        TextBlock("title", card.styles["title"], prepare(card, "title", "title")),
        # A line that sets the scene («Пятница, восемь вечера. Заказчик пишет…»), under the title.
        TextBlock("text", card.styles["body"], prepare(card, "text", "body"), card.gap),
    ]
    headed = card.has("title") or card.has("text")
    first_gap = card.gap * 1.4 if headed else 0.0
    previous: tuple[str, str | None] | None = None  # (side, name) of the message before
    for i, message in enumerate(card.messages):
        right = message.side == "right"
        turn = previous is None or previous[0] != message.side
        between = first_gap if previous is None else pad_y + (TURN_GAP if turn else SAME_SIDE_GAP) * s
        show_name = bool(message.name) and (turn or previous is None or previous[1] != message.name)
        if show_name:
            label = ((Span(message.name or ""),),)
            named = replace(name_style, align="right" if right else "left")
            blocks.append(
                TextBlock(
                    f"messages[{i}].name",
                    named,
                    prepare(card, "messages", name_style.role, label, hyphenate=False),
                    between,
                    max_width=area.w - pad_x,
                    inset=0.0 if right else pad_x,
                )
            )
            between = NAME_GAP * s
        elif previous is None and not headed:
            blocks.append(FixedBlock("chat.top", 0.0, 0.0))  # so the first bubble's padding is kept below
        text_style = _on_bubble(style, right_ink if right else left_ink, right_fill if right else left_fill, card)
        indent = area.w - pad_x - width if right else pad_x
        blocks.append(
            TextBlock(
                f"messages[{i}]",
                text_style,
                prepare(card, "messages", style.role, message.text),
                between + pad_y,
                max_width=width,
                inset=indent,
            )
        )
        previous = (message.side, message.name)
    if card.messages:
        blocks.append(FixedBlock("chat.bottom", pad_y, 0.0))  # the last bubble's lower padding
    return flow(card, area, blocks)


def arrange(card: CardSpec, boxes: list[Box]) -> list[Box]:
    """The placed flow → bubbles drawn under each message, right-hand messages moved to the right margin."""
    area = content_area(card)
    s = card.scale
    pad_x, pad_y = PAD_X * s, PAD_Y * s
    (left_fill, _), (right_fill, _) = bubble_colors(card)
    out: list[Box] = []
    for box in boxes:
        index = _message_index(box)
        if index is None or not isinstance(box, TextBox) or not box.lines:
            out.append(box)
            continue
        widest = max(line.x + line.width for line in box.lines) - box.rect.x
        right = card.messages[index].side == "right"
        if right:
            box = shift(box, area.right - pad_x - (box.rect.x + widest))
        bubble = Rect(box.rect.x - pad_x, box.rect.y - pad_y, widest + 2 * pad_x, box.rect.h + 2 * pad_y)
        fill = right_fill if right else left_fill
        out.append(FillBox(bubble, Solid(fill), RADIUS * s, field=f"messages[{index}].bubble"))
        out.append(box)
    return out


def bubble_colors(card: CardSpec) -> tuple[tuple[RGBA, RGBA], tuple[RGBA, RGBA]]:
    """((left fill, left text), (right fill, right text)) from the theme's palette (see the module doc)."""
    text = _style(card, "message", "body").color
    page = _page_colors(card)
    surface = card.colors.get("surface")
    if (
        surface is not None
        and page
        and surface[3] == 255
        and all(contrast_ratio(surface, p) >= SURFACE_CONTRAST for p in page)
        and contrast_ratio(text, surface) >= BODY_CONTRAST
    ):
        left = surface
    else:
        dark = _luminance_dark(page) if page else True
        left = (text[0], text[1], text[2], TINT_ALPHA["dark" if dark else "light"])
    on_accent = card.colors.get("on_accent", (255, 255, 255, 255))
    candidates = [c for c in (card.colors.get("accent"), card.colors.get("accent_ink")) if c is not None]
    # The accent with the theme's own on_accent text; else the darker accent_ink with it; else
    # whichever reads with white or near-black.
    right = next((c for c in candidates if contrast_ratio(on_accent, c) >= BODY_CONTRAST), None) or next(
        (c for c in candidates if contrast_ratio(readable_on(c, on_accent), c) >= BODY_CONTRAST),
        candidates[0] if candidates else text,
    )
    return (left, text), (right, readable_on(right, on_accent))


def _on_bubble(style: TextStyle, ink: RGBA, fill: RGBA, card: CardSpec) -> TextStyle:
    """The message role as set on a bubble: the bubble's ink; ==accent== words keep the accent only
    where it reads on the bubble (over every colour of the page, for a translucent tint), else
    they take the ink (the accent on the accent bubble would vanish) and stay bold if bold."""
    page = _page_colors(card)  # a photo page is unknown until painted: the ink is the safe choice there
    accent = style.accent_color
    keeps = bool(page) and all(contrast_ratio(accent, over(fill, p)) >= BODY_CONTRAST for p in page)
    if style.accent_style == "highlight":  # a marker highlight carries its own text colour
        return replace(style, color=ink)
    return replace(style, color=ink, accent_color=accent if keeps else ink)


def shift(box: TextBox, dx: float) -> TextBox:
    """A text box moved `dx` px to the right, every glyph with it."""
    if not dx:
        return box
    lines = tuple(
        replace(line, x=line.x + dx, glyphs=GlyphRow.of([_moved(g, dx) for g in line.glyphs])) for line in box.lines
    )
    return replace(box, rect=replace(box.rect, x=box.rect.x + dx), lines=lines)


def _moved(glyph: PlacedGlyph, dx: float) -> PlacedGlyph:
    return replace(glyph, x=glyph.x + dx)


def _message_index(box: Box) -> int | None:
    """messages[3] → 3 for a message's text box (not its name), else None."""
    field = getattr(box, "field", "")
    if not field.startswith("messages[") or not field.endswith("]"):
        return None
    return int(field[len("messages[") : -1])


def _style(card: CardSpec, role: str, fallback: str) -> TextStyle:
    """A theme written before chat existed has no message roles: body text and footer labels stand in."""
    return card.styles.get(role) or card.styles[fallback]


def _page_colors(card: CardSpec) -> list[RGBA]:
    """The colours the page is painted in (empty for a photo: unknown until painted)."""
    paint = card.background
    if isinstance(paint, Solid):
        return [paint.color]
    if isinstance(paint, (LinearGradient, RadialGradient)):
        return list(paint.stops)
    return []


def _luminance_dark(colors: list[RGBA]) -> bool:
    white = (255, 255, 255, 255)
    return all(contrast_ratio(white, c) > contrast_ratio((0, 0, 0, 255), c) for c in colors)
