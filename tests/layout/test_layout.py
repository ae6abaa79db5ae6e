"""Layout as data, with the square test font: every character (space included) is 0.5 em wide."""

import itertools

import pytest

from cardgen.load.deck import load_deck
from cardgen.model.problems import LayoutError
from cardgen.load.fonts import FontBook
from cardgen.layout.flow import Flow, TextBlock, measure, place_flow
from cardgen.layout.layouts import card_flow, compose
from cardgen.layout.scale import fit_card
from cardgen.text.markup import parse_markup
from cardgen.model.page import Rect, TextBox
from cardgen.resolve.cards import resolve_deck
from cardgen.text.shaping import FontChain
from cardgen.load.theme import load_theme
from cardgen.text.typeset import StyleFonts, prepare_text, set_lines

SQUARE_THEME = """\
extends: default
fonts:
  heading: {family: Square, weight: 700}
  body: {family: Square, weight: 400}
  label: {family: Square, weight: 400}
spacing: {margin: 100, gap: 40, chrome_gap: 50}
align: {default: top}  # content from the top of the area: positions can be worked out by hand
roles:
  body: {size: 40, min_size: 20, max_size: 40, line_height: 1.5, hyphenate: false, paragraph_gap: 0.5}
  title: {size: 60, min_size: 40, max_size: 60, line_height: 1.2, balance: false}
"""


@pytest.fixture
def book(square_fonts):
    return FontBook((square_fonts,))


@pytest.fixture
def fonts(book):
    chain = FontChain((book.face("Square"),))
    return StyleFonts(chain, FontChain((book.face("Square", 700),)), chain, chain)


def cards_for(write, book, cards_yaml: str, size: str = "1080x1350"):
    theme_path = write("themes/sq.yaml", SQUARE_THEME)
    deck_path = write("deck.yaml", f"title: T\ntheme: sq\nsize: '{size}'\ncards:\n{cards_yaml}")
    deck = load_deck(deck_path)
    return resolve_deck(deck, load_theme("sq", theme_path.parent.parent), book)


def test_items_are_measured_in_em(fonts):
    text = prepare_text(parse_markup("abc de"), fonts)
    (chunk,) = text.paragraphs[0]
    assert [type(i).__name__ for i in chunk.items] == ["Box", "Glue", "Box"]
    assert [i.width for i in chunk.items] == [1.5, 0.5, 1.0]


def test_lines_break_at_spaces_never_at_no_break_spaces(fonts):
    text = prepare_text(parse_markup("aaa bbb\u00a0ccc ddd"), fonts)
    lines = set_lines(text, 5.0)  # 10 characters fit: greedy would set "aaa bbb" / "ccc ddd"
    assert [line.text for line in lines] == ["aaa", "bbb\u00a0ccc", "ddd"]
    assert [line.width for line in lines] == [1.5, 3.5, 1.5]


def test_forced_break_and_paragraphs(fonts):
    text = prepare_text(parse_markup("a b\nc\n\nd"), fonts)
    lines = set_lines(text, 100.0)
    assert [(ln.text, ln.paragraph_start) for ln in lines] == [("a b", True), ("c", False), ("d", True)]


def test_fit_finds_the_largest_size_by_binary_search(fonts, book):
    from cardgen.resolve.cards import TextStyle

    style = TextStyle(
        "body",
        fonts,
        40,
        20,
        40,
        1.5,
        (0, 0, 0, 255),
        "left",
        False,
        False,
        False,
        0.5,
        "color",
        (0, 0, 0, 255),
        (0, 0, 0, 255),
        "ru",
    )
    # 10 words of 4 characters: 49 characters = 24.5 em on one line.
    text = prepare_text(parse_markup(" ".join(["abcd"] * 10)), fonts)
    # 200 px wide: at size s a line holds 400/s characters; the block is 0.7 s + (n-1) 1.5 s tall.
    flow = Flow(Rect(0, 0, 200, 100), (TextBlock("text", style, text),))
    fit = fit_card(flow)
    size = fit.sizes["body"]
    assert 20 <= size < 40 and fit.step == -1 and fit.fits
    lines = set_lines(text, 200 / size)
    assert 0.7 * size + (len(lines) - 1) * 1.5 * size <= 100.5
    # one step larger no longer fits
    bigger = measure(flow, {"body": size + 0.5})
    assert bigger.overflow > 0 or bigger.too_wide > 0


def test_first_baseline_sits_at_cap_height_and_lines_step_by_line_height(write, book):
    (card,) = cards_for(write, book, "  - layout: text\n    title: Ab\n    text: |\n      x y\n\n      z\n")
    flow = card_flow(card)
    fit = measure(flow, fit_card(flow).sizes)
    boxes = [b for b in place_flow(flow, fit) if isinstance(b, TextBox)]
    title, body = boxes
    assert title.size == 60 and body.size == 40
    area = flow.area
    assert title.lines[0].baseline == pytest.approx(area.y + 0.7 * 60)
    # body: gap_before (1.5 × 40 px) below the title's last baseline, then its cap height
    assert body.lines[0].baseline == pytest.approx(title.lines[-1].baseline + 60 + 0.7 * 40)
    # second paragraph: one line height plus the paragraph gap
    assert body.lines[1].baseline - body.lines[0].baseline == pytest.approx(1.5 * 40 + 0.5 * 40)
    assert title.lines[0].x == pytest.approx(100 - 0.05 * 60)  # side bearing trimmed optically


def test_content_area_leaves_margins_and_chrome(write, book):
    (card,) = cards_for(write, book, "  - layout: text\n    title: Ab\n")
    area = card_flow(card).area
    assert area.x == 100 and area.w == 1080 - 200
    counter_cap = 0.7 * 30
    assert area.y == pytest.approx(100 + counter_cap + 50)
    assert area.bottom == pytest.approx(1350 - 100 - counter_cap - 50)


def test_step_numbers_count_step_cards_only(write, book):
    cards = cards_for(
        write,
        book,
        "  - layout: cover\n    title: A\n  - layout: step\n    title: B\n  - layout: text\n    title: C\n"
        "  - layout: step\n    title: D\n  - layout: step\n    number: 9\n    title: E\n",
    )
    assert [c.number for c in cards] == [None, "01", None, "02", "9"]
    assert [c.counter for c in cards] == ["1/5", "2/5", "3/5", "4/5", "5/5"]
    assert [c.hint for c in cards] == ["Листайте →", None, None, None, None]


def test_link_cards_are_numbered_only_as_a_deck_of_resources(write, book):
    """Two or more links are a «подборка», numbered 01, 02; after steps 01–03 the links are not
    a second count from 01 (the reader saw «01» twice in one deck); a link's own number stays."""
    links = "  - layout: link\n    title: L1\n  - layout: link\n    title: L2\n"
    steps = "  - layout: step\n    title: S1\n  - layout: step\n    title: S2\n"
    assert [c.number for c in cards_for(write, book, links)] == ["01", "02"]
    mixed = cards_for(write, book, steps + links + "  - layout: link\n    title: L3\n    number: 7\n")
    assert [c.number for c in mixed] == ["01", "02", None, None, "7"]


def test_chrome_counter_is_right_aligned_and_footer_left(write, book):
    cards = cards_for(write, book, "  - layout: text\n    title: A\n    footer: '@me'\n  - title: B\n")
    page = compose(cards[0], card_flow(cards[0]), {"title": 60})
    boxes = {b.field: b for b in page.text_boxes()}
    counter = boxes["chrome.counter"].lines[0]
    assert counter.text == "1/2"
    assert counter.x + counter.width == pytest.approx(1080 - 100)
    footer = boxes["chrome.footer"].lines[0]
    assert (
        footer.text == "@me" and footer.x == pytest.approx(100 - 0.05 * 30) and footer.baseline == pytest.approx(1250)
    )


def test_text_that_cannot_fit_names_card_field_and_overflow(write, book):
    long = " ".join(["слово"] * 400)
    from cardgen.run.pipeline import layout_deck

    write("themes/sq.yaml", SQUARE_THEME)
    deck = write(
        "d.yaml",
        f"title: T\ntheme: sq\noverflow: error\ncards:\n  - title: A\n  - layout: step\n"
        f"    title: B\n    text: {long}\n",
    )
    with pytest.raises(LayoutError) as info:
        layout_deck(deck, book=book)
    message = str(info.value)
    assert "d.yaml:8: cards[1].text (card 2): the text does not fit" in message
    assert "px too tall" in message and "shorten it, split the card, or set the deck's overflow: split" in message


def test_a_word_wider_than_the_card_is_an_error(write, book):
    from cardgen.run.pipeline import layout_deck

    write("themes/sq.yaml", SQUARE_THEME)
    deck = write("d.yaml", 'title: T\ntheme: sq\ncards:\n  - title: "' + "7" * 60 + '"\n')  # no place to hyphenate
    with pytest.raises(LayoutError, match="wider than the card"):
        layout_deck(deck, book=book)


def test_a_very_long_word_is_quoted_by_its_ends(write, book):
    from cardgen.run.pipeline import layout_deck

    # typed in capitals inside a word: an acronym-like token, never hyphenated
    deck = write("d.yaml", "title: T\ncards:\n  - title: Начало" + "Ж" * 2500 + "конец\n")
    with pytest.raises(LayoutError) as info:
        layout_deck(deck, book=book)
    message = str(info.value)
    assert "«НачалоЖЖЖ" in message and "ЖЖЖконец» (2511 characters) is " in message and "…" in message
    assert len(message) < 400


def test_opening_quotes_hang_into_the_margin(write, book):
    (card,) = cards_for(write, book, "  - layout: text\n    title: «Ab» cd\n")
    flow = card_flow(card)
    title = next(b for b in place_flow(flow, measure(flow, fit_card(flow).sizes)) if isinstance(b, TextBox))
    assert title.lines[0].text.startswith("«")
    assert title.lines[0].x == pytest.approx(100 - 0.5 * 60)  # the whole quote sits in the margin


def test_a_card_too_full_shrinks_alone_and_says_so(write, book):
    """One long card shrinks itself (title and body together), not the deck; the warning says how much."""
    from cardgen.run.pipeline import layout_deck

    write("themes/sq.yaml", SQUARE_THEME)
    short = "    text: " + " ".join(["ab"] * 20) + "\n"
    long = "    text: " + " ".join(["abcdef"] * 130) + "\n"
    cards = "".join(f"  - layout: text\n    title: T{i}\n" + short for i in range(3))
    deck = write("d.yaml", "title: T\ntheme: sq\ncards:\n" + cards + "  - layout: text\n    title: L\n" + long)
    laid = layout_deck(deck, book=book)
    sizes = [{b.role: b.size for b in p.text_boxes() if b.role in ("body", "title")} for p in laid.pages]
    assert sizes[:3] == [{"title": 60, "body": 40}] * 3  # the others keep their reading sizes
    assert sizes[3]["body"] < 40 and sizes[3]["title"] < 60  # the long card shrank, title and body in proportion
    assert sizes[3]["body"] / 40 == pytest.approx(sizes[3]["title"] / 60, abs=0.01)
    (notice,) = laid.warnings
    assert notice.card == 4 and "smaller than this deck's other text cards to fit" in notice.message


URL = "https://sova-digital.ru/price?utm_source=vk&utm_campaign=carousel"


@pytest.mark.parametrize("width", [10.0, 12.0, 14.0, 18.0])
def test_a_long_url_breaks_only_at_its_natural_points(fonts, width):
    """After «/», before «? & = .»: never «utm_» / «campaign» (the art director's three lines).
    Its longest part between natural points, «https://sova-digital», is 20 characters: 10 em."""
    lines = set_lines(prepare_text(parse_markup(URL), fonts), width)
    assert len(lines) >= 2 and "".join(line.text for line in lines) == URL
    for before, after in itertools.pairwise(lines):
        assert before.text.endswith("/") or after.text[0] in "?&=.", (before.text, after.text)
    assert all(line.width <= width for line in lines)  # every part has a natural point: nothing overflows


def test_a_part_of_a_url_wider_than_the_line_breaks_inside_a_word_as_a_last_resort(fonts):
    """«campaign_name_of_the_autumn» (27 characters) has no natural point and does not fit 10 em
    (20 characters): it breaks after «_» rather than overflow; the rest at natural points."""
    lines = set_lines(prepare_text(parse_markup("site.ru/?utm=campaign_name_of_the_autumn"), fonts), 10.0)
    assert all(line.width <= 10.0 for line in lines)
    assert any(line.text.endswith("_") for line in lines)
