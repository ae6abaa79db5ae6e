"""Stacks of blocks → absolute boxes; font sizes fitted by binary search (pure but for measuring).

A layout (see `cardgen.layout.layouts`) describes a card as a `Flow`: text and fixed blocks stacked in an
area. Here the flow is measured at candidate sizes, fitted, and finally placed as `TextBox`es
whose lines carry every glyph's position. Vertical metrics follow CSS `text-box-trim: cap
alphabetic`: a text block runs from its first line's cap height to its last baseline, so gaps
between blocks are exact whatever the font.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cardgen.layout.composition import DESCENT, WINDOW
from cardgen.model.problems import LayoutError, Where, px, shown_ends
from cardgen.model.page import RGBA, Box, FillBox, GlyphRow, ImageBox, Paint, PlacedLine, Rect, Solid, TextBox
from cardgen.resolve.cards import CardSpec, TextStyle
from cardgen.text.shaping import left_bearing
from cardgen.text.typeset import PreparedText, SetLine, line_metrics, prepare_text, set_lines

HANGING = frozenset("«„“\"'‘")
# Opening quotes hang into the margin in display type only: in running text a hanging «
# reads as a misaligned line.
HANG_ROLES = frozenset({"title", "cover_title", "quote", "statement", "cta_title", "stat"})
WORD_SHOWN = 60  # characters of a too-wide word quoted in its error (its first and last ones)


@dataclass(frozen=True, slots=True)
class TextBlock:
    field: str
    style: TextStyle
    text: PreparedText
    gap_before: float = 0.0  # px above the block's cap height
    indent: float = 0.0  # em of the block's size, from the area's left edge (room for a marker)
    marker: str | None = None  # "bullet", or a number shown before the first line
    max_width: float | None = None  # px, narrower than the area (e.g. a title that should not run wide)
    inset: float = 0.0  # px from the area's left edge, before the indent (a chat bubble on its side)


@dataclass(frozen=True, slots=True)
class FixedBlock:
    """A non-text element of known height: a rule, a pill, an image slot."""

    field: str
    height: float
    width: float
    gap_before: float = 0.0
    paint: Paint | None = None
    radius: float = 0.0
    image: object | None = None  # a Path for an image slot
    flexible: bool = False  # takes the leftover height (images), at least `height`
    max_height: float = 0.0  # a flexible block grows up to this (0: without limit); the rest is placed by valign
    indent: float = 0.0  # px from the area's left edge
    focus: tuple[float, float] = (0.5, 0.5)
    centered: bool = False  # with a width: centred in the area (a centred theme's rule, avatar, pills)


@dataclass(frozen=True, slots=True)
class Columns:
    """Side-by-side stacks (a compare card, a number beside its text): as tall as the taller one.

    The columns share the width evenly, unless `lead` = (role, em): then the first column is
    `em` × that role's size wide (a number's own width, whatever size fitting gives it) and the
    last takes the rest.
    """

    field: str
    stacks: tuple[tuple[TextBlock | FixedBlock, ...], ...]
    gap_before: float = 0.0
    spacing: float = 40.0  # px between the columns
    lead: tuple[str, float] | None = None
    tail: float | None = None  # px: the last column's width (a QR code beside the address)
    middle: bool = False  # stacks shorter than the row are centred in it (else at its top)


Block = TextBlock | FixedBlock | Columns


OPTICAL = 0.42  # middle: this share of the spare height goes above the content (the optical centre)
SPREAD_GAP = 0.22  # spread: the gap between head and rest, at most this share of the card height
BOTTOM_GAP = 0.26  # bottom: the space left above the content, at most this share of the card height
FOOTER_ROOM = 0.06  # bottom: at least this share of the card height between the content's ink and the footer


@dataclass(frozen=True, slots=True)
class Flow:
    """What a layout stacks in its area, and how the stack sits in it when it does not fill it.

    valign: `top`; `middle` (the optical centre, a little above the middle); `bottom` (but the
    space above at most BOTTOM_GAP of the card: short content rises towards the middle; and at
    least FOOTER_ROOM of the card between the content's ink and the footer row);
    `spread` (the first `head` blocks, a step's number, at the top, the rest at the bottom, the gap between them
    at most SPREAD_GAP of the card, any more spare split as for middle); `end` (on the bottom
    edge, for captions over a photo: the photo fills the rest). axis: `left`, or `center`
    (fixed blocks and list columns centred; text roles carry their own alignment). `kind` names
    what the flow sets, for the type scale (cards of one layout and kind share a step): "" or
    "statement". A flow with a `fallback` is used only if it fits comfortably (see
    `cardgen.layout.scale`); else the fallback is.
    """

    area: Rect
    blocks: tuple[Block, ...]
    valign: str = "top"
    head: int = 0
    axis: str = "left"
    kind: str = ""
    fallback: Flow | None = None
    card_height: float = 0.0  # the canvas height, for spread's gap (0: the area's)
    grow: bool = True  # the type scale may step it up (not a caption over a photo: the photo is the content)
    max_lines: int = 0  # a poster flow: at most this many lines in a block, else a smaller step or the fallback
    footer_gap: float = 0.0  # px between the area's bottom and the footer row (bottom keeps FOOTER_ROOM clear)


@dataclass(frozen=True, slots=True)
class SetBlock:
    block: Block
    size: float
    lines: tuple[SetLine, ...]
    height: float
    too_wide: float  # px a line exceeds its width by (0 when it fits)
    stacks: tuple[tuple[SetBlock, ...], ...] = ()  # Columns: each column's blocks
    lead: float | None = None  # Columns: the first column's width, px (None: even columns)
    count: int = 0  # how many lines the block breaks into (counted even when they are not set)


@dataclass(frozen=True)
class Fit:
    sizes: Mapping[str, float]
    overflow: float  # px the flow is too tall (≤ 0 fits)
    too_wide: float = 0.0
    blocks: tuple[SetBlock, ...] = field(default=(), repr=False)
    full: bool = True  # the lines are set (glyphs placed), not only counted


def prepare(
    card: CardSpec, field: str, role: str, source: tuple | None = None, *, hyphenate: bool | None = None
) -> PreparedText:
    style = card.styles[role]
    paragraphs = source if source is not None else card.texts.get(field, ())
    return prepare_text(
        paragraphs,
        style.fonts,
        lang=card.lang,
        hyphenate=style.hyphenate if hyphenate is None else hyphenate,
        uppercase=style.uppercase,
    )


def block_width(block: TextBlock, area: Rect, size: float) -> float:
    width = area.w - block.inset - block.indent * size
    return min(width, block.max_width) if block.max_width else width


def lead_width(block: Columns, sizes: Mapping[str, float] | None) -> float | None:
    if block.lead is None:
        return None
    role, em = block.lead
    style = next(b.style for stack in block.stacks for b in stack if isinstance(b, TextBlock) and b.style.role == role)
    return em * (sizes or {}).get(role, style.size)


def column_areas(block: Columns, area: Rect, lead: float | None = None) -> list[Rect]:
    n = len(block.stacks)
    if lead is not None and n == 2:
        return [
            Rect(area.x, area.y, lead, area.h),
            Rect(area.x + lead + block.spacing, area.y, area.w - lead - block.spacing, area.h),
        ]
    if block.tail is not None and n == 2:
        first = area.w - block.tail - block.spacing
        return [Rect(area.x, area.y, first, area.h), Rect(area.x + first + block.spacing, area.y, block.tail, area.h)]
    width = (area.w - block.spacing * (n - 1)) / n
    return [Rect(area.x + i * (width + block.spacing), area.y, width, area.h) for i in range(n)]


def set_columns(
    block: Columns, sizes: Mapping[str, float], area: Rect, full: bool = True
) -> tuple[tuple[SetBlock, ...], ...]:
    return tuple(
        tuple(
            set_block(b, sizes.get(b.style.role, b.style.size) if isinstance(b, TextBlock) else 0.0, col, full=full)
            for b in stack
        )
        for stack, col in zip(block.stacks, column_areas(block, area, lead_width(block, sizes)), strict=True)
    )


def stack_height(set_blocks: tuple[SetBlock, ...]) -> float:
    visible = [sb for sb in set_blocks if sb.height or isinstance(sb.block, FixedBlock)]
    if not visible:
        return 0.0
    return sum(sb.height + sb.block.gap_before for sb in visible) - visible[0].block.gap_before


def set_block(
    block: Block, size: float, area: Rect, sizes: Mapping[str, float] | None = None, full: bool = True
) -> SetBlock:
    """Break a block at `size`; with `full`, also set its lines' glyphs (needed only to place it)."""
    if isinstance(block, FixedBlock):
        return SetBlock(block, 0.0, (), block.height, 0.0)
    if isinstance(block, Columns):
        stacks = set_columns(block, sizes or {}, area, full)
        height = max((stack_height(st) for st in stacks), default=0.0)
        too_wide = max((sb.too_wide for st in stacks for sb in st), default=0.0)
        return SetBlock(block, 0.0, (), height, too_wide, stacks, lead_width(block, sizes))
    style = block.style
    width = block_width(block, area, size)
    metrics = line_metrics(block.text, width / size, balanced=style.balance)
    if not metrics:
        return SetBlock(block, size, (), 0.0, 0.0)
    height = style.cap_height * size
    for _, starts_paragraph in metrics[1:]:
        height += style.line_height * size
        if starts_paragraph:
            height += style.paragraph_gap * size
    widest = max(w for w, _ in metrics) * size
    lines = set_lines(block.text, width / size, balanced=style.balance) if full else ()
    return SetBlock(block, size, lines, height, max(0.0, widest - width - 0.5), count=len(metrics))


def measure(flow: Flow, sizes: Mapping[str, float], full: bool = True) -> Fit:
    """Heights and overflow at `sizes`; `full` also sets every line's glyphs for placing."""
    set_blocks = tuple(
        set_block(b, sizes.get(b.style.role, b.style.size) if isinstance(b, TextBlock) else 0.0, flow.area, sizes, full)
        for b in flow.blocks
    )
    height = stack_height(set_blocks)
    too_wide = max((sb.too_wide for sb in set_blocks), default=0.0)
    return Fit(dict(sizes), height - flow.area.h, too_wide, set_blocks, full)


def overflow_error(
    card: CardSpec, flow: Flow, fit: Fit, *, past_floor: bool = False, overflow: str = "error"
) -> LayoutError:
    """The located error of a card that does not fit at its floors (`fit`: measured there);
    `overflow`: the deck's policy, for the advice (a split that could not be made is not offered)."""
    fit = measure(flow, fit.sizes) if not fit.full else fit  # with the lines set, to quote the culprit
    sizes = ", ".join(f"{r} {px(s)} px" for r, s in sorted(fit.sizes.items()))
    where = "even below the smallest sizes" if past_floor else "even at the smallest sizes"
    if fit.too_wide > 0:
        culprit = max(fit.blocks, key=lambda sb: sb.too_wide)
        word = (max(culprit.lines, key=lambda ln: ln.width).text if culprit.lines else "").strip()
        length = f" ({len(word)} characters)" if len(word) > WORD_SHOWN else ""
        return LayoutError(
            f"«{shown_ends(word, WORD_SHOWN)}»{length} is {fit.too_wide:.0f} px wider than the card {where}, "
            f"and it has no place to hyphenate; shorten it or add a space",
            _where(card, culprit.block.field),
        )
    texts = [sb for sb in fit.blocks if isinstance(sb.block, TextBlock)]
    tallest = max(texts, key=lambda sb: sb.height, default=None)
    field = tallest.block.field if tallest else "text"
    if past_floor:
        advice = "shorten it or split the card"
    elif overflow == "split":
        advice = (
            "shorten it or split the card yourself (cardgen continues a card only between paragraphs, "
            "sentences or list items, on at most 8 cards in all and while the deck stays within its card "
            "limit, and not a cover, quote, stat, compare or image card), "
            "or set the deck's overflow: shrink (smaller type)"
        )
    else:
        advice = "shorten it, split the card, or set the deck's overflow: split (a new card) or shrink (smaller type)"
    return LayoutError(
        f"the text does not fit: at the smallest sizes ({sizes}) the {card.layout} card needs "
        f"{flow.area.h + fit.overflow:.0f} px of the {flow.area.h:.0f} px available "
        f"({fit.overflow:.0f} px too tall); {advice}",
        _where(card, field),
    )


def _where(card: CardSpec, field: str) -> Where:
    return card.where(field)


def place_flow(flow: Flow, fit: Fit, top: float | None = None, shift: float | None = None) -> list[Box]:
    """Absolute boxes for a fitted flow: leftover height goes to a flexible block, else to the
    flow's vertical placement; `top` (px below the area's top) places the stack there instead
    (a run of similar cards lined up on one height, see `shared_top`; a spread card keeps the gap
    between its head and the rest); `shift` moves a centred list's column by that much instead of
    its own `list_shift` (a run of list cards keeps one column, see `cardgen.layout.deck.run_shifts`)."""
    if not fit.full:
        fit = measure(flow, fit.sizes)
    spare = -fit.overflow
    flexible = [sb for sb in fit.blocks if isinstance(sb.block, FixedBlock) and sb.block.flexible]
    y = flow.area.y
    offset, gaps = placement(flow, fit, top)
    y += offset
    own = list_shift(flow, fit)
    shift = own if shift is None or not own else shift
    return _place_stack(fit.blocks, flow.area, y, spare, len(flexible), gaps, shift)


def _growth(block: FixedBlock, spare: float, flexible: int) -> float:
    """The height a flexible block gains from the spare height (shared evenly, up to its max_height)."""
    if not block.flexible or spare <= 0:
        return 0.0
    share = spare / flexible
    return min(share, max(0.0, block.max_height - block.height)) if block.max_height else share


def free_spare(fit: Fit) -> float:
    """The spare height the flexible blocks leave: what valign places."""
    spare = -fit.overflow
    flexible = [sb.block for sb in fit.blocks if isinstance(sb.block, FixedBlock) and sb.block.flexible]
    return spare - sum(_growth(b, spare, len(flexible)) for b in flexible)


def placement(flow: Flow, fit: Fit, top: float | None = None) -> tuple[float, dict[int, float]]:
    """Where a stack that does not fill its area starts (px below the area's top), and the gaps
    added before blocks (spread: before the first block after the head), by the flow's valign or
    at `top`; the spare height counted is what flexible blocks leave."""
    spare = free_spare(fit)
    if spare <= 0.5:
        return 0.0, {}
    gaps: dict[int, float] = {}
    height = flow.card_height or flow.area.h
    split = _head_end(flow, fit) if flow.valign == "spread" else None
    if top is not None:
        y = min(spare, max(0.0, top))
        if split is not None:
            gaps[split] = min(spare - y, SPREAD_GAP * height)
        return y, gaps
    if flow.valign == "middle":
        return spare * OPTICAL, gaps
    if flow.valign == "end":  # a caption over a photo: on the bottom edge, whatever is above
        return spare, gaps
    if flow.valign == "bottom":  # anchored low, but never under a band taller than BOTTOM_GAP, nor on the footer
        low = spare - min(spare, max(0.0, FOOTER_ROOM * height + _descent(fit) - flow.footer_gap))
        return min(low, max(BOTTOM_GAP * height, spare * OPTICAL)), gaps
    if flow.valign == "spread":
        if split is None:
            return spare * OPTICAL, gaps
        gap = min(spare, SPREAD_GAP * height)
        gaps[split] = gap
        return (spare - gap) * OPTICAL, gaps
    return 0.0, gaps


def _descent(fit: Fit) -> float:
    """How far the last block's ink reaches below its last baseline (px; 0 for a fixed block)."""
    last = next((sb for sb in reversed(fit.blocks) if sb.height or isinstance(sb.block, FixedBlock)), None)
    if last is None or not isinstance(last.block, TextBlock):
        return 0.0
    return DESCENT * last.size


RUN_VALIGNS = frozenset({"middle", "bottom", "spread"})  # placements a run of cards lines up in


def shared_top(flows: list[Flow], fits: list[Fit], band: float) -> float | None:
    """Where a run of similar cards (one layout and size) can all start, so that their titles sit
    at one height as the reader swipes: the top the tallest card takes by its own placement
    (middle, bottom or spread), or lower where that would leave a short card over an empty band
    taller than `band` × the card's height. None when the run is placed otherwise (top, or a
    caption on a photo), or when no one top keeps every card's bands within `band`."""
    if len(flows) < 2 or any(f.valign != flows[0].valign or f.area != flows[0].area for f in flows):
        return None
    if flows[0].valign not in RUN_VALIGNS:
        return None
    area = flows[0].area
    tallest = max(range(len(fits)), key=lambda i: fits[i].overflow)
    top, _ = placement(flows[tallest], fits[tallest])
    height = flows[0].card_height or area.h
    # the band under a short card, as the page measures it: down to the footer row or the
    # window's bottom edge (see cardgen.layout.composition), whichever comes first
    below = max(0.0, min(flows[0].footer_gap, WINDOW[1] * height - area.bottom))

    def band_below(t: float) -> float:  # the tallest empty band under a card of the run, started at t
        return max(
            free_spare(fit) - y - sum(gaps.values()) + below
            for flow, fit in zip(flows, fits, strict=True)
            for y, gaps in (placement(flow, fit, t),)
        )

    excess = band_below(top) - band * height
    if excess <= 0:
        return top
    # The tallest card's top leaves a short card over too tall a band: the run starts lower, by
    # that much, while every card still has the room (no card is pushed onto the footer) and no
    # card starts lower than the shortest would on its own (so the band above stays as short).
    lower = top + excess
    if lower > min(free_spare(fit) for fit in fits) or lower > max(
        placement(flow, fit)[0] for flow, fit in zip(flows, fits, strict=True)
    ):
        return None
    return lower if band_below(lower) <= band * height + 0.5 else None


def _head_end(flow: Flow, fit: Fit) -> int | None:
    """The index of the first block after the head, when both head and rest show."""
    shown = [
        i for i, sb in enumerate(fit.blocks) if not (isinstance(sb.block, TextBlock) and not sb.lines and not sb.height)
    ]
    head = [i for i in shown if i < flow.head]
    rest = [i for i in shown if i >= flow.head]
    return rest[0] if head and rest else None


def list_shift(flow: Flow, fit: Fit) -> float:
    """On a centred axis, a list keeps its items left-aligned but the column is centred: the px
    to move the items (and their dividers) right."""
    if flow.axis != "center":
        return 0.0
    widest = 0.0
    for sb in fit.blocks:
        if isinstance(sb.block, TextBlock) and sb.block.marker and sb.lines:
            widest = max(widest, sb.block.inset + (sb.block.indent + max(ln.width for ln in sb.lines)) * sb.size)
    return max(0.0, (flow.area.w - widest) / 2) if widest else 0.0


def _place_stack(
    blocks: tuple[SetBlock, ...],
    area: Rect,
    y: float,
    spare: float,
    flexible: int,
    gaps: Mapping[int, float] | None = None,
    shift: float = 0.0,
) -> list[Box]:
    boxes: list[Box] = []
    first = True
    for index, sb in enumerate(blocks):
        block = sb.block
        if isinstance(block, TextBlock) and not sb.lines:
            continue
        if not first:
            y += block.gap_before
        y += (gaps or {}).get(index, 0.0)
        first = False
        if isinstance(block, Columns):
            for stack, col in zip(sb.stacks, column_areas(block, area, sb.lead), strict=True):
                top = y + ((sb.height - stack_height(stack)) / 2 if block.middle else 0.0)
                boxes += _place_stack(stack, Rect(col.x, top, col.w, sb.height), top, 0.0, 0)
            y += sb.height
            continue
        if isinstance(block, FixedBlock):
            height = block.height + _growth(block, spare, flexible)
            x = area.x + block.indent
            width = block.width or area.w
            if shift and block.field.startswith("divider"):
                x, width = area.x + shift, area.w - 2 * shift
            elif block.centered and block.width:
                x = area.x + (area.w - block.width) / 2
            rect = Rect(x, y, width, height)
            if block.image is not None:
                boxes.append(ImageBox(rect, block.image, radius=block.radius, focus=block.focus, field=block.field))  # type: ignore[arg-type]
            else:  # a slot without paint stays invisible: decorations find it by its field
                boxes.append(FillBox(rect, block.paint or Solid((0, 0, 0, 0)), block.radius, field=block.field))
            y += height
            continue
        left = area.x + block.inset + block.indent * sb.size + (shift if block.marker else 0.0)
        text_area = Rect(left, y, block_width(block, area, sb.size), sb.height)
        boxes.extend(
            place_text(
                block.field,
                block.style,
                sb.lines,
                sb.size,
                text_area,
                hang=not block.marker and block.style.role in HANG_ROLES,
            )
        )
        y += sb.height
    return boxes


def place_text(
    field: str, style: TextStyle, lines: tuple[SetLine, ...], size: float, area: Rect, *, hang: bool = True
) -> list[Box]:
    """Lines set at size 1 → a TextBox (and accent highlights behind it) at `area`. `hang`: an
    opening quote hangs into the margin (not after a list marker, which it would touch)."""
    boxes: list[Box] = []
    placed: list[PlacedLine] = []
    baseline = area.y + style.cap_height * size
    for i, line in enumerate(lines):
        if i:
            baseline += style.line_height * size + (style.paragraph_gap * size if line.paragraph_start else 0)
        x = (
            area.x
            + {"left": 0.0, "center": (area.w - line.width * size) / 2, "right": area.w - line.width * size}[
                style.align
            ]
        )
        if style.align == "left" and line.glyphs:
            x -= _optical_offset(line, hang) * size
        texts: list[str] = []
        fonts: list[Path] = []
        gids: list[int] = []
        xs: list[float] = []
        ys: list[float] = []
        colors: list[RGBA] = []
        emoji: list[bool] = []
        for sg, gx in line.glyphs:
            g = sg.glyph
            if not g.text or g.text.isspace():
                continue
            texts.append(g.text)
            fonts.append(g.face.path)
            gids.append(g.gid)
            xs.append(x + (gx + g.dx) * size)
            ys.append(baseline - g.dy * size if g.dy else baseline)
            colors.append(_glyph_color(style, bool(sg.flags & 4)))
            emoji.append(g.face.is_color)
        # Column by column (`GlyphRow`): some 40 bytes a glyph where an object each took 120.
        glyphs = GlyphRow(
            texts, fonts, gids, xs, baseline, size, colors, emoji, ys if any(y != baseline for y in ys) else None
        )
        for x0, x1 in line.highlights if style.accent_style == "highlight" else ():
            pad = 0.14 * size
            boxes.append(
                FillBox(
                    Rect(
                        x + x0 * size - pad,
                        baseline - style.cap_height * size - pad,
                        (x1 - x0) * size + 2 * pad,
                        style.cap_height * size + 2.2 * pad,
                    ),
                    Solid(style.accent_color),
                    radius=0.12 * size,
                )
            )
        placed.append(PlacedLine(line.text, x, baseline, line.width * size, glyphs, line.paragraph_start))
    boxes.append(TextBox(field, style.role, area, size, tuple(placed)))
    return boxes


def _glyph_color(style: TextStyle, accent: bool) -> RGBA:
    if not accent:
        return style.color
    return style.accent_text if style.accent_style == "highlight" else style.accent_color


def _optical_offset(line: SetLine, hang: bool = True) -> float:
    """Em to pull a left-aligned line left: hang an opening quote, or trim the side bearing."""
    sg, _ = line.glyphs[0]
    glyph = sg.glyph
    if glyph.text in HANGING and len(line.glyphs) > 1 and hang:
        return glyph.advance
    if glyph.face.is_color:
        return 0.0
    return left_bearing(glyph.face, glyph.gid)
