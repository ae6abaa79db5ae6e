"""`cardgen watch`: a saved deck renders again, errors print and watching goes on, and the
gallery page follows; in a thread (stop event, cycle hook) and through the real command."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from batchkit import deck_text, write_deck

from cardgen.run.batch import Options
from cardgen.run.watch import Watcher, serve


def wait_for(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def save(path: Path, text: str) -> None:
    """As an editor saves: the whole new text at once (a half-written file would be another event)."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def test_saving_a_deck_renders_it_again_and_errors_do_not_stop_the_watch(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "decks" / "post.yaml", cards=1)
    out = tmp_path / "out"
    watcher = Watcher([str(tmp_path / "decks")], out, Options(jobs=1, cache=str(tmp_path / "cache")), quiet=True)
    cycles: list[list[str]] = []

    def on_cycle(n: int, outcomes: list) -> None:
        cycles.append([o.status for o in outcomes])

    def page() -> str:
        return (out / "index.html").read_text(encoding="utf-8") if (out / "index.html").is_file() else ""

    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, kwargs={"stop": stop, "on_cycle": on_cycle, "debounce_ms": 100})
    thread.start()
    try:
        assert wait_for(lambda: "post/01.png?v=" in page()), cycles
        assert "index-version.js" in page() and "1 slide, rendered" in page()
        assert wait_for((out / "index-version.js").is_file, 10)
        version = (out / "index-version.js").read_text(encoding="utf-8")

        time.sleep(0.3)  # the watcher is listening
        save(deck, deck_text("Пост", cards=3))
        assert wait_for(lambda: "post/03.png?v=" in page()), cycles
        assert (out / "post" / "03.png").is_file()
        # the page reloads: the script, written just after the page, names another version
        assert wait_for(lambda: (out / "index-version.js").read_text(encoding="utf-8") != version, 10), cycles

        save(deck, "title: T\ncards:\n  - titel: x\n")
        assert wait_for(lambda: "unknown key &quot;titel&quot;" in page()), cycles
        assert "post/03.png" in page()  # the error is shown above the previous slides
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()
    assert cycles[0] == ["rendered"] and ["rendered"] in cycles[1:] and cycles[-1] == ["failed"]


def test_the_gallery_is_served_on_localhost(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>slides</p>", encoding="utf-8")
    server = serve(tmp_path, 0)
    try:
        port = server.server_address[1]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=10) as response:
            assert response.read() == b"<p>slides</p>"
    finally:
        server.shutdown()


def test_the_watch_command_renders_on_save_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "post.yaml", cards=1)
    env = {**os.environ, "PYTHONUTF8": "1", "CARDGEN_CACHE_DIR": str(tmp_path / "cache")}
    process = subprocess.Popen(
        [sys.executable, "-m", "cardgen", "watch", "post.yaml", "-o", "out", "-j", "1"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_for((tmp_path / "out" / "index.html").is_file)
        assert (tmp_path / "out" / "post" / "01.png").is_file()
        time.sleep(0.5)
        save(deck, deck_text("Пост", cards=2))
        assert wait_for((tmp_path / "out" / "post" / "02.png").is_file)
        time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert re.search(r"post\.yaml: 2 slides → out/post", stdout), stdout


def test_max_cycles_bounds_a_watch(tmp_path: Path) -> None:
    write_deck(tmp_path / "post.yaml", cards=1)
    watcher = Watcher(["post.yaml"], tmp_path / "out", Options(jobs=1, cache=str(tmp_path / "cache")), quiet=True)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert watcher.run(max_cycles=1) == 1
    finally:
        os.chdir(cwd)
    assert (tmp_path / "out" / "post" / "01.png").is_file() and (tmp_path / "out" / "index.html").is_file()


def _watch_in_thread(watcher: Watcher, cycles: list[list[str]]):
    stop = threading.Event()

    def on_cycle(n: int, outcomes: list) -> None:
        cycles.append([o.status for o in outcomes])

    thread = threading.Thread(target=watcher.run, kwargs={"stop": stop, "on_cycle": on_cycle, "debounce_ms": 100})
    thread.start()
    return stop, thread


def test_saving_a_theme_or_a_picture_renders_the_decks_that_use_them_again(tmp_path: Path) -> None:
    from PIL import Image

    project = tmp_path / "project"
    (project / "themes").mkdir(parents=True)
    theme = project / "themes" / "brand.yaml"
    theme.write_text("extends: default\ncolors: {background: '#FFFFFF'}\n", encoding="utf-8")
    picture = project / "photo.png"
    Image.new("RGB", (40, 30), (200, 0, 0)).save(picture)
    write_deck(project / "uses-theme.yaml", "Тема", theme="brand")
    (project / "uses-picture.yaml").write_text(
        "title: Фото\nsize: 400x500\ncards:\n  - layout: image\n    image: photo.png\n    title: Фото\n",
        encoding="utf-8",
    )
    write_deck(project / "plain.yaml", "Просто")
    for path in project.rglob("*"):  # saved a while ago: a file saved during a render is not trusted as rendered
        os.utime(path, (time.time() - 60, time.time() - 60))
    out = tmp_path / "out"
    watcher = Watcher([str(project)], out, Options(jobs=1, cache=str(tmp_path / "cache")), quiet=True)
    cycles: list[list[str]] = []

    def pixel(deck: str) -> tuple[int, ...]:
        with Image.open(out / deck / "01.png") as image:
            return image.convert("RGB").getpixel((2, 2))

    stop, thread = _watch_in_thread(watcher, cycles)
    try:
        assert wait_for(lambda: len(cycles) >= 1), cycles
        assert cycles[0] == ["rendered"] * 3
        before = pixel("uses-theme")
        picture_bytes = (out / "uses-picture" / "01.png").read_bytes()
        time.sleep(0.3)  # the watcher is listening

        save(theme, "extends: default\ncolors: {background: '#F0E0D0'}\n")
        assert wait_for(lambda: len(cycles) >= 2), cycles
        assert sorted(cycles[1]) == ["rendered", "skipped", "skipped"]  # only the deck with that theme
        assert pixel("uses-theme") != before and pixel("uses-theme") == (0xF0, 0xE0, 0xD0)

        time.sleep(0.3)
        temporary = picture.with_name(".photo.tmp.png")
        Image.new("RGB", (40, 30), (0, 0, 200)).save(temporary)
        os.replace(temporary, picture)
        assert wait_for(lambda: any(sorted(c) == ["rendered", "skipped", "skipped"] for c in cycles[2:])), cycles
        assert (out / "uses-picture" / "01.png").read_bytes() != picture_bytes
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()


def test_watch_serve_serves_the_gallery_through_the_command(tmp_path: Path) -> None:
    write_deck(tmp_path / "post.yaml", cards=1)
    env = {**os.environ, "PYTHONUTF8": "1", "CARDGEN_CACHE_DIR": str(tmp_path / "cache")}
    process = subprocess.Popen(
        [sys.executable, "-m", "cardgen", "watch", "post.yaml", "-o", "out", "-j", "1", "--serve", "--port", "0"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stderr.readline()  # "serving out on http://127.0.0.1:PORT/"
        address = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert address, line
        assert wait_for((tmp_path / "out" / "index.html").is_file)
        with urllib.request.urlopen(address.group(0) + "index.html", timeout=10) as response:
            page = response.read().decode("utf-8")
        assert "post/01.png" in page and "index-version.js" in page
        with urllib.request.urlopen(address.group(0) + "post/01.png", timeout=10) as response:
            assert response.read()[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        process.send_signal(signal.SIGINT)
        _stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
