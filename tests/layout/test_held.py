"""What a render holds while it paints (issue 17: memory that does not grow with the cards):
a page per card, not the prepared texts and set lines that made them. Measured with tracemalloc
in process, up to the moment painting starts (deterministic, not timed): the benchmark deck's
cover and steps, 7 cards against 35."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml

from cardgen.run import pipeline
from cardgen.run.pipeline import layout_deck, render_deck
from cardgen.run.report import layout_report

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench-deck.yaml"


def _deck(folder: Path, cards: int) -> Path:
    """The benchmark deck's cover, then its six steps over and over (as benchmarks/run.py's long deck)."""
    deck = yaml.safe_load(BENCH.read_text(encoding="utf-8"))
    cover, steps = deck["cards"][0], deck["cards"][1:]
    deck["cards"] = [cover] + [dict(steps[i % len(steps)]) for i in range(cards - 1)]
    path = folder / f"bench-{cards}.yaml"
    path.write_text(yaml.safe_dump(deck, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


class _Painted(Exception):
    """Raised in place of painting: the render is measured up to its first image."""


def _held_when_painting(deck: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """(bytes traced when painting would start, the traced peak until then) of rendering `deck`."""

    held: list[int] = []

    def stop(*args: Any, **kwargs: Any) -> None:
        held.append(tracemalloc.get_traced_memory()[0])
        raise _Painted

    monkeypatch.setattr(pipeline, "write_slides", stop)
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        with pytest.raises(_Painted):
            render_deck(deck, out)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return held[0] - base, peak - base


def test_a_render_holds_a_page_per_card_not_the_layout_that_made_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    short, long = _deck(tmp_path, 7), _deck(tmp_path, 35)
    _held_when_painting(short, tmp_path / "warm", monkeypatch)  # imports and per-process caches
    held7, peak7 = _held_when_painting(short, tmp_path / "a", monkeypatch)
    held35, peak35 = _held_when_painting(long, tmp_path / "b", monkeypatch)
    per_card = (peak35 - peak7) / 28
    # A card of this deck costs some 49 KB at the peak: its page (~320 placed glyphs, kept column
    # by column in `GlyphRow`s) and the temporaries of composing it; 63 KB with an object a glyph,
    # 99 KB when its prepared texts and fit were held to the end too.
    assert per_card < 56_000, f"{per_card:.0f} bytes a card at the peak (held: {held7} → {held35})"
    assert (held35 - held7) / 28 < 56_000


def test_a_render_keeps_what_is_read_after_painting(tmp_path: Path) -> None:
    deck = _deck(tmp_path, 3)
    result = render_deck(deck, tmp_path / "out", encode_workers=0)
    laid = layout_deck(deck)
    # the fits' prepared texts and set lines are let go; step, sizes and kind stay (--report)
    assert all(not cf.flow.blocks and not cf.fit.blocks for cf in result.laid.fits)
    assert all(cf.flow.blocks and cf.fit.blocks for cf in laid.fits)  # layout_deck keeps them whole
    assert [(cf.step, dict(cf.sizes), cf.flow.kind) for cf in result.laid.fits] == [
        (cf.step, dict(cf.sizes), cf.flow.kind) for cf in laid.fits
    ]
    assert result.laid.pages == laid.pages
    report = layout_report(result)
    assert [s["step"] for s in report["slides"]] == [cf.step for cf in laid.fits]
    assert all(s["blocks"] for s in report["slides"])
