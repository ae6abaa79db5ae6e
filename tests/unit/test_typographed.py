"""The typograph's results kept between runs (`run.typographed`) and within one (`text.typograph`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cardgen.base.caches import forget_files
from cardgen.run import typographed
from cardgen.text import typograph as typo
from cardgen.text import typograph_rules


@pytest.fixture(autouse=True)
def fresh() -> None:
    typo._forget()


def compiled_patterns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The typograph's patterns compiled from now on (each compiles on its first use)."""
    compiled: list[str] = []
    original = typograph_rules.Lazy.__getattr__

    def counting(self: typograph_rules.Lazy, name: str) -> object:
        if self._pattern is None:
            compiled.append(self.key[0])
        return original(self, name)

    monkeypatch.setattr(typograph_rules.Lazy, "__getattr__", counting)
    return compiled


TEXTS = ['Садитесь за план раз в месяц - и 30 сообществ в 2025 г. скажут "спасибо"', "Шаг 3 из 7"]


def test_a_text_set_once_is_not_set_again_in_the_process() -> None:
    first = [typo.typograph(text, "ru") for text in TEXTS]
    assert typo.recorded() == sorted(("ru", text, out) for text, out in zip(TEXTS, first, strict=True))
    typo.remember([("ru", TEXTS[0], "given")])  # what an earlier run recorded is taken as it is
    assert typo.typograph(TEXTS[0], "ru") == "given"
    assert typo.typograph(TEXTS[0], "ru", rules=["dash/main"]) != "given"  # one rule alone: never remembered
    assert typo.recorded() == [("ru", TEXTS[0], "given")]


def test_a_deck_rendered_again_runs_no_rule_for_the_texts_it_had(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = tmp_path / "post.yaml"
    typographed.load(deck, tmp_path)
    cold = [typo.typograph(text, "ru") for text in TEXTS]
    assert typographed.save(deck, tmp_path)  # written: new texts
    assert not typographed.save(deck, tmp_path)  # nothing used since: nothing to write

    typo._forget()  # a new process
    for lazy in [v for v in vars(typograph_rules).values() if isinstance(v, typograph_rules.Lazy)]:
        monkeypatch.setattr(lazy, "_pattern", None)
    compiled = compiled_patterns(monkeypatch)
    assert typographed.load(deck, tmp_path) == 2
    assert [typo.typograph(text, "ru") for text in TEXTS] == cold
    assert compiled == []  # no pattern compiled: the ~30 ms a render saves
    assert not typographed.save(deck, tmp_path)  # the same texts: the file stays

    typographed.load(deck, tmp_path)  # the next run: the second card was edited
    typo.typograph(TEXTS[0], "ru")
    assert compiled == []
    typo.typograph("Новый текст - и всё", "ru")  # only the edited text runs the rules
    assert compiled
    assert typographed.save(deck, tmp_path)
    kept = json.loads(typographed.store_path(deck, tmp_path).read_text(encoding="utf-8"))["texts"]
    assert [entry[1] for entry in kept] == sorted(["Новый текст - и всё", TEXTS[0]])  # the old text is gone


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b"[]",
        b'{"typograph": "another", "texts": [["ru", "a", "b"]]}',
        b'{"typograph": "KEY", "texts": [["ru", "a"], ["ru", 1, "b"], "x"]}',
        b'{"typograph": "KEY", "texts": {"a": "b"}}',
    ],
)
def test_a_damaged_or_foreign_file_is_only_ignored(tmp_path: Path, content: bytes) -> None:
    deck = tmp_path / "post.yaml"
    path = typographed.store_path(deck, tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(content.replace(b"KEY", typographed.typograph_key().encode()))
    assert typographed.load(deck, tmp_path) == 0
    assert typo.typograph("a - b", "ru") == "a\u00a0—\u00a0b"


def test_an_oversized_file_is_not_read(tmp_path: Path) -> None:
    deck = tmp_path / "post.yaml"
    path = typographed.store_path(deck, tmp_path)
    path.parent.mkdir(parents=True)
    document = {"typograph": typographed.typograph_key(), "texts": [["ru", "x", "y" * typographed.MAX_FILE_BYTES]]}
    path.write_text(json.dumps(document), encoding="utf-8")
    assert typographed.load(deck, tmp_path) == 0


def test_the_process_table_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(typo, "MAX_RESULTS", 3)
    for i in range(5):
        typo.typograph(f"текст {i}", "ru")
    assert 0 < len(typo._RESULTS) <= 3
    forget_files()  # watch's round: no file is behind a text's result, so it stays
    assert typo._RESULTS


def test_another_regex_sets_every_text_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deck = tmp_path / "post.yaml"
    typographed.load(deck, tmp_path)
    typo.typograph(TEXTS[1], "ru")
    typographed.save(deck, tmp_path)
    typo._forget()
    monkeypatch.setattr(typographed.regex, "__version__", "0.0.0")
    typographed.typograph_key.cache_clear()  # type: ignore[attr-defined]
    try:
        assert typographed.load(deck, tmp_path) == 0
    finally:
        typographed.typograph_key.cache_clear()  # type: ignore[attr-defined]
