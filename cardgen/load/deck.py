"""Deck file → `Deck` (pydantic models at the edge), with paths made absolute and errors located.

The contract is `deck-format.md`: every key there is accepted; unknown keys are errors with a
did-you-mean; each error names the file, the line and the field path.
"""

from __future__ import annotations

import math
import os
import re
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, InstanceOf, ValidationError, ValidationInfo, field_validator

from cardgen.model.problems import CardgenError, DeckError, Where, combine, did_you_mean, shown
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


def strict_scalars(model: type[BaseModel], value: Any, info: ValidationInfo) -> Any:
    """A field's value before pydantic's lax conversions: true is no number (`number: true`), 1
    is no true or false (`qr: 1`), and .nan and .inf are no numbers at all. ValueError says what
    the field takes and what was found."""
    kinds = _scalar_kinds(model.model_fields[info.field_name].annotation) if info.field_name else set()
    numeric = kinds & {int, float}
    if value is None or not kinds:
        return value
    if bool in kinds and not numeric and str not in kinds and not isinstance(value, bool):
        raise ValueError(f"expected true or false, found {found(value)}")
    if (
        numeric
        and bool not in kinds
        and (isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)))
    ):
        what = "a number" if float in kinds else "a whole number"
        raise ValueError(f"expected {what}{' or text' if str in kinds else ''}, found {found(value)}")
    return value


def _scalar_kinds(annotation: Any) -> set[type]:
    """bool, int, float and str in a field's type (`int | str | None` → {int, str}); empty for others."""
    if annotation in (bool, int, float, str):
        return {annotation}
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return set()
    kinds: set[type] = set()
    for arg in typing.get_args(annotation):
        if arg is type(None):
            continue
        if arg not in (bool, int, float, str):
            return set()  # a union with a model, a path or a list: left to pydantic
        kinds.add(arg)
    return kinds


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False, allow_inf_nan=False)

    _strict = field_validator("*", mode="before")(classmethod(strict_scalars))


class Author(_Model):
    name: str | None = None
    handle: str | None = None
    avatar: Path | None = None


class Column(_Model):
    """One side of a `compare` card."""

    title: str | None = None
    text: str | None = None
    items: list[str] | None = None


class Message(_Model):
    """One message of a `chat` card: what is said, who says it (optional), which side its bubble is on."""

    text: str
    name: str | None = None
    side: Literal["left", "right"] | None = None


class CardFields(_Model):
    """Every field a card may set (and `defaults:` may give to every card)."""

    layout: str | None = None
    title: str | None = None
    subtitle: str | None = None
    text: str | None = None
    items: list[str] | None = None
    number: int | str | None = None
    author: str | None = None
    footer: str | None = None
    image: Path | None = None
    url: str | None = None
    background: str | None = None
    avatar: Path | None = None  # quote: a portrait of who said it
    marker: Literal["bullet", "number", "check"] | None = None  # list: how items are marked
    qr: bool | None = None  # link: a QR code of the url
    focus: str | None = None  # image: the point kept in view, "x y" as shares (0.5 0.3) or top/center/bottom
    left: Column | None = None  # compare
    right: Column | None = None  # compare
    hints: list[Literal["save", "share", "like", "comment"]] | None = None  # cta: «Сохранить», «Поделиться», …
    # chat: the conversation in order; a message is a mapping or, for text alone, a string
    messages: list[Message] | None = None

    @field_validator("messages", mode="before")
    @classmethod
    def _message_strings(cls, value: Any) -> Any:
        """A message written as a string is its text (`- Всё сделал?`): the short form for hand-written decks."""
        if isinstance(value, list):
            return [{"text": item} if isinstance(item, str) else item for item in value]
        return value

    @field_validator("focus")
    @classmethod
    def _focus(cls, value: str | None) -> str | None:
        if value is not None:
            parse_focus(value)
        return value

    @field_validator("layout")
    @classmethod
    def _known_layout(cls, value: str | None) -> str | None:
        if value is not None and value not in LAYOUTS:
            raise ValueError(
                f'unknown layout "{shown(value)}"{did_you_mean(value, LAYOUTS)}; known: {", ".join(LAYOUTS)}'
            )
        return value

    @field_validator("items", "messages")
    @classmethod
    def _items_not_empty(cls, value: list[Any] | None) -> list[Any] | None:
        if value is not None and not value:
            raise ValueError("expected at least one item, found an empty list")
        return value


class Ad(_Model):
    """Russian ad marking (38-ФЗ, art. 18.1): «Реклама», the advertiser and the erid token."""

    advertiser: str = Field(description="The advertiser as registered with the ОРД.")
    erid: str = Field(description="The token your ОРД issued: Latin letters and digits.")
    inn: str | None = Field(None, description="The advertiser's ИНН: 10 or 12 digits, check digits verified.")
    show: Literal["all", "first", "last", "first-last"] | None = Field(
        None, description="Which cards carry the marking; default: the theme's ad.show (all in the built-in themes)."
    )

    # Field validators, not a model one: an error then points to the line of erid: or inn:.
    @field_validator("erid")
    @classmethod
    def _erid(cls, value: str) -> str:
        check_erid(value)
        return value

    @field_validator("inn")
    @classmethod
    def _inn(cls, value: str | None) -> str | None:
        if value is not None:
            check_inn(value)
        return value


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


class Deck(_Model):
    title: str
    theme: str | None = None
    size: str = "portrait"
    lang: Literal["ru", "en"] = "ru"
    author: Author = Field(default_factory=Author)
    caption: str | None = None
    platform: Literal["telegram", "vk", "instagram", "linkedin"] | None = None
    ad: Ad | None = None
    overflow: Literal["split", "shrink", "error"] = Field(
        "split",
        description="A card too full for its smallest type sizes: split (the text continues on a new "
        "card of the same layout), shrink (smaller type, below the legible floor) or error.",
    )
    defaults: CardFields = Field(default_factory=CardFields)
    cards: list[CardFields] = Field(min_length=1)
    # Not written by users: where the deck came from, for paths, errors and themes.
    path: Path = Field(default=Path("deck.yaml"), exclude=True)
    lines: dict[tuple, int] = Field(default_factory=dict, exclude=True, repr=False)
    limits: InstanceOf[Limits] = Field(default=DEFAULT_LIMITS, exclude=True, repr=False)

    @field_validator("size")
    @classmethod
    def _known_size(cls, value: str, info: ValidationInfo) -> str:
        parse_size(value, (info.context or {}).get("limits", DEFAULT_LIMITS))
        return value

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


_RESERVED = ("path", "lines", "limits")  # model fields that are not deck keys


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
        return None, _reserved_key_errors(data, source) + errors
    errors = _reserved_key_errors(data, source)
    clean, path_errors = _absolute_paths(data, source, (root or path.parent).resolve(), allow_outside)
    errors += path_errors
    extra = {"path": path, "limits": limits}
    context = {"folder": path.parent, "limits": limits}
    deck: Deck | None
    try:
        deck = Deck.model_validate({**clean, **extra}, context=context)
    except ValidationError as exc:
        schema = located_errors(exc, source, Deck)
        errors += schema
        salvaged = _without(clean, [tuple(e["loc"]) for e in exc.errors(include_url=False)])
        try:
            deck = Deck.model_validate({**salvaged, **extra}, context=context) if salvaged is not None else None
        except ValidationError:
            deck = None
    if deck is not None:
        errors += unshown_field_errors(deck, source)
    return (deck.model_copy(update={"lines": source.lines}) if deck is not None else None), errors


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
        for name in sorted(card.model_fields_set, key=list(CardFields.model_fields).index):
            if name in shows or name in COMMON_FIELDS or getattr(card, name) in (None, False):
                continue
            errors.append(
                DeckError(
                    f"{layout} shows {_and(shows)}; {name} is not shown: {_advice(layout, name)}",
                    source.where(("cards", i, name)),
                )
            )
    return errors


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


def _reserved_key_errors(data: dict[str, Any], source: Source) -> list[CardgenError]:
    known = _fields_at(Deck, ())
    return [
        DeckError(
            f'unknown key "{key}"{did_you_mean(key, known)}; known keys: {", ".join(known)}', source.where((key,))
        )
        for key in _RESERVED
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


def located_errors(
    exc: ValidationError,
    source: Source,
    model: type[BaseModel],
    *,
    data: Any = None,
    owner: Callable[[FieldPath], Source] | None = None,
    error: type[CardgenError] = DeckError,
) -> list[CardgenError]:
    """Pydantic's errors → located `CardgenError`s, one per field path.

    `data` is what was validated (default: the source's data); `owner` picks the file that
    holds a field path (a theme's `extends:` chain spreads one theme over several files).
    """
    data = source.data if data is None else data
    merged: dict[FieldPath, dict[str, Any]] = {}
    for err in exc.errors(include_url=False):
        loc = _drop_union_tags(tuple(err["loc"]), data)
        expected = _expected(err, model, loc)
        if loc in merged and err["type"] not in ("extra_forbidden", "missing"):
            # A union field (number: int | str) fails once per member: say it once.
            first = merged[loc]
            if expected and first["expected"] and expected not in first["expected"]:
                first["expected"] = f"{first['expected']} or {expected}"
            continue
        merged[loc] = {**err, "loc": loc, "expected": expected}
    return [_one_error(err, owner(err["loc"]) if owner else source, model, error) for err in merged.values()]


def _one_error(err: dict[str, Any], source: Source, model: type[BaseModel], error: type[CardgenError]) -> CardgenError:
    loc: FieldPath = err["loc"]
    where = source.where(loc)
    kind = err["type"]
    received = err.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        known = _fields_at(model, loc[:-1])
        # A key cardgen once accepted but never drew: refused with why, not as a typo.
        unsupported = getattr(_model_at(model, loc[:-1]), "UNSUPPORTED", {})
        if key in unsupported:
            message = f'"{key}" is not supported: {unsupported[key]}'
        else:
            message = f'unknown key "{shown(key)}"{did_you_mean(key, known)}; known keys: {", ".join(known)}'
    elif kind == "missing":
        message = f'required key "{loc[-1]}" is missing'
        parent, full = source.where(loc[:-1]), source.where(loc)
        where = Where(parent.file, parent.line, full.field, card=full.card)
    elif kind == "value_error":
        message = str(err["msg"]).removeprefix("Value error, ")
    elif err["expected"]:
        message = f"expected {err['expected']}, found {found(received)}"
    else:  # a check pydantic words itself, with what was received
        message = f"{_lower_first(err['msg'])}; found {found(received)}"
    return error(message, where, hint=_colon_hint(err, received))


def _colon_hint(err: dict[str, Any], received: Any) -> str | None:
    """Text that YAML read as a mapping because it holds ": " («- Команда: SMM, дизайнер»)."""
    if err["type"] != "string_type" or not isinstance(received, dict) or len(received) != 1:
        return None
    ((key, value),) = received.items()
    if not isinstance(key, str) or isinstance(value, (dict, list)):
        return None
    text = f"{key}: {'' if value is None else value}".strip()
    return f'a colon and a space made this a key and a value: put the text in quotes ("{shown(text, 40)}")'


# What a value of each kind of field looks like, in the words of the deck format.
_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a number",  # .nan or .inf, inside a list (a field's own value is checked first)
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping (key: value lines)",
    "path_type": "a file path",
}
_BOUNDS = {
    "greater_than": ("gt", "greater than"),
    "greater_than_equal": ("ge", "at least"),
    "less_than": ("lt", "less than"),
    "less_than_equal": ("le", "at most"),
}


def _expected(err: Mapping[str, Any], model: type[BaseModel], loc: FieldPath) -> str | None:
    """ "text", "a whole number", "a card (…)": what the field takes, or None when pydantic's words are kept."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    if kind in {"model_type", "model_attributes_type"}:
        if _model_at(model, loc) is CardFields:
            return "a card (a mapping of fields such as title:, text:)"
        if _model_at(model, loc) is Message:
            return "a message (its text, or a mapping of text:, name:, side:)"
        keys = [f"{name}:" for name in _fields_at(model, loc)[:3]]
        return f"a mapping of keys such as {', '.join(keys)}" if keys else "a mapping"
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        return "at least one item" if least == 1 else f"at least {least} items"
    if kind == "too_long":
        return f"at most {ctx.get('max_length')} items"
    if kind == "literal_error":
        return str(ctx.get("expected", "")) or None
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"a number {words} {ctx.get(key, 0):g}" if isinstance(ctx.get(key), (int, float)) else None
    return None


def found(value: Any) -> str:
    """What the user wrote, named for a message: 'the number 42', 'the text "…"', 'an empty list'."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'}"
    if isinstance(value, float) and not math.isfinite(value):  # YAML's .nan, .inf and -.inf
        return ".nan (not a number)" if math.isnan(value) else f"{'-' if value < 0 else ''}.inf (infinity)"
    if isinstance(value, (int, float)):
        return f"the number {shown(value, 40)}"
    if isinstance(value, str):
        return f'the text "{shown(value, 40)}"' if value else "empty text"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    return f"a {type(value).__name__}"


def _drop_union_tags(loc: FieldPath, data: Any) -> FieldPath:
    """pydantic names union members in the location ("int", "function-after[…]"): not the user's path.

    A part is a tag only where the input has no such key, so a user's key "list[x]" survives.
    """
    kept: list[str | int] = []
    for part in loc:
        if (isinstance(data, dict) and part in data) or (
            isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        ):
            data = data[part]  # type: ignore[index]
        elif isinstance(part, str) and (part in _TYPE_TAGS or "[" in part):
            continue
        else:
            data = None
        kept.append(part)
    return tuple(kept)


_TYPE_TAGS = {"int", "str", "float", "bool", "list", "dict"}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _fields_at(model: type[BaseModel], loc: FieldPath) -> list[str]:
    """The field names of the model found at `loc` (for the did-you-mean of an unknown key)."""
    current = _model_at(model, loc)
    if current is not None:
        return [name for name, f in current.model_fields.items() if not f.exclude]
    return []


def _model_at(model: type[BaseModel], loc: FieldPath) -> type[BaseModel] | None:
    """The model whose fields are found at `loc` (list indexes and map keys skipped), or None."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(str(part)) if hasattr(current, "model_fields") else None
        if field is None:
            break
        current = _model_in(field.annotation)
    return current if hasattr(current, "model_fields") else None


def _model_in(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
