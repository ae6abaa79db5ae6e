"""Flows → each card's type sizes on the deck's type scale (pure but for measuring).

A theme gives each text role three sizes: `size` (the reading size), `min_size` (the floor) and
`max_size` (the largest step). Each card is fitted on its own, so one awkward card never
changes the others:

1. **Rebreak.** A word wider than its block's measure is hyphenated (a heading's too: only that
   word, as a last resort) before anything shrinks; a word a little too wide sets
   its role up to 15 % smaller instead (`NUDGE`), so a cover title is not hyphenated to save 5 %.
2. **Width.** A word that still does not fit (it has no hyphenation point) shrinks its own role
   only, to the largest size at which it fits.
3. **Steps.** A card that fits at its roles' sizes tries the larger steps of the scale
   (`STEPS` × each size, capped at `max_size`): it may take a step while its content fills at
   most `FILL` of its area (`POSTER_FILL` for a poster flow such as a statement). The largest
   such step is the card's *comfortable* step.
4. **Shrink.** A card that does not fit at its sizes shrinks alone, every role in proportion
   (each stops at its floor), to the largest factor that fits.
5. **Past the floor** the deck's `overflow:` decides: `split` (the default: `cardgen.layout.split`
   continues the text on a new card), `shrink` (down to `PAST_FLOOR` of the floors) or `error`.

`assign_factors` then settles the deck: its titled and plain cards, whatever their layout, take
the deck's base step or one step more (12 %), and the sparsest (`SPARSE_FILL` two steps up) two
more, so titles do not jump as the reader swipes while a sparse card is still set larger, but the
cards of a series (steps, links) share one step; a card that had to shrink a little (less than
5 %) takes its layout's run with it, one that shrank more stays alone; posters (quotes, stats,
statements, cover, closing card) are sized card by card.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from cardgen.layout.flow import Columns, Fit, FixedBlock, Flow, SetBlock, TextBlock, block_width, column_areas, measure
from cardgen.resolve.cards import TextStyle
from cardgen.text.typeset import line_metrics, prepare_text

STEPS = (1.0, 1.12, 1.25, 1.4, 1.57, 1.76)  # the type scale: factors of each role's reading size
FILL = 0.62  # a card steps up only while its content fills at most this share of its area
POSTER_FILL = 0.72  # … or this share, for a poster flow (a statement)
PAST_FLOOR = 0.75  # overflow: shrink goes down to this share of each role's floor
NUDGE = 0.85  # a word at most this much too wide makes its role smaller rather than hyphenated
NEAR = 0.95  # a card shrunk by less than this takes its layout's other cards with it (one size)
SEARCH_STEPS = 10  # binary search on the shrink factor: well under a pixel


@dataclass(frozen=True)
class CardFit:
    """How one card fits, before the deck settles its step."""

    flow: Flow  # the flow as fitted: rehyphenated, or the fallback of a poster that did not fit
    sizes: Mapping[str, float]  # px per text role at `step` (or as shrunk)
    step: int  # index into STEPS; -1 when the card had to shrink below its reading sizes
    comfortable: int  # the largest step the card could take alone (-1: it must shrink)
    factor: float  # the size factor of the reading roles: STEPS[step], or below 1 when shrunk
    fits: bool  # False: it does not fit even at its floors (or past them, with overflow: shrink)
    fit: Fit = field(repr=False)  # measured at `sizes` (lines counted, not placed)
    below_floor: bool = False  # overflow: shrink took it under the floors
    caps: Mapping[str, float] = field(default_factory=dict)  # roles set smaller so a long word fits
    hyphenated: tuple[str, ...] = ()  # fields whose too-wide words were hyphenated
    nudged: bool = False  # the caps are a nudge (a word a little too wide), not a word that cannot break
    shortened: bool = False  # set smaller for its length (max_lines), not to fit: no warning
    roomy: int = -1  # the largest step at which the content still fills at most SPARSE_FILL of its area

    @property
    def height(self) -> float:
        return self.flow.area.h + self.fit.overflow

    def settled(self) -> CardFit:
        """The fit as read once its page is composed (step, sizes, the flow's kind and area, the
        overflow): without the prepared texts and set lines, the bulk of a card's layout (some
        40 KB a card), which its page holds as placed glyphs from then on."""
        return replace(
            self, flow=replace(self.flow, blocks=(), fallback=None), fit=replace(self.fit, blocks=(), full=False)
        )


def fits(fit: Fit) -> bool:
    return fit.overflow <= 0.5 and fit.too_wide <= 0


def too_many_lines(flow: Flow, fit: Fit) -> bool:
    """Whether a block of a poster flow breaks into more than the flow's `max_lines` (a statement
    of six lines is a paragraph set too large, not a poster)."""
    return bool(flow.max_lines) and any(sb.count > flow.max_lines for sb in fit.blocks)


def text_styles(flow: Flow) -> dict[str, TextStyle]:
    """The styles of the roles a flow sets (the first block of each role), in block order."""
    out: dict[str, TextStyle] = {}
    for block in _text_blocks(flow.blocks):
        if not block.text.empty:
            out.setdefault(block.style.role, block.style)
    return out


def _text_blocks(blocks: Sequence) -> list[TextBlock]:
    out: list[TextBlock] = []
    for block in blocks:
        if isinstance(block, TextBlock):
            out.append(block)
        elif isinstance(block, Columns):
            for stack in block.stacks:
                out += _text_blocks(stack)
    return out


def sizes_at(
    styles: Mapping[str, TextStyle], factor: float, caps: Mapping[str, float] | None = None, floor_share: float = 1.0
) -> dict[str, float]:
    """Each role at `factor` × its reading size: up to its max_size, down to its floor (× floor_share)."""
    out = {}
    for role, style in styles.items():
        if factor >= 1:
            size = min(style.max_size, style.size * factor)
        else:
            size = max(style.min_size * floor_share, style.size * factor)
        if caps and role in caps:
            size = min(size, caps[role])
        out[role] = math.floor(size * 100) / 100
    return out


def fit_card(flow: Flow, overflow: str = "split") -> CardFit:
    """Fit one card alone (steps 1-5 above); a poster flow falls back when it is not comfortable."""
    if flow.fallback is not None:
        poster = _fit(flow, overflow)
        if (
            poster.fits
            and poster.comfortable >= 0
            and poster.height <= POSTER_FILL * flow.area.h
            and not too_many_lines(poster.flow, poster.fit)
        ):
            return poster
        return fit_card(flow.fallback, overflow)
    return _fit(flow, overflow)


def _fit(flow: Flow, overflow: str) -> CardFit:
    styles = text_styles(flow)
    sizes = sizes_at(styles, 1.0)
    fit = measure(flow, sizes, full=False)
    hyphenated: tuple[str, ...] = ()
    caps: dict[str, float] = {}
    nudged = False
    written = flow  # before any word is hyphenated to fit: a card that shrinks anyway may not need it
    if fit.too_wide > 0:
        # 1. rebreak: a word a little too wide sets its role a little smaller (a heading is not
        # hyphenated to save 5 %); one much too wide is hyphenated
        caps = width_caps(flow, styles, sizes, 1.0, NUDGE)
        trial = sizes_at(styles, 1.0, caps)
        nudged_fit = measure(flow, trial, full=False)
        if nudged_fit.too_wide <= 0:
            sizes, fit, nudged = trial, nudged_fit, True
        else:
            caps = {}
            flow, hyphenated = rehyphenate(flow, fit)
            fit = measure(flow, sizes, full=False)
    if fit.too_wide > 0:  # 2. a word with nowhere to break: its role alone gets smaller
        # below the floor too (with a warning), unless the deck wants an error: splitting the
        # card would not make a word narrower
        caps = width_caps(flow, styles, sizes, 1.0 if overflow == "error" else PAST_FLOOR)
        sizes = sizes_at(styles, 1.0, caps)
        fit = measure(flow, sizes, full=False)
    if fits(fit):  # 3. the larger steps, while the card stays comfortable
        comfortable, limit = 0, (POSTER_FILL if flow.kind else FILL) * flow.area.h
        roomy = 0 if fit.overflow + flow.area.h <= SPARSE_FILL * flow.area.h else -1
        if flow.grow and not _has_flexible(flow.blocks):
            previous = sizes
            for i in range(1, len(STEPS)):
                trial = sizes_at(styles, STEPS[i], caps)
                if trial == previous:
                    break
                stepped = measure(flow, trial, full=False)
                if stepped.too_wide > 0 and stepped.overflow <= 0.5 and not flow.kind:
                    # A word that fits its title now but not a step up («Высокоэффективность»):
                    # the title stops at the largest size it fits (never below this step's), the
                    # rest of the card steps on; else the long word kept the whole card small.
                    wider = width_caps(flow, styles, trial, 1.0, NUDGE)
                    if wider and all(wider[r] >= previous[r] - 0.01 for r in wider):
                        trial = sizes_at(styles, STEPS[i], {**caps, **wider})
                        stepped = measure(flow, trial, full=False)
                        if fits(stepped):
                            caps = {**caps, **wider}
                if not fits(stepped) or stepped.overflow + flow.area.h > limit or too_many_lines(flow, stepped):
                    break
                comfortable, previous = i, trial
                if stepped.overflow + flow.area.h <= SPARSE_FILL * flow.area.h:
                    roomy = i
        if flow.fallback is None and too_many_lines(flow, fit):
            # a headline that fits but runs to a wall of lines (a 14-word cover title in 7) is set
            # smaller until it takes `max_lines`, down to its floor: size follows length
            shorter = _shrink(flow, styles, caps, 1.0, lines=True)
            if shorter is not None:
                factor, sizes, fit = shorter
                fitted = CardFit(
                    flow, sizes, -1, -1, factor, True, fit, caps=caps, hyphenated=hyphenated, nudged=nudged
                )
                return replace(fitted, shortened=True)
        return CardFit(
            flow, sizes, 0, comfortable, 1.0, True, fit, caps=caps, hyphenated=hyphenated, nudged=nudged, roomy=roomy
        )
    # 4. shrink in proportion, down to the floors (a headline with `max_lines` also until it
    # takes them: a cover that must shrink is not left in six lines at the first size that fits)
    shrunk = _shrink(flow, styles, caps, 1.0, lines=bool(flow.max_lines) and flow.fallback is None)
    if shrunk is not None:
        factor, sizes, fit = shrunk
        if hyphenated:
            # The word hyphenated because it was too wide at the reading size may fit whole at the
            # size the card shrank to anyway: «УПОМИ-/НАНИЯМ:» on a cover set 19 % smaller.
            whole = measure(written, sizes, full=False)
            if fits(whole) and not (written.max_lines and too_many_lines(written, whole)):
                flow, fit, hyphenated = written, whole, ()
        return CardFit(flow, sizes, -1, -1, factor, True, fit, caps=caps, hyphenated=hyphenated, nudged=nudged)
    if overflow == "shrink":  # 5. past the floors, when the deck asks for it
        shrunk = _shrink(flow, styles, caps, PAST_FLOOR)
        if shrunk is not None:
            factor, sizes, fit = shrunk
            return CardFit(flow, sizes, -1, -1, factor, True, fit, True, caps, hyphenated)
    floor = sizes_at(styles, 0.0, caps, PAST_FLOOR if overflow == "shrink" else 1.0)
    return CardFit(
        flow, floor, -1, -1, 0.0, False, measure(flow, floor, full=False), overflow == "shrink", caps, hyphenated
    )


def _shrink(
    flow: Flow, styles: Mapping[str, TextStyle], caps: Mapping[str, float], floor_share: float, *, lines: bool = False
) -> tuple[float, dict[str, float], Fit] | None:
    """The largest factor below 1 at which the flow fits (and, with `lines`, keeps within its
    `max_lines`: the floor when even that has more), with its sizes and fit; None if none fits."""
    lowest = min((s.min_size * floor_share / s.size for s in styles.values() if s.size), default=1.0)
    low_sizes = sizes_at(styles, lowest, caps, floor_share)
    low_fit = measure(flow, low_sizes, full=False)
    if not fits(low_fit):
        return None
    best = (lowest, low_sizes, low_fit)
    low, high = lowest, 1.0
    for _ in range(SEARCH_STEPS):
        mid = (low + high) / 2
        trial = sizes_at(styles, mid, caps, floor_share)
        fit = measure(flow, trial, full=False)
        if fits(fit) and not (lines and too_many_lines(flow, fit)):
            low, best = mid, (mid, trial, fit)
        else:
            high = mid
    return best


def settle(card_fit: CardFit, factor: float) -> CardFit:
    """The card at the size factor the deck gives it (see `assign_factors`)."""
    if not card_fit.fits or factor == card_fit.factor or (card_fit.step < 0 and factor > card_fit.factor):
        return card_fit
    styles = text_styles(card_fit.flow)
    sizes = sizes_at(styles, factor, card_fit.caps)
    step = STEPS.index(factor) if factor in STEPS else -1
    return replace(card_fit, sizes=sizes, step=step, factor=factor, fit=measure(card_fit.flow, sizes, full=False))


POSTERS = frozenset({"quote", "stat", "cover", "cta"})  # layouts sized card by card: a poster each
# Layouts whose cards read as one numbered series (the steps of a how-to, the links of a «топ-9»):
# one size for all of a deck's cards of the layout, as one template filled nine times.
SERIES = frozenset({"step", "link"})


def assign_factors(kinds: Sequence[tuple[str, str]], card_fits: Sequence[CardFit]) -> list[float]:
    """The size factor of each card. Within a flow kind ("" for titled and plain cards), across
    layouts: every card takes the deck's base step (the lowest comfortable step among them), or
    one step more when it is comfortable there (two for the sparsest: `_own_step`), and the cards
    of a series (SERIES) one step between them, so titles across the deck are set at most one step
    (12 %) apart, two (25 %) for a nearly empty card, and a swipe through them does not jump.
    Cards that had to shrink by less than NEAR take the other cards of their layout down with
    them (one awkward card never shrinks the other layouts); a card that shrank more stays alone.
    Posters (quotes, stats, statements, the cover and the closing card) are sized card by card: a
    four-word quote is set large, a thirty-word one like a paragraph."""
    factors = [cf.factor for cf in card_fits]
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, (kind, cf) in enumerate(zip(kinds, card_fits, strict=True)):
        if cf.fits and (cf.comfortable >= 0 or cf.factor >= NEAR) and not cf.below_floor:
            poster = kind[0] in POSTERS or kind[1] == "statement"
            groups.setdefault((*kind, str(i)) if poster else (kind[1],), []).append(i)
    for members in groups.values():
        comfortable = [card_fits[i].comfortable for i in members if card_fits[i].comfortable >= 0]
        base = min(comfortable, default=0)
        near: dict[str, float] = {}  # per layout: the factor of its card that shrank the most (a little)
        for i in members:
            if card_fits[i].comfortable < 0:
                near[kinds[i][0]] = min(near.get(kinds[i][0], 1.0), card_fits[i].factor)
        # The cards of a series (SERIES: the steps of a how-to) share one step: the largest all
        # of them are comfortable at, within one of the base. A sparse step beside dense ones
        # is not set 12 % larger than its neighbours (a jump on the swipe from 01 to 02); a
        # sparse card of another layout (a short list, a one-line text card) still steps up.
        shared: dict[str, int] = {}
        for i in members:
            if kinds[i][0] in SERIES:
                own = min(card_fits[i].comfortable, base + 1)
                shared[kinds[i][0]] = min(shared.get(kinds[i][0], own), own)
        for i in members:
            layout = kinds[i][0]
            if layout in near:  # a card of the layout had to shrink a little: its run with it
                factors[i] = near[layout]
            else:
                factors[i] = STEPS[shared.get(layout, _own_step(card_fits[i], base))]
    return factors


def _own_step(card_fit: CardFit, base: int) -> int:
    """A card's step beside the deck's base: one more when it has the room; two more for a card
    that two steps up still fills at most SPARSE_FILL of its area (a two-item list, a one-line
    card: «one or two larger steps for short ones»), so the sparsest cards are not left a small
    block on an empty slide."""
    if card_fit.roomy >= base + 2 and card_fit.comfortable >= base + 2:
        return base + 2
    return min(card_fit.comfortable, base + 1)


SPARSE_FILL = 0.42  # a card whose content fills at most this share of its area two steps up takes two


def rehyphenate(flow: Flow, fit: Fit) -> tuple[Flow, tuple[str, ...]]:
    """The flow with each too-wide block prepared again, its too-wide words hyphenated."""
    fields: list[str] = []

    def redo(set_blocks: Sequence[SetBlock], blocks: Sequence, width: float) -> tuple:
        out: list[TextBlock | FixedBlock | Columns] = []
        for sb, block in zip(set_blocks, blocks, strict=True):
            if isinstance(block, TextBlock) and sb.too_wide > 0 and block.text.source and not block.text.hyphenated:
                style = block.style
                measure_em = (block_width(block, flow.area, sb.size) if width is None else width) / sb.size
                text = prepare_text(
                    block.text.source,
                    style.fonts,
                    lang=style.lang,
                    uppercase=style.uppercase,
                    hyphenate_wider=measure_em,
                )
                out.append(replace(block, text=text))
                fields.append(block.field)
            elif isinstance(block, Columns) and sb.too_wide > 0:
                stacks = []
                for stack_sets, stack, col in zip(
                    sb.stacks, block.stacks, _column_widths(block, flow, sb.lead), strict=True
                ):
                    stacks.append(redo(stack_sets, stack, col))
                out.append(replace(block, stacks=tuple(stacks)))
            else:
                out.append(block)
        return tuple(out)

    blocks = redo(fit.blocks, flow.blocks, None)  # type: ignore[arg-type]
    return (replace(flow, blocks=blocks), tuple(fields)) if fields else (flow, ())


def _column_widths(block: Columns, flow: Flow, lead: float | None) -> list[float]:
    return [col.w for col in column_areas(block, flow.area, lead)]


def width_caps(
    flow: Flow,
    styles: Mapping[str, TextStyle],
    sizes: Mapping[str, float],
    floor_share: float,
    nudge: float | None = None,
) -> dict[str, float]:
    """For each role with a word too wide at `sizes`: the largest size at which its words fit
    (searched down to its floor × floor_share, or only to `nudge` × its size; the lowest size
    searched when none does)."""
    caps: dict[str, float] = {}
    fit = measure(flow, sizes, full=False)
    for role in _too_wide_roles(fit.blocks):
        style = styles[role]
        low, high = style.min_size * floor_share, sizes[role]
        if nudge is not None:
            low = max(low, nudge * sizes[role])
        if _too_wide(measure(flow, {**sizes, role: low}, full=False).blocks, role):
            caps[role] = low
            continue
        for _ in range(SEARCH_STEPS):
            mid = (low + high) / 2
            if _too_wide(measure(flow, {**sizes, role: mid}, full=False).blocks, role):
                high = mid
            else:
                low = mid
        caps[role] = math.floor(low * 100) / 100  # rounded down: a size rounded up could be too wide again
    return caps


def _too_wide_roles(set_blocks: Sequence[SetBlock]) -> list[str]:
    out: list[str] = []
    for sb in set_blocks:
        if isinstance(sb.block, TextBlock) and sb.too_wide > 0 and sb.block.style.role not in out:
            out.append(sb.block.style.role)
        for stack in sb.stacks:
            out += [r for r in _too_wide_roles(stack) if r not in out]
    return out


def _too_wide(set_blocks: Sequence[SetBlock], role: str) -> bool:
    for sb in set_blocks:
        if isinstance(sb.block, TextBlock) and sb.block.style.role == role and sb.too_wide > 0:
            return True
        if any(_too_wide(stack, role) for stack in sb.stacks):
            return True
    return False


LONG_LINES = 4  # running text of more lines than this is read, not glanced at: flush left, not centred
LONG_ROLES = frozenset({"body", "cta_text", "item"})


def has_long_text(card_fit: CardFit) -> bool:
    """Whether the card, as fitted, sets running text in more than LONG_LINES lines."""
    for block in _text_blocks(card_fit.flow.blocks):
        if block.style.role in LONG_ROLES and not block.text.empty:
            size = card_fit.sizes.get(block.style.role, block.style.size)
            width = block_width(block, card_fit.flow.area, size)
            if len(line_metrics(block.text, width / size, balanced=block.style.balance)) > LONG_LINES:
                return True
    return False


def _has_flexible(blocks: Sequence) -> bool:
    return any(isinstance(b, FixedBlock) and b.flexible for b in blocks)
