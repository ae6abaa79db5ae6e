"""Memory and time from small inputs within the default limits: each run goes through the real
command in a process whose address space is limited to 1.5 GB (`resource.setrlimit`), and is
timed. The issue's measure: no input reachable with the default limits makes one process exceed
1.5 GB, or a deck take more than 30 s.

The worst cases, each at the default limits' edge: the largest canvas (4096×4096) with as many
cards as `deck_pixels` allows (23), each with two large, different emoji (caches of rasterised
glyphs grew to 6 GB); its contact sheet and gallery at the widest thumbnails; 100 tall cards
(320×4096) on a sheet of 1080-px thumbnails (MemoryError before); a theme's 20 shapes at their
largest; a 40 MP photo on every card, each card cropping it elsewhere; 100 cards of 5000-character
links that break after every character; a 1×40 000 000 picture (in the corpus, tests/hostile/cases.yaml).

By default each case runs with fewer cards (enough to fill every cache past its budget: memory
per card is what is bounded); `CARDGEN_BOUNDS=full` runs them whole, as the README's limits
section reports (about 4 minutes on the benchmark machine).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ADDRESS_SPACE = 1_500_000_000  # bytes: the bound for one process
SECONDS = 30  # the bound for one deck
FULL = os.environ.get("CARDGEN_BOUNDS") == "full"
EMOJI = "😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗🤩🤔🤨😐😑😶🙄😏😣😥😮🤐😯😪😫🥱😴😌😛😜😝🤤😒😓😔😕🙃🤑😲🙁"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss: int  # bytes


def bounded(*args: str, cwd: Path) -> Run:
    """`python -m cardgen ARGS` with its address space limited to ADDRESS_SPACE: its exit code,
    output, wall time and peak resident memory (its own, from wait4)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    env = {**os.environ, "PYTHONUTF8": "1", "CARDGEN_CACHE_DIR": str(cwd / ".cache")}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "cardgen", *args],
        cwd=cwd,
        env=env,
        preexec_fn=limit,  # noqa: PLW1509 - the test process starts no thread that could hold a lock
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    streams: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=lambda n=name, s=stream: streams.__setitem__(n, s.read()))
        for name, stream in (("out", process.stdout), ("err", process.stderr))
    ]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    for reader in readers:
        reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        process.returncode,
        streams["out"].decode("utf-8", "replace"),
        streams["err"].decode("utf-8", "replace"),
        time.perf_counter() - started,
        usage.ru_maxrss * 1024,
    )


def report(name: str, run: Run) -> None:
    print(f"\n{name}: exit {run.code}, {run.seconds:.1f} s, peak {run.peak_rss / 1e6:.0f} MB", file=sys.stderr)


def ok(run: Run) -> None:
    assert run.code == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "MemoryError" not in run.stderr
    assert run.peak_rss < ADDRESS_SPACE


def emoji_deck(path: Path, cards: int) -> Path:
    body = "".join(
        f"  - layout: stat\n    number: '{EMOJI[(2 * i) % len(EMOJI)]}{EMOJI[(2 * i + 1) % len(EMOJI)]}'\n"
        f"    title: Карточка {i + 1}\n"
        for i in range(cards)
    )
    path.write_text(f"title: Emoji\nsize: 4096x4096\ncards:\n{body}", encoding="utf-8")
    return path


def test_large_emoji_on_the_largest_canvas(tmp_path: Path) -> None:
    """6 GB before: caches of emoji tiles and glyph masks had a count, not a byte budget."""
    emoji_deck(tmp_path / "emoji.yaml", 23 if FULL else 6)
    run = bounded("render", "emoji.yaml", "-j", "1", cwd=tmp_path)
    report("23 emoji cards at 4096x4096" if FULL else "6 emoji cards at 4096x4096", run)
    ok(run)
    assert run.seconds < SECONDS


def test_the_preview_of_the_largest_deck_is_built_in_bounded_memory(tmp_path: Path) -> None:
    """3.8 GB before: every slide was held, full size, until the sheet and the page were written."""
    emoji_deck(tmp_path / "emoji.yaml", 23 if FULL else 4)
    run = bounded("preview", "emoji.yaml", "--width", "1080", "--columns", "10", cwd=tmp_path)
    report("preview of the emoji deck, 1080-px thumbnails", run)
    ok(run)
    assert run.seconds < 2 * SECONDS  # a render, plus the page's PNGs and the sheet


def test_a_sheet_of_tall_cards_at_the_widest_thumbnails(tmp_path: Path) -> None:
    """MemoryError before: 100 thumbnails 1080×13824 px on one sheet, in memory at once."""
    count = 100 if FULL else 24
    body = "".join(f"  - title: Карточка {i + 1}\n    text: Высокая карточка.\n" for i in range(count))
    (tmp_path / "tall.yaml").write_text(f"title: Tall\nsize: 320x4096\ncards:\n{body}", encoding="utf-8")
    run = bounded("preview", "tall.yaml", "--width", "1080", "--columns", "10", cwd=tmp_path)
    report(f"preview of {count} 320x4096 cards", run)
    ok(run)
    import warnings

    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # a tall sheet: ours, not a bomb
        with Image.open(tmp_path / "out" / "tall-sheet.png") as sheet:
            assert sheet.size[0] == 10 * (320 + 16) + 16  # thumbnails no wider than the slides


def test_the_largest_shapes_a_theme_may_have(tmp_path: Path) -> None:
    """A ring as large as a theme allows, on the largest canvas: drawn only where it meets the canvas."""
    (tmp_path / "themes").mkdir()
    shapes = "".join(
        f"  - {{type: ring, x: -1000, y: {-2160 + 200 * i}, size: 2160, width: 200, opacity: 0.1}}\n" for i in range(20)
    )
    (tmp_path / "themes" / "big.yaml").write_text(f"extends: default\nshapes:\n{shapes}", encoding="utf-8")
    cards = 23 if FULL else 2
    body = "".join(f"  - title: Карточка {i + 1}\n" for i in range(cards))
    (tmp_path / "shapes.yaml").write_text(
        f"title: Shapes\ntheme: big\nsize: 4096x4096\ncards:\n{body}", encoding="utf-8"
    )
    run = bounded("render", "shapes.yaml", "-j", "1", cwd=tmp_path)
    report(f"{cards} cards, 20 shapes at their largest, 4096x4096", run)
    ok(run)
    assert run.seconds < SECONDS


def test_large_photos_taking_turns_on_the_cards(tmp_path: Path) -> None:
    """Two flat 40 MP PNGs (100 KB files, a second or two to decode each), alternating so that no
    cache keeps the one the next card needs: each card decodes its photo (counted in deck_pixels)."""
    from PIL import Image

    Image.new("RGB", (6000, 6600), (40, 90, 160)).save(tmp_path / "photo.png")  # 39.6 MP, within image_pixels
    Image.new("RGB", (6600, 6000), (160, 90, 40)).save(tmp_path / "other.png")
    cards = 7 if FULL else 3  # 7 × (16.8 MP of canvas + 39.6 MP of photo) = 395 MP: deck_pixels' most
    body = "".join(
        f"  - layout: image\n    image: {'photo' if i % 2 else 'other'}.png\n"
        f"    focus: '0.{i % 10} 0.{(3 * i) % 10}'\n    title: Фото {i + 1}\n"
        for i in range(cards)
    )
    (tmp_path / "photos.yaml").write_text(f"title: Photos\nsize: 4096x4096\ncards:\n{body}", encoding="utf-8")
    run = bounded("render", "photos.yaml", "-j", "1", cwd=tmp_path)
    report(f"{cards} cards of two 40 MP photos, 4096x4096", run)
    ok(run)
    assert run.seconds < SECONDS
    body = "".join(f"  - layout: image\n    image: {'photo' if i % 2 else 'other'}.png\n" for i in range(8))
    (tmp_path / "more.yaml").write_text(f"title: More\nsize: 4096x4096\ncards:\n{body}", encoding="utf-8")
    refused = bounded("check", "more.yaml", cwd=tmp_path)  # one card more: refused before anything is decoded
    assert refused.code == 1 and "megapixels in all; at most 400 are allowed" in refused.stderr
    assert refused.seconds < SECONDS / 3


def test_a_hundred_cards_of_the_longest_links(tmp_path: Path) -> None:
    """Minutes before: each cut of a word looked at every glyph of it (quadratic in the word)."""
    cards = 100 if FULL else 20
    body = "".join(f"  - title: Ссылка {i + 1}\n    text: '{'a/' * 2490}'\n" for i in range(cards))
    (tmp_path / "links.yaml").write_text(f"title: Links\ncards:\n{body}", encoding="utf-8")
    run = bounded("check", "links.yaml", "-j", "1", cwd=tmp_path)
    report(f"check of {cards} cards of 5000-character links", run)
    assert run.code == 1 and "does not fit" in run.stderr  # far too long for a card: said, quickly
    assert "Traceback" not in run.stderr and run.peak_rss < ADDRESS_SPACE
    assert run.seconds < SECONDS
