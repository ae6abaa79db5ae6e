"""Many decks through the real entry point: discovery, output folders, parallel bytes, sharding,
--json, exit codes and the summary."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from batchkit import cardgen, cardgen_json, cardgen_process, digests, write_deck

from cardgen.run.discover import (
    Target,
    UsageError,
    assign_outputs,
    find_decks,
    parse_shard,
    select_shard,
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """decks/ with a nested folder, two decks sharing a stem, a theme and a non-deck YAML file."""
    write_deck(tmp_path / "decks" / "alpha.yaml", "Альфа")
    write_deck(tmp_path / "decks" / "a" / "post.yaml", "Пост А")
    write_deck(tmp_path / "decks" / "b" / "post.yaml", "Пост Б", cards=3)
    (tmp_path / "decks" / "themes").mkdir()
    (tmp_path / "decks" / "themes" / "brand.yaml").write_text("extends: default\ncards: 1\n", encoding="utf-8")
    (tmp_path / "decks" / "config.yaml").write_text("lint: true\n", encoding="utf-8")
    return tmp_path


def test_a_folder_renders_every_deck_and_same_stems_get_their_folder(project: Path) -> None:
    result = cardgen_process("render", "decks", "-o", "out", cwd=project)
    assert result.returncode == 0, result.stderr
    assert sorted(p.relative_to(project / "out").as_posix() for p in (project / "out").rglob("*.png")) == [
        "a/post/01.png",
        "a/post/02.png",
        "alpha/01.png",
        "alpha/02.png",
        "b/post/01.png",
        "b/post/02.png",
        "b/post/03.png",
    ]
    assert "3 decks: 3 rendered, 0 unchanged, 0 failed; 7 slides; 0 warnings, 0 errors" in result.stdout
    assert result.stderr == ""


def test_a_single_deck_keeps_out_stem(tmp_path: Path) -> None:
    write_deck(tmp_path / "deep" / "folder" / "post.yaml")
    result = cardgen("render", "deep/folder/post.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out" / "post").iterdir()) == ["01.png", "02.png"]


def test_globs_are_expanded_by_cardgen_and_filtered_like_folders(project: Path) -> None:
    code, doc, _ = cardgen_json("render", "decks/**/*.yaml", "-o", "out", cwd=project, process=True)
    assert code == 0
    assert sorted(Path(d["deck"]).as_posix() for d in doc["decks"]) == [
        "decks/a/post.yaml",
        "decks/alpha.yaml",
        "decks/b/post.yaml",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nothing/*.yaml"], "nothing/*.yaml: the pattern matches no deck files"),
        (["empty"], "empty: no deck files in this folder"),
        (["decks", "--shard", "3/2"], "--shard: expected I/N with 1 <= I <= N"),
        (["decks", "--shard", "x"], "--shard: expected I/N"),
        (["decks", "-j", "0"], "-j"),
    ],
)
def test_usage_errors_exit_2(project: Path, args: list[str], message: str) -> None:
    (project / "empty").mkdir()
    result = cardgen("render", *args, cwd=project)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "out").exists()


@pytest.mark.parametrize("command", ["render", "check"])
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["decks", "--shard", "3/2"], "--shard: expected I/N with 1 <= I <= N"),
        (["decks", "--no-such-option"], "no such option --no-such-option"),
        (["decks", "-j", "0"], "-j"),
        (["empty"], "empty: no deck files in this folder"),
    ],
)
def test_a_usage_error_with_json_still_prints_one_json_document(
    project: Path, command: str, args: list[str], message: str
) -> None:
    (project / "empty").mkdir()
    result = cardgen(command, *args, "--json", cwd=project)
    assert result.returncode == 2, result.stderr
    document = json.loads(result.stdout)  # a CI step that parses the output gets the error, not a decoding failure
    assert document["ok"] is False and document["exit_code"] == 2 and document["command"] == command
    assert any(message in error for error in document["usage_errors"]), document
    assert message in result.stderr and "Traceback" not in result.stderr


def test_parallel_jobs_write_the_same_bytes_as_one_job(project: Path) -> None:
    serial = cardgen_process("render", "decks", "-o", "one", "-j", "1", cwd=project)
    parallel = cardgen_process("render", "decks", "-o", "two", "-j", "2", cwd=project)
    assert serial.returncode == parallel.returncode == 0, serial.stderr + parallel.stderr
    one, two = digests(project / "one"), digests(project / "two")
    assert len(one) == 7 and one == two


def test_json_document_failures_are_located_and_others_still_render(project: Path) -> None:
    (project / "decks" / "broken.yaml").write_text(
        "title: T\ncards:\n  - layout: cover\n    titel: x\n", encoding="utf-8"
    )
    code, doc, stderr = cardgen_json("render", "decks", "-o", "out", cwd=project, process=True)
    assert code == 1 and doc["exit_code"] == 1 and doc["ok"] is False
    assert doc["summary"] | {"seconds": 0} == doc["summary"] | {
        "decks": 4,
        "rendered": 3,
        "skipped": 0,
        "failed": 1,
        "slides": 7,
        "errors": 1,
        "warnings": 0,
        "seconds": 0,
    }
    broken = next(d for d in doc["decks"] if d["deck"].endswith("broken.yaml"))
    assert broken["status"] == "failed" and broken["slides"] == []
    (error,) = broken["errors"]
    assert error["line"] == 4 and error["field"].startswith("cards[0].titel") and error["card"] == 1
    assert error["file"].endswith("broken.yaml") and error["kind"] == "deck"
    assert 'unknown key "titel"' in error["message"]
    rendered = next(d for d in doc["decks"] if d["deck"].endswith("alpha.yaml"))
    assert rendered["status"] == "rendered" and rendered["out"] == "out/alpha"
    assert rendered["slides"] == ["out/alpha/01.png", "out/alpha/02.png"]
    assert all(Path(project, s).is_file() for s in rendered["slides"])
    assert stderr.startswith("decks/broken.yaml:4:5: error: cards[0].titel (card 1)")
    assert error["column"] == 5  # a field added to the JSON, the others as they were


def test_strict_makes_warnings_errors_in_json(tmp_path: Path) -> None:
    write_deck(tmp_path / "d.yaml", "Символ \u0e01")
    relaxed, doc, _ = cardgen_json("render", "d.yaml", "-o", "a", cwd=tmp_path)
    assert relaxed == 0 and doc["summary"]["warnings"] >= 1
    assert doc["decks"][0]["warnings"][0]["field"].startswith("cards[0].title")
    strict, doc, stderr = cardgen_json("render", "d.yaml", "-o", "b", "--strict", cwd=tmp_path)
    assert strict == 1 and doc["decks"][0]["errors"][0]["kind"] == "strict"
    assert "(--strict)" in stderr and not (tmp_path / "b" / "d").exists()


def test_json_stdout_is_only_the_document(project: Path) -> None:
    result = cardgen_process("render", "decks", "-o", "out", "--json", cwd=project)
    doc = json.loads(result.stdout)  # nothing else on stdout
    assert doc["command"] == "render" and len(doc["decks"]) == 3
    assert {"deck", "out", "status", "slides", "warnings", "errors", "seconds"} <= set(doc["decks"][0])


def test_shards_split_the_decks_without_overlap(project: Path) -> None:
    seen = []
    for index in (1, 2):
        code, doc, _ = cardgen_json("render", "decks", "-o", "out", "--shard", f"{index}/2", cwd=project, process=True)
        assert code == 0 and doc["summary"]["shard"] == f"{index}/2" and doc["summary"]["decks_in_all_shards"] == 3
        seen.append({d["deck"] for d in doc["decks"]})
    assert seen[0].isdisjoint(seen[1]) and len(seen[0] | seen[1]) == 3
    assert {len(s) for s in seen} == {1, 2}


def test_shard_choice_is_stable_and_ignores_argument_order() -> None:
    targets = [Target(Path(f"decks/d{i}.yaml"), Path(f"out/d{i}")) for i in range(7)]
    first = select_shard(targets, (2, 3))
    assert [t.deck.name for t in first] == ["d1.yaml", "d4.yaml"]
    assert {t.deck for t in select_shard(list(reversed(targets)), (2, 3))} == {t.deck for t in first}
    assert parse_shard(" 1 / 4 ") == (1, 4)
    with pytest.raises(UsageError):
        parse_shard("0/4")


def test_output_folders_never_nest_or_clash(tmp_path: Path) -> None:
    write_deck(tmp_path / "sub.yaml")
    write_deck(tmp_path / "post.yaml")
    write_deck(tmp_path / "sub" / "post.yaml")
    decks = find_decks([str(tmp_path)])
    with pytest.raises(UsageError, match="would write to"):
        assign_outputs(decks, Path("out"))  # out/sub/ would hold the other deck's out/sub/post/
    outs = assign_outputs([d for d in decks if d.name != "sub.yaml"], Path("out"))
    assert [t.out_dir.as_posix() for t in outs] == ["out/post", "out/sub/post"]


def test_a_missing_deck_file_is_a_deck_error_not_a_usage_error(tmp_path: Path) -> None:
    write_deck(tmp_path / "good.yaml")
    result = cardgen_process("render", "nope.yaml", "good.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "nope.yaml: error: file not found"
    assert (tmp_path / "out" / "good" / "01.png").is_file()


def test_a_terminal_gets_a_progress_bar_and_a_pipe_plain_lines(project: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    master, slave = pty.openpty()
    env = {
        **os.environ,
        "PYTHONUTF8": "1",
        "CARDGEN_CACHE_DIR": str(project / ".cache"),
        "TERM": "xterm",
        "COLUMNS": "100",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "cardgen", "render", "decks", "-o", "out", "-j", "1"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=slave,
        text=True,
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    stdout, _ = process.communicate(timeout=120)
    os.close(master)
    assert process.returncode == 0
    terminal = seen.decode("utf-8", errors="replace")
    assert "rendering" in terminal and "━" in terminal and "/3" in terminal  # rich's bar with 1/3, 2/3, 3/3
    assert "decks/alpha.yaml: 2 slides → out/alpha" in stdout  # stdout is a pipe: plain lines
    assert "━" not in stdout


def test_jobs_default_to_the_cores_this_process_may_use(project: Path) -> None:
    code, document, stderr = cardgen_json("render", "decks", "-o", "out", cwd=project, process=True)
    assert code == 0, stderr
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert document["summary"]["jobs"] == cores
    if shutil.which("taskset") and cores > 1:  # taskset narrows the default
        narrowed = subprocess.run(
            ["taskset", "-c", "0", sys.executable, "-m", "cardgen", "check", "decks", "--json"],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "CARDGEN_CACHE_DIR": str(project / ".cardgen-cache")},
        )
        assert json.loads(narrowed.stdout)["summary"]["jobs"] == 1, narrowed.stderr


def test_each_process_keeps_the_cores_it_is_allowed_busy() -> None:
    from cardgen.run.batch import encoders

    # One core paints; the rest (up to 4) encode beside it; a process with one core encodes inline.
    assert [encoders(cores) for cores in (1, 2, 3, 5, 16)] == [0, 1, 2, 4, 4]


@pytest.mark.parametrize(("jobs", "threads"), [(1, None), (2, 1), (3, 2)])
def test_one_deck_encodes_on_the_spare_cores_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int, threads: int | None
) -> None:
    """-j 1 starts no encoding thread (one busy core, as documented); -j N with one deck, N − 1."""
    from cardgen.run import batch
    from cardgen.output import slides as export

    started: list[int] = []

    class Counting(export.Encoders):
        def __init__(self, workers: int) -> None:
            started.append(workers)
            super().__init__(workers)

    monkeypatch.setattr(export, "Encoders", Counting)
    deck = write_deck(tmp_path / "post.yaml", "Пост", cards=3)
    target = Target(deck, tmp_path / "out" / "post")
    [outcome] = batch.run([target], batch.Options(jobs=jobs, cache=str(tmp_path / "cache")))
    assert outcome.status == batch.RENDERED and len(outcome.slides) == 3, outcome
    assert started == ([] if threads is None else [threads])


def test_workers_fork_only_where_nothing_else_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from cardgen.run.batch import start_method

    if not sys.platform.startswith("linux"):
        assert start_method() == "spawn"
        return
    with monkeypatch.context() as patch:  # as in the command: its main thread only (another test may leave one)
        patch.setattr(threading, "active_count", lambda: 1)
        assert start_method() == "fork" and start_method(fork=False) == "spawn"
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert start_method() == "spawn"  # a fork could inherit a lock the other thread holds
    finally:
        release.set()
        other.join()


def test_forked_and_spawned_workers_write_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from cardgen.run import batch

    chosen: list[str] = []
    real = batch.start_method
    monkeypatch.setattr(batch, "start_method", lambda fork=True: chosen.append(real(fork)) or chosen[-1])
    decks = [write_deck(tmp_path / f"d{i}.yaml", f"Пост {i}", cards=3) for i in range(3)]
    for name, fork in (("forked", True), ("spawned", False)):
        targets = [Target(deck, tmp_path / name / deck.stem) for deck in decks]
        outcomes = batch.run(targets, batch.Options(jobs=2, cache=str(tmp_path / f"cache-{name}")), fork=fork)
        assert [o.status for o in outcomes] == [batch.RENDERED] * 3, outcomes
    forked, spawned = digests(tmp_path / "forked"), digests(tmp_path / "spawned")
    assert len(forked) == 9 and forked == spawned
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        assert chosen == ["fork", "spawn"]


def test_the_progress_bar_runs_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bar is redrawn as decks end, so a render on a terminal can still fork its workers."""
    import threading

    from cardgen.run.console import Reporter

    before = threading.active_count()
    reporter = Reporter("render", 3)
    reporter.live = True  # as on a terminal
    with reporter:
        assert reporter._progress is not None and threading.active_count() == before


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups")
@pytest.mark.parametrize("json_out", [[], ["--json"]])
def test_ctrl_c_stops_a_parallel_render_cleanly(tmp_path: Path, json_out: list[str]) -> None:
    """Ctrl-C (SIGINT to the whole group, as a terminal sends it) while forked workers render:
    exit 130 with one "interrupted" line, no traceback, no worker left, no staging folder."""
    import signal
    import time

    for i in range(30):
        write_deck(tmp_path / "decks" / f"d{i:02d}.yaml", f"Пост {i}", cards=5, size="1080x1350")
    environment = {**os.environ, "PYTHONUTF8": "1", "CARDGEN_CACHE_DIR": str(tmp_path / ".cardgen-cache")}
    process = subprocess.Popen(
        [sys.executable, "-m", "cardgen", "render", "decks", "-o", "out", "-j", "2", *json_out],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        start_new_session=True,
    )
    try:
        out = tmp_path / "out"
        deadline = time.monotonic() + 60
        while not (out.is_dir() and any(not p.name.startswith(".") for p in out.iterdir())):
            assert time.monotonic() < deadline and process.poll() is None, process.communicate()
            time.sleep(0.02)  # until one deck is written: the workers are busy with the next ones
        os.killpg(process.pid, signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, stdout + stderr
    assert stderr.strip().splitlines()[-1] == "interrupted" and "Traceback" not in stderr, stderr
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # the group is empty: no worker outlived the command
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # no staging or retired folder
    assert 1 <= len(list(out.iterdir())) < 30
    for folder in out.iterdir():  # whatever was written is whole
        assert sorted(p.name for p in folder.iterdir()) == [f"0{n}.png" for n in range(1, 6)], folder
