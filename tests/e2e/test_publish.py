"""Publishing through the real command: --for (size, albums, caption), --format, --scale, import."""

import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from batchkit import run_cli, run_process
from PIL import Image, PdfParser

from cardgen.publish.plan import Publish
from cardgen.run.pipeline import layout_deck

ROOT = Path(__file__).resolve().parents[2]


def cardgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd)  # in this process (see batchkit)


def cardgen_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_process(*args, cwd=cwd)


def test_a_23_card_deck_for_telegram_is_written_as_albums_with_captions(tmp_path):
    cards = "".join(f"  - title: Карточка {i}\n    text: Короткий текст.\n" for i in range(1, 24))
    (tmp_path / "big.yaml").write_text(f"title: T\ncaption: Подборка\ncards:\n{cards}", encoding="utf-8")
    result = cardgen("render", "big.yaml", "--for", "telegram", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out" / "big"
    albums = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert albums == ["album-1", "album-2", "album-3"]
    files = [sorted(p.name for p in (out / a).glob("*.png")) for a in albums]
    assert [len(f) for f in files] == [10, 10, 3]  # filled first: album 1 is 01…10
    assert files[1][0] == "11.png"  # numbering continues across albums
    assert (out / "album-2" / "caption.txt").read_text(encoding="utf-8").startswith("Часть 2 из\u00a03")
    with Image.open(out / "album-1" / "01.png") as slide:
        assert max(slide.size) == 1280  # what Telegram keeps without rescaling


def test_formats_jpeg_webp_pdf_and_scale(tmp_path):
    (tmp_path / "d.yaml").write_text("title: T\ncards:\n  - title: A\n  - title: B\n", encoding="utf-8")
    assert cardgen("render", "d.yaml", "--format", "jpeg", "-o", "j", cwd=tmp_path).returncode == 0
    with Image.open(tmp_path / "j" / "d" / "01.jpg") as jpeg:
        assert jpeg.format == "JPEG" and jpeg.mode == "RGB" and jpeg.info.get("icc_profile")
    assert cardgen("render", "d.yaml", "--format", "webp", "--scale", "2", "-o", "w", cwd=tmp_path).returncode == 0
    with Image.open(tmp_path / "w" / "d" / "02.webp") as webp:
        assert webp.size == (2160, 2700)
    as_pdf = cardgen("render", "d.yaml", "--format", "pdf", "-o", "p", cwd=tmp_path)
    assert as_pdf.returncode == 0
    assert "d.yaml: 1 PDF → " in as_pdf.stdout and "; 1 PDF;" in as_pdf.stdout  # one file, not "1 slide"
    pdf = (tmp_path / "p" / "d" / "d.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(PdfParser.PdfParser(buf=pdf).pages) == 2  # one page per card, exactly
    bad = cardgen("render", "d.yaml", "--format", "gif", cwd=tmp_path)
    assert bad.returncode == 2 and "--format" in bad.stderr


def test_caption_is_typographed_next_to_the_slides(tmp_path):
    (tmp_path / "d.yaml").write_text(
        'title: T\ncaption: Привет - это "пост"...\ncards:\n  - title: A\n', encoding="utf-8"
    )
    assert cardgen("render", "d.yaml", cwd=tmp_path).returncode == 0
    assert (tmp_path / "out" / "d" / "caption.txt").read_text(encoding="utf-8") == "Привет\u00a0— это «пост»…\n"


def test_too_long_caption_for_the_platform_is_an_error(tmp_path):
    long = "Слово " * 400
    (tmp_path / "d.yaml").write_text(
        f"title: T\nplatform: telegram\ncaption: {long}\ncards:\n  - title: A\n  - title: B\n", encoding="utf-8"
    )
    result = cardgen("render", "d.yaml", cwd=tmp_path)
    assert result.returncode == 1 and "1024" in result.stderr


def test_import_a_post_and_render_it(tmp_path):
    post = ROOT / "tests" / "fixtures" / "sample-posts" / "photostocks-intro.txt"  # a shared sample post, copied
    assert cardgen("import", str(post), "-o", "deck.yaml", cwd=tmp_path).returncode == 0
    rendered = cardgen("render", "deck.yaml", "--strict", cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    again = cardgen("import", str(post), "-o", "deck.yaml", cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr
    export = ROOT / "tests" / "fixtures" / "telegram" / "result.json"
    listing = cardgen("import", str(export), "--list", cwd=tmp_path)
    assert listing.returncode == 0 and "14" in listing.stdout
    assert cardgen("import", str(export), "--id", "14", "-o", "tg.yaml", cwd=tmp_path).returncode == 0
    assert cardgen("render", "tg.yaml", "--strict", cwd=tmp_path).returncode == 0


def test_check_applies_the_platform_limits(tmp_path):
    long = "Слово " * 400
    (tmp_path / "d.yaml").write_text(
        f"title: T\ncaption: {long}\ncards:\n  - title: A\n  - title: B\n", encoding="utf-8"
    )
    assert cardgen("check", "d.yaml", cwd=tmp_path).returncode == 0
    result = cardgen("check", "d.yaml", "--for", "telegram", cwd=tmp_path)
    assert result.returncode == 1 and "1024" in result.stderr
    assert not (tmp_path / "out").exists()


def big_deck(folder: Path, cards: int, *, extra: str = "") -> Path:
    body = "".join(f"  - title: Карточка {i}\n    text: Короткий текст.\n" for i in range(1, cards + 1))
    path = folder / "big.yaml"
    path.write_text(f"title: T\nsize: 400x500\ncaption: Подборка\n{extra}cards:\n{body}", encoding="utf-8")
    return path


@pytest.mark.parametrize(("platform", "ext", "word"), [("vk", "png", "posts"), ("instagram", "jpg", "carousels")])
def test_23_cards_for_vk_and_instagram_are_album_folders_with_continuous_counters(tmp_path, platform, ext, word):
    deck = big_deck(tmp_path, 23)
    result = cardgen("render", "big.yaml", "--for", platform, "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [report] = json.loads(result.stdout)["decks"]
    expected = [f"album-{1 + (i - 1) // 10}/{i:02d}.{ext}" for i in range(1, 24)]  # 10 + 10 + 3
    assert [Path(s).relative_to("out/big").as_posix() for s in report["slides"]] == expected
    out = tmp_path / "out" / "big"
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    texts = ["caption.txt", "alt.txt"] if platform == "instagram" else ["caption.txt"]  # Instagram takes alt text
    assert on_disk == sorted([*expected, *(f"album-{i}/{name}" for i in (1, 2, 3) for name in texts)])
    [split] = report["warnings"]
    assert f"split into 3 {word} (10 + 10 + 3)" in split["message"] and split["file"] == str(deck)
    # The page counter on slide N says N/23, so album-2/11 shows "11/23": names and counters agree.
    laid = layout_deck(deck, publish=Publish(platform=platform))
    counters = [box.lines[0].text for page in laid.pages for box in page.text_boxes() if box.field == "chrome.counter"]
    assert counters == [f"{i}/23" for i in range(1, 24)]


def test_platform_problems_from_for_point_at_the_deck_and_its_caption_line(tmp_path):
    long = "Слово " * 400
    (tmp_path / "d.yaml").write_text(f"title: T\ncards:\n  - title: A\ncaption: {long}\n", encoding="utf-8")
    checked = cardgen("check", "d.yaml", "--for", "telegram", "--json", cwd=tmp_path)
    [error] = json.loads(checked.stdout)["decks"][0]["errors"]
    assert (error["file"], error["line"]) == (str(tmp_path / "d.yaml"), 4)
    assert "d.yaml:4:1: error: caption is 2399 characters; Telegram allows 1024" in checked.stderr
    rendered = cardgen("render", "d.yaml", "--for", "telegram", cwd=tmp_path)
    assert rendered.returncode == 1 and "d.yaml:4:1: error: caption is" in rendered.stderr
    (tmp_path / "one.yaml").write_text("title: T\ncards:\n  - title: A\n", encoding="utf-8")
    one = cardgen("check", "one.yaml", "--for", "telegram", "--json", cwd=tmp_path)
    [warning] = json.loads(one.stdout)["decks"][0]["warnings"]
    assert warning["file"] == str(tmp_path / "one.yaml") and "posted as a single photo" in warning["message"]
    assert "one.yaml: warning: Telegram albums hold" in one.stderr


def test_slides_over_the_platforms_file_size_fail_the_deck_and_keep_the_previous_slides(tmp_path):
    noise = Image.frombytes("RGB", (2048, 2560), os.urandom(2048 * 2560 * 3))  # a photo no encoder can shrink
    noise.save(tmp_path / "noise.png", compress_level=0)
    (tmp_path / "d.yaml").write_text(
        "title: T\ncards:\n  - layout: image\n    image: noise.png\n    title: Шум\n  - title: Текст\n",
        encoding="utf-8",
    )
    first = cardgen("render", "d.yaml", "--for", "telegram", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    out = tmp_path / "out" / "d"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    big = cardgen("render", "d.yaml", "--for", "telegram", "--scale", "2", "--json", cwd=tmp_path)
    assert big.returncode == 1
    [error] = json.loads(big.stdout)["decks"][0]["errors"]
    assert error["file"] == str(tmp_path / "d.yaml")
    assert error["message"].startswith("slide 01.png is 1")  # ~15 MB of noise at 2048×2560
    assert "Telegram allows 10 MB per photo: use --format jpeg, render without --scale 2" in error["message"]
    assert "d.yaml: error: slide 01.png is" in big.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # the previous slides, whole


def test_webp_is_lossless_unless_a_quality_is_given(tmp_path):
    (tmp_path / "d.yaml").write_text(
        "title: T\nsize: 400x500\ncards:\n  - title: A\n    text: Текст.\n", encoding="utf-8"
    )
    for folder, extra in (
        ("png", ()),
        ("webp", ("--format", "webp")),
        ("q60", ("--format", "webp", "--quality", "60")),
        ("q90", ("--format", "webp", "--quality", "90")),
    ):
        assert cardgen("render", "d.yaml", "-o", folder, *extra, cwd=tmp_path).returncode == 0
    png = Image.open(tmp_path / "png" / "d" / "01.png").convert("RGB").tobytes()
    lossless = (tmp_path / "webp" / "d" / "01.webp").read_bytes()
    q60, q90 = ((tmp_path / q / "d" / "01.webp").read_bytes() for q in ("q60", "q90"))
    assert Image.open(io.BytesIO(lossless)).convert("RGB").tobytes() == png  # exact pixels by default
    assert len({lossless, q60, q90}) == 3 and len(q60) < len(q90)  # --quality takes effect
    assert Image.open(io.BytesIO(q60)).convert("RGB").tobytes() != png  # lossy


def test_instagram_takes_a_191_to_1_size_rounded_to_its_width(tmp_path):
    """--size 1910x1000 is 1.91:1; Instagram's 1080 px width rounds it to 1080×565 (1.9115:1),
    which the aspect check takes: it is within a pixel of the range."""
    (tmp_path / "d.yaml").write_text("title: T\ncards:\n  - title: A\n  - title: B\n", encoding="utf-8")
    result = cardgen("render", "d.yaml", "--for", "instagram", "--size", "1910x1000", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with Image.open(tmp_path / "out" / "d" / "01.jpg") as slide:
        assert slide.size == (1080, 565)


def test_a_canvas_the_platform_shrinks_below_the_smallest_side_says_what_to_do(tmp_path):
    (tmp_path / "d.yaml").write_text("title: T\ncards:\n  - title: A\n", encoding="utf-8")
    result = cardgen("check", "d.yaml", "--for", "telegram", "--size", "2000x400", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        "--for: each side must be 320–4096 px; found 1280x256: Telegram keeps slides within 1280 px, so "
        "2000×400 (5:1) shrinks to 1280×256; use a size of at most 4:1 (such as 2000x500), or a card size "
        "such as portrait (1080x1350) or square"
    ) in result.stderr
    scaled = cardgen("render", "d.yaml", "--scale", "2", "--size", "4000x800", cwd=tmp_path)
    assert (
        "error: --scale 2: each side must be 320–4096 px; found 8000x1600: use a smaller size or render "
        "without --scale 2" in scaled.stderr
    )


def test_scale_2_for_instagram_is_not_silently_ignored(tmp_path):
    """Instagram stores slides 1080 px wide: --scale 2 cannot make them larger, and says so."""
    (tmp_path / "d.yaml").write_text("title: T\ncards:\n  - title: A\n  - title: B\n", encoding="utf-8")
    result = cardgen("render", "d.yaml", "--for", "instagram", "--scale", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        "d.yaml: warning: --scale 2 changes nothing here: Instagram stores slides 1080 px wide, so the "
        "slides stay 1080×1350; render without --scale"
    ) in result.stderr
    with Image.open(tmp_path / "out" / "d" / "01.jpg") as slide:
        assert slide.size == (1080, 1350)
    assert (
        cardgen(
            "render", "d.yaml", "--for", "instagram", "--scale", "2", "--strict", "-o", "strict", cwd=tmp_path
        ).returncode
        == 1
    )
    telegram = cardgen("render", "d.yaml", "--for", "telegram", "--scale", "2", "-o", "tg", cwd=tmp_path)
    assert "changes nothing" not in telegram.stderr  # 2048×2560 there
