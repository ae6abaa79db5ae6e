"""Deck file → slides on disk: load → resolve → layout (fitted, deck-wide sizes) → review → paint →
output. The one place the stages are run in order.

`render_deck` runs every stage; `check_deck` stops before painting, with every warning the render
would give; `layout_deck` stops after layout (tests, `quality`, the theme sheets). A stage that
finds errors goes on with what is left (the other cards, the default theme in place of one that
cannot be read), so that later stages report theirs too: every error of every stage is raised
together, in line order (`model.problems.Findings`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from cardgen.base.process import freeze_gc
from cardgen.layout.deck import (
    compose_cards,
    consistent_axis,
    consistent_links,
    consistent_numbering,
    fit_cards,
    qr_checked,
    shrink_unsplit,
    settle_cards,
)
from cardgen.layout.laid import LaidOutDeck
from cardgen.layout.layouts import LAYOUTS
from cardgen.layout.split import split_deck
from cardgen.load.deck import Deck, collect_deck, parse_size
from cardgen.load.fonts import FontBook
from cardgen.load.theme import DEFAULT_THEME, Theme, collect_theme, load_theme
from cardgen.model.limits import DEFAULT_LIMITS, Limits
from cardgen.model.problems import CardgenError, DeckError, Findings, Problem, StrictError, ThemeError, Where
from cardgen.output.formats import encode, pdf_bytes
from cardgen.output.slides import deck_out_dir, write_slides
from cardgen.paint.draw import paint_page
from cardgen.paint.pictures import image_size, photo_rows
from cardgen.publish.alttext import alt_lines
from cardgen.publish.options import Publish
from cardgen.publish.plan import (
    Plan,
    canvas_fix,
    canvas_for,
    ignored_scale,
    place,
    plan_post,
    post_ranges,
    raise_errors,
    size_check,
)
from cardgen.resolve.admark import ad_spec
from cardgen.resolve.cards import CardSpec, resolve_deck
from cardgen.review.pictures import named_picture_errors
from cardgen.review.warnings import (
    coverage_warnings,
    empty_card_warnings,
    fit_warnings,
    glyph_warnings,
    picture_warnings,
)
from cardgen.run import typographed


@dataclass(frozen=True)
class RenderResult:
    deck: Path
    out_dir: Path
    slides: tuple[Path, ...]
    laid: LaidOutDeck = field(repr=False)
    captions: tuple[Path, ...] = ()  # caption files written beside the slides (recorded, not counted)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return self.laid.warnings


@dataclass(frozen=True)
class Inputs:
    """How a deck is read: what the command line overrides, where paths may lead, the limits, the
    platform. The same for every stage of one deck."""

    theme: str | None = None  # --theme: a name or a path, typed by the user (trusted)
    size: str | None = None  # --size
    root: Path | None = None  # the project root; None: the deck's folder
    allow_outside: bool = False
    limits: Limits = DEFAULT_LIMITS
    publish: Publish = field(default_factory=Publish)
    book: FontBook | None = None  # the font families (None: cardgen's own)


def layout_deck(
    deck_path: Path,
    *,
    theme: str | None = None,
    size: str | None = None,
    book: FontBook | None = None,
    all_errors: bool = False,
    root: Path | None = None,
    allow_outside: bool = False,
    input_limits: Limits = DEFAULT_LIMITS,
    publish: Publish | None = None,
) -> LaidOutDeck:
    """Load, resolve and lay out a deck; every error of every stage is raised together.
    `all_errors` (`cardgen check`): the error also carries the warnings found in the cards that
    did lay out (`CardgenError.warnings`)."""
    inputs = Inputs(theme, size, root, allow_outside, input_limits, publish or Publish(), book)
    findings = Findings()
    laid = _lay_out(deck_path, inputs, findings)
    findings.raise_errors(laid.warnings if all_errors and laid is not None else ())
    assert laid is not None
    return laid


def check_deck(
    deck_path: Path,
    *,
    theme: str | None = None,
    size: str | None = None,
    root: Path | None = None,
    allow_outside: bool = False,
    publish: Publish | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> LaidOutDeck:
    """What `render_deck` would report, without painting or writing a file (`cardgen check`).

    Every structural error and every card that does not fit are raised together; the warnings
    are the render's own: glyphs, italics, deck sizes, contrast, upscaled pictures and the
    platform's limits (`--for` or the deck's `platform:`; file sizes are known only on render).
    """
    inputs = Inputs(theme, size, root, allow_outside, limits, publish or Publish())
    findings = Findings()
    laid = _reviewed(deck_path, inputs, findings)
    warnings = laid.warnings if laid is not None else ()
    if laid is not None and len(laid.cards) == len(laid.deck.cards):  # the platform's limits count every card
        try:
            warnings += plan_warnings(deck_plan(laid, inputs.publish, laid.deck.path.stem), laid.deck)
        except CardgenError as exc:
            findings.error(exc)
    findings.raise_errors(warnings)
    assert laid is not None
    typographed.save(deck_path)
    return replace(laid, warnings=warnings)


def render_deck(
    deck_path: Path,
    out_root: Path,
    *,
    theme: str | None = None,
    size: str | None = None,
    strict: bool = False,
    out_dir: Path | None = None,
    encode_workers: int | None = None,
    owned: frozenset[str] | None = None,
    root: Path | None = None,
    allow_outside: bool = False,
    publish: Publish | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> RenderResult:
    """Render a deck into `out_dir` (default: OUT_ROOT/<deck stem>).

    `encode_workers`: encoding threads beside the painting thread (None: one per spare core; 0:
    encode on the painting thread, as a process allowed one core does). `owned`: the slide names
    cardgen wrote there last time (see `output.slides.write_slides`). Neither changes the bytes.
    `limits`: how big the deck, its theme files, its pictures and the canvas may be (see
    `cardgen.model.limits`).
    """
    inputs = Inputs(theme, size, root, allow_outside, limits, publish or Publish())
    findings = Findings()
    laid = _reviewed(deck_path, inputs, findings, settle=True)
    findings.raise_errors()
    assert laid is not None
    out_dir = out_dir if out_dir is not None else deck_out_dir(out_root, deck_path.stem)  # "..yaml": not -o itself
    deck, options = laid.deck, inputs.publish
    the_plan = deck_plan(laid, options, out_dir.name)
    laid = replace(laid, warnings=laid.warnings + plan_warnings(the_plan, deck))
    if strict and laid.warnings:
        raise StrictError(laid.warnings)
    freeze_gc()  # before painting: see its comment
    images = (paint_page(page, limits) for page in laid.pages)
    check = size_check(the_plan, options, deck)
    if the_plan.fmt == "pdf":
        slides = write_slides(
            images,
            len(laid.pages),
            out_dir,
            encode_workers,
            owned=owned,
            names=the_plan.names,
            extras=the_plan.extras,
            check=check,
            pdf=lambda imgs: pdf_bytes(imgs, title=deck.title, scale=options.scale),
        )
    else:
        encoder = partial(encode, fmt=the_plan.fmt, quality=options.quality) if the_plan.fmt != "png" else None
        slides = write_slides(
            images,
            len(laid.pages),
            out_dir,
            encode_workers,
            owned=owned,
            names=the_plan.names,
            encoder=encoder,
            extras=the_plan.extras,
            check=check,
        )
    captions = slides[len(the_plan.names) :]  # write_slides returns the slides, then the extras
    typographed.save(deck_path)
    return RenderResult(laid.deck.path, out_dir, slides[: len(the_plan.names)], laid, captions)


def _reviewed(deck_path: Path, inputs: Inputs, findings: Findings, *, settle: bool = False) -> LaidOutDeck | None:
    """Lay out, then look at the pictures: the cards that laid out, with every warning so far.
    What render and check share before they part. `settle`: see `_stages`."""
    laid = _lay_out(deck_path, inputs, findings, settle=settle)
    if laid is None:
        return None
    warnings, broken = picture_warnings(laid)
    for error in broken:
        findings.error(error)
    return replace(laid, warnings=laid.warnings + tuple(warnings))


def _lay_out(deck_path: Path, inputs: Inputs, findings: Findings, *, settle: bool = False) -> LaidOutDeck | None:
    """Every stage up to layout, each error added to `findings`; the cards that laid out (with
    their warnings), or None when there is nothing to check warnings on (no deck, or a theme that
    failed: fit errors and warnings about a stand-in theme would mislead). An error that stops
    the deck (unreadable YAML, a bad --size) joins the others."""
    try:
        return _stages(deck_path, inputs, findings, settle=settle)
    except CardgenError as exc:
        findings.error(exc)
        return None


def _stages(deck_path: Path, inputs: Inputs, findings: Findings, *, settle: bool = False) -> LaidOutDeck | None:
    """`settle` (a render): the deck's fits come back `CardFit.settled`, each card's prepared
    texts let go as soon as its page is composed (`compose_cards`), so that a render holds a
    page per card, not a page and the layout that made it: what it holds while it paints does
    not grow with the cards by more than the pages themselves."""
    typographed.load(deck_path)  # the texts the last run set: only new ones run the typograph's rules
    deck, warnings = _load(deck_path, inputs, findings)
    if deck is None:
        return None
    theme, theme_ok = _theme(deck, inputs, findings)
    # A deck split into albums is several posts: the ad marking's first/last apply to each.
    posts = post_ranges(inputs.publish, deck.platform, len(deck.cards))
    resolved = Findings()
    cards = resolve_deck(deck, theme or load_theme(DEFAULT_THEME), inputs.book, resolved, posts=posts)
    findings.errors += resolved.errors
    if not theme_ok or any(isinstance(e, ThemeError) for e in resolved.errors):  # a font family
        # Whether text fits depends on the theme (sizes, fonts, spacing): a stand-in would judge
        # other text, so layout is not checked. The pictures the deck and the theme name do not
        # depend on the rest of the theme: read them now, as the pages would.
        findings.errors += named_picture_errors(deck, theme)
        return None
    assert theme is not None
    _check_pixel_work(deck, cards, inputs.limits)
    warnings += glyph_warnings(cards)
    cards = consistent_numbering(with_pictures(qr_checked(cards, findings), deck.limits))
    fits = fit_cards(cards, deck.overflow)
    if deck.overflow == "split" and any(not cf.fits for cf in fits):
        split = split_deck(deck, cards, fits, inputs.limits)
        if split is not None:  # the deck again, with the cards that overflowed continued on new ones
            deck, origins, split_warnings = split
            cards = resolve_deck(deck, theme, inputs.book, findings, posts=posts, origins=origins)
            cards = consistent_numbering(with_pictures(qr_checked(cards, Findings()), deck.limits))
            fits = fit_cards(cards, deck.overflow)
            warnings += split_warnings
    cards, fits = consistent_axis(cards, fits, deck.overflow)
    fits = consistent_links(cards, fits, deck.overflow)
    fits = shrink_unsplit(cards, fits, deck.overflow)
    cards, settled = settle_cards(cards, fits, deck.overflow, findings)
    warnings += fit_warnings(cards, settled, deck.overflow)
    handed = list(settled)
    del fits, settled  # compose_cards holds the only references: it lets each go once its page is made
    cards, settled, pages = compose_cards(cards, handed, findings, settle=settle)
    del handed
    if not pages:
        return None
    if not findings:  # a card emptied by an error (a misspelt key) is said once, by the error
        warnings += empty_card_warnings(cards, pages)
    if any(ref.file for ref in theme.fonts.values()):  # the theme's own fonts: every character shown checked
        warnings += coverage_warnings(cards, pages)
    return LaidOutDeck(deck, cards, pages, settled, tuple(warnings), theme)


def _load(deck_path: Path, inputs: Inputs, findings: Findings) -> tuple[Deck | None, list[Problem]]:
    """The deck as loaded, at the size it renders at (--size, the platform's canvas, --scale),
    its pixels within the limits; and the warning about a --scale the platform ignores."""
    deck, found = collect_deck(deck_path, root=inputs.root, allow_outside=inputs.allow_outside, limits=inputs.limits)
    findings.errors += found
    if deck is None:
        return None, []
    limits, publish, warnings = inputs.limits, inputs.publish, []
    if inputs.size is not None:
        try:
            parse_size(inputs.size, limits)
        except ValueError as exc:
            raise DeckError(f"--size: {exc}") from None
        deck = deck.copy(size=inputs.size)
    if publish.platform or deck.platform or publish.scale != 1:
        if ignored := ignored_scale(publish, deck.platform, *deck.canvas):  # Instagram: 1080 px wide
            warnings.append(
                Problem.at(
                    deck.where("platform") if deck.platform and not publish.platform else Where(deck.path), ignored
                )
            )
        try:
            width, height = canvas_for(publish, deck.platform, *deck.canvas)
        except ValueError as exc:
            raise DeckError(f"--for: {exc}") from None
        try:
            parse_size(f"{width}x{height}", limits)  # the platform's canvas, scaled, within the limits too
        except ValueError as exc:
            fix = canvas_fix(
                publish, deck.platform, *deck.canvas, (width, height), limits.canvas_min_side, limits.canvas_side
            )
            if publish.platform:
                raise DeckError(f"--for: {exc}{fix}") from None
            if not deck.platform:  # no platform: the canvas is the deck's size times --scale
                raise DeckError(f"--scale {publish.scale}: {exc}{fix}") from None
            raise DeckError(f"the platform's canvas: {exc}{fix}", deck.where("platform")) from None
        deck = deck.copy(size=f"{width}x{height}")
    width, height = deck.canvas
    if len(deck.cards) * width * height > limits.deck_pixels:  # painting time grows with the pixels
        raise DeckError(
            f"the deck is {len(deck.cards)} cards of {width}×{height} px, {len(deck.cards) * width * height / 1e6:.0f} "
            f"megapixels to paint; at most {limits.deck_pixels / 1e6:.0f} are allowed in one deck",
            deck.where("cards"),
            hint="split it into several decks or use a smaller size",
        )
    return deck, warnings


def _theme(deck: Deck, inputs: Inputs, findings: Findings) -> tuple[Theme | None, bool]:
    """(the deck's theme, or None when it cannot be read at all; whether it is whole: a theme
    with errors comes back without what failed, which later stages must not be judged by)."""
    # A --theme name or path was typed by the user: trusted. Every other theme file (the deck's
    # own theme, each extends:) and every file a theme names is checked against the project
    # root like the paths the deck names; cardgen's built-in themes are trusted.
    theme, found = collect_theme(
        inputs.theme or deck.theme,
        deck.folder,
        None if inputs.theme else deck.where("theme"),
        root=(inputs.root or deck.folder).resolve(),
        allow_outside=inputs.allow_outside,
        limits=inputs.limits,
        trust_name=bool(inputs.theme),
    )
    findings.errors += found
    return theme, theme is not None and not found


def _check_pixel_work(deck: Deck, cards: Sequence[CardSpec], limits: Limits) -> None:
    work = pixel_work(cards)
    if work > limits.deck_pixels:
        width, height = deck.canvas
        raise DeckError(
            f"the deck paints {len(deck.cards)} cards of {width}×{height} px and decodes the pictures they show: "
            f"{work / 1e6:.0f} megapixels in all; at most {limits.deck_pixels / 1e6:.0f} are allowed in one deck",
            deck.where("cards"),
            hint="split it into several decks, or use a smaller size or smaller pictures",
        )


def pixel_work(cards: Sequence[CardSpec]) -> int:
    """The pixels a deck's slides take to paint and to decode: each card's canvas, and each
    picture a card shows (from its header), unless the card before showed it too (it is still
    decoded then). What time and `Limits.deck_pixels` go by: a flat 40 MP PNG is a 100 KB file
    that takes a second or two to decode."""
    total = 0
    before: set[Path] = set()
    for card in cards:
        shown = set(card.pictures())
        total += card.width * card.height
        for path in shown - before:
            try:
                w, h = image_size(path)
            except (OSError, ValueError):
                continue  # reported when the pages are read
            total += w * h
        before = shown
    return total


def with_pictures(cards: Sequence[CardSpec], limits: Limits) -> tuple[CardSpec, ...]:
    """The cards with what layout needs to know of their pictures, measured as fonts are: a
    full-bleed photo's brightness profile (for its scrim), a link card's screenshot proportions
    (shown whole). A picture that cannot be read gets neither: painting reports it."""
    return tuple(_with_picture(card, limits) for card in cards)


def _with_picture(card: CardSpec, limits: Limits) -> CardSpec:
    if card.image is None:
        return card
    try:
        if LAYOUTS[card.layout].photo(card):
            return replace(card, photo_rows=photo_rows(card.image, card.width, card.height, card.focus, limits))
        if card.layout == "link":
            width, height = image_size(card.image)
            return replace(card, image_aspect=width / height if height else None)
    except (OSError, ValueError, CardgenError):
        pass
    return card


def deck_plan(laid: LaidOutDeck, publish: Publish, stem: str) -> Plan:
    """What publishing writes for this deck (names, caption files) and the platform's problems."""
    deck = laid.deck
    return plan_post(
        publish,
        deck_platform=deck.platform,
        stem=stem,
        total=len(laid.pages),
        width=laid.pages[0].width,
        height=laid.pages[0].height,
        caption=deck.caption,
        lang=deck.lang,
        ad=ad_spec(deck.ad) if deck.ad else None,
        alt=alt_lines(laid.cards, deck.title),
    )


def plan_warnings(the_plan: Plan, deck: Deck) -> tuple[Problem, ...]:
    """The platform's limits: errors raised, warnings returned; each placed in the deck."""
    raise_errors(the_plan.problems, deck, the_plan.platform)
    return tuple(place(p, deck, the_plan.platform) for p in the_plan.problems if p.severity != "error")
