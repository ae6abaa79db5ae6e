"""Stacks of blocks → absolute boxes; font sizes fitted by binary search (pure but for measuring).

A layout (see `cardgen.layouts`) describes a card as a `Flow`: text and fixed blocks stacked in an
area. Here the flow is measured at candidate sizes, fitted, and finally placed as `TextBox`es
whose lines carry every glyph's position. Vertical metrics follow CSS `text-box-trim: cap
alphabetic`: a text block runs from its first line's cap height to its last baseline, so gaps
between blocks are exact whatever the font.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from cardgen.errors import LayoutError, Where, shown_ends
from cardgen.page import RGBA, Box, FillBox, ImageBox, Paint, PlacedGlyph, PlacedLine, Rect, Solid, TextBox
from cardgen.resolve import CardSpec, TextStyle
from cardgen.shaping import left_bearing
from cardgen.typeset import PreparedText, SetLine, line_metrics, prepare_text, set_lines

# Roles that give way first when a card is too full: long running text, not headings.
FLEX_ROLES = frozenset({"body", "item", "quote", "cover_subtitle", "cta_text", "message"})
SEARCH_STEPS = 10  # 1/1024 of a role's size range: well under a tenth of a pixel
HANGING = frozenset("«„“\"'‘")
WORD_SHOWN = 60  # characters of a too-wide word quoted in its error (its first and last ones)


@dataclass(frozen=True, slots=True)
class TextBlock:
    field: str
    style: TextStyle
    text: PreparedText
    gap_before: float = 0.0  # px above the block's cap height
    indent: float = 0.0  # px from the area's left edge
    marker: str | None = None  # "bullet", or a number shown before the first line
    max_width: float | None = None  # px, narrower than the area (e.g. a title that should not run wide)


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
    indent: float = 0.0  # px from the area's left edge
    focus: tuple[float, float] = (0.5, 0.5)


@dataclass(frozen=True, slots=True)
class Columns:
    """Side-by-side stacks (a compare card): as tall as the taller one."""

    field: str
    stacks: tuple[tuple[TextBlock | FixedBlock, ...], ...]
    gap_before: float = 0.0
    spacing: float = 40.0  # px between the columns


Block = TextBlock | FixedBlock | Columns


@dataclass(frozen=True, slots=True)
class Flow:
    area: Rect
    blocks: tuple[Block, ...]
    valign: str = "top"  # top | center | bottom


@dataclass(frozen=True, slots=True)
class SetBlock:
    block: Block
    size: float
    lines: tuple[SetLine, ...]
    height: float
    too_wide: float  # px a line exceeds its width by (0 when it fits)
    stacks: tuple[tuple[SetBlock, ...], ...] = ()  # Columns: each column's blocks


@dataclass(frozen=True)
class Fit:
    sizes: Mapping[str, float]
    overflow: float  # px the flow is too tall (≤ 0 fits)
    too_wide: float = 0.0
    blocks: tuple[SetBlock, ...] = field(default=(), repr=False)
    full: bool = True  # the lines are set (glyphs placed), not only counted


def prepare(card: CardSpec, field: str, role: str, source: tuple | None = None, *, hyphenate: bool | None = None) -> PreparedText:
    style = card.styles[role]
    paragraphs = source if source is not None else card.texts.get(field, ())
    return prepare_text(
        paragraphs,
        style.fonts,
        lang=card.lang,
        hyphenate=style.hyphenate if hyphenate is None else hyphenate,
        uppercase=style.uppercase,
    )


def block_width(block: TextBlock, area: Rect) -> float:
    width = area.w - block.indent
    return min(width, block.max_width) if block.max_width else width


def column_areas(block: Columns, area: Rect) -> list[Rect]:
    n = len(block.stacks)
    width = (area.w - block.spacing * (n - 1)) / n
    return [Rect(area.x + i * (width + block.spacing), area.y, width, area.h) for i in range(n)]


def set_columns(block: Columns, sizes: Mapping[str, float], area: Rect,
                full: bool = True) -> tuple[tuple[SetBlock, ...], ...]:
    return tuple(
        tuple(set_block(b, sizes.get(b.style.role, b.style.size) if isinstance(b, TextBlock) else 0.0, col,
                        full=full)
              for b in stack)
        for stack, col in zip(block.stacks, column_areas(block, area), strict=True)
    )


def stack_height(set_blocks: tuple[SetBlock, ...]) -> float:
    visible = [sb for sb in set_blocks if sb.height or isinstance(sb.block, FixedBlock)]
    if not visible:
        return 0.0
    return sum(sb.height + sb.block.gap_before for sb in visible) - visible[0].block.gap_before


def set_block(block: Block, size: float, area: Rect, sizes: Mapping[str, float] | None = None,
              full: bool = True) -> SetBlock:
    """Break a block at `size`; with `full`, also set its lines' glyphs (needed only to place it)."""
    if isinstance(block, FixedBlock):
        return SetBlock(block, 0.0, (), block.height, 0.0)
    if isinstance(block, Columns):
        stacks = set_columns(block, sizes or {}, area, full)
        height = max((stack_height(st) for st in stacks), default=0.0)
        too_wide = max((sb.too_wide for st in stacks for sb in st), default=0.0)
        return SetBlock(block, 0.0, (), height, too_wide, stacks)
    style = block.style
    width = block_width(block, area)
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
    return SetBlock(block, size, lines, height, max(0.0, widest - width - 0.5))


def measure(flow: Flow, sizes: Mapping[str, float], full: bool = True) -> Fit:
    """Heights and overflow at `sizes`; `full` also sets every line's glyphs for placing."""
    set_blocks = tuple(
        set_block(b, sizes.get(b.style.role, b.style.size) if isinstance(b, TextBlock) else 0.0, flow.area, sizes,
                  full)
        for b in flow.blocks
    )
    height = stack_height(set_blocks)
    too_wide = max((sb.too_wide for sb in set_blocks), default=0.0)
    return Fit(dict(sizes), height - flow.area.h, too_wide, set_blocks, full)


def roles_of(flow: Flow) -> list[str]:
    blocks = [b for b in flow.blocks if not isinstance(b, Columns)]
    blocks += [b for c in flow.blocks if isinstance(c, Columns) for stack in c.stacks for b in stack]
    return sorted({b.style.role for b in blocks if isinstance(b, TextBlock) and not b.text.empty})


def measure_light(flow: Flow, sizes: Mapping[str, float]) -> Fit:
    return measure(flow, sizes, full=False)


def fit_flow(flow: Flow, limits: Mapping[str, tuple[float, float]]) -> Fit:
    """The largest sizes (within each role's min..max) at which the flow fits its area.

    Running text gives way first; headings shrink only when running text is at its minimum.
    The result may still overflow: the caller reports it.
    """
    roles = roles_of(flow)
    flex = [r for r in roles if r in FLEX_ROLES]
    rigid = [r for r in roles if r not in FLEX_ROLES]

    def at(t_flex: float, t_rigid: float) -> dict[str, float]:
        out = {}
        for r in roles:
            low, high = limits[r]
            t = t_flex if r in FLEX_ROLES else t_rigid
            out[r] = round(low + (high - low) * t, 2)
        return out

    def fits(fit: Fit) -> bool:
        return fit.overflow <= 0.5 and fit.too_wide <= 0

    best = measure_light(flow, at(1, 1))
    if fits(best):
        return best
    if flex:
        lowest_flex = measure_light(flow, at(0, 1))
        if fits(lowest_flex):
            return _search(lambda t: measure_light(flow, at(t, 1)), fits, lowest_flex)
    if rigid:
        lowest = measure_light(flow, at(0, 0))
        if fits(lowest):
            return _search(lambda t: measure_light(flow, at(0, t)), fits, lowest)
        return lowest
    return measure_light(flow, at(0, 0))


def _search(measure_at: Callable[[float], Fit], fits: Callable[[Fit], bool], low_fit: Fit) -> Fit:
    low, high = 0.0, 1.0
    best = low_fit
    for _ in range(SEARCH_STEPS):
        mid = (low + high) / 2
        fit = measure_at(mid)
        if fits(fit):
            low, best = mid, fit
        else:
            high = mid
    return best


def overflow_error(card: CardSpec, flow: Flow, fit: Fit) -> LayoutError:
    fit = measure(flow, fit.sizes) if not fit.full else fit  # with the lines set, to quote the culprit
    sizes = ", ".join(f"{r} {s:g} px" for r, s in sorted(fit.sizes.items()))
    if fit.too_wide > 0:
        culprit = max(fit.blocks, key=lambda sb: sb.too_wide)
        word = (max(culprit.lines, key=lambda ln: ln.width).text if culprit.lines else "").strip()
        length = f" ({len(word)} characters)" if len(word) > WORD_SHOWN else ""
        return LayoutError(
            f"«{shown_ends(word, WORD_SHOWN)}»{length} is {fit.too_wide:.0f} px wider than the card even at "
            f"the smallest size; shorten it or add a space",
            _where(card, culprit.block.field),
        )
    texts = [sb for sb in fit.blocks if isinstance(sb.block, TextBlock)]
    culprit = max(texts, key=lambda sb: sb.height, default=None)
    field = culprit.block.field if culprit else "text"
    return LayoutError(
        f"the text does not fit: at the smallest sizes ({sizes}) the {card.layout} card needs "
        f"{flow.area.h + fit.overflow:.0f} px of the {flow.area.h:.0f} px available "
        f"({fit.overflow:.0f} px too tall); shorten it or split the card",
        _where(card, field),
    )


def _where(card: CardSpec, field: str) -> Where:
    return card.where(field)


def place_flow(flow: Flow, fit: Fit) -> list[Box]:
    """Absolute boxes for a fitted flow: leftover height goes to a flexible block or alignment."""
    if not fit.full:
        fit = measure(flow, fit.sizes)
    spare = -fit.overflow
    flexible = [sb for sb in fit.blocks if isinstance(sb.block, FixedBlock) and sb.block.flexible]
    y = flow.area.y
    if not flexible and spare > 0:
        y += {"top": 0.0, "center": spare / 2, "bottom": spare}[flow.valign]
    return _place_stack(fit.blocks, flow.area, y, spare, len(flexible))


def _place_stack(blocks: tuple[SetBlock, ...], area: Rect, y: float, spare: float, flexible: int) -> list[Box]:
    boxes: list[Box] = []
    first = True
    for sb in blocks:
        block = sb.block
        if isinstance(block, TextBlock) and not sb.lines:
            continue
        if not first:
            y += block.gap_before
        first = False
        if isinstance(block, Columns):
            for stack, col in zip(sb.stacks, column_areas(block, area), strict=True):
                boxes += _place_stack(stack, Rect(col.x, y, col.w, sb.height), y, 0.0, 0)
            y += sb.height
            continue
        if isinstance(block, FixedBlock):
            height = block.height + (spare / flexible if block.flexible and spare > 0 else 0)
            rect = Rect(area.x + block.indent, y, block.width or area.w, height)
            if block.image is not None:
                boxes.append(ImageBox(rect, block.image, radius=block.radius, focus=block.focus, field=block.field))  # type: ignore[arg-type]
            else:  # a slot without paint stays invisible: decorations find it by its field
                boxes.append(FillBox(rect, block.paint or Solid((0, 0, 0, 0)), block.radius, field=block.field))
            y += height
            continue
        text_area = Rect(area.x + block.indent, y, block_width(block, area), sb.height)
        boxes.extend(place_text(block.field, block.style, sb.lines, sb.size, text_area))
        y += sb.height
    return boxes


def place_text(
    field: str, style: TextStyle, lines: tuple[SetLine, ...], size: float, area: Rect
) -> list[Box]:
    """Lines set at size 1 → a TextBox (and accent highlights behind it) at `area`."""
    boxes: list[Box] = []
    placed: list[PlacedLine] = []
    baseline = area.y + style.cap_height * size
    for i, line in enumerate(lines):
        if i:
            baseline += style.line_height * size + (style.paragraph_gap * size if line.paragraph_start else 0)
        x = area.x + {"left": 0.0, "center": (area.w - line.width * size) / 2,
                      "right": area.w - line.width * size}[style.align]
        if style.align == "left" and line.glyphs:
            x -= _optical_offset(line) * size
        glyphs = []
        for sg, gx in line.glyphs:
            g = sg.glyph
            if not g.text or g.text.isspace():
                continue
            accent = bool(sg.flags & 4)
            color = _glyph_color(style, accent)
            glyphs.append(
                PlacedGlyph(
                    g.text, g.face.path, g.gid, x + (gx + g.dx) * size, baseline - g.dy * size,
                    size, color, g.face.is_color,
                )
            )
        for x0, x1 in line.highlights if style.accent_style == "highlight" else ():
            pad = 0.14 * size
            boxes.append(
                FillBox(
                    Rect(x + x0 * size - pad, baseline - style.cap_height * size - pad,
                         (x1 - x0) * size + 2 * pad, style.cap_height * size + 2.2 * pad),
                    Solid(style.accent_color),
                    radius=0.12 * size,
                )
            )
        placed.append(PlacedLine(line.text, x, baseline, line.width * size, tuple(glyphs), line.paragraph_start))
    boxes.append(TextBox(field, style.role, area, size, tuple(placed)))
    return boxes


def _glyph_color(style: TextStyle, accent: bool) -> RGBA:
    if not accent:
        return style.color
    return style.accent_text if style.accent_style == "highlight" else style.accent_color


def _optical_offset(line: SetLine) -> float:
    """Em to pull a left-aligned line left: hang an opening quote, or trim the side bearing."""
    sg, _ = line.glyphs[0]
    glyph = sg.glyph
    if glyph.text in HANGING and len(line.glyphs) > 1:
        return glyph.advance
    if glyph.face.is_color:
        return 0.0
    return left_bearing(glyph.face, glyph.gid)
