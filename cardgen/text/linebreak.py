"""Optimal ragged-right line breaking over abstract, pre-measured items.

Input:  a paragraph as a sequence of ``Box`` / ``Glue`` / ``Penalty`` items with measured
        widths, plus the line width, in one unit (px, or em as the typesetter uses: every
        cost below is scale-free).
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
  ``single_word_last_line_cost`` if it holds a single word (no Glue inside it), and
  ``hyphen_tail_cost`` more if that word is the tail of a word hyphenated on the line before,
  ``short_orphan_cost`` more if it has fewer than ORPHAN_LETTERS letters (an orphan).

Ties (exactly equal totals) go to the latest possible predecessor break, i.e. to the
solution whose earlier lines are longer ("longer-first", the way greedy filling looks).
Dynamic programming over break candidates with active-node pruning: O(n * k) for n items
and k candidates per line. k is bounded by ``MAX_ACTIVE``: a line with more break candidates
than that (a URL that may break after every character, set on a line hundreds of em wide)
is weighed against the ``MAX_ACTIVE`` latest breaks only, so breaking stays linear in the
paragraph, never quadratic; no real line has that many. A Penalty with ``cost == -inf`` is a
forced break (Knuth–Plass convention); ``+inf`` forbids a break.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "Box",
    "BreakParams",
    "Glue",
    "Item",
    "Line",
    "Penalty",
    "balance",
    "break_greedy",
    "break_lines",
    "demerits",
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
    hyphen_cost: float = 1000.0  # high: hyphenate only where it clearly helps
    consecutive_hyphen_cost: float = 3000.0  # two hyphenated line ends in a row
    short_last_line_ratio: float = 0.33  # last line narrower than this share of width …
    short_last_line_cost: float = 800.0  # … costs this (paragraphs of >= 2 lines)
    single_word_last_line_cost: float = 500.0  # last line holding one word (>= 2 lines)
    hyphen_tail_cost: float = 5000.0  # … and that word is the tail of a hyphenated one («настро-/ение»)
    short_orphan_cost: float = 2500.0  # … or a word of fewer than ORPHAN_LETTERS letters («часа»)
    overflow_cost: float = 1e7  # per line wider than width (when unavoidable)


_DEFAULT = BreakParams()
ORPHAN_LETTERS = 5  # a last line of one word shorter than this is an orphan (the quality check's rule)


def _joined(items: Sequence[Item], start: int, end: int) -> bool:
    """Words the typograph joined with a no-break space («в день», «10 000»): two words to the
    eye, one unbreakable run to the breaker."""
    return any("\u00a0" in it.text or "\u202f" in it.text for it in items[start:end] if isinstance(it, Box))


def _letters(items: Sequence[Item], start: int, end: int) -> int:
    """Letters in the Boxes of items[start:end] (a line's word, as the quality check counts them)."""
    return sum(c.isalnum() for it in items[start:end] if isinstance(it, Box) for c in it.text)


# Break candidates a line may span (see the module doc): ordinary text has 10–40 per line, a
# URL at the smallest size on the widest canvas about 250.
MAX_ACTIVE = 400
# Raggedness scale: squared relative slack times this, so a line 30 % short (900) is in the
# same range as the hyphen and short-last-line costs above and the costs are comparable.
_RAGGED_SCALE = 10000.0


class _Prep:
    """Prefix sums and break candidates, computed once per item list (plain sequences)."""

    __slots__ = (
        "cfirst",
        "cflag",
        "cforced",
        "cj",
        "cpc",
        "cpw",
        "cstart",
        "cum",
        "first0",
        "glue_cum",
        "n",
        "start0",
    )

    def __init__(self, items: Sequence[Item]) -> None:
        # One pass written for CPython speed: this runs once per font-size probe.
        # cum[i] = width of Boxes and Glue in items[:i] (a Penalty's width counts only when
        # a line breaks there); glue_cum counts Glue the same way, which tells whether a
        # line holds more than one word.
        cum = [0.0]
        glue_cum = [0]
        cands: list[tuple[int, float, float, bool, bool]] = []  # (index, width, cost, flagged,
        cstart: list[int] = []  # first Box after each break      #  forced) per legal break
        cfirst: list[int] = []  # first candidate after that Box
        acc, g, prev_box = 0.0, 0, False
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
            else:  # a Penalty: told apart by `type(it) is`, quicker than isinstance in this loop
                c = it.cost  # type: ignore[union-attr]
                if c < math.inf:  # False for +inf (forbidden) and NaN
                    forced = c == -math.inf
                    cands.append((i, it.width, 0.0 if forced else c, bool(it.flagged), forced))  # type: ignore[union-attr]
                prev_box = False
            cum.append(acc)
            glue_cum.append(g)
        # Trailing Glue/Penalties after the last box never produce visible content; cutting
        # them off guarantees that the final line always contains a box. The breaks after
        # the last box are exactly those that got no line start.
        n = self.n = last_box + 1
        del cum[n + 1 :], glue_cum[n + 1 :], cands[len(cstart) :]
        cands.append((n, 0.0, 0.0, False, True))  # the paragraph end: forced, free
        cstart.append(n)
        cfirst.append(len(cands))
        self.cum, self.glue_cum, self.start0, self.first0 = cum, glue_cum, start0, first0
        self.cstart, self.cfirst = cstart, cfirst
        # Parallel tuples: item index, penalty width, cost, flagged, forced per break.
        self.cj, self.cpw, self.cpc, self.cflag, self.cforced = zip(*cands, strict=True)

    def line(self, items: Sequence[Item], s: int, ci: int, width: float) -> Line:
        """The Line from item s to candidate break ci."""
        j = self.cj[ci]
        at_pen = j < self.n and not isinstance(items[j], Glue)  # else it is a Penalty
        lw = self.cum[j] - self.cum[s] + (self.cpw[ci] if at_pen else 0.0)
        if width < lw <= _limit(width):  # prefix-sum rounding noise, not an overflow
            lw = width
        return Line(s, j, lw, at_pen)


def _limit(width: float) -> float:
    # Widths come from differences of prefix sums, which carry rounding noise (a 101 px
    # box can measure 101.00000000000003). Lines within this hair of the width fit, and
    # are reported as exactly `width`, so callers' `line.width > width` stays meaningful.
    return width + 1e-9 * max(1.0, abs(width))


def break_lines(items: Sequence[Item], width: float, params: BreakParams = _DEFAULT) -> list[Line]:
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
    limit = _limit(width)
    short_cost, single_cost = params.short_last_line_cost, params.single_word_last_line_cost
    tail_cost, orphan_cost = params.hyphen_tail_cost, params.short_orphan_cost
    hyph, cons, ovf = params.hyphen_cost, params.consecutive_hyphen_cost, params.overflow_cost

    # Nodes: 0 = paragraph start, candidate c -> node c + 1. A reachable node is a tuple
    # (id, cum at its line start, line start item, total demerits, ended flagged, first
    # candidate a line from it can end at): one unpack instead of six lookups. `act` holds
    # them in id order; their starts are non-decreasing, so line widths to a fixed break
    # shrink along `act`, the active set is the window act[lo:], and pruning just moves lo.
    nc = len(cj)
    prev = [-1] * (nc + 1)
    s0 = p.start0
    act = [(0, cum[s0], s0, 0.0, False, p.first0)]
    lo = 0
    final: tuple[int, float, int, float, bool, int] | None = None

    def line_cost(nd: tuple[int, float, int, float, bool, int], ci: int, lw: float) -> float:
        # The rare paths (overflow, last line); the common case is inlined below.
        a, _sc, s, tot, fl, _f = nd
        last = cj[ci] == n
        if lw > limit:
            d = ovf * (1.0 + (lw - width) * inv_w)
        else:
            d = 0.0 if last else k_rag * (width - lw) ** 2
        if last:
            if a:  # >= 2 lines; no Glue (nor a no-break space: «в день») inside the last line: a single word
                single = gc[n] == gc[s] and not _joined(items, s, n)
                d += (
                    (short_cost if lw < short_limit else 0.0)
                    + (single_cost if single else 0.0)
                    + (tail_cost if single and fl else 0.0)
                    + (orphan_cost if single and _letters(items, s, n) < ORPHAN_LETTERS else 0.0)
                )
        else:
            d += cpc[ci]
            if cflag[ci]:
                d += hyph + (cons if fl else 0.0)
        return d + tot

    for ci in range(nc):
        j, pw, pc, pflag = cj[ci], cpw[ci], cpc[ci], cflag[ci]
        cjj = cum[j]
        is_last = j == n
        best, best_from = math.inf, -1
        na = len(act)
        # Nodes whose line to j is too wide even without the hyphen leave for good; one
        # that never fit anything (first break is j) gets its single overflow line here.
        while lo < na:
            nd = act[lo]
            if cjj - nd[1] <= limit:
                break
            if nd[5] == ci:
                d = line_cost(nd, ci, cjj - nd[1] + pw)
                if d <= best:
                    best, best_from = d, nd[0]
            lo += 1
        lo = max(lo, na - MAX_ACTIVE)  # bounded work per break, however wide the line
        for nd in act[lo:]:
            a, sc, st, tot, fl, fst = nd
            if st >= j:  # no box before j; later nodes start even later
                break
            lw = cjj - sc + pw
            if lw <= limit and not is_last:
                slack = width - lw
                d = tot + k_rag * slack * slack + pc
                if pflag:
                    d += hyph
                    if fl:
                        d += cons
            elif lw <= limit or fst == ci:  # last line, or only the hyphen overflows
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
    starts = [s0] + [cstart[node - 1] for node in reversed(chain[1:])]
    return [p.line(items, s, node - 1, width) for s, node in zip(starts, reversed(chain), strict=True)]


def break_greedy(items: Sequence[Item], width: float) -> list[Line]:
    """First-fit: each line takes the last legal break that still fits; if even the first
    break after the line start does not fit (a box wider than the line), it overflows."""
    return _greedy(_Prep(items), items, float(width))


def _greedy(p: _Prep, items: Sequence[Item], width: float) -> list[Line]:
    n = p.n
    if n == 0:
        return []
    cum, cj, cpw, cforced = p.cum, p.cj, p.cpw, p.cforced
    limit = _limit(width)
    lines: list[Line] = []
    s, ci, nc = p.start0, p.first0, len(cj)
    while s < n:
        chosen, first = -1, ci  # first: the first break after box s (the line holds it)
        while ci < nc:
            base = cum[cj[ci]] - cum[s]
            if base > limit:
                break
            if base + cpw[ci] <= limit:
                chosen = ci
            if cforced[ci]:
                break
            ci += 1
        chosen = first if chosen < 0 else chosen
        lines.append(p.line(items, s, chosen, width))
        s, ci = p.cstart[chosen], p.cfirst[chosen]
    return lines


def demerits(items: Sequence[Item], lines: Sequence[Line], width: float, params: BreakParams = _DEFAULT) -> float:
    """Total demerits of a given breaking, with exactly the cost model ``break_lines`` uses."""
    inv_w = 1.0 / width if width > 0 else 1.0
    total = 0.0
    prev_flag = False
    for idx, ln in enumerate(lines):
        lw = ln.width
        if lw > width:
            total += params.overflow_cost * (1.0 + (lw - width) * inv_w)
        elif idx != len(lines) - 1:
            total += _RAGGED_SCALE * ((width - lw) * inv_w) ** 2
        if idx == len(lines) - 1:  # the last line ends the paragraph, not at a penalty
            if idx > 0 and lw < params.short_last_line_ratio * width:
                total += params.short_last_line_cost
            single = not any(isinstance(items[i], Glue) for i in range(ln.start, ln.end))
            if idx > 0 and single and not _joined(items, ln.start, ln.end):
                total += params.single_word_last_line_cost + (params.hyphen_tail_cost if prev_flag else 0.0)
                total += params.short_orphan_cost if _letters(items, ln.start, ln.end) < ORPHAN_LETTERS else 0.0
            break
        pen = items[ln.end] if ln.broke_at_penalty else None
        flag = isinstance(pen, Penalty) and pen.flagged
        if isinstance(pen, Penalty) and pen.cost != -math.inf:
            total += pen.cost
        if flag:
            total += params.hyphen_cost + (params.consecutive_hyphen_cost if prev_flag else 0.0)
        prev_flag = flag
    return total


def balance(items: Sequence[Item], width: float, params: BreakParams = _DEFAULT) -> tuple[float, list[Line]]:
    """Narrowest width <= ``width`` that keeps the number of lines break_lines gives at
    ``width`` (binary search on width, like CSS ``text-wrap: balance``); returns (that width,
    its lines). Used for titles. The search stops at width / 2000 (0.5 px of a 1000 px box;
    relative, as callers may work in em), then snaps to the widest line found. A single
    line returns its natural width; an unavoidable overflow disables balancing.
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
    boxes = [it.width for it in items if isinstance(it, Box)]
    box_sum, widest = sum(boxes), max(boxes)
    # Below both bounds no `target`-line breaking can fit: every line holds its boxes,
    # so the widest line is at least box_sum / target and at least the widest box.
    bound = max(widest, box_sum / target)
    lo, hi, best, tol = bound - 1e-9 * max(1.0, bound), width, lines, width / 2000.0
    # A narrower width must not leave one word alone on the last line where the full width did not.
    keep_pair = _words(items, lines[-1]) > 1

    def good(cand: list[Line], at: float) -> bool:
        return (
            len(cand) == target
            and all(ln.width <= at for ln in cand)
            and (not keep_pair or _words(items, cand[-1]) > 1)
        )

    while hi - lo > tol:
        mid = (lo + hi) / 2.0
        cand = _solve(prep, items, mid, params)
        if good(cand, mid):
            hi, best = mid, cand
        else:
            lo = mid
    # Snap to the widest line actually produced, so the result is as tight as possible
    # rather than 0.5 px loose (checked, since badness depends on the width).
    snug = max(ln.width for ln in best)
    if snug < hi:
        cand = _solve(prep, items, snug, params)
        if good(cand, snug):
            return snug, cand
    return hi, best


def _words(items: Sequence[Item], line: Line) -> int:
    """Words on a line as the eye counts them: a no-break space joins two."""
    glues = sum(isinstance(items[i], Glue) for i in range(line.start, line.end))
    return 1 + glues + _joined(items, line.start, line.end)
