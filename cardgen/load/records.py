"""Validated values as plain frozen dataclasses (`Record`), and the lean check that builds them.

Input: the data a YAML file holds (dicts, lists, str, int, float, bool) and a record class.
Output: the record, or `Unsure`.

A deck and its theme are validated on every render. With pydantic models that cost about 70 ms
and 13 MiB of start-up (its import and the building of the models), more than laying out and
painting a 7-card deck (issue 17). So the values are plain dataclasses, each field declared once
with its constraints (`spec`), and `build` turns data into them without pydantic. It takes only
what it can take exactly as pydantic would (values of the declared type, in bounds, every check
passing, no unknown or missing key); for anything else it raises `Unsure`, and the loader hands
the data to pydantic models generated from the same dataclasses (`load.validation`), which word
every error and convert what pydantic converts (`weight: "700"`). Whatever `build` accepts,
pydantic accepts with the same values: `tests/unit/test_records.py` holds the two together.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar, Union

from cardgen.base.caches import memo

R = TypeVar("R", bound="Record")
Context = Mapping[str, Any]
Check = Callable[[Any, Context], object]  # raises ValueError (or FieldProblems) for a value it refuses

_BOUNDS = ("ge", "le", "gt", "min_length", "max_length")


class Unsure(Exception):
    """Data the lean check does not take as it is: pydantic decides (and words any error)."""


class FieldProblems(ValueError):
    """Several problems inside one field, each at its own path below it (colors.accent,
    swipe_hint.text.ru): `(path, message, value)`. pydantic places each under the field."""

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str, Any]]) -> None:
        super().__init__("; ".join(message for _, message, _ in problems))
        self.problems = problems


def raise_all(problems: list[tuple[tuple[str | int, ...], str, Any]]) -> None:
    if problems:
        raise FieldProblems(problems)


def spec(
    default: Any = dataclasses.MISSING,
    *,
    factory: Callable[[], Any] | None = None,
    description: str | None = None,
    check: Check | None = None,
    before: Callable[[Any], Any] | None = None,
    internal: bool = False,
    item_ge: float | None = None,
    item_le: float | None = None,
    **bounds: float,
) -> Any:
    """A record field: its default (or `factory`), bounds (ge, le, gt for numbers; min_length,
    max_length for lists), a `check` run on its value when it is not None, a `before` hook run on
    the data as written, and whether it is `internal` (set by the loader, never from a file)."""
    unknown = set(bounds) - set(_BOUNDS)
    if unknown:
        raise TypeError(f"unknown bounds {sorted(unknown)}")
    metadata: dict[str, Any] = {
        "description": description,
        "check": check,
        "before": before,
        "internal": internal or None,
        "item_ge": item_ge,
        "item_le": item_le,
        **bounds,
    }
    metadata = {key: value for key, value in metadata.items() if value is not None}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=metadata, repr=not internal)
    return dataclasses.field(default=default, metadata=metadata, repr=not internal)


class Record:
    """Base of the validated values. Subclasses are `@dataclass(frozen=True)`; a `check(self)`
    method, if defined, checks the fields together (raising ValueError or FieldProblems)."""

    @property
    def fields_set(self) -> frozenset[str]:
        """The fields the file set (pydantic's `model_fields_set`). A record made in code rather
        than from a file counts the fields that differ from their defaults."""
        given: frozenset[str] | None = self.__dict__.get("_fields_set")
        if given is not None:
            return given
        return frozenset(
            f.name
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
            if not f.metadata.get("internal") and getattr(self, f.name) != _default(f)
        )

    def copy(self: R, **update: Any) -> R:
        """The record with `update` applied; the updated fields count as set (as `model_copy`)."""
        new = dataclasses.replace(self, **update)  # type: ignore[type-var]
        object.__setattr__(new, "_fields_set", self.fields_set | update.keys())
        return new


def _default(f: dataclasses.Field) -> Any:
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return f.default


def with_fields_set(record: R, names: Iterable[str]) -> R:
    object.__setattr__(record, "_fields_set", frozenset(names))
    return record


def user_fields(cls: type) -> tuple[str, ...]:
    """The keys a file may write for a record class, in declaration order."""
    return tuple(f.name for f in dataclasses.fields(cls) if not f.metadata.get("internal"))


def internal_fields(cls: type) -> tuple[str, ...]:
    """The fields the loader sets (a deck's path, a theme's files), which no file may write."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.metadata.get("internal"))


def build(cls: type[R], data: Any, context: Context | None = None, *, checks: bool = True, **internal: Any) -> R:
    """Data as written → the record, without pydantic; `Unsure` for anything it does not take as
    it is (see the module docstring). `internal`: the fields the loader sets (path, limits, …).
    `checks=False` skips the record's own `check` (pydantic runs it in its own order)."""
    if type(data) is not dict:
        raise Unsure
    plans, names = _plan(cls)
    if not names.issuperset(data):
        raise Unsure  # an unknown key (or one that is not text)
    context = context or {}
    values: dict[str, Any] = {}
    for name, convert, before, check, required in plans:
        if name in data:
            value = data[name]
            if before is not None:
                value = before(value)
            value = convert(value, context)
            if check is not None and value is not None:
                try:
                    check(value, context)
                except ValueError:
                    raise Unsure from None
            values[name] = value
        elif required:
            raise Unsure
    record = cls(**values, **internal)
    object.__setattr__(record, "_fields_set", frozenset(data))
    if checks and hasattr(record, "check"):
        try:
            record.check()
        except ValueError:
            raise Unsure from None
    return record


Plan = tuple[str, Callable[[Any, Context], Any], Callable[[Any], Any] | None, Check | None, bool]


@memo()
def _plan(cls: type) -> tuple[tuple[Plan, ...], frozenset[str]]:
    hints = typing.get_type_hints(cls)
    plans: list[Plan] = []
    for f in dataclasses.fields(cls):
        meta = f.metadata
        if meta.get("internal"):
            continue
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        plans.append((f.name, converter(hints[f.name], meta), meta.get("before"), meta.get("check"), required))
    return tuple(plans), frozenset(p[0] for p in plans)


def _unsure(*_: object) -> Any:
    raise Unsure


def converter(annotation: Any, meta: Mapping[str, Any]) -> Callable[[Any, Context], Any]:
    """A field's type → a function that returns the value as pydantic would, or raises Unsure.

    Only what pydantic takes unchanged (or converts in one obvious way: an int for a float, a
    str for a path, a list for a pair) is taken here."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (Union, types.UnionType):
        nullable = type(None) in args
        members = [(_kind(a), converter(a, meta)) for a in args if a is not type(None)]

        def union(value: Any, context: Context) -> Any:
            if value is None:
                if nullable:
                    return None
                raise Unsure
            for kind, convert in members:  # the member of the value's own kind (pydantic's smart union)
                if kind(value):
                    return convert(value, context)
            raise Unsure

        return union
    if annotation is str:
        return lambda value, _: value if type(value) is str else _unsure()
    if annotation is bool:
        return lambda value, _: value if type(value) is bool else _unsure()
    if annotation is int:
        inside = _number_bounds(meta)
        return lambda value, _: value if type(value) is int and inside(value) else _unsure()
    if annotation is float:
        return _float(_number_bounds(meta))
    if annotation is Path:
        return lambda value, _: Path(value) if (type(value) is str and value) or isinstance(value, Path) else _unsure()
    if origin is Literal:
        choices = frozenset(args)
        if not all(type(choice) is str for choice in choices):
            raise TypeError(f"only text literals are supported: {annotation}")
        return lambda value, _: value if type(value) is str and value in choices else _unsure()
    if origin is list:
        item = converter(args[0], {})
        least, most = meta.get("min_length", 0), meta.get("max_length", math.inf)

        def items(value: Any, context: Context) -> Any:
            if type(value) is not list or not least <= len(value) <= most:
                raise Unsure
            return [item(x, context) for x in value]

        return items
    if origin is dict:
        if args[0] is not str:
            raise TypeError(f"only text keys are supported: {annotation}")
        entry = converter(args[1], {})

        def mapping(value: Any, context: Context) -> Any:
            if type(value) is not dict or not all(type(key) is str for key in value):
                raise Unsure
            return {key: entry(x, context) for key, x in value.items()}

        return mapping
    if origin is tuple and args and args[-1] is not Ellipsis:
        bounded = {k: meta[f"item_{k}"] for k in ("ge", "le") if f"item_{k}" in meta}
        parts = [converter(a, bounded) for a in args]

        def pair(value: Any, context: Context) -> Any:
            if type(value) not in (list, tuple) or len(value) != len(parts):
                raise Unsure
            return tuple(convert(x, context) for convert, x in zip(parts, value, strict=True))

        return pair
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return lambda value, context: build(annotation, value, context)
    raise TypeError(f"no lean conversion for {annotation}")


def _kind(annotation: Any) -> Callable[[Any], bool]:
    """Whether a value is of a union member's own kind (the member pydantic's smart mode picks)."""
    origin = typing.get_origin(annotation)
    if annotation is str or origin is Literal:
        return lambda value: type(value) is str
    if annotation is int:
        return lambda value: type(value) is int
    if annotation is float:
        return lambda value: type(value) in (int, float)
    if annotation is bool:
        return lambda value: type(value) is bool
    if annotation is Path:
        return lambda value: type(value) is str or isinstance(value, Path)
    if origin is list:
        return lambda value: type(value) is list
    if origin is dict or (isinstance(annotation, type) and issubclass(annotation, Record)):
        return lambda value: type(value) is dict
    raise TypeError(f"no lean union member for {annotation}")


def _number_bounds(meta: Mapping[str, Any]) -> Callable[[float], bool]:
    ge, le, gt = meta.get("ge", -math.inf), meta.get("le", math.inf), meta.get("gt", -math.inf)
    return lambda value: ge <= value <= le and value > gt


def _float(inside: Callable[[float], bool]) -> Callable[[Any, Context], float]:
    def convert(value: Any, _: Context) -> float:
        if type(value) is int:
            try:
                value = float(value)
            except OverflowError:
                raise Unsure from None
        elif type(value) is not float:
            raise Unsure
        if not math.isfinite(value) or not inside(value):
            raise Unsure
        return value

    return convert
