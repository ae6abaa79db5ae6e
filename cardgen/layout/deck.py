"""A deck's resolved cards → each fitted on the type scale and composed into a page, with the
choices a deck makes once for all its cards (pure but for measuring).

In order (`cardgen.run.pipeline` runs them, with `split` between the first fit and the rest):
`qr_checked` (a link too long for a QR code is an error, found before drawing), `consistent_numbering`
(one numbering per layout), `fit_cards`, `consistent_axis` (one axis per layout on a centred
theme), `consistent_links` (one arrangement of address and QR code), `shrink_unsplit` (a card
`split` could not continue is set smaller), `settle_cards` (every
card at its deck's step; a card that does not fit even at its floors is an error), `run_tops`
(a run of similar cards starts at one height), `compose_cards` (a page each). Errors go to the
`Findings` they are given; the other cards go on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from cardgen.layout.flow import list_shift, measure, overflow_error, shared_top
from cardgen.layout.layouts import card_flow, compose, flush_left
from cardgen.layout.layouts.media import stacked_link
from cardgen.layout.layouts.text import numbering_fits
from cardgen.layout.scale import CardFit, assign_factors, fit_card, has_long_text, settle
from cardgen.model.page import Page
from cardgen.model.problems import Findings, LayoutError
from cardgen.resolve.cards import CardSpec

QR_MAX_BYTES = 2331  # a version 40 QR code at error correction M, in byte mode (what a URL takes)
RUN_BAND = 0.39  # a run of cards lines up only while no card is left under a taller empty band


def qr_checked(cards: Sequence[CardSpec], findings: Findings) -> tuple[CardSpec, ...]:
    """The cards whose QR code can hold their url; each other one is a located error, found here
    (`check` too) rather than as a crash when the code is drawn. The link layout draws the code."""
    kept = []
    for card in cards:
        # Up to QR_MAX_BYTES any text fits (byte mode); beyond, segno says (another mode may hold it).
        if card.layout == "link" and card.qr and card.link and len(card.link.encode("utf-8")) > QR_MAX_BYTES:
            import segno  # only here: segno loads gzip, xml and urllib (~10 ms, 2 MiB) on import

            try:
                segno.make(card.link, error="m", micro=False)
            except (segno.DataOverflowError, ValueError):
                size = len(card.link.encode("utf-8"))
                findings.error(
                    LayoutError(
                        f"the url is too long for a QR code: {size} bytes, and a QR code holds at most {QR_MAX_BYTES}",
                        card.where("url"),
                        hint="shorten the link, or leave the QR code out (qr: false)",
                    )
                )
                continue
        kept.append(card)
    return tuple(kept)


def consistent_numbering(cards: Sequence[CardSpec]) -> tuple[CardSpec, ...]:
    """One numbering for all the cards of a layout: when one card's title is too long for the
    column beside its number (the theme's `numbering: beside` or `inline`), every card of that
    layout sets its number above the title, so a swipe does not switch between templates."""
    above = {card.layout for card in cards if not numbering_fits(card)}
    return tuple(replace(card, numbering="above") if card.layout in above else card for card in cards)


def fit_cards(cards: Sequence[CardSpec], overflow: str) -> list[CardFit]:
    """Each card fitted alone (see `cardgen.layout.scale`)."""
    return [fit_card(card_flow(card), overflow) for card in cards]


def consistent_axis(
    cards: Sequence[CardSpec], fits: Sequence[CardFit], overflow: str
) -> tuple[tuple[CardSpec, ...], list[CardFit]]:
    """On a centred theme, a layout whose cards set running text over several lines goes flush
    left on every card of the deck of that layout and flow kind, number, title and rule too: long
    text centred line by line is hard to read, and one card flush left among centred ones would
    break the swipe. A statement (an untitled text card set as a poster) is another kind than a
    text card with a title: it stays centred when a long text card goes flush left."""
    left = {
        (card.layout, cf.flow.kind)
        for card, cf in zip(cards, fits, strict=True)
        if card.axis == "center" and cf.fits and has_long_text(cf)
    }
    if not left:
        return tuple(cards), list(fits)
    out_cards, out_fits = [], []
    for card, cf in zip(cards, fits, strict=True):
        if (card.layout, cf.flow.kind) in left:
            card = flush_left(card)
            cf = fit_card(card_flow(card), overflow)
        out_cards.append(card)
        out_fits.append(cf)
    return tuple(out_cards), out_fits


def consistent_links(cards: Sequence[CardSpec], fits: Sequence[CardFit], overflow: str) -> list[CardFit]:
    """Link cards whose QR code is their picture set the address under the code only if every one
    of them in the deck can: when one has too much text and keeps it beside the code, they all do,
    so the swipe through a run of links does not change arrangement card to card."""
    links = [i for i, card in enumerate(cards) if stacked_link(card)]
    if all(fits[i].flow.fallback is not None for i in links):  # all stacked (or no such card)
        return list(fits)
    out = list(fits)
    for i in links:
        fallback = fits[i].flow.fallback
        if fallback is not None:
            out[i] = fit_card(fallback, overflow)
    return out


def shrink_unsplit(cards: Sequence[CardSpec], fits: Sequence[CardFit], overflow: str) -> list[CardFit]:
    """With `overflow: split`, a card that still does not fit after splitting (a layout that does
    not continue on a new card: a cover, quote, stat, compare, link or chat card; or one sentence
    too long for a card) is set smaller, as `overflow: shrink` would set it, with a warning
    (`review.warnings.fit_warnings`), rather than failing the whole deck for one card. A card that
    does not fit even so stays an error; `overflow: error` keeps every such card an error."""
    if overflow != "split":
        return list(fits)
    out = []
    for card, cf in zip(cards, fits, strict=True):
        if not cf.fits:
            shrunk = fit_card(card_flow(card), "shrink")
            cf = shrunk if shrunk.fits else cf
        out.append(cf)
    return out


def settle_cards(
    cards: Sequence[CardSpec], fits: Sequence[CardFit], overflow: str, findings: Findings
) -> tuple[tuple[CardSpec, ...], tuple[CardFit, ...]]:
    """The cards that fit, each at the size factor the deck gives it (`scale.assign_factors`);
    each card that does not fit even at its floors is a located error."""
    fitting = []
    for card, cf in zip(cards, fits, strict=True):
        if cf.fits:
            fitting.append((card, cf))
        else:
            findings.error(overflow_error(card, cf.flow, cf.fit, past_floor=cf.below_floor, overflow=overflow))
    factors = assign_factors([(card.layout, cf.flow.kind) for card, cf in fitting], [cf for _, cf in fitting])
    settled = tuple(settle(cf, factor) for (_, cf), factor in zip(fitting, factors, strict=True))
    return tuple(card for card, _ in fitting), settled


def _runs(cards: Sequence[CardSpec], fits: Sequence[CardFit]) -> list[list[int]]:
    """Consecutive cards of one layout and kind: the cards a reader swipes through as a series."""
    groups: list[list[int]] = []
    previous: tuple[str, str] | None = None
    for i, (card, cf) in enumerate(zip(cards, fits, strict=True)):
        key = (card.layout, cf.flow.kind)
        if key == previous:
            groups[-1].append(i)
        else:
            groups.append([i])
        previous = key
    return groups


def run_shifts(cards: Sequence[CardSpec], fits: Sequence[CardFit]) -> list[float | None]:
    """Where a centred list's column sits: a list continued on more cards (overflow: split)
    keeps the column of its widest part, so the items do not jump sideways as the reader swipes
    (71 px between the halves of a split list in bold). Two lists the author wrote keep their
    own columns, each centred under its title. None: the card's own."""
    shifts: list[float | None] = [None] * len(cards)
    parts: list[list[int]] = []
    for i, card in enumerate(cards):
        if card.part and parts and cards[parts[-1][-1]].layout == card.layout:
            parts[-1].append(i)
        else:
            parts.append([i])
    for members in parts:
        if len(members) < 2 or any(fits[i].flow.axis != "center" for i in members):
            continue  # a left-aligned list starts at the margin on every card
        own = [list_shift(fits[i].flow, measure(fits[i].flow, fits[i].sizes)) for i in members]
        if all(own):
            for i in members:
                shifts[i] = min(own)
    return shifts


def run_tops(cards: Sequence[CardSpec], fits: Sequence[CardFit]) -> list[float | None]:
    """Where each card's content starts: consecutive cards of one layout and kind (a run of step
    or link cards) start at one height, so the title does not jump as the reader swipes; None:
    the card's own placement. A card apart from its layout's others (a short list after a quote,
    five cards after a long one) is placed on its own: nobody swipes from one to the other."""
    tops: list[float | None] = [None] * len(cards)
    for members in _runs(cards, fits):
        top = shared_top([fits[i].flow for i in members], [fits[i].fit for i in members], RUN_BAND)
        for i in members:
            tops[i] = top
    return tops


def compose_cards(
    cards: Sequence[CardSpec], fits: Sequence[CardFit], findings: Findings, *, settle: bool = False
) -> tuple[tuple[CardSpec, ...], tuple[CardFit, ...], tuple[Page, ...]]:
    """A page for each card (runs of cards lined up); chrome that does not fit (a footer) is that
    card's error, and the other cards go on.

    `settle` (a render, which reads no more of a fit than its step and sizes once the page is
    made): each fit comes back `CardFit.settled`, and `fits`, a list the caller hands over (it
    holds no other reference to those fits), lets each card's prepared texts go as soon as its
    page is composed, so a deck's layout and its pages are never all held at once."""
    composed, kept, pages = [], [], []
    owned = fits if settle and isinstance(fits, list) else None
    placements = zip(cards, run_tops(cards, fits), run_shifts(cards, fits), strict=True)
    for i, (card, top, shift) in enumerate(placements):
        cf = fits[i]
        try:
            pages.append(compose(card, cf.flow, cf.sizes, top, shift))
        except LayoutError as exc:
            findings.error(exc)
            continue
        finally:
            if settle:
                cf = cf.settled()
                if owned is not None:
                    owned[i] = cf  # the full fit's last reference
        composed.append(card)
        kept.append(cf)
    return tuple(composed), tuple(kept), tuple(pages)
