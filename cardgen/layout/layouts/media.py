"""Layouts around pictures and links: `image` (a full-bleed photo with a caption over a scrim)
and `link` (a resource card: name, one-line description, the address, a logo or screenshot and
an optional QR code)."""

from __future__ import annotations

from dataclasses import replace

from cardgen.layout.flow import Columns, FixedBlock, Flow, TextBlock, prepare
from cardgen.layout.layouts.text import reading_lines, address_style, flow, numbered, photo_backdrop
from cardgen.text.markup import Span
from cardgen.model.page import Box, FillBox, ImageBox, QRBox, Rect, Solid
from cardgen.resolve.cards import CardSpec

QR_SIZE = 220  # px at 1080 wide, beside a screenshot
QR_ALONE = 300  # px at 1080 wide: with no screenshot, the code is the card's picture
SHOT_MIN = 0.25  # a screenshot's slot takes at least this share of the content area's height (cropped to it)
WHITE = (255, 255, 255, 255)
IMAGE_LINES = 3  # an untitled photo caption of more lines at the statement size is set as body text


def image(card: CardSpec, area: Rect) -> Flow:
    """The caption sits at the bottom, over the scrim; the photo itself is the backdrop."""
    blocks: list = [
        TextBlock("title", card.styles["title"], prepare(card, "title", "title")),
        TextBlock("text", card.styles["body"], prepare(card, "text", "body"), card.gap * 1.2),
    ]
    shown = tuple(b for b in blocks if not b.text.empty) or tuple(blocks[:1])
    plain = flow(card, area, list(shown), valign="end", grow=False)
    if card.has("title") or not card.has("text") or "statement" not in card.styles:
        return plain
    # An untitled caption of up to IMAGE_LINES lines is the photo's headline, set as a statement
    # and stepped up while it keeps the lines it takes at its reading size (a two-line headline
    # grows into two larger lines, never into a third over the photo); a longer one is body text.
    headline = TextBlock("text", card.styles["statement"], prepare(card, "text", "statement"))
    lines = reading_lines(card, headline, area.w)
    keep = max(1, lines) if lines <= IMAGE_LINES else IMAGE_LINES
    return flow(card, area, [headline], valign="end", kind="statement", fallback=plain, max_lines=keep)


def image_backdrop(card: CardSpec, boxes: list[Box]) -> list[Box]:
    return photo_backdrop(card, boxes) if card.image else []


def link(card: CardSpec, area: Rect) -> Flow:
    """Number, name and description; the screenshot (the full width of the column, as tall as
    the room left allows: cropped, never narrowed); then the address, with its QR code beside it.
    Without a screenshot the QR code grows into the card's picture, right after the text, with
    the address under it (so no hole opens between them, and the address has the whole measure). The address is
    set as text: a long one wraps at its slashes and dots rather than running under the code."""
    s = card.scale
    rest: list = []
    if card.has("text"):
        gap = card.gap * (1.1 if card.title_rule is None else 1.0)
        rest.append(
            TextBlock("text", card.styles["body"], prepare(card, "text", "body"), gap if card.has("title") else 0)
        )
    if card.image and card.image_aspect:
        # A screenshot or logo the full width of the column, in its own proportions: a slot that
        # takes the room that is left up to the picture's own height (at least SHOT_MIN of the
        # area: a taller picture is cropped to it, see `_shot`); what is left over, valign places.
        natural = area.w / card.image_aspect  # the picture the full width of the column
        rest.append(
            FixedBlock("shot", min(natural, SHOT_MIN * area.h), 0, card.gap * 1.4, flexible=True, max_height=natural)
        )
    elif card.image:  # proportions unknown (the picture is reported when painted)
        rest.append(
            FixedBlock(
                "image", 200 * s, 0, card.gap * 1.4, radius=28 * s, image=card.image, flexible=True, focus=card.focus
            )
        )
    address = None
    if card.url:
        # The address is the card's call to action, with or without a picture: at the text's size.
        address = TextBlock(
            "url", address_style(card), prepare(card, "url", "url", ((Span(f"{card.url}\u00a0↗"),),), hyphenate=False)
        )
    if card.qr and card.link:
        # the code grows into the card's picture when there is none, on a card taller than wide
        side = (QR_SIZE if card.image or area.h < area.w else QR_ALONE) * s
        code = FixedBlock("qr", side, side, centered=card.axis == "center")
        if address is None:
            rest.append(replace(code, gap_before=card.gap * 1.4))
        elif card.axis == "center":  # the code centred, its address under it
            rest += [replace(code, gap_before=card.gap * 1.4), replace(address, gap_before=card.gap)]
        else:
            bar = Columns("linkbar", ((address,), (code,)), card.gap * 1.4, card.gap, tail=side, middle=True)
            if stacked_link(card):
                # The code is the card's picture, the address under it with the whole measure (beside
                # a 300 px code an address has half the column and wraps even when short: «t.me/name/
                # | 412»). A card with too much text for that keeps the address beside the code.
                blocks, head = numbered(card, area, [*rest, bar])
                beside = flow(card, area, blocks, head=head)
                stacked = [replace(code, gap_before=card.gap * 1.4), replace(address, gap_before=card.gap)]
                blocks, head = numbered(card, area, [*rest, *stacked])
                return flow(card, area, blocks, head=head, fallback=beside)
            rest.append(bar)
    elif address is not None:
        rest.append(replace(address, gap_before=card.gap * 1.4))
    blocks, head = numbered(card, area, rest)
    return flow(card, area, blocks, head=head)


def stacked_link(card: CardSpec) -> bool:
    """A flush-left link card whose QR code is its picture (no screenshot): its address goes under
    the code when the card has room for that, else beside it (see `link`, `layout.deck.consistent_links`)."""
    return bool(
        card.layout == "link" and card.qr and card.link and card.url and not card.image and card.axis != "center"
    )


def link_bar(card: CardSpec, boxes: list[Box]) -> list[Box]:
    """The screenshot in its slot, whole, and the QR code on a light tile in its own."""
    return _shot(card, boxes) + _code(card, boxes)


def _shot(card: CardSpec, boxes: list[Box]) -> list[Box]:
    """The picture the full width of the column, in its own proportions: a picture taller than
    its slot is cropped to it (from the bottom, or around the card's focus), never squeezed; a
    shorter one is centred in the slot's height. A screenshot narrower than the text beside it
    reads as an afterthought."""
    slot = next((b for b in boxes if isinstance(b, FillBox) and b.field == "shot"), None)
    if slot is None or card.image is None or not card.image_aspect:
        return []
    rect = slot.rect
    height = min(rect.h, rect.w / card.image_aspect)
    y = rect.y + (rect.h - height) / 2
    # A screenshot is cropped from its bottom: its top (a window's bar, a page's header) says
    # what it is. A card's own focus, away from the centre, chooses otherwise.
    focus = card.focus if card.focus != CENTRE else (0.5, 0.0)
    return [ImageBox(Rect(rect.x, y, rect.w, height), card.image, radius=28 * card.scale, focus=focus, field="image")]


CENTRE = (0.5, 0.5)  # the focus a card has when it sets none


def _code(card: CardSpec, boxes: list[Box]) -> list[Box]:
    slot = next((b for b in boxes if isinstance(b, FillBox) and b.field == "qr"), None)
    if slot is None or not card.link:
        return []
    tile = slot.rect
    inset = 14 * card.scale
    return [
        FillBox(tile, Solid(WHITE), 22 * card.scale, field="qr.tile"),
        QRBox(
            Rect(tile.x + inset, tile.y + inset, tile.w - 2 * inset, tile.h - 2 * inset), card.link, (17, 17, 24, 255)
        ),
    ]
