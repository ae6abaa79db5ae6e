"""Typographic quality of what cardgen sets: example decks and the torture deck are clean;
the checker itself finds defects (the commands: tests/e2e/test_stage_commands.py)."""

from dataclasses import replace
from pathlib import Path

import pytest

from cardgen.review.quality import check_laid_out, check_quality
from cardgen.run.pipeline import layout_deck

ROOT = Path(__file__).resolve().parents[2]
CLEAN = [
    *sorted((ROOT / "decks").glob("*.yaml")),
    ROOT / "tests" / "decks" / "torture.yaml",
    ROOT / "tests" / "decks" / "all-layouts.yaml",
]


@pytest.mark.parametrize("deck", CLEAN, ids=lambda p: p.stem)
def test_decks_have_no_typographic_defects(deck):
    laid = layout_deck(deck)
    report = check_laid_out(laid)
    assert report.defects == [], [str(d) for d in report.defects]
    assert laid.warnings == ()
    assert report.lines > 0


def test_no_line_ends_in_a_preposition_in_the_russian_decks():
    for deck in ("negativity", "photostocks"):
        laid = layout_deck(ROOT / "decks" / f"{deck}.yaml")
        for page in laid.pages:
            for box in page.text_boxes():
                for line in box.lines[:-1]:
                    assert line.text.split(" ")[-1] not in {"в", "и", "с", "на", "не", "по", "для", "а", "к", "о"}, (
                        line.text
                    )


def test_the_checker_finds_a_hanging_preposition_and_a_size_spread():
    laid = layout_deck(ROOT / "decks" / "habits-en.yaml")
    page = laid.pages[1]
    broken = []
    for box in page.boxes:
        if getattr(box, "field", "") == "text":
            first = replace(box.lines[0], text=box.lines[0].text + " a")
            box = replace(box, lines=(first, *box.lines[1:]), size=box.size * 0.88)
        broken.append(box)
    pages = (laid.pages[0], replace(page, boxes=tuple(broken)), *laid.pages[2:])
    kinds = {d.kind for d in check_quality(laid.cards, pages, "en", tuple(cf.step for cf in laid.fits)).defects}
    assert kinds == {"short-word-at-line-end", "size-spread"}


def test_the_checker_finds_a_long_preposition_at_a_line_end_whatever_the_typograph_binds():
    """The checker has its own list of prepositions: «перед» was missed by rule and check alike."""
    laid = layout_deck(ROOT / "decks" / "negativity.yaml")
    page = laid.pages[1]
    broken = []
    for box in page.boxes:
        if getattr(box, "field", "") == "text":
            box = replace(box, lines=(replace(box.lines[0], text=box.lines[0].text + " перед"), *box.lines[1:]))
        broken.append(box)
    pages = (laid.pages[0], replace(page, boxes=tuple(broken)), *laid.pages[2:])
    defects = [d for d in check_quality(laid.cards, pages, "ru").defects if d.kind == "short-word-at-line-end"]
    assert len(defects) == 1 and defects[0].detail.endswith("перед'")


def test_hyphenation_is_used_in_body_text_and_never_in_titles():
    """Headings hyphenate only a word wider than their measure (none in this deck)."""
    laid = layout_deck(ROOT / "decks" / "negativity.yaml")
    hyphenated = {
        box.role
        for page in laid.pages
        for box in page.text_boxes()
        for line in box.lines[:-1]
        if line.text.endswith("-") and line.text[-2:-1].isalpha()
    }
    assert hyphenated <= {"body", "item", "cta_text"}


def test_emoji_and_fallback_glyphs_are_drawn_from_the_right_fonts():
    laid = layout_deck(ROOT / "tests" / "decks" / "torture.yaml")
    glyphs = [g for page in laid.pages for box in page.text_boxes() for ln in box.lines for g in ln.glyphs]
    emoji = {g.text for g in glyphs if g.emoji}
    assert {"🇷🇺", "👍🏽", "1️⃣", "🏳️‍🌈", "👨‍👩‍👧‍👦"} <= emoji  # ZWJ, flags, keycaps, skin tones: one cluster each
    assert all(g.gid != 0 for g in glyphs)


def test_a_number_stays_on_the_line_of_the_word_it_counts(tmp_path):
    """«…путь от 30 / сообществ», «за 30 / минут» on imported slides: the typograph binds them,
    and the checker would call the split a defect."""
    deck = tmp_path / "d.yaml"
    deck.write_text(
        "title: T\ncards:\n  - text: За полгода мы прошли путь от 30 сообществ до 900 и научились работать"
        " за 30 минут в день.\n",
        encoding="utf-8",
    )
    laid = layout_deck(deck)
    lines = [line.text for page in laid.pages for box in page.text_boxes() if box.field == "text" for line in box.lines]
    assert len(lines) > 1 and not any(line.endswith("30") for line in lines), lines
    assert check_laid_out(laid).defects == []


def test_the_checker_finds_a_number_parted_from_its_word():
    laid = layout_deck(ROOT / "decks" / "negativity.yaml")
    page = laid.pages[1]
    broken = []
    for box in page.boxes:
        if getattr(box, "field", "") == "text":
            lines = (
                replace(box.lines[0], text=box.lines[0].text + " 30"),
                replace(box.lines[1], text="минут " + box.lines[1].text),
                *box.lines[2:],
            )
            box = replace(box, lines=lines)
        broken.append(box)
    pages = (laid.pages[0], replace(page, boxes=tuple(broken)), *laid.pages[2:])
    defects = [d for d in check_quality(laid.cards, pages, "ru").defects if d.kind == "number-at-line-end"]
    assert len(defects) == 1 and defects[0].detail.endswith(" 30'")
    # «Шаг 1 / из 7» may break: the preposition opens the next phrase
    step = tuple(
        replace(
            b,
            lines=(
                replace(b.lines[0], text="Шаг 1"),
                replace(b.lines[1], text="из 7"),
                replace(b.lines[2], text="и дальше"),
                *b.lines[3:],
            ),
        )
        if getattr(b, "field", "") == "text"
        else b
        for b in page.boxes
    )
    pages = (laid.pages[0], replace(page, boxes=step), *laid.pages[2:])
    assert not [d for d in check_quality(laid.cards, pages, "ru").defects if d.kind == "number-at-line-end"]


def test_a_highlighted_word_glued_to_a_short_word_keeps_its_marker(write):
    """paper highlights ==accent== words; «в\u00a0==2026==» (the typograph glues «в» to the next
    word) is one unbreakable box of two styles: the marker covers «2026», and not «в»."""
    from cardgen.model.page import FillBox

    deck = write(
        "deck.yaml",
        "title: T\ntheme: paper\ncards:\n  - layout: cover\n    title: Сколько стоит SMM в ==2026==\n"
        "  - layout: cover\n    title: ==2026== и SMM\n",
    )
    laid = layout_deck(deck)
    for page in laid.pages:
        title = next(b for b in page.text_boxes() if b.field == "title")
        (mark,) = [b.rect for b in page.boxes if isinstance(b, FillBox) and not b.field]
        line = next(ln for ln in title.lines if "2026" in ln.text)
        two = next(g for g in line.glyphs if g.text == "2")
        assert mark.x <= two.x < mark.x + 0.2 * title.size  # starts at «2», not before «в»
        glyphs = [g for g in line.glyphs if g.text]
        six = next(i for i, g in enumerate(glyphs) if g.text == "6")
        assert mark.x + mark.w > glyphs[six].x  # to the end of «2026»
        if six + 1 < len(glyphs):
            assert mark.x + mark.w < glyphs[six + 1].x  # and no further


def test_a_heading_keeps_a_compound_whole_when_it_fits_a_line(write):
    """«купи-купи» in a seven-line cover title: the balanced title breaks between words, never at
    the compound's hyphen (which reads as a hyphenation), while the word fits a line."""
    import shutil

    deck = write(
        "deck.yaml",
        'title: T\nauthor:\n  name: Марина Громова\n  handle: "@marina_smm"\n  avatar: avatar.jpg\n'
        'defaults:\n  footer: "@marina_smm"\ncards:\n  - layout: cover\n'
        "    title: Как писать ==прогревающие== посты, которые продают без «купи-купи» и скидок в каждом сторис\n"
        "    subtitle: Схема на 7 дней — от знакомства до оффера\n",
    )
    shutil.copy(Path(__file__).resolve().parents[2] / "decks" / "assets" / "avatar.jpg", deck.parent / "avatar.jpg")
    laid = layout_deck(deck)
    title = next(b for b in laid.pages[0].text_boxes() if b.field == "title")
    assert len(title.lines) >= 5
    assert not any(line.text.endswith("-") for line in title.lines), [line.text for line in title.lines]
    subtitle = next(b for b in laid.pages[0].text_boxes() if b.field == "subtitle")
    assert subtitle.size >= 40  # the subtitle stays at the reading floor; the title gives way
