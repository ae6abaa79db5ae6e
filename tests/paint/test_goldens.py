"""Golden images: a few small slides per theme, compared with a stated tolerance.

The cases include color emoji (💬 👍🏽 🇷🇺 👨‍👩‍👧, and ✔ written without U+FE0F, set as colour emoji too).

Tolerance: the mean absolute channel difference must stay ≤ 1.0 (of 255) and at most 0.5 % of
pixels may differ by more than 24 in any channel. That absorbs anti-aliasing noise between
FreeType builds but fails on any moved line, changed size, color or missing glyph.
On failure, actual/expected/diff images are written to tests/goldens/_failures/.
Regenerate after an intended change with `pytest --update-goldens` and look at the new files.
"""

from pathlib import Path

import pytest
from PIL import Image, ImageChops

from cardgen.paint.draw import paint_page
from cardgen.run.pipeline import layout_deck

HERE = Path(__file__).resolve().parents[1]  # tests/: the goldens live in tests/goldens
GOLDENS = HERE / "goldens"
FAILURES = GOLDENS / "_failures"
MEAN_TOLERANCE = 1.0
PIXEL_TOLERANCE = 24
SHARE_TOLERANCE = 0.005
CASES = [
    ("default", 1),
    ("default", 2),
    ("default", 3),
    ("default", 4),
    ("midnight", 1),
    ("midnight", 5),
    ("paper", 4),
    ("paper", 6),
]
PREVIEW = HERE.parent / "themes" / "_preview" / "preview.yaml"  # every layout once
LAYOUT_CASES = [(theme, card) for theme in ("default", "midnight") for card in range(1, 13)]


def compare(actual: Image.Image, expected: Image.Image) -> tuple[float, float]:
    diff = ImageChops.difference(actual, expected)
    histogram = diff.histogram()  # 3 × 256 bins
    total = actual.width * actual.height
    mean = sum(i * n for channel in range(3) for i, n in enumerate(histogram[channel * 256 : (channel + 1) * 256])) / (
        3 * total
    )
    worst = diff.convert("L").point(lambda v: 255 if v > PIXEL_TOLERANCE // 3 else 0)
    share = worst.histogram()[255] / total
    return mean, share


@pytest.fixture(scope="module")
def pages():
    cache = {}

    def get(theme: str, deck: Path = HERE / "decks" / "all-layouts.yaml"):
        if (theme, deck) not in cache:
            cache[theme, deck] = layout_deck(deck, theme=theme, size="360x450").pages
        return cache[theme, deck]

    return get


@pytest.mark.parametrize(("theme", "card"), CASES, ids=[f"{t}-{c}" for t, c in CASES])
def test_golden(pages, theme, card, update_goldens):
    check(paint_page(pages(theme)[card - 1]), GOLDENS / f"{theme}-{card:02d}.png", update_goldens)


@pytest.mark.parametrize(("theme", "card"), LAYOUT_CASES, ids=[f"{t}-layout-{c}" for t, c in LAYOUT_CASES])
def test_golden_layouts(pages, theme, card, update_goldens):
    """Each layout (the preview deck holds every one) in a light and a dark theme."""
    page = pages(theme, PREVIEW)[card - 1]
    check(paint_page(page), GOLDENS / "layouts" / f"{theme}-{card:02d}.png", update_goldens)


def check(actual: Image.Image, path: Path, update_goldens: bool) -> None:
    if update_goldens or not path.exists():
        if not update_goldens:
            pytest.fail(f"no golden {path.name}: run pytest --update-goldens and look at it")
        path.parent.mkdir(parents=True, exist_ok=True)
        actual.save(path, optimize=True)
        return
    with Image.open(path) as raw:
        expected = raw.convert("RGB")
    assert actual.size == expected.size
    mean, share = compare(actual, expected)
    if mean > MEAN_TOLERANCE or share > SHARE_TOLERANCE:
        FAILURES.mkdir(exist_ok=True)
        actual.save(FAILURES / f"{path.stem}-actual.png")
        expected.save(FAILURES / f"{path.stem}-expected.png")
        ImageChops.difference(actual, expected).point(lambda v: min(255, v * 4)).save(
            FAILURES / f"{path.stem}-diff.png"
        )
        pytest.fail(f"{path.name}: mean difference {mean:.2f}, {share:.2%} of pixels off; see {FAILURES}")


def test_the_comparison_catches_a_moved_line(pages):
    """The tolerance is not so loose that a real change passes."""
    page = pages("default")[1]
    from dataclasses import replace

    moved = replace(
        page,
        boxes=tuple(
            replace(
                b, lines=tuple(replace(ln, glyphs=tuple(replace(g, y=g.y + 3) for g in ln.glyphs)) for ln in b.lines)
            )
            if getattr(b, "field", "") == "title"
            else b
            for b in page.boxes
        ),
    )
    mean, share = compare(paint_page(moved), paint_page(page))
    assert mean > MEAN_TOLERANCE or share > SHARE_TOLERANCE
