"""End to end: every example deck and theme renders; output is byte-stable and atomic."""

import hashlib
from pathlib import Path

import pytest
from PIL import Image

from cardgen.model.problems import CardgenError
from cardgen.run.pipeline import layout_deck, render_deck
from cardgen.load.theme import builtin_themes

ROOT = Path(__file__).resolve().parents[2]
DECKS = sorted((ROOT / "decks").glob("*.yaml"))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("deck", DECKS, ids=lambda p: p.stem)
def test_every_example_deck_renders_cleanly(deck, tmp_path):
    result = render_deck(deck, tmp_path)
    assert result.warnings == ()
    assert [p.name for p in result.slides] == [f"{i:02d}.png" for i in range(1, len(result.slides) + 1)]
    with Image.open(result.slides[0]) as image:
        assert image.size == (1080, 1350)
        assert image.mode == "RGB"


def test_russian_example_decks_have_9_and_11_slides(tmp_path):
    assert len(layout_deck(ROOT / "decks" / "negativity.yaml").pages) == 9
    assert len(layout_deck(ROOT / "decks" / "photostocks.yaml").pages) == 11


@pytest.mark.parametrize("theme", builtin_themes())
def test_every_theme_renders_every_layout(theme, tmp_path):
    result = render_deck(ROOT / "tests" / "decks" / "all-layouts.yaml", tmp_path, theme=theme)
    assert len(result.slides) == 7


def test_sizes_are_consistent_across_the_deck():
    """Seven step cards of similar density: one number size, and body and titles within 5 %
    (a card that had to shrink a little stays within reach of the others, none drags them)."""
    laid = layout_deck(ROOT / "decks" / "negativity.yaml")
    numbers = {page.text_boxes()[0].size for page in laid.pages[1:-1]}
    body_sizes = {b.size for page in laid.pages for b in page.text_boxes() if b.role == "body"}
    title_sizes = {b.size for page in laid.pages for b in page.text_boxes() if b.role == "title"}
    assert len(numbers) == 1 and min(body_sizes) >= 0.95 * max(body_sizes) >= 0.9 * 46
    assert min(title_sizes) >= 0.95 * max(title_sizes)


def test_nothing_leaves_the_canvas_or_the_margins():
    for deck in DECKS:
        laid = layout_deck(deck)
        for page, card in zip(laid.pages, laid.cards, strict=True):
            for box in page.text_boxes():
                for line in box.lines:
                    # only side bearings and hanging opening quotes reach into the margin
                    hang = 0.6 if line.text[:1] in '«„“"' else 0.1
                    assert line.x >= card.margin - hang * box.size, (deck.name, card.index, line.text)
                    assert line.x + line.width <= page.width - card.margin + 1, (deck.name, card.index, line.text)
                    assert card.margin <= line.baseline <= page.height - card.margin + 0.01


def test_output_is_byte_identical_across_runs(tmp_path):
    deck = ROOT / "decks" / "habits-en.yaml"
    first = render_deck(deck, tmp_path / "a")
    second = render_deck(deck, tmp_path / "b")
    assert [digest(p) for p in first.slides] == [digest(p) for p in second.slides]


def test_a_failed_render_leaves_the_previous_slides_whole(tmp_path, write):
    deck = write("deck.yaml", "title: T\ncards:\n  - title: Первый\n  - title: Второй\n")
    out = tmp_path / "out"
    before = render_deck(deck, out)
    (out / "deck" / "notes.txt").write_text("mine")
    digests = [digest(p) for p in before.slides]
    deck.write_text("title: T\ncards:\n  - title: Первый\n  - layout: nope\n", encoding="utf-8")
    with pytest.raises(CardgenError):
        render_deck(deck, out)
    assert [digest(p) for p in sorted((out / "deck").glob("*.png"))] == digests
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging left behind


def test_a_shorter_deck_replaces_old_slides_and_keeps_foreign_files(tmp_path, write):
    deck = write("deck.yaml", "title: T\ncards:\n  - title: A\n  - title: B\n  - title: C\n")
    out = tmp_path / "out"
    render_deck(deck, out)
    (out / "deck" / "notes.txt").write_text("mine")
    deck.write_text("title: T\ncards:\n  - title: A\n", encoding="utf-8")
    render_deck(deck, out)
    assert sorted(p.name for p in (out / "deck").iterdir()) == ["01.png", "notes.txt"]


@pytest.mark.parametrize("size", ["1200x628", "1920x1080", "2000x500"])
def test_a_landscape_canvas_sets_type_by_its_height(size, tmp_path):
    """Type was set by the canvas width: on a 2000×500 banner no title fit in the height left."""
    portrait = layout_deck(ROOT / "decks" / "negativity.yaml")
    text = (ROOT / "decks" / "negativity.yaml").read_text(encoding="utf-8")
    (tmp_path / "wide.yaml").write_text(f"size: {size}\n" + text.replace("size: portrait\n", ""), encoding="utf-8")
    (tmp_path / "assets").symlink_to(ROOT / "decks" / "assets")
    laid = layout_deck(tmp_path / "wide.yaml", root=ROOT / "decks")
    width, height = map(int, size.split("x"))
    assert len(laid.pages) == len(portrait.pages)
    cover = {b.role: b.size for b in laid.pages[0].text_boxes()}
    assert cover["cover_title"] < height / 6  # a title line leaves the card room, however wide it is
    for page in laid.pages:
        for box in page.text_boxes():
            for line in box.lines:
                assert line.x >= 0 and line.x + line.width <= width + 1 and line.baseline <= height
