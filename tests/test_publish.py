"""Publishing through the real command: --for (size, albums, caption), --format, --scale, import."""

import subprocess
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


def cardgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cardgen", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


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
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type/Page") >= 2 or b"/Count 2" in pdf
    bad = cardgen("render", "d.yaml", "--format", "gif", cwd=tmp_path)
    assert bad.returncode == 2 and "--format" in bad.stderr


def test_caption_is_typographed_next_to_the_slides(tmp_path):
    (tmp_path / "d.yaml").write_text('title: T\ncaption: Привет - это "пост"...\ncards:\n  - title: A\n',
                                     encoding="utf-8")
    assert cardgen("render", "d.yaml", cwd=tmp_path).returncode == 0
    assert (tmp_path / "out" / "d" / "caption.txt").read_text(encoding="utf-8") == "Привет\u00a0— это\u00a0«пост»…\n"


def test_too_long_caption_for_the_platform_is_an_error(tmp_path):
    long = "Слово " * 400
    (tmp_path / "d.yaml").write_text(f"title: T\nplatform: telegram\ncaption: {long}\ncards:\n  - title: A\n  - title: B\n",
                                     encoding="utf-8")
    result = cardgen("render", "d.yaml", cwd=tmp_path)
    assert result.returncode == 1 and "1024" in result.stderr


def test_import_a_post_and_render_it(tmp_path):
    post = ROOT.parent / "shared" / "content" / "photostocks-intro.txt"
    if not post.exists():
        post = tmp_path / "post.txt"
        post.write_text("Заголовок\n\nПервый абзац.\n\nВторой абзац.\n", encoding="utf-8")
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
    (tmp_path / "d.yaml").write_text(f"title: T\ncaption: {long}\ncards:\n  - title: A\n  - title: B\n", encoding="utf-8")
    assert cardgen("check", "d.yaml", cwd=tmp_path).returncode == 0
    result = cardgen("check", "d.yaml", "--for", "telegram", cwd=tmp_path)
    assert result.returncode == 1 and "1024" in result.stderr
    assert not (tmp_path / "out").exists()
