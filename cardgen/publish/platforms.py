"""Platform name → `Platform`: what Telegram, VK, Instagram and LinkedIn accept, and where it is written (pure).

Each `Platform` writes down the limits of a carousel post on one platform, and `sources` says
where each comes from (the platform's own documentation; `limits_table()` prints them for the
README). Sizes in MB are decimal (10 MB = 10 000 000 bytes): the stricter reading, so a file
that passes is accepted whichever way the platform counts. `cardgen.publish.albums` splits decks and
sizes slides by these limits; `cardgen.publish.checks` checks a rendered deck against them.

Readings chosen where the documentation is loose:
- VK's stored size "2560×2048" is read as width ≤ 2560 and height ≤ 2048 (`box_turns=False`):
  a portrait slide within it is kept under either reading.
- VK's 2048-character limit is a photo's own description; a post's text (what is pasted with
  the album) may be 16 384 characters, so 2048 is a warning and 16 384 the error.
- Telegram's 1024 is the Bot API's caption limit (Premium senders get 4096 in the apps); it
  counts UTF-16 code units, so an emoji counts twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MB = 1_000_000


@dataclass(frozen=True, slots=True)
class Platform:
    """What one platform accepts for a carousel post. `None` means "no such limit"."""

    name: str  # the --for value and the deck's `platform:` key
    title: str  # as shown in messages
    format: Literal["png", "jpeg", "pdf"]  # what to upload
    formats: tuple[str, ...]  # formats the platform takes for this kind of post
    recommended: tuple[int, int]  # canvas px, width × height
    album_max: int | None  # items per post (album, carousel)
    album_min: int = 1  # fewer is not an album (Telegram, Instagram: 2)
    album_max_app: int | None = None  # a higher limit when posting by hand (Instagram app: 20)
    caption_limit: int | None = None  # characters of the text posted with the slides
    caption_soft_limit: int | None = None  # beyond it: a warning (VK: a photo's own description)
    caption_utf16: bool = False  # counted in UTF-16 code units (emoji count as 2)
    file_bytes: int | None = None  # one slide file
    document_bytes: int | None = None  # one document (PDF)
    pages_max: int | None = None  # pages of one document
    dimension_sum: int | None = None  # width + height, px
    max_ratio: float | None = None  # long side ÷ short side
    aspect_range: tuple[float, float] | None = None  # width ÷ height, from … to
    store_box: tuple[int, int] | None = None  # (w, h) the platform stores photos within
    hd_box: tuple[int, int] | None = None  # the box of photos sent in high quality
    box_turns: bool = True  # the box applies to (long, short) sides rather than (width, height)
    max_width: int | None = None  # stored width (Instagram: 1080)
    hashtags_max: int | None = None
    mentions_max: int | None = None
    alt_text_limit: int | None = None  # characters of alt text per image; set: alt.txt is always written
    sources: tuple[tuple[str, str], ...] = ()  # (what, where it is written)

    @property
    def post_word(self) -> str:
        """What one post of slides is called on this platform, for messages."""
        return {"telegram": "album", "instagram": "carousel"}.get(self.name, "post")

    @property
    def source(self) -> str:
        return "; ".join(f"{what}: {where}" for what, where in self.sources)


TELEGRAM = Platform(
    name="telegram",
    title="Telegram",
    format="png",
    formats=("png", "jpeg"),
    recommended=(1024, 1280),
    album_max=10,
    album_min=2,
    caption_limit=1024,
    caption_utf16=True,
    file_bytes=10 * MB,
    dimension_sum=10_000,
    max_ratio=20.0,
    store_box=(1280, 1280),
    hd_box=(2560, 2560),
    sources=(
        (
            "2–10 media per album",
            "Telegram Bot API, sendMediaGroup — https://core.telegram.org/bots/api#sendmediagroup",
        ),
        (
            "photo ≤ 10 MB, width + height ≤ 10000, ratio ≤ 20",
            "Telegram Bot API, sendPhoto — https://core.telegram.org/bots/api#sendphoto",
        ),
        (
            "caption 0–1024 characters",
            "Telegram Bot API, InputMediaPhoto — https://core.telegram.org/bots/api#inputmediaphoto",
        ),
        (
            "stored in 1280 px (y) and 2560 px (w) boxes",
            "Telegram API, Image thumbnail types — https://core.telegram.org/api/files#image-thumbnail-types",
        ),
    ),
)
VK = Platform(
    name="vk",
    title="VK",
    format="png",
    formats=("png", "jpeg"),
    recommended=(1080, 1350),
    album_max=10,
    caption_limit=16_384,
    caption_soft_limit=2048,
    file_bytes=50 * MB,
    dimension_sum=14_000,
    max_ratio=20.0,
    store_box=(2560, 2048),
    box_turns=False,
    sources=(
        (
            "width + height ≤ 14000, ≤ 50 MB, aspect at least 1:20, JPG/PNG/GIF",
            "VK API, Загрузка файлов — https://dev.vk.com/ru/api/upload/overview",
        ),
        (
            "stored up to 2560×2048",
            "VK API, Формат описания размеров фотографии — https://dev.vk.com/ru/reference/objects/photo-sizes",
        ),
        ("10 attachments per post", "VK API, wall.post — https://dev.vk.com/ru/method/wall.post"),
        (
            "photo description ≤ 2048 characters",
            "VK API, photos.save (caption) — https://dev.vk.com/ru/method/photos.save",
        ),
        (
            "post text ≤ 16384 characters",
            "VK Help, Ограничения для записей (widely cited; not in the API reference)",
        ),
    ),
)
INSTAGRAM = Platform(
    name="instagram",
    title="Instagram",
    format="jpeg",
    formats=("jpeg",),
    recommended=(1080, 1350),
    album_max=10,
    album_min=2,
    album_max_app=20,
    caption_limit=2200,
    file_bytes=8 * MB,
    aspect_range=(4 / 5, 1.91),
    max_width=1080,
    hashtags_max=30,
    mentions_max=20,
    alt_text_limit=1000,
    sources=(
        (
            "JPEG, ≤ 8 MB, aspect 4:5 to 1.91:1, width 320–1440, caption ≤ 2200, ≤ 30 hashtags, ≤ 20 @-tags",
            "Instagram Platform, IG User Media reference — https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media",
        ),
        (
            "carousels of up to 10 items via the API",
            "Instagram Platform, Content Publishing — https://developers.facebook.com/docs/instagram-platform/content-publishing",
        ),
        (
            "1080×1350 recommended, 1080 px stored width, 20 items in the app",
            "Instagram Help Center, image resolution and carousel posts",
        ),
        (
            "alt text ≤ 1000 characters per image",
            "Instagram Platform, IG User Media reference (alt_text); Instagram Help Center, alternative text",
        ),
    ),
)
LINKEDIN = Platform(
    name="linkedin",
    title="LinkedIn",
    format="pdf",
    formats=("pdf",),
    recommended=(1080, 1350),
    album_max=None,
    caption_limit=3000,
    document_bytes=100 * MB,
    pages_max=300,
    alt_text_limit=300,
    sources=(
        (
            "a document post (PDF) shows as a swipeable carousel; ≤ 100 MB, ≤ 300 pages",
            "LinkedIn Help, Share a document on LinkedIn",
        ),
        ("post text ≤ 3000 characters", "LinkedIn Help, Character limits for posts"),
        (
            "alt text ≤ 300 characters per image (the shortest figure given; check it)",
            "LinkedIn Help, Add alternative text to images",
        ),
    ),
)
PLATFORMS: dict[str, Platform] = {p.name: p for p in (TELEGRAM, VK, INSTAGRAM, LINKEDIN)}


def get_platform(name: str) -> Platform:
    """A --for value or a deck's `platform:` → `Platform`; ValueError lists the known names."""
    key = name.strip().lower()
    if key not in PLATFORMS:
        raise ValueError(f'unknown platform "{name}"; known: {", ".join(PLATFORMS)}')
    return PLATFORMS[key]
