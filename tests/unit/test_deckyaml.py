"""Deck YAML: reads like a hand-written deck, and always loads back to exactly the data written."""

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cardgen.importer.deckyaml import deck_yaml, scalar

# --- YAML ---------------------------------------------------------------------------------------


def test_yaml_reads_like_a_hand_written_deck():
    text = deck_yaml(
        {
            "title": "Пост",
            "caption": "Абзац один.\n\nАбзац два.\n",
            "cards": [
                {"layout": "cover", "title": "Пост"},
                {"layout": "list", "items": ["а", "б"]},
            ],
        },
        header="Imported",
    )
    assert (
        text
        == """# Imported
title: Пост
caption: |
  Абзац один.

  Абзац два.
cards:
  - layout: cover
    title: Пост

  - layout: list
    items:
      - а
      - б
"""
    )


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("@sasha_smm", "'@sasha_smm'"),
        ("10:00", "'10:00'"),
        ("да", "да"),
        ("yes", "'yes'"),
        ("1:20", "'1:20'"),
        ("2024-01-01", "'2024-01-01'"),
        ("Что ответить: так", "'Что ответить: так'"),
        ("#smm", "'#smm'"),
        ("- пункт", "'- пункт'"),
        ("It's", "It's"),
        ("'quoted'", "\"'quoted'\""),
        ("null", "'null'"),
        ("Топ-9", "Топ-9"),
        (7, "7"),
        (True, "true"),
    ],
)
def test_scalars_are_quoted_only_when_needed(value, written):
    assert scalar(value) == written
    assert yaml.safe_load(f"key: {written}")["key"] == value


CHARS = st.one_of(
    st.characters(min_codepoint=0, max_codepoint=0x7F),
    st.sampled_from(list("«»„“—–…№₽ёЁабвгд \u00a0\u0085\u2028\ufeff\ufffe🔥👍🏽\u202e\u200b\u200d")),
    st.characters(min_codepoint=0x80, max_codepoint=0x1FAFF, exclude_categories=("Cs",)),
)
# Words YAML 1.1 or 1.2 reads as something else when plain (cardgen reads 1.2).
SPECIAL_WORDS = st.sampled_from(["1e5", "019", "0o17", "no", "yes", "on", "1_000", "10:30", ".5", "+1", "0x1F"])
TEXT = st.one_of(st.text(CHARS, max_size=60), SPECIAL_WORDS)
DATA = st.recursive(
    st.one_of(TEXT, st.integers(-1000, 1000), st.booleans(), st.none()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT.filter(bool), inner, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(TEXT.filter(bool), DATA, min_size=1, max_size=5))
def test_yaml_loads_back_to_the_same_data(data):
    """As YAML 1.1 (PyYAML, older tools) and as YAML 1.2 (cardgen itself, editors) read it."""
    from pathlib import Path

    from cardgen.model.limits import Limits
    from cardgen.load.reader import parse_yaml

    text = deck_yaml(data)
    assert yaml.safe_load(text) == data
    assert parse_yaml(text, Path("deck.yaml"), limits=Limits(yaml_depth=200)).data == data


@pytest.mark.parametrize("text", ["a\u202eb", "zero\u200bwidth", "mark\u200fhere"])
def test_characters_that_hide_or_reorder_text_are_written_as_escapes(text):
    written = scalar(text)
    assert written.isascii() or "\\u" in written
    assert not any(c in written for c in "\u202e\u200b\u200f")
    assert yaml.safe_load(f"key: {written}")["key"] == text
