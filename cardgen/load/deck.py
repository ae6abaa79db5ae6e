"""Deck file → `Deck` (plain records, `load.records`), with paths made absolute and errors located.

The contract is `deck-format.md`: every key there is accepted; unknown keys are errors with a
did-you-mean; each error names the file, the line and the field path.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from cardgen.load.records import Context, Record, Unsure, build, internal_fields, spec, user_fields
from cardgen.model.problems import CardgenError, DeckError, Where, combine, did_you_mean, found, shown
from cardgen.model.limits import DEFAULT_LIMITS, Limits
from cardgen.model.source import FieldPath, Source

SIZES: dict[str, tuple[int, int]] = {
    "portrait": (1080, 1350),
    "square": (1080, 1080),
    "telegram": (1280, 1280),
    "story": (1080, 1920),
}
# The fields each layout shows, besides those every card shows (COMMON_FIELDS). A card's own field
# that its layout does not show is an error, never dropped in silence; the JSON Schema says the
# same per layout. A new layout is one more line here (and its drawing in `cardgen.layout.layouts`).
LAYOUT_FIELDS: dict[str, tuple[str, ...]] = {
    "cover": ("title", "subtitle", "image", "focus"),
    "text": ("title", "text", "url", "image", "focus"),
    "step": ("number", "title", "text", "url", "image", "focus"),
    "list": ("title", "items", "marker"),
    "quote": ("text", "author", "avatar"),
    "link": ("number", "title", "text", "url", "qr", "image", "focus"),
    "image": ("image", "focus", "title", "text"),
    "compare": ("title", "left", "right"),
    "stat": ("number", "title", "text"),
    "chat": ("title", "text", "messages"),
    "cta": ("title", "text", "url", "hints"),
}
COMMON_FIELDS = ("layout", "background", "footer")
# Where a field goes instead, when that is clearer than the list of layouts that show it.
FIELD_ADVICE: dict[tuple[str, str], str] = {
    ("list", "text"): "move it into items or use layout: text",
    ("quote", "title"): "put it in text or use layout: text",
    ("compare", "items"): "put them under left: or right:",
    ("compare", "text"): "put it under left: or right:",
}
LAYOUTS = tuple(LAYOUT_FIELDS)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
ALLOW_HINT = "pass --allow-outside-paths (or --root FOLDER) to allow it"
_SIZE_RE = re.compile(r"^\s*(\d+)\s*[xх×]\s*(\d+)\s*$")  # "x", Cyrillic "х" and "×" all work


@dataclass(frozen=True, kw_only=True)
class Author(Record):
    name: str | None = None
    handle: str | None = None
    avatar: Path | None = None


@dataclass(frozen=True, kw_only=True)
class Column(Record):
    """One side of a `compare` card."""

    title: str | None = None
    text: str | None = None
    items: list[str] | None = None


@dataclass(frozen=True, kw_only=True)
class Message(Record):
    """One message of a `chat` card: what is said, who says it (optional), which side its bubble is on."""

    text: str
    name: str | None = None
    side: Literal["left", "right"] | None = None


def _message_strings(value: Any) -> Any:
    """A message written as a string is its text (`- Всё сделал?`): the short form for hand-written decks."""
    if isinstance(value, list):
        return [{"text": item} if isinstance(item, str) else item for item in value]
    return value


def _known_layout(value: str, _: Context) -> None:
    if value not in LAYOUTS:
        raise ValueError(f'unknown layout "{shown(value)}"{did_you_mean(value, LAYOUTS)}; known: {", ".join(LAYOUTS)}')


def _not_empty(value: list[Any], _: Context) -> None:
    if not value:
        raise ValueError("expected at least one item, found an empty list")


def _each_once(value: list[str], _: Context) -> None:
    """A cta's hints are buttons: the same one twice (or fourteen times) is a slip, not a design."""
    repeated = sorted({hint for hint in value if value.count(hint) > 1}, key=value.index)
    if repeated:
        twice = ", ".join(f'"{hint}" {value.count(hint)} times' for hint in repeated)
        raise ValueError(f"expected each hint once, found {twice}")


@dataclass(frozen=True, kw_only=True)
class CardFields(Record):
    """Every field a card may set (and `defaults:` may give to every card)."""

    layout: str | None = spec(None, check=_known_layout)
    title: str | None = None
    subtitle: str | None = None
    text: str | None = None
    items: list[str] | None = spec(None, check=_not_empty)
    number: int | str | None = None
    author: str | None = None
    footer: str | None = None
    image: Path | None = None
    url: str | None = None
    background: str | None = None
    avatar: Path | None = None  # quote: a portrait of who said it
    marker: Literal["bullet", "number", "check"] | None = None  # list: how items are marked
    qr: bool | None = None  # link: a QR code of the url
    # image: the point kept in view, "x y" as shares (0.5 0.3) or top/center/bottom
    focus: str | None = spec(None, check=lambda value, _: parse_focus(value))
    left: Column | None = None  # compare
    right: Column | None = None  # compare
    # cta: «Сохранить», «Поделиться», …, each once
    hints: list[Literal["save", "share", "like", "comment"]] | None = spec(None, check=_each_once)
    # chat: the conversation in order; a message is a mapping or, for text alone, a string
    messages: list[Message] | None = spec(None, before=_message_strings, check=_not_empty)


@dataclass(frozen=True, kw_only=True)
class Ad(Record):
    """Russian ad marking (38-ФЗ, art. 18.1): «Реклама», the advertiser and the erid token."""

    # Field checks, not a record one: an error then points to the line of erid: or inn:.
    advertiser: str = spec(description="The advertiser as registered with the ОРД.")
    erid: str = spec(
        description="The token your ОРД issued: Latin letters and digits.", check=lambda value, _: check_erid(value)
    )
    inn: str | None = spec(
        None,
        description="The advertiser's ИНН: 10 or 12 digits, check digits verified.",
        check=lambda value, _: check_inn(value),
    )
    show: Literal["all", "first", "last", "first-last"] | None = spec(
        None, description="Which cards carry the marking; default: the theme's ad.show (all in the built-in themes)."
    )


_ERID = re.compile(r"^[A-Za-z0-9]{4,100}$")
_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def check_erid(erid: str) -> str:
    """An erid token, trimmed; it is letters and digits, as ОРДs issue it (2VtzqwXYZ, LjN8KDfdP…).
    ValueError says what was expected and what was found."""
    token = erid.strip()
    if token.lower().startswith("erid"):
        token = token[4:].lstrip(":= ").strip()  # pasted as "erid: 2Vtz…" or "erid=2Vtz…"
    if not _ERID.match(token):
        raise ValueError(
            f'expected the token your ОРД issued, Latin letters and digits such as "2VtzqwXYZ"; found "{erid}"'
        )
    return token


def check_inn(inn: str | int) -> str:
    """An ИНН with its check digits verified: 10 digits for a company, 12 for a person or ИП."""
    digits = re.sub(r"[\s\u00a0-]", "", str(inn))
    if not digits.isdigit() or len(digits) not in (10, 12):
        raise ValueError(f'expected 10 digits (a company) or 12 (a person, ИП); found "{inn}"')
    d = [int(c) for c in digits]

    def control(weights: tuple[int, ...]) -> int:
        return sum(w * x for w, x in zip(weights, d, strict=False)) % 11 % 10

    ok = control(_INN10) == d[9] if len(d) == 10 else control(_INN11) == d[10] and control(_INN12) == d[11]
    if not ok:
        raise ValueError(f'the ИНН "{inn}" fails its check digits: a digit is probably mistyped')
    return digits


def _known_size(value: str, context: Context) -> None:
    parse_size(value, context.get("limits", DEFAULT_LIMITS))


@dataclass(frozen=True, kw_only=True)
class Deck(Record):
    title: str
    theme: str | None = None
    size: str = spec("portrait", check=_known_size)
    lang: Literal["ru", "en"] = "ru"
    author: Author = spec(factory=Author)
    caption: str | None = None
    platform: Literal["telegram", "vk", "instagram", "linkedin"] | None = None
    ad: Ad | None = None
    overflow: Literal["split", "shrink", "error"] = spec(
        "split",
        description="A card too full for its smallest type sizes: split (the text continues on a new "
        "card of the same layout), shrink (smaller type, below the legible floor) or error.",
    )
    defaults: CardFields = spec(factory=CardFields)
    cards: list[CardFields] = spec(min_length=1)
    # Not written by users: where the deck came from, for paths, errors and themes.
    path: Path = spec(Path("deck.yaml"), internal=True)
    lines: dict[tuple, int] = spec(factory=dict, internal=True)
    limits: Limits = spec(DEFAULT_LIMITS, internal=True)

    def where(self, *path: str | int) -> Where:
        """The file, line and field path of a deck value (the nearest line that is known)."""
        return Source(self.path, None, self.lines).where(tuple(path))

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def canvas(self) -> tuple[int, int]:
        return parse_size(self.size, self.limits)


FOCUS_WORDS = {"top": (0.5, 0.0), "center": (0.5, 0.5), "bottom": (0.5, 1.0), "left": (0.0, 0.5), "right": (1.0, 0.5)}


def parse_focus(value: str) -> tuple[float, float]:
    """ "0.5 0.3" or a word (top, center, bottom, left, right) → shares of width and height."""
    text = value.strip().lower()
    if text in FOCUS_WORDS:
        return FOCUS_WORDS[text]
    parts = text.replace(",", " ").split()
    try:
        x, y = (float(p) for p in parts)
    except ValueError:
        x = y = -1.0
    if len(parts) != 2 or not (0 <= x <= 1 and 0 <= y <= 1):
        raise ValueError(
            f'expected "x y" as shares from 0 to 1 (such as "0.5 0.3") or one of {", ".join(FOCUS_WORDS)}; '
            f'found "{value}"'
        )
    return x, y


def parse_size(value: str, limits: Limits = DEFAULT_LIMITS) -> tuple[int, int]:
    """A named size or "WIDTHxHEIGHT" → (width, height) px; ValueError names what is allowed."""
    if value in SIZES:
        return SIZES[value]
    match = _SIZE_RE.match(value)
    if not match:
        raise ValueError(
            f'unknown size "{shown(value)}"{did_you_mean(value, SIZES)}; '
            f'expected one of {", ".join(SIZES)} or "WIDTHxHEIGHT" such as "1080x1350"'
        )
    width, height = int(match.group(1)), int(match.group(2))
    low, high = limits.canvas_min_side, limits.canvas_side
    for side in (width, height):
        if not low <= side <= high:
            raise ValueError(f"each side must be {low}–{high} px; found {shown(f'{width}x{height}')}")
    return width, height


def load_deck(
    path: Path, *, root: Path | None = None, allow_outside: bool = False, limits: Limits = DEFAULT_LIMITS
) -> Deck:
    """Deck file → validated `Deck`, every error located (all of them, in line order).

    Paths inside (author.avatar, image, background images, a theme path) resolve against the
    deck's folder, symbolic links included; absolute paths and paths that leave `root` (the
    deck's folder unless given) are errors unless `allow_outside`. Image paths must exist.
    """
    deck, errors = collect_deck(path, root=root, allow_outside=allow_outside, limits=limits)
    if errors or deck is None:
        raise combine(errors)
    return deck


def collect_deck(
    path: Path, *, root: Path | None = None, allow_outside: bool = False, limits: Limits = DEFAULT_LIMITS
) -> tuple[Deck | None, list[CardgenError]]:
    """`load_deck` that collects: (a deck to go on checking, every error found).

    Schema and path errors do not stop the rest of the deck from being checked: the deck comes
    back without the values that failed (a card that is not a mapping becomes an empty card, so
    card numbers stay), for later stages to find their own errors in the other cards. A file
    that cannot be read, is not a mapping, or breaks a limit gives no deck. Raises nothing for
    the rest; the YAML reader's own errors are raised as they are.
    """
    from cardgen.load.reader import read_yaml  # YAML stays at the edge: models import no parser

    path = _deck_file(path, root, allow_outside)
    source = read_yaml(path, DeckError, limits)
    data = source.data
    if not isinstance(data, dict):
        raise DeckError(
            f"expected a mapping of deck keys (title:, cards:, …), found {found(data)}",
            Where(path, 1),
        )
    errors = limit_errors(source, limits)
    if errors:  # a hostile size: nothing more is read
        return None, internal_key_errors(Deck, data, source.where) + errors
    errors = internal_key_errors(Deck, data, source.where)
    clean, path_errors = _absolute_paths(data, source, (root or path.parent).resolve(), allow_outside)
    errors += path_errors
    extra: dict[str, Any] = {"path": path, "limits": limits}
    context = {"folder": path.parent, "limits": limits}
    deck: Deck | None
    try:
        deck = build(Deck, clean, context, **extra)  # the lean check: no pydantic for a deck that is right
    except Unsure:
        deck, schema = _validated(clean, extra, context, source)
        errors += schema
    if deck is not None:
        errors += unshown_field_errors(deck, source)
    return (deck.copy(lines=source.lines) if deck is not None else None), errors


def _validated(
    clean: dict[str, Any], extra: dict[str, Any], context: dict[str, Any], source: Source
) -> tuple[Deck | None, list[CardgenError]]:
    """pydantic's validation, for a deck the lean check handed over: (the deck, or the deck
    without the values that failed, to go on checking; every error, located)."""
    from cardgen.load.validation import ValidationError, located_errors, model_of, validated

    try:
        return validated(Deck, clean, context, **extra), []
    except ValidationError as exc:
        errors = located_errors(exc, source, model_of(Deck))
        salvaged = _without(clean, [tuple(e["loc"]) for e in exc.errors(include_url=False)])
    try:
        return (validated(Deck, salvaged, context, **extra) if salvaged is not None else None), errors
    except ValidationError:
        return None, errors


def _deck_file(path: Path, root: Path | None, allow_outside: bool) -> Path:
    """The deck file, symbolic links resolved; a link to a file outside the project root (by
    default the folder the link is in) is refused before the file is read, as a picture's link
    is: its contents must not reach an error message (a link to /etc/passwd in a pull request)."""
    link = Path(path).absolute()
    try:
        real = link.resolve()
        allowed = (root or link.parent).resolve()
    except (OSError, RuntimeError):  # a symbolic link loop
        raise DeckError("cannot resolve the path (a symbolic link loop?)", Where(link)) from None
    if not allow_outside and real != link and not real.is_relative_to(allowed):
        raise DeckError(
            f"is a symbolic link to {real}, which is outside the project root {allowed}; {ALLOW_HINT}", Where(link)
        )
    return real


def unshown_field_errors(deck: Deck, source: Source) -> list[CardgenError]:
    """A field a card sets itself that its layout does not show: one located error each.

    (A value from `defaults:` is meant for the cards that show it: it is never an error; nor is
    a field set to nothing, or `qr: false`, which ask for nothing to be shown.)"""
    errors: list[CardgenError] = []
    for i, card in enumerate(deck.cards):
        layout = card.layout or deck.defaults.layout or "text"
        shows = LAYOUT_FIELDS.get(layout)
        if shows is None:
            continue
        for name in sorted(card.fields_set, key=_CARD_KEYS.index):
            if name in shows or name in COMMON_FIELDS or getattr(card, name) in (None, False):
                continue
            errors.append(
                DeckError(
                    f"{layout} shows {_and(shows)}; {name} is not shown: {_advice(layout, name)}",
                    source.where(("cards", i, name)),
                )
            )
    return errors


_CARD_KEYS = user_fields(CardFields)


def _advice(layout: str, field: str) -> str:
    if (layout, field) in FIELD_ADVICE:
        return FIELD_ADVICE[(layout, field)]
    others = [name for name, shows in LAYOUT_FIELDS.items() if field in shows]
    return f"use a layout that shows it ({', '.join(others)}), or remove it"


def _and(words: tuple[str, ...]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _without(data: dict[str, Any], locs: list[FieldPath]) -> dict[str, Any] | None:
    """The deck data without the values that failed validation, or None when nothing sensible is left.

    A failed value goes at the level of a deck key, a defaults/author key or a card's key; a
    card that is not a mapping becomes `{}`, a bad title "" (it is required).
    """
    import copy

    out = copy.deepcopy(data)
    for loc in locs:
        head = loc[:1]
        if head == ("cards",):
            cut = loc[:3]
            if len(cut) < 2 or not isinstance(out.get("cards"), list) or not isinstance(cut[1], int):
                return None  # the card list itself is wrong
        elif head in (("defaults",), ("author",)):
            cut = loc[:2]
        else:
            cut = head
        if not cut:
            return None
        parent: Any = out
        for part in cut[:-1]:
            parent = parent[part] if isinstance(parent, (dict, list)) and _has(parent, part) else None  # type: ignore[index]
        last = cut[-1]
        if cut == ("title",):
            out["title"] = ""
        elif isinstance(parent, list) and _has(parent, last):  # _has: `last` is an index of the list
            parent[last] = {}  # type: ignore[index]
        elif isinstance(parent, dict):
            parent.pop(last, None)
    return out


def _has(container: dict[str, Any] | list[Any], part: str | int) -> bool:
    if isinstance(container, list):
        return isinstance(part, int) and 0 <= part < len(container)
    return part in container


def internal_key_errors(
    cls: type[Record], data: dict[str, Any], where: Callable[[FieldPath], Where], error: type[CardgenError] = DeckError
) -> list[CardgenError]:
    """A key that names a field the loader sets itself (a deck's `path`, a theme's `files`): an
    unknown key to users, and reported as one, never silently replaced by the loader's value."""
    known = user_fields(cls)
    return [
        error(f'unknown key "{key}"{did_you_mean(key, known)}; known keys: {", ".join(known)}', where((key,)))
        for key in internal_fields(cls)
        if key in data
    ]


def limit_errors(source: Source, limits: Limits) -> list[CardgenError]:
    """Too many cards, too many list items, too long a text: one located error each."""
    errors: list[CardgenError] = []
    cards = source.data.get("cards")
    if isinstance(cards, list) and len(cards) > limits.cards:
        errors.append(
            DeckError(
                f"the deck has {len(cards)} cards; at most {limits.cards} are allowed (split it into several decks)",
                source.where(("cards",)),
            )
        )

    def walk(value: Any, at: FieldPath) -> None:
        if isinstance(value, str) and len(value) > limits.field_chars:
            errors.append(
                DeckError(
                    f"the text is {len(value)} characters long; at most {limits.field_chars} are allowed",
                    source.where(at),
                )
            )
        elif isinstance(value, list):
            if at != ("cards",) and len(value) > limits.list_items:
                errors.append(
                    DeckError(
                        f"the list has {len(value)} items; at most {limits.list_items} are allowed", source.where(at)
                    )
                )
            for i, item in enumerate(value):
                walk(item, (*at, i))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*at, key))

    walk(source.data, ())  # depth is bounded by the YAML reader's own limit
    return errors


def _absolute_paths(
    data: dict[str, Any], source: Source, root: Path, allow_outside: bool
) -> tuple[dict[str, Any], list[CardgenError]]:
    """The deck data with image paths made absolute and checked (inside `root`, an image suffix,
    existing), a theme path checked; a path that fails is left out, with its error.

    Works on the data as written, before validation, so a schema error elsewhere does not hide
    a missing picture. Values that are not text are left to the schema."""
    errors: list[CardgenError] = []
    folder = source.path.parent

    def check(fields: Any, key: str, at: FieldPath) -> Any:
        value = fields.get(key) if isinstance(fields, dict) else None
        if not isinstance(value, str) or (key == "background" and not value.lower().endswith(IMAGE_SUFFIXES)):
            return fields  # a background is a color or an image path: only a name with an image suffix is a path
        fields = dict(fields)
        try:
            real = checked_path(value, folder, root, allow_outside, image=True)
            fields[key] = str(real) if key == "background" else real
        except ValueError as exc:
            errors.append(DeckError(str(exc), source.where((*at, key))))
            del fields[key]
        return fields

    out = dict(data)
    theme = out.get("theme")
    if isinstance(theme, str) and (theme.endswith((".yaml", ".yml")) or "/" in theme or "\\" in theme):
        try:  # a theme given as a path is read like any other file the deck names
            checked_path(theme, folder, root, allow_outside, image=False)
        except ValueError as exc:
            errors.append(DeckError(str(exc), source.where(("theme",))))

    def card(fields: Any, at: FieldPath) -> Any:
        for key in ("image", "avatar", "background"):
            fields = check(fields, key, at)
        return fields

    if "author" in out:
        out["author"] = check(out["author"], "avatar", ("author",))
    if "defaults" in out:
        out["defaults"] = card(out["defaults"], ("defaults",))
    if isinstance(out.get("cards"), list):
        out["cards"] = [card(fields, ("cards", i)) for i, fields in enumerate(out["cards"])]
    return out, errors


def checked_path(raw: str, folder: Path, root: Path, allow_outside: bool, image: bool, owner: str = "deck") -> Path:
    """A path written in a file → absolute, symlinks resolved; ValueError says what is wrong and how to fix it.

    Refused unless `allow_outside`: absolute paths, and paths whose real location (after
    symbolic links) is outside `root`. With `image`, also a missing file or a non-image suffix.
    `owner` names the kind of file the path is written in ("deck", "theme").
    """
    quoted = f'"{shown(raw)}"'
    if "\x00" in raw:
        raise ValueError(f"{quoted}: a path cannot contain a NUL character")
    written = Path(raw)
    if written.is_absolute() and not allow_outside:
        raise ValueError(
            f"absolute paths are not allowed ({quoted}); write it relative to the {owner}'s folder, or {ALLOW_HINT}"
        )
    try:
        real = (folder / written).resolve()
    except (OSError, RuntimeError, ValueError):  # a symbolic link loop, a name too long
        raise ValueError(f"cannot resolve the path {quoted} (a symbolic link loop?)") from None
    if not allow_outside and not real.is_relative_to(root):
        plain = Path(os.path.normpath(folder / written))
        how = f"is a symbolic link to {real}, which is" if plain.is_relative_to(root) else "is"
        raise ValueError(f"{quoted} {how} outside the project root {root}; {ALLOW_HINT}")
    if image:
        if real.suffix.lower() not in IMAGE_SUFFIXES:
            raise ValueError(f"expected an image file ({', '.join(IMAGE_SUFFIXES)}); found {quoted}")
        try:
            exists = real.is_file()
        except (OSError, ValueError):
            exists = False
        if not exists:
            raise ValueError(f"image not found: {quoted} (looked in {real.parent})")
    return real
