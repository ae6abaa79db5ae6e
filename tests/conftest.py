"""Shared fixtures: a square-glyph test font (every glyph 0.5 em wide), decks in temp folders,
the `--update-goldens` and `--update-slide-hashes` switches, the test lanes and Hypothesis's
profiles.

Lanes: each test is marked by the folder it is in (markers registered in pyproject.toml):
tests/unit (pure values, no subprocess, the whole lane in seconds), tests/layout (decks laid
out in-process), tests/paint (pixels: goldens, slide hashes, formats), tests/e2e (the command
line: in this process through typer's CliRunner, or the real command where a process matters;
see tests/e2e/batchkit.py). `pytest` runs them all; `pytest tests/unit` or
`pytest -m unit` one lane.

Hypothesis: the "ci" profile is derandomised (every run draws the same examples, so a failure in
CI is a failure on every machine); the regressions found so far are `@example`s beside their
tests. `CARDGEN_HYPOTHESIS_PROFILE=explore` draws new examples (the long fuzz run, see
tests/e2e/test_fuzz.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

ROOT = Path(__file__).resolve().parent.parent
UPEM = 1000
ADVANCE = 500  # every glyph, the space included: at size 20 each character is exactly 10 px
CAP = 700


LANES = ("unit", "layout", "paint", "e2e")

settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("CARDGEN_HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Each test gets its lane's marker from its folder."""
    tests = Path(__file__).resolve().parent
    for item in items:
        parts = Path(str(item.path)).resolve().relative_to(tests).parts
        if len(parts) > 1 and parts[0] in LANES:
            item.add_marker(getattr(pytest.mark, parts[0]))


def pytest_configure(config: pytest.Config) -> None:
    """The tests' own cache folder (manifests, file digests, parsed hyphenation patterns), so a
    test run neither reads nor fills the user's ~/.cache/cardgen."""
    import tempfile

    os.environ["CARDGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="cardgen-test-cache-")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite tests/goldens/*.png")
    parser.addoption(
        "--update-slide-hashes",
        action="store_true",
        help="record tests/fixtures/slide-hashes.json again (after an intended change of pixels)",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


TEST_CHARS = [chr(c) for c in range(0x20, 0x7F)] + [chr(c) for c in range(0x410, 0x450)] + list("ёЁ\u00a0«»„“”—–…№₽’")


def build_square_font(path: Path, family: str = "Square", style: str = "Regular") -> Path:
    """A TrueType font whose every glyph is a 0.5 em box: widths can be worked out by hand."""
    names = [".notdef"] + [f"u{ord(c):04X}" for c in TEST_CHARS]
    fb = FontBuilder(UPEM, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): f"u{ord(c):04X}" for c in TEST_CHARS})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        if name not in ("u0020", "u00A0"):
            pen.moveTo((50, 0))
            pen.lineTo((50, CAP))
            pen.lineTo((450, CAP))
            pen.lineTo((450, 0))
            pen.closePath()
        glyphs[name] = pen.glyph()
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({name: (ADVANCE, 50) for name in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": family, "styleName": style})
    fb.setupOS2(
        sTypoAscender=800,
        sTypoDescender=-200,
        usWinAscent=800,
        usWinDescent=200,
        sCapHeight=CAP,
        sxHeight=500,
        usWeightClass=700 if style == "Bold" else 400,
    )
    fb.setupPost()
    fb.save(str(path))
    return path


@pytest.fixture(scope="session")
def square_fonts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fonts")
    build_square_font(folder / "Square-Regular.ttf")
    build_square_font(folder / "Square-Bold.ttf", style="Bold")
    return folder


@pytest.fixture
def write(tmp_path: Path):
    """write("deck.yaml", text) → the path, in a fresh temp folder."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write
