"""The in-process runner (`batchkit.run_cli`): the command's own function, `cardgen.cli.app._run`,
in the test process through typer's `CliRunner` isolation, as most CLI tests run it. Shown here:
commands that read stdin, and that one run leaves nothing to the next in the same process (a
config file, usage errors, the cache folder, files read), as `cardgen watch` or a test needs;
and that a run which would start worker processes is refused (those tests use `run_process`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batchkit import NeedsAProcess, age, run_cli, write_deck

ROOT = Path(__file__).resolve().parents[2]


def test_typograph_command_reads_stdin_and_files(tmp_path: Path) -> None:
    result = run_cli("typograph", cwd=tmp_path, stdin='Он сказал: "Привет" - и ушел...\n')
    assert result.returncode == 0
    assert result.stdout == "Он\u00a0сказал: «Привет»\u00a0— и\u00a0ушел…\n"
    text = tmp_path / "post.txt"
    text.write_text('He said "hi" - twice', encoding="utf-8")
    english = run_cli("typograph", str(text), "--lang", "en", cwd=tmp_path)
    assert english.stdout == "He said “hi”\u00a0— twice\n"
    bad = run_cli("typograph", "--lang", "de", cwd=tmp_path, stdin="x")
    assert bad.returncode == 2 and bad.stderr.startswith("error: --lang: ")


def test_quality_command_exit_codes(tmp_path: Path) -> None:
    assert run_cli("quality", str(ROOT / "decks" / "negativity.yaml"), cwd=tmp_path).returncode == 0
    deck = tmp_path / "d.yaml"
    deck.write_text("title: T\ncards:\n  - title: Символ \u0e01\n", encoding="utf-8")
    assert run_cli("quality", str(deck), cwd=tmp_path).returncode == 1


def test_quality_command_takes_folders_and_exits_0_on_a_clean_deck(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        "title: T\ncards:\n  - title: Главное правило\n    text: Каждый пост отвечает "
        "на вопрос, который подписчики уже задавали.\n",
        encoding="utf-8",
    )
    ok = run_cli("quality", str(folder), cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "a.yaml: 1 cards" in ok.stdout and "0 defects" in ok.stdout


def _config(folder: Path) -> dict[str, object]:
    result = run_cli("config", "--json", cwd=folder)
    assert result.returncode == 0, result.stderr
    document: dict[str, object] = json.loads(result.stdout)
    return document


def _setting(document: dict[str, object], key: str) -> tuple[str, str]:
    rows = document["settings"]
    assert isinstance(rows, list)
    row = next(row for row in rows if row["key"] == key)
    return row["value"], row["source"]


def test_a_run_does_not_see_the_config_file_of_the_run_before(tmp_path: Path) -> None:
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    (project / "cardgen.toml").write_text('out = "slides"\n', encoding="utf-8")
    assert _config(project)["file"] == str(project / "cardgen.toml")
    assert _setting(_config(project), "out")[0] == '"slides"'
    after = _config(elsewhere)  # no config file here or above: cardgen's defaults
    assert after["file"] is None and _setting(after, "out") == ("(out)", "default")


def test_a_config_file_saved_between_two_runs_is_read_again(tmp_path: Path) -> None:
    config = tmp_path / "cardgen.toml"
    config.write_text('out = "first"\n', encoding="utf-8")
    assert _setting(_config(tmp_path), "out")[0] == '"first"'
    config.write_text('out = "second"\n', encoding="utf-8")
    assert _setting(_config(tmp_path), "out")[0] == '"second"'
    config.unlink()
    assert _config(tmp_path)["file"] is None


def test_the_usage_errors_of_one_run_are_not_reported_by_the_next(tmp_path: Path) -> None:
    write_deck(tmp_path / "d.yaml")
    first = run_cli("render", "d.yaml", "--format", "gif", "--json", cwd=tmp_path)
    assert first.returncode == 2 and "--format" in json.loads(first.stdout)["usage_errors"][0]
    second = run_cli("check", "d.yaml", "--size", "0x0", "--json", cwd=tmp_path)
    errors = json.loads(second.stdout)["usage_errors"]
    assert second.returncode == 2 and len(errors) == 1 and errors[0].startswith("--size"), errors


def test_each_run_keeps_its_manifests_and_file_digests_in_its_own_cache_folder(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "d.yaml")
    age(deck)  # saved before the run: a deck saved during it gets no manifest
    for cache in (tmp_path / "cache-1", tmp_path / "cache-2"):
        result = run_cli("render", "d.yaml", "--force", cwd=tmp_path, env={"CARDGEN_CACHE_DIR": str(cache)})
        assert result.returncode == 0, result.stderr
        assert list((cache / "manifests").glob("*.json")), cache
        stored = json.loads((cache / "file-hashes.json").read_text(encoding="utf-8"))  # the fonts, unchanged for long
        assert any(path.endswith(".otf") or path.endswith(".ttf") for path in stored), cache


def test_a_run_that_would_start_worker_processes_is_refused(tmp_path: Path) -> None:
    write_deck(tmp_path / "a.yaml")
    write_deck(tmp_path / "b.yaml")
    with pytest.raises(NeedsAProcess):
        run_cli("check", "a.yaml", "b.yaml", "-j", "2", cwd=tmp_path)
    assert run_cli("check", "a.yaml", "b.yaml", "-j", "1", cwd=tmp_path).returncode == 0
