"""Each layout as data: what it places where (the preview deck holds every layout once)."""

from pathlib import Path

import pytest

from cardgen.model.page import FillBox, ImageBox, ImageFill, QRBox, TextBox
from cardgen.run.pipeline import layout_deck, render_deck
from cardgen.load.theme import builtin_themes

ROOT = Path(__file__).resolve().parents[2]
PREVIEW = ROOT / "themes" / "_preview" / "preview.yaml"
LAYOUTS = ["cover", "step", "text", "stat", "compare", "list", "image", "link", "quote", "list", "chat", "cta"]


@pytest.fixture(scope="module")
def laid():
    return layout_deck(PREVIEW)


def texts(page) -> dict[str, TextBox]:
    return {b.field: b for b in page.text_boxes()}


def test_the_preview_deck_holds_every_layout(laid):
    from cardgen.load.deck import LAYOUTS as KNOWN

    assert [c.layout for c in laid.cards] == LAYOUTS
    assert set(KNOWN) == set(LAYOUTS)


@pytest.mark.parametrize("theme", builtin_themes())
def test_every_layout_renders_in_every_theme_without_warnings(theme, tmp_path):
    result = render_deck(PREVIEW, tmp_path, theme=theme)
    assert len(result.slides) == len(LAYOUTS)
    assert [str(n) for n in result.warnings] == []  # contrast included


def test_cover_with_image_is_a_full_bleed_photo_with_white_type(laid):
    page = laid.pages[0]
    photo = [b for b in page.boxes if isinstance(b, FillBox) and isinstance(b.paint, ImageFill)]
    assert photo and photo[0].rect.w == 1080 and photo[0].rect.h == 1350
    title = texts(page)["title"]
    plain = [g for ln in title.lines for g in ln.glyphs if g.color[:3] == (255, 255, 255)]
    assert plain, "title over a photo is white"
    assert texts(page)["author.handle"].lines[0].text == "@sasha_smm"
    assert "chrome.footer" not in texts(page)  # the author block already shows the handle


def test_stat_sets_a_big_number_above_its_label(laid):
    page = laid.pages[3]
    number, label = texts(page)["number"], texts(page)["title"]
    assert number.lines[0].text == "×3"
    assert number.size > 2 * label.size
    assert number.lines[-1].baseline < label.lines[0].baseline


def test_compare_sets_two_columns_side_by_side(laid):
    page = laid.pages[4]
    t = texts(page)
    left, right = t["left.title"], t["right.title"]
    assert left.lines[0].text == "Было" and right.lines[0].text == "Стало"
    assert left.lines[0].baseline == pytest.approx(right.lines[0].baseline)
    assert left.rect.right < right.rect.x  # no overlap
    assert t["left.items[0]"].rect.right <= right.rect.x
    bars = [b for b in page.boxes if isinstance(b, FillBox) and b.field.endswith(".bar.fill")]
    assert len(bars) == 2 and bars[0].paint != bars[1].paint


def test_numbered_list_puts_numbers_in_circles(laid):
    page = laid.pages[5]
    t = texts(page)
    markers = [t[f"items[{i}].marker"].lines[0].text for i in range(4)]
    assert markers == ["1", "2", "3", "4"]
    circles = [
        b
        for b in page.boxes
        if isinstance(b, FillBox) and b.radius and b.rect.w == b.rect.h and b.rect.right <= t["items[0]"].rect.x
    ]
    assert len(circles) == 4


def test_image_layout_sets_the_caption_low_over_a_scrim(laid):
    page = laid.pages[6]
    caption = texts(page)["text"]
    assert caption.lines[-1].baseline > 0.8 * page.height
    assert any(isinstance(b, FillBox) and type(b.paint).__name__ == "Scrim" for b in page.boxes)


def test_link_shows_the_address_nicely_and_a_qr_code_of_the_full_url(laid):
    page = laid.pages[7]
    (qr,) = [b for b in page.boxes if isinstance(b, QRBox)]
    assert qr.data == "https://www.canva.com/?utm_source=vk&utm_medium=post"
    assert texts(page)["url"].lines[0].text == "canva.com\u00a0↗"  # the arrow never wraps alone
    (shot,) = [b for b in page.boxes if isinstance(b, ImageBox)]
    assert shot.rect.bottom < qr.rect.y


def test_quote_with_avatar_sets_the_author_beside_it(laid):
    page = laid.pages[8]
    (avatar,) = [b for b in page.boxes if isinstance(b, ImageBox)]
    author = texts(page)["author"].lines[0]
    assert author.text.startswith("—\u00a0Ирина") or author.text.startswith("— Ирина")
    assert author.x > avatar.rect.right


def test_cta_hints_are_pills_in_the_deck_language(laid):
    page = laid.pages[11]
    hints = [b for b in page.text_boxes() if b.field == "hints"]
    assert [h.lines[0].text for h in hints] == ["Сохранить", "Поделиться"]  # words: no colour emoji on brand colours
    pills = [b for b in page.boxes if isinstance(b, FillBox) and b.field == "hint"]
    assert len(pills) == 2 and all(p.stroke > 0 for p in pills)


@pytest.mark.parametrize(("style", "cards", "expected"), [("dots", 10, 10), ("bar", 11, 2), ("dots", 11, 0)])
def test_counter_styles(write, style, cards, expected):
    """Dots for up to ten slides; past that a row of dots is too fine to count: "3/11" instead."""
    write("themes/t.yaml", f"extends: default\ncounter: {{style: {style}}}\n")
    deck = write("d.yaml", "title: T\ntheme: t\ncards:\n" + "".join(f"  - title: C{i}\n" for i in range(cards)))
    page = layout_deck(deck).pages[2]
    shapes = [b for b in page.boxes if isinstance(b, FillBox) and b.field == "chrome.counter"]
    assert len(shapes) == expected
    assert ("chrome.counter" in texts(page)) == (expected == 0)


def test_counter_number_style_and_brand_handle(write):
    write("themes/t.yaml", "extends: default\ncounter: {style: number}\nbrand: {handle: true}\n")
    deck = write("d.yaml", "title: T\ntheme: t\nauthor: {handle: '@me'}\ncards:\n  - title: A\n  - title: B\n")
    page = layout_deck(deck).pages[1]
    assert texts(page)["chrome.counter"].lines[0].text == "02"
    assert texts(page)["chrome.footer"].lines[0].text == "@me"


def test_theme_shapes_sit_behind_the_content(write):
    write(
        "themes/t.yaml",
        "extends: default\nshapes:\n  - {type: circle, x: -100, y: -100, size: 400}\n"
        "  - {type: ring, x: 50, y: 50, size: 200, from_right: true, from_bottom: true}\n",
    )
    deck = write("d.yaml", "title: T\ntheme: t\ncards:\n  - title: A\n")
    page = layout_deck(deck).pages[0]
    first, second = page.boxes[0], page.boxes[1]
    assert (first.rect.x, first.rect.y, first.rect.w) == (-100, -100, 400)
    assert second.stroke > 0 and second.rect.right == pytest.approx(1080 - 50)
