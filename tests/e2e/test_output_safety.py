"""Output safety: the slides folder never leaves -o, is replaced whole or not at all (errors,
Ctrl-C, a killed process) and two writers of the same folder never leave a mix."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from cardgen.output import slides as export
from cardgen.model.problems import CardgenError
from cardgen.output.slides import deck_out_dir, safe_stem, write_slides


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("post", "post"),
        ("Фотостоки 2024", "Фотостоки 2024"),
        ("..", "deck"),
        (".", "deck"),
        ("", "deck"),
        (".hidden", "hidden"),
        ("a/b\\c", "a_b_c"),
        ("\x1b[31mred", "_[31mred"),
        ('what?*:<>|"', "what_______"),
        ("trailing. ", "trailing"),
        ("\u202egnp.exe", "_gnp.exe"),
        ("CON", "_CON"),
        ("й" * 300, "й" * 90),  # 180 UTF-8 bytes
        ("e\u0301", "\u00e9"),  # NFC: one letter, as macOS and Linux users both expect
    ],
)
def test_safe_stem(stem: str, expected: str) -> None:
    assert safe_stem(stem) == expected


def test_deck_out_dir_stays_directly_under_out(tmp_path: Path) -> None:
    for stem in ("..", ".", "../../etc", "/abs", "a/../../b"):
        out = deck_out_dir(tmp_path / "out", stem)
        assert out.parent == tmp_path / "out" and out.name not in ("", ".", "..")


def images(
    color: tuple[int, int, int], count: int, fail_after: int | None = None, interrupt_after: int | None = None
) -> Iterator[Image.Image]:
    for i in range(count):
        if fail_after is not None and i == fail_after:
            raise CardgenError("card 3 does not fit")
        if interrupt_after is not None and i == interrupt_after:
            raise KeyboardInterrupt
        yield Image.new("RGB", (16, 16), color)


def colors_of(folder: Path) -> set[tuple[int, int, int]]:
    out = set()
    for path in folder.iterdir():
        with Image.open(path) as image:
            out.add(image.convert("RGB").getpixel((0, 0)))
    return out


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_hostile_name_is_sanitised_by_write_slides_itself(tmp_path: Path) -> None:
    out = tmp_path / "out"
    slides = write_slides(images((1, 2, 3), 2), 2, out / "..")  # what `out / "..yaml".stem`-style joins give
    assert slides[0].parent == out / "deck"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("stop", ["error", "interrupt"])
def test_a_failure_or_ctrl_c_leaves_the_previous_slides_whole(tmp_path: Path, stop: str) -> None:
    target = tmp_path / "out" / "post"
    write_slides(images((255, 0, 0), 3), 3, target)
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    kind = CardgenError if stop == "error" else KeyboardInterrupt
    with pytest.raises(kind):
        write_slides(images((0, 0, 255), 5, **{f"{'fail' if stop == 'error' else 'interrupt'}_after": 2}), 5, target)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert hidden(target.parent) == []


def test_ctrl_c_during_the_swap_waits_for_the_swap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out" / "post"
    write_slides(images((255, 0, 0), 3), 3, target)
    real_replace = os.replace
    calls = []

    def replace_then_interrupt(src: os.PathLike, dst: os.PathLike) -> None:
        if Path(dst) == target or Path(dst).name == "slides":  # the swap's renames, not a file's own
            calls.append(dst)
            if len(calls) == 1:
                signal.raise_signal(signal.SIGINT)  # between the two renames of the swap
        real_replace(src, dst)

    monkeypatch.setattr(export.os, "replace", replace_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_slides(images((0, 0, 255), 2), 2, target)
    assert len(calls) == 2  # both renames ran before the interrupt was raised
    assert sorted(p.name for p in target.iterdir()) == ["01.png", "02.png"]
    assert colors_of(target) == {(0, 0, 255)}
    assert hidden(target.parent) == []


def test_a_file_or_link_where_the_folder_goes_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "post").write_text("a user's file", encoding="utf-8")
    with pytest.raises(CardgenError, match="exists and is not a folder"):
        write_slides(images((0, 0, 0), 1), 1, out / "post")
    assert (out / "post").read_text(encoding="utf-8") == "a user's file"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "linked").symlink_to(elsewhere)
    with pytest.raises(CardgenError, match="symbolic link"):
        write_slides(images((0, 0, 0), 1), 1, out / "linked")
    assert list(elsewhere.iterdir()) == []
    assert hidden(out) == []


def test_leftovers_of_a_killed_process_are_cleaned_up(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    out = tmp_path / "out"
    (out / f".post.{pid}.0badf00d.tmp").mkdir(parents=True)
    (out / f".post.{pid}.0badf00d.old" / "slides").mkdir(parents=True)
    (out / f".post.{os.getppid()}.0badf00d.tmp").mkdir()  # a live process's staging: kept
    (out / ".other.1.abc.tmp").mkdir()  # another deck's: not ours to judge
    write_slides(images((0, 0, 0), 1), 1, out / "post")
    assert hidden(out) == sorted([f".post.{os.getppid()}.0badf00d.tmp", ".other.1.abc.tmp"])


def _writer(target: str, color: tuple[int, int, int], count: int, rounds: int) -> None:
    for _ in range(rounds):
        write_slides(images(color, count), count, Path(target))


def test_two_processes_writing_the_same_folder_never_leave_a_mix(tmp_path: Path) -> None:
    target = tmp_path / "out" / "post"
    context = multiprocessing.get_context("spawn")  # no forked threads or locks from pytest
    writers = [
        context.Process(target=_writer, args=(str(target), (255, 0, 0), 3, 25)),
        context.Process(target=_writer, args=(str(target), (0, 0, 255), 5, 25)),
    ]
    for process in writers:
        process.start()
    seen = []
    deadline = time.monotonic() + 60
    while any(p.is_alive() for p in writers) and time.monotonic() < deadline:
        try:  # a reader may find the folder mid-swap (absent for an instant), never mixed
            names = sorted(p.name for p in target.iterdir())
            seen.append(names)
        except FileNotFoundError:
            pass
        time.sleep(0.002)
    for process in writers:
        process.join(60)
        assert process.exitcode == 0
    names = sorted(p.name for p in target.iterdir())
    colors = colors_of(target)
    assert (names, colors) in (
        (["01.png", "02.png", "03.png"], {(255, 0, 0)}),
        (["01.png", "02.png", "03.png", "04.png", "05.png"], {(0, 0, 255)}),
    )
    assert all(len(s) in (0, 3, 5) for s in seen)
    assert hidden(target.parent) == []


def test_ctrl_c_of_the_real_command_leaves_whole_slides(tmp_path: Path) -> None:
    """SIGINT at some moment of a real render: exit 130 (or 0 if it had finished), no mix, no leftovers."""
    cards = "".join(f"  - title: Карточка {i}\n    text: Немного текста для карточки номер {i}.\n" for i in range(40))
    deck = tmp_path / "post.yaml"
    deck.write_text("title: T\ncards:\n  - title: Старый\n", encoding="utf-8")
    env = {**os.environ, "PYTHONUTF8": "1"}
    run = [sys.executable, "-m", "cardgen", "render", "post.yaml", "-q"]
    assert subprocess.run(run, cwd=tmp_path, env=env, capture_output=True).returncode == 0
    old = (tmp_path / "out" / "post" / "01.png").read_bytes()
    deck.write_text("title: T\ncards:\n" + cards, encoding="utf-8")
    process = subprocess.Popen(run, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert "Traceback" not in stderr
    assert process.returncode in (0, 130)
    names = sorted(p.name for p in (tmp_path / "out" / "post").iterdir())
    if process.returncode == 130 and names == ["01.png"]:
        assert (tmp_path / "out" / "post" / "01.png").read_bytes() == old
    else:
        assert names == [f"{i:02d}.png" for i in range(1, 41)]
    assert hidden(tmp_path / "out") == []


# --- the user's files and a killed swap (issue 14) --------------------------------------------


def test_a_file_the_user_saves_during_a_render_is_never_moved_copied_or_reverted(tmp_path: Path) -> None:
    target = tmp_path / "out" / "post"
    write_slides(images((255, 0, 0), 3), 3, target)
    notes = target / "notes.txt"
    notes.write_text("first draft", encoding="utf-8")
    inode = notes.stat().st_ino

    def painting_while_the_user_saves() -> Iterator[Image.Image]:
        for i, image in enumerate(images((0, 0, 255), 2)):
            if i == 1:  # after the scan of the folder, before the swap
                notes.write_text("saved during the render", encoding="utf-8")
            yield image

    write_slides(painting_while_the_user_saves(), 2, target)
    assert notes.read_text(encoding="utf-8") == "saved during the render"
    assert notes.stat().st_ino == inode  # the same file: never copied into staging and back
    assert sorted(p.name for p in target.iterdir()) == ["01.png", "02.png", "notes.txt"]
    assert {colors_of_file(target / n) for n in ("01.png", "02.png")} == {(0, 0, 255)}
    assert hidden(target.parent) == []


def test_a_file_saved_in_the_instant_before_the_swap_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out" / "post"
    write_slides(images((255, 0, 0), 3), 3, target)
    real_replace = os.replace

    def save_then_replace(src: os.PathLike, dst: os.PathLike) -> None:
        if Path(dst).name == "slides":  # the folder is about to be retired: a save lands in it
            (target / "late.txt").write_text("mine", encoding="utf-8")
        real_replace(src, dst)

    monkeypatch.setattr(export.os, "replace", save_then_replace)
    write_slides(images((0, 0, 255), 2), 2, target)
    assert (target / "late.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in target.iterdir()) == ["01.png", "02.png", "late.txt"]
    assert hidden(target.parent) == []


_DIE_AFTER = """
import os, sys
from pathlib import Path
from PIL import Image
from cardgen.output import slides as export

real = os.replace
def dying(src, dst):
    real(src, dst)
    if {condition}:
        os._exit(9)  # killed: no cleanup, no finally
os.replace = dying
export.write_slides((Image.new("RGB", (16, 16), (0, 0, 255)) for _ in range(2)), 2, Path(sys.argv[1]))
"""


@pytest.mark.parametrize("mode", ["folder", "files"])
def test_a_swap_killed_half_way_is_undone_by_the_next_write(tmp_path: Path, mode: str) -> None:
    """Killed between the two renames of a folder swap (no slides folder left), or after the first
    new slide went in beside the user's note: the next writer puts the previous slides back, whole."""
    from cardgen.output import swap

    target = tmp_path / "out" / "post"
    write_slides(images((255, 0, 0), 3), 3, target)
    if mode == "files":
        (target / "notes.txt").write_text("mine", encoding="utf-8")
        condition = "Path(dst).parent.name == 'post' and Path(src).parent.name.endswith('.tmp')"
    else:
        condition = "Path(dst).name == 'slides'"
    killed = subprocess.run(
        [sys.executable, "-c", _DIE_AFTER.format(condition=condition), str(target)], capture_output=True, text=True
    )
    assert killed.returncode == 9, killed.stderr
    if mode == "folder":
        assert not target.exists()  # what the issue saw: no slides folder at all
    else:  # a mix: the first new slide is in, the old ones are out
        assert sorted(p.name for p in target.iterdir()) == ["01.png", "notes.txt"]
    assert hidden(target.parent)  # the dead process's journal, retired slides and staging
    with swap.locked(target.parent):
        swap.recover(target)
    expected = ["01.png", "02.png", "03.png"] + (["notes.txt"] if mode == "files" else [])
    assert sorted(p.name for p in target.iterdir()) == expected
    assert {colors_of_file(target / n) for n in expected if n.endswith(".png")} == {(255, 0, 0)}
    assert hidden(target.parent) == []
    if mode == "files":
        assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"
    write_slides(images((0, 0, 255), 2), 2, target)  # and the next render goes through
    assert {colors_of_file(target / n) for n in ("01.png", "02.png")} == {(0, 0, 255)}
    assert hidden(target.parent) == []


def colors_of_file(path: Path) -> tuple[int, int, int]:
    with Image.open(path) as image:
        return image.convert("RGB").getpixel((0, 0))
