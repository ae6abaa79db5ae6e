"""The text layouts: cover, text, step, list, quote, cta. CardSpec → Flow, plus decorations that
need the placed boxes (list markers, the author beside an avatar, hint pills).

Each layout chooses where its content sits when it does not fill the card (`DEFAULT_VALIGN`;
a theme's `align:` overrides it), and the theme's composition decides the rest: the axis
(left or centred), where step numbers go (above the title, beside the text, inline before the
title) and the rule under titles.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import accumulate
from typing import NamedTuple

from cardgen.model.color import relative_luminance
from cardgen.load.theme import LARGE_ROLES
from cardgen.layout.flow import Columns, FixedBlock, Flow, TextBlock, measure, prepare
from cardgen.layout.chrome import WHITE, content_area, line_width, one_line, readable_on
from cardgen.text.markup import Span
from cardgen.layout.composition import profile_alpha
from cardgen.model.problems import LayoutError, quoted
from cardgen.model.page import RGBA, Box, FillBox, ImageBox, ImageFill, Rect, Scrim, Solid, TextBox
from cardgen.resolve.cards import CardSpec, TextStyle
from cardgen.text.shaping import ink_bottom
from cardgen.text.typeset import line_metrics

AVATAR = 120  # px at 1080 wide
SCRIM_INK = (8, 8, 14)
# The scrim's strongest opacity under text on a photo: enough for WCAG AA over a white sky
# (white text needs the photo at most ~47 % as bright: 0.53), with a margin; large text alone
# (3:1) needs less. Everywhere else the photo keeps its light.
SCRIM_BODY = 0.64
SCRIM_LARGE = 0.52
SCRIM_BANDS = 64  # the scrim's resolution when the photo has no profile
SCRIM_MIN = 0.3  # a scrim is at least this dark: a shade under text reads as designed, not as a fix
SCRIM_MAX = 0.9
SCRIM_MARGIN = 0.8  # aim a fifth under the luminance WCAG allows: the profile is sampled coarsely
SCRIM_SEEN = 90  # the gray a translucent text color is blended with to judge it (a darkened photo)
SCRIM_FADE = 0.1  # of the card's height: how far the scrim fades out around the text it protects
SCRIM_PAD = 0.02  # of the card's height: full strength this far around each line
STATEMENT_LINES = 5  # a statement of more lines steps down the scale, else it is set as body text
COVER_LINES = 5  # a cover title of more lines at its size is set smaller (down to its floor) until it takes this many
DEFAULT_VALIGN = {
    "cover": "middle",
    "text": "middle",
    "step": "middle",
    "list": "middle",
    "quote": "middle",
    "cta": "middle",
    "link": "middle",
    "stat": "middle",
    "compare": "middle",
    "image": "bottom",
    "chat": "middle",
}


def flow(
    card: CardSpec,
    area: Rect,
    blocks: list,
    *,
    head: int = 0,
    kind: str = "",
    valign: str | None = None,
    fallback: Flow | None = None,
    grow: bool = True,
    max_lines: int = 0,
) -> Flow:
    """A layout's blocks as a Flow placed the way the theme composes this layout."""
    return Flow(
        area,
        tuple(blocks),
        valign or card.valign or DEFAULT_VALIGN[card.layout],
        head,
        card.axis,
        kind,
        fallback,
        card.height,
        grow,
        max_lines,
        card.chrome_gap,
    )


def cover(card: CardSpec, area: Rect) -> Flow:
    s = card.scale
    blocks: list = [
        FixedBlock(
            "rule",
            12 * s,
            112 * s,
            paint=Solid(card.styles["number"].color),
            radius=6 * s,
            centered=card.axis == "center",
        ),
        TextBlock("title", card.styles["cover_title"], prepare(card, "title", "cover_title"), 64 * s),
        TextBlock("subtitle", card.styles["cover_subtitle"], prepare(card, "subtitle", "cover_subtitle"), 60 * s),
    ]
    if card.avatar:
        blocks += author_blocks(card, 80 * s, area)
    # Over a photo the text sits low, where the scrim is; on a plain background the theme decides.
    return flow(card, area, blocks, valign="end" if card.image else None, max_lines=COVER_LINES)


def cover_backdrop(card: CardSpec, boxes: list[Box]) -> list[Box]:
    """A cover with an image: the photo fills the card, a scrim darkens what the text needs."""
    if not card.image:
        return []
    return photo_backdrop(card, boxes)


def photo_backdrop(card: CardSpec, boxes: list[Box]) -> list[Box]:
    """The photo, full bleed, under one scrim that is dark only where the text sits on it: each
    band of the card as dark as the line over it needs on this photo (its brightness profile, see
    `scrim_need`), at least SCRIM_MIN from the content's first line down to the bottom edge,
    easing in over SCRIM_FADE of the card's height above it, and never a lighter band between two
    darker ones (`_no_valleys`). The chrome in the top half (the counter, an ad marking) gets no
    band across the card: a plate of its own where the photo behind it needs one
    (`chrome_plates`). The rest of the photo keeps its light."""
    full = Rect(0, 0, card.width, card.height)
    out: list[Box] = [FillBox(full, ImageFill(card.image, focus=card.focus), field="photo")]  # type: ignore[arg-type]
    top = [b for b in boxes if _top_chrome(card, b)]
    marks = [m for b in boxes if b not in top for m in _marks(card, b)]
    if not marks:
        return out + chrome_plates(card, top, ())
    bands = len(card.photo_rows or ()) or SCRIM_BANDS
    band = card.height / bands
    pad = SCRIM_PAD * card.height

    def rows(top: float, bottom: float) -> range:
        return range(max(0, int(top / band)), min(bands, int(bottom / band) + 1))

    need = [0.0] * bands
    for r in rows(min(m.top for m in marks) - pad, card.height):  # a shade from the first line to the bottom edge
        need[r] = SCRIM_MIN
    for m in marks:
        alpha = max(SCRIM_MIN, scrim_need(card, m))
        for r in rows(m.top - pad, m.bottom + pad):
            need[r] = max(need[r], alpha)
    profile = tuple(round(255 * a) for a in _no_valleys(_eased(need, SCRIM_FADE * card.height / band)))
    # A profiled scrim's strength is its profile (paint.draw.scrim_mask): the colour's alpha is not read.
    out.append(FillBox(full, Scrim((*SCRIM_INK, max(profile)), profile=profile), field="scrim"))
    return out + chrome_plates(card, top, profile)


class _Mark(NamedTuple):
    """A line of text (or a dots or bar counter) over a photo: the part of the card its ink takes,
    whether it is large text (3:1) or not (4.5:1), and its colors."""

    top: float
    bottom: float
    left: float
    right: float
    large: bool
    colors: tuple[RGBA, ...]


def _marks(card: CardSpec, box: Box) -> list[_Mark]:
    """Each line of a text box, from a little over its cap height to under its descenders (each
    line is judged on the photo behind it, in its own colors: a white line over the sky and an
    accent line over the dark hills need different shades); a dots or bar counter as a line."""
    if isinstance(box, FillBox) and box.field == "chrome.counter":
        # A shape: 3:1 (WCAG's non-text contrast), for the dots and the bar's done part; the faint
        # track and dots (chrome.counter: a third of the color's opacity) only show what is left.
        color = getattr(box.paint, "color", WHITE)
        if color[3] < card.styles["counter"].color[3]:
            return []
        r = box.rect
        return [_Mark(r.y - 0.6 * r.h, r.bottom + 0.5 * r.h, r.x - 0.5 * r.h, r.right + 0.5 * r.h, True, (color,))]
    if not (isinstance(box, TextBox) and box.lines):
        return []
    cap = box.lines[0].baseline - box.rect.y
    large = box.role in LARGE_ROLES
    return [
        _Mark(
            line.baseline - cap - 0.3 * box.size,
            line.baseline + 0.25 * box.size,
            line.x - 0.1 * box.size,
            line.x + line.width + 0.1 * box.size,
            large,
            tuple({g.color: None for g in line.glyphs}) or (WHITE,),
        )
        for line in box.lines
    ]


def _top_chrome(card: CardSpec, box: Box) -> bool:
    """The counter (text, dots or bar) or an ad marking in the card's top half."""
    shown = (isinstance(box, TextBox) and box.lines) or (isinstance(box, FillBox) and box.field == "chrome.counter")
    return bool(shown) and box.field.startswith("chrome.") and box.rect.y < card.height / 2


PLATE_MIN = 0.35  # a plate is at least this dark: lighter, it reads as a smudge, not as a chip
PLATE_PAD = (0.55, 0.4)  # em of the chrome's size around its ink: across, and above and below


def chrome_plates(card: CardSpec, boxes: list[Box], profile: tuple[int, ...]) -> list[Box]:
    """A rounded plate of the scrim's ink behind each piece of the top chrome in `boxes` (the
    counter: its text, or all its dots, or its bar's track and fill together; an ad marking) that
    the photo and the scrim over it (`profile`) leave short of WCAG AA: as dark as the chrome
    needs there, and only as large as its ink and a little padding. None where the photo is dark
    enough."""
    out: list[Box] = []
    for name in dict.fromkeys(b.field for b in boxes):
        parts = [b for b in boxes if b.field == name]
        ink = [_ink(card, b) for b in parts]
        x0, y0 = min(r.x for r, _ in ink), min(r.y for r, _ in ink)
        x1, y1 = max(r.right for r, _ in ink), max(r.bottom for r, _ in ink)
        size = max(size for _, size in ink)
        px, py = PLATE_PAD[0] * size, PLATE_PAD[1] * size
        plate = Rect(x0 - px, y0 - py, x1 - x0 + 2 * px, y1 - y0 + 2 * py)
        need = max((scrim_need(card, m) for b in parts for m in _marks(card, b)), default=0.0)
        # the plate darkens what the scrim leaves: together at least `need`
        under = min(profile_alpha(profile, y / card.height) for y in (plate.y, plate.bottom)) if profile else 0.0
        alpha = 1 - (1 - need) / (1 - under) if under < 1 else 0.0
        if alpha <= 0.005:
            continue
        shade = (*SCRIM_INK, round(255 * min(SCRIM_MAX, max(PLATE_MIN, alpha))))
        out.append(FillBox(plate, Solid(shade), min(plate.h / 2, 0.8 * size), field=f"{name}.plate"))
    return out


def _ink(card: CardSpec, box: Box) -> tuple[Rect, float]:
    """The part of the card a piece of chrome inks (a text's lines from cap height to baseline, and
    its descenders when it has several lines; a shape's box), and the size of its type."""
    if isinstance(box, TextBox):
        x0 = min(line.x for line in box.lines)
        x1 = max(line.x + line.width for line in box.lines)
        bottom = box.lines[-1].baseline + (0.2 * box.size if len(box.lines) > 1 else 0.0)
        return Rect(x0, box.rect.y, x1 - x0, bottom - box.rect.y), box.size
    return box.rect, card.styles["counter"].size


def _no_valleys(profile: list[float]) -> list[float]:
    """Each band at least as dark as the lighter of the darkest bands above and below it: the scrim
    darkens down to its strongest band, then only lightens, and no band of brighter photo shows
    between two shades."""
    above = list(accumulate(profile, max))
    below = list(accumulate(reversed(profile), max))[::-1]
    return [max(a, min(u, d)) for a, u, d in zip(profile, above, below, strict=True)]


def _eased(need: list[float], reach: float) -> list[float]:
    """Each band: the darkest need nearby, eased off (smoothstep) with the distance, out to `reach` bands."""
    reach_n = max(1, round(reach))
    out = []
    for r in range(len(need)):
        alpha = need[r]
        for d in range(1, reach_n + 1):
            t = 1 - d / (reach_n + 1)
            ease = t * t * (3 - 2 * t)
            for j in (r - d, r + d):
                if 0 <= j < len(need) and need[j] * ease > alpha:
                    alpha = need[j] * ease
        out.append(alpha)
    return out


def scrim_need(card: CardSpec, mark: _Mark) -> float:
    """How dark (0..1) a black scrim must be over the part of the photo a line's ink takes for it
    to meet WCAG AA in its colors (3:1 when large, else 4.5:1): from the brightest cell of the
    photo's brightness grid (measured before layout) under it, so a line beside the sun is not
    judged on the sun; 0 when the photo is dark enough there, SCRIM_LARGE or SCRIM_BODY when the
    card has no grid."""
    grid = card.photo_rows
    if not grid:
        return SCRIM_LARGE if mark.large else SCRIM_BODY
    ratio = 3.0 if mark.large else 4.5

    def cells(a: float, b: float, extent: float, n: int) -> slice:
        first = max(0, min(n - 1, int(a / extent * n)))
        return slice(first, max(first, min(n - 1, int(b / extent * n))) + 1)

    columns = cells(mark.left, mark.right, card.width, len(grid[0]))
    photo = max(max(row[columns]) for row in grid[cells(mark.top, mark.bottom, card.height, len(grid))])
    need = 0.0
    for color in mark.colors:
        if relative_luminance(color) < 0.18:
            continue  # dark type over a photo sits on its own highlight (an accent marker), not on the scrim
        # Translucent text (85 % white for muted roles) shows some of the dark scrim through.
        a = color[3] / 255
        r, g, b = (round(c * a + SCRIM_SEEN * (1 - a)) for c in color[:3])
        seen = (r, g, b, 255)
        target = SCRIM_MARGIN * ((relative_luminance(seen) + 0.05) / ratio - 0.05)
        if photo <= target:
            continue
        if target <= 0:
            return SCRIM_MAX
        need = max(need, 1 - (target / photo) ** (1 / 2.2))
    return min(SCRIM_MAX, need)


def step(card: CardSpec, area: Rect) -> Flow:
    blocks, head = numbered(card, area, body_blocks(card))
    return flow(card, area, blocks, head=head)


def numbered(card: CardSpec, area: Rect, rest: list) -> tuple[list, int]:
    """A card's number, title and the rest, as the theme's `numbering` places them; and how many
    blocks lead (the head: a number above the title, which `align: spread` keeps at the top while
    the words stay together below)."""
    title = title_blocks(card)
    if not card.number:
        return title + rest, 0
    number = ((Span(card.number),),)
    if card.numbering == "inline" and title:
        # The number in the title's size and the number's color, in a column of its own with the
        # title beside it; the text runs the full width under both (a column of text indented
        # under a number reads as a narrow strip, and wastes the card's width).
        style = replace(card.styles["title"], color=card.styles["number"].color, align="left")
        block = TextBlock("number", style, prepare(card, "number", "title", number))
        em = _number_em(card, style) + 0.45
        head = Columns("numbered", ((block,), tuple(_no_gap(title))), 0.0, 0.0, lead=("title", em))
        return [head, *rest], 0
    style = card.styles["number"]
    block = TextBlock("number", style, prepare(card, "number", "number", number))
    if card.numbering == "beside" and title:
        # A big number in a column beside the title, top edges aligned; the text runs the full
        # width under both, so a dense step does not become a narrow column.
        em = _number_em(card, style) + 0.22
        head = Columns(
            "numbered",
            ((replace(block, style=replace(style, align="left")),), tuple(_no_gap(title))),
            0.0,
            0.0,
            lead=("number", em),
        )
        if rest:
            rest = [replace(rest[0], gap_before=max(rest[0].gap_before, card.gap * 1.2)), *rest[1:]]
        return [head, *rest], 0
    if title:
        title = [replace(title[0], gap_before=56 * card.scale), *title[1:]]
    elif rest:
        rest = [replace(rest[0], gap_before=56 * card.scale), *rest[1:]]
    return [block, *title, *rest], 1


BESIDE_LINES = 3  # a title beside (or after) a number takes at most this many lines, else it goes under it


def numbering_fits(card: CardSpec) -> bool:
    """Whether the card's title keeps to BESIDE_LINES lines in the column its theme's numbering
    leaves beside the number (always, for numbers above the title). A deck sets all its cards of
    a layout one way (`render.consistent_numbering`)."""
    if card.numbering == "above" or not card.number or not card.has("title"):
        return True
    area = content_area(card)
    if card.numbering == "inline":
        style = card.styles["title"]
        em = _number_em(card, style) + 0.45
    else:
        style = card.styles["number"]
        em = _number_em(card, style) + 0.22
    (title, *_) = title_blocks(card)
    return reading_lines(card, title, area.w - em * style.size) <= BESIDE_LINES


def reading_lines(card: CardSpec, block: TextBlock, width: float) -> int:
    """How many lines a block takes at its role's reading size in `width` px."""
    style = block.style
    return len(line_metrics(block.text, width / style.size, balanced=style.balance)) if style.size else 0


def _number_em(card: CardSpec, style: TextStyle) -> float:
    """The width of the deck's widest number of this kind, in em: every digit measured as "0", so
    the text beside "01" and "11" starts at the same place on every card."""
    digits = "".join("0" if c.isdigit() else c for c in card.number or "")
    return line_width(card, style.role, digits) / style.size if style.size else 0.0


def _no_gap(blocks: list) -> list:
    return [replace(blocks[0], gap_before=0.0), *blocks[1:]] if blocks else blocks


def title_blocks(card: CardSpec, role: str = "title") -> list:
    """The title, and the theme's rule under it when it has one."""
    if not card.has("title"):
        return []
    style = card.styles[role]
    blocks: list = [TextBlock("title", style, prepare(card, "title", role))]
    rule = card.title_rule
    if rule is not None:  # clear of the descenders (the block ends at the last baseline)
        gap = 0.3 * style.size + card.gap * 0.5
        blocks.append(
            FixedBlock(
                "title_rule",
                rule.height,
                rule.width,
                gap,
                paint=Solid(rule.color),
                radius=rule.height / 2,
                centered=card.axis == "center",
            )
        )
    return blocks


def address_style(card: CardSpec, role: str = "body") -> TextStyle:
    """The `url` role (its font and colour) at the size of the text it follows: an address is
    where the card's call leads, read like that text, not a caption under it."""
    base = card.styles[role]
    return replace(card.styles["url"], size=base.size, min_size=base.min_size, max_size=base.max_size)


def body_blocks(card: CardSpec, *, image: bool = True) -> list:
    """The text, then the url and the picture, each if the card has it."""
    s = card.scale
    blocks: list = []
    gap_after_title = card.gap * (1.5 if card.title_rule is None else 1.0)
    if card.has("text"):
        blocks.append(TextBlock("text", card.styles["body"], prepare(card, "text", "body"), gap_after_title))
    if card.url:
        url = ((Span(card.url),),)
        blocks.append(
            TextBlock("url", address_style(card), prepare(card, "url", "url", url, hyphenate=False), card.gap * 1.2)
        )
    if card.image and image:
        blocks.append(
            FixedBlock(
                "image", 240 * s, 0, card.gap * 1.2, radius=28 * s, image=card.image, flexible=True, focus=card.focus
            )
        )
    if blocks and not card.has("title"):
        blocks[0] = replace(blocks[0], gap_before=0.0)
    return blocks


def text(card: CardSpec, area: Rect) -> Flow:
    blocks, head = numbered(card, area, body_blocks(card))
    plain = flow(card, area, blocks, head=head)
    if card.has("title") or card.url or card.image or not card.has("text") or "statement" not in card.styles:
        return plain
    # An untitled text card: a statement, set large like a poster, when it is short enough to
    # read as one (else `plain`: see cardgen.layout.scale's fallback).
    statement = TextBlock("text", card.styles["statement"], prepare(card, "text", "statement"))
    return flow(card, area, [statement], kind="statement", fallback=plain, max_lines=STATEMENT_LINES)


TIGHT_LIST_GAP = 0.55  # × the theme's gap each side of a list's hairlines, when the airy 0.9 does not fit


def list_(card: CardSpec, area: Rect) -> Flow:
    style = card.styles["item"]
    rule = Solid(with_alpha(style.color, 40))
    head = title_blocks(card)

    indent = {"number": 1.42, "check": 1.15}.get(card.marker, 0.95)  # em: the marker's room

    def items(between: float) -> list:
        out: list = []
        for i, item in enumerate(card.items):
            if i:
                out.append(FixedBlock(f"divider[{i}]", max(1.0, 2 * card.scale), 0, card.gap * between, paint=rule))
            gap = card.gap * ((1.6 if card.title_rule is None else 1.1) if i == 0 and head else between if i else 0.0)
            out.append(
                TextBlock(f"items[{i}]", style, prepare(card, f"items[{i}]", "item", item), gap, indent, card.marker)
            )
        return out

    # The airy rhythm when the list fits at its reading sizes; else a tighter one before anything
    # shrinks or continues on a new card (seven one-word items 2.3× their size apart spilled onto
    # a second square card).
    airy = flow(card, area, [*head, *items(0.9)])
    reading = {b.style.role: b.style.size for b in airy.blocks if isinstance(b, TextBlock)}
    if measure(airy, reading, full=False).overflow <= 0.5:
        return airy
    return flow(card, area, [*head, *items(TIGHT_LIST_GAP)])


def with_alpha(color: tuple[int, int, int, int], alpha: int) -> tuple[int, int, int, int]:
    return (color[0], color[1], color[2], alpha)


def list_markers(card: CardSpec, boxes: list[Box]) -> list[Box]:
    """Before each item: an accent dot, a check mark, or its number in an accent circle."""
    out: list[Box] = []
    marker_style = card.styles["item_marker"]
    items = [
        b
        for b in boxes
        if isinstance(b, TextBox) and ("items[" in b.field) and not b.field.endswith(".marker") and b.lines
    ]
    marker = card.marker if card.layout == "list" else "bullet"
    for n, box in enumerate(items, start=card.item_start if card.layout == "list" else 1):
        size = box.size
        first = box.lines[0]
        x_height_mid = first.baseline - 0.36 * size
        if marker == "number":
            # digits of at least ~30 px at a 46 px item: smaller read as specks on a phone
            d = 1.08 * size
            circle = Rect(box.rect.x - 1.42 * size, x_height_mid - d / 2, d, d)
            out.append(FillBox(circle, Solid(marker_style.color), d / 2, field=f"{box.field}.marker"))
            label = str(n)
            number_size = (0.66 if n < 10 else 0.56) * size
            w = line_width(card, "item_marker", label) * number_size / marker_style.size
            cap = marker_style.cap_height * number_size
            ink = readable_on(marker_style.color, card.colors.get("on_accent", WHITE))
            small = replace(marker_style, size=number_size, min_size=number_size, color=ink)
            out += one_line(
                card,
                f"{box.field}.marker",
                "item_marker",
                label,
                x_height_mid + cap / 2,
                w + 1,
                False,
                left=circle.x + (d - w) / 2,
                style=small,
            )
        elif marker == "check":
            # right-aligned in the indent: the mark ends a quarter em before the text
            out += one_line(
                card,
                f"{box.field}.marker",
                "item_marker",
                "✓",
                first.baseline,
                0.9 * size,
                True,
                left=box.rect.x - 1.15 * size,
                style=_sized(marker_style, 0.85 * size),
            )
        else:
            d = 0.34 * size
            room = 0.95 if card.layout == "list" else 0.75  # the indent the layout keeps (compare: 0.75 em)
            cx = box.rect.x - room * size + d / 2 + 0.05 * size
            out.append(
                FillBox(
                    Rect(cx - d / 2, x_height_mid - d / 2, d, d),
                    Solid(marker_style.color),
                    d / 2,
                    field=f"{box.field}.marker",
                )
            )
    return out


def _sized(style: TextStyle, size: float) -> TextStyle:
    return replace(style, size=size, min_size=size, max_size=size)


def quote(card: CardSpec, area: Rect) -> Flow:
    s = card.scale
    mark_style = card.styles["quote_mark"]
    mark = prepare(card, "quote_mark", "quote_mark", ((Span("«" if card.lang == "ru" else "“"),),))
    # The mark's block ends at its baseline, but its ink ends high above it: close that gap.
    glyph = mark.paragraphs[0][0].content[0][0].glyph
    lift = ink_bottom(glyph.face, glyph.gid) * mark_style.size
    blocks: list = [
        TextBlock("quote_mark", mark_style, mark),
        TextBlock("text", card.styles["quote"], prepare(card, "text", "quote"), 48 * s - lift),
    ]
    if card.card_avatar and card.has("author"):
        credit = credit_lines(card)
        blocks.append(_avatar_block(card, card.card_avatar, card.gap * 1.3, area, credit.width))
    elif card.has("author"):
        dash = ((Span("— "), *card.texts["author"][0]),)
        blocks.append(
            TextBlock(
                "author", card.styles["quote_author"], prepare(card, "author", "quote_author", dash), card.gap * 1.3
            )
        )
    return flow(card, area, blocks)


def cta(card: CardSpec, area: Rect) -> Flow:
    s = card.scale
    blocks: list = [
        TextBlock("title", card.styles["cta_title"], prepare(card, "title", "cta_title")),
        TextBlock("text", card.styles["cta_text"], prepare(card, "text", "cta_text"), card.gap * 1.2),
    ]
    if card.url:  # where the call leads: «Подробный гайд — в нашем блоге» over example.com/blog
        url = ((Span(card.url),),)
        style = address_style(card, "cta_text")
        blocks.append(TextBlock("url", style, prepare(card, "url", "url", url, hyphenate=False), card.gap))
    if card.hints:
        rows = pill_rows(card, area.w)
        pill = pill_height(card)
        height = len(rows) * pill + (len(rows) - 1) * PILL_GAP * card.scale
        width = max(row_width for row_width, _ in rows) if card.axis == "center" else 0.0
        blocks.append(FixedBlock("hints", height, width, card.gap * 1.5, centered=bool(width)))
    blocks += author_blocks(card, 72 * s, area)
    return flow(card, area, blocks)


def author_blocks(card: CardSpec, gap: float, area: Rect) -> list:
    """The deck's author: a round avatar with name and handle beside it, or the text alone."""
    lines = [(r, t) for r, t in (("author_name", card.author_name), ("author_handle", card.author_handle)) if t]
    if card.avatar:
        text = max((line_width(card, role, value) for role, value in lines), default=0.0)
        return [_avatar_block(card, card.avatar, gap, area, text)]
    blocks: list = []
    for role, value in lines:
        field = "author.name" if role == "author_name" else "author.handle"
        blocks.append(
            TextBlock(
                field,
                card.styles[role],
                prepare(card, "author", role, ((Span(value),),)),
                20 * card.scale if blocks else gap,
            )
        )
    return blocks


def _avatar_block(card: CardSpec, path, gap: float, area: Rect, text: float) -> FixedBlock:
    """A round avatar; on a centred axis, placed so that it and the lines beside it (`text` px
    wide, their widest) are centred."""
    side = AVATAR * card.scale
    indent = 0.0
    if card.axis == "center":
        pair = side + (AVATAR_GAP * card.scale + text if text else 0.0)
        indent = max(0.0, (area.w - pair) / 2)
    return FixedBlock("avatar", side, side, gap, radius=side / 2, image=path, indent=indent)


AVATAR_GAP = 32  # px at 1080 wide, between an avatar and the name beside it
CREDIT_LEADING = 1.25  # baseline to baseline of a credit's two lines, in its size
_GUILLEMETS = re.compile(r"«[^»]*»|“[^”]*”|„[^“”]*[“”]|\"[^\"]*\"")


class Credit(NamedTuple):
    """A quote's credit as set beside an avatar: «— name, role» on one line, or «— name» over
    «role» (the role hangs under the name, past the dash)."""

    lines: tuple[str, ...]
    size: float
    hang: float  # px: where the second line starts, from the first line's left
    widths: tuple[float, ...]  # px, of each line as set

    @property
    def width(self) -> float:
        """The widest line's right edge, from the first line's left."""
        return max((self.hang if i else 0.0) + w for i, w in enumerate(self.widths))


def credit_lines(card: CardSpec) -> Credit:
    """The quote's «— author» beside its avatar. One line at quote_author's size when it fits the
    room right of the avatar; else two lines broken where a reader expects it: after the first
    comma (the name, then the role: «— Андрей Соколов» / «владелец «Чистого Берега»»), else after a
    later comma, else at the space that balances the lines best (outside «…» where possible); at
    the role's size if a break fits, else as large as one fits down to the role's min_size.
    A credit that fits in no two lines at min_size is a `LayoutError` at the card's author."""
    style = card.styles["quote_author"]
    author = " ".join("".join(sp.text for sp in card.texts["author"][0]).split())
    free = card.width - 2 * card.margin - AVATAR * card.scale - AVATAR_GAP * card.scale

    def em(text: str) -> float:  # the width of a line at size 1
        return line_width(card, "quote_author", text) / style.size

    dash = "— "
    one = em(dash + author)
    if one * style.size <= free + 0.5:
        return Credit((dash + author,), style.size, 0.0, (one * style.size,))
    hang = em(dash)
    options: list[tuple[float, str, str]] = []  # (the size it fits at, first line, second line)
    for first, second in _credit_breaks(author):
        widths = (em(dash + first), hang + em(second))
        options.append((min(style.size, free / max(widths)), dash + first, second))
    best = max(options, key=lambda o: o[0], default=None)  # the first of equals: the preferred break
    for option in options:
        if option[0] >= style.size:
            best = option
            break
    low = style.min_size if style.min_size is not None else style.size
    hint = "" if "," in author else ", or put a comma after the name (the role goes on a line of its own)"
    if best is None or best[0] < low - 1e-6:
        raise LayoutError(
            f"the quote's author does not fit beside the avatar in two lines at {low:.3g} px (the smallest "
            f"size of quote_author; {free:.0f} px are free): shorten it{hint} ({quoted(author, 60)}, "
            f"{len(author)} characters)",
            card.where("author"),
        )
    size, first, second = best
    return Credit((first, second), size, hang * size, (em(first) * size, em(second) * size))


def _credit_breaks(author: str) -> list[tuple[str, str]]:
    """Where a credit may break in two, the likeliest first: after each comma (the comma dropped:
    it ends the line), then at each space outside quotation marks, then inside them, each group
    from the most balanced. A break leaves no one-letter word (a preposition) at a line's end."""
    inside = [range(m.start(), m.end()) for m in _GUILLEMETS.finditer(author)]
    commas: list[tuple[str, str]] = []
    spaces: list[tuple[bool, float, tuple[str, str]]] = []
    for i, char in enumerate(author):
        if char != " ":
            continue
        first, second = author[:i].rstrip(), author[i + 1 :].lstrip()
        if not first or not second:
            continue
        if first.endswith(","):
            commas.append((first[:-1], second))
            continue
        if len(first.rsplit(" ", 1)[-1]) == 1:
            continue
        quoted_space = any(i in r for r in inside)
        spaces.append((quoted_space, abs(len(first) - len(second)), (first, second)))
    spaces.sort(key=lambda s: (s[0], s[1]))
    return commas + [pair for _, _, pair in spaces]


def beside_avatar(card: CardSpec, boxes: list[Box]) -> list[Box]:
    """Name and handle (or, on a quote, «— author» in a line or two: `credit_lines`) set to the right
    of the avatar, centred on it."""
    out: list[Box] = []
    for box in boxes:
        if not (isinstance(box, ImageBox) and box.field == "avatar"):
            continue
        if card.layout == "quote":
            out += _credit_beside(card, box, credit_lines(card))
            continue
        lines = [
            (f, r, t)
            for f, r, t in (
                ("author.name", "author_name", card.author_name),
                ("author.handle", "author_handle", card.author_handle),
            )
            if t
        ]
        if not lines:
            continue
        x = box.rect.right + AVATAR_GAP * card.scale
        styles = [replace(card.styles[r], align="left") for _, r, _ in lines]
        gap = 16 * card.scale
        height = sum(st.cap_height * st.size for st in styles) + gap * (len(lines) - 1)
        top = box.rect.y + (box.rect.h - height) / 2
        for (field, role, text), style in zip(lines, styles, strict=True):
            cap = style.cap_height * style.size
            out += one_line(
                card, field, role, text, top + cap, card.width - card.margin - x, False, left=x, style=style
            )
            top += cap + gap
    return out


def _credit_beside(card: CardSpec, avatar: Box, credit: Credit) -> list[Box]:
    """A quote's credit, its line or two, set right of the avatar and centred on it."""
    style = _sized(replace(card.styles["quote_author"], align="left"), credit.size)
    cap = style.cap_height * credit.size
    step = CREDIT_LEADING * credit.size
    x = avatar.rect.right + AVATAR_GAP * card.scale
    baseline = avatar.rect.y + (avatar.rect.h - cap - step * (len(credit.lines) - 1)) / 2 + cap
    out: list[Box] = []
    for i, text in enumerate(credit.lines):
        left = x + (credit.hang if i else 0.0)
        room = card.width - card.margin - left
        out += one_line(card, "author", "quote_author", text, baseline, room, False, left=left, style=style)
        baseline += step
    return out


HINT_SCALE = 1.35  # pills read as buttons: larger than the footer-sized hint role
PILL_ROW_SCALE = 1.12  # … or down to this, when that keeps every pill on one row


def pill_scale(card: CardSpec) -> float:
    """HINT_SCALE, or the scale (down to PILL_ROW_SCALE) at which all the pills fit one row:
    «Сохранить · Поделиться · Комментировать» a little smaller on one row reads as a row of
    buttons; 2 + 1 left «Комментировать» alone under the others."""
    full = _pill_widths(card, HINT_SCALE)
    if len(full) < 2:
        return HINT_SCALE
    width = card.width - 2 * card.margin
    total = sum(w for _, w, _ in full) + sum(0.6 * pad for _, _, pad in full[1:])
    if total <= width + 0.5:
        return HINT_SCALE
    fitted = HINT_SCALE * width / total  # every length of a row scales with the label size
    return fitted if fitted >= PILL_ROW_SCALE else HINT_SCALE


def _pill_widths(card: CardSpec, scale: float | None = None) -> list[tuple[str, float, float]]:
    """(label, pill width, inner padding) of each hint pill."""
    scale = pill_scale(card) if scale is None else scale
    style = card.styles["hint"]
    cap = style.cap_height * style.size * scale
    pad = 1.1 * cap
    out = []
    for label in card.hints:  # words alone: colour emoji on a brand colour read as clip art
        out.append((label, line_width(card, "hint", label) * scale + 2 * pad, pad))
    return out


def pill_height(card: CardSpec) -> float:
    style = card.styles["hint"]
    return style.cap_height * style.size * pill_scale(card) * 3.2


def pill_rows(card: CardSpec, width: float) -> list[tuple[float, list[tuple[str, float, float]]]]:
    """The pills in rows no wider than `width` (a pill too wide alone gets a row of its own):
    (the row's width, its pills)."""
    rows: list[tuple[float, list[tuple[str, float, float]]]] = []
    for text, w, pad in _pill_widths(card):
        if rows and rows[-1][0] + 0.6 * pad + w <= width + 0.5:
            used, pills = rows[-1]
            rows[-1] = (used + 0.6 * pad + w, [*pills, (text, w, pad)])
        else:
            rows.append((w, [(text, w, pad)]))
    return rows


PILL_GAP = 16  # px at 1080 wide between rows of pills


def hint_pills(card: CardSpec, boxes: list[Box]) -> list[Box]:
    """«Сохранить», «Поделиться», …: outlined pills in rows, in the hint role's color."""
    slot = next((b for b in boxes if isinstance(b, FillBox) and b.field == "hints"), None)
    if slot is None:
        return []
    style = replace(card.styles["hint"], align="left")
    scale = pill_scale(card)
    cap = style.cap_height * style.size * scale
    height = pill_height(card)
    out: list[Box] = []
    y = slot.rect.y
    for row_width, pills in pill_rows(card, card.width - 2 * card.margin):
        x = slot.rect.x + ((slot.rect.w - row_width) / 2 if card.axis == "center" else 0.0)
        for text, w, pad in pills:
            pill = Rect(x, y, w, height)
            out.append(FillBox(pill, Solid(style.color), height / 2, stroke=max(1.5, 2.5 * card.scale), field="hint"))
            baseline = pill.y + (pill.h + cap) / 2
            out += one_line(
                card,
                "hints",
                "hint",
                text,
                baseline,
                w,
                False,
                left=x + pad,
                style=_sized(style, style.size * scale),
            )
            x += w + 0.6 * pad
        y += height + PILL_GAP * card.scale
    return out


def decorate(card: CardSpec, boxes: list[Box]) -> list[Box]:
    return list_markers(card, boxes) + beside_avatar(card, boxes) + hint_pills(card, boxes)
