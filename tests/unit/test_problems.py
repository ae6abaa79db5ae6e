"""One error family (`cardgen.model.problems`): one located problem, one exception that carries
them, one place that gathers them; and nothing parses a card number back out of formatted text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cardgen.model.problems import (
    MAX_REPORTED,
    WARNING,
    CardgenError,
    DeckError,
    Findings,
    Problem,
    StrictError,
    ThemeError,
    Where,
    combine,
)
from cardgen.model.source import Line, Source

PACKAGE = Path(__file__).resolve().parents[2] / "cardgen"


def test_a_place_in_the_cards_knows_its_card_and_column_without_reading_text() -> None:
    source = Source(Path("deck.yaml"), {}, {("cards", 2, "title"): Line(14, 5)})
    where = source.where(("cards", 2, "title"))
    assert (where.line, where.column, where.card) == (14, 5, 3)
    assert where.field == "cards[2].title (card 3)"
    error = DeckError("expected text, found a list", where, hint="write the title on one line")
    (problem,) = error.problems
    assert (problem.file, problem.line, problem.column, problem.card, problem.kind) == ("deck.yaml", 14, 5, 3, "deck")
    assert problem.severity == "error" and problem.hint == "write the title on one line"
    assert problem.diagnostic() == (
        "deck.yaml:14:5: error: cards[2].title (card 3): expected text, found a list; write the title on one line"
    )
    assert (
        str(error) == "deck.yaml:14: cards[2].title (card 3): expected text, found a list; write the title on one line"
    )


def test_a_warning_names_its_own_card_and_round_trips_through_json() -> None:
    warning = Problem.at(Where(Path("d.yaml"), 3, "cards[0].image (card 1)", 7, 1), "soft picture", card=2)
    assert warning.severity == WARNING and warning.card == 2  # the card as laid out, not as written
    data = warning.as_json()
    assert list(data) == ["message", "file", "line", "field", "card", "kind", "column"]  # a contract for CI scripts
    assert Problem.from_json(data) == warning
    strict = StrictError([warning])
    assert strict.problems[0].severity == "error" and str(strict).endswith("soft picture (--strict)")


def test_errors_are_gathered_in_one_place_deduplicated_in_file_and_line_order_and_capped() -> None:
    deck, theme = Path("deck.yaml"), Path("theme.yaml")
    found = Findings()
    assert not found
    found.error(DeckError("late", Where(deck, 9)))
    found.error(ThemeError("in the theme", Where(theme, 2)))
    found.error(DeckError("early", Where(deck, 2)))
    found.error(DeckError("early", Where(deck, 2)))  # found twice, by two stages
    with pytest.raises(CardgenError) as info:
        found.raise_errors()
    assert [(p.file, p.line, p.message) for p in info.value.problems] == [
        ("deck.yaml", 2, "early"),
        ("deck.yaml", 9, "late"),
        ("theme.yaml", 2, "in the theme"),
    ]

    single = DeckError("alone", Where(deck, 1))
    assert combine([single]) is single  # one error keeps its class and kind

    many = combine(DeckError(f"error {i}", Where(deck, i + 1)) for i in range(MAX_REPORTED + 5))
    assert len(many.problems) == MAX_REPORTED + 1 and many.unlisted == 5
    assert many.problems[-1].kind == "more" and "and 5 more errors" in many.problems[-1].message


def test_no_module_parses_a_card_number_out_of_formatted_text() -> None:
    parse = re.compile(r"""(re|regex)\.(compile|search|match|findall)\(\s*r?["'][^"']*\\\(card""")
    offenders = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if parse.search(p.read_text("utf-8"))]
    assert offenders == []


@pytest.mark.parametrize(
    ("size", "shown"),
    [(49.7778, "49.8"), (137.481, "137.5"), (64.0, "64"), (47.4, "47.4"), (40.01, "40"), (1200.0, "1200")],
)
def test_px_quotes_a_size_to_one_decimal_at_most(size, shown):
    """Fitting arrives at sizes such as 137.481: a message quotes them as 137.5 (64.0 as 64)."""
    from cardgen.model.problems import px

    assert px(size) == shown
