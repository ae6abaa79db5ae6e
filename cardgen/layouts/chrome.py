"""The parts every card shares: the content area inside the margins, and the chrome around it
(page counter, footer or brand, swipe hint), set at fixed sizes in the margin rows."""

from __future__ import annotations

from dataclasses import replace

from cardgen.color import contrast_ratio
from cardgen.layout import place_text
from cardgen.markup import Span
from cardgen.page import RGBA, Box, FillBox, ImageBox, Rect, Solid, TextBox
from cardgen.resolve import CardSpec, TextStyle
from cardgen.typeset import prepare_text, set_lines

WHITE: RGBA = (255, 255, 255, 255)
SCRIM_DARK: RGBA = (12, 12, 18, 255)


def row_height(card: CardSpec, role: str) -> float:
    style = card.styles[role]
    return style.cap_height * style.size


def content_area(card: CardSpec) -> Rect:
    """The canvas less the margins and the chrome rows above and below."""
    top_row = row_height(card, "counter")
    bottom_row = max(row_height(card, "footer"), row_height(card, "hint"))
    top = card.margin + top_row + card.chrome_gap
    bottom = card.height - card.margin - bottom_row - card.chrome_gap
    return Rect(card.margin, top, card.width - 2 * card.margin, bottom - top)


def on_photo(card: CardSpec) -> CardSpec:
    """Text over a photo (under a dark scrim) is white whatever the theme: muted roles at 85 %.

    An accent too dark to read on the scrim becomes a highlight: white type on the accent.
    """
    styles = {}
    for name, style in card.styles.items():
        muted = style.color[:3] != card.styles["body"].color[:3] and name not in ("number", "hint", "url")
        color = (255, 255, 255, 218 if muted else 255)
        update: dict = {"color": color}
        if contrast_ratio(style.accent_color, SCRIM_DARK) < 4.5:
            update |= {"accent_style": "highlight", "accent_text": WHITE}
        styles[name] = replace(style, **update)
    return replace(card, styles=styles)


def readable_on(fill: RGBA, *candidates: RGBA) -> RGBA:
    """The candidate color (white and near-black always among them) that reads best on `fill`."""
    options = [*candidates, WHITE, (17, 17, 24, 255)]
    return max(options, key=lambda c: contrast_ratio(c, fill))


def chrome(card: CardSpec) -> list[Box]:
    """Page counter, footer (or the theme's brand) and swipe hint, in the margins, at fixed sizes."""
    boxes: list[Box] = []
    width = card.width - 2 * card.margin
    top_baseline = card.margin + row_height(card, "counter")
    bottom_baseline = card.height - card.margin
    counter_width = 0.0
    if card.counter:
        counter_boxes = counter(card, top_baseline, bottom_baseline, width)
        counter_width = max((b.rect.w if not isinstance(b, TextBox) else max(ln.width for ln in b.lines)
                             for b in counter_boxes if isinstance(b, TextBox)), default=width / 3)
        boxes += counter_boxes
    if card.ad_line:
        # The ad marking takes the top row opposite the counter (or the whole row above the footer).
        top = not card.counter_position.startswith("top") or card.counter_position.endswith("right")
        room = width - (counter_width + card.gap if top and card.counter else 0)
        baseline = top_baseline if top else bottom_baseline - 2.2 * row_height(card, "footer")
        left = card.width - card.margin - room if top and card.counter_position == "top-left" else card.margin
        small = replace(card.styles["footer"], min_size=0.6 * card.styles["footer"].size)  # the law wants it whole
        boxes += one_line(card, "chrome.ad", "footer", card.ad_line, baseline, room, False, left=left, style=small)
    hint_width = 0.0
    if card.hint:
        hint = one_line(card, "chrome.hint", "hint", card.hint, bottom_baseline, width, True)
        hint_width = max((ln.width for b in hint if isinstance(b, TextBox) for ln in b.lines), default=0.0)
        boxes += hint
    left = card.margin
    if card.logo:
        size = row_height(card, "footer")
        height = 2.2 * size
        boxes.append(ImageBox(Rect(left, bottom_baseline - height / 2 - size / 2, height, height), card.logo,
                              fit="contain", field="chrome.logo"))
        left += height + 16 * card.scale
    footer = card.texts.get("footer")
    text = "".join(s.text for s in footer[0]) if footer else card.brand_handle
    shows_author = card.layout == "cta" or (card.layout == "cover" and card.avatar)
    if text and shows_author and card.author_handle and text.strip() == card.author_handle.strip():
        text = None  # the author block above already says it
    if text:
        room = card.width - card.margin - left - hint_width - card.gap
        boxes += one_line(card, "chrome.footer", "footer", text, bottom_baseline, room, False, left=left)
    return boxes


def counter(card: CardSpec, top_baseline: float, bottom_baseline: float, width: float) -> list[Box]:
    """"3/9" or "03" as text; dots or a progress bar as shapes, in the counter's row and color."""
    right = card.counter_position.endswith("right")
    baseline = bottom_baseline if card.counter_position.startswith("bottom") else top_baseline
    style = card.styles["counter"]
    if card.counter_style in ("fraction", "number"):
        return one_line(card, "chrome.counter", "counter", card.counter or "", baseline, width, right)
    cap = style.cap_height * style.size
    r, g, b, a = style.color
    faint = Solid((r, g, b, a // 3))
    full = Solid(style.color)
    boxes: list[Box] = []
    if card.counter_style == "dots":
        d = 0.9 * cap
        step = d * 1.9
        total_w = step * (card.total - 1) + d
        x = card.width - card.margin - total_w if right else card.margin
        for i in range(card.total):
            dot = Rect(x + i * step, baseline - cap / 2 - d / 2, d, d)
            boxes.append(FillBox(dot, full if i + 1 == card.index else faint, d / 2))
        return boxes
    # bar: a track a third of the content wide, and the share done
    bar_w = width / 3
    h = max(2.0, 0.3 * cap)
    x = card.width - card.margin - bar_w if right else card.margin
    y = baseline - cap / 2 - h / 2
    boxes.append(FillBox(Rect(x, y, bar_w, h), faint, h / 2))
    boxes.append(FillBox(Rect(x, y, bar_w * card.index / card.total, h), full, h / 2))
    return boxes


def one_line(card: CardSpec, field: str, role: str, text: str, baseline: float, width: float, right: bool,
             left: float | None = None, style: TextStyle | None = None) -> list[Box]:
    """One line of text at a role's size (smaller, down to its minimum, if it would not fit `width`)."""
    style = replace(style or card.styles[role], align="right" if right else "left")
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


def line_width(card: CardSpec, role: str, text: str) -> float:
    style = card.styles[role]
    prepared = prepare_text(((Span(text),),), style.fonts, lang=card.lang, uppercase=style.uppercase)
    lines = set_lines(prepared, 1e6)
    return lines[0].width * style.size if lines else 0.0
