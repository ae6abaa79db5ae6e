"""Characters with no ink of their own, as text pasted from Telegram or the web carries them: the
zero-width space and joiners, the word joiner, the BOM, the soft hyphen. They used to be painted
as the font's missing-glyph box (a striped block over the next letter) or, the soft hyphen, as a
hyphen inside the word; and a word whose soft hyphens the author put there could not break."""

from __future__ import annotations

from pathlib import Path

from cardgen.run.pipeline import layout_deck, render_deck

DECK = 'title: x\nsize: 600x750\ncards:\n  - title: "{title}"\n    text: "{text}"\n'


def _render(tmp_path: Path, name: str, title: str, text: str) -> bytes:
    deck = tmp_path / f"{name}.yaml"
    deck.write_text(DECK.format(title=title, text=text), encoding="utf-8")
    result = render_deck(deck, tmp_path / "out")
    return Path(result.slides[0]).read_bytes()


def test_invisible_characters_draw_nothing(tmp_path: Path) -> None:
    marked = _render(
        tmp_path,
        "marked",
        "Привет\\u200bмир\\u2060 и\\u00a0всё",
        "Тело\\u00adтекста и\\u200dещё\\ufeff немного \\u200e текста для проверки.",
    )
    plain = _render(tmp_path, "plain", "Приветмир и\\u00a0всё", "Телотекста иещё немного  текста для проверки.")
    assert marked == plain  # the same pixels: nothing drawn for them, no width taken


def test_a_word_breaks_at_the_authors_soft_hyphens_with_a_visible_hyphen(tmp_path: Path) -> None:
    word = "Сверх\\u00adсекретно\\u00adзащищённый\\u00adинструмент\\u00adпланирования"
    deck = tmp_path / "deck.yaml"
    deck.write_text(DECK.format(title="Слово", text=word), encoding="utf-8")
    laid = layout_deck(deck)
    (box,) = [b for b in laid.pages[0].text_boxes() if b.field == "text"]
    lines = [line.text for line in box.lines]
    assert len(lines) > 1  # it broke (it had "no place to hyphenate" before)
    for line in lines[:-1]:  # each break is at a soft hyphen, shown as a hyphen
        assert line.endswith("\u00ad-"), lines
    joined = "".join(line.removesuffix("-") for line in lines).replace("\u00ad", "")
    assert joined == "Сверхсекретнозащищённыйинструментпланирования"


def test_control_characters_written_as_escapes_are_not_drawn_and_said_so(tmp_path: Path) -> None:
    """ "\\u0007" in a YAML string is a control character: no font draws it. It used to vanish
    without a word; each field that has some gets one warning naming them."""
    deck = tmp_path / "deck.yaml"
    deck.write_text(DECK.format(title="a\\u0007\\u001b[31m", text="a\\u0000b\\u0008c\\tи всё"), encoding="utf-8")
    laid = layout_deck(deck)
    messages = sorted(f"{w.field}: {w.message}" for w in laid.warnings)
    assert messages == [
        "cards[0].text (card 1): control characters (U+0000, U+0008) are not drawn; remove them",
        "cards[0].title (card 1): control characters (U+0007, U+001B) are not drawn; remove them",
    ]


def test_arabic_text_is_said_to_be_unsupported_rather_than_drawn_wrong_silently(tmp_path: Path) -> None:
    """cardgen sets text left to right, cluster by cluster: Arabic comes out unjoined, its words
    in the wrong order. A warning per field says so; Hebrew (no joining) and Cyrillic do not warn."""
    deck = tmp_path / "deck.yaml"
    deck.write_text(DECK.format(title="مرحبا بالعالم", text="Привет, שלום и всё"), encoding="utf-8")
    laid = layout_deck(deck)
    assert [f"{w.field}: {w.message}" for w in laid.warnings] == [
        "cards[0].title (card 1): right-to-left joined scripts are not supported: «مرحبا» would show as "
        "separate, unjoined letters, its words set left to right"
    ]


def test_a_card_that_shows_nothing_is_said_to_be_a_blank_slide(tmp_path: Path) -> None:
    """`- {}` or a cover with no fields rendered a blank slide without a word; a photo alone, or a
    title alone, is content."""
    import shutil

    shutil.copy(Path(__file__).resolve().parents[2] / "decks" / "assets" / "mountains.jpg", tmp_path / "m.jpg")
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "title: x\ncards:\n  - {}\n  - layout: cover\n  - title: Заголовок\n  - layout: image\n    image: m.jpg\n",
        encoding="utf-8",
    )
    laid = layout_deck(deck)
    assert [(w.card, w.message) for w in laid.warnings] == [
        (1, "the text card shows nothing but the counter and footer: a blank slide"),
        (2, "the cover card shows nothing but the counter and footer: a blank slide"),
    ]
