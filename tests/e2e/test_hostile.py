"""Hostile and broken input: the corpus in tests/hostile/ through the command line, then the
limits, path rules, lying images and fonts one by one, in process.

The corpus (tests/hostile/cases.yaml) runs `cardgen render DECK -o out` in a temporary copy of
tests/hostile/ for each case (in this process through `batchkit.run_cli`; the cases marked
`process: true` through the real `python -m cardgen`) and checks the exit code, a fragment of stderr, that no
traceback is printed and that nothing is half-written. Output safety (atomic swap, Ctrl-C,
concurrent writers, stem sanitising) is in tests/e2e/test_output_safety.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from batchkit import age, run_cli, run_process
import yaml
from PIL import Image

from cardgen.load.deck import load_deck
from cardgen.model.problems import AssetError, CardgenError, FontError
from cardgen.model.limits import DEFAULT_LIMITS, Limits
from cardgen.paint.pictures import load_image
from cardgen.load.reader import parse_yaml

HOSTILE = Path(__file__).resolve().parents[1] / "hostile"
CASES: list[dict[str, Any]] = yaml.safe_load((HOSTILE / "cases.yaml").read_text(encoding="utf-8"))
USER_ERROR = 1  # the documented exit codes: 0 success, 1 user error, 130 interrupted


# --- setup steps named by `make:` in cases.yaml ---------------------------------------------


def make_big_file(project: Path, case: dict[str, Any]) -> None:
    (project / case["deck"]).write_bytes(b"title: big\n#" + b"x" * (2_000_000 - 13) + b"\n")


def make_symlink_outside(project: Path, case: dict[str, Any]) -> None:
    outside = project.parent / "outside.png"
    Image.new("RGB", (8, 8), (0, 0, 0)).save(outside)
    (project / "assets" / "link.png").symlink_to(outside)


def make_copy_simple(project: Path, case: dict[str, Any]) -> None:
    shutil.copy(project / "simple.yaml", project / case["deck"])


def make_outside_theme(project: Path, case: dict[str, Any]) -> None:
    (project.parent / "outside-theme.yaml").write_text("extends: default\n", encoding="utf-8")


def make_fifo(project: Path, case: dict[str, Any]) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    os.mkfifo(project / case["deck"])  # nobody ever writes to it: a blocking open() would hang


def make_theme_symlink_outside(project: Path, case: dict[str, Any]) -> None:
    make_outside_theme(project, case)
    (project / "themes" / "linked.yaml").symlink_to(project.parent / "outside-theme.yaml")


def make_non_utf8_names(project: Path, case: dict[str, Any]) -> None:
    """names/\\xff.yaml and names/Пост.yaml in Windows-1251: file names that are not UTF-8."""
    folder = project / "names"
    folder.mkdir()
    for name in (b"\xff.yaml", "Пост.yaml".encode("cp1251")):
        shutil.copy(project / "simple.yaml", os.path.join(os.fsencode(folder), name))


def make_tall_png(project: Path, case: dict[str, Any]) -> None:
    """A 1×40 000 000 PNG: 40 MP, within the pixel limit, 150 KB on disk."""
    import zlib

    sys.path.insert(0, str(HOSTILE))
    try:
        from make_assets import png
    finally:
        sys.path.pop(0)
    packer = zlib.compressobj(9)
    rows = packer.compress(b"\x00\x80\x20\x20" * 40_000_000) + packer.flush()
    (project / "assets" / "tall.png").write_bytes(png(1, 40_000_000, idat=rows))


def make_long_hint(project: Path, case: dict[str, Any]) -> None:
    hint = "Листайте " * 50_000  # 450 000 characters
    (project / "themes" / "long-hint.yaml").write_text(
        f"extends: default\nswipe_hint:\n  text: {{ru: '{hint}'}}\n", encoding="utf-8"
    )


def make_long_url(project: Path, case: dict[str, Any]) -> None:
    url = "https://example.com/" + "/".join(["путь"] * 8000)  # 40 000 characters, a break after every "/"
    (project / case["deck"]).write_text(
        f"title: A long link\ncards:\n  - layout: link\n    title: Ссылка\n"
        f"    url: '{url}'\n  - title: Текст\n    url: '{url}'\n",
        encoding="utf-8",
    )


def make_glob_links(project: Path, case: dict[str, Any]) -> None:
    """globs/real/a.yaml; globs/away: a link to a folder of decks outside; globs/real/loop: a link loop."""
    (project / "globs" / "real").mkdir(parents=True)
    shutil.copy(project / "simple.yaml", project / "globs" / "real" / "a.yaml")
    (project.parent / "outside-decks").mkdir()
    shutil.copy(project / "simple.yaml", project.parent / "outside-decks" / "b.yaml")
    (project / "globs" / "away").symlink_to(project.parent / "outside-decks")
    (project / "globs" / "real" / "loop").symlink_to(project / "globs")


def make_deck_link_outside(project: Path, case: dict[str, Any]) -> None:
    (project.parent / "secret.yaml").write_text("root:x:0:0:SECRET-FIRST-LINE\ncards: x\n", encoding="utf-8")
    (project / case["deck"]).symlink_to(project.parent / "secret.yaml")


def make_qr_batch(project: Path, case: dict[str, Any]) -> None:
    (project / "qr-batch").mkdir()
    shutil.copy(project / "qr-too-long.yaml", project / "qr-batch" / "long-link.yaml")
    shutil.copy(project / "simple.yaml", project / "qr-batch" / "simple.yaml")


def make_report_link(project: Path, case: dict[str, Any]) -> None:
    (project.parent / "victim.txt").write_text("precious", encoding="utf-8")
    (project / "report.json").symlink_to(project.parent / "victim.txt")


def make_deep_export(project: Path, case: dict[str, Any]) -> None:
    text = '{"messages": [{"id": 1, "type": "message", "text": ' + "[" * 100_000 + "]" * 100_000 + "}]}"
    (project / case["deck"]).write_text(text, encoding="utf-8")


def make_odd_export(project: Path, case: dict[str, Any]) -> None:
    """A post whose first line holds a NUL, an escape and a bidi override; a post with a 5000-digit id."""
    posts = (
        '[{"id": 12, "type": "message", "date": "2024-03-05T10:15:00", "text": "Hello\\u0000 \\u001b[31m '
        'evil \\u202e txt.exe"}, {"id": ' + "9" * 5000 + ', "type": "message", "text": "huge id"}]'
    )
    (project / case["deck"]).write_text('{"messages": ' + posts + "}", encoding="utf-8")


MAKERS = {
    "big_file": make_big_file,
    "symlink_outside": make_symlink_outside,
    "copy_simple": make_copy_simple,
    "outside_theme": make_outside_theme,
    "fifo": make_fifo,
    "theme_symlink_outside": make_theme_symlink_outside,
    "non_utf8_names": make_non_utf8_names,
    "tall_png": make_tall_png,
    "long_hint": make_long_hint,
    "long_url": make_long_url,
    "glob_links": make_glob_links,
    "deck_link_outside": make_deck_link_outside,
    "qr_batch": make_qr_batch,
    "report_link": make_report_link,
    "deep_export": make_deep_export,
    "odd_export": make_odd_export,
}


def cardgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd, env={"PYTHONUTF8": "1"}, errors="replace")  # in this process (see batchkit)


def cardgen_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_process(*args, cwd=cwd, env={"PYTHONUTF8": "1"}, errors="replace", timeout=120)


def _listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def _case_id(case: dict[str, Any]) -> str:
    return case["deck"].removesuffix(".yaml").encode("unicode_escape").decode("ascii")


def _marks(case: dict[str, Any]) -> list[pytest.MarkDecorator]:
    return [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []


def _case_key(case: dict[str, Any]) -> tuple[str, ...]:
    return (case.get("command", "render"), case["deck"], *case.get("args", []))


def test_the_corpus_has_at_least_25_cases() -> None:
    assert len(CASES) >= 25
    assert len({_case_key(case) for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", [pytest.param(c, id=_case_id(c), marks=_marks(c)) for c in CASES])
def test_hostile_case(case: dict[str, Any], tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(HOSTILE, project, ignore=shutil.ignore_patterns("__pycache__", "*.py", "out"))
    if case.get("make"):
        MAKERS[case["make"]](project, case)
    around = _listing(tmp_path)
    command = case.get("command", "render")
    out_option = ["-o", case.get("out", "out")] if command == "render" else []
    started = time.perf_counter()
    run = cardgen_process if case.get("process") else cardgen
    result = run(command, case["deck"], *out_option, *case.get("args", []), cwd=project)
    seconds = time.perf_counter() - started

    assert result.returncode == case["exit"], result.stderr
    assert "Traceback" not in result.stderr
    assert case.get("stderr", "") in result.stderr
    assert case.get("stdout", "") in result.stdout, result.stdout
    if case.get("not_stderr"):  # what must never be shown (the contents of a file a link points at)
        assert case["not_stderr"] not in result.stderr + result.stdout
    if case.get("json"):  # the one document, whatever failed
        assert json.loads(result.stdout)["exit_code"] == case["exit"]
    if case.get("seconds"):
        assert seconds < case["seconds"], seconds
    if case["exit"] != 0:
        assert all(re.match(r"(\S[^\n]*?: )?error: ", line) for line in result.stderr.splitlines()), result.stderr
        assert len(result.stderr.splitlines()) == case.get("lines", 1), result.stderr
    # Nothing written outside out/, nothing half-written inside it.
    created = _listing(tmp_path) - around
    assert all(path.startswith("project/out") for path in created), created
    out = project / "out"
    hidden = [p for p in out.rglob(".*")] if out.exists() else []
    assert hidden == [], hidden
    folders = [case["slides"]] if isinstance(case.get("slides"), str) else case.get("slides", [])
    assert folders or case["exit"] != 0 or command != "render", "a rendering case names its slides folders"
    for folder in folders:
        slides = sorted(p.name for p in (out / folder).iterdir())
        assert slides and all(name.endswith(".png") for name in slides)
    if folders:
        assert sorted(p.name for p in out.iterdir()) == sorted(folders)
    else:
        assert not out.exists() or list(out.iterdir()) == []


# --- YAML limits, in process -----------------------------------------------------------------


def test_billion_laughs_fails_fast_with_little_memory() -> None:
    text = (HOSTILE / "billion-laughs.yaml").read_text(encoding="utf-8")
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(CardgenError, match="expands to more than"):
        parse_yaml(text, Path("laughs.yaml"))
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 2.0
    assert peak < 64 * 1024 * 1024


def test_billion_laughs_fails_fast_even_at_the_highest_node_limit() -> None:
    from cardgen.model.limits import CEILINGS, with_overrides

    text = (HOSTILE / "billion-laughs.yaml").read_text(encoding="utf-8")
    highest = with_overrides([f"yaml_nodes={CEILINGS['yaml_nodes']}"])
    started = time.perf_counter()
    with pytest.raises(CardgenError, match=f"expands to more than {CEILINGS['yaml_nodes']} values"):
        parse_yaml(text, Path("laughs.yaml"), limits=highest)
    assert time.perf_counter() - started < 15  # ~1-3 s; 46 s when the ceiling was 10 000 000
    with pytest.raises(ValueError, match="expected 1–1000000"):
        with_overrides(["yaml_nodes=1000001"])


@pytest.mark.parametrize(
    ("text", "limits", "fragment"),
    [
        ("a: " + "[" * 10 + "]" * 10, Limits(yaml_depth=5), "nested more than 5 levels"),
        ("a: [1, 2, 3, 4, 5]", Limits(yaml_nodes=4), "more than 4 values"),
        ("d: 2024-13-45\n", DEFAULT_LIMITS, None),  # an impossible date stays text, it does not crash
        ("t: !!float abc\n", DEFAULT_LIMITS, 't: invalid value: expected a number after !!float, found "abc"'),
        ("t: !!int abc\n", DEFAULT_LIMITS, 't: invalid value: expected a whole number after !!int, found "abc"'),
        ("t: !!bool maybe\n", DEFAULT_LIMITS, 't: invalid value: expected true or false after !!bool, found "maybe"'),
        ("t: !foo bar\n", DEFAULT_LIMITS, 't: invalid value: unknown tag "!foo"'),
        ("? [a, b]\n: c\n", DEFAULT_LIMITS, "expected a text key"),
        ("a: 1\n---\nb: 2\n", DEFAULT_LIMITS, "expected a single document"),
    ],
)
def test_yaml_limits_and_odd_values(text: str, limits: Limits, fragment: str | None) -> None:
    if fragment is None:
        assert parse_yaml(text, Path("d.yaml"), limits=limits).data == {"d": "2024-13-45"}
        return
    with pytest.raises(CardgenError, match=fragment.replace("[", r"\[")):
        parse_yaml(text, Path("d.yaml"), limits=limits)


def test_file_size_limit_is_configurable_and_reads_no_more(write) -> None:
    path = write("d.yaml", "title: x\ncards:\n  - title: a\n")
    with pytest.raises(CardgenError, match="at most 10 are allowed"):
        load_deck(path, limits=Limits(yaml_bytes=10))


@pytest.mark.parametrize(
    ("text", "limits", "fragment"),
    [
        ("title: x\ncards:\n  - title: a\n  - title: b\n  - title: c\n", Limits(cards=2), "3 cards; at most 2"),
        (
            "title: x\ncards:\n  - items: [a, b, c]\n",
            Limits(list_items=2),
            "cards[0].items (card 1): the list has 3 items",
        ),
        ("title: x\ncards:\n  - title: abcdefghijk\n", Limits(field_chars=10), "11 characters long; at most 10"),
        ("title: x\nsize: 5000x5000\ncards:\n  - title: a\n", Limits(canvas_side=4000), "320–4000 px"),
    ],
)
def test_deck_limits_are_configurable(write, text: str, limits: Limits, fragment: str) -> None:
    with pytest.raises(CardgenError, match=fragment.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        load_deck(write("d.yaml", text), limits=limits)


def test_a_larger_canvas_is_allowed_when_the_limit_is_raised(write) -> None:
    deck = load_deck(
        write("d.yaml", "title: x\nsize: 5000x5000\ncards:\n  - title: a\n"),
        limits=replace(DEFAULT_LIMITS, canvas_side=6000),
    )
    assert deck.canvas == (5000, 5000)


@pytest.mark.parametrize(
    ("card", "fragment"),
    [
        ("number: true", "cards[0].number (card 1): expected a whole number or text, found true"),
        ("number: .nan", "cards[0].number (card 1): expected a whole number or text, found .nan (not a number)"),
        ("number: -.inf", "found -.inf (infinity)"),
        ("qr: 1", "cards[0].qr (card 1): expected true or false, found the number 1"),
        ("qr: 'yes'", 'cards[0].qr (card 1): expected true or false, found the text "yes"'),
    ],
)
def test_booleans_are_no_numbers_and_numbers_no_booleans(write, card: str, fragment: str) -> None:
    with pytest.raises(CardgenError) as info:
        load_deck(write("d.yaml", f"title: x\ncards:\n  - layout: link\n    title: a\n    {card}\n"))
    assert fragment in str(info.value) and "nput should" not in str(info.value)
    deck = load_deck(write("d.yaml", "title: x\ncards:\n  - {layout: link, number: 3, qr: false}\n"))
    assert deck.cards[0].number == 3


def test_reserved_model_fields_are_unknown_keys(write) -> None:
    with pytest.raises(CardgenError, match='unknown key "path"'):
        load_deck(write("d.yaml", "title: x\npath: /etc\ncards:\n  - title: a\n"))


# --- paths ------------------------------------------------------------------------------------


@pytest.fixture
def photo_project(tmp_path: Path) -> Path:
    """tmp/project/deck folder with assets/photo.png, and tmp/project/shared/logo.png above it."""
    deck_dir = tmp_path / "project" / "decks"
    (deck_dir / "assets").mkdir(parents=True)
    (tmp_path / "project" / "shared").mkdir()
    Image.new("RGB", (8, 8)).save(deck_dir / "assets" / "photo.png")
    Image.new("RGB", (8, 8)).save(tmp_path / "project" / "shared" / "logo.png")
    return deck_dir


def _deck_with_image(folder: Path, image: str) -> Path:
    path = folder / "deck.yaml"
    path.write_text(f"title: x\ncards:\n  - title: a\n    image: '{image}'\n", encoding="utf-8")
    return path


def test_paths_resolve_against_the_deck_folder(photo_project: Path, monkeypatch) -> None:
    monkeypatch.chdir(photo_project.parent)  # the working directory does not matter
    deck = load_deck(_deck_with_image(photo_project, "assets/photo.png"))
    assert deck.cards[0].image == photo_project / "assets" / "photo.png"


def test_leaving_the_root_is_refused_then_allowed_by_root_or_flag(photo_project: Path) -> None:
    path = _deck_with_image(photo_project, "../shared/logo.png")
    with pytest.raises(CardgenError, match=r"outside the project root .*--allow-outside-paths"):
        load_deck(path)
    logo = photo_project.parent / "shared" / "logo.png"
    assert load_deck(path, root=photo_project.parent).cards[0].image == logo
    assert load_deck(path, allow_outside=True).cards[0].image == logo


def test_absolute_paths_need_the_flag(photo_project: Path) -> None:
    logo = photo_project.parent / "shared" / "logo.png"
    path = _deck_with_image(photo_project, str(logo))
    with pytest.raises(CardgenError, match="absolute paths are not allowed"):
        load_deck(path, root=photo_project.parent)  # even inside the root: decks must stay movable
    assert load_deck(path, allow_outside=True).cards[0].image == logo


def test_symbolic_links_are_resolved_before_the_check(photo_project: Path) -> None:
    (photo_project / "assets" / "inside.png").symlink_to(photo_project / "assets" / "photo.png")
    (photo_project / "assets" / "loop.png").symlink_to(photo_project / "assets" / "loop.png")
    deck = load_deck(_deck_with_image(photo_project, "assets/inside.png"))
    assert deck.cards[0].image == photo_project / "assets" / "photo.png"
    with pytest.raises(CardgenError, match=r"cannot resolve|not found"):
        load_deck(_deck_with_image(photo_project, "assets/loop.png"))


@pytest.mark.parametrize(
    ("image", "fragment"),
    [
        ("assets/photo.txt", "expected an image file"),
        ("assets", "expected an image file"),
        ("assets/none.png", "image not found"),
        ("a\x00b.png", "NUL character"),
        ("x" * 300 + ".png", "image not found"),  # longer than a file name may be
    ],
)
def test_bad_image_paths_are_located_errors(photo_project: Path, image: str, fragment: str) -> None:
    path = photo_project / "deck.yaml"
    path.write_text(yaml.safe_dump({"title": "x", "cards": [{"title": "a", "image": image}]}), encoding="utf-8")
    with pytest.raises(CardgenError, match=fragment) as info:
        load_deck(path)
    assert "deck.yaml:" in str(info.value) and "cards[0].image (card 1)" in str(info.value)
    assert len(str(info.value)) < 400  # a 300-character name is shortened in the message


# --- images that lie, in process --------------------------------------------------------------


def test_animated_images_use_their_first_frame() -> None:
    for name in ("animated-gif.png", "animated.png"):
        image = load_image(HOSTILE / "assets" / name)
        assert image.mode == "RGB"
        assert image.getpixel((5, 5)) == pytest.approx((220, 30, 30), abs=6)


def test_odd_modes_become_rgb() -> None:
    assert load_image(HOSTILE / "assets" / "cmyk.jpg").getpixel((5, 5))[0] > 200  # CMYK red stays red
    assert load_image(HOSTILE / "assets" / "gray16.png").getpixel((5, 5)) == (156, 156, 156)  # 40000/256


def test_palette_gray_alpha_and_bilevel_images(tmp_path: Path) -> None:
    """Every mode decodes to 8-bit RGB, or RGBA when some pixel is not opaque: transparency is
    kept (it shows what is behind the picture, see tests/paint/test_transparency.py)."""
    for mode, value, want in (
        ("LA", (90, 200), "RGBA"),
        ("P", 3, "RGBA"),  # its one colour is the transparent one
        ("1", 1, "RGB"),
        ("RGBA", (1, 2, 3, 0), "RGBA"),
        ("RGBA", (1, 2, 3, 255), "RGB"),  # an alpha channel opaque everywhere: an opaque picture
        ("L", 7, "RGB"),
    ):
        path = tmp_path / f"{mode}-{want}.png"
        extra = {"transparency": 3} if mode == "P" else {}
        image = Image.new(mode, (4, 4), value)
        if mode == "P":
            image.putpalette([0, 0, 0, 50, 50, 50, 100, 100, 100, 200, 0, 0])  # four colours: index 3 is kept
        image.save(path, **extra)
        assert load_image(path).mode == want, (mode, value)


def test_pixel_limits_pillow_guard_and_our_own(tmp_path: Path) -> None:
    sys.path.insert(0, str(HOSTILE))
    try:
        from make_assets import png
    finally:
        sys.path.pop(0)
    import zlib

    mid = tmp_path / "mid.png"  # 49 MP: above our 40 MP, below Pillow's hard 2× limit (a warning)
    mid.write_bytes(png(7000, 7000, idat=zlib.compress(b"\x00" * 64)))
    with pytest.raises(AssetError, match="decompression bomb"):
        load_image(mid)
    small = tmp_path / "small.png"
    small.write_bytes(png(20, 20))
    with pytest.raises(AssetError, match="20×20 = 400 pixels; at most 100"):
        load_image(small, Limits(image_pixels=100))
    with pytest.raises(AssetError, match="larger than 50 bytes"):
        load_image(small, Limits(image_bytes=50))


def test_a_raised_limit_does_not_reserve_its_size_for_a_small_file(tmp_path: Path) -> None:
    from cardgen.load.reader import read_yaml

    picture, deck = tmp_path / "p.png", tmp_path / "d.yaml"
    Image.new("RGB", (8, 8)).save(picture)
    deck.write_text("title: x\n", encoding="utf-8")
    huge = Limits(image_bytes=1024 * 1024 * 1024, yaml_bytes=100 * 1024 * 1024)
    tracemalloc.start()
    load_image(picture, huge)
    read_yaml(deck, limits=huge)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 16 * 1024 * 1024  # not the 1 GB a read(limit + 1) reserves


def test_image_errors_reach_the_user_as_asset_errors(tmp_path: Path) -> None:
    (tmp_path / "folder.png").mkdir()
    with pytest.raises(AssetError, match="found a folder"):
        load_image(tmp_path / "folder.png")
    with pytest.raises(AssetError, match="image not found"):
        load_image(tmp_path / "gone.png")


def test_only_png_jpeg_webp_and_gif_are_decoded(tmp_path: Path) -> None:
    from cardgen.paint.pictures import image_size

    for fmt in ("TIFF", "BMP", "PPM"):
        path = tmp_path / f"{fmt}.png"
        Image.new("RGB", (8, 8), (1, 2, 3)).save(path, fmt)
        with pytest.raises(AssetError, match=f"in {fmt} format, whatever its name says"):
            load_image(path)
        with pytest.raises(OSError):
            image_size(path)  # the upscale check does not reach other decoders either
    eps = HOSTILE / "assets" / "eps.png"
    with pytest.raises(AssetError, match="in EPS format"):
        load_image(eps)
    for fmt in ("PNG", "JPEG", "WEBP", "GIF"):
        path = tmp_path / f"ok-{fmt}.png"
        Image.new("RGB", (8, 8), (1, 2, 3)).save(path, fmt)
        assert load_image(path).size == image_size(path) == (8, 8)


def _within(seconds: float, call: Any) -> Any:
    """call() in a thread; fail instead of hanging the test run when it blocks."""
    import threading

    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked: a FIFO or device was opened for reading"
    if "error" in box:
        raise box["error"]
    return box.get("value")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_pipes_and_devices_are_refused_before_they_block(tmp_path: Path) -> None:
    from cardgen.run.discover import find_decks
    from cardgen.model.problems import ThemeError
    from cardgen.load.fonts import load_face
    from cardgen.load.theme import load_theme

    for name in ("pipe.png", "Pipe-Regular.ttf", "pipe.yaml", "themes/pipe.yaml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        os.mkfifo(tmp_path / name)
    with pytest.raises(AssetError, match=r"expected an image file, found a named pipe \(FIFO\)"):
        _within(10, lambda: load_image(tmp_path / "pipe.png"))
    with pytest.raises(FontError, match=r"expected a font file, found a named pipe"):
        _within(10, lambda: load_face(tmp_path / "Pipe-Regular.ttf"))
    with pytest.raises(CardgenError, match=r"pipe.yaml: expected a YAML file, found a named pipe"):
        _within(10, lambda: load_deck(tmp_path / "pipe.yaml"))
    with pytest.raises(ThemeError, match=r"expected a YAML file, found a named pipe|unknown theme"):
        _within(10, lambda: load_theme("themes/pipe.yaml", tmp_path))
    (tmp_path / "deck.yaml").write_text("title: x\ncards:\n  - title: a\n", encoding="utf-8")
    assert _within(10, lambda: find_decks([str(tmp_path)])) == [tmp_path / "deck.yaml"]  # the pipe is no deck
    if Path("/dev/zero").exists():
        with pytest.raises(AssetError, match="found a device"):
            _within(10, lambda: load_image(Path("/dev/zero")))
        with pytest.raises(CardgenError, match="found a device"):
            _within(10, lambda: load_deck(Path("/dev/zero")))


# --- fonts that lie -----------------------------------------------------------------------------
# Themes name font families, not files, and the font book holds cardgen's own fonts/ folder only:
# a font file dropped beside a theme is never read. The loader still refuses broken files.


def test_a_fake_font_file_is_a_font_error(tmp_path: Path) -> None:
    from cardgen.load.fonts import FontBook, load_face

    with pytest.raises(FontError, match=r"not a usable font file|damaged"):
        load_face(HOSTILE / "fonts" / "Fake-Regular.ttf")
    book = FontBook((HOSTILE / "fonts",))
    with pytest.raises(FontError):
        book.face("Fake")
    empty = tmp_path / "Empty-Regular.otf"
    empty.write_bytes(b"")
    with pytest.raises(FontError):
        load_face(empty)


def test_a_truncated_font_file_is_a_font_error(tmp_path: Path) -> None:
    from cardgen.load.fonts import data_dir, load_face

    real = sorted((data_dir("fonts") / "inter").glob("*.otf"))[0]
    cut = tmp_path / "Cut-Regular.otf"
    cut.write_bytes(real.read_bytes()[: real.stat().st_size // 2])
    with pytest.raises(FontError):
        load_face(cut)


# --- limits and options from the command line ---------------------------------------------------


@pytest.fixture
def limits_project(tmp_path: Path) -> Path:
    """Two 3-card decks, one with a 20×20 picture, and a local theme padded to 3000 bytes."""
    (tmp_path / "assets").mkdir()
    Image.new("RGB", (20, 20), (200, 30, 30)).save(tmp_path / "assets" / "pic.png")
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "padded.yaml").write_text("extends: default\n#" + "x" * 3000 + "\n", encoding="utf-8")
    cards = "cards:\n  - title: a\n    image: assets/pic.png\n  - title: b\n  - title: c\n"
    (tmp_path / "a.yaml").write_text("title: A\ntheme: padded\n" + cards, encoding="utf-8")
    (tmp_path / "b.yaml").write_text("title: B\n" + cards.replace("    image: assets/pic.png\n", ""), encoding="utf-8")
    age(*(path for path in tmp_path.rglob("*") if path.is_file()))  # saved before the runs: manifests are written
    return tmp_path


def _user_error(result: subprocess.CompletedProcess[str], code: int, fragment: str) -> None:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert fragment in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_limits_on_the_command_line_reach_every_stage(limits_project: Path) -> None:
    def run(*args: str):
        return cardgen_process(*args, cwd=limits_project)

    _user_error(run("render", "a.yaml", "--limit", "cards=2"), 1, "the deck has 3 cards; at most 2 are allowed")
    # The theme file is read with the limits too (the deck is 110 bytes, its theme 3000).
    _user_error(
        run("check", "a.yaml", "--limit", "yaml_bytes=1000"),
        1,
        "padded.yaml: error: file is 3019 bytes; at most 1000 are allowed",
    )
    # Pictures are decoded with them: painting, and the contrast check's backdrop.
    _user_error(
        run("render", "a.yaml", "--limit", "image_pixels=100"),
        1,
        "assets/pic.png: the image is 20×20 = 400 pixels; at most 100 are allowed",
    )
    _user_error(run("render", "a.yaml", "--limit", "image_bytes=50"), 1, "larger than 50 bytes")
    _user_error(run("preview", "a.yaml", "--limit", "image_pixels=100"), 1, "at most 100 are allowed")
    # Worker processes get them (two decks, two jobs).
    both = run("check", "a.yaml", "b.yaml", "-j", "2", "--limit", "cards=2", "--limit", "yaml_bytes=100000")
    _user_error(both, 1, "a.yaml:3:1: error: cards: the deck has 3 cards")
    assert "b.yaml:2:1: error: cards: the deck has 3 cards" in both.stderr
    # The canvas: raised, a size the default refuses is allowed.
    _user_error(run("check", "b.yaml", "--size", "4500x4500"), 2, "--size: each side must be 320–4096 px")
    assert run("check", "b.yaml", "--size", "4500x4500", "--limit", "canvas-side=5000").returncode == 0
    # A platform's canvas is held to them too: from --for, or from the deck's platform: key.
    _user_error(
        run("check", "b.yaml", "--for", "instagram", "--limit", "canvas_side=1000"),
        1,
        "error: --for: each side must be 320–1000 px; found 1080x1350",
    )
    (limits_project / "vk.yaml").write_text("title: V\nplatform: vk\ncards:\n  - title: a\n", encoding="utf-8")
    _user_error(
        run("check", "vk.yaml", "--limit", "canvas_side=1000"),
        1,
        "vk.yaml:2:1: error: platform: the platform's canvas: each side must be 320–1000 px; found 1080x1350",
    )


def test_limits_are_part_of_the_options_an_unchanged_deck_is_skipped_for(limits_project: Path) -> None:
    assert cardgen("render", "b.yaml", cwd=limits_project).returncode == 0
    again = cardgen("render", "b.yaml", cwd=limits_project)
    assert "unchanged" in again.stdout
    # Slides made under the defaults do not vouch for a run with a lower limit: the deck is read again.
    _user_error(cardgen("render", "b.yaml", "--limit", "cards=2", cwd=limits_project), 1, "at most 2 are allowed")
    assert (limits_project / "out" / "b" / "03.png").exists()  # a failure leaves the previous slides whole


@pytest.mark.parametrize("command", ["render", "check", "watch", "preview"])
def test_limit_option_errors_are_usage_errors(limits_project: Path, command: str) -> None:
    def run(*args: str):
        return cardgen(command, "b.yaml", *args, cwd=limits_project)

    unknown = run("--limit", "card=5")
    _user_error(unknown, 2, 'error: --limit: unknown limit "card" (did you mean "cards"?); known: yaml_bytes,')
    assert "canvas_min_side" in unknown.stderr
    _user_error(run("--limit", "cards=many"), 2, '--limit cards: expected a whole number, found "many"')
    _user_error(run("--limit", "cards"), 2, "--limit: expected NAME=VALUE")
    _user_error(run("--limit", "yaml_depth=100000"), 2, "--limit yaml_depth: expected 1–200, found 100000")
    _user_error(run("--limit", "canvas_min_side=5000"), 2, "canvas_min_side (5000) is larger than canvas_side")


@pytest.mark.parametrize("command", ["render", "check", "preview", "quality"])
def test_command_line_option_errors_exit_2(limits_project: Path, command: str) -> None:
    def run(*args: str):
        return cardgen(command, "b.yaml", *args, cwd=limits_project)

    _user_error(run("--size", "huge"), 2, 'error: --size: unknown size "huge"')
    _user_error(run("--theme", "midnigth"), 2, 'error: --theme: unknown theme "midnigth" (did you mean "midnight"?)')
    _user_error(
        run("--root", "/nonexistent/cardgen-root"), 2, "error: --root: /nonexistent/cardgen-root: no such folder"
    )
    _user_error(run("--root", "b.yaml"), 2, "--root: b.yaml: not a folder")
    # A theme in the deck's own themes/ folder is a good --theme.
    assert run("--theme", "padded").returncode in (0, 1)  # quality exits 1 for typesetting defects
    assert "--theme" not in run("--theme", "padded").stderr


def test_file_names_are_printed_with_control_characters_escaped(limits_project: Path) -> None:
    evil = "\x1b[31mevil\u202e.yaml"
    shutil.copy(limits_project / "b.yaml", limits_project / evil)
    result = cardgen("render", evil, cwd=limits_project)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "\\x1b[31mevil\\u202e.yaml: 3 slides → out/_[31mevil" in result.stdout
    bad = cardgen("check", "missing-\x07.yaml", cwd=limits_project)
    assert "\x07" not in bad.stderr and "missing-\\x07.yaml" in bad.stderr


def test_watch_prints_a_folder_name_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cardgen.run.batch import Options
    from cardgen.run.watch import Watcher

    empty = tmp_path / "\x1b[31mempty"
    empty.mkdir()
    Watcher([str(empty)], tmp_path / "out", Options(jobs=1), quiet=True).cycle()
    err = capsys.readouterr().err
    assert "\\x1b[31mempty: no deck files" in err and "\x1b" not in err
