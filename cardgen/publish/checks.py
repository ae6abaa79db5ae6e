"""A rendered deck's facts (slide size, count, caption, file sizes, format) → `Problem`s (pure).

Every limit of a `Platform` that the deck breaks becomes one `Problem`: an error when the
platform would refuse the post (a caption too long, a file too big, an aspect Instagram does
not take), a warning when it would take it but not as the author meant (split into albums,
rescaled, the wrong format). Each message names the limit, the value found and the fix:
«caption is 1312 characters; Telegram allows 1024 for an album caption: shorten it by 288».
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from cardgen.publish.albums import kept_size, split_albums
from cardgen.model.problems import WARNING, Problem
from cardgen.publish.platforms import MB, Platform

Level = Literal["error", "warning"]


def finding(level: Level, code: str, message: str) -> Problem:
    """A limit the deck breaks: an error (the platform would refuse the post) or a warning; `code`
    is stable, for tests and tools ("caption-length", "album-split", …). It is placed in the deck
    by `publish.plan.place`."""
    return Problem(message, kind="deck" if level == "error" else WARNING, code=code)


def caption_length(text: str, platform: Platform) -> int:
    """Characters as the platform counts them: Telegram counts UTF-16 code units (emoji are 2)."""
    if platform.caption_utf16:
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def check_caption(text: str | None, platform: Platform) -> list[Problem]:
    """A caption → its length against the platform's limit (and Instagram's hashtag and @ limits)."""
    if not text or platform.caption_limit is None:
        return []
    size = caption_length(text, platform)
    shown = f"{size} characters"
    if size != len(text):
        shown = f"{len(text)} characters ({size} as {platform.title} counts them: emoji count twice)"
    out = []
    if size > platform.caption_limit:
        out.append(
            finding(
                "error",
                "caption-length",
                f"caption is {shown}; {platform.title} allows {platform.caption_limit} for "
                f"{_caption_kind(platform)}: shorten it by {size - platform.caption_limit}",
            )
        )
    elif platform.caption_soft_limit and size > platform.caption_soft_limit:
        out.append(
            finding(
                "warning",
                "caption-length",
                f"caption is {shown}: it fits a {platform.title} post ({platform.caption_limit}) but not a "
                f"photo's own description ({platform.caption_soft_limit}); post it as the post text",
            )
        )
    words = text.split()
    for limit, sign, what in (
        (platform.hashtags_max, "#", "hashtags"),
        (platform.mentions_max, "@", "@-mentions"),
    ):
        count = sum(1 for w in words if w.startswith(sign) and len(w) > 1)
        if limit is not None and count > limit:
            out.append(
                finding(
                    "error",
                    f"caption-{what.strip('@-')}",
                    f"caption has {count} {what}; {platform.title} allows {limit}: remove {count - limit}",
                )
            )
    return out


def check_post(
    platform: Platform,
    width: int,
    height: int,
    slide_count: int,
    caption: str | None = None,
    file_sizes: list[int] | None = None,
    *,
    fmt: str | None = None,
    hd: bool = False,
) -> list[Problem]:
    """A rendered deck's facts → every limit it breaks, errors first, each with what to do.

    `width`/`height` are the slides' pixels as written, `file_sizes` the bytes of each slide
    (or of the one PDF), `fmt` the output format, `hd` whether it is meant to be sent in high
    quality (--scale 2). Messages say the limit, the value found and the fix.
    """
    out: list[Problem] = []
    name = platform.title
    size = f"{width}×{height}"
    if platform.dimension_sum and width + height > platform.dimension_sum:
        out.append(
            finding(
                "error",
                "dimensions",
                f"slides are {size} px: {name} allows width + height up to {platform.dimension_sum} px "
                f"(this is {width + height}); use a smaller size",
            )
        )
    long, short = max(width, height), min(width, height)
    if platform.max_ratio and long / short > platform.max_ratio:
        out.append(
            finding(
                "error",
                "ratio",
                f"slides are {size} px, a side ratio of {long / short:.1f}:1; {name} allows up to "
                f"{platform.max_ratio:g}:1",
            )
        )
    if platform.aspect_range:
        low, high = platform.aspect_range
        ratio = width / height
        # Within a pixel: a size scaled to the platform's width is rounded down, so 1910×1000
        # (1.91:1) becomes 1080×565 (1.9115:1). A side one pixel off the range is that rounding.
        if (width - 1) / (height + 1) > high or (width + 1) / max(1, height - 1) < low:
            out.append(
                finding(
                    "error",
                    "aspect",
                    f"slides are {size} px ({ratio:.2f}:1); {name} feed posts take 4:5 (0.8:1) to "
                    f"1.91:1: use size portrait (1080×1350) or square (1080×1080)",
                )
            )
    target = kept_size(platform, width, height, hd=hd)
    if target != (width, height):
        kept = f"{target[0]}×{target[1]}"
        how = ("sent in HD " if hd else "sent as a normal photo ") if platform.hd_box else ""
        more = " (or add --scale 2 and send in HD)" if platform.hd_box and not hd else ""
        out.append(
            finding(
                "warning",
                "rescaled",
                f"slides are {size} px, larger than {name} keeps: {how}they are scaled to {kept} "
                f"and text turns soft; render with --for {platform.name} to get {kept} slides{more}",
            )
        )
    out += _count_problems(platform, slide_count)
    out += check_caption(caption, platform)
    out += check_files(
        platform, [(f"slide {i}", b) for i, b in enumerate(file_sizes or [], 1)], fmt, scale=2 if hd else 1
    )
    if fmt and fmt not in platform.formats:
        out.append(
            finding(
                "warning",
                "format",
                f"{name} takes {' or '.join(f.upper() for f in platform.formats)} for this post; "
                f"these slides are {fmt.upper()}: use --format {platform.format}",
            )
        )
    return sorted(out, key=lambda p: p.severity != "error")


def _count_problems(platform: Platform, n: int) -> list[Problem]:
    name, limit = platform.title, platform.album_max
    if platform.pages_max and n > platform.pages_max:
        return [finding("error", "pages", f"the document has {n} pages; {name} allows {platform.pages_max}")]
    if limit is None:
        return []
    span = f"{platform.album_min}–{limit}" if platform.album_min > 1 else f"up to {limit}"
    holds = f"{name} {platform.post_word}s hold {span} "
    holds += f"items through the API ({platform.album_max_app} in the app)" if platform.album_max_app else "photos"
    cards = f"{n} card{'s' if n != 1 else ''}"
    if n > limit:
        parts = split_albums(n, platform)
        sizes = " + ".join(str(len(r)) for r in parts)
        return [
            finding(
                "warning",
                "album-split",
                f"{holds}; this deck has {cards}: it will be split into {len(parts)} {platform.post_word}s ({sizes})",
            )
        ]
    if n < platform.album_min:
        return [
            finding(
                "warning",
                "album-single",
                f"{holds}; this deck has {cards}: it is posted as a single photo",
            )
        ]
    return []


def check_files(
    platform: Platform,
    files: Sequence[tuple[str, int]],
    fmt: str | None = None,
    *,
    scale: int = 1,
    quality: int | None = None,
) -> list[Problem]:
    """Written files (name, bytes) → the ones over the platform's size limit, each with a fix.

    Sizes are known only once the slides are encoded: `cardgen render` measures them before it
    puts the new slides in place, so an oversized deck fails and its previous slides stay.
    """
    name = platform.title
    if platform.document_bytes:
        limit, per = platform.document_bytes, "document"
        if len(files) > 1:  # a deck of slides for a document platform: their total is the document
            files = [("the document", sum(size for _, size in files))]
    elif platform.file_bytes and fmt != "pdf":  # a PDF is not a photo there (its format is warned about)
        limit, per = platform.file_bytes, "photo"
    else:
        return []
    fixes = _size_fixes(platform, fmt, scale, quality)
    return [
        finding(
            "error",
            "file-size",
            f"{what} is {_megabytes(size, limit)}; {name} allows {limit / MB:g} MB per {per}: {fixes}",
        )
        for what, size in files
        if size > limit
    ]


def _size_fixes(platform: Platform, fmt: str | None, scale: int, quality: int | None) -> str:
    fixes = []
    if fmt == "jpeg":
        fixes.append(f"lower --quality (now {quality or 90})")
    elif fmt == "webp":
        fixes.append("lower --quality" if quality is not None else "add --quality 90 (lossy WebP)")
    elif fmt != "pdf" and "jpeg" in platform.formats:
        fixes.append("use --format jpeg")
    if scale > 1:
        fixes.append(f"render without --scale {scale}")
    fixes.append("use a smaller size" if fmt != "pdf" else "split the deck")
    return ", ".join(fixes[:-1]) + f" or {fixes[-1]}" if len(fixes) > 1 else fixes[0]


def _megabytes(size: int, limit: int) -> str:
    """13.3 MB; more decimals when one would round a size over the limit down to it (10.0 > 10)."""
    for digits in (1, 2, 3):
        if round(size / MB, digits) > limit / MB:
            return f"{size / MB:.{digits}f} MB"
    return f"{size:,} bytes".replace(",", " ")


def _caption_kind(platform: Platform) -> str:
    return {"telegram": "an album caption", "vk": "a post", "instagram": "a caption"}.get(platform.name, "a post")
