"""Commands that need no process of their own, run in this one through typer's `CliRunner`
(`typograph`, `quality`): the same app `cardgen` runs, without a Python start-up per call.
The real command (`python -m cardgen`) is tested in the other files of this folder."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from cardgen.cli.app import app

ROOT = Path(__file__).resolve().parents[2]


def cardgen(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


def test_typograph_command_reads_stdin_and_files(tmp_path):
    result = cardgen("typograph", stdin='Он сказал: "Привет" - и ушел...\n')
    assert result.exit_code == 0
    assert result.stdout == "Он\u00a0сказал: «Привет»\u00a0— и\u00a0ушел…\n"
    text = tmp_path / "post.txt"
    text.write_text('He said "hi" - twice', encoding="utf-8")
    english = cardgen("typograph", str(text), "--lang", "en")
    assert english.stdout == "He said “hi”\u00a0— twice\n"
    bad = cardgen("typograph", "--lang", "de", stdin="x")
    assert bad.exit_code == 2


def test_quality_command_exit_codes(tmp_path):
    assert cardgen("quality", str(ROOT / "decks" / "negativity.yaml")).exit_code == 0
    deck = tmp_path / "d.yaml"
    deck.write_text("title: T\ncards:\n  - title: Символ \u0e01\n", encoding="utf-8")
    assert cardgen("quality", str(deck)).exit_code == 1


def test_quality_command_takes_folders_and_exits_0_on_a_clean_deck(tmp_path):
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        "title: T\ncards:\n  - title: Главное правило\n    text: Каждый пост отвечает "
        "на вопрос, который подписчики уже задавали.\n",
        encoding="utf-8",
    )
    ok = cardgen("quality", str(folder))
    assert ok.exit_code == 0, ok.output
    assert "a.yaml: 1 cards" in ok.stdout and "0 defects" in ok.stdout
