"""Which files in a deck's folder are cardgen's, through the real command: album folders are
recorded by their path (stale ones go, a split deck is skipped when unchanged), and without
cardgen's cache only files that carry cardgen's mark are removed or replaced."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from batchkit import age, cardgen_json, listing
from PIL import Image

from cardgen.run import manifest
from cardgen.output.formats import encode_png
from cardgen.output.formats import encode, pdf_bytes
from cardgen.output.marks import is_marked


def write(path: Path, cards: int, *, caption: bool = False) -> Path:
    body = "".join(f"  - title: Карточка {i}\n    text: Текст {i}.\n" for i in range(1, cards + 1))
    head = "title: T\nsize: 400x500\n" + ("caption: Подборка\n" if caption else "")
    path.write_text(f"{head}cards:\n{body}", encoding="utf-8")
    age(path)  # an input saved during the render is not vouched for by a manifest
    return path


def render(cwd: Path, *args: str) -> tuple[int, dict, str]:
    code, doc, stderr = cardgen_json("render", "d.yaml", *args, cwd=cwd)
    [deck] = doc["decks"]
    return code, deck, stderr


def forget(cwd: Path) -> None:
    """A cleared cache, a fresh CI runner, a moved project: no manifest for the folder."""
    shutil.rmtree(cwd / ".cardgen-cache")


def users_png() -> bytes:
    """A real PNG, as the user's own editor would save it: no cardgen mark."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(buffer, "PNG")
    return buffer.getvalue()


def flat(n: int, ext: str = "png") -> list[str]:
    return [f"{i:02d}.{ext}" for i in range(1, n + 1)]


ALBUMS_23 = [f"album-{1 + (i - 1) // 10}/{i:02d}.png" for i in range(1, 24)]


# --- album folders ------------------------------------------------------------------------------


@pytest.mark.parametrize("cache", ["kept", "cleared"])
def test_a_split_deck_that_shrinks_leaves_no_album_folders(tmp_path: Path, cache: str) -> None:
    write(tmp_path / "d.yaml", 23, caption=True)
    assert render(tmp_path, "--for", "telegram")[0] == 0
    out = tmp_path / "out" / "d"
    assert [n for n in listing(out) if n.endswith(".png")] == ALBUMS_23
    (out / "album-2" / "notes.txt").write_text("mine", encoding="utf-8")
    if cache == "cleared":
        forget(tmp_path)
    write(tmp_path / "d.yaml", 6, caption=True)
    code, _, stderr = render(tmp_path, "--for", "telegram")
    assert code == 0, stderr
    assert listing(out) == [*flat(6), "album-2/notes.txt", "caption.txt"]  # the user's note stays where it was


@pytest.mark.parametrize(
    ("then", "left"), [((), [*flat(23), "caption.txt"]), (("--for", "linkedin"), ["alt.txt", "caption.txt", "d.pdf"])]
)
def test_leaving_telegram_removes_its_album_folders(tmp_path: Path, then: tuple[str, ...], left: list[str]) -> None:
    write(tmp_path / "d.yaml", 23, caption=True)
    assert render(tmp_path, "--for", "telegram")[0] == 0
    code, _, stderr = render(tmp_path, *then)
    assert code == 0, stderr
    assert listing(tmp_path / "out" / "d") == left


def test_an_unchanged_split_deck_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "d.yaml", 23, caption=True)
    assert render(tmp_path, "--for", "telegram")[1]["status"] == "rendered"
    _, again, _ = render(tmp_path, "--for", "telegram")
    assert again["status"] == "skipped"
    assert [Path(s).relative_to("out/d").as_posix() for s in again["slides"]] == ALBUMS_23
    (tmp_path / "out" / "d" / "album-3" / "caption.txt").unlink()  # a caption deleted by hand is written again
    assert render(tmp_path, "--for", "telegram")[1]["status"] == "rendered"
    assert (tmp_path / "out" / "d" / "album-3" / "caption.txt").is_file()


def test_a_manifest_of_the_first_format_still_owns_album_slides_and_captions() -> None:
    old = {"stamp": {"format": 1}, "slides": [{"name": "01.png"}, {"name": "11.png"}]}
    owned = manifest.owned_slides(old)
    assert {"01.png", "album-1/01.png", "album-2/11.png", "caption.txt", "album-2/caption.txt"} <= owned
    new = {"stamp": {"format": 2}, "slides": [{"name": "album-2/11.png"}], "extras": [{"name": "album-2/caption.txt"}]}
    assert manifest.owned_slides(new) == {"album-2/11.png", "album-2/caption.txt"}


# --- ownership without the cache ----------------------------------------------------------------


def test_without_the_cache_only_marked_slides_are_removed(tmp_path: Path) -> None:
    write(tmp_path / "d.yaml", 4)
    assert render(tmp_path)[0] == 0
    out = tmp_path / "out" / "d"
    (out / "99.png").write_bytes(users_png())
    (out / "05.png").write_bytes(b"not even a picture")
    forget(tmp_path)
    write(tmp_path / "d.yaml", 2)
    code, _, stderr = render(tmp_path)
    assert code == 0, stderr
    assert listing(out) == ["01.png", "02.png", "05.png", "99.png"]
    assert (out / "99.png").read_bytes() == users_png()


@pytest.mark.parametrize("cache", ["kept", "cleared"])
def test_a_users_file_where_a_slide_goes_is_an_error_and_is_kept(tmp_path: Path, cache: str) -> None:
    write(tmp_path / "d.yaml", 2)
    assert render(tmp_path)[0] == 0
    out = tmp_path / "out" / "d"
    before = {name: (out / name).read_bytes() for name in listing(out)}
    (out / "03.png").write_bytes(users_png())
    if cache == "cleared":
        forget(tmp_path)
    write(tmp_path / "d.yaml", 4)
    code, deck, stderr = render(tmp_path)
    assert code == 1 and deck["status"] == "failed"
    [error] = deck["errors"]
    assert error["file"] == str(out / "03.png") and "not written by cardgen" in error["message"]
    assert "out/d/03.png: error: this file was not written by cardgen" in stderr
    assert (out / "03.png").read_bytes() == users_png()  # never overwritten
    assert {name: (out / name).read_bytes() for name in before} == before and not (out / "04.png").exists()


def test_a_users_picture_saved_over_a_slide_stays_when_the_deck_shrinks(tmp_path: Path) -> None:
    """The manifest lists 04.png, but the file there now is the user's (no mark, another size and
    time): it is not cardgen's to delete."""
    write(tmp_path / "d.yaml", 4)
    assert render(tmp_path)[0] == 0
    out = tmp_path / "out" / "d"
    (out / "04.png").write_bytes(users_png())
    write(tmp_path / "d.yaml", 2)
    code, _, stderr = render(tmp_path)
    assert code == 0, stderr
    assert listing(out) == ["01.png", "02.png", "04.png"]
    assert (out / "04.png").read_bytes() == users_png()


def test_a_users_caption_file_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out" / "d"
    out.mkdir(parents=True)
    (out / "caption.txt").write_text("my own caption", encoding="utf-8")
    write(tmp_path / "d.yaml", 2, caption=True)
    code, deck, _ = render(tmp_path)  # no cache, no slide of cardgen's beside it: the user's file
    assert code == 1 and deck["errors"][0]["file"] == str(out / "caption.txt")
    assert listing(out) == ["caption.txt"] and (out / "caption.txt").read_text(encoding="utf-8") == "my own caption"
    write(tmp_path / "d.yaml", 2)
    assert render(tmp_path)[0] == 0  # a deck without a caption leaves it alone
    assert listing(out) == ["01.png", "02.png", "caption.txt"]
    write(tmp_path / "d.yaml", 2, caption=True)
    assert render(tmp_path)[0] == 1  # the manifest does not list it: still the user's
    assert (out / "caption.txt").read_text(encoding="utf-8") == "my own caption"


def test_every_format_carries_the_mark(tmp_path: Path) -> None:
    image = Image.new("RGB", (40, 50), (200, 30, 30))
    files = {
        "01.png": encode_png(image),
        "02.jpg": encode(image, "jpeg"),
        "03.webp": encode(image, "webp"),
        "04.webp": encode(image, "webp", quality=60),
        "d.pdf": pdf_bytes([image, image]),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        assert is_marked(tmp_path / name), name
    for name, fmt in (("u.png", "PNG"), ("u.jpg", "JPEG"), ("u.webp", "WEBP"), ("u.pdf", "PDF")):
        image.save(tmp_path / name, fmt)
        assert not is_marked(tmp_path / name), name
    (tmp_path / "link.png").symlink_to(tmp_path / "01.png")
    assert not is_marked(tmp_path / "link.png")  # a link is never taken for cardgen's file
