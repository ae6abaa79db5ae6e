"""Start-up and memory (issue 17), guarded without timing: what each command imports, that the
lean parameter coercion gives what typer's own gives, how many images wait for the encoder, and
the process's collector and Pillow's block pool. The times themselves are `benchmarks/run.py`'s."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path
from typing import Any

import pytest
import typer
from batchkit import write_deck
from PIL import Image

from cardgen import __version__
from cardgen.cli import app as cli

HEAVY = (
    "typer",
    "click",
    "pydantic",
    "PIL",
    "yaml",
    "uharfbuzz",
    "cardgen.load.deck",
    "cardgen.run.pipeline",
    "secrets",
    "hashlib",
    "tomllib",
    "logging",
)


def _loaded_after(code: str, cwd: Path) -> dict[str, Any]:
    """Run `code` in a fresh interpreter → its stdout and which of the heavy modules it loaded."""
    probe = (
        "import sys, json\n"
        "out = sys.stdout\n"
        f"{code}\n"
        f"heavy = sorted(m for m in sys.modules if any(m == h or m.startswith(h + '.') for h in {HEAVY!r}))\n"
        "sys.stderr.write('\\nMODULES ' + json.dumps(heavy) + '\\n')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        check=False,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "CARDGEN_CACHE_DIR": str(cwd / ".cache")},
    )
    assert "MODULES " in result.stderr, result.stderr
    modules = json.loads(result.stderr.rsplit("MODULES ", 1)[1])
    return {"stdout": result.stdout, "modules": modules, "stderr": result.stderr}


def test_version_prints_the_apps_line_and_loads_nothing_heavy(tmp_path: Path) -> None:
    fast = _loaded_after("sys.argv = ['cardgen', '--version']\nfrom cardgen.cli.launch import main\nmain()", tmp_path)
    assert fast["stdout"] == f"cardgen {__version__}\n"
    assert fast["modules"] == []  # not even typer
    # the app's own --version (any other argument list goes there) prints the same line
    whole = _loaded_after(
        "from cardgen.cli.app import _run\ntry:\n    _run(['--version'])\nexcept SystemExit:\n    pass", tmp_path
    )
    assert whole["stdout"] == fast["stdout"]


def test_render_help_loads_neither_pydantic_nor_pillow(tmp_path: Path) -> None:
    run = _loaded_after("from cardgen.cli.app import _run\ncode = _run(['render', '--help'])", tmp_path)
    assert "Usage: cardgen render [OPTIONS] DECK…" in run["stdout"]
    # nor hashlib (OpenSSL: 3.6 MiB): temporary names take os.urandom, not `secrets`
    assert [m for m in run["modules"] if not m.startswith("typer")] == []
    assert "typer._adapters" not in run["modules"]  # typer's pydantic adapters were not needed


def test_a_render_builds_no_typer_adapter(tmp_path: Path) -> None:
    """The lean coercion covers every value of a plain `cardgen render DECK -o DIR`."""
    write_deck(tmp_path / "d.yaml", size="400x500")
    run = _loaded_after(
        "from cardgen.cli.app import _run\ncode = _run(['render', 'd.yaml', '-o', 'out', '-j', '1'])\n"
        "assert code == 0, code",
        tmp_path,
    )
    assert (tmp_path / "out" / "d" / "01.png").is_file(), run["stderr"]
    assert "typer._adapters" not in run["modules"] and "cardgen.run.pipeline" in run["modules"]
    assert "tomllib" not in run["modules"]  # no config file here: TOML is parsed only when there is one
    # a deck without pictures decodes no file: Pillow's ImageFile (and its logging) stays unloaded
    assert "PIL.ImageFile" not in run["modules"] and "logging" not in run["modules"], run["modules"]


@pytest.mark.parametrize("config", [False, True])
def test_a_plain_render_and_check_load_no_typer(tmp_path: Path, config: bool) -> None:
    """The command's own entry (`cardgen.cli.launch`): a plain `render` or `check` line, with or
    without a config file, runs without typer or click (cardgen.cli.fast); help goes to typer."""
    write_deck(tmp_path / "d.yaml", size="400x500")
    if config:
        (tmp_path / "cardgen.toml").write_text('decks = ["d.yaml"]\nstrict = true\njobs = 1\n', encoding="utf-8")
    deck = [] if config else ["d.yaml"]
    run = _loaded_after(
        "from cardgen.cli.launch import run\n"
        f"assert run(['render', *{deck!r}, '-o', 'out', '-j', '1', '--for', 'VK', '--no-alt']) == 0\n"
        f"assert run(['check', *{deck!r}, '--json', '-q']) == 0",
        tmp_path,
    )
    assert (tmp_path / "out" / "d" / "01.png").is_file(), run["stderr"]
    assert '"ok": true' in run["stdout"], run["stdout"]
    assert not [m for m in run["modules"] if m.split(".")[0] in ("typer", "click")], run["modules"]
    assert "cardgen.run.pipeline" in run["modules"]
    helped = _loaded_after("from cardgen.cli.launch import run\ncode = run(['render', '--help'])", tmp_path)
    assert "Usage: cardgen render [OPTIONS] DECK…" in helped["stdout"] and "typer" in helped["modules"]


def _outcome(coercion: Any, value: Any, param: Any) -> tuple[str, Any]:
    try:
        return "value", coercion.coerce(value, param=param, ctx=None)
    except Exception as exc:
        return type(exc).__name__, str(exc)


SAMPLES: list[Any] = [
    None,
    "",
    "x",
    "out",
    "3",
    "03",
    "0",
    "2",
    "101",
    "-1",
    "+2",
    " 2",
    "2 ",
    "1_0",
    "٣",
    "vk",
    "VK",
    "a\0b",
    0,
    1,
    2,
    3,
    101,
    True,
    False,
    ("a.yaml",),
    ("a.yaml", "b"),
    (),
    ["c"],
    Path("out"),
    Path("/tmp"),
    1.5,
    ("x", 1),
]


@pytest.mark.parametrize("command", sorted(info.callback.__name__ for info in cli.app.registered_commands))
def test_the_lean_coercion_gives_what_typer_gives(command: str) -> None:
    """Every parameter of every command, every sample value: the same value or the same error."""
    group = typer.main.get_command(cli.app)
    name = next(cli._command_name(i) for i in cli.app.registered_commands if i.callback.__name__ == command)
    params = [*group.params, *group.commands[name].params]
    checked = 0
    for param in params:
        if "get_runtime_param" in vars(param):  # made lean by an earlier get_params
            del param.get_runtime_param
        param._runtime_param = None
        typers = param.get_runtime_param()
        cli._lean_coercion([param])
        lean = param.get_runtime_param()
        assert isinstance(lean, cli._Coercion), param.name
        for value in SAMPLES:
            if param.type_descriptor.annotation is bool and isinstance(value, bool):
                continue  # typer skips coercion for these
            assert _outcome(lean, value, param) == _outcome(typers, value, param), (param.name, value)
            checked += 1
    assert checked > 0


def test_painting_runs_at_most_one_image_ahead_of_each_encoder(tmp_path: Path) -> None:
    from cardgen.output.slides import _encode_beside

    alive: set[int] = set()
    most = 0
    lock = threading.Lock()

    def gone(key: int) -> None:
        with lock:
            alive.discard(key)

    def painted(count: int):  # a painter faster than the encoders, as painting is
        nonlocal most
        for i in range(count):
            image = Image.new("RGB", (8, 8), (i, 0, 0))
            weakref.finalize(image, gone, i)
            with lock:
                alive.add(i)
                most = max(most, len(alive))
            yield image
            del image

    def slow_encoder(image: Image.Image) -> bytes:
        time.sleep(0.02)
        return image.tobytes()

    for workers in (1, 2):
        most = 0
        names = [f"{i:02d}.raw" for i in range(8)]
        _encode_beside(painted(8), names, tmp_path, workers, slow_encoder, tmp_path)
        assert sorted(p.name for p in tmp_path.glob("*.raw")) == names
        assert workers + 1 >= most > 1, (workers, most)  # in flight, and never more than one queued each
        for path in tmp_path.glob("*.raw"):
            path.unlink()


def test_on_one_core_one_image_is_alive_at_a_time(tmp_path: Path) -> None:
    """Without encoding threads, a slide is written and let go before the next is painted."""
    from cardgen.output.slides import _encode_here

    alive: set[int] = set()
    most = 0

    def painted(count: int):
        nonlocal most
        for i in range(count):
            image = Image.new("RGB", (8, 8), (i, 0, 0))
            weakref.finalize(image, alive.discard, i)
            alive.add(i)
            most = max(most, len(alive))
            yield image
            del image

    names = [f"{i:02d}.raw" for i in range(5)]
    _encode_here(painted(5), names, tmp_path, lambda image: image.tobytes(), tmp_path)
    assert sorted(p.name for p in tmp_path.glob("*.raw")) == names
    assert most == 1
    with pytest.raises(ValueError, match="fewer"):
        _encode_here(painted(2), ["a.raw", "b.raw", "c.raw"], tmp_path, lambda image: image.tobytes(), tmp_path)
    with pytest.raises(ValueError, match="more"):
        _encode_here(painted(2), ["d.raw"], tmp_path, lambda image: image.tobytes(), tmp_path)


def test_a_render_sets_the_collector_and_the_image_pool_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cardgen.output import slides

    write_deck(tmp_path / "d.yaml", size="400x500")
    run = _loaded_after(
        "import gc\n"
        "from PIL import Image\n"
        "from cardgen.cli.app import _run\n"
        "before = gc.get_freeze_count(), Image.core.get_blocks_max()\n"
        "assert _run(['render', 'd.yaml', '-o', 'out', '-j', '1']) == 0\n"
        "after = gc.get_freeze_count()\n"
        "assert _run(['render', 'd.yaml', '-o', 'out2', '-j', '1']) == 0\n"
        "print(*before, after, gc.get_freeze_count(), Image.core.get_blocks_max())",
        tmp_path,
    )
    before, blocks_before, after, again, blocks = (int(n) for n in run["stdout"].split()[-5:])
    # frozen at the first deck only: the second adds nothing (frozen objects may still be freed)
    assert before == 0 and after > 10_000 and again <= after
    assert blocks_before == 0 and blocks == slides.IMAGE_BLOCKS_KEPT
    # `cardgen check` paints nothing: Pillow is left as it is
    calls: list[int] = []
    monkeypatch.setattr(slides, "pool_image_blocks", lambda: calls.append(1))
    monkeypatch.chdir(tmp_path)
    assert cli._run(["check", "d.yaml"]) == 0
    assert calls == []
    assert cli._run(["render", "d.yaml", "-o", "out3", "-j", "1"]) == 0
    assert calls == [1]


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "LA"])
def test_packed_rows_are_tobytes_in_one_buffer(mode: str) -> None:
    import tracemalloc

    from cardgen.output.formats import packed_rows

    for size in ((1, 1), (3, 2), (1080, 1350)):
        image = Image.new("RGB", size, (10, 20, 30))
        for x in range(0, size[0], 7):
            image.putpixel((x, x % size[1]), (x % 256, 3, 200))
        image = image.convert(mode)
        tracemalloc.start()
        try:
            rows = packed_rows(image)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert rows == image.tobytes()
        if size == (1080, 1350):  # held once, not as pieces and their join (tobytes: twice)
            assert peak < 1.2 * len(rows), (peak, len(rows))


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "LA"])
def test_the_png_rows_deflate_as_pillows_tobytes_does(mode: str) -> None:
    from cardgen.output.formats import PNG_OPTIONS, _deflated, packed_rows

    for size in ((1, 1), (17, 3), (20_000, 2), (1080, 1350)):
        image = Image.effect_noise(size, 64).convert(mode)
        rows = Image.frombuffer("P", (size[0] * len(mode), size[1]), packed_rows(image), "raw", "P", 0, 1)
        expected = rows.tobytes("zip", "P", False, PNG_OPTIONS["compress_level"], -1, b"")
        assert _deflated(rows) == expected, size


def test_forked_workers_share_the_renderer_the_parent_loaded_once(tmp_path: Path) -> None:
    """`-j 2` forks its workers after loading the renderer in the parent, so each worker does not
    import it again (that made `-j 2` spend more CPU than `-j 1`). Seen from the pool's creation:
    the renderer is loaded by then; the parent's "nothing changed" path never gets there."""
    for name in ("a", "b"):
        write_deck(tmp_path / f"{name}.yaml", size="400x500")
    run = _loaded_after(
        "import concurrent.futures\n"
        "class Probe:\n"
        "    def __init__(self, *args, **kwargs):\n"
        "        print('LOADED', 'cardgen.run.pipeline' in sys.modules)\n"
        "        raise SystemExit(0)\n"
        "concurrent.futures.ProcessPoolExecutor = Probe\n"
        "from cardgen.cli.app import _run\n"
        "try:\n"
        "    _run(['render', 'a.yaml', 'b.yaml', '-o', 'out', '-j', '2'])\n"
        "except SystemExit:\n"
        "    pass",
        tmp_path,
    )
    assert "LOADED True" in run["stdout"], run["stderr"]


def test_a_right_deck_renders_and_checks_without_pydantic(tmp_path: Path) -> None:
    """Decks and themes that are right pass the lean check (`load.records`): pydantic loads only
    to word an error (or convert a value such as `weight: "700"`)."""
    write_deck(tmp_path / "d.yaml", size="400x500")
    (tmp_path / "bad.yaml").write_text("title: t\ncards: [{titel: a}]\n", encoding="utf-8")
    for command in (["render", "d.yaml", "-o", "out", "-j", "1"], ["check", "d.yaml", "--theme", "paper"]):
        run = _loaded_after(
            f"from cardgen.cli.app import _run\ncode = _run({command!r})\nassert code == 0, code", tmp_path
        )
        assert not [m for m in run["modules"] if m.startswith("pydantic")], (command, run["stderr"])
        assert "cardgen.load.deck" in run["modules"]
    wrong = _loaded_after("from cardgen.cli.app import _run\ncode = _run(['check', 'bad.yaml'])\nprint(code)", tmp_path)
    assert wrong["stdout"].strip().endswith("1") and 'unknown key "titel"' in wrong["stderr"]
    assert "pydantic" in wrong["modules"]


def test_a_plain_background_is_filled_not_kept() -> None:
    """A page on one colour with no ornaments is filled for each card, not copied from a canvas
    kept for the whole render (5.8 MB at 1080×1350, at the render's peak); a gradient still is."""
    from cardgen.model.page import LinearGradient, Page, Solid
    from cardgen.paint.draw import paint_page
    from cardgen.paint.pictures import DERIVED

    DERIVED.clear()
    image = paint_page(Page(300, 200, Solid((1, 2, 3, 255)), ()))
    assert image.getpixel((299, 199)) == (1, 2, 3)
    assert DERIVED.used == 0
    paint_page(Page(300, 200, LinearGradient(((0, 0, 0, 255), (255, 255, 255, 255)), 180), ()))
    assert DERIVED.used >= 300 * 200 * 4


def test_an_encoder_that_fails_stops_the_painting_and_its_threads(tmp_path: Path) -> None:
    """The encoding threads (`output.slides.Encoders`, plain threads: no concurrent.futures and
    logging at start-up) raise the first failure in the painting thread and are all joined."""
    from cardgen.output.slides import _encode_beside

    painted: list[int] = []

    def images(count: int):
        for i in range(count):
            painted.append(i)
            yield Image.new("RGB", (4, 4), (i, 0, 0))

    def failing(image: Image.Image) -> bytes:
        if image.getpixel((0, 0))[0] == 2:
            raise OSError("disk full")
        return image.tobytes()

    with pytest.raises(OSError, match="disk full"):
        _encode_beside(images(50), [f"{i:02d}.raw" for i in range(50)], tmp_path, 2, failing, tmp_path)
    assert len(painted) < 50  # painting stopped at the failure, not after every card
    assert not [t for t in threading.enumerate() if t.name == "cardgen-encoder"]
