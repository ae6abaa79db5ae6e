"""Layouts around pictures and links: `image` (a full-bleed photo with a caption over a scrim)
and `link` (a resource card: name, one-line description, the address, a logo or screenshot and
an optional QR code)."""

from __future__ import annotations

from cardgen.layout import FixedBlock, Flow, TextBlock, prepare
from cardgen.layouts.chrome import one_line
from cardgen.layouts.text import number_block, photo_backdrop, title_gap
from cardgen.markup import Span
from cardgen.page import Box, FillBox, QRBox, Rect, Solid
from cardgen.resolve import CardSpec

QR_SIZE = 220  # px at 1080 wide
WHITE = (255, 255, 255, 255)


def image(card: CardSpec, area: Rect) -> Flow:
    """The caption sits at the bottom, over the scrim; the photo itself is the backdrop."""
    s = card.scale
    blocks: list = [
        TextBlock("title", card.styles["title"], prepare(card, "title", "title")),
        TextBlock("text", card.styles["body"], prepare(card, "text", "body"), card.gap * 1.2),
    ]
    return Flow(area, tuple(b for b in blocks if not b.text.empty) or tuple(blocks[:1]), valign="bottom")


def image_backdrop(card: CardSpec) -> list[Box]:
    return photo_backdrop(card) if card.image else []


def link(card: CardSpec, area: Rect) -> Flow:
    s = card.scale
    blocks: list = number_block(card)
    blocks.append(TextBlock("title", card.styles["title"], prepare(card, "title", "title"), title_gap(card)))
    blocks.append(TextBlock("text", card.styles["body"], prepare(card, "text", "body"), card.gap * 1.1))
    if card.image:
        blocks.append(FixedBlock("image", 200 * s, 0, card.gap * 1.4, radius=28 * s, image=card.image,
                                 flexible=True, focus=card.focus))
    elif card.url or card.qr:  # the address sits on the bottom edge, where it is on every link card
        blocks.append(FixedBlock("spacer", 0, 0, 0, flexible=True))
    if card.url or card.qr:
        height = QR_SIZE * s if card.qr and card.link else card.styles["url"].size * 1.6
        blocks.append(FixedBlock("linkbar", height, 0, card.gap * 1.4))
    return Flow(area, tuple(blocks))


def link_bar(card: CardSpec, boxes: list[Box]) -> list[Box]:
    """The address (with an arrow) at the left, the QR code on a light tile at the right."""
    slot = next((b for b in boxes if isinstance(b, FillBox) and b.field == "linkbar"), None)
    if slot is None:
        return []
    out: list[Box] = []
    rect = slot.rect
    qr_side = 0.0
    if card.qr and card.link:
        qr_side = rect.h
        tile = Rect(rect.right - qr_side, rect.y, qr_side, qr_side)
        out.append(FillBox(tile, Solid(WHITE), 22 * card.scale, field="qr.tile"))
        inset = 14 * card.scale
        out.append(QRBox(Rect(tile.x + inset, tile.y + inset, tile.w - 2 * inset, tile.h - 2 * inset),
                         card.link, (17, 17, 24, 255)))
    if card.url:
        style = card.styles["url"]
        cap = style.cap_height * style.size
        baseline = rect.y + (rect.h + cap) / 2 if qr_side else rect.y + cap
        room = rect.w - qr_side - (card.gap if qr_side else 0)
        out += one_line(card, "url", "url", f"{card.url} ↗", baseline, room, False, left=rect.x)
    return out
