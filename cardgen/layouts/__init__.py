"""Layouts: CardSpec → Flow (what a layout stacks) → Page (the flow placed, decorated, with chrome).

Each layout is a flow function, plus optionally a backdrop (boxes under everything, such as a
full-bleed photo) and decorations computed from the placed boxes (list markers, an author beside
the avatar, a QR code beside the address). Chrome is the same for every layout.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cardgen.layout import Flow, fit_flow, measure, place_flow
from cardgen.layouts import chat, data, media, text
from cardgen.layouts.chrome import chrome, content_area, on_photo
from cardgen.page import Box, Page, Rect
from cardgen.resolve import CardSpec

Decorate = Callable[[CardSpec, list[Box]], list[Box]]


@dataclass(frozen=True)
class Layout:
    flow: Callable[[CardSpec, Rect], Flow]
    backdrop: Callable[[CardSpec], list[Box]] | None = None
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


def card_flow(card: CardSpec) -> Flow:
    card = styled(card)
    return LAYOUTS[card.layout].flow(card, content_area(card))


def limits(card: CardSpec) -> dict[str, tuple[float, float]]:
    return {name: (style.min_size, style.size) for name, style in card.styles.items()}


def compose(card: CardSpec, flow: Flow, sizes: Mapping[str, float]) -> Page:
    card = styled(card)
    layout = LAYOUTS[card.layout]
    fit = measure(flow, sizes)
    boxes: list[Box] = list(card.decor)
    if layout.backdrop:
        boxes += layout.backdrop(card)
    placed = place_flow(flow, fit)
    boxes += layout.arrange(card, placed) if layout.arrange else placed
    if layout.decorate:
        boxes += layout.decorate(card, boxes)
    boxes += chrome(card)
    return Page(card.width, card.height, card.background, tuple(boxes))


def fit_card(card: CardSpec):
    flow = card_flow(card)
    return flow, fit_flow(flow, limits(card))


__all__ = ["LAYOUTS", "Layout", "card_flow", "chrome", "compose", "content_area", "fit_card", "limits", "styled"]
