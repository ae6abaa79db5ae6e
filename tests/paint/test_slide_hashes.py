"""Every example deck and every composition deck, in every built-in theme → the SHA-256 of each
slide, compared with the list recorded in `tests/fixtures/slide-hashes.json`.

The list was recorded before the code moved into stage packages (issue 16), so this test shows
that moving code changed no pixel. After an intended change of pixels, look at the slides and
record the list again:

    pytest tests/paint/test_slide_hashes.py --update-slide-hashes

A deck that fails in a theme (a card too full for that theme's type) is recorded as its errors,
so a change in what fails shows here too.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from cardgen.model.problems import CardgenError
from cardgen.run.pipeline import render_deck
from cardgen.load.theme import builtin_themes

ROOT = Path(__file__).resolve().parents[2]
RECORD = ROOT / "tests" / "fixtures" / "slide-hashes.json"
DECKS = sorted((ROOT / "decks").glob("*.yaml")) + sorted((ROOT / "tests" / "decks" / "composition").glob("*.yaml"))
CASES = [(deck, theme) for deck in DECKS for theme in builtin_themes()]


def key(deck: Path, theme: str) -> str:
    return f"{deck.relative_to(ROOT).as_posix()} @ {theme}"


def slides_of(deck: Path, theme: str, out: Path) -> list[str]:
    """Each slide's SHA-256, in order; or, for a deck that fails in this theme, its error lines."""
    try:
        result = render_deck(deck, out, theme=theme)
    except CardgenError as exc:
        return [f"error: {line}" for line in str(exc).replace(str(ROOT) + "/", "").splitlines()]
    return [hashlib.sha256(path.read_bytes()).hexdigest() for path in result.slides]


@pytest.fixture(scope="module")
def recorded(request: pytest.FixtureRequest) -> dict[str, list[str]]:
    update = request.config.getoption("--update-slide-hashes")
    found: dict[str, list[str]] = {} if update else json.loads(RECORD.read_text(encoding="utf-8"))
    yield found
    if update:
        RECORD.write_text(
            json.dumps(dict(sorted(found.items())), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )


@pytest.mark.parametrize(("deck", "theme"), CASES, ids=[key(d, t) for d, t in CASES])
def test_slides_are_byte_identical_to_the_recorded_ones(
    deck: Path, theme: str, tmp_path: Path, recorded: dict[str, list[str]], request: pytest.FixtureRequest
) -> None:
    found = slides_of(deck, theme, tmp_path)
    if request.config.getoption("--update-slide-hashes"):
        recorded[key(deck, theme)] = found
        return
    assert found == recorded[key(deck, theme)], f"{key(deck, theme)}: the slides changed"


def test_the_record_covers_every_deck_in_every_theme(request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--update-slide-hashes"):
        pytest.skip("recording: the list is written when the module's tests end")
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    assert sorted(recorded) == sorted(key(d, t) for d, t in CASES)
    assert sum(len(v) for v in recorded.values() if not v[0].startswith("error")) >= 300  # slides, not only errors
