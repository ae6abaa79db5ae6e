"""The lean check (`load.records.build`) against pydantic (`load.validation`), the reference.

Whatever `build` takes, pydantic takes too, with the same values (types included: 40 and 40.0
differ here) and the same fields set; whatever pydantic refuses, `build` hands over (`Unsure`).
Every deck and theme in the repository goes through `build` itself, so a render of a right deck
never loads pydantic; Hypothesis draws near-valid data for every record class.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cardgen.load.deck import Deck
from cardgen.load.reader import read_yaml
from cardgen.load.records import Record, Unsure, build, spec, user_fields
from cardgen.load.theme import Theme, builtin_theme_dir
from cardgen.load.validation import ValidationError, model_of, validated
from cardgen.model.limits import DEFAULT_LIMITS
from cardgen.model.problems import CardgenError

ROOT = Path(__file__).resolve().parents[2]
CONTEXT = {"folder": ROOT, "limits": DEFAULT_LIMITS}


def typed(value: Any) -> Any:
    """A value with every type spelt out, for comparing: 40 is not 40.0, a list is not a tuple."""
    if isinstance(value, Record):
        fields = tuple((f.name, typed(getattr(value, f.name))) for f in dataclasses.fields(value))  # type: ignore[arg-type]
        return (type(value).__name__, fields, tuple(sorted(value.fields_set)))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(typed(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((k, typed(v)) for k, v in value.items()))
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def agree(cls: type[Record], data: Any) -> str:
    """Check one piece of data both ways → "lean" (build took it), "handed" (pydantic took it
    after build handed it over) or "refused" (pydantic refused it)."""
    try:
        lean = build(cls, data, CONTEXT)
    except Unsure:
        lean = None
    try:
        reference = validated(cls, data, CONTEXT) if isinstance(data, dict) else None
    except ValidationError:
        reference = None
    if reference is None:
        assert lean is None, f"build took what pydantic refuses: {data!r}"
        return "refused"
    if lean is None:
        return "handed"
    assert typed(lean) == typed(reference), data
    return "lean"


def _yaml_files(*folders: Path) -> list[Path]:
    return sorted(p for folder in folders for p in folder.rglob("*.yaml") if ".venv" not in p.parts)


def _readable(paths: list[Path]) -> list[Path]:
    """The files the YAML reader takes (the hostile ones it refuses have nothing to validate)."""
    out = []
    for path in paths:
        try:
            read_yaml(path)
        except CardgenError:
            continue
        out.append(path)
    return out


DECKS = _readable([p for p in _yaml_files(ROOT / "decks", ROOT / "tests") if "cards:" in p.read_text(errors="replace")])
THEMES = _readable(_yaml_files(builtin_theme_dir(), ROOT / "tests" / "hostile" / "themes"))


def _data(path: Path) -> Any:
    return read_yaml(path).data


@pytest.mark.parametrize("path", DECKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_deck_in_the_repository_gets_the_same_answer(path: Path) -> None:
    agree(Deck, _data(path))


@pytest.mark.parametrize("path", THEMES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_theme_in_the_repository_gets_the_same_answer(path: Path) -> None:
    data = _data(path)
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k != "extends"}  # the loader merges the chain first
    agree(Theme, data)


@pytest.mark.parametrize("name", ["default", "bold", "sunset", "classic", "photo", "paper", "midnight"])
def test_the_built_in_themes_and_example_decks_need_no_pydantic(name: str) -> None:
    """The happy path is lean: a right file never goes to pydantic (what issue 17 measured)."""
    from cardgen.load.theme import deep_merge

    merged: dict[str, Any] = {}
    path: Path | None = builtin_theme_dir() / f"{name}.yaml"
    chain = []
    while path is not None:
        data = read_yaml(path).data
        chain.append(data)
        parent = data.get("extends")
        path = builtin_theme_dir() / f"{parent}.yaml" if parent else None
    for data in reversed(chain):
        merged = deep_merge(merged, data)
    merged.pop("extends", None)
    assert agree(Theme, merged) == "lean"
    for deck in sorted((ROOT / "decks").glob("*.yaml")):
        assert agree(Deck, read_yaml(deck).data) == "lean", deck.name


# Values near the edges of what fields take: the types YAML gives, bounds, special floats, the
# words literals take, texts that checks refuse.
POOL: list[Any] = [
    None, True, False, 0, 1, 7, -3, 100, 400, 700, 1000, 10**30, 0.5, 1.3, 2.5, 40.0, 1e308, -0.0,
    float("nan"), float("inf"), "", "x", "7", "3.5", "portrait", "square", "1080x1350", "5x5", "left", "center",
    "right", "ru", "en", "split", "fraction", "dots", "top-right", "solid", "linear", "radial", "image", "circle",
    "ring", "save", "bullet", "number", "list", "step", "cover", "default", "body", "title", "text", "accent",
    "#1A1A2E", "coral", "nope-color", "0.5 0.3", "top", "2 2", "2VtzqwXYZ", "erid: 2VtzqwXYZ", "7707083893",
    "7707083894", "{n}/{total}", "{n:02}", "{n.__class__}", "Inter", "a.png", [], ["a"], ["save", "like"],
    ["text", "step"], [1], [0.5, 0.3], [3, 3], ["#000", "#fff"], {}, {"a": "b"}, {"ru": "x"}, {"text": "hi"},
    {"accent": "#ff0000"},
]  # fmt: skip


def _strategy(annotation: Any) -> st.SearchStrategy[Any]:
    """Near-valid data for a field's type: the pool, or a structure of the right shape."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    pool = st.sampled_from(POOL)
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return st.one_of(pool, st.deferred(lambda: records(annotation)))
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*[_strategy(a) for a in args if a is not type(None)], pool)
    if origin is list:
        return st.one_of(pool, st.lists(_strategy(args[0]), max_size=3))
    if origin is dict:
        keys = st.sampled_from(["body", "title", "accent", "ru", "x"])
        return st.one_of(pool, st.dictionaries(keys, _strategy(args[1]), max_size=3))
    if origin is tuple:
        return st.one_of(pool, st.lists(st.sampled_from(POOL), min_size=2, max_size=2))
    return pool


def records(cls: type[Record]) -> st.SearchStrategy[dict[str, Any]]:
    hints = typing.get_type_hints(cls)
    fields = {name: _strategy(hints[name]) for name in user_fields(cls)}
    keys = st.lists(st.sampled_from([*fields, "bogus"]), unique=True, max_size=6)
    return keys.flatmap(lambda names: st.fixed_dictionaries({n: fields.get(n, st.just(1)) for n in names}))


@dataclasses.dataclass(frozen=True, kw_only=True)
class Sample(Record):
    """A record of every kind of field the lean check knows, for the checks of the check itself."""

    name: str
    size: float = spec(40, ge=8, le=600)
    weight: int | None = spec(None, ge=100, le=900)
    number: int | str | None = None
    path: Path | list[Path] | None = None
    pair: tuple[float, float] = spec((0.5, 0.5), item_ge=-1, item_le=2)
    tags: list[typing.Literal["a", "b"]] = spec(factory=list, max_length=2)


def _all(cls: type[Record], seen: set[type[Record]]) -> set[type[Record]]:
    if cls in seen:
        return seen
    seen.add(cls)
    for annotation in typing.get_type_hints(cls).values():
        for inner in _inner_types(annotation):
            if isinstance(inner, type) and issubclass(inner, Record):
                _all(inner, seen)
    return seen


def _inner_types(annotation: Any) -> list[Any]:
    return [annotation, *[t for a in typing.get_args(annotation) for t in _inner_types(a)]]


ALL_RECORDS = sorted(_all(Deck, set()) | _all(Theme, set()) | {Sample}, key=lambda c: c.__name__)


@pytest.mark.parametrize("cls", ALL_RECORDS, ids=lambda c: c.__name__)
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_near_valid_data_gets_the_same_answer(cls: type[Record], data: st.DataObject) -> None:
    agree(cls, data.draw(records(cls)))


@pytest.mark.parametrize(
    ("data", "answer"),
    [
        ({"name": "a"}, "lean"),
        ({"name": "a", "size": 40}, "lean"),  # an int for a float: 40.0, as pydantic
        ({"name": "a", "size": "40"}, "handed"),  # pydantic converts text to a number
        ({"name": "a", "size": True}, "refused"),  # true is no number
        ({"name": "a", "size": float("nan")}, "refused"),
        ({"name": "a", "size": 601}, "refused"),
        ({"name": "a", "weight": 700.0}, "handed"),  # pydantic takes a whole float for an int
        ({"name": "a", "number": "7"}, "lean"),  # text stays text in `int | str`
        ({"name": "a", "number": 7}, "lean"),
        ({"name": "a", "path": ["x.ttf", "y.ttf"]}, "lean"),
        ({"name": "a", "pair": [0, 2]}, "lean"),
        ({"name": "a", "pair": [0, 3]}, "refused"),
        ({"name": "a", "tags": ["a", "b", "a"]}, "refused"),
        ({"name": "a", "tags": ["c"]}, "refused"),
        ({"name": "a", "bogus": 1}, "refused"),
        ({}, "refused"),
        ({"name": 5}, "refused"),
    ],
)
def test_the_lean_check_takes_only_what_it_can_take_as_it_is(data: dict[str, Any], answer: str) -> None:
    assert agree(Sample, data) == answer


def test_fields_set_follow_the_file_and_copies() -> None:
    deck = build(Deck, {"title": "t", "cards": [{"title": "a", "qr": False}]}, CONTEXT)
    assert deck.fields_set == {"title", "cards"}
    assert deck.cards[0].fields_set == {"title", "qr"}  # qr: false was written: it counts
    copied = deck.cards[0].copy(text="b")
    assert copied.fields_set == {"title", "qr", "text"} and copied.text == "b"
    assert model_of(Deck) is model_of(Deck)  # generated once


@example(text="")
@given(text=st.text(max_size=5))
def test_any_text_is_a_deck_title(text: str) -> None:
    assert agree(Deck, {"title": text, "cards": [{}]}) == "lean"
