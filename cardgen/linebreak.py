"""Optimal ragged-right line breaking over abstract, pre-measured items.

Input:  a paragraph as a sequence of ``Box`` / ``Glue`` / ``Penalty`` items whose widths
        are already measured in pixels, plus the available line width in pixels.
Output: a list of ``Line`` records (item index ranges + natural widths). Nothing is drawn
        or measured here; the typesetter maps the index ranges back to text.

Cost model ("demerits"; lower is better, the breaker minimises the sum over all lines):

* non-last line that fits:   ``10000 * ((width - line_width) / width) ** 2``
  (0 for a full line, 100 for 10 % slack, 900 for 30 %, 2500 for 50 %);
* any line wider than ``width`` (only possible when unavoidable):
  ``overflow_cost * (1 + (line_width - width) / width)`` and no raggedness term;
* a line ending at a Penalty adds ``penalty.cost``; a flagged (hyphenation) penalty also
  adds ``hyphen_cost``, and ``consecutive_hyphen_cost`` more if the previous line also
  ended at a flagged penalty;
* the last line has no raggedness term; when the paragraph has >= 2 lines it adds
  ``short_last_line_cost`` if narrower than ``short_last_line_ratio * width`` and
  ``single_word_last_line_cost`` if it holds a single word (no Glue inside it).

Ties (exactly equal totals) go to the latest possible predecessor break, i.e. to the
solution whose earlier lines are longer ("longer-first", the way greedy filling looks).

A Penalty with ``cost == -inf`` is a forced break (Knuth–Plass convention); ``+inf`` forbids.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "Box", "Glue", "Penalty", "Item", "Line", "BreakParams",
    "break_lines", "break_greedy", "balance", "demerits",
]


@dataclass(frozen=True, slots=True)
class Box:
    """An unbreakable piece of a word (a word, or a fragment between hyphenation points)."""

    width: float
    text: str = ""


@dataclass(frozen=True, slots=True)
class Glue:
    """A breakable inter-word space; it disappears when a line breaks at it."""

    width: float


@dataclass(frozen=True, slots=True)
class Penalty:
    """A non-space break opportunity (hyphenation point, after "/" in a URL, hard hyphen)."""

    width: float
    cost: float
    flagged: bool = False


Item = Box | Glue | Penalty


@dataclass(frozen=True, slots=True)
class Line:
    """One output line: items[start:end]; ``width`` includes a drawn hyphen, if any."""

    start: int
    end: int
    width: float
    broke_at_penalty: bool


@dataclass(frozen=True, slots=True)
class BreakParams:
    hyphen_cost: float = 1000.0
    consecutive_hyphen_cost: float = 3000.0
    short_last_line_ratio: float = 0.33
    short_last_line_cost: float = 800.0
    single_word_last_line_cost: float = 500.0
    overflow_cost: float = 1e7


_DEFAULT = BreakParams()
# Raggedness scale: squared relative slack times this, so a line 30 % short (900) is in the
# same range as the hyphen and short-last-line costs above and the costs are comparable.
_RAGGED_SCALE = 10000.0


class _Prep:
    """Prefix sums and break candidates, computed once per item list (plain sequences)."""

    __slots__ = ("n", "cum", "glue_cum", "start0", "first0",
                 "cj", "cpw", "cpc", "cflag", "cforced", "cstart", "cfirst")

    def __init__(self, items: Sequence[Item]) -> None:
        # One pass written for CPython speed: this runs once per font-size probe.
        # cum[i] = width of Boxes and Glue in items[:i] (a Penalty's width counts only when
        # a line breaks there); glue_cum counts Glue the same way, which tells whether a
        # line holds more than one word.
        cum = [0.0]
        glue_cum = [0]
        cands: list[tuple[int, float, float, bool, bool]] = []  # index, width, cost,
        cstart: list[int] = []  # first Box after each break   #  flagged, forced
        cfirst: list[int] = []  # first candidate after that Box
        acc = 0.0
        g = 0
        prev_box = False
        start0 = first0 = last_box = -1
        for i, it in enumerate(items):
            t = type(it)
            if t is Box or (t is not Glue and t is not Penalty and isinstance(it, Box)):
                acc += it.width
                prev_box = True
                last_box = i
                nc = len(cands)
                if len(cstart) < nc:  # lines after the breaks since the last box start here
                    k = nc - len(cstart)
                    cstart.extend([i] * k)
                    cfirst.extend([nc] * k)
                if start0 < 0:
                    start0, first0 = i, nc
            elif t is Glue or isinstance(it, Glue):
                if prev_box:  # a space is a break only right after a word
                    cands.append((i, 0.0, 0.0, False, False))
                acc += it.width
                g += 1
                prev_box = False
            else:
                c = it.cost
                if c < math.inf:  # False for +inf (forbidden) and NaN
                    forced = c == -math.inf
                    cands.append((i, it.width, 0.0 if forced else c, bool(it.flagged), forced))
                prev_box = False
            cum.append(acc)
            glue_cum.append(g)
        # Trailing Glue/Penalties after the last box never produce visible content; cutting
        # them off guarantees that the final line always contains a box. The breaks after
        # the last box are exactly those that got no line start.
        n = self.n = last_box + 1
        del cum[n + 1:], glue_cum[n + 1:], cands[len(cstart):]
        nc = len(cands) + 1
        cands.append((n, 0.0, 0.0, False, True))  # the paragraph end: forced, free
        cstart.append(n)
        cfirst.append(nc)
        self.cum, self.glue_cum, self.start0, self.first0 = cum, glue_cum, start0, first0
        self.cstart, self.cfirst = cstart, cfirst
        cj, cpw, cpc, cflag, cforced = zip(*cands)
        self.cj: tuple[int, ...] = cj
        self.cpw: tuple[float, ...] = cpw
        self.cpc: tuple[float, ...] = cpc
        self.cflag: tuple[bool, ...] = cflag
        self.cforced: tuple[bool, ...] = cforced

    def line(self, items: Sequence[Item], s: int, ci: int) -> Line:
        """The Line from item s to candidate break ci."""
        j = self.cj[ci]
        at_pen = j < self.n and not isinstance(items[j], Glue)  # else it is a Penalty
        return Line(s, j, self.cum[j] - self.cum[s] + (self.cpw[ci] if at_pen else 0.0), at_pen)


def break_lines(
    items: Sequence[Item], width: float, params: BreakParams = _DEFAULT
) -> list[Line]:
    """Total-fit (Knuth–Plass) ragged-right breaking minimising the demerits above."""
    return _solve(_Prep(items), items, float(width), params)


def _solve(p: _Prep, items: Sequence[Item], width: float, params: BreakParams) -> list[Line]:
    n = p.n
    if n == 0:
        return []
    cum, gc, cstart, cfirst = p.cum, p.glue_cum, p.cstart, p.cfirst
    cj, cpw, cpc, cflag, cforced = p.cj, p.cpw, p.cpc, p.cflag, p.cforced
    k_rag = _RAGGED_SCALE / (width * width) if width > 0 else 0.0
    inv_w = 1.0 / width if width > 0 else 1.0
    short_limit = params.short_last_line_ratio * width
    short_cost = params.short_last_line_cost
    single_cost = params.single_word_last_line_cost
    hyph, cons, ovf = params.hyphen_cost, params.consecutive_hyphen_cost, params.overflow_cost

    # Nodes: 0 = paragraph start, candidate c -> node c + 1. An active node is a tuple
    # (id, cum at its line start, line start item, total demerits, ended flagged,
    # first candidate a line from it can end at): one unpack instead of six lookups.
    nc = len(cj)
    prev = [-1] * (nc + 1)
    s0 = p.start0
    node0 = (0, cum[s0], s0, 0.0, False, p.first0)
    # Reachable nodes in id order. Their starts are non-decreasing, so line widths to a
    # fixed break are non-increasing along `act`: the active set is the window act[lo:],
    # and pruning just advances `lo` (no list rebuilding per candidate).
    act = [node0]
    lo = 0
    final: tuple[int, float, int, float, bool, int] | None = None

    def line_cost(nd: tuple[int, float, int, float, bool, int], ci: int, lw: float) -> float:
        # The rare paths (overflow, last line); the common case is inlined below.
        a, _sc, s, tot, fl, _f = nd
        if lw > width:
            d = ovf * (1.0 + (lw - width) * inv_w)
        else:
            d = 0.0 if cj[ci] == n else k_rag * (width - lw) ** 2
        if cj[ci] == n:
            if a:  # the paragraph has >= 2 lines
                if lw < short_limit:
                    d += short_cost
                if gc[n] == gc[s]:  # no Glue inside the last line: a single word
                    d += single_cost
        else:
            d += cpc[ci]
            if cflag[ci]:
                d += hyph + (cons if fl else 0.0)
        return d + tot

    for ci in range(nc):
        j = cj[ci]
        cjj = cum[j]
        pw = cpw[ci]
        pc = cpc[ci]
        pflag = cflag[ci]
        is_last = j == n
        best = math.inf
        best_from = -1
        na = len(act)
        # Nodes whose line to j is too wide even without the hyphen leave for good; one
        # that never fit anything (first break is j) gets its single overflow line here.
        while lo < na:
            nd = act[lo]
            if cjj - nd[1] <= width:
                break
            if nd[5] == ci:
                d = line_cost(nd, ci, cjj - nd[1] + pw)
                if d <= best:
                    best, best_from = d, nd[0]
            lo += 1
        for nd in act[lo:]:
            a, sc, st, tot, fl, fst = nd
            if st >= j:  # no box before j; later nodes start even later
                break
            lw = cjj - sc + pw
            if lw <= width and not is_last:
                slack = width - lw
                d = tot + k_rag * slack * slack + pc
                if pflag:
                    d += hyph
                    if fl:
                        d += cons
            elif lw <= width or fst == ci:  # last line, or only the hyphen overflows
                d = line_cost(nd, ci, lw)
            else:
                continue
            if d <= best:  # '<=' in ascending node order: ties go to the latest break
                best, best_from = d, a
        if best_from < 0:
            continue
        prev[ci + 1] = best_from
        s = cstart[ci]
        nd = (ci + 1, cum[s], s, best, pflag, cfirst[ci])
        if cforced[ci]:
            lo = len(act)  # nothing may span a forced break
        act.append(nd)
        final = nd

    if final is None or final[0] != nc:  # unreachable for valid input; never fail
        return _greedy(p, items, width)
    chain = [nc]
    while prev[chain[-1]] > 0:
        chain.append(prev[chain[-1]])
    chain.reverse()
    lines: list[Line] = []
    s = s0
    for node in chain:
        lines.append(p.line(items, s, node - 1))
        s = cstart[node - 1]
    return lines


def break_greedy(items: Sequence[Item], width: float) -> list[Line]:
    """First-fit: each line takes the last legal break that still fits.

    If not even the first break after the line start fits (a box wider than the line),
    that first break is used and the line overflows.
    """
    return _greedy(_Prep(items), items, float(width))


def _greedy(p: _Prep, items: Sequence[Item], width: float) -> list[Line]:
    n = p.n
    if n == 0:
        return []
    cum, cj, cpw, cforced = p.cum, p.cj, p.cpw, p.cforced
    lines: list[Line] = []
    s = p.start0
    ci = p.first0
    nc = len(cj)
    while s < n:
        chosen = -1
        first = ci  # the first break after box s: the line holds at least that box
        while ci < nc:
            base = cum[cj[ci]] - cum[s]
            if base > width:
                break
            if base + cpw[ci] <= width:
                chosen = ci
            if cforced[ci]:
                break
            ci += 1
        if chosen < 0:
            chosen = first
        lines.append(p.line(items, s, chosen))
        s = p.cstart[chosen]
        ci = p.cfirst[chosen]
    return lines


def demerits(
    items: Sequence[Item], lines: Sequence[Line], width: float, params: BreakParams = _DEFAULT
) -> float:
    """Total demerits of a given breaking, with exactly the cost model ``break_lines`` uses."""
    if not lines:
        return 0.0
    inv_w = 1.0 / width if width > 0 else 1.0
    total = 0.0
    prev_flag = False
    multi = len(lines) >= 2
    last_idx = len(lines) - 1
    for idx, ln in enumerate(lines):
        lw = ln.width
        pen = items[ln.end] if ln.broke_at_penalty else None
        if lw > width:
            total += params.overflow_cost * (1.0 + (lw - width) * inv_w)
        elif idx != last_idx:
            total += _RAGGED_SCALE * ((width - lw) * inv_w) ** 2
        if idx == last_idx:
            if multi:
                if lw < params.short_last_line_ratio * width:
                    total += params.short_last_line_cost
                if not any(isinstance(items[i], Glue) for i in range(ln.start, ln.end)):
                    total += params.single_word_last_line_cost
            # Costs of the last line's own end are not counted, as in break_lines.
            break
        flag = False
        if isinstance(pen, Penalty):
            if pen.cost != -math.inf:
                total += pen.cost
            if pen.flagged:
                flag = True
                total += params.hyphen_cost
                if prev_flag:
                    total += params.consecutive_hyphen_cost
        prev_flag = flag
    return total


def balance(
    items: Sequence[Item], width: float, params: BreakParams = _DEFAULT
) -> tuple[float, list[Line]]:
    """Narrowest width <= ``width`` that keeps the number of lines break_lines gives at
    ``width`` (binary search on width, like CSS ``text-wrap: balance``).

    Returns (that width, its lines). Used for titles. The search stops at 0.5 px precision.
    A single line returns its natural width; an unavoidable overflow disables balancing.
    """
    width = float(width)
    prep = _Prep(items)  # widths do not change during the search: prepare once
    lines = _solve(prep, items, width, params)
    if not lines:
        return 0.0, lines
    if len(lines) == 1:
        return min(width, lines[0].width), lines
    if any(ln.width > width for ln in lines):
        return width, lines
    target = len(lines)
    box_sum = 0.0
    widest = 0.0
    for it in items:
        if isinstance(it, Box):
            box_sum += it.width
            widest = max(widest, it.width)
    # Below both bounds no `target`-line breaking can fit: every line holds its boxes,
    # so the widest line is at least box_sum / target and at least the widest box.
    lo = max(widest, box_sum / target) - 1e-6
    hi = width
    best = lines
    while hi - lo > 0.5:
        mid = (lo + hi) / 2.0
        cand = _solve(prep, items, mid, params)
        if len(cand) == target and all(ln.width <= mid for ln in cand):
            hi, best = mid, cand
        else:
            lo = mid
    # Snap to the widest line actually produced, so the result is as tight as possible
    # rather than 0.5 px loose (checked, since badness depends on the width).
    snug = max(ln.width for ln in best)
    if snug < hi:
        cand = _solve(prep, items, snug, params)
        if len(cand) == target and all(ln.width <= snug for ln in cand):
            return snug, cand
    return hi, best
