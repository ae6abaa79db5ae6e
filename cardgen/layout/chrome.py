"""The parts every card shares: the content area inside the margins, and the chrome around it
(page counter, footer or brand, swipe hint, ad marking), set at fixed sizes in the margin rows.

The ad marking («Реклама. ООО «…». ИНН …. erid: …») is the one piece of chrome that may take
more than one line: the law wants it whole, and a full legal name does not fit one row beside
the counter. It wraps onto up to AD_LINES lines at the footer's size (smaller, down to
AD_MIN_SHARE of it, only when that is not enough), and the content area gives up the room the
extra lines take, so it never runs under the counter, the footer or the text. When it cannot
fit even so, that is an error located at the deck's `ad:` key: it is never clipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from cardgen.model.color import contrast_ratio
from cardgen.model.problems import LayoutError, Where, px, quoted
from cardgen.layout.flow import place_text
from cardgen.text.markup import Span
from cardgen.model.page import RGBA, Box, FillBox, ImageBox, Rect, Solid, TextBox
from cardgen.resolve.cards import CardSpec, TextStyle
from cardgen.text.typeset import SetLine, prepare_text, set_lines, single_line

WHITE: RGBA = (255, 255, 255, 255)
# A photo under a light scrim: an accent must read on this to stay a color over a photo. The scrim
# is only as dark as the text needs (layouts.text.photo_backdrop): an accent that needs a near-black
# one (a coral) becomes a highlight instead, and the photo keeps its light.
PHOTO_DARK: RGBA = (60, 60, 66, 255)
AD_LINES = 3  # the ad marking wraps onto at most this many lines
AD_MIN_SHARE = 0.8  # and is set at no less than this share of the footer's size (22 px of 28)


def row_height(card: CardSpec, role: str) -> float:
    style = card.styles[role]
    return style.cap_height * style.size


def content_area(card: CardSpec) -> Rect:
    """The canvas less the margins and the chrome rows above and below (and the ad marking's extra lines)."""
    top_row = row_height(card, "counter")
    bottom_row = max(row_height(card, "footer"), row_height(card, "hint"))
    top = card.margin + card.safe_top + top_row + card.chrome_gap
    bottom = card.height - card.margin - card.safe_bottom - bottom_row - card.chrome_gap
    ad = ad_block(card)
    if ad is not None and ad.top:
        top += ad.extra
    elif ad is not None:
        # Above the footer, the marking is part of the footer block: the content keeps the same
        # clearance above the marking's first line as above the footer (it came within 15-22 px).
        bottom = min(bottom - ad.extra, _ad_first_baseline(card, ad) - ad.style.cap_height * ad.size - card.chrome_gap)
    return Rect(card.margin, top, card.width - 2 * card.margin, bottom - top)


def _ad_first_baseline(card: CardSpec, ad: AdBlock) -> float:
    """The baseline of the marking's first line when it sits above the footer row, growing upwards."""
    bottom_baseline = card.height - card.margin - card.safe_bottom
    return bottom_baseline - 2.2 * row_height(card, "footer") - ad.extra


@dataclass(frozen=True, slots=True)
class AdBlock:
    """The ad marking as set on a card: in the top row (or above the footer), wrapped."""

    top: bool  # at the top; else just above the footer row, growing upwards
    below: bool  # at the top, but under the counter's row (too little room beside it)
    width: float
    size: float
    lines: tuple[SetLine, ...]  # set at size 1 (x in em)
    style: TextStyle

    @property
    def step(self) -> float:
        return self.style.line_height * self.size

    @property
    def extra(self) -> float:
        """The height the lines past the chrome row take: what the content area gives up."""
        return (len(self.lines) - 1 + self.below) * self.step


def ad_block(card: CardSpec) -> AdBlock | None:
    """Where and how the card's ad marking is set; LayoutError (at the deck's `ad:`) if it cannot be whole.

    In order: beside the counter at the footer's size; under the counter's row, the full width;
    the full width at a smaller size, down to AD_MIN_SHARE of the footer's. Never more than
    AD_LINES lines.
    """
    if not card.ad_line:
        return None
    width = card.width - 2 * card.margin
    # Beside a counter at the top right, in the top row; a counter at the top left keeps the top
    # row to itself ("01 Реклама…" would read as a numbered ad), so the marking goes above the footer.
    top = card.counter is None or card.counter_position != "top-left"
    beside = top and card.counter is not None and card.counter_position == "top-right"
    style = replace(card.styles["footer"], align="left", hyphenate=False)
    prepared = prepare_text(((Span(card.ad_line),),), style.fonts, lang=card.lang, uppercase=False)
    if beside:
        room = width - _counter_room(card, width) - card.gap
        lines = set_lines(prepared, room / style.size)
        if len(lines) <= AD_LINES:
            return AdBlock(top, False, room, style.size, lines, style)
    smallest = AD_MIN_SHARE * style.size
    size, lines = style.size, set_lines(prepared, width / style.size)
    if len(lines) > AD_LINES:
        best = set_lines(prepared, width / smallest)
        if len(best) > AD_LINES:
            raise LayoutError(
                f"the ad marking does not fit: at {px(smallest)} px ({AD_MIN_SHARE:.0%} of the footer size, the "
                f"smallest that stays legible) it takes {len(best)} lines of the {AD_LINES} it may have "
                f"({round(width)} px wide); the law wants it whole: shorten ad.advertiser (ООО «…» rather "
                f"than the full legal form)",
                card.where("ad"),
            )
        low, high = smallest, style.size
        size, lines = smallest, best
        for _ in range(12):  # the largest size that keeps AD_LINES lines
            mid = (low + high) / 2
            trial = set_lines(prepared, width / mid)
            if len(trial) <= AD_LINES:
                size, lines, low = mid, trial, mid
            else:
                high = mid
    return AdBlock(top, beside, width, size, lines, style)


def _counter_room(card: CardSpec, width: float) -> float:
    """The widest the counter gets in this deck, so the marking breaks alike on every card."""
    if card.counter_style in ("fraction", "number"):
        # The deck's longest counter with every digit as "0" ("00/00", "Шаг 0 из 0"): digits are
        # about as wide as "0", so the marking breaks alike on every card.
        widest = card.counter_reserve or re.sub(r"\d", "0", card.counter or "")
        return max(line_width(card, "counter", widest), line_width(card, "counter", card.counter or ""))
    if card.counter_style == "dots":
        d = 0.9 * row_height(card, "counter")
        return d * 1.9 * (card.total - 1) + d
    return width / 3  # the bar


def on_photo(card: CardSpec) -> CardSpec:
    """Text over a photo (under a dark scrim) is white whatever the theme: muted roles at 85 %.

    An accent too dark to read on a lightly darkened photo becomes a highlight: white type on the accent.
    """
    styles = {}
    for name, style in card.styles.items():
        muted = style.color[:3] != card.styles["body"].color[:3] and name not in ("number", "hint", "url")
        color = (255, 255, 255, 218 if muted else 255)
        update: dict = {"color": color}
        if contrast_ratio(style.accent_color, PHOTO_DARK) < 4.5:
            update |= {"accent_style": "highlight", "accent_text": WHITE}
        styles[name] = replace(style, **update)
    return replace(card, styles=styles)


def readable_on(fill: RGBA, *candidates: RGBA) -> RGBA:
    """The candidate color (white and near-black always among them) that reads best on `fill`."""
    options = [*candidates, WHITE, (17, 17, 24, 255)]
    return max(options, key=lambda c: contrast_ratio(c, fill))


def chrome(card: CardSpec, content: Sequence[Box] = ()) -> list[Box]:
    """Page counter, footer (or the theme's brand), swipe hint and ad marking, in the margins, at
    fixed sizes. A counter at the top left moves to the top right on a card whose content opens
    with a number at the top left (it would read as a second number stacked on it)."""
    boxes: list[Box] = []
    width = card.width - 2 * card.margin
    top_baseline = card.margin + card.safe_top + row_height(card, "counter")
    bottom_baseline = card.height - card.margin - card.safe_bottom
    # Where the theme puts it on every card: a counter moved off a step number below does not
    # move the marking to the top of that card alone (it jumped between top and bottom).
    ad = ad_block(card)
    if card.counter:
        if card.counter_position == "top-left" and _number_under(card, content):
            card = replace(card, counter_position="top-right")
        boxes += counter(card, top_baseline, bottom_baseline, width)
    if ad is not None:
        # The top row (beside or under the counter), lines going down; or above the footer, going up.
        if ad.top:
            first = top_baseline + ad.below * ad.step
        else:
            first = _ad_first_baseline(card, ad)
        cap = ad.style.cap_height * ad.size
        area = Rect(card.margin, first - cap, ad.width, cap + ad.step * (len(ad.lines) - 1))
        boxes += place_text("chrome.ad", ad.style, ad.lines, ad.size, area)
    hint_width = 0.0
    if card.hint:
        hint = one_line(card, "chrome.hint", "hint", card.hint, bottom_baseline, width, True)
        hint_width = max((ln.width for b in hint if isinstance(b, TextBox) for ln in b.lines), default=0.0)
        boxes += hint
    left = card.margin
    if card.logo:
        size = row_height(card, "footer")
        height = 2.2 * size
        boxes.append(
            ImageBox(
                Rect(left, bottom_baseline - height / 2 - size / 2, height, height),
                card.logo,
                fit="contain",
                field="chrome.logo",
            )
        )
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


def _number_under(card: CardSpec, content: Sequence[Box]) -> bool:
    """Content that opens with a number at the left, in the top quarter of the card."""
    area = content_area(card)
    for box in content:
        if isinstance(box, TextBox) and box.field == "number" and box.lines:
            line = box.lines[0]
            return line.x < area.x + area.w / 4 and box.rect.y < area.y + area.h / 4
    return False


def counter(card: CardSpec, top_baseline: float, bottom_baseline: float, width: float) -> list[Box]:
    """ "3/9" or "03" as text; dots or a progress bar as shapes, in the counter's row and color."""
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
            boxes.append(FillBox(dot, full if i + 1 == card.index else faint, d / 2, field="chrome.counter"))
        return boxes
    # bar: a track a third of the content wide, and the share done
    bar_w = width / 3
    h = max(2.0, 0.3 * cap)
    x = card.width - card.margin - bar_w if right else card.margin
    y = baseline - cap / 2 - h / 2
    boxes.append(FillBox(Rect(x, y, bar_w, h), faint, h / 2, field="chrome.counter"))
    boxes.append(FillBox(Rect(x, y, bar_w * card.index / card.total, h), full, h / 2, field="chrome.counter"))
    return boxes


def one_line(
    card: CardSpec,
    field: str,
    role: str,
    text: str,
    baseline: float,
    width: float,
    right: bool,
    left: float | None = None,
    style: TextStyle | None = None,
) -> list[Box]:
    """One line of text at a role's size (smaller, down to its minimum, if it would not fit `width`).

    Line breaks in the text become spaces: it is one line. Text that does not fit `width` even at
    the role's minimum size is a `LayoutError` located at the field it comes from: chrome is never
    clipped, nor left to run off the slide."""
    style = replace(style or card.styles[role], align="right" if right else "left")
    text = _LINE_BREAKS.sub(" ", text)
    line = single_line(prepare_text(((Span(text),),), style.fonts, lang=card.lang, uppercase=style.uppercase))
    if line is None:
        return []
    size = style.size
    if line.width * size > width:
        size = max(style.min_size, width / line.width)
    if line.width * size > width + 0.5:
        raise LayoutError(
            f"{_CHROME_NAMES.get(field, field)} does not fit on one line: at {px(size)} px (the smallest size of "
            f"{role}) it is {line.width * size:.0f} px wide and {max(0.0, width):.0f} px are free; shorten it "
            f"({quoted(text, 40)}, {len(text.strip())} characters)",
            _chrome_where(card, field),
        )
    if left is None:
        left = card.width - card.margin - width if right else card.margin
    top = baseline - style.cap_height * size
    return place_text(field, style, (line,), size, Rect(left, top, width, style.cap_height * size))


_LINE_BREAKS = re.compile(r"[\n\r\u2028\u2029\x85]+")
_CHROME_NAMES = {
    "chrome.footer": "the footer",
    "chrome.hint": "the swipe hint (the theme's swipe_hint.text)",
    "chrome.counter": "the counter (the theme's counter.format)",
    "url": "the address",
    "author.name": "the author's name",
    "author.handle": "the author's handle",
    "author": "the author",
}


def _chrome_where(card: CardSpec, field: str) -> Where:
    """Where the text of a one-line field is written: the card's own field, defaults:, the deck's
    author:, or (for what the theme writes: the counter, the swipe hint) the card it is on."""
    name = field.removeprefix("chrome.")
    if name == "footer" and not card.texts.get("footer"):
        return card.where("author.handle")  # the theme's brand: the deck author's handle
    return card.where(name) if name in ("footer", "url", "author", "author.name", "author.handle") else card.where()


def line_width(card: CardSpec, role: str, text: str) -> float:
    style = card.styles[role]
    prepared = prepare_text(((Span(text),),), style.fonts, lang=card.lang, uppercase=style.uppercase)
    line = single_line(prepared)
    return line.width * style.size if line else 0.0
