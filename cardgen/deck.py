"""Deck file → `Deck` (pydantic models at the edge), with paths made absolute and errors located.

The contract is `deck-format.md`: every key there is accepted; unknown keys are errors with a
did-you-mean; each error names the file, the line and the field path.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cardgen.errors import CardgenError, DeckError, Where, did_you_mean
from cardgen.source_types import FieldPath, Source

SIZES: dict[str, tuple[int, int]] = {
    "portrait": (1080, 1350),
    "square": (1080, 1080),
    "telegram": (1280, 1280),
    "story": (1080, 1920),
}
MAX_SIDE = 4096
MIN_SIDE = 320
LAYOUTS = ("cover", "text", "step", "list", "quote", "cta")
_SIZE_RE = re.compile(r"^\s*(\d+)\s*[xх×]\s*(\d+)\s*$")  # "x", Cyrillic "х" and "×" all work


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Author(_Model):
    name: str | None = None
    handle: str | None = None
    avatar: Path | None = None


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

    @field_validator("layout")
    @classmethod
    def _known_layout(cls, value: str | None) -> str | None:
        if value is not None and value not in LAYOUTS:
            raise ValueError(
                f'unknown layout "{value}"{did_you_mean(value, LAYOUTS)}; known: {", ".join(LAYOUTS)}'
            )
        return value

    @field_validator("items")
    @classmethod
    def _items_not_empty(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and not value:
            raise ValueError("expected at least one item")
        return value


class Deck(_Model):
    title: str
    theme: str | None = None
    size: str = "portrait"
    lang: Literal["ru", "en"] = "ru"
    author: Author = Field(default_factory=Author)
    caption: str | None = None
    defaults: CardFields = Field(default_factory=CardFields)
    cards: list[CardFields] = Field(min_length=1)
    # Not written by users: where the deck came from, for paths, errors and themes.
    path: Path = Field(default=Path("deck.yaml"), exclude=True)
    lines: dict[tuple, int] = Field(default_factory=dict, exclude=True, repr=False)

    @field_validator("size")
    @classmethod
    def _known_size(cls, value: str) -> str:
        parse_size(value)
        return value

    def where(self, *path: str | int) -> Where:
        """The file, line and field path of a deck value (the nearest line that is known)."""
        from cardgen.source_types import Source

        return Source(self.path, None, self.lines).where(tuple(path))

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def canvas(self) -> tuple[int, int]:
        return parse_size(self.size)


def parse_size(value: str) -> tuple[int, int]:
    if value in SIZES:
        return SIZES[value]
    match = _SIZE_RE.match(value)
    if not match:
        raise ValueError(
            f'unknown size "{value}"{did_you_mean(value, SIZES)}; '
            f'expected one of {", ".join(SIZES)} or "WIDTHxHEIGHT" such as "1080x1350"'
        )
    width, height = int(match.group(1)), int(match.group(2))
    for side in (width, height):
        if not MIN_SIDE <= side <= MAX_SIDE:
            raise ValueError(f"each side must be {MIN_SIDE}–{MAX_SIDE} px; found {width}x{height}")
    return width, height


_PATH_FIELDS: tuple[FieldPath, ...] = (("author", "avatar"),)


def load_deck(path: Path) -> Deck:
    """Read and validate a deck file; relative paths inside resolve against its folder."""
    from cardgen.source import read_yaml  # YAML stays at the edge: models import no parser

    path = path.resolve()
    source = read_yaml(path, DeckError)
    data = source.data
    if not isinstance(data, dict):
        raise DeckError(
            f"expected a mapping of deck keys (title:, cards:, …), found {_kind(data)}",
            Where(path, 1),
        )
    try:
        deck = Deck.model_validate({**data, "path": path}, context={"folder": path.parent})
    except ValidationError as exc:
        raise deck_errors(exc, source, Deck) from None
    return _absolute_paths(deck).model_copy(update={"lines": source.lines})


def _absolute_paths(deck: Deck) -> Deck:
    folder = deck.folder

    def fix(value: Path | None) -> Path | None:
        return value if value is None else (folder / value).resolve()

    author = deck.author.model_copy(update={"avatar": fix(deck.author.avatar)})
    defaults = deck.defaults.model_copy(update={"image": fix(deck.defaults.image)})
    cards = [card.model_copy(update={"image": fix(card.image)}) for card in deck.cards]
    return deck.model_copy(update={"author": author, "defaults": defaults, "cards": cards})


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"a {type(value).__name__} ({str(value)[:40]!r})"


def deck_errors(exc: ValidationError, source: Source, model: type[BaseModel]) -> CardgenError:
    """Pydantic's errors → one located `CardgenError` (several joined, one per line)."""
    merged: dict[FieldPath, dict[str, Any]] = {}
    for err in exc.errors(include_url=False):
        loc = _drop_union_tags(tuple(err["loc"]))
        if loc in merged and err["type"] not in ("extra_forbidden", "missing"):
            # A union field (number: int | str) fails once per member: say it once.
            first = merged[loc]
            first["msg"] = f"{first['msg']} or {_lower_first(err['msg']).removeprefix('input should be ')}"
            continue
        merged[loc] = {**err, "loc": loc}
    errors = [_one_error(err, source, model) for err in merged.values()]
    errors.sort(key=lambda e: e.where.line or 0)
    first = errors[0]
    if len(errors) > 1:
        return ErrorGroup(errors, first.__class__)
    return first


def _one_error(err: dict[str, Any], source: Source, model: type[BaseModel]) -> CardgenError:
    loc: FieldPath = err["loc"]
    where = source.where(loc)
    kind = err["type"]
    received = err.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        known = _fields_at(model, loc[:-1])
        message = f'unknown key "{key}"{did_you_mean(key, known)}; known keys: {", ".join(known)}'
    elif kind == "missing":
        message = f'required key "{loc[-1]}" is missing'
        where = source.where(loc[:-1])
        where = Where(where.file, where.line, source.where(loc).field)
    elif kind == "value_error":
        message = str(err["msg"]).removeprefix("Value error, ")
    else:
        message = f"{_lower_first(err['msg'])}; found {_short(received)}"
    return DeckError(message, where)


def _drop_union_tags(loc: FieldPath) -> FieldPath:
    # pydantic names union members in the location ("int", "str"): not part of the user's path.
    return tuple(p for p in loc if not (isinstance(p, str) and (p in _TYPE_TAGS or "[" in p)))


_TYPE_TAGS = {"int", "str", "float", "bool", "list", "dict"}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _fields_at(model: type[BaseModel], loc: FieldPath) -> list[str]:
    """The field names of the model found at `loc` (for the did-you-mean of an unknown key)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(str(part)) if hasattr(current, "model_fields") else None
        if field is None:
            break
        current = _model_in(field.annotation)
    if hasattr(current, "model_fields"):
        return [name for name, f in current.model_fields.items() if not f.exclude]
    return []


def _model_in(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


class ErrorGroup(CardgenError):
    """Several user errors found in one pass: all are reported, one per line."""

    def __init__(self, errors: list[CardgenError], kind: type[CardgenError] = CardgenError) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors
        self.kind = kind.kind

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
