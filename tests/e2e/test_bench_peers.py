"""The benchmark's renderers draw the same cards: benchmarks/bench_cards.py (deck → cards, read by
the Pillow floor and the Typst peer), card-style.json's fonts, the Typst peer's inputs, the satori
peer's JavaScript port of the deck reading, and run.py's generated decks and paired ratio.

Needs neither typst nor Node.js: the tests that run them skip when they are not installed.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks"
DECK = BENCH / "bench-deck.yaml"

TRICKY = """\
title: t
defaults:
  footer: "**@x**"
cards:
  - layout: cover
    title: 'Quotes " and \\\\ backslash, #set text(red) $x^2$ [a] <b> @c *d* _e_'
    subtitle: ==sub==
  - layout: step
    title: Step one
    text: |
      First paragraph with **bold**.

      Second paragraph, = heading? // not a comment
  - layout: step
    number: "7"
    title: Own number
    text: one line
  - layout: plain
    title: Not a step
    footer: ""
  - layout: cover
    title: A last cover has no hint
"""


@pytest.fixture(scope="module")
def bench(request: pytest.FixtureRequest) -> dict[str, ModuleType]:
    """benchmarks/*.py as modules (they import each other as siblings, as when run as scripts)."""
    sys.path.insert(0, str(BENCH))
    request.addfinalizer(lambda: sys.path.remove(str(BENCH)))
    modules = {}
    for name in ("bench_cards", "typst_peer", "run", "timeline"):
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        modules[name] = module
    return modules


@pytest.fixture
def tricky_deck(tmp_path: Path) -> Path:
    path = tmp_path / "tricky.yaml"
    path.write_text(TRICKY, encoding="utf-8")
    return path


def test_bench_deck_cards(bench):
    cards = bench["bench_cards"].load_cards(DECK)
    assert len(cards) == 7
    assert [c["cover"] for c in cards] == [True] + [False] * 6
    assert [c["counter"] for c in cards] == [f"{i}/7" for i in range(1, 8)]
    assert [c["number"] for c in cards] == ["", "01", "02", "03", "04", "05", "06"]
    assert cards[0]["title"] == "Как вести соцсети без выгорания"  # ==…== stripped
    assert cards[0]["hint"] == "Листайте →" and all(c["hint"] == "" for c in cards[1:])
    assert all(c["footer"] == "@bench" for c in cards)
    for card in cards[1:]:
        assert len(card["paragraphs"]) == 1 and len(card["paragraphs"][0].split()) > 40
        assert "**" not in card["paragraphs"][0] and "==" not in card["paragraphs"][0]


def test_deck_reading_rules(bench, tricky_deck):
    cards = bench["bench_cards"].load_cards(tricky_deck)
    cover, step, own, plain, last = cards
    assert cover["subtitle"] == "sub" and cover["footer"] == "@x" and cover["hint"]
    assert cover["paragraphs"] == [] and cover["number"] == ""
    assert step["number"] == "01"
    assert step["paragraphs"] == ["First paragraph with bold.", "Second paragraph, = heading? // not a comment"]
    assert own["number"] == "7"  # the deck's own number wins, and is not counted over
    assert plain["number"] == "" and plain["footer"] == ""  # a card's own value beats the defaults
    assert last["cover"] and last["hint"] == ""  # nothing to swipe to


def test_style_fonts_are_the_named_faces(bench):
    """Typst and satori pick each role's face by family and weight: card-style.json must name the
    family and weight of the very file the floor opens, or the peers would draw other glyphs."""
    style = bench["bench_cards"].STYLE
    assert (style["width"], style["height"]) == (1080, 1350)
    for role in style["roles"]:
        spec = style["roles"][role]
        font = TTFont(bench["bench_cards"].font_file(role), lazy=True)
        names = font["name"]
        family = names.getDebugName(16) or names.getDebugName(1)
        assert (family, font["OS/2"].usWeightClass) == (spec["family"], spec["weight"]), role
    assert bench["bench_cards"].font_files() == [
        ROOT / "fonts/manrope/Manrope-ExtraBold.ttf",
        ROOT / "fonts/inter/Inter-Regular.otf",
        ROOT / "fonts/inter/Inter-SemiBold.otf",
    ]


def test_typst_inputs_are_data_not_markup(bench, tricky_deck):
    """The cards reach Typst as JSON strings (sys.inputs), so no deck text is ever parsed as Typst
    markup or code; the fonts are the folders of the floor's font files only."""
    peer = bench["typst_peer"]
    cards = bench["bench_cards"].load_cards(tricky_deck)
    inputs = peer.typst_inputs(cards)
    assert set(inputs) == {"cards"}
    assert json.loads(inputs["cards"]) == cards
    assert peer.font_dirs() == [str(ROOT / "fonts/manrope"), str(ROOT / "fonts/inter")]
    template = peer.TEMPLATE.read_text(encoding="utf-8")
    assert "json(bytes(sys.inputs.cards))" in template and 'json("card-style.json")' in template


def test_typst_peer_renders_every_card(bench, tricky_deck, tmp_path):
    pytest.importorskip("typst")
    from PIL import Image

    written = bench["typst_peer"].render_deck(tricky_deck, tmp_path / "out")
    assert [p.name for p in written] == ["01.png", "02.png", "03.png", "04.png", "05.png"]
    for path in written:
        with Image.open(path) as image:
            assert image.size == (1080, 1350)
            rgb = image.convert("RGB")
            assert rgb.getpixel((5, 5)) == (0xF6, 0xF3, 0xEE)  # the floor's background
            assert len(rgb.getcolors(1 << 20)) > 2  # text drawn, not a blank page


def test_typst_peer_matches_the_floor_line_by_line(bench, tmp_path):
    """Same text, fonts and sizes: every card has as many rows of ink as the floor's, each within a
    few pixels of the floor's (Typst takes the cap height from the font, the floor from the "H" bbox)."""
    pytest.importorskip("typst")
    floor = _load(BENCH / "pillow_floor.py", "bench_pillow_floor")
    ours = floor.render_deck(DECK, tmp_path / "floor")
    theirs = bench["typst_peer"].render_deck(DECK, tmp_path / "typst")
    for a, b in zip(ours, theirs, strict=True):
        rows_a, rows_b = _ink_rows(a), _ink_rows(b)
        assert len(rows_a) == len(rows_b), a.name
        assert (
            max(abs(x - y) for ra, rb in zip(rows_a, rows_b, strict=True) for x, y in zip(ra, rb, strict=True)) <= 4
        ), a.name


def test_satori_peer_reads_decks_as_python_does(bench, tricky_deck):
    node = shutil.which("node")
    if node is None or not (BENCH / "satori" / "node_modules" / "satori").is_dir():
        pytest.skip("satori peer not installed (npm ci --prefix benchmarks/satori)")
    for deck in (DECK, tricky_deck):
        done = subprocess.run(
            [node, str(BENCH / "satori" / "peer.mjs"), "--cards", str(deck)], capture_output=True, text=True, check=True
        )
        assert json.loads(done.stdout) == bench["bench_cards"].load_cards(deck)


def test_long_deck_is_a_valid_70_card_deck(bench, tmp_path):
    from cardgen.load.deck import load_deck

    path = bench["run"].make_long_deck(70, tmp_path)
    cards = bench["bench_cards"].load_cards(path)
    assert len(cards) == 70 and cards[0]["cover"]
    assert [c["number"] for c in cards[1:]] == [f"{i:02d}" for i in range(1, 70)]
    assert cards[7]["title"] == cards[1]["title"]  # the six steps over again
    assert "&id" not in path.read_text(encoding="utf-8")  # no YAML anchors and aliases
    assert len(load_deck(path).cards) == 70  # cardgen renders it as it is


def test_paired_ratio_is_the_median_of_each_rounds_ratio(bench):
    a = {"all_ms": [100.0, 300.0, 110.0]}
    b = {"all_ms": [100.0, 100.0, 100.0]}
    assert bench["run"].paired_ratio(a, b) == pytest.approx(1.1)


def test_timeline_records_each_deck_of_each_process(bench, tmp_path):
    """benchmarks/timeline.py times the real command: every deck once, in one process for -j 1
    and in two workers for -j 2, each worker's spans inside the command's wall time."""
    timeline = bench["timeline"]
    decks = tmp_path / "decks"
    timeline.make_decks(decks, 4)
    one, two = timeline.one_run(decks, 1, tmp_path), timeline.one_run(decks, 2, tmp_path)
    assert [w["decks"] for w in one["workers"]] == [4]
    assert len(two["workers"]) == 2 and sum(w["decks"] for w in two["workers"]) == 4
    for run in (one, two):
        for worker in run["workers"]:
            assert 0 < worker["first_start"] < worker["first_start"] + worker["first_deck"] <= worker["last_end"]
            assert worker["last_end"] < run["wall"] and worker["median_deck"] > 0
    assert len(list((tmp_path / "out-2").glob("*/*.png"))) == 4 * 7  # the command ran for real


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ink_rows(path: Path) -> list[tuple[int, int]]:
    """The runs of image rows that hold any ink (a text line each, or the cover's rule)."""
    from PIL import Image, ImageChops

    with Image.open(path) as image:
        gray = image.convert("L")
    ink = ImageChops.difference(gray, Image.new("L", gray.size, gray.getpixel((0, 0)))).point(lambda v: v > 60 and 255)
    rows = [ink.crop((0, y, gray.width, y + 1)).getbbox() is not None for y in range(gray.height)]
    runs, start = [], None
    for y, has in enumerate([*rows, False]):
        if has and start is None:
            start = y
        elif not has and start is not None:
            runs.append((start, y - 1))
            start = None
    return runs
