"""The real command (`python -m cardgen`) on what one stage does: the layout report, --strict,
a picture of extreme shape in bounded memory, an ad marking on every album a deck is split into.
The stages' own tests (tests/layout, tests/paint) run in-process; `typograph` and `quality`
through typer's CliRunner (test_cli_runner.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from batchkit import run_cli, run_process
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]


def cardgen(*args: str, cwd: Path = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd, stdin=stdin)  # in this process (see batchkit)


def cardgen_process(*args: str, cwd: Path = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_process(*args, cwd=cwd, stdin=stdin, timeout=120)


def test_report_lists_sizes_and_lines_as_set(tmp_path):
    report = tmp_path / "report.json"
    result = cardgen("render", "decks/negativity.yaml", "-o", str(tmp_path / "out"), "--report", str(report))
    assert result.returncode == 0, result.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    (deck,) = data["decks"]
    assert len(deck["slides"]) == 9
    step = deck["slides"][1]
    assert step["card"] == 2 and step["layout"] == "step" and step["file"].endswith("02.png")
    fields = {b["field"]: b for b in step["blocks"]}
    assert set(fields) >= {"number", "title", "text"}
    assert fields["text"]["size"] in deck["sizes"]["body"]  # the deck's scale: each role's sizes
    assert any("\u00a0" in line for line in fields["text"]["lines"])  # no-break spaces kept
    x, y, w, h = fields["text"]["box"]  # where the block sits, px
    assert 88 <= x < 200 and fields["title"]["box"][1] < y and x + w <= 1080 - 88 + 1 and h > 0
    assert 0 < step["fill"] <= 1 and 0 <= step["empty_band"] < 0.4 and step["step"] >= -1


def test_strict_turns_warnings_into_errors(tmp_path):
    deck = tmp_path / "d.yaml"
    deck.write_text("title: T\ncards:\n  - title: Символ \u0e01 без шрифта\n", encoding="utf-8")
    relaxed = cardgen("render", str(deck), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert relaxed.returncode == 0
    assert "warning:" in relaxed.stderr and "U+0E01" in relaxed.stderr and "cards[0].title (card 1)" in relaxed.stderr
    strict = cardgen("render", str(deck), "-o", str(tmp_path / "strict"), "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    assert "error:" in strict.stderr and "(--strict)" in strict.stderr
    assert not (tmp_path / "strict" / "d").exists()


def test_a_picture_of_extreme_shape_covers_a_card_in_bounded_memory(tmp_path: Path) -> None:
    """A 1×3000 px strip is 3000 pixels and ~100 bytes, within every limit; covering a card with
    it used to resize the whole strip first (1080 × 3 240 000 px, gigabytes) before cropping."""
    import os
    import resource
    import subprocess

    Image.new("RGB", (1, 3000), (30, 120, 200)).save(tmp_path / "strip.png")
    Image.new("RGB", (20000, 1), (200, 60, 30)).save(tmp_path / "line.png")
    (tmp_path / "d.yaml").write_text(
        "title: T\nsize: 400x500\ncards:\n  - layout: image\n    image: strip.png\n    title: Полоса\n"
        "  - title: Линия\n    background: line.png\n",
        encoding="utf-8",
    )

    def at_most_1_5_gb() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    result = subprocess.run(
        [sys.executable, "-m", "cardgen", "render", "d.yaml", "-o", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=at_most_1_5_gb,
        env={**os.environ, "CARDGEN_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    with Image.open(tmp_path / "out" / "d" / "01.png") as slide:
        assert slide.size == (400, 500)
        pixel = slide.convert("RGB").getpixel((200, 250))  # the strip fills the card (no scrim away from text)
        assert all(abs(a - b) <= 16 for a, b in zip(pixel, (30, 120, 200), strict=True)), pixel


@pytest.mark.parametrize(
    ("where", "show", "marked"),
    [
        ("theme", "first", ["01", "11", "21"]),
        ("deck", "first-last", ["01", "10", "11", "20", "21", "23"]),
    ],
)
def test_a_23_card_telegram_deck_marks_every_album_it_is_split_into(tmp_path, where, show, marked):
    """Albums 2 and 3 are posts of their own: `show: first` marks the first slide of each, not
    only slide 01. Found through the command: a slide differs from the same deck's without `ad:`
    exactly when it carries the marking."""
    import subprocess

    from PIL import Image, ImageChops

    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "brand.yaml").write_text(f"extends: default\nad: {{show: {show}}}\n", encoding="utf-8")
    cards = "".join(f"  - title: Карточка {i}\n    text: Текст.\n" for i in range(1, 24))
    own = f", show: {show}" if where == "deck" else ""
    head = "title: T\ntheme: brand\nsize: 400x500\ncaption: Подборка\n"
    (tmp_path / "ad.yaml").write_text(
        f"{head}ad: {{advertiser: ООО Ромашка, erid: 2VtzqwXYZ{own}}}\ncards:\n{cards}", encoding="utf-8"
    )
    (tmp_path / "plain.yaml").write_text(f"{head}cards:\n{cards}", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "cardgen", "render", "ad.yaml", "plain.yaml", "--for", "telegram", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    found = []
    for slide in sorted((tmp_path / "out" / "ad").glob("album-*/*.png")):
        twin = tmp_path / "out" / "plain" / slide.parent.name / slide.name
        with Image.open(slide) as a, Image.open(twin) as b:
            if ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox():
                found.append(slide.stem)
    assert found == marked
    for album in ("album-1", "album-2", "album-3"):  # and every album's caption
        assert "Реклама. ООО\u00a0Ромашка." in (tmp_path / "out" / "ad" / album / "caption.txt").read_text(
            encoding="utf-8"
        )
