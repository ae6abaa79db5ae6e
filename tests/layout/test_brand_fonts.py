"""A theme's own fonts (fonts.KEY.file): read with fontTools, instanced, checked against the deck's
text, and held to the same path rules as pictures. The fixtures are open-licence fonts from
Debian's packages (tests/fixtures/fonts/, each with its licence)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from cardgen.base.caches import forget_files
from cardgen.load.brandfonts import face_path, font_cache, inspect_font
from cardgen.model.problems import CardgenError, FontError
from cardgen.load.fonts import font_source, load_face
from cardgen.run.pipeline import check_deck, render_deck

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fonts"
CANTARELL = FIXTURES / "cantarell"
COMIC = FIXTURES / "comic-neue"
VARIABLE = FIXTURES / "inter-display-vf" / "InterDisplay-roman.var.ttf"
WOFF2 = FIXTURES / "andika" / "Andika-Regular.woff2"
DECK = (
    "title: T\ntheme: brand\nsize: 400x500\ncards:\n  - layout: cover\n    title: {title}\n"
    "  - title: Второй\n    text: {text}\n"
)


def project(
    tmp_path: Path,
    fonts: str,
    *,
    files: tuple[Path, ...] = (),
    title: str = "Фирменный шрифт",
    text: str = "Текст и **жирный**.",
) -> Path:
    """A deck beside themes/brand.yaml, whose fonts: section is `fonts`, with `files` in themes/fonts/."""
    (tmp_path / "themes" / "fonts").mkdir(parents=True)
    for path in files:
        shutil.copy(path, tmp_path / "themes" / "fonts" / path.name)
    (tmp_path / "themes" / "brand.yaml").write_text(f"extends: default\nfonts:\n{fonts}", encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    deck.write_text(DECK.format(title=title, text=text), encoding="utf-8")
    return deck


def glyph_fonts(laid, field: str, card: int = 0) -> set[Path]:
    (box,) = [b for b in laid.pages[card].text_boxes() if b.field == field]
    return {g.font for line in box.lines for g in line.glyphs if g.text.strip()}


def test_every_fixture_font_comes_with_its_licence() -> None:
    for folder in (CANTARELL, COMIC, VARIABLE.parent, WOFF2.parent):
        licence = (folder / "LICENSE.txt").read_text(encoding="utf-8")
        assert "OFL" in licence and "Copyright" in licence, folder


def test_family_weight_and_style_come_from_the_fonts_own_tables() -> None:
    bold = inspect_font(CANTARELL / "Cantarell-Bold.otf")
    assert (bold.family, bold.weight, bold.italic, bold.flavor, bold.variable) == (
        "Cantarell",
        700,
        False,
        "OpenType (CFF)",
        False,
    )
    assert inspect_font(COMIC / "ComicNeue-Italic.otf").italic is True
    variable = inspect_font(VARIABLE)
    assert variable.family == "Inter Display" and variable.wght == (100, 400, 900) and variable.flavor == "TrueType"
    woff2 = inspect_font(WOFF2)
    assert (woff2.family, woff2.flavor) == ("Andika", "WOFF2")


def test_a_theme_with_an_otf_family_renders_with_it(tmp_path: Path) -> None:
    deck = project(
        tmp_path,
        "  heading: {file: [fonts/Cantarell-Regular.otf, fonts/Cantarell-Bold.otf], weight: 700}\n",
        files=(CANTARELL / "Cantarell-Regular.otf", CANTARELL / "Cantarell-Bold.otf"),
    )
    result = render_deck(deck, tmp_path / "out")
    bold = (tmp_path / "themes" / "fonts" / "Cantarell-Bold.otf").resolve()
    assert glyph_fonts(result.laid, "title") == {bold}  # the heading weight, matched in the family's files
    assert load_face(bold).family == "Cantarell" and load_face(bold).weight == 700
    assert [p.name for p in result.slides] == ["01.png", "02.png"] and result.warnings == ()


def test_a_variable_font_is_instanced_at_the_weights_the_theme_asks_for_and_cached(tmp_path: Path) -> None:
    deck = project(tmp_path, "  body: {file: fonts/InterDisplay-roman.var.ttf, weight: 400}\n", files=(VARIABLE,))
    laid = check_deck(deck)
    source = (tmp_path / "themes" / "fonts" / VARIABLE.name).resolve()
    regular, bold = sorted(glyph_fonts(laid, "text", card=1), key=lambda p: p != source)
    assert regular == source  # weight 400 is the font's default instance: its own outlines
    assert bold.parent == font_cache() and font_source(bold) == source  # **bold**: 700, made once
    instance = TTFont(bold)
    assert "fvar" not in instance and instance["OS/2"].usWeightClass == 700
    assert load_face(bold).weight == 700 and load_face(bold).family == "Inter Display"
    made = bold.stat().st_mtime_ns
    forget_files()  # as a new process would: the instance on disk is reused, not made again
    assert face_path([source], 700, False) == bold and bold.stat().st_mtime_ns == made


def test_a_woff2_font_is_decompressed_once_and_drawn(tmp_path: Path) -> None:
    deck = project(tmp_path, "  body: {file: fonts/Andika-Regular.woff2}\n", files=(WOFF2,))
    result = render_deck(deck, tmp_path / "out")
    (drawn,) = {p for p in glyph_fonts(result.laid, "text", card=1) if font_source(p).name == "Andika-Regular.woff2"}
    assert drawn.suffix == ".ttf" and drawn.parent == font_cache()
    assert TTFont(drawn).flavor is None and load_face(drawn).family == "Andika"


def test_a_latin_only_font_warns_with_the_font_the_characters_and_the_card(tmp_path: Path) -> None:
    deck = project(
        tmp_path,
        "  heading: {file: fonts/ComicNeue-Regular.otf}\n",
        files=(COMIC / "ComicNeue-Regular.otf",),
        title="Жук Latin",
    )
    laid = check_deck(deck)
    notices = [n for n in laid.warnings if "Comic Neue" in n.message]
    assert {n.card for n in notices} == {1, 2}
    first = next(n for n in notices if n.card == 1)
    assert "the font Comic Neue (ComicNeue-Regular.otf) has no «Ж», «к», «у» (U+0416, U+043A, U+0443)" in first.message
    assert "NotoSans" in first.message and first.field == "cards[0].title (card 1)"
    assert first.where is not None and first.where.line == 6 and first.where.file == deck.resolve()
    fallback = glyph_fonts(laid, "title") - {(tmp_path / "themes" / "fonts" / "ComicNeue-Regular.otf").resolve()}
    assert fallback and all(load_face(p).family == "NotoSans" for p in fallback)  # Cyrillic still set, in the chain


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("Cut.otf", (CANTARELL / "Cantarell-Bold.otf").read_bytes()[:20_000], "the font file is damaged"),
        (
            "Notes.otf",
            b"not a font at all\n",
            "not a font file: expected TrueType, OpenType, WOFF2 or WOFF, found text",
        ),
        ("Picture.ttf", b"\x89PNG\r\n\x1a\n" + bytes(64), "found a PNG image"),
        ("Garbage.ttf", b"\x00\x01\x00\x00" + bytes(200), "the font file is damaged"),
    ],
)
def test_damaged_and_non_font_files_are_errors_at_the_themes_line(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    deck = project(tmp_path, f"  body: {{file: fonts/{name}}}\n")
    (tmp_path / "themes" / "fonts" / name).write_bytes(content)
    with pytest.raises(CardgenError) as info:
        check_deck(deck)
    (problem,) = info.value.problems
    assert message in problem.message and f'"fonts/{name}"' in problem.message
    assert (Path(problem.file).name, problem.line, problem.field) == ("brand.yaml", 3, "fonts.body.file")
    assert problem.kind == "theme"


def test_a_missing_font_a_wrong_suffix_and_paths_out_of_the_project_are_refused(tmp_path: Path) -> None:
    deck = project(
        tmp_path,
        "  body: {file: fonts/Missing.otf}\n  heading: {file: fonts/readme.txt}\n  label: {file: ../../outside.otf}\n",
    )
    (tmp_path / "themes" / "fonts" / "readme.txt").write_text("x", encoding="utf-8")
    with pytest.raises(CardgenError) as info:
        check_deck(deck)
    messages = [p.message for p in info.value.problems]
    assert any('font file not found: "fonts/Missing.otf"' in m for m in messages)
    assert any("expected a font file (.otf, .ttf, .woff2, .woff)" in m for m in messages)
    assert any('"../../outside.otf" is outside the project root' in m for m in messages)


def test_a_font_the_deck_names_outside_the_root_is_allowed_with_allow_outside(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shutil.copy(CANTARELL / "Cantarell-Regular.otf", shared)
    deck = project(tmp_path / "project", "  body: {file: ../../shared/Cantarell-Regular.otf}\n")
    with pytest.raises(CardgenError, match="outside the project root"):
        check_deck(deck)
    laid = check_deck(deck, allow_outside=True)
    assert (shared / "Cantarell-Regular.otf").resolve() in glyph_fonts(laid, "text", card=1)


def test_a_child_themes_file_replaces_its_parents_family_but_one_key_cannot_name_both(tmp_path: Path) -> None:
    # default.yaml names body: {family: Inter}: the child's file: takes its place
    deck = project(
        tmp_path, "  body: {file: fonts/Cantarell-Regular.otf}\n", files=(CANTARELL / "Cantarell-Regular.otf",)
    )
    assert check_deck(deck)
    (tmp_path / "themes" / "brand.yaml").write_text(
        "extends: default\nfonts:\n  body: {family: Inter, file: fonts/Cantarell-Regular.otf}\n", encoding="utf-8"
    )
    with pytest.raises(CardgenError, match="not both"):
        check_deck(deck)


def test_the_manifest_records_the_font_file_not_the_instance_made_of_it(tmp_path: Path) -> None:
    from cardgen.run.manifest import deck_inputs

    deck = project(tmp_path, "  body: {file: fonts/InterDisplay-roman.var.ttf}\n", files=(VARIABLE,))
    inputs = deck_inputs(check_deck(deck), None)
    assert str((tmp_path / "themes" / "fonts" / VARIABLE.name).resolve()) in inputs
    assert not any(Path(p).parent == font_cache() for p in inputs)


def test_inspecting_a_fifo_never_waits(tmp_path: Path) -> None:
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    os.mkfifo(tmp_path / "pipe.otf")
    with pytest.raises(FontError, match="expected a font file, found a named pipe"):
        inspect_font(tmp_path / "pipe.otf")


def _woff2_bomb(declared: int, zeros_mb: int) -> bytes:
    """A WOFF2 with one table (head, null transform) declaring `declared` bytes, whose brotli block
    unpacks to `zeros_mb` MB of zeros (as the attacker's 5 KB file that unpacked to 3 GB)."""
    import struct

    import brotli

    compressor, zeros = brotli.Compressor(quality=1), bytes(1 << 20)
    block = b"".join(compressor.process(zeros) for _ in range(zeros_mb)) + compressor.finish()
    entry = bytes([0x01]) + bytes([declared]) if declared < 128 else bytes([0x01]) + _base128(declared)
    header = struct.pack(
        ">4sLLHHLLHHLLLLL", b"wOF2", 0x10000, 48 + len(entry) + len(block), 1, 0, 100, len(block), 1, 0, 0, 0, 0, 0, 0
    )
    return header + entry + block


def _base128(value: int) -> bytes:
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def _woff_bomb(original: int, zeros_mb: int) -> bytes:
    """A WOFF with one zlib table declaring `original` bytes that unpacks to `zeros_mb` MB."""
    import struct
    import zlib

    packer = zlib.compressobj(9)
    table = b"".join(packer.compress(bytes(1 << 20)) for _ in range(zeros_mb)) + packer.flush()
    header = struct.pack(
        ">4sLLHHLHHLLLLL", b"wOFF", 0x10000, 64 + len(table), 1, 0, 12 + 16 + original, 1, 0, 0, 0, 0, 0, 0
    )
    entry = struct.pack(">4sLLLL", b"cmap", 64, len(table), original, 0)
    return header + entry + table


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # unpacks to 256 MB while declaring 100 bytes: refused after 100, not unpacked whole
        ("bomb.woff2", lambda: _woff2_bomb(100, 256), "its compressed data unpacks to more than it declares"),
        # declares 1 GB of tables: refused before anything is unpacked
        ("big.woff", lambda: _woff_bomb(1 << 30, 1), "the font file unpacks to 1073741824 bytes; at most 128000000"),
        # declares 100 KB (more than its 64 KB packed, as a real table), unpacks to 64 MB
        ("bomb.woff", lambda: _woff_bomb(100_000, 64), "a compressed table unpacks to more than it declares"),
        ("cut.woff2", lambda: b"wOF2\x00\x01\x00\x00" + bytes(8), "its header or table directory is cut short"),
    ],
)
def test_a_packed_font_is_measured_before_fonttools_unpacks_it(
    tmp_path: Path, name: str, content, message: str
) -> None:
    """A crafted WOFF2 or WOFF from a pull request cannot make a run unpack gigabytes: each
    compressed part is unpacked in counted pieces, none kept, and refused past what it declares
    or past MAX_UNPACKED_FONT_BYTES, with a plain message at the theme's line."""
    import tracemalloc

    deck = project(tmp_path, f"  body: {{file: fonts/{name}}}\n")
    (tmp_path / "themes" / "fonts" / name).write_bytes(content())
    tracemalloc.start()
    try:
        with pytest.raises(CardgenError) as info:
            check_deck(deck)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    (problem,) = info.value.problems
    assert message in problem.message and "Error" not in problem.message, problem.message
    assert (Path(problem.file).name, problem.line, problem.field) == ("brand.yaml", 3, "fonts.body.file")
    assert peak < 32_000_000  # not the 256 or 64 MB the file would unpack to


def test_real_woff2_and_woff_fonts_pass_the_packed_check(tmp_path: Path) -> None:
    from cardgen.load.brandfonts import packed_damage

    assert packed_damage(WOFF2.read_bytes(), "WOFF2") is None
    font = TTFont(WOFF2)
    font.flavor = "woff"
    woff = tmp_path / "Andika-Regular.woff"
    font.save(woff)
    assert packed_damage(woff.read_bytes(), "WOFF") is None
    assert inspect_font(woff).family == "Andika"
