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

from cardgen.layout.laid import LaidOutDeck
from cardgen.load.deck import IMAGE_SUFFIXES, Deck
from cardgen.load.theme import Theme
from cardgen.model.page import ImageFill
from cardgen.model.problems import AssetError, CardgenError, Where
from cardgen.paint.pictures import load_image


def picture_places(laid: LaidOutDeck) -> dict[Path, Where]:
    """Each picture of the deck → where it is first named: a card's field, defaults:, author:, or the theme."""
    deck, theme = laid.deck, laid.theme
    places: dict[Path, Where] = {}
    for card in laid.cards:
        fields = deck.cards[card.index - 1]
        named = [
            (card.image, card.where("image")),
            (card.card_avatar, card.where("avatar")),
            (card.avatar, deck.where("author", "avatar")),
        ]
        if isinstance(card.background, ImageFill):
            own = fields.background is not None or deck.defaults.background is not None
            named.append(
                (
                    card.background.path,
                    card.where("background") if own or theme is None else theme.where("background", "image"),
                )
            )
        if theme is not None:
            named.append((card.logo, theme.where("brand", "logo")))
        for path, where in named:
            if path is not None:
                places.setdefault(path, where)
    return places


def picture_errors(laid: LaidOutDeck) -> tuple[set[Path], list[CardgenError]]:
    """(the pictures that cannot be read, one located error each), reading every picture of the deck once."""
    places = picture_places(laid)
    broken: set[Path] = set()
    errors: list[CardgenError] = []
    for path in dict.fromkeys(picture.path for page in laid.pages for picture in page.pictures()):
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
    named: list[tuple[Path, Where]] = []

    def add(value: object, where: Where) -> None:
        if isinstance(value, Path) or (isinstance(value, str) and value.lower().endswith(IMAGE_SUFFIXES)):
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
