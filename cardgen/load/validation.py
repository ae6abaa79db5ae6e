"""Records → pydantic models, for what the lean check hands over: every error, worded and located.

Input: a record class (`load.records`) and data that `records.build` did not take as it is.
Output: the record pydantic validates (converting what it converts), or located `CardgenError`s.

The models are generated from the records' own declarations (`model_of`): field names, types,
defaults, bounds, descriptions, checks and the record's `check` — nothing is declared twice.
They also give the JSON Schema (`load.schema`). This module is imported only when a file needs
pydantic (an error, a value pydantic converts), by `cardgen schema` and by the importer.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from cardgen.base.caches import memo
from cardgen.load.records import Context, FieldProblems, R, Record, Unsure, build
from cardgen.model.problems import CardgenError, DeckError, Where, did_you_mean, found, shown
from cardgen.model.source import FieldPath, Source

__all__ = ["ValidationError", "located_errors", "make", "model_of", "validated"]


def make(cls: type[R], data: dict[str, Any], context: Context | None = None, **internal: Any) -> R:
    """The lean check, else pydantic's validation: the record, or pydantic's ValidationError (a
    ValueError) for data that is wrong. For callers that need no located errors (the importer)."""
    try:
        return build(cls, data, context, **internal)
    except Unsure:
        return validated(cls, data, context, **internal)


def validated(cls: type[R], data: dict[str, Any], context: Context | None = None, **internal: Any) -> R:
    """pydantic's validation of `data` as `cls` → the record; raises pydantic's ValidationError."""
    model = model_of(cls).model_validate({**data, **internal}, context=dict(context or {}))
    return to_record(cls, model)


def to_record(cls: type[R], model: BaseModel, *, checks: bool = True) -> R:
    """A validated model → its record (nested models too), with the same fields set."""
    internal = {
        f.name: getattr(model, f.name)
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.metadata.get("internal")
    }
    data = model.model_dump(exclude_unset=True, exclude=set(internal))
    return build(cls, data, checks=checks, **internal)


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


RECORDS: dict[type[BaseModel], type[Record]] = {}  # each generated model → its record class


@memo()
def model_of(cls: type[Record]) -> type[BaseModel]:
    """The pydantic model of a record class: same name, docstring, fields and checks."""
    hints = typing.get_type_hints(cls)
    fields: dict[str, Any] = {}
    validators: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        meta = f.metadata
        options: dict[str, Any] = {key: meta[key] for key in ("description", "ge", "le", "gt") if key in meta}
        options |= {key: meta[key] for key in ("min_length", "max_length") if key in meta}
        if f.default_factory is not dataclasses.MISSING:
            options["default_factory"] = f.default_factory
        elif f.default is not dataclasses.MISSING:
            options["default"] = f.default
        if meta.get("internal"):
            fields[f.name] = (Any, Field(exclude=True, repr=False, **options))
            continue
        fields[f.name] = (_annotation(hints[f.name], meta), Field(**options))
        if "before" in meta:
            validators[f"_before_{f.name}"] = field_validator(f.name, mode="before")(_hook(meta["before"]))
        if "check" in meta:
            validators[f"_check_{f.name}"] = field_validator(f.name)(_field_check(meta["check"]))
    if hasattr(cls, "check"):
        validators["_check"] = model_validator(mode="after")(_record_check(cls))
    own_doc = cls.__dict__.get("__doc__")
    doc = None if not own_doc or own_doc.startswith(f"{cls.__name__}(") else own_doc  # not dataclass's signature
    model: type[BaseModel] = create_model(
        cls.__name__, __base__=_Model, __doc__=doc, __validators__=validators, **fields
    )
    model.UNSUPPORTED = getattr(cls, "UNSUPPORTED", {})  # type: ignore[attr-defined]
    RECORDS[model] = cls
    return model


def _annotation(annotation: Any, meta: Mapping[str, Any]) -> Any:
    """A record field's type → the model's: records become their models, a pair's bounds move
    onto its items."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return model_of(annotation)
    if origin in (Union, types.UnionType):
        return Union[tuple(_annotation(a, meta) for a in args)]  # noqa: UP007 - built from a tuple
    if origin is list:
        return list[_annotation(args[0], {})]  # type: ignore[misc]
    if origin is dict:
        return dict[args[0], _annotation(args[1], {})]  # type: ignore[misc,valid-type]
    if origin is tuple and args and args[-1] is not Ellipsis:
        bounds = {k: meta[f"item_{k}"] for k in ("ge", "le") if f"item_{k}" in meta}
        items = tuple(Annotated[a, Field(**bounds)] if bounds else a for a in args)
        return tuple[items]  # type: ignore[valid-type]
    return annotation


def _hook(before: Callable[[Any], Any]) -> Any:
    return classmethod(lambda cls, value: before(value))


def _field_check(check: Callable[[Any, Context], object]) -> Any:
    def validate(cls: type, value: Any, info: ValidationInfo) -> Any:
        if value is not None:
            try:
                check(value, info.context or {})
            except FieldProblems as exc:
                raise _validation_error(exc) from None
        return value

    return classmethod(validate)


def _record_check(cls: type[Record]) -> Callable[[BaseModel], BaseModel]:
    def validate(self: BaseModel) -> BaseModel:
        try:
            to_record(cls, self, checks=False).check()  # type: ignore[attr-defined]
        except FieldProblems as exc:
            raise _validation_error(exc) from None
        return self

    return validate


def _validation_error(exc: FieldProblems) -> ValidationError:
    """Several located problems → one ValidationError whose errors pydantic places under the field."""
    return ValidationError.from_exception_data(
        "Record",
        [
            InitErrorDetails(
                type=PydanticCustomError("value_error", "{message}", {"message": message}), loc=loc, input=value
            )
            for loc, message, value in exc.problems
        ],
    )


# ----------------------------------------------------------------------------------------------
# pydantic's errors → located CardgenErrors in the words of the deck format


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
    return error(message, where, hint=_colon_hint(err, received) or _quote_hint(err, received))


def _quote_hint(err: dict[str, Any], received: Any) -> str | None:
    """A decimal where text is taken (a stat's `number: 2.5`): YAML read a number; quoted, the
    value is shown as written («2,5»)."""
    if not isinstance(received, float) or "text" not in str(err.get("expected") or ""):
        return None
    return f'put it in quotes to show it as written: "{received:g}"'


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
    "int_parsing_size": "a whole number",  # -1e308: a float too large for a whole number
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
# What a mapping of a record's fields is called, when it is not the generic "a mapping of keys".
_MAPPING_WORDS = {
    "CardFields": "a card (a mapping of fields such as title:, text:)",
    "Message": "a message (its text, or a mapping of text:, name:, side:)",
}


def _expected(err: Mapping[str, Any], model: type[BaseModel], loc: FieldPath) -> str | None:
    """ "text", "a whole number", "a card (…)": what the field takes, or None when pydantic's words are kept."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    if kind in {"model_type", "model_attributes_type"}:
        at = _model_at(model, loc)
        if at is not None and at.__name__ in _MAPPING_WORDS:
            return _MAPPING_WORDS[at.__name__]
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
        inner = _model_in(arg)
        if inner is not None:
            return inner
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
