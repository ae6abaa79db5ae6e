"""Tests for cardgen.text.linebreak with a fake fixed-width measurer.

Every character is 10 px and every space is 10 px, so widths can be worked out by hand:
"the ui" is 60 px. In the test texts "|" marks a hyphenation point inside a word (a
flagged Penalty whose hyphen glyph is 10 px wide, cost 0).
"""

from __future__ import annotations

import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from cardgen.text.linebreak import (
    Box,
    BreakParams,
    Glue,
    Item,
    Line,
    Penalty,
    balance,
    break_greedy,
    break_lines,
    demerits,
)

CHAR = 10.0


def make_items(text: str) -> list[Item]:
    items: list[Item] = []
    for n, word in enumerate(text.split(" ")):
        if n:
            items.append(Glue(CHAR))
        for k, frag in enumerate(word.split("|")):
            if k:
                items.append(Penalty(CHAR, 0.0, flagged=True))
            items.append(Box(CHAR * len(frag), frag))
    return items


def render(items: list[Item], lines: list[Line]) -> list[str]:
    out = []
    for ln in lines:
        text = "".join(
            it.text if isinstance(it, Box) else " " if isinstance(it, Glue) else "" for it in items[ln.start : ln.end]
        )
        if ln.broke_at_penalty and items[ln.end].width > 0:
            text += "-"
        out.append(text)
    return out


def lines_of(text: str, width: float, params: BreakParams = BreakParams()) -> list[str]:
    items = make_items(text)
    return render(items, break_lines(items, width, params))


def greedy_of(text: str, width: float) -> list[str]:
    items = make_items(text)
    return render(items, break_greedy(items, width))


# --- classic total-fit behaviour -------------------------------------------------------


def test_optimal_evens_out_what_greedy_leaves_ragged() -> None:
    # Greedy fills "the ui" (60) and strands "is" (20) on a line of its own.
    # greedy:  0 + 10000*(40/60)^2 = 4444.4, + 500 single-word last line = 4944.4
    # optimal: 10000*(30/60)^2 + 10000*(10/60)^2 = 2777.8, + 500 = 3277.8
    text, width = "the ui is ready", 60
    assert greedy_of(text, width) == ["the ui", "is", "ready"]
    assert lines_of(text, width) == ["the", "ui is", "ready"]
    items = make_items(text)
    assert math.isclose(demerits(items, break_greedy(items, width), width), 4944.444, rel_tol=1e-5)
    assert math.isclose(demerits(items, break_lines(items, width), width), 3277.778, rel_tol=1e-5)


def test_line_records_skip_spaces_and_report_widths() -> None:
    items = make_items("the ui is ready")
    lines = break_lines(items, 60)
    assert lines == [
        Line(0, 1, 30.0, False),  # "the"; the Glue at 1 is dropped
        Line(2, 5, 50.0, False),  # "ui is"
        Line(6, 7, 50.0, False),  # "ready": end is one past the last Box
    ]


def test_trailing_and_leading_glue_are_not_content() -> None:
    items: list[Item] = [Glue(10), Box(30, "abc"), Glue(10), Box(20, "de"), Glue(10)]
    assert break_lines(items, 100) == [Line(1, 4, 60.0, False)]
    assert break_greedy(items, 100) == [Line(1, 4, 60.0, False)]


# --- legal break points only ------------------------------------------------------------


def test_never_breaks_without_a_legal_break_point() -> None:
    # Adjacent boxes (e.g. a word split into kerning runs) and a forbidden penalty are
    # not break points: the whole run stays on one (overflowing) line.
    items: list[Item] = [Box(40, "ab"), Box(40, "cd"), Penalty(10, math.inf, True), Box(40, "ef")]
    for lines in (break_lines(items, 50), break_greedy(items, 50)):
        assert lines == [Line(0, 4, 120.0, False)]


def test_glue_after_a_penalty_is_not_a_break() -> None:
    items: list[Item] = [Box(50, "a"), Penalty(0, math.inf), Glue(10), Box(50, "b")]
    assert len(break_lines(items, 60)) == 1


def test_unflagged_zero_width_penalty_breaks_without_hyphen() -> None:
    # Like a break after "/" in a URL: no glyph is added and no hyphen cost is charged.
    items: list[Item] = [Box(60, "vk.com/"), Penalty(0, 0), Box(60, "club")]
    lines = break_lines(items, 80)
    assert lines == [Line(0, 1, 60.0, True), Line(2, 3, 60.0, False)]
    assert render(items, lines) == ["vk.com/", "club"]


def test_forced_break_is_always_taken() -> None:
    items: list[Item] = [Box(20, "ab"), Penalty(0, -math.inf), Box(20, "cd")]
    assert render(items, break_lines(items, 500)) == ["ab", "cd"]
    assert render(items, break_greedy(items, 500)) == ["ab", "cd"]


# --- overflow ---------------------------------------------------------------------------


def test_box_wider_than_width_gets_its_own_overflowing_line() -> None:
    text = "aa bbbbbbbbbbbb cc"
    for got in (lines_of(text, 60), greedy_of(text, 60)):
        assert got == ["aa", "bbbbbbbbbbbb", "cc"]
    lines = break_lines(make_items(text), 60)
    assert [ln.width > 60 for ln in lines] == [False, True, False]


def test_only_box_wider_than_width() -> None:
    items: list[Item] = [Box(500, "huge")]
    assert break_lines(items, 100) == [Line(0, 1, 500.0, False)]
    assert balance(items, 100) == (100.0, [Line(0, 1, 500.0, False)])


def test_zero_or_negative_width_does_not_raise() -> None:
    items = make_items("ab cd")
    assert render(items, break_lines(items, 0)) == ["ab", "cd"]
    assert render(items, break_lines(items, -5)) == ["ab", "cd"]


# --- hyphenation penalties --------------------------------------------------------------


def test_hyphen_not_used_when_it_does_not_clearly_help() -> None:
    # Hyphenating fills line 1 exactly (0) but costs hyphen_cost 1000; not hyphenating
    # leaves 60 px slack: 10000*(60/200)^2 = 900 < 1000. Greedy hyphenates.
    text = "aaaa bbbb cccc dddd|eeee ffff gggg"
    assert greedy_of(text, 200) == ["aaaa bbbb cccc dddd-", "eeee ffff gggg"]
    assert lines_of(text, 200) == ["aaaa bbbb cccc", "ddddeeee ffff gggg"]


def test_hyphen_used_when_it_clearly_helps() -> None:
    # Without the hyphen: "aaaaaa" alone (4900) + ... + a short single-word last line
    # "dddd" (800 + 500) = 6300; with it: 400 + 1000 = 1400.
    text = "aaaaaa bbbbbbbb|cccccccccc dddd"
    assert lines_of(text, 200) == ["aaaaaa bbbbbbbb-", "cccccccccc dddd"]
    lines = break_lines(make_items(text), 200)
    assert lines[0].broke_at_penalty and lines[0].width == 160.0  # includes the hyphen
    assert lines[0].end == 3  # index of the penalty


def test_consecutive_hyphens_avoided() -> None:
    text = "to every|where car|ou|sel com|mu|ni|ty"
    # Without the consecutive-hyphen cost three hyphenated lines in a row are best
    # (3 * 1000 + 100 + 500 = 3600) ...
    free = BreakParams(consecutive_hyphen_cost=0, hyphen_tail_cost=0)
    assert lines_of(text, 100, free) == ["to every-", "where car-", "ousel com-", "munity"]
    # ... with it (+3000 per pair) the breaker stops hyphenating after one line.
    got = lines_of(text, 100)
    assert got == ["to every-", "where", "carousel", "community"]
    ends = [s.endswith("-") for s in got]
    assert not any(a and b for a, b in itertools.pairwise(ends))


# --- last-line rules --------------------------------------------------------------------


def test_short_last_line_avoided_by_pulling_a_word_down() -> None:
    text = "it is easy to read a calm text on a phone"
    assert greedy_of(text, 180) == ["it is easy to read", "a calm text on a", "phone"]
    # Isolate the short-last-line rule: "phone" (50 < 0.33*180) costs 800, which is more
    # than the 370 of extra raggedness from moving "a" down.
    only_short = BreakParams(single_word_last_line_cost=0)
    assert lines_of(text, 180, only_short) == ["it is easy to read", "a calm text on", "a phone"]
    assert lines_of(text, 180) == ["it is easy to read", "a calm text on", "a phone"]
    # Without the rule the greedy shape is optimal: the rule is what pulls "a" down.
    no_rules = BreakParams(single_word_last_line_cost=0, short_last_line_cost=0)
    assert lines_of(text, 180, no_rules)[-1] == "phone"


def test_single_word_last_line_avoided() -> None:
    text = "the reader sees an even block of text with no holes"
    # "holes" (50 px) is not short (>= 0.33*150 = 49.5): only the single-word rule acts.
    # with "no" pulled down: 177.8 + 400 = 577.8; "holes" alone: 177.8 + 0 + 500 = 677.8
    assert greedy_of(text, 150)[-1] == "holes"
    assert lines_of(text, 150) == ["the reader sees", "an even block", "of text with", "no holes"]
    no_rule = BreakParams(single_word_last_line_cost=0)
    assert lines_of(text, 150, no_rule)[-1] == "holes"


def test_hyphen_fragments_count_as_one_word_on_the_last_line() -> None:
    items = make_items("aaaa bbbb cc|dd")
    lines = [Line(0, 3, 90.0, False), Line(4, 7, 40.0, False)]
    params = BreakParams(short_last_line_cost=0, short_orphan_cost=0)
    # non-last: 10000*(10/100)^2 = 100; last "ccdd" is one word split by a hyphen point.
    assert math.isclose(demerits(items, lines, 100, params), 100 + 500)


def test_a_short_word_alone_on_the_last_line_costs_more_than_a_ragged_line() -> None:
    """«Ответы в течение / часа»: the orphan «часа» is dearer than a short first line."""
    from cardgen.text.linebreak import Box, Glue

    words = ["Ответы", "втечение", "часа"]
    items = []
    for i, word in enumerate(words):
        if i:
            items.append(Glue(10.0))
        items.append(Box(10.0 * len(word), word))
    lines = break_lines(items, 150)
    assert [sum(1 for k in range(ln.start, ln.end) if isinstance(items[k], Box)) for ln in lines] == [1, 2]
    orphan = break_lines(items, 150, BreakParams(short_orphan_cost=0))
    assert [sum(1 for k in range(ln.start, ln.end) if isinstance(items[k], Box)) for ln in orphan] == [2, 1]


def test_words_joined_by_a_no_break_space_are_two_words_on_the_last_line() -> None:
    """«… / в\u00a0день»: the typograph glued the preposition to its word, so the breaker sees one
    run, but the eye reads two words: no single-word cost, in `break_lines` as in `demerits`."""
    items = make_items("aaaa bbbb в\u00a0день")
    lines = [Line(0, 3, 90.0, False), Line(4, 5, 70.0, False)]
    params = BreakParams(short_last_line_cost=0, short_orphan_cost=0)
    assert math.isclose(demerits(items, lines, 100, params), 100)  # the raggedness of line 1 alone
    plain = make_items("aaaa bbbb вдень!")
    assert math.isclose(demerits(plain, lines, 100, params), 100 + 500)


def test_single_line_paragraph_has_no_last_line_costs() -> None:
    items = make_items("a")
    assert break_lines(items, 100) == [Line(0, 1, 10.0, False)]
    assert demerits(items, break_lines(items, 100), 100) == 0.0


# --- balance ----------------------------------------------------------------------------


def test_balance_narrows_to_even_lines_with_same_count() -> None:
    items = make_items("make your text calm when read")
    full = break_lines(items, 250)
    assert [ln.width for ln in full] == [190.0, 90.0]
    width, lines = balance(items, 250)
    assert width == 140.0
    assert len(lines) == len(full)
    assert [ln.width for ln in lines] == [140.0, 140.0]
    assert render(items, lines) == ["make your text", "calm when read"]


def test_balance_single_line_returns_natural_width() -> None:
    items = make_items("short title")
    assert balance(items, 500) == (110.0, [Line(0, 3, 110.0, False)])


@given(
    st.lists(st.integers(1, 9), min_size=1, max_size=14),
    st.integers(9, 40),
)
@settings(max_examples=80, deadline=None)
def test_balance_properties(lengths: list[int], chars: int) -> None:
    items = make_items(" ".join("x" * n for n in lengths))
    width = chars * CHAR
    full = break_lines(items, width)
    bw, lines = balance(items, width)
    assert bw <= width
    assert len(lines) == len(full)
    if all(ln.width <= width for ln in full):
        assert all(ln.width <= bw for ln in lines)
        assert max(ln.width for ln in lines) <= max(ln.width for ln in full)


# --- empty input, ties, determinism -----------------------------------------------------


def test_empty_input() -> None:
    assert break_lines([], 100) == []
    assert break_greedy([], 100) == []
    assert balance([], 100) == (0.0, [])
    assert demerits([], [], 100) == 0.0
    only_space: list[Item] = [Glue(10), Penalty(0, 0)]
    assert break_lines(only_space, 100) == []


def test_ties_prefer_longer_lines_first() -> None:
    # "aaa b" / "aaa" and "aaa" / "b aaa" cost exactly the same (277.8 + 2500 either way).
    items = make_items("aaa b aaa dddddd")
    assert render(items, break_lines(items, 60)) == ["aaa b", "aaa", "dddddd"]
    other = [Line(0, 1, 30.0, False), Line(2, 5, 50.0, False), Line(6, 7, 60.0, False)]
    assert demerits(items, other, 60) == demerits(items, break_lines(items, 60), 60)


def test_deterministic() -> None:
    items = make_items("to every|where car|ou|sel com|mu|ni|ty and the reader sees it")
    first = break_lines(items, 100)
    for _ in range(5):
        assert break_lines(items, 100) == first
        assert break_lines(list(items), 100.0) == first
        assert balance(items, 100) == balance(items, 100)


# --- properties -------------------------------------------------------------------------


def legal_breaks(items: list[Item]) -> list[int]:
    return [
        i
        for i, it in enumerate(items)
        if (isinstance(it, Glue) and i > 0 and isinstance(items[i - 1], Box))
        or (isinstance(it, Penalty) and it.cost < math.inf)
    ]


def is_forced(it: Item) -> bool:
    return isinstance(it, Penalty) and it.cost == -math.inf


def brute_force_best(items: list[Item], width: float, params: BreakParams) -> float | None:
    """Minimum demerits over every breaking whose lines all fit (None if there is none)."""
    last_box = max(i for i, it in enumerate(items) if isinstance(it, Box))
    cands = [b for b in legal_breaks(items) if b < last_box]
    forced = {b for b in cands if is_forced(items[b])}
    best = None
    for r in range(len(cands) + 1):
        for chosen in itertools.combinations(cands, r):
            if not forced <= set(chosen):
                continue
            lines, start, ok = [], 0, True
            for end in (*chosen, last_box + 1):
                while start < end and not isinstance(items[start], Box):
                    start += 1
                if start >= end:
                    ok = False
                    break
                w = sum(it.width for it in items[start:end] if not isinstance(it, Penalty))
                pen = end <= last_box and isinstance(items[end], Penalty)
                w += items[end].width if pen else 0.0
                if w > width:
                    ok = False
                    break
                lines.append(Line(start, end, w, pen))
                start = end + 1
            if ok:
                d = demerits(items, lines, width, params)
                best = d if best is None else min(best, d)
    return best


fragment = st.floats(min_value=1.0, max_value=120.0, allow_nan=False)
word = st.lists(fragment, min_size=1, max_size=3)
extra_penalty = st.sampled_from([None, None, None, "url", "forbidden", "forced"])


@st.composite
def paragraphs(draw: st.DrawFn, max_words: int = 12) -> list[Item]:
    items: list[Item] = []
    for n, frags in enumerate(draw(st.lists(word, min_size=1, max_size=max_words))):
        if n:
            items.append(Glue(draw(st.sampled_from([5.0, 10.0, 12.5]))))
        for k, w in enumerate(frags):
            if k:
                kind = draw(extra_penalty)
                if kind == "url":
                    items.append(Penalty(0.0, 0.0))
                elif kind == "forbidden":
                    items.append(Penalty(10.0, math.inf, True))
                elif kind == "forced":
                    items.append(Penalty(0.0, -math.inf))
                else:
                    items.append(Penalty(10.0, 0.0, True))
            items.append(Box(w))
    return items


@given(paragraphs(), st.floats(min_value=20.0, max_value=400.0))
@settings(max_examples=300, deadline=None)
def test_breaking_properties(items: list[Item], width: float) -> None:
    legal = set(legal_breaks(items))
    boxes = [i for i, it in enumerate(items) if isinstance(it, Box)]
    opt = break_lines(items, width)
    greedy = break_greedy(items, width)
    for lines in (opt, greedy):
        covered = []
        for k, ln in enumerate(lines):
            assert isinstance(items[ln.start], Box)
            covered += [i for i in range(ln.start, ln.end) if isinstance(items[i], Box)]
            if k < len(lines) - 1:
                assert ln.end in legal
                assert ln.broke_at_penalty == isinstance(items[ln.end], Penalty)
            else:
                assert ln.end == boxes[-1] + 1 and not ln.broke_at_penalty
            natural = sum(it.width for it in items[ln.start : ln.end] if not isinstance(it, Penalty))
            if ln.broke_at_penalty:
                natural += items[ln.end].width
            assert math.isclose(ln.width, natural, rel_tol=1e-9, abs_tol=1e-9)
            if ln.width > width:
                # only a single unbreakable run may overflow: no legal break inside it
                assert not any(ln.start < b < ln.end for b in legal)
        assert covered == boxes  # every box exactly once, in order
        forced = {i for i in legal if is_forced(items[i])}
        assert forced <= {ln.end for ln in lines}
    assert demerits(items, opt, width) <= demerits(items, greedy, width) + 1e-6
    assert break_lines(items, width) == opt


@given(paragraphs(max_words=6), st.floats(min_value=20.0, max_value=300.0))
@settings(max_examples=200, deadline=None)
def test_optimal_matches_brute_force(items: list[Item], width: float) -> None:
    if len(legal_breaks(items)) > 12:
        return
    params = BreakParams()
    best = brute_force_best(items, width, params)
    if best is None:
        return
    got = demerits(items, break_lines(items, width, params), width, params)
    # Not worse than any all-fitting breaking (and, by the property test, itself valid).
    assert got <= best + 1e-9 * max(1.0, best)


@given(paragraphs(), st.floats(min_value=20.0, max_value=400.0))
@settings(max_examples=100, deadline=None)
def test_scale_invariant_in_em_units(items: list[Item], width: float) -> None:
    # The typesetter breaks in em (width / font size); halving every width and the line
    # width (exact in binary floating point) must give the same breaks.
    def half(it: Item) -> Item:
        if isinstance(it, Box):
            return Box(it.width / 2, it.text)
        if isinstance(it, Glue):
            return Glue(it.width / 2)
        return Penalty(it.width / 2, it.cost, it.flagged)

    small = [half(it) for it in items]
    ends = [(ln.start, ln.end) for ln in break_lines(items, width)]
    assert [(ln.start, ln.end) for ln in break_lines(small, width / 2)] == ends
    bw, lines = balance(items, width)
    sbw, slines = balance(small, width / 2)
    assert [(ln.start, ln.end) for ln in slines] == [(ln.start, ln.end) for ln in lines]
    assert math.isclose(sbw, bw / 2)
