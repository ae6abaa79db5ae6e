"""Layouts: CardSpec → Flow (what a layout stacks) → Page (the flow placed, decorated, with chrome).

Each layout is a flow function, plus optionally a backdrop (boxes under everything, such as a
full-bleed photo) and decorations computed from the placed boxes (list markers, an author beside
the avatar, a QR code beside the address). Chrome is the same for every layout.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from cardgen.layout.flow import Flow, measure, place_flow
from cardgen.layout.layouts import chat, data, media, text
from cardgen.layout.chrome import chrome, content_area, on_photo
from cardgen.layout.ornament import place_ornaments
from cardgen.model.page import Box, Page, Rect
from cardgen.resolve.cards import CENTERED_ROLES, CardSpec

Decorate = Callable[[CardSpec, list[Box]], list[Box]]


@dataclass(frozen=True)
class Layout:
    flow: Callable[[CardSpec, Rect], Flow]
    backdrop: Callable[[CardSpec, list[Box]], list[Box]] | None = None  # under everything; sees the placed content
    decorate: Decorate | None = None
    photo: Callable[[CardSpec], bool] = lambda card: False  # text over a photo: white type
    # The placed flow → the boxes to draw instead (chat: bubbles under the messages, right-hand ones moved)
    arrange: Callable[[CardSpec, list[Box]], list[Box]] | None = None


LAYOUTS: Mapping[str, Layout] = {
    "cover": Layout(text.cover, text.cover_backdrop, text.decorate, lambda c: c.image is not None),
    "text": Layout(text.text, None, text.decorate),
    "step": Layout(text.step, None, text.decorate),
    "list": Layout(text.list_, None, text.decorate),
    "quote": Layout(text.quote, None, text.decorate),
    "cta": Layout(text.cta, None, text.decorate),
    "link": Layout(media.link, None, media.link_bar),
    "image": Layout(media.image, media.image_backdrop, None, lambda c: c.image is not None),
    "compare": Layout(data.compare, None, lambda c, b: data.column_bars(c, b) + text.list_markers(c, b)),
    "stat": Layout(data.stat),
    "chat": Layout(chat.chat, arrange=chat.arrange),
}


def styled(card: CardSpec) -> CardSpec:
    """The card as its layout sets it: over a photo, every role turns white."""
    return on_photo(card) if LAYOUTS[card.layout].photo(card) else card


def flush_left(card: CardSpec) -> CardSpec:
    """The card on a left axis: the roles a centred theme centres, set flush left again."""
    styles = {
        name: replace(style, align="left") if name in CENTERED_ROLES and style.align == "center" else style
        for name, style in card.styles.items()
    }
    return replace(card, axis="left", styles=styles)


def card_flow(card: CardSpec) -> Flow:
    card = styled(card)
    return LAYOUTS[card.layout].flow(card, content_area(card))


def compose(
    card: CardSpec, flow: Flow, sizes: Mapping[str, float], top: float | None = None, shift: float | None = None
) -> Page:
    """The card's page: backdrop, ornaments placed where the text is not, the content, chrome.
    `top`: where the content starts (px below the content area's top), `shift`: where a centred
    list's column sits, for a run of cards."""
    card = styled(card)
    layout = LAYOUTS[card.layout]
    placed = place_flow(flow, measure(flow, sizes), top, shift)
    content = layout.arrange(card, placed) if layout.arrange else placed
    if layout.decorate:
        content += layout.decorate(card, content)
    chrome_boxes = chrome(card, content)
    backdrop = layout.backdrop(card, [*content, *chrome_boxes]) if layout.backdrop else []
    # Over a full-bleed photo the theme's shapes would not show; elsewhere they go where the text is not.
    ornaments = [] if backdrop else place_ornaments(card, card.decor, [*content, *chrome_boxes])
    return Page(card.width, card.height, card.background, tuple([*backdrop, *ornaments, *content, *chrome_boxes]))


__all__ = ["LAYOUTS", "Layout", "card_flow", "chrome", "compose", "content_area", "flush_left", "styled"]
