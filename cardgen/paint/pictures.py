"""Laid-out deck → its pictures, each with the place in the deck or theme that names it; and the
unreadable ones as located errors.

A picture is read when it is painted (or sampled for the contrast check), and the first one that
cannot be read stops that. `picture_errors` then reads every picture of the deck once, so all the
broken ones are reported together, each at its field: `deck.yaml:9: cards[2].image (card 3):
assets/text.png: not an image file …`, or the theme's `brand.logo` line. Only the failure path
pays for this; a deck whose pictures are fine never comes here.

When the theme is broken there are no pages to look at (the cards are not laid out with a
stand-in theme): `named_picture_errors` reads the pictures the deck itself names instead, and
those the theme names, since neither depends on the theme's other values.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cardgen.base import png
from cardgen.model.problems import AssetError, CardgenError, Where
from cardgen.model.page import FillBox, ImageBox, ImageFill, Page

if TYPE_CHECKING:
    from cardgen.load.deck import Deck
    from cardgen.run.pipeline import LaidOutDeck
    from cardgen.load.theme import Theme


def page_pictures(page: Page) -> list[Path]:
    """The picture files a page shows, in painting order."""
    paths = [page.background.path] if isinstance(page.background, ImageFill) else []
    for box in page.boxes:
        if isinstance(box, ImageBox):
            paths.append(box.path)
        elif isinstance(box, FillBox) and isinstance(box.paint, ImageFill):
            paths.append(box.paint.path)
    return paths


def picture_places(laid: LaidOutDeck) -> dict[Path, Where]:
    """Each picture of the deck → where it is first named: a card's field, defaults:, author:, or the theme."""
    deck, theme = laid.deck, laid.theme
    places: dict[Path, Where] = {}
    for card in laid.cards:
        fields = deck.cards[card.index - 1]
        named = [(card.image, card.where("image")), (card.card_avatar, card.where("avatar")),
                 (card.avatar, deck.where("author", "avatar"))]
        if isinstance(card.background, ImageFill):
            own = fields.background is not None or deck.defaults.background is not None
            named.append((card.background.path,
                          card.where("background") if own or theme is None else theme.where("background", "image")))
        if theme is not None:
            named.append((card.logo, theme.where("brand", "logo")))
        for path, where in named:
            if path is not None:
                places.setdefault(path, where)
    return places


def picture_errors(laid: LaidOutDeck) -> tuple[set[Path], list[CardgenError]]:
    """(the pictures that cannot be read, one located error each), reading every picture of the deck once."""
    from cardgen.paint.draw import load_image

    places = picture_places(laid)
    broken: set[Path] = set()
    errors: list[CardgenError] = []
    for path in dict.fromkeys(p for page in laid.pages for p in page_pictures(page)):
        try:
            load_image(path, laid.deck.limits)
        except AssetError as exc:
            broken.add(path)
            shown = Where(path)  # the file as the user sees it (relative to the working folder)
            errors.append(AssetError(f"{shown}: {exc.message}", places.get(path)))
    return broken, errors


def named_picture_errors(deck: Deck, theme: Theme | None = None) -> list[CardgenError]:
    """Every picture the deck names (each card's image, portrait and background picture, the
    defaults', the author's avatar) and, with `theme`, the theme's logo and background picture,
    that cannot be read: one located error each, at the field that first names it."""
    from cardgen.load.deck import IMAGE_SUFFIXES
    from cardgen.paint.draw import load_image

    named: list[tuple[Path, Where]] = []

    def add(value: object, where: Where) -> None:
        if isinstance(value, Path) or isinstance(value, str) and value.lower().endswith(IMAGE_SUFFIXES):
            named.append((Path(value), where))  # a background that is a color is no picture

    for at, fields in [(("defaults",), deck.defaults), *((("cards", i), c) for i, c in enumerate(deck.cards))]:
        for key in ("image", "avatar", "background"):
            add(getattr(fields, key), deck.where(*at, key))
    add(deck.author.avatar, deck.where("author", "avatar"))
    if theme is not None:
        add(theme.brand.logo, theme.where("brand", "logo"))
        add(theme.background.image if theme.background.type == "image" else None, theme.where("background", "image"))
    places: dict[Path, Where] = {}
    for path, where in sorted(named, key=lambda pair: (pair[1].file != deck.path, pair[1].line or 0)):
        places.setdefault(path, where)  # each file once, at its first line in the deck
    errors: list[CardgenError] = []
    for path, where in places.items():
        try:
            load_image(path, deck.limits)
        except AssetError as exc:
            errors.append(AssetError(f"{Where(path)}: {exc.message}", where))
    return errors


def damage_message(exc: BaseException, data: bytes) -> str:
    """Why a picture could not be decoded, in plain words: what was expected and what was found,
    never the decoder's class names or internals (`ValueError: invalid palette size`)."""
    text = str(exc)
    kind = _format_name(data)
    if "palette" in text.lower():
        colors = _png_palette_colors(data)
        found = f"holds {colors} colors" if colors is not None else "has a wrong size"
        return f"the {kind} file is damaged: its color palette {found}; a palette holds 1 to 256 colors"
    if "MAX_TEXT_CHUNK" in text or "MAX_TEXT_MEMORY" in text or "text chunk" in text.lower():
        return (f"the {kind} file holds a text chunk (metadata) that unpacks to more than 1 MB (a decompression "
                "bomb?); save the picture again without its metadata")
    if "truncated" in text.lower():
        return f"the {kind} file is truncated: it ends before its picture data does"
    return f"the {kind} file is damaged: its picture data cannot be decoded"


def _format_name(data: bytes) -> str:
    """ "PNG", "JPEG", "WebP", "GIF" from a file's first bytes, or "image"."""
    if png.is_png(data):
        return "PNG"
    if data.startswith(b"\xff\xd8"):
        return "JPEG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    return "image"


def _png_palette_colors(data: bytes) -> int | None:
    """How many colors a PNG's PLTE chunk holds (None when there is no such chunk to read)."""
    return next((chunk.length // 3 for chunk in png.chunks(data) if chunk.kind == b"PLTE"), None)
