"""Fuzzing: generated decks (valid and broken) either render or fail with cardgen's own error.

Any exception that is not a `CardgenError` is a bug: the CLI would print a traceback. Four
properties, each with its own share of the examples:
- layout of generated decks (valid-ish and broken structure) — EXAMPLES;
- layout of broken YAML *text* (syntax characters, tags, anchors, cut lines, bytes that are not
  UTF-8 dropped into a valid deck's text) — EXAMPLES;
- the whole render (paint, encode, output swap) — EXAMPLES / 50, at least 5;
- the real command: exit code 0 or 1, no traceback — EXAMPLES / 500, at least 3.

CI runs a bounded number (CARDGEN_FUZZ_EXAMPLES, default 100; about 20 s), derandomised (the
"ci" profile of tests/conftest.py: the same examples every run, on every machine); the cases
found so far are the `@example`s below. The long run, opt-in, draws new examples:

    CARDGEN_FUZZ_EXAMPLES=10000 CARDGEN_HYPOTHESIS_PROFILE=explore .venv/bin/pytest -q -p no:cacheprovider -m fuzz -x

Strings mix combining marks, right-to-left Arabic and Hebrew, ZWJ/ZWNJ and zero-width spaces,
control characters, emoji sequences, NBSP, inline markup and backslashes, and may run to a few
thousand characters. Structure is valid-ish or broken: wrong types, missing and unknown keys,
random layouts, sizes, themes and paths.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from cardgen.load.deck import LAYOUTS
from cardgen.model.problems import CardgenError
from cardgen.run.pipeline import layout_deck

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("CARDGEN_FUZZ_EXAMPLES", "100"))
PAINT_EXAMPLES = max(5, EXAMPLES // 50)  # painting is ~10× slower than layout
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,  # a long text may take a second to fit; that is not a failure
    database=None,  # no .hypothesis/ folder in the project; failures print a reproduction blob
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

SPECIAL = [
    "\u0301",
    "\u0336",
    "\u20dd",  # combining acute, long stroke, enclosing circle
    "\u200d",
    "\u200c",
    "\u200b",
    "\u2060",
    "\ufeff",  # ZWJ, ZWNJ, zero-width space, joiners, BOM
    "\u00a0",
    "\u202f",
    "\u2009",  # NBSP, narrow NBSP, thin space
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2069",
    "\u200f",
    "\u200e",  # bidi overrides, isolates, marks
    "مرحبا بالعالم",
    "שלום עולם",
    "ﷺ",
    "ﻼ",  # Arabic, Hebrew, ligature presentation forms
    "👩‍👩‍👧‍👦",
    "🇷🇺",
    "👍🏽",
    "❤️",
    "🫠",
    "1️⃣",  # ZWJ family, flag, skin tone, VS16, keycap
    "\x00",
    "\x07",
    "\x1b[31m",
    "\t",
    "\n",
    "\r\n",
    "\x85",
    "\u2028",
    "\u2029",
    "\x7f",
    "\x9b",
    "**",
    "*",
    "==",
    "\\",
    "\\*",
    "**==",
    "- ",
    "# ",
    "&a",
    "*a",
    "!!binary",
    "{",
    "[",
    ":",
    "«",
    "»",
    "—",
    "–",
    "…",
    "№",
    "ё",
    "Ё",
    "й",
    "Ѣ",
    "ß",
    "ﬁ",
    "İ",
    "𝕏",
    "𓂀",
    "ꙮ",
    "\U0010fffd",
    "\ufffd",
    "\ufffe",
    "Топ-9 бесплатных фотостоков",
    "Пере\u00adнос",
    "супер-пупер-длинное-слово" * 3,
]

chars = st.characters(exclude_categories=("Cs",))  # any code point but lone surrogates
pieces = st.one_of(st.text(chars, max_size=12), st.sampled_from(SPECIAL))
short_text = st.lists(pieces, max_size=8).map("".join)
long_text = st.lists(
    st.one_of(st.sampled_from(SPECIAL), st.just(" "), st.text(chars, max_size=40)), min_size=50, max_size=400
).map("".join)
text = st.one_of(short_text, short_text, short_text, long_text)

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), short_text)
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(short_text, inner, max_size=3)),
    max_leaves=8,
)
IMAGES = ["photo.png", "missing.png", "../outside.png", "/etc/passwd.png", "text.png", "photo.gif", "", "."]
SIZES = ["portrait", "square", "telegram", "story", "1080x1080", "320x320", "4096x320", "320x4096", "1080х1350"]
BAD_SIZES = ["5000x5000", "0x0", "-1x5", "1080 x", "huge"]
BACKGROUNDS = ["accent", "background", "#102030", "#fff", "photo.png", "rgb(1, 2, 3)"]
BAD_BACKGROUNDS = ["missing.png", "../outside.jpg", "mauve", "text.png"]
FOCUS = ["0.5 0.3", "0 0", "1 1", "top", "center", "bottom"]


def card_fields(valid: bool) -> dict[str, st.SearchStrategy]:
    """Every card key; `valid` gives values of the right type (the text itself is still hostile)."""
    vary = (lambda good: good) if valid else (lambda good: st.one_of(good, good, good, junk))
    return {
        "layout": vary(st.sampled_from(LAYOUTS) if valid else st.one_of(st.sampled_from(LAYOUTS), short_text)),
        "title": vary(text),
        "subtitle": vary(text),
        "text": vary(text),
        "items": vary(st.lists(text, min_size=1 if valid else 0, max_size=8)),
        "number": vary(st.one_of(st.integers(), short_text)),
        "author": vary(short_text),
        "footer": vary(short_text),
        "url": vary(st.one_of(short_text, st.just("https://www.example.com/путь/?utm_source=vk&id=1#x"))),
        "background": vary(
            st.sampled_from(BACKGROUNDS)
            if valid
            else st.one_of(st.sampled_from(BACKGROUNDS + BAD_BACKGROUNDS), short_text)
        ),
        "image": vary(st.just("photo.png") if valid else st.sampled_from(IMAGES)),
        # Newer keys (quote portrait, list markers, QR codes, focus, compare columns, cta hints).
        "avatar": vary(st.just("photo.png") if valid else st.sampled_from(IMAGES)),
        "marker": vary(st.sampled_from(["bullet", "number", "check"] + ([] if valid else ["star"]))),
        "qr": vary(st.booleans()),
        "focus": vary(st.sampled_from(FOCUS if valid else [*FOCUS, "left", "2 2", "-1 0", "nan nan"])),
        "left": vary(column(valid)),
        "right": vary(column(valid)),
        "hints": vary(
            st.lists(st.sampled_from(["save", "share", "like", "comment"] + ([] if valid else ["x"])), max_size=4)
        ),
        "messages": vary(st.lists(message(valid), min_size=1 if valid else 0, max_size=8)),
    }


def message(valid: bool) -> st.SearchStrategy:
    """A chat message: its text alone, or text with an optional name and side."""
    vary = (lambda good: good) if valid else (lambda good: st.one_of(good, good, good, junk))
    sides = st.sampled_from(["left", "right"] + ([] if valid else ["middle", ""]))
    mapping = st.fixed_dictionaries({"text": vary(text)}, optional={"name": vary(short_text), "side": vary(sides)})
    return st.one_of(text, mapping)


def column(valid: bool) -> st.SearchStrategy:
    vary = (lambda good: good) if valid else (lambda good: st.one_of(good, good, good, junk))
    return st.fixed_dictionaries(
        {}, optional={"title": vary(text), "text": vary(text), "items": vary(st.lists(text, min_size=1, max_size=5))}
    )


def deck_fields(valid: bool) -> dict[str, st.SearchStrategy]:
    vary = (lambda good: good) if valid else (lambda good: st.one_of(good, good, good, junk))
    names = ["default", "midnight", "paper"] + ([] if valid else ["nope", "../x.yaml", "/etc/passwd"])
    return {
        "theme": vary(st.sampled_from(names)),
        "size": vary(st.sampled_from(SIZES if valid else SIZES + BAD_SIZES)),
        "lang": vary(st.sampled_from(["ru", "en"] if valid else ["ru", "en", "de", ""])),
        "author": vary(
            st.fixed_dictionaries(
                {},
                optional={
                    "name": vary(short_text),
                    "handle": vary(short_text),
                    "avatar": vary(st.just("photo.png") if valid else st.sampled_from(IMAGES)),
                },
            )
        ),
        "caption": vary(text),
        "defaults": vary(st.fixed_dictionaries({}, optional=card_fields(valid))),
    }


unknown_keys = st.dictionaries(short_text, junk, max_size=2)


def deck_data(valid: bool) -> st.SearchStrategy:
    """A deck mapping: all keys of the right type (`valid`), or any key possibly junk or unknown."""
    card = st.fixed_dictionaries({}, optional=card_fields(valid))
    if not valid:
        card = st.builds(
            lambda known, extra, use: {**known, **(extra if use else {})},
            card,
            unknown_keys,
            st.integers(0, 4).map(lambda n: n == 0),
        )
    cards = st.lists(card, min_size=1, max_size=6)
    return st.builds(
        lambda title, cards, optional: {"title": title, "cards": cards, **optional},
        text if valid else st.one_of(text, junk),
        cards if valid else st.one_of(cards, cards, junk),
        st.fixed_dictionaries({}, optional=deck_fields(valid)),
    )


@st.composite
def decks(draw: st.DrawFn) -> Any:
    """A deck as plain data: mostly valid-ish, sometimes missing keys, extra keys or not a mapping."""
    if draw(st.booleans()):
        return draw(deck_data(valid=True))  # reaches layout: typesetting meets the hostile text
    deck = draw(deck_data(valid=False))
    mutation = draw(st.sampled_from(["none"] * 6 + ["drop", "extra", "list", "scalar", "junk"]))
    if mutation == "drop" and deck:
        deck.pop(draw(st.sampled_from(sorted(deck))))
    elif mutation == "extra":
        deck.update(draw(unknown_keys))
    elif mutation == "list":
        return [deck]
    elif mutation == "scalar":
        return draw(scalars)
    elif mutation == "junk":
        return draw(junk)
    return deck


_FOLDER = Path(tempfile.mkdtemp(prefix="cardgen-fuzz-"))


def _project() -> Path:
    """A deck folder with a real photo, a text file named .png and an image outside the folder."""
    project = _FOLDER / "project"
    if not project.is_dir():
        project.mkdir()
        Image.new("RGB", (64, 48), (200, 40, 40)).save(project / "photo.png")
        (project / "text.png").write_text("not an image", encoding="utf-8")
        Image.new("RGB", (8, 8)).save(_FOLDER / "outside.png")
    return project


def _write_deck(data: Any, unicode: bool) -> Path:
    path = _project() / "deck.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=unicode, sort_keys=False), encoding="utf-8")
    return path


@FUZZ_SETTINGS
@given(deck=decks(), unicode=st.booleans())
# Found by the 10 000-deck run: a background that is neither a color nor an image path was
# resolved as a path before it was refused, and a NUL in it raised ValueError.
@example(deck={"title": "", "cards": [{"background": "\x00"}]}, unicode=False)
def test_layout_either_succeeds_or_raises_cardgen_error(deck: Any, unicode: bool) -> None:
    path = _write_deck(deck, unicode)
    try:
        layout_deck(path)
    except CardgenError as exc:
        assert str(exc)  # every user error says something
        assert "Traceback" not in str(exc)


@settings(FUZZ_SETTINGS, max_examples=PAINT_EXAMPLES)
@given(deck=decks(), unicode=st.booleans())
def test_rendering_either_writes_slides_or_raises_cardgen_error(deck: Any, unicode: bool) -> None:
    """The whole render: layout, paint, encode and the output swap."""
    from cardgen.run.pipeline import render_deck

    path = _write_deck(deck, unicode)
    out = Path(tempfile.mkdtemp(prefix="out-", dir=_FOLDER))
    try:
        result = render_deck(path, out)
    except CardgenError:
        assert not any(out.rglob("*.png")), "a failed render left slides behind"
    else:
        assert result.slides and all(Path(s).is_file() for s in result.slides)
    finally:
        shutil.rmtree(out, ignore_errors=True)


# Broken YAML text, not only broken structure: a valid deck's text with YAML's own syntax
# characters, tags, anchors, stray bytes and cut lines dropped into it.
YAML_JUNK = [
    "{",
    "}",
    "[",
    "]",
    ":",
    ": ",
    "- ",
    "? ",
    "&a ",
    "*a",
    "*b ",
    "<<: *a\n",
    "!!python/object:os.system ",
    "!!binary ",
    "!x ",
    "'",
    '"',
    "\\",
    "\t",
    "\n",
    "\n  ",
    "  ",
    "|",
    ">-",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "#",
    "@",
    "`",
    ",",
    "\x00",
    "\x85",
    "\u2028",
    "\ufeff",
    "~",
    "null",
    "0x1F",
    "1e999",
]


@st.composite
def broken_yaml(draw: st.DrawFn) -> bytes:
    text = yaml.safe_dump(draw(deck_data(valid=True)), allow_unicode=draw(st.booleans()), sort_keys=False)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "insert", "delete", "cut", "repeat"]))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(YAML_JUNK)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 8)) :]
        elif kind == "cut":
            text = text[:at]
        else:
            lines = text.splitlines(keepends=True) or [""]
            i = draw(st.integers(0, len(lines) - 1))
            text = "".join(lines[:i] + [lines[i]] * draw(st.integers(2, 50)) + lines[i + 1 :])
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:  # now and then, bytes that are not UTF-8 at all
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf"])) + data[at:]
    return data


@FUZZ_SETTINGS
@given(data=broken_yaml())
def test_broken_yaml_text_either_lays_out_or_raises_cardgen_error(data: bytes) -> None:
    path = _project() / "deck.yaml"
    path.write_bytes(data)
    try:
        layout_deck(path)
    except CardgenError as exc:
        assert str(exc) and "Traceback" not in str(exc)


@settings(FUZZ_SETTINGS, max_examples=max(3, EXAMPLES // 500))
@given(deck=decks(), unicode=st.booleans())
def test_the_command_exits_0_or_1_without_a_traceback(deck: Any, unicode: bool) -> None:
    """Through the real entry point: what a user sees."""
    path = _write_deck(deck, unicode)
    env = {**os.environ, "PYTHONUTF8": "1", "CARDGEN_CACHE_DIR": str(_FOLDER / "cache")}
    result = subprocess.run(
        [sys.executable, "-m", "cardgen", "render", str(path), "-o", str(_FOLDER / "cli-out"), "--force", "-j", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


@pytest.mark.parametrize("text", SPECIAL)
def test_each_special_string_as_a_title_and_text(text: str) -> None:
    """Every special string on its own, so a failure names it without shrinking."""
    path = _write_deck({"title": text, "cards": [{"title": text, "text": text, "items": [text]}]}, True)
    try:
        layout_deck(path)
    except CardgenError:
        pass


# --- round two (issue 14): theme numbers, counter formats, file names that are not UTF-8 ----------

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**30), 10**30),
    st.sampled_from([0, -0.0, 1e-300, 1e308, -1e308, 0.0001, 600, 1e9, 2160, -2160, 4, 0.05]),
)


@st.composite
def theme_with_numbers(draw: st.DrawFn) -> dict[str, Any]:
    """A theme that extends default, with any numbers where a theme takes numbers."""
    pick = lambda: draw(numbers)  # noqa: E731
    theme: dict[str, Any] = {"extends": "default"}
    if draw(st.booleans()):
        kind = draw(st.sampled_from(["radial", "linear"]))
        theme["background"] = {
            "type": kind,
            "colors": ["accent", "background"],
            "angle": pick(),
            "radius": pick(),
            "center": [pick(), pick()],
        }
    if draw(st.booleans()):
        theme["shapes"] = [
            {
                "type": draw(st.sampled_from(["circle", "ring", "rect"])),
                "x": pick(),
                "y": pick(),
                "size": pick(),
                "height": pick(),
                "width": pick(),
                "radius": pick(),
                "opacity": draw(st.floats(0, 1)),
                "from_right": draw(st.booleans()),
            }
            for _ in range(draw(st.integers(1, 3)))
        ]
    if draw(st.booleans()):
        role = draw(st.sampled_from(["body", "title", "footer", "counter", "hint", "number"]))
        theme["roles"] = {
            role: {
                "size": pick(),
                "min_size": pick(),
                "line_height": pick(),
                "paragraph_gap": pick(),
                "tracking": pick(),
            }
        }
    if draw(st.booleans()):
        theme["spacing"] = {"margin": pick(), "gap": pick(), "chrome_gap": pick()}
    if draw(st.booleans()):
        theme["brand"] = {"logo_height": pick()}
    # Keep only the sections drawn; drop a key now and then so defaults fill in.
    return theme


@settings(FUZZ_SETTINGS, max_examples=max(20, EXAMPLES // 2))
@given(theme=theme_with_numbers(), size=st.sampled_from(["portrait", "320x320", "4096x320", "2000x500"]))
def test_theme_numbers_are_checked_at_load_so_check_and_render_agree(theme: dict[str, Any], size: str) -> None:
    """Any number in a theme: refused at load with cardgen's error, or laid out and painted.
    Painting never meets what loading let through (a radius of 1e-300, a ring 1e308 px wide)."""
    from cardgen.paint.draw import paint_page

    project = _project()
    (project / "themes").mkdir(exist_ok=True)
    (project / "themes" / "fuzz.yaml").write_text(yaml.safe_dump(theme), encoding="utf-8")
    path = _write_deck(
        {
            "title": "T",
            "theme": "fuzz",
            "size": size,
            "cards": [
                {"layout": "cover", "title": "Обложка"},
                {"title": "Шаг", "text": "Текст карточки.", "footer": "@me"},
            ],
        },
        True,
    )
    try:
        laid = layout_deck(path)
    except CardgenError as exc:
        assert str(exc) and "Traceback" not in str(exc)
        return
    for page in laid.pages:  # what check let through, render must paint
        paint_page(page)


formats = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "{",
                "}",
                "{n}",
                "{total}",
                "{n:02}",
                "{n:",
                ":",
                ">",
                "!r",
                ".",
                "__class__",
                "0",
                "4",
                "9",
                "d",
                "{{",
                "}}",
                "Шаг ",
                "/",
                "%",
            ]
        ),
        st.text(max_size=3),
    ),
    max_size=12,
).map("".join)


@settings(FUZZ_SETTINGS, max_examples=max(50, EXAMPLES))
@given(fmt=formats, n=st.integers(1, 10_000), total=st.integers(1, 10_000))
def test_counter_formats_are_read_by_cardgen_or_refused(fmt: str, n: int, total: int) -> None:
    """Any counter format: refused with a message (ValueError, located by the theme loader) or
    formatted by cardgen itself: never Python's str.format (padding, attributes, indexes)."""
    from cardgen.load.theme import MAX_COUNTER_CHARS, Counter, format_counter
    from cardgen.load.validation import make

    try:
        counter = make(Counter, {"format": fmt})
    except ValueError as exc:
        assert "Traceback" not in str(exc)
        return
    text = format_counter(counter.format, n, total)
    assert len(text) <= MAX_COUNTER_CHARS + 8 * len(fmt)  # at most 4 digits (or the number) per placeholder
    assert "class" not in text or "class" in fmt


names = st.binary(min_size=1, max_size=24).map(lambda raw: raw.replace(b"/", b"_").replace(b"\x00", b"_"))


@settings(FUZZ_SETTINGS, max_examples=max(10, EXAMPLES // 5))
@given(raw=names)
def test_file_names_that_are_not_utf8_are_found_rendered_and_printed(raw: bytes) -> None:
    """Any bytes as a deck's file name: found in its folder, rendered into a folder whose name is
    valid UTF-8, and every line about it printable."""
    from cardgen.run import batch
    from cardgen.run.console import deck_line, json_text
    from cardgen.run.discover import plan_targets

    folder = Path(tempfile.mkdtemp(prefix="names-", dir=_FOLDER))
    try:
        name = os.fsdecode(raw + b".yaml")
        if name in (".yaml", "..yaml"):
            return
        (folder / name).write_text("title: T\nsize: 400x500\ncards:\n  - title: Привет\n", encoding="utf-8")
        targets, _ = plan_targets([str(folder)], folder / "out")
        assert [t.deck.name for t in targets] == [name]
        [outcome] = batch.run(targets, batch.Options(jobs=1, cache=str(_FOLDER / "cache")))
        assert outcome.status == "rendered", outcome.errors
        line = deck_line(outcome)
        line.encode("utf-8")  # printable: a byte that is not UTF-8 is shown as \xff
        json_text(batch.document("render", [outcome], batch.summary([outcome], 0.0, 1, None, 1))).encode("utf-8")
        out_name = Path(outcome.out_dir).name
        out_name.encode("utf-8")
        assert all(Path(s).is_file() for s in outcome.slides)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@settings(FUZZ_SETTINGS, max_examples=max(2, EXAMPLES // 50))
@given(raw=names)
def test_the_command_handles_file_names_that_are_not_utf8(raw: bytes) -> None:
    folder = Path(tempfile.mkdtemp(prefix="names-cli-", dir=_FOLDER))
    try:
        name = os.fsdecode(raw + b".yaml")
        (folder / name).write_text("title: T\nsize: 400x500\ncards:\n  - title: Привет\n", encoding="utf-8")
        (folder / "ok.yaml").write_text("title: T\nsize: 400x500\ncards:\n  - title: Ок\n", encoding="utf-8")
        env = {**os.environ, "CARDGEN_CACHE_DIR": str(_FOLDER / "cache")}
        for args in (["render", ".", "-o", "out"], ["check", ".", "--json"]):
            result = subprocess.run(
                [sys.executable, "-m", "cardgen", *args], cwd=folder, capture_output=True, env=env, timeout=300
            )
            assert result.returncode in (0, 1), result.stderr
            assert b"Traceback" not in result.stderr
            result.stdout.decode("utf-8")  # whatever the name, the output is UTF-8
    finally:
        shutil.rmtree(folder, ignore_errors=True)
