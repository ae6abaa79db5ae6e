"""A laid-out deck + publishing options → what to write: file names (albums), the encoder, the
caption files, the render size, and the platform's problems (pure but for encoding, which is
handed in by export).

`--for PLATFORM` (or the deck's `platform:`) picks the render size that the platform keeps
without rescaling, the album split, the caption limit and the default format; `--format`
and `--scale` override. The platform's problems point into the deck: a caption's at the
`caption:` line, the others at `platform:`, or at the deck file when the platform came from `--for`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cardgen.load.deck import Deck
from cardgen.model.problems import DeckError, Problem, Where, combine
from cardgen.output.formats import EXTENSIONS
from cardgen.publish.albums import albums, render_size, split_albums
from cardgen.publish.alttext import DEFAULT_LIMIT, alt_files
from cardgen.publish.caption import album_captions, caption_files, caption_problems
from cardgen.publish.checks import check_files, check_post
from cardgen.publish.options import Publish
from cardgen.publish.platforms import Platform, get_platform
from cardgen.resolve.admark import AdSpec


@dataclass(frozen=True)
class Plan:
    platform: Platform | None
    fmt: str
    names: tuple[str, ...]  # one per slide ("01.png", or "album-2/09.jpg"); for pdf: the one file
    extras: dict[str, str] = field(default_factory=dict)  # caption files: relative path → text
    problems: tuple[Problem, ...] = ()


def platform_of(publish: Publish, deck_platform: str | None) -> Platform | None:
    name = publish.platform or deck_platform
    return get_platform(name) if name else None


def canvas_for(publish: Publish, deck_platform: str | None, width: int, height: int) -> tuple[int, int]:
    """The size to render at: what the platform keeps unscaled, times --scale."""
    platform = platform_of(publish, deck_platform)
    if platform is not None:
        return render_size(platform, width, height, publish.scale)
    return width * publish.scale, height * publish.scale


def canvas_fix(
    publish: Publish,
    deck_platform: str | None,
    width: int,
    height: int,
    canvas: tuple[int, int],
    min_side: int,
    max_side: int,
) -> str:
    """What to do when the canvas a platform asks for is outside the sides cardgen takes (appended
    to that error): a deck too elongated for the platform's box, or too big for --scale."""
    platform = platform_of(publish, deck_platform)
    cw, ch = canvas
    if max(cw, ch) > max_side:
        return f": use a smaller size or render without --scale {publish.scale}" if publish.scale > 1 else ""
    if platform is None or min(cw, ch) >= min_side:
        return ""
    long_side = max(cw, ch)  # what the platform's box leaves of the long side
    ratio = long_side / min_side
    example = f"{width}x{math.ceil(width / ratio)}" if width >= height else f"{math.ceil(height / ratio)}x{height}"
    # Cards are set for portrait and square canvases (type scales with the width): the second
    # suggestion is the one a carousel wants.
    return (
        f": {platform.title} keeps slides within {long_side} px, so {width}×{height} "
        f"({max(width, height) / min(width, height):.3g}:1) shrinks to {cw}×{ch}; use a size of at most "
        f"{ratio:.3g}:1 (such as {example}), or a card size such as portrait (1080x1350) or square"
    )


def ignored_scale(publish: Publish, deck_platform: str | None, width: int, height: int) -> str | None:
    """--scale on a platform that keeps no more pixels (Instagram stores slides 1080 px wide)
    changes nothing: the warning that says so, or None."""
    platform = platform_of(publish, deck_platform)
    if publish.scale == 1 or platform is None:
        return None
    kept = render_size(platform, width, height, 1)
    if render_size(platform, width, height, publish.scale) != kept:
        return None
    stores = f"stores slides {platform.max_width} px wide" if platform.max_width else "keeps no larger slides"
    return (
        f"--scale {publish.scale} changes nothing here: {platform.title} {stores}, so the slides stay "
        f"{kept[0]}×{kept[1]}; render without --scale"
    )


def post_ranges(publish: Publish | None, deck_platform: str | None, total: int) -> list[range] | None:
    """The albums (0-based card ranges) the deck is published as, when a platform splits it;
    None for one post. The ad marking's `show: first` and the like apply to each (`cardgen.resolve.admark`)."""
    platform = platform_of(publish, deck_platform) if publish is not None else None
    if platform is None:
        return None
    groups = split_albums(total, platform)
    return groups if len(groups) > 1 else None


def plan_post(
    publish: Publish,
    *,
    deck_platform: str | None,
    stem: str,
    total: int,
    width: int,
    height: int,
    caption: str | None,
    lang: str,
    ad: AdSpec | None,
    alt: Sequence[str] = (),
) -> Plan:
    """What to write and what is wrong. `alt`: each slide's alt text (`alttext.card_alt`), written
    as alt.txt when the platform takes alt text (Instagram, LinkedIn) or --alt asks for it."""
    platform = platform_of(publish, deck_platform)
    fmt = publish.fmt or (platform.format if platform else "png")
    if fmt == "pdf":
        names: tuple[str, ...] = (f"{stem}.pdf",)
        groups = albums(total, platform) if platform and platform.format != "pdf" else []
    else:
        groups = albums(total, platform) if platform else []
        split = len(groups) > 1
        if groups:
            names = tuple(n for album in groups for n in album.files(total, EXTENSIONS[fmt], split=split))
        else:
            width_digits = max(2, len(str(total)))
            names = tuple(f"{i:0{width_digits}d}.{EXTENSIONS[fmt]}" for i in range(1, total + 1))
    extras = caption_files(caption, groups, total, lang=lang, ad=ad) if (caption or ad) else {}
    if alt and (publish.alt or (platform is not None and platform.alt_text_limit)):
        limit = platform.alt_text_limit if platform is not None and platform.alt_text_limit else DEFAULT_LIMIT
        extras.update(alt_files(alt, groups, limit))  # written and swapped in with the slides, as captions are
    problems: list[Problem] = []
    if platform is not None:
        problems += check_post(platform, width, height, total, fmt=fmt, hd=publish.scale > 1)
        problems += caption_problems(album_captions(caption, groups, total, lang=lang, ad=ad), platform)
    return Plan(platform, fmt, names, extras, tuple(problems))


def place(problem: Problem, deck: Deck, platform: Platform | None) -> Problem:
    """A platform's problem at the place it points to in the deck (see the module doc)."""
    return problem.placed(_where(problem, deck, platform))


def _where(problem: Problem, deck: Deck, platform: Platform | None) -> Where:
    if (problem.code or "").startswith("caption"):
        for key in ("caption", "ad"):  # the ad marking is part of the caption
            if getattr(deck, key, None) is not None:
                where = deck.where(key)
                return Where(where.file, where.line) if key == "caption" else where  # "caption is …" says it
    if platform is not None and deck.platform == platform.name:
        return deck.where("platform")
    return Where(deck.path)


def raise_errors(problems: Sequence[Problem], deck: Deck, platform: Platform | None) -> None:
    """The platform's errors → one located `DeckError` (or a group of them); warnings pass."""
    errors = [DeckError(p.message, _where(p, deck, platform)) for p in problems if p.severity == "error"]
    if errors:
        raise combine(errors)


def size_check(the_plan: Plan, publish: Publish, deck: Deck) -> Callable[[dict[str, int]], None] | None:
    """The written files' sizes (relative name → bytes) → an error for each over the platform's limit."""
    platform = the_plan.platform
    if platform is None:
        return None

    def check(sizes: dict[str, int]) -> None:
        files = [(name if the_plan.fmt == "pdf" else f"slide {name}", size) for name, size in sizes.items()]
        problems = check_files(platform, files, the_plan.fmt, scale=publish.scale, quality=publish.quality)
        raise_errors(problems, deck, platform)

    return check
