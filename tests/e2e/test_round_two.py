"""Hostile input, round two (issue 14), in process and through the real command: one deck's
failure among others, two decks of one name in one -o, links in discovery, YAML 1.2, counter
formats, theme number ranges, chrome that does not fit, fields a layout does not show, the
breaker's bound and the byte budgets of the pixel caches. Memory and time under an address-space
limit are in tests/e2e/test_bounds.py; the corpus cases in tests/hostile/cases.yaml."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import typing
from pathlib import Path

import pytest
from batchkit import age, run_cli, run_process

from cardgen.model.problems import CardgenError

DECK = "title: T\nsize: 400x500\ncards:\n  - title: Первая\n  - title: Вторая\n"


def cardgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd, env=_env(cwd))  # in this process (see batchkit)


def cardgen_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_process(*args, cwd=cwd, env=_env(cwd))


def _env(cwd: Path) -> dict[str, str]:
    return {"PYTHONUTF8": "1", "CARDGEN_CACHE_DIR": str(cwd / ".cache")}


# --- one deck's failure never stops the others ------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_bug_in_one_deck_fails_that_deck_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    """Anything but a user error is a bug: its deck fails with the traceback kept for the report,
    and the other decks render (forked workers inherit the patch)."""
    from cardgen.run import batch
    from cardgen.run import pipeline as render
    from cardgen.run.discover import plan_targets

    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.yaml").write_text(DECK, encoding="utf-8")
    real = render.render_deck

    def buggy(deck_path: Path, *args: typing.Any, **kwargs: typing.Any) -> typing.Any:
        if deck_path.name == "b.yaml":
            raise ZeroDivisionError("float division by zero")
        return real(deck_path, *args, **kwargs)

    monkeypatch.setattr(render, "render_deck", buggy)
    targets, _ = plan_targets([str(tmp_path)], tmp_path / "out")
    outcomes = batch.run(targets, batch.Options(jobs=jobs, cache=str(tmp_path / "cache")))
    status = {Path(o.deck).name: o.status for o in outcomes}
    assert status == {"a.yaml": "rendered", "b.yaml": "failed", "c.yaml": "rendered"}
    failed = next(o for o in outcomes if o.status == "failed")
    assert failed.errors[0].kind == "internal" and "ZeroDivisionError" in failed.errors[0].message
    assert failed.trace and "Traceback" in failed.trace  # printed on standard error by the reporter


def test_a_worker_that_dies_fails_its_decks_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cardgen.run import batch
    from cardgen.run import pipeline as render
    from cardgen.run.discover import plan_targets

    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(DECK, encoding="utf-8")
    real = render.render_deck

    def dying(deck_path: Path, *args: typing.Any, **kwargs: typing.Any) -> typing.Any:
        if deck_path.name == "a.yaml":
            os._exit(9)  # the kernel's OOM killer, as the parent sees it
        return real(deck_path, *args, **kwargs)

    monkeypatch.setattr(render, "render_deck", dying)  # forked workers inherit it
    targets, _ = plan_targets([str(tmp_path)], tmp_path / "out")
    outcomes = batch.run(targets, batch.Options(jobs=2, cache=str(tmp_path / "cache")))
    assert len(outcomes) == 2 and outcomes[0].status == "failed"
    assert "a worker process stopped" in outcomes[0].errors[0].message


def test_json_is_printed_whatever_fails(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(DECK, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        "title: x\ncards:\n  - layout: link\n    title: a\n    qr: true\n    url: 'https://x.org/" + "a" * 3000 + "'\n",
        encoding="utf-8",
    )
    result = cardgen("render", "a.yaml", "b.yaml", "-j", "1", "--json", cwd=tmp_path)
    document = json.loads(result.stdout)
    assert result.returncode == 1 and document["exit_code"] == 1
    assert [d["status"] for d in document["decks"]] == ["rendered", "failed"]
    assert "Traceback" not in result.stderr


# --- two decks of one name, one -o ------------------------------------------------------------


def test_another_deck_of_the_same_name_does_not_replace_the_slides_without_force(tmp_path: Path) -> None:
    for folder, title in (("a", "Первая"), ("b", "Другая")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "post.yaml").write_text(DECK.replace("Первая", title), encoding="utf-8")
        age(tmp_path / folder / "post.yaml")  # saved before the run: a deck saved while it renders has no owner
    assert cardgen("render", "a/post.yaml", "-o", "out", cwd=tmp_path).returncode == 0
    slides = {p.name: p.read_bytes() for p in (tmp_path / "out" / "post").iterdir()}
    second = cardgen("render", "b/post.yaml", "-o", "out", cwd=tmp_path)
    assert second.returncode == 1
    assert "out/post holds the slides of" in second.stderr and "a/post.yaml" in second.stderr
    assert "--force" in second.stderr and "Traceback" not in second.stderr
    assert {p.name: p.read_bytes() for p in (tmp_path / "out" / "post").iterdir()} == slides
    forced = cardgen("render", "b/post.yaml", "-o", "out", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert {p.name: p.read_bytes() for p in (tmp_path / "out" / "post").iterdir()} != slides
    # The same deck again, or a deck that was moved (its old file gone), takes its folder back.
    assert cardgen("render", "b/post.yaml", "-o", "out", cwd=tmp_path).returncode == 0
    shutil.move(tmp_path / "b", tmp_path / "c")
    assert cardgen("render", "c/post.yaml", "-o", "out", cwd=tmp_path).returncode == 0


# --- discovery and links ----------------------------------------------------------------------


def test_globs_and_folders_find_the_same_decks_and_follow_no_linked_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cardgen.run.discover import find_decks

    project = tmp_path / "project"
    (project / "decks" / "sub").mkdir(parents=True)
    (project / "decks" / "themes").mkdir()
    (project / "decks" / ".hidden").mkdir()
    for path in ("decks/a.yaml", "decks/sub/b.yaml", "decks/themes/t.yaml", "decks/.hidden/h.yaml"):
        (project / path).write_text(DECK, encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.yaml").write_text(DECK, encoding="utf-8")
    (project / "decks" / "away").symlink_to(tmp_path / "elsewhere")
    for i in range(4):  # loops a glob would walk for ever (each loop doubles the paths)
        (project / "decks" / "sub" / f"loop{i}").symlink_to(project / "decks")
    monkeypatch.chdir(project)
    started = time.perf_counter()
    expected = [Path("decks/a.yaml"), Path("decks/sub/b.yaml")]
    assert find_decks(["decks"]) == expected
    assert find_decks(["decks/**/*.yaml"]) == expected
    assert find_decks(["**/*.yaml"]) == expected
    assert find_decks(["decks/*"]) == expected
    assert find_decks(["decks/s?b/*.y*ml"]) == [Path("decks/sub/b.yaml")]
    assert time.perf_counter() - started < 5


def test_a_deck_linked_inside_its_folder_is_fine_and_one_linked_out_is_refused_unread(tmp_path: Path) -> None:
    from cardgen.load.deck import load_deck

    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "real.yaml").write_text(DECK, encoding="utf-8")
    (tmp_path / "decks" / "alias.yaml").symlink_to(tmp_path / "decks" / "real.yaml")
    assert load_deck(tmp_path / "decks" / "alias.yaml").title == "T"
    (tmp_path / "secret.yaml").write_text("password: hunter2\n", encoding="utf-8")
    (tmp_path / "decks" / "evil.yaml").symlink_to(tmp_path / "secret.yaml")
    with pytest.raises(CardgenError) as info:
        load_deck(tmp_path / "decks" / "evil.yaml")
    assert "is a symbolic link to" in str(info.value) and "hunter2" not in str(info.value)
    with pytest.raises(CardgenError, match='required key "title" is missing'):  # allowed: read as a deck
        load_deck(tmp_path / "decks" / "evil.yaml", root=tmp_path)


# --- YAML 1.2, counters, theme numbers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("True", True),
        ("FALSE", False),
        ("012", 12),
        ("0o12", 10),
        ("0x1F", 31),
        ("1e5", 100000.0),
        ("1_000", "1_000"),
        ("10:30", "10:30"),
        ("2024-05-01", "2024-05-01"),
        ("~", None),
        ("-.inf", float("-inf")),
        ("'no'", "no"),
    ],
)
def test_plain_values_are_read_by_yaml_1_2_core(text: str, value: object) -> None:
    from cardgen.load.reader import parse_yaml

    assert parse_yaml(f"key: {text}\n", Path("d.yaml")).data == {"key": value}


def test_title_no_is_text_and_qr_yes_is_no_boolean(tmp_path: Path) -> None:
    from cardgen.load.deck import load_deck

    (tmp_path / "d.yaml").write_text(
        "title: no\ncards:\n  - layout: link\n    title: off\n    qr: yes\n", encoding="utf-8"
    )
    with pytest.raises(CardgenError, match=r'cards\[0\]\.qr \(card 1\): expected true or false, found the text "yes"'):
        load_deck(tmp_path / "d.yaml")
    (tmp_path / "d.yaml").write_text("title: no\ncards:\n  - title: off\n", encoding="utf-8")
    deck = load_deck(tmp_path / "d.yaml")
    assert (deck.title, deck.cards[0].title) == ("no", "off")


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("{n}/{total}", "3/12"),
        ("{n:02}", "03"),
        ("{n:02d} из {total:03}", "03 из 012"),
        ("{{n}}", "{n}"),
        ("Шаг {n}", "Шаг 3"),
        ("{n:4}", None),
        ("{n:>1500000000}", None),
        ("{n.__class__}", None),
        ("{0}", None),
        ("{n!r}", None),
        ("{", None),
        ("}", None),
        ("{total:05}", None),
    ],
)
def test_counter_formats_are_read_by_cardgen(fmt: str, text: str | None) -> None:
    from cardgen.load.theme import Counter, format_counter
    from cardgen.load.validation import make

    if text is None:
        with pytest.raises(ValueError, match="is not a placeholder cardgen knows"):
            make(Counter, {"format": fmt})
        return
    started = time.perf_counter()
    assert format_counter(make(Counter, {"format": fmt}).format, 3, 12) == text
    assert time.perf_counter() - started < 0.1


def test_every_number_in_a_theme_has_a_range() -> None:
    """A new number in a theme model must say its range: checked at load, so check and render
    agree and painting never meets an infinite or tiny value."""
    import dataclasses

    from cardgen.load import theme
    from cardgen.load.records import Record

    def numbers(annotation: object) -> bool:
        """Whether a field's type holds a number (Optional, a pair, a list of them)."""
        return annotation in (int, float) or any(numbers(arg) for arg in typing.get_args(annotation))

    def bounded(meta: typing.Mapping[str, object]) -> bool:
        low = {"ge", "gt", "item_ge"} & set(meta)
        high = {"le", "lt", "item_le"} & set(meta)
        return bool(low and high)

    records = [m for m in vars(theme).values() if isinstance(m, type) and issubclass(m, Record) and m is not Record]
    fields = [
        (f"{record.__name__}.{f.name}", f.metadata)
        for record in records
        for f in dataclasses.fields(record)
        if not f.metadata.get("internal") and numbers(typing.get_type_hints(record)[f.name])
    ]
    assert [name for name, meta in fields if not bounded(meta)] == []
    assert {"Background.center", "Shape.width", "Role.size", "Background.radius"} <= {name for name, _ in fields}


# --- chrome, unshown fields, the JSON Schema ------------------------------------------------------


@pytest.mark.parametrize(
    ("deck", "where"),
    [
        ("cards:\n  - title: a\n    footer: '{long}'\n", "d.yaml:4: cards[0].footer (card 1): the footer does not fit"),
        ("defaults:\n  footer: '{long}'\ncards:\n  - title: a\n", "d.yaml:3: defaults.footer: the footer does not fit"),
        (
            "author:\n  handle: '@{long}'\ntheme: branded\ncards:\n  - title: a\n",
            "d.yaml:3: author.handle: the footer does not fit",
        ),
    ],
)
def test_chrome_that_does_not_fit_is_an_error_at_its_field(
    tmp_path: Path, deck: str, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cardgen.run.pipeline import check_deck

    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "branded.yaml").write_text("extends: default\nbrand: {handle: true}\n", encoding="utf-8")
    (tmp_path / "d.yaml").write_text("title: T\n" + deck.replace("{long}", "подвал" * 200), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CardgenError) as info:
        check_deck(tmp_path / "d.yaml")
    assert where in str(info.value), str(info.value)


def test_a_field_the_layout_does_not_show_is_an_error_and_defaults_are_not(tmp_path: Path) -> None:
    from cardgen.load.deck import LAYOUT_FIELDS, load_deck

    (tmp_path / "d.yaml").write_text(
        "title: T\ndefaults:\n  text: for the cards that show text\ncards:\n"
        "  - layout: list\n    items: [a]\n  - layout: stat\n    number: 5\n"
        "    items: [x]\n",
        encoding="utf-8",
    )
    with pytest.raises(CardgenError) as info:
        load_deck(tmp_path / "d.yaml")
    assert str(info.value).endswith(
        "cards[1].items (card 2): stat shows number, title and text; items is not shown: "
        "use a layout that shows it (list), or remove it"
    )
    assert "cards[0]" not in str(info.value)  # defaults' text on a list card: not an error
    assert set(LAYOUT_FIELDS) == {
        "cover",
        "text",
        "step",
        "list",
        "quote",
        "link",
        "image",
        "compare",
        "stat",
        "chat",
        "cta",
    }


def test_the_readme_layout_table_is_layout_fields() -> None:
    """The README's table of layouts lists, per layout, the keys `deck.LAYOUT_FIELDS` says it shows."""
    import re

    from cardgen.load.deck import LAYOUT_FIELDS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| .* \| ((?:`\w+`(?:, )?)+) \|$", readme, re.M))
    listed = {name: set(re.findall(r"`(\w+)`", rows.get(name, ""))) for name in LAYOUT_FIELDS}
    assert listed == {name: set(shows) for name, shows in LAYOUT_FIELDS.items()}


def test_the_json_schema_says_per_layout_which_fields_it_shows() -> None:
    import jsonschema

    from cardgen.load.schema import deck_schema

    validator = jsonschema.Draft202012Validator(deck_schema())
    bad = {"title": "T", "cards": [{"layout": "list", "items": ["a"], "text": "lost"}]}
    assert any("text" in e.message for e in validator.iter_errors(bad))
    good = {"title": "T", "cards": [{"layout": "list", "title": "t", "items": ["a"], "footer": "f"}, {"text": "x"}]}
    assert list(validator.iter_errors(good)) == []


# --- time: the breaker and the typesetter ---------------------------------------------------------


def test_breaking_is_linear_however_wide_the_line() -> None:
    from cardgen.text.linebreak import MAX_ACTIVE, Box, Penalty, break_lines

    items: list = []
    for _ in range(6000):
        items += [Box(0.5), Penalty(0.0, 4000.0)]
    items.append(Box(0.5))
    started = time.perf_counter()
    lines = break_lines(items, 1e6)  # one line would do: every break is a candidate for every other
    assert time.perf_counter() - started < 5  # 6000² / 2 pairs before the bound: minutes
    assert all(ln.end - ln.start <= 2 * MAX_ACTIVE + 1 for ln in lines)
    assert lines[0].start == 0 and lines[-1].end == len(items)


def test_a_word_with_thousands_of_break_points_is_split_in_linear_time() -> None:
    from cardgen.load.fonts import default_book
    from cardgen.text.markup import Span
    from cardgen.resolve.cards import _chain
    from cardgen.load.theme import FontRef
    from cardgen.text.typeset import StyleFonts, prepare_text

    chain = _chain(default_book(), FontRef(family="Inter"), 400, False)
    fonts = StyleFonts(chain, chain, chain, chain)
    url = "https://example.com/" + "a/" * 20_000
    started = time.perf_counter()
    prepared = prepare_text(((Span(url),),), fonts)
    assert time.perf_counter() - started < 5  # 70 s when each cut looked at every glyph
    assert len(prepared.paragraphs[0][0].items) > 20_000


# --- memory: the byte budgets of the pixel caches -------------------------------------------------


def test_a_budget_keeps_the_most_recent_entries_within_its_bytes() -> None:
    from cardgen.base.caches import Budget, cached

    budget = Budget("test", 100)
    calls: list[int] = []

    @cached(budget, lambda value: value)
    def size(n: int) -> int:
        calls.append(n)
        return n

    for n in (40, 40, 30, 50, 30, 200):
        size(n)
    assert calls == [40, 30, 50, 200]  # 40 and the second 30 came from the cache; 200 is never kept
    assert budget.used <= budget.most and budget.peak <= budget.most
    size(40)  # evicted by 50 (40 + 30 + 50 > 100): computed again
    assert calls[-1] == 40
    size.cache_clear()
    assert budget.used == 0


def test_large_emoji_on_a_large_canvas_stay_within_the_emoji_budget(tmp_path: Path) -> None:
    from cardgen.paint import draw as paint
    from cardgen.run.pipeline import layout_deck

    emoji = "😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗"
    cards = "".join(
        f"  - layout: stat\n    number: '{a}{b}'\n    title: a\n" for a, b in zip(emoji[::2], emoji[1::2], strict=True)
    )
    (tmp_path / "d.yaml").write_text(f"title: T\nsize: 4096x4096\ncards:\n{cards}", encoding="utf-8")
    paint.EMOJI.clear()
    paint.EMOJI.peak = 0
    for page in layout_deck(tmp_path / "d.yaml").pages:
        paint.paint_page(page)
    assert paint.EMOJI.peak <= paint.EMOJI.most
    assert paint.EMOJI.peak > paint.EMOJI.most // 2  # the budget was what bounded it: 16 tiles of ~5 MB
