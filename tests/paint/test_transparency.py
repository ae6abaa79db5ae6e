"""A picture's transparency shows what is behind it, never black: a logo used as an avatar (round
crop), a quote's portrait, a card image, a link's screenshot, a background picture, a cover photo.

Each picture is transparent where its stored colour is black (what image editors save under
clear pixels, and what Pillow showed when it dropped the alpha): a pixel of the slide there must
equal what is under the picture, within TOLERANCE levels per channel (resampling may move an
opaque edge by a pixel; the points sampled lie well inside the clear part).
"""

from pathlib import Path

import pytest
from PIL import Image

from cardgen.model.page import FillBox, ImageBox, ImageFill
from cardgen.paint.pictures import cover_image, load_image
from cardgen.run.pipeline import layout_deck, render_deck

TOLERANCE = 2  # levels per channel
PAPER = (0xF6, 0xF3, 0xEE)  # the default theme's background
RED = (220, 30, 30)


@pytest.fixture
def logo(tmp_path: Path) -> Path:
    """A 200×200 RGBA picture: clear (stored as black, alpha 0) except a red square in its middle."""
    path = tmp_path / "assets" / "logo.png"
    path.parent.mkdir(exist_ok=True)
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    image.paste((*RED, 255), (70, 70, 130, 130))
    image.save(path)
    return path


def _near(pixel: tuple[int, ...], want: tuple[int, ...]) -> bool:
    return all(abs(a - b) <= TOLERANCE for a, b in zip(pixel[:3], want[:3], strict=True))


def _rendered(deck: Path, out: Path, index: int = 0) -> Image.Image:
    result = render_deck(deck, out)
    with Image.open(result.slides[index]) as image:
        return image.convert("RGB")


def _clear_points(box_x: float, box_y: float, side_w: float, side_h: float) -> list[tuple[int, int]]:
    """Points inside a picture's box (and inside a round crop), in its clear part: a fifth of the
    way in from each side, on the middle lines."""
    cx, cy = box_x + side_w / 2, box_y + side_h / 2
    return [
        (round(box_x + side_w * 0.2), round(cy)),
        (round(box_x + side_w * 0.8), round(cy)),
        (round(cx), round(box_y + side_h * 0.2)),
        (round(cx), round(box_y + side_h * 0.8)),
    ]


@pytest.mark.parametrize(
    ("layout", "field"),
    [("cta", "avatar"), ("cover", "avatar")],
)
def test_a_transparent_avatar_shows_the_card_in_its_clear_parts(tmp_path, logo, write, layout, field):
    deck = write(
        "deck.yaml",
        "title: T\nauthor: {name: Сова, handle: '@sova', avatar: assets/logo.png}\n"
        f"cards:\n  - layout: {layout}\n    title: Заголовок\n",
    )
    page = layout_deck(deck).pages[0]
    (avatar,) = [b for b in page.boxes if isinstance(b, ImageBox) and b.field == field]
    slide = _rendered(deck, tmp_path / "out")
    r = avatar.rect
    for point in _clear_points(r.x, r.y, r.w, r.h):
        assert _near(slide.getpixel(point), PAPER), (point, slide.getpixel(point))
    assert _near(slide.getpixel((round(r.x + r.w / 2), round(r.y + r.h / 2))), RED)  # the opaque part is shown


def test_a_transparent_quote_portrait_shows_the_card(tmp_path, logo, write):
    deck = write(
        "deck.yaml",
        "title: T\ncards:\n  - layout: quote\n    text: Цитата.\n    author: Сова\n    avatar: assets/logo.png\n",
    )
    page = layout_deck(deck).pages[0]
    (portrait,) = [b for b in page.boxes if isinstance(b, ImageBox)]
    assert portrait.radius == portrait.rect.w / 2  # round
    slide = _rendered(deck, tmp_path / "out")
    r = portrait.rect
    for point in _clear_points(r.x, r.y, r.w, r.h):
        assert _near(slide.getpixel(point), PAPER), (point, slide.getpixel(point))


@pytest.mark.parametrize(
    "card",
    [
        "layout: step\n    title: Шаг\n    text: Подпись.\n    image: assets/logo.png",  # a card image
        "layout: link\n    title: Сайт\n    url: https://example.com\n    image: assets/logo.png",  # a screenshot
    ],
)
def test_a_transparent_card_picture_shows_the_card(tmp_path, logo, write, card):
    deck = write("deck.yaml", f"title: T\ncards:\n  - {card}\n")
    page = layout_deck(deck).pages[0]
    (picture,) = [b for b in page.boxes if isinstance(b, ImageBox) and b.field == "image"]
    slide = _rendered(deck, tmp_path / "out")
    # What is under the picture: the card, or the slot a link card draws for its screenshot.
    under = _rendered_without_picture(deck, tmp_path / "bare", picture)
    r = picture.rect
    # The picture covers its box, scaled by `scale` around its centre: 65 of its pixels left and
    # right of its centre lie half-way across its clear margin (the red square spans ±30).
    scale = max(r.w / 200, r.h / 200)
    cx, cy = r.x + r.w / 2, r.y + r.h / 2
    points = [(round(cx - 65 * scale), round(cy)), (round(cx + 65 * scale), round(cy))]
    for point in points:
        assert _near(slide.getpixel(point), under.getpixel(point)), (point, slide.getpixel(point))
    assert _near(slide.getpixel((round(cx), round(cy))), RED)


def _rendered_without_picture(deck: Path, out: Path, picture: ImageBox) -> Image.Image:
    """The slide painted with `picture` left out: what shows through its clear parts."""
    from dataclasses import replace

    from cardgen.paint.draw import paint_page

    page = layout_deck(deck).pages[0]
    return paint_page(replace(page, boxes=tuple(b for b in page.boxes if b != picture))).convert("RGB")


def test_a_transparent_background_picture_shows_the_theme_background_under_the_veil(tmp_path, logo, write):
    deck = write("deck.yaml", "title: T\ncards:\n  - title: Фон\n    background: assets/logo.png\n")
    page = layout_deck(deck).pages[0]
    assert isinstance(page.background, ImageFill)
    slide = _rendered(deck, tmp_path / "out")
    veiled = tuple(round(c * (1 - 0.35)) for c in PAPER)  # a card's background picture is darkened by 0.35
    for point in [(5, 5), (1075, 5), (5, 1345), (1075, 1345)]:  # the picture's clear corners
        assert _near(slide.getpixel(point), veiled), (point, slide.getpixel(point))


def test_a_transparent_cover_photo_shows_the_card_where_no_scrim_is(tmp_path, logo, write):
    deck = write("deck.yaml", "title: T\ncards:\n  - layout: cover\n    title: Обложка\n    image: assets/logo.png\n")
    page = layout_deck(deck).pages[0]
    assert [b for b in page.boxes if isinstance(b, FillBox) and isinstance(b.paint, ImageFill)]
    slide = _rendered(deck, tmp_path / "out")
    # Left and right of the red square, half-way down: clear in the picture, and between the scrim
    # under the counter at the top and the one under the title at the bottom.
    for point in [(20, 650), (1060, 650)]:
        assert _near(slide.getpixel(point), PAPER), (point, slide.getpixel(point))


def test_load_image_keeps_transparency_and_only_transparency(tmp_path):
    clear = tmp_path / "clear.png"
    Image.new("RGBA", (4, 4), (0, 0, 0, 0)).save(clear)
    opaque = tmp_path / "opaque.png"
    Image.new("RGBA", (4, 4), (10, 20, 30, 255)).save(opaque)  # an alpha channel, 255 everywhere
    keyed = tmp_path / "keyed.png"
    palette = Image.new("P", (4, 4), 0)
    palette.putpalette([0, 0, 0, 200, 0, 0])
    palette.putpixel((0, 0), 1)
    palette.save(keyed, transparency=0)  # a palette entry made clear (tRNS)
    assert load_image(clear).mode == "RGBA"
    assert load_image(opaque).mode == "RGB"  # decoded as an opaque picture always was
    assert load_image(keyed).mode == "RGBA"
    assert load_image(keyed).getpixel((1, 1))[3] == 0 and load_image(keyed).getpixel((0, 0)) == (200, 0, 0, 255)


def test_cover_image_resamples_transparency_without_a_dark_fringe(tmp_path):
    """Scaled premultiplied: the colour of a half-clear edge pixel stays the opaque part's colour."""
    path = tmp_path / "half.png"
    image = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    image.paste((255, 255, 255, 255), (0, 0, 20, 40))  # white left half, clear (black) right half
    image.save(path)
    scaled = cover_image(path, 15, 15)
    assert scaled.mode == "RGBA"
    edge = [scaled.getpixel((x, 7)) for x in range(15) if 0 < scaled.getpixel((x, 7))[3] < 255]
    assert edge and all(min(p[:3]) >= 250 for p in edge)  # white, however clear


def _square_logo(path: Path, alpha: bool) -> Path:
    """A 200×200 red square filling its canvas, corners and all; with `alpha`, its outermost pixels
    are clear (an exported logo's transparent frame), else it is an opaque picture (a photo)."""
    path.parent.mkdir(exist_ok=True)
    image = Image.new("RGBA", (200, 200), (*RED, 255))
    if alpha:
        frame = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
        frame.paste(image.crop((2, 2, 198, 198)), (2, 2))
        image = frame
    image.save(path)
    return path


def _red_box(slide: Image.Image, rect) -> tuple[int, int, int, int]:
    """The bounding box (left, top, right, bottom; inclusive) of the red pixels inside `rect`."""
    points = [
        (x, y)
        for y in range(round(rect.y) - 2, round(rect.bottom) + 2)
        for x in range(round(rect.x) - 2, round(rect.right) + 2)
        if _near(slide.getpixel((x, y)), RED)
    ]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


@pytest.mark.parametrize("layout", ["cover", "quote"])
def test_a_transparent_square_logo_as_an_avatar_is_shown_whole_inside_the_circle(tmp_path, write, layout):
    _square_logo(tmp_path / "assets" / "logo.png", alpha=True)
    card = "text: Цитата.\n    author: Сова\n    avatar: assets/logo.png" if layout == "quote" else "title: Заголовок"
    deck = write(
        "deck.yaml",
        "title: T\nauthor: {name: Сова, handle: '@sova', avatar: assets/logo.png}\n"
        f"cards:\n  - layout: {layout}\n    {card}\n",
    )
    page = layout_deck(deck).pages[0]
    (avatar,) = [b for b in page.boxes if isinstance(b, ImageBox) and b.field == "avatar"]
    slide = _rendered(deck, tmp_path / "out")
    left, top, right, bottom = _red_box(slide, avatar.rect)
    # The logo's square corners are all there (the circle cut them off: an octagon)…
    for x, y in [(left + 1, top + 1), (right - 1, top + 1), (left + 1, bottom - 1), (right - 1, bottom - 1)]:
        assert _near(slide.getpixel((x, y)), RED), (x, y, slide.getpixel((x, y)))
    # … because the square lies inside the circle, centred in it, a little in from its edge.
    cx, cy, radius = avatar.rect.x + avatar.rect.w / 2, avatar.rect.y + avatar.rect.h / 2, avatar.rect.w / 2
    assert abs((left + right + 1) / 2 - cx) <= 1 and abs((top + bottom + 1) / 2 - cy) <= 1
    half_diagonal = ((right - left + 1) ** 2 + (bottom - top + 1) ** 2) ** 0.5 / 2
    assert 0.85 * radius < half_diagonal < radius
    assert _near(slide.getpixel((round(avatar.rect.x + 3), round(cy))), PAPER)  # the card around it


def test_an_opaque_picture_as_an_avatar_still_fills_the_circle(tmp_path, write):
    _square_logo(tmp_path / "assets" / "photo.png", alpha=False)
    deck = write(
        "deck.yaml",
        "title: T\ncards:\n  - layout: quote\n    text: Цитата.\n    author: Сова\n    avatar: assets/photo.png\n",
    )
    page = layout_deck(deck).pages[0]
    (avatar,) = [b for b in page.boxes if isinstance(b, ImageBox) and b.field == "avatar"]
    slide = _rendered(deck, tmp_path / "out")
    r = avatar.rect
    left, top, right, bottom = _red_box(slide, r)
    assert abs(left - r.x) <= 1 and abs(right + 1 - r.right) <= 1  # edge to edge of the circle
    assert abs(top - r.y) <= 1 and abs(bottom + 1 - r.bottom) <= 1
    assert _near(slide.getpixel((round(r.x + 3), round(r.y + 3))), PAPER)  # its corners: cut round
