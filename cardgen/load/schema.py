"""The deck and theme models (`validation.model_of`) → JSON Schema documents for editors.

Input: the pydantic models validation uses, generated from the records `deck.Deck` and
`theme.Theme`. Output: a JSON Schema (draft 2020-12) dict that YAML editors (the YAML language
server behind VS Code, JetBrains, Neovim) use for completion, hover help and errors while typing.
Generated, never written by hand: `cardgen schema` prints it, and the copies under docs/schema/ are
checked against the models by a test.

Beyond what pydantic derives: internal fields (a deck's path, line map and limits; a theme's
file chain) are removed; values that validators check in code get an `enum` or a `pattern`
(layouts, sizes, text roles), and the deck keys get the README's one-line descriptions. A card
that names its layout may set only the fields that layout shows (`deck.LAYOUT_FIELDS`): an
editor underlines `text:` on a `list` card as `cardgen check` reports it. (A card without
`layout:` may take one from `defaults:`, which the schema cannot follow.)
"""

from __future__ import annotations

import copy
from typing import Any

SIZE_PATTERN = r"^\s*\d+\s*[xх×]\s*\d+\s*$"

DECK_HELP = {
    "title": "Required: the post's name.",
    "theme": "A theme name (themes/NAME.yaml beside the deck, or built in) or a path to a theme file.",
    "size": 'portrait 1080×1350, square 1080×1080, telegram 1280×1280, story 1080×1920, or "WIDTHxHEIGHT".',
    "lang": "Typographic rules and hyphenation: ru (default) or en.",
    "author": "name, handle, avatar: the cover and the closing card show them.",
    "caption": "The post text published with the album.",
    "ad": "Russian ad marking (38-ФЗ): advertiser, erid, inn; show overrides the theme's choice of cards.",
    "defaults": "Card fields applied to every card that does not set them.",
    "cards": "One or more cards, rendered in order.",
}
CARD_HELP = {
    "layout": "Which layout draws the card (default: text).",
    "title": "The card's heading. Markup: **bold**, *italic*, ==accent==.",
    "subtitle": "The cover's second line.",
    "text": "Running text; a blank line starts a paragraph, a single newline breaks the line.",
    "items": "List items (list layout).",
    "number": "Overrides the automatic number of a step or link card; the big figure of a stat card.",
    "author": "Who said it (quote).",
    "footer": "A short line at the bottom left, often a handle.",
    "image": "A picture file, relative to the deck's folder.",
    "url": "A link; shown without scheme, www. and tracking parameters.",
    "background": "A theme color name, a color (#1A1A2E, coral, rgb(), hsl()), or an image path.",
    "avatar": "A portrait beside a quote's author.",
    "marker": "List markers: bullet, number or check.",
    "qr": "true: a QR code of url on a link card.",
    "focus": 'The point of image kept in view: "0.5 0.3" or top, center, bottom, left, right.',
    "left": "Left column of a compare card: title and items or text.",
    "right": "Right column of a compare card: title and items or text.",
    "hints": "cta pills: save, share, like, comment.",
    "messages": "chat: the conversation in order; each message is its text, or text, name and side (left or right).",
}


def deck_schema() -> dict[str, Any]:
    from cardgen.load.deck import COMMON_FIELDS, LAYOUT_FIELDS, LAYOUTS, SIZES, Deck
    from cardgen.load.validation import model_of

    schema = model_of(Deck).model_json_schema()
    for name in ("path", "lines", "limits"):
        schema["properties"].pop(name, None)
    schema.get("$defs", {}).pop("Limits", None)
    for name, text in DECK_HELP.items():
        schema["properties"][name]["description"] = text
    schema["properties"]["size"] = {
        "description": DECK_HELP["size"],
        "default": "portrait",
        "anyOf": [{"enum": list(SIZES)}, {"type": "string", "pattern": SIZE_PATTERN}],
    }
    card = schema["$defs"]["CardFields"]
    for name, text in CARD_HELP.items():
        card["properties"][name]["description"] = text
    card["properties"]["layout"]["anyOf"] = [{"enum": list(LAYOUTS)}, {"type": "null"}]
    # A message may be written as its text alone (the deck model turns it into {text: …} first).
    messages = card["properties"]["messages"]["anyOf"][0]
    messages["items"] = {"anyOf": [{"type": "string"}, messages["items"]]}
    schema["properties"]["cards"]["items"] = {
        "$ref": "#/$defs/CardFields",
        "allOf": [
            {
                "if": {"properties": {"layout": {"const": layout}}, "required": ["layout"]},
                "then": {"propertyNames": {"enum": [*COMMON_FIELDS, *shows]}},
            }
            for layout, shows in LAYOUT_FIELDS.items()
        ],
    }
    return _header(schema, "cardgen deck", "A cardgen deck file: one carousel post.")


def theme_schema() -> dict[str, Any]:
    from cardgen.load.theme import ROLES, Theme
    from cardgen.load.validation import model_of

    schema = model_of(Theme).model_json_schema()
    schema["properties"].pop("files", None)
    schema["properties"]["roles"]["propertyNames"] = {"enum": list(ROLES)}
    return _header(schema, "cardgen theme", "A cardgen theme file: colors, fonts, text roles, spacing.")


def _header(schema: dict[str, Any], title: str, description: str) -> dict[str, Any]:
    out = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    body = copy.deepcopy(schema)
    body["title"] = title
    body["description"] = description
    out.update(body)
    return _no_path_formats(out)


def _no_path_formats(node: Any) -> Any:
    """pydantic marks Path fields `format: path`, which is not a JSON Schema format: drop it."""
    if isinstance(node, dict):
        return {k: _no_path_formats(v) for k, v in node.items() if not (k == "format" and v == "path")}
    if isinstance(node, list):
        return [_no_path_formats(v) for v in node]
    return node


def schema_text(theme: bool = False) -> str:
    import json

    return json.dumps(theme_schema() if theme else deck_schema(), ensure_ascii=False, indent=2) + "\n"
