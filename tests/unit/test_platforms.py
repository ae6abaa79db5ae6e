"""Platform profiles: every limit checked with a clear message, album splits filled first, render sizes."""

from pathlib import Path

import pytest

from cardgen.publish.albums import albums, kept_size, render_size, split_albums
from cardgen.publish.checks import caption_length, check_caption, check_post, check_files
from cardgen.publish.platforms import (
    INSTAGRAM,
    LINKEDIN,
    MB,
    PLATFORMS,
    TELEGRAM,
    VK,
    get_platform,
)

PACKAGE = Path(__file__).resolve().parents[2] / "cardgen"


def codes(problems):
    return [(p.severity, p.code) for p in problems]


# --- the profiles -------------------------------------------------------------------------------


def test_profiles_hold_the_documented_limits():
    assert (TELEGRAM.album_min, TELEGRAM.album_max, TELEGRAM.caption_limit) == (2, 10, 1024)
    assert (TELEGRAM.file_bytes, TELEGRAM.dimension_sum, TELEGRAM.max_ratio) == (
        10 * MB,
        10_000,
        20,
    )
    assert TELEGRAM.store_box == (1280, 1280) and TELEGRAM.hd_box == (2560, 2560)
    assert (VK.dimension_sum, VK.file_bytes, VK.max_ratio, VK.album_max) == (
        14_000,
        50 * MB,
        20,
        10,
    )
    assert VK.store_box == (2560, 2048) and VK.caption_soft_limit == 2048
    assert INSTAGRAM.recommended == (1080, 1350) and INSTAGRAM.aspect_range == (0.8, 1.91)
    assert (INSTAGRAM.file_bytes, INSTAGRAM.album_max, INSTAGRAM.album_max_app) == (8 * MB, 10, 20)
    assert INSTAGRAM.format == "jpeg" and LINKEDIN.format == "pdf"
    for platform in PLATFORMS.values():
        assert platform.sources and platform.source  # every profile says where its limits come from


def test_the_readmes_table_of_limits_lists_every_source():
    """The README's table of platform limits is made from the profiles' sources, row by row."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    rows = [f"| {p.title} | {what} | {where} |" for p in PLATFORMS.values() for what, where in p.sources]
    assert "| platform | limit | source |" in readme
    assert [row for row in rows if row not in readme] == []
    assert any("https://core.telegram.org/bots/api#sendmediagroup" in row for row in rows)


def test_get_platform():
    assert get_platform(" Telegram ") is TELEGRAM
    with pytest.raises(ValueError, match='unknown platform "tg"; known: telegram, vk, instagram, linkedin'):
        get_platform("tg")


# --- album split --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "sizes"),
    [
        (1, [1]),
        (2, [2]),
        (10, [10]),
        (11, [9, 2]),
        (12, [10, 2]),
        (19, [10, 9]),
        (20, [10, 10]),
        (21, [10, 9, 2]),
        (23, [10, 10, 3]),
        (31, [10, 10, 9, 2]),
        (100, [10] * 10),
    ],
)
def test_split_fills_albums_first(n, sizes):
    parts = split_albums(n, TELEGRAM)
    assert [len(r) for r in parts] == sizes
    assert [i for r in parts for i in r] == list(range(n))  # consecutive, every card once


def test_split_never_leaves_an_album_below_the_platforms_minimum():
    for platform in (TELEGRAM, INSTAGRAM, VK):
        for n in range(11, 101):
            parts = [len(r) for r in split_albums(n, platform)]
            assert min(parts) >= platform.album_min and max(parts) <= platform.album_max
            assert len(parts) == -(-n // 10)  # the fewest albums
            assert parts[:-2] == [10] * (len(parts) - 2)  # full albums first; only the last two give way
            assert parts[-2] == 10 or parts[-1] == platform.album_min
    assert [len(r) for r in split_albums(21, VK)] == [10, 10, 1]  # VK posts take a single photo


def test_linkedin_is_one_document_and_nothing_splits_empty():
    assert split_albums(40, LINKEDIN) == [range(40)]
    assert split_albums(0, TELEGRAM) == []


def test_23_card_deck_is_three_album_folders_with_continuous_names():
    parts = albums(23, TELEGRAM)
    assert [a.folder for a in parts] == ["album-1", "album-2", "album-3"]
    assert parts[0].files(23) == [f"album-1/{i:02d}.png" for i in range(1, 11)]
    assert parts[1].files(23)[0] == "album-2/11.png" and parts[2].files(23)[-1] == "album-3/23.png"
    assert parts[2].files(23, "jpg")[0] == "album-3/21.jpg"
    assert albums(5, TELEGRAM)[0].files(5, split=False) == [
        "01.png",
        "02.png",
        "03.png",
        "04.png",
        "05.png",
    ]
    assert albums(120, VK)[0].files(120)[0] == "album-1/001.png"  # names as wide as the deck needs


def test_23_cards_warn_about_the_split_on_every_album_platform():
    for platform, word in ((TELEGRAM, "albums"), (VK, "posts"), (INSTAGRAM, "carousels")):
        problems = check_post(platform, *platform.recommended, 23)
        split = [p for p in problems if p.code == "album-split"]
        assert len(split) == 1 and split[0].severity == "warning"
        assert f"it will be split into 3 {word} (10 + 10 + 3)" in split[0].message
    assert not [p for p in check_post(LINKEDIN, 1080, 1350, 23) if p.code == "album-split"]


def test_telegram_split_message_reads_as_in_the_issue():
    [problem] = [p for p in check_post(TELEGRAM, 1024, 1280, 11) if p.code == "album-split"]
    assert problem.message == (
        "Telegram albums hold 2–10 photos; this deck has 11 cards: it will be split into 2 albums (9 + 2)"
    )


def test_single_card_is_not_an_album():
    [problem] = check_post(TELEGRAM, 1024, 1280, 1)
    assert problem.code == "album-single" and "posted as a single photo" in problem.message
    assert check_post(VK, 1080, 1350, 1) == []  # VK posts take one photo


# --- per-platform checks ------------------------------------------------------------------------


def test_clean_decks_have_no_problems():
    assert check_post(TELEGRAM, 1024, 1280, 9, "Короткая подпись") == []
    assert check_post(TELEGRAM, 2048, 2560, 9, hd=True) == []
    assert check_post(VK, 1080, 1350, 9, "x" * 2000) == []
    assert check_post(INSTAGRAM, 1080, 1350, 9, "#smm #контент", fmt="jpeg") == []
    assert check_post(LINKEDIN, 1080, 1350, 30, fmt="pdf", file_sizes=[12 * MB]) == []


def test_telegram_caption_too_long():
    caption = "а" * 1312
    [problem] = check_post(TELEGRAM, 1024, 1280, 5, caption)
    assert (problem.severity, problem.code) == ("error", "caption-length")
    assert problem.message == (
        "caption is 1312 characters; Telegram allows 1024 for an album caption: shorten it by 288"
    )


def test_telegram_counts_emoji_twice():
    caption = "а" * 1020 + "🔥🔥🔥"  # 1023 characters, 1026 UTF-16 units
    assert caption_length(caption, TELEGRAM) == 1026 and caption_length(caption, VK) == 1023
    [problem] = check_caption(caption, TELEGRAM)
    assert "1023 characters (1026 as Telegram counts them: emoji count twice)" in problem.message
    assert "shorten it by 2" in problem.message


def test_vk_caption_limits():
    [soft] = check_caption("x" * 3000, VK)
    assert (
        soft.severity == "warning" and "fits a VK post (16384) but not a photo's own description (2048)" in soft.message
    )
    [hard] = check_caption("x" * 17_000, VK)
    assert hard.severity == "error" and "shorten it by 616" in hard.message


def test_instagram_caption_hashtags_and_mentions():
    caption = " ".join(f"#tag{i}" for i in range(31)) + " " + " ".join(f"@user{i}" for i in range(21))
    assert codes(check_caption(caption, INSTAGRAM)) == [
        ("error", "caption-hashtags"),
        ("error", "caption-mentions"),
    ]
    assert "caption has 31 hashtags; Instagram allows 30: remove 1" in str(check_caption(caption, INSTAGRAM)[0])
    assert check_caption("x" * 2201, INSTAGRAM)[0].message.endswith("shorten it by 1")


def test_dimension_sum_and_ratio():
    problems = check_post(TELEGRAM, 1000, 9500, 3)
    assert ("error", "dimensions") in codes(problems)
    assert "Telegram allows width + height up to 10000 px (this is 10500)" in str(problems[0])
    assert ("error", "ratio") in codes(check_post(VK, 400, 8100, 3))
    assert ("error", "ratio") not in codes(check_post(VK, 400, 8000, 3))  # exactly 1:20 is allowed
    assert ("error", "dimensions") not in codes(check_post(VK, 4000, 10_000, 3))


def test_instagram_aspect_range():
    story = check_post(INSTAGRAM, 1080, 1920, 5)
    assert ("error", "aspect") in codes(story)
    assert "use size portrait (1080×1350)" in next(p.message for p in story if p.code == "aspect")
    assert ("error", "aspect") not in codes(check_post(INSTAGRAM, 1080, 1350, 5))
    assert ("error", "aspect") not in codes(check_post(INSTAGRAM, 1080, 566, 5))  # 1.91:1
    assert ("error", "aspect") in codes(check_post(INSTAGRAM, 1080, 540, 5))  # 2:1
    # within a pixel of the range: 1910×1000 (1.91:1) scaled to 1080 wide is rounded to 1080×565
    assert ("error", "aspect") not in codes(check_post(INSTAGRAM, 1080, 565, 5))
    assert ("error", "aspect") in codes(check_post(INSTAGRAM, 1080, 563, 5))
    assert ("error", "aspect") not in codes(check_post(INSTAGRAM, 1080, 1351, 5))  # 4:5, a pixel taller
    assert ("error", "aspect") in codes(check_post(INSTAGRAM, 1080, 1353, 5))


def test_slides_larger_than_the_platform_keeps_warn_with_the_fix():
    [problem] = check_post(TELEGRAM, 1080, 1350, 5)
    assert problem.code == "rescaled"
    assert "scaled to 1024×1280" in problem.message and "--for telegram" in problem.message
    assert "--scale 2" in problem.message
    assert codes(check_post(TELEGRAM, 1080, 1350, 5, hd=True)) == []  # within the 2560 px HD box
    assert ("warning", "rescaled") in codes(check_post(INSTAGRAM, 1440, 1800, 5))
    assert codes(check_post(VK, 1080, 1350, 5)) == []


def test_file_sizes():
    problems = check_post(TELEGRAM, 1024, 1280, 3, file_sizes=[2 * MB, 12_400_000, 3 * MB])
    assert [p.message for p in problems] == [
        "slide 2 is 12.4 MB; Telegram allows 10 MB per photo: use --format jpeg or use a smaller size"
    ]
    assert codes(check_post(INSTAGRAM, 1080, 1350, 2, file_sizes=[9 * MB, MB])) == [("error", "file-size")]
    assert "slide 1 is 101.0 MB; LinkedIn allows 100 MB per document" in str(
        check_post(LINKEDIN, 1080, 1350, 9, file_sizes=[101 * MB])[0]
    )
    assert ("error", "pages") in codes(check_post(LINKEDIN, 1080, 1350, 301))


def test_written_files_are_named_with_their_size_the_limit_and_a_fix():
    [png] = check_files(TELEGRAM, [("album-1/01.png", 13_300_000), ("album-1/02.png", 900_000)], "png", scale=2)
    assert png.message == (
        "album-1/01.png is 13.3 MB; Telegram allows 10 MB per photo: use --format jpeg, "
        "render without --scale 2 or use a smaller size"
    )
    [jpeg] = check_files(INSTAGRAM, [("01.jpg", 8_000_001)], "jpeg", quality=95)
    assert jpeg.message.startswith("01.jpg is 8 000 001 bytes; Instagram allows 8 MB")  # not "8.0 MB"
    assert "lower --quality (now 95)" in jpeg.message
    [webp] = check_files(VK, [("01.webp", 51 * MB)], "webp")
    assert "add --quality 90 (lossy WebP)" in webp.message
    [pdf] = check_files(LINKEDIN, [("d.pdf", 100_040_000)], "pdf", scale=2)
    assert pdf.message == (
        "d.pdf is 100.04 MB; LinkedIn allows 100 MB per document: render without --scale 2 or split the deck"
    )
    assert check_files(TELEGRAM, [("01.png", 10 * MB)], "png") == []  # at the limit is within it
    assert check_files(TELEGRAM, [("d.pdf", 30 * MB)], "pdf") == []  # sent as a document, not a photo


def test_formats_per_platform():
    [problem] = check_post(INSTAGRAM, 1080, 1350, 5, fmt="png")
    assert problem.message == "Instagram takes JPEG for this post; these slides are PNG: use --format jpeg"
    assert codes(check_post(LINKEDIN, 1080, 1350, 5, fmt="png")) == [("warning", "format")]
    assert codes(check_post(TELEGRAM, 1024, 1280, 5, fmt="pdf")) == [("warning", "format")]
    assert codes(check_post(VK, 1080, 1350, 5, fmt="jpeg")) == []


def test_errors_come_before_warnings():
    problems = check_post(TELEGRAM, 1080, 1350, 11, "а" * 2000)
    levels = [p.severity for p in problems]
    assert levels == sorted(levels, key=lambda level: level != "error") and levels[0] == "error"


# --- render sizes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "size", "scale", "expected"),
    [
        (TELEGRAM, (1080, 1350), 1, (1024, 1280)),
        (TELEGRAM, (1080, 1350), 2, (2048, 2560)),
        (TELEGRAM, (1080, 1080), 1, (1080, 1080)),  # smaller than the box: kept, never enlarged
        (TELEGRAM, (1280, 1280), 2, (2560, 2560)),
        (TELEGRAM, (1080, 1920), 1, (720, 1280)),
        (VK, (1080, 1350), 1, (1080, 1350)),
        (
            VK,
            (1080, 1350),
            2,
            (1638, 2048),
        ),  # the 2560×2048 box read as width × height: safe either way
        (INSTAGRAM, (1080, 1350), 2, (1080, 1350)),  # Instagram keeps 1080 px wide
        (LINKEDIN, (1080, 1350), 2, (2160, 2700)),
    ],
)
def test_render_size(platform, size, scale, expected):
    assert render_size(platform, *size, scale) == expected
    assert kept_size(platform, *expected, hd=scale > 1) == expected  # the platform keeps it as is


def test_the_factor_from_the_canvas_to_the_rendered_size():
    def scale_for(platform, width, height, scale=1):
        return render_size(platform, width, height, scale)[0] / width

    assert scale_for(TELEGRAM, 1080, 1350) == pytest.approx(1024 / 1080)
    assert scale_for(TELEGRAM, 1080, 1350, 2) == pytest.approx(2048 / 1080)
    assert scale_for(VK, 1080, 1350) == 1


# --- purity -------------------------------------------------------------------------------------


def test_the_names_users_write_are_the_profiles_and_the_formats():
    """model.names lists what the config file accepts for `for` and `format`: the same names."""
    from cardgen.model import names
    from cardgen.output.formats import EXTENSIONS

    assert tuple(PLATFORMS) == names.PLATFORMS
    assert tuple(EXTENSIONS) == names.FORMATS
    from typing import get_args, get_type_hints

    from cardgen.load.deck import Deck

    (literal, _none) = get_args(get_type_hints(Deck)["platform"])
    assert get_args(literal) == names.PLATFORMS  # a deck's `platform:` takes the same names
