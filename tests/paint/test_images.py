"""Pictures: a card image fills the free height under the text; a background image covers the card."""

from pathlib import Path

import pytest
from PIL import Image

from cardgen.model.problems import CardgenError
from cardgen.model.page import ImageBox, ImageFill
from cardgen.run.pipeline import layout_deck, render_deck


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "assets" / "photo.png"
    path.parent.mkdir()
    image = Image.new("RGB", (800, 600), (200, 40, 40))
    image.paste((40, 40, 200), (400, 0, 800, 600))  # left half red, right half blue
    image.save(path)
    return path


def test_card_image_takes_the_free_height_under_the_text(tmp_path, photo, write):
    deck = write(
        "deck.yaml",
        "title: T\ncards:\n  - layout: step\n    title: Кадр\n    text: Подпись.\n    image: assets/photo.png\n",
    )
    page = layout_deck(deck).pages[0]
    (box,) = [b for b in page.boxes if isinstance(b, ImageBox)]
    assert box.path == photo
    text_bottom = max(b.lines[-1].baseline for b in page.text_boxes() if b.field == "text")
    assert box.rect.y > text_bottom
    assert box.rect.bottom == pytest.approx(1350 - 88 - 0.7272 * 30 - 64, abs=1)  # down to the content area's bottom
    result = render_deck(deck, tmp_path / "out")
    with Image.open(result.slides[0]) as image:
        rgb = image.convert("RGB")
        y = int(box.rect.y + box.rect.h / 2)
        assert rgb.getpixel((int(box.rect.x + 40), y))[0] > 150  # red on the left
        assert rgb.getpixel((int(box.rect.right - 40), y))[2] > 150  # blue on the right


def test_background_image_covers_the_card_darkened(tmp_path, photo, write):
    deck = write("deck.yaml", "title: T\ncards:\n  - title: Фон\n    background: assets/photo.png\n")
    page = layout_deck(deck).pages[0]
    assert isinstance(page.background, ImageFill)
    result = render_deck(deck, tmp_path / "out")
    with Image.open(result.slides[0]) as image:
        r, g, _b = image.convert("RGB").getpixel((5, 675))
        assert 100 < r < 200 and g < 60  # red, darkened


def test_background_color_by_palette_name_and_hex(write):
    deck = write(
        "deck.yaml", "title: T\ncards:\n  - title: A\n    background: accent\n  - title: B\n    background: '#102030'\n"
    )
    pages = layout_deck(deck).pages
    assert pages[0].background.color == (232, 73, 44, 255)
    assert pages[1].background.color == (16, 32, 48, 255)


def test_bad_background_says_what_is_allowed(write):
    deck = write("deck.yaml", "title: T\ncards:\n  - title: A\n    background: mauve-ish\n")
    with pytest.raises(CardgenError, match=r'expected a theme color .* found "mauve-ish"'):
        layout_deck(deck)
    deck = write("deck2.yaml", "title: T\ncards:\n  - title: A\n    background: nope.png\n")
    with pytest.raises(CardgenError, match=r"deck2.yaml:4: cards\[0\].background \(card 1\): image not found"):
        layout_deck(deck)


def test_cta_shows_a_round_avatar_with_name_and_handle_beside_it(tmp_path, photo, write):
    deck = write(
        "deck.yaml",
        "title: T\nauthor: {name: Саша, handle: '@sasha', avatar: assets/photo.png}\n"
        "cards:\n  - layout: cta\n    title: Подписывайтесь\n",
    )
    page = layout_deck(deck).pages[0]
    (avatar,) = [b for b in page.boxes if isinstance(b, ImageBox)]
    assert avatar.field == "avatar" and avatar.radius == avatar.rect.w / 2 == 60
    texts = {b.field: b for b in page.text_boxes()}
    name, handle = texts["author.name"].lines[0], texts["author.handle"].lines[0]
    assert (name.text, handle.text) == ("Саша", "@sasha")
    assert name.x > avatar.rect.right and handle.baseline > name.baseline
    assert avatar.rect.y < name.baseline < handle.baseline < avatar.rect.bottom
    result = render_deck(deck, tmp_path / "out")
    with Image.open(result.slides[0]) as image:
        corner = image.convert("RGB").getpixel((int(avatar.rect.x) + 2, int(avatar.rect.y) + 2))
        assert corner == (246, 243, 238)  # outside the circle: the background


def test_exif_orientation_is_applied(tmp_path):
    from cardgen.paint.pictures import image_size, load_image

    path = tmp_path / "phone.jpg"
    image = Image.new("RGB", (300, 200), (10, 200, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    image.save(path, exif=exif.tobytes())
    assert load_image(path).size == (200, 300)
    assert image_size(path) == (200, 300)


def test_embedded_srgb_profile_keeps_pixels_and_a_broken_one_is_ignored(tmp_path):
    from PIL import ImageCms

    from cardgen.paint.pictures import load_image, to_srgb

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path = tmp_path / "srgb.png"
    Image.new("RGB", (4, 4), (200, 100, 50)).save(path, icc_profile=srgb)
    assert load_image(path).getpixel((1, 1)) == (200, 100, 50)
    assert to_srgb(Image.new("RGB", (2, 2), (1, 2, 3)), b"not a profile").getpixel((0, 0)) == (1, 2, 3)


def test_a_logo_keeps_its_transparency_when_contained(tmp_path, write):
    logo = tmp_path / "logo.png"
    art = Image.new("RGBA", (100, 50), (0, 0, 0, 0))
    art.paste((255, 0, 0, 255), (25, 0, 75, 50))
    art.save(logo)
    write("themes/brand.yaml", "extends: default\nbrand: {logo: ../logo.png}\n")  # relative: inside the project
    deck = write("deck.yaml", "title: T\ntheme: brand\ncards:\n  - title: A\n")
    page = layout_deck(deck).pages[0]
    (box,) = [b for b in page.boxes if isinstance(b, ImageBox) and b.field == "chrome.logo"]
    assert box.fit == "contain"
    result = render_deck(deck, tmp_path / "out")
    with Image.open(result.slides[0]) as slide:
        rgb = slide.convert("RGB")
        cy = int(box.rect.y + box.rect.h / 2)
        assert rgb.getpixel((int(box.rect.x + box.rect.w / 2), cy))[0] > 200  # the red mark
        assert rgb.getpixel((int(box.rect.x) + 1, cy)) == (246, 243, 238)  # transparent edge: the page


def test_an_upscaled_image_is_a_warning_naming_card_and_field(tmp_path, write):
    small = tmp_path / "assets" / "small.png"
    small.parent.mkdir(exist_ok=True)
    Image.new("RGB", (200, 150), (50, 50, 50)).save(small)
    deck = write(
        "deck.yaml", "title: T\ncards:\n  - layout: image\n    title: Маленькое фото\n    image: assets/small.png\n"
    )
    result = render_deck(deck, tmp_path / "out")
    (notice,) = [n for n in result.warnings if "soft" in n.message]
    assert notice.card == 1 and notice.field == "cards[0].image (card 1)"
    assert "deck.yaml:5: cards[0].image (card 1)" in str(notice)
    assert "200×150 px but is shown 9.0× larger" in notice.message
