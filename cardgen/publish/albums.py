"""A card count → albums; a canvas → the size a platform keeps without rescaling (pure).

Rules chosen here (and why):
- **Albums are filled first**: a deck longer than the album limit is split into ceil(n / limit)
  albums; every album but the last holds the limit, and the last holds the rest: 23 → 10 + 10 + 3
  on a 10-photo platform. So album 1 is always 01…10, as a reader expects when the first post is
  full. A rest below the platform's minimum (Telegram and Instagram need 2 per album) takes
  cards from the album before it: 21 → 10 + 9 + 2, never 10 + 10 + 1, which Telegram cannot
  send as an album. (VK has no minimum: 21 → 10 + 10 + 1 there.)
- **Slide names stay continuous** across album folders (album-2/11.png … when album 1 holds
  01–10), matching the page counter on the slides, which also counts over the whole deck. A
  deck that fits one album keeps today's flat layout (01.png … beside caption.txt).
- **Render size**: a platform that stores photos in a box (Telegram 1280 px, 2560 px in HD; VK
  2560×2048; Instagram 1080 px wide) rescales anything larger, which softens text.
  `render_size` gives the largest size within the box, so the platform keeps the pixels as
  they are: portrait 1080×1350 becomes 1024×1280 for Telegram, 2048×2560 with --scale 2. Layout
  sizes scale with the canvas width, so rendering at that size is sharp, not a resampled
  picture. A deck smaller than the box keeps its size: nothing is ever enlarged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cardgen.publish.platforms import Platform


@dataclass(frozen=True, slots=True)
class Album:
    """One album (post) of a split deck: its folder name and the cards it holds (0-based)."""

    index: int  # 1-based
    cards: range

    @property
    def folder(self) -> str:
        return f"album-{self.index}"

    def files(self, total: int, ext: str = "png", *, split: bool = True) -> list[str]:
        """Relative slide paths: "album-2/09.png", …; names count over the whole deck."""
        width = max(2, len(str(total)))
        prefix = f"{self.folder}/" if split else ""
        return [f"{prefix}{i + 1:0{width}d}.{ext}" for i in self.cards]


def split_albums(n: int, platform: Platform) -> list[range]:
    """Card count → consecutive ranges of card indexes, one per album, filled first (see module doc)."""
    if n <= 0:
        return []
    limit = platform.album_max
    if limit is None or n <= limit:
        return [range(n)]
    count = math.ceil(n / limit)
    sizes = [limit] * (count - 1) + [n - limit * (count - 1)]
    # A short last album borrows from the ones before it, nearest first, down to the minimum.
    for i in range(count - 2, -1, -1):
        short = platform.album_min - sizes[-1]
        if short <= 0:
            break
        give = min(short, sizes[i] - platform.album_min)
        sizes[i] -= give
        sizes[-1] += give
    out, start = [], 0
    for size in sizes:
        out.append(range(start, start + size))
        start += size
    return out


def albums(n: int, platform: Platform) -> list[Album]:
    """Card count → the albums to write: album-1, album-2, … (one album: write the slides flat)."""
    return [Album(i + 1, r) for i, r in enumerate(split_albums(n, platform))]


def render_size(platform: Platform, width: int, height: int, scale: float = 1) -> tuple[int, int]:
    """The canvas to render so the platform keeps the pixels as they are (see module doc).

    The deck's size times `scale`, shrunk into the platform's box (the HD box when scale > 1),
    never enlarged: a deck smaller than the box keeps its size.
    """
    return kept_size(platform, width * scale, height * scale, hd=scale > 1)


def kept_size(platform: Platform, width: float, height: float, *, hd: bool = False) -> tuple[int, int]:
    """The size the platform stores a photo of `width`×`height` at (smaller only when it is too big)."""
    box = platform.hd_box if hd and platform.hd_box else platform.store_box
    factor = 1.0
    if box:
        bw, bh = _box_for(platform, box, width, height)
        factor = min(factor, bw / width, bh / height)
    if platform.max_width:
        factor = min(factor, platform.max_width / width)
    # Floor (with a little slack for float error) so the result never exceeds the box by a pixel.
    return int(width * factor + 1e-6), int(height * factor + 1e-6)


def _box_for(platform: Platform, box: tuple[int, int], w: float, h: float) -> tuple[int, int]:
    if platform.box_turns and h > w:
        return box[1], box[0]
    return box
