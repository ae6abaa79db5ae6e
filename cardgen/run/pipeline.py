"""Deck file → slides on disk: load → resolve → layout (fitted, deck-wide sizes) → paint → export.

`render_deck` is the one function that runs every stage; the CLI is a thin layer over it.
`layout_deck` stops before painting, for tests, checks and the layout report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import regex

from cardgen.load.deck import Deck, collect_deck, combine, parse_size
from cardgen.model.limits import DEFAULT_LIMITS, Limits
from cardgen.model.problems import CardgenError, DeckError, LayoutError, ThemeError, Where
from cardgen.load.fonts import FontBook
from cardgen.layout.flow import overflow_error, shared_top
from cardgen.layout.layouts import LAYOUTS, card_flow, compose
from cardgen.text.markup import ITALIC
from cardgen.model.page import Page
from cardgen.resolve.cards import CardSpec, resolve_deck
from cardgen.layout.scale import CardFit, assign_factors, fit_card, settle, text_styles
from cardgen.text.shaping import face_for_cluster
from cardgen.load.theme import DEFAULT_THEME, Theme, collect_theme, load_theme
from cardgen.publish.plan import (
    Plan,
    Publish,
    canvas_fix,
    canvas_for,
    ignored_scale,
    plan,
    post_ranges,
    problem_where,
    raise_errors,
    size_check,
)

_CLUSTER = regex.compile(r"\X")


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning: something renders, but not as the author meant (an error with --strict)."""

    message: str
    card: int | None = None
    field: str | None = None
    where: Where | None = None

    def __str__(self) -> str:
        place = str(self.where) if self.where else ""
        return f"{place}: {self.message}" if place else self.message


@dataclass(frozen=True)
class LaidOutDeck:
    deck: Deck
    cards: tuple[CardSpec, ...]
    pages: tuple[Page, ...]
    fits: tuple[CardFit, ...]  # how each card fitted: its step on the type scale and its sizes
    warnings: tuple[Notice, ...] = ()
    theme: Theme | None = field(default=None, repr=False)  # where its files are named, for picture errors


@dataclass(frozen=True)
class RenderResult:
    deck: Path
    out_dir: Path
    slides: tuple[Path, ...]
    laid: LaidOutDeck = field(repr=False)
    captions: tuple[Path, ...] = ()  # caption files written beside the slides (recorded, not counted)

    @property
    def warnings(self) -> tuple[Notice, ...]:
        return self.laid.warnings


class StrictError(CardgenError):
    """Warnings turned into an error by --strict."""

    kind = "strict"

    def __init__(self, notices: tuple[Notice, ...]) -> None:
        super().__init__("\n".join(str(n) for n in notices), None)
        self.notices = notices

    def __str__(self) -> str:
        return "\n".join(f"{n} (--strict)" for n in self.notices)


def layout_deck(
    deck_path: Path,
    *,
    theme: str | None = None,
    size: str | None = None,
    book: FontBook | None = None,
    all_errors: bool = False,
    root: Path | None = None,
    allow_outside: bool = False,
    input_limits: Limits = DEFAULT_LIMITS,  # not `limits`: that name is layouts.limits here
    publish: Publish | None = None,
) -> LaidOutDeck:
    """Load, resolve and lay out a deck; every error of every stage is raised together (one
    `ErrorGroup`, in line order): a stage that finds errors goes on with what is left (the
    other cards, the default theme in place of one that cannot be read) so later stages can
    report theirs. `all_errors` (`cardgen check`): the error also carries the warnings found
    in the cards that did lay out (`CardgenError.warnings`)."""
    errors: list[CardgenError] = []
    try:
        laid = _layout(deck_path, errors, theme=theme, size=size, book=book, root=root, allow_outside=allow_outside,
                       input_limits=input_limits, publish=publish)
    except CardgenError as exc:  # one that stops the deck (unreadable YAML, a bad --size): with the others
        raise combine([*errors, exc]) from None
    if errors:
        raise combine(errors, laid.warnings if all_errors and laid is not None else ())
    assert laid is not None
    return laid


def _layout(
    deck_path: Path, errors: list[CardgenError], *, theme: str | None, size: str | None, book: FontBook | None,
    root: Path | None, allow_outside: bool, input_limits: Limits, publish: Publish | None,
) -> LaidOutDeck | None:
    """`layout_deck` that adds every error to `errors` and returns the cards that laid out (with
    their warnings), or None when there is nothing to check warnings on (no deck, or a theme
    that failed: fit errors and warnings about a stand-in theme would mislead)."""
    deck, found = collect_deck(deck_path, root=root, allow_outside=allow_outside, limits=input_limits)
    errors += found
    if deck is None:
        return None
    if size is not None:
        try:
            parse_size(size, input_limits)
        except ValueError as exc:
            raise DeckError(f"--size: {exc}") from None
        deck = deck.model_copy(update={"size": size})
    scale_notice: Notice | None = None
    if publish is not None and (publish.platform or deck.platform or publish.scale != 1):
        if ignored := ignored_scale(publish, deck.platform, *deck.canvas):  # Instagram: 1080 px wide
            where = deck.where("platform") if deck.platform and not publish.platform else Where(deck.path)
            scale_notice = Notice(ignored, where=where)
        try:
            width, height = canvas_for(publish, deck.platform, *deck.canvas)
        except ValueError as exc:
            raise DeckError(f"--for: {exc}") from None
        try:
            parse_size(f"{width}x{height}", input_limits)  # the platform's canvas, scaled, within the limits too
        except ValueError as exc:
            fix = canvas_fix(publish, deck.platform, *deck.canvas, (width, height),
                             input_limits.canvas_min_side, input_limits.canvas_side)
            if publish.platform:
                raise DeckError(f"--for: {exc}{fix}") from None
            if not deck.platform:  # no platform: the canvas is the deck's size times --scale
                raise DeckError(f"--scale {publish.scale}: {exc}{fix}") from None
            raise DeckError(f"the platform's canvas: {exc}{fix}", deck.where("platform")) from None
        deck = deck.model_copy(update={"size": f"{width}x{height}"})
    width, height = deck.canvas
    if len(deck.cards) * width * height > input_limits.deck_pixels:  # painting time grows with the pixels
        raise DeckError(
            f"the deck is {len(deck.cards)} cards of {width}×{height} px, {len(deck.cards) * width * height / 1e6:.0f} "
            f"megapixels to paint; at most {input_limits.deck_pixels / 1e6:.0f} are allowed in one deck: split it "
            "into several decks or use a smaller size", deck.where("cards"))
    theme_where = None if theme else deck.where("theme")
    # A --theme name or path was typed by the user: trusted. Every other theme file (the deck's
    # own theme, each extends:) and every file a theme names is checked against the project
    # root like the paths the deck names; cardgen's built-in themes are trusted.
    theme_obj, found = collect_theme(theme or deck.theme, deck.folder, theme_where, root=(root or deck.folder).resolve(),
                                     allow_outside=allow_outside, limits=input_limits, trust_name=bool(theme))
    errors += found
    theme_ok = theme_obj is not None and not found  # else no warnings: they would be about a patched theme
    patched = theme_obj
    if theme_obj is None:  # go on checking the cards with the default theme
        theme_obj = load_theme(DEFAULT_THEME)
    before = len(errors)
    # A deck split into albums is several posts: the ad marking's first/last apply to each.
    cards = resolve_deck(deck, theme_obj, book, errors, posts=post_ranges(publish, deck.platform, len(deck.cards)))
    theme_ok = theme_ok and not any(isinstance(e, ThemeError) for e in errors[before:])  # a font family
    if not theme_ok:
        # Whether text fits depends on the theme (sizes, fonts, spacing): a stand-in would judge
        # other text, so layout is not checked. The pictures the deck and the theme name do not
        # depend on the rest of the theme: read them now, as the pages would.
        from cardgen.paint.pictures import named_picture_errors

        errors += named_picture_errors(deck, patched)
        return None
    work = pixel_work(cards)
    if work > input_limits.deck_pixels:
        raise DeckError(
            f"the deck paints {len(deck.cards)} cards of {width}×{height} px and decodes the pictures they show: "
            f"{work / 1e6:.0f} megapixels in all; at most {input_limits.deck_pixels / 1e6:.0f} are allowed in one "
            "deck: split it into several decks, or use a smaller size or smaller pictures", deck.where("cards"))
    notices = ([scale_notice] if scale_notice else []) + glyph_notices(cards)
    cards = consistent_numbering(tuple(with_pictures(card, deck.limits) for card in qr_checked(cards, errors)))
    card_fits = [fit_card(card_flow(card), deck.overflow) for card in cards]
    if deck.overflow == "split" and any(not cf.fits for cf in card_fits):
        from cardgen.layout.split import split_deck

        split = split_deck(deck, cards, card_fits, input_limits)
        if split is not None:  # the deck again, with the cards that overflowed continued on new ones
            deck, origins, split_notices = split
            cards = resolve_deck(deck, theme_obj, book, errors, posts=post_ranges(publish, deck.platform, len(deck.cards)),
                                 origins=origins)
            cards = consistent_numbering(tuple(with_pictures(card, deck.limits) for card in qr_checked(cards, [])))
            card_fits = [fit_card(card_flow(card), deck.overflow) for card in cards]
            notices += split_notices
    cards, card_fits = consistent_axis(cards, card_fits, deck.overflow)
    fitting = []
    for card, cf in zip(cards, card_fits, strict=True):
        if cf.fits:
            fitting.append((card, cf))
        else:
            errors.append(overflow_error(card, cf.flow, cf.fit, past_floor=cf.below_floor, overflow=deck.overflow))
    if len(fitting) < len(cards):  # the warnings of the cards that fit are still reported (check)
        cards = tuple(c for c, _ in fitting)
    factors = assign_factors([(card.layout, cf.flow.kind) for card, cf in fitting], [cf for _, cf in fitting])
    settled = tuple(settle(cf, factor) for (_, cf), factor in zip(fitting, factors, strict=True))
    notices += fit_notices(cards, settled)
    tops = run_tops(cards, settled)
    pages, composed, kept = [], [], []
    for card, cf, top in zip(cards, settled, tops, strict=True):
        try:
            pages.append(compose(card, cf.flow, cf.sizes, top))
            composed.append(card)
            kept.append(cf)
        except LayoutError as exc:  # chrome that does not fit (a footer): this card's error, the others go on
            errors.append(exc)
    cards, settled = tuple(composed), tuple(kept)
    if not pages or not theme_ok:
        return None
    if any(ref.file for ref in theme_obj.fonts.values()):  # the theme's own fonts: every character shown checked
        from cardgen.load.brandfonts import coverage_notices

        notices += coverage_notices(cards, pages)
    return LaidOutDeck(deck, cards, tuple(pages), settled, tuple(notices), theme_obj)


def pixel_work(cards: tuple[CardSpec, ...]) -> int:
    """The pixels a deck's slides take to paint and to decode: each card's canvas, and each
    picture a card shows (from its header), unless the card before showed it too (it is still
    decoded then). What time and `Limits.deck_pixels` go by: a flat 40 MP PNG is a 100 KB file
    that takes a second or two to decode."""
    from cardgen.model.page import ImageFill
    from cardgen.paint.draw import image_size

    total = 0
    before: set = set()
    for card in cards:
        background = card.background.path if isinstance(card.background, ImageFill) else None
        shown = {p for p in (card.image, card.card_avatar, card.avatar, card.logo, background) if p is not None}
        total += card.width * card.height
        for path in shown - before:
            try:
                w, h = image_size(path)
            except (OSError, ValueError):
                continue  # reported when the pages are read
            total += w * h
        before = shown
    return total


QR_MAX_BYTES = 2331  # a version 40 QR code at error correction M, in byte mode (what a URL takes)


def qr_checked(cards: tuple[CardSpec, ...], errors: list[CardgenError]) -> tuple[CardSpec, ...]:
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
                errors.append(LayoutError(
                    f"the url is too long for a QR code: {size} bytes, and a QR code holds at most {QR_MAX_BYTES}; "
                    "shorten the link, or leave the QR code out (qr: false)", card.where("url")))
                continue
        kept.append(card)
    return tuple(kept)


def consistent_numbering(cards: tuple[CardSpec, ...]) -> tuple[CardSpec, ...]:
    """One numbering for all the cards of a layout: when one card's title is too long for the
    column beside its number (the theme's `numbering: beside` or `inline`), every card of that
    layout sets its number above the title, so a swipe does not switch between templates."""
    from cardgen.layout.layouts.text import numbering_fits

    above = {card.layout for card in cards if not numbering_fits(card)}
    return tuple(replace(card, numbering="above") if card.layout in above else card for card in cards)


def consistent_axis(cards: tuple[CardSpec, ...], fits: list[CardFit],
                    overflow: str) -> tuple[tuple[CardSpec, ...], list[CardFit]]:
    """On a centred theme, a layout whose cards set running text over several lines goes flush
    left on every card of the deck, number, title and rule too: long text centred line by line is
    hard to read, and one card flush left among centred ones would break the swipe."""
    from cardgen.layout.layouts import flush_left
    from cardgen.layout.scale import has_long_text

    left = {card.layout for card, cf in zip(cards, fits, strict=True)
            if card.axis == "center" and cf.fits and has_long_text(cf)}
    if not left:
        return cards, fits
    out_cards, out_fits = [], []
    for card, cf in zip(cards, fits, strict=True):
        if card.layout in left:
            card = flush_left(card)
            cf = fit_card(card_flow(card), overflow)
        out_cards.append(card)
        out_fits.append(cf)
    return tuple(out_cards), out_fits


RUN_BAND = 0.34  # a run of cards lines up only while no card is left under a taller empty band


def run_tops(cards: tuple[CardSpec, ...], fits: tuple[CardFit, ...]) -> list[float | None]:
    """Where each card's content starts: cards of one layout and kind (a run of step or link
    cards) start at one height, so the title does not jump as the reader swipes; None: the
    card's own placement."""
    groups: dict[tuple, list[int]] = {}
    for i, (card, cf) in enumerate(zip(cards, fits, strict=True)):
        groups.setdefault((card.layout, cf.flow.kind), []).append(i)
    tops: list[float | None] = [None] * len(cards)
    for members in groups.values():
        top = shared_top([fits[i].flow for i in members], [fits[i].height for i in members], RUN_BAND)
        for i in members:
            tops[i] = top
    return tops


def with_pictures(card: CardSpec, limits: Limits) -> CardSpec:
    """The card with what layout needs to know of its pictures, measured as fonts are: a
    full-bleed photo's brightness profile (for its scrim), a link card's screenshot proportions
    (shown whole). A picture that cannot be read gets neither: painting reports it."""
    if card.image is None:
        return card
    from cardgen.paint.draw import image_size, photo_rows

    try:
        if LAYOUTS[card.layout].photo(card):
            return replace(card, photo_rows=photo_rows(card.image, card.width, card.height, card.focus, limits))
        if card.layout == "link":
            width, height = image_size(card.image)
            return replace(card, image_aspect=width / height if height else None)
    except (OSError, ValueError, CardgenError):
        pass
    return card


SHRUNK_NOTICE = 0.9  # a card set below this share of its reading sizes is reported
FIGURES = frozenset({"stat", "number"})  # set as large as the card allows: smaller is no news
WORD_NOTICE = 0.8  # a word with nowhere to break that sets its role below this share is reported


def fit_notices(cards: tuple[CardSpec, ...], fits: tuple[CardFit, ...]) -> list[Notice]:
    """What fitting did that the author should know: a card set visibly smaller than its reading
    sizes to fit, or under the legible floor (overflow: shrink)."""
    out: list[Notice] = []
    for card, cf in zip(cards, fits, strict=True):
        styles = text_styles(cf.flow)
        reading = {r: st.size for r, st in styles.items() if cf.sizes.get(r, st.size) < st.size - 0.01}
        if not reading:
            continue
        shown = ", ".join(f"{r} {cf.sizes[r]:g} px (not {reading[r]:g})" for r in sorted(reading))
        if cf.below_floor:
            out.append(Notice(f"the text fits only below the smallest legible sizes: {shown}; shorten it or split "
                              f"the card (overflow: shrink allowed this)", card.index, None, card.where()))
        elif cf.caps and any(cf.sizes[r] < styles[r].min_size - 0.01 for r in cf.caps):
            roles = ", ".join(sorted(cf.caps))
            out.append(Notice(f"a word too long for the card and with no place to hyphenate sets {roles} below the "
                              f"smallest legible size: {shown}; shorten the word or add a space",
                              card.index, None, card.where()))
        elif cf.caps and not cf.nudged and min((cf.sizes[r] / styles[r].size for r in cf.caps if r not in FIGURES),
                                               default=1) < WORD_NOTICE:
            roles = ", ".join(sorted(cf.caps))
            out.append(Notice(f"a word too long for the card and with no place to hyphenate sets {roles} smaller: "
                              f"{shown}; shorten the word or add a space", card.index, None, card.where()))
        elif cf.step < 0 and cf.factor < SHRUNK_NOTICE:
            others = sum(c.layout == card.layout for c in cards) > 1
            than = f"this deck's other {card.layout} cards" if others else "the theme's reading sizes"
            out.append(Notice(f"the text is set {1 - cf.factor:.0%} smaller than {than} to fit: {shown}; "
                              f"shorten it, or split the card in two", card.index, None, card.where()))
    return out


def glyph_notices(cards: tuple[CardSpec, ...]) -> list[Notice]:
    """Characters no font in the chain has, and italics a family does not have: per card and field."""
    out: list[Notice] = []
    for card in cards:
        fields = dict(card.texts)
        fields.update({f"items[{i}]": item for i, item in enumerate(card.items)})
        fields.update({f"messages[{i}]": message.text for i, message in enumerate(card.messages)})
        chain = card.styles["body"].fonts.regular
        italic_face = card.styles["body"].fonts.italic.primary
        for name, paragraphs in fields.items():
            spans = [span for p in paragraphs for span in p]
            text = "".join(span.text for span in spans)
            for cluster in sorted(set(_CLUSTER.findall(text))):
                if cluster.isspace():
                    continue
                if face_for_cluster(cluster, chain)[1]:
                    codes = " ".join(f"U+{ord(c):04X}" for c in cluster)
                    out.append(Notice(f"no font has «{cluster}» ({codes}); it would show as a box",
                                      card.index, name, card.where(name)))
            if any(span.flags & ITALIC for span in spans) and not italic_face.italic:
                out.append(Notice(f"the font {italic_face.family} has no italic: *…* is set upright",
                                  card.index, name, card.where(name)))
    return out


def contrast_notices(laid: LaidOutDeck) -> list[Notice]:
    """Text whose contrast with the background under it is below WCAG AA, per card and field."""
    from cardgen.review.contrast import needs_pixels, solid_sampler, text_contrast

    notices = []
    for card, page in zip(laid.cards, laid.pages, strict=True):
        if needs_pixels(page):
            from functools import partial

            from cardgen.paint.draw import sample_backdrop

            sampler = partial(sample_backdrop, limits=laid.deck.limits)  # the pictures, read as painting reads them
        else:
            sampler = solid_sampler
        for box, color, ratio, required in text_contrast(page, sampler):
            field = box.field.removeprefix("chrome.")
            kind = "large text" if required < 4.5 else "text"
            where = card.where(field if not box.field.startswith("chrome.") else None)
            notices.append(
                Notice(
                    f"{_unless_named(field, where)}{_hex(color)} text has contrast {ratio:.1f}:1 with the background under it; "
                    f"WCAG AA needs {required:g}:1 for {kind}",
                    card.index, field, where,
                )
            )
    return notices


UPSCALE_TOLERANCE = 1.1  # up to 10 % larger than the file is not visible


def image_notices(laid: LaidOutDeck) -> list[Notice]:
    """Pictures shown larger than their pixels (they look soft): per card, field and file."""
    from cardgen.model.page import FillBox, ImageBox, ImageFill
    from cardgen.paint.draw import image_size

    notices = []
    seen: set[tuple[int, str]] = set()
    for card, page in zip(laid.cards, laid.pages, strict=True):
        shown = []
        if isinstance(page.background, ImageFill) and not page.background.blur:  # a blurred one cannot look soft
            shown.append(("background", page.background.path, page.width, page.height, "cover"))
        for box in page.boxes:
            if isinstance(box, ImageBox):
                shown.append((box.field.removeprefix("chrome."), box.path, box.rect.w, box.rect.h, box.fit))
            elif isinstance(box, FillBox) and isinstance(box.paint, ImageFill):
                shown.append(("image", box.paint.path, box.rect.w, box.rect.h, "cover"))
        for field, path, w, h, fit in shown:
            try:
                iw, ih = image_size(path)
            except (OSError, ValueError):
                continue  # an unreadable file is reported when it is painted
            scale = (max if fit == "cover" else min)(w / iw, h / ih)
            # The size that would not look soft: for a picture that covers its box, the box (a
            # picture of another shape is cropped to it, so its own shape says nothing); for one
            # shown whole, the picture scaled.
            need = (round(w), round(h)) if fit == "cover" else (round(iw * scale), round(ih * scale))
            if scale > UPSCALE_TOLERANCE and (card.index, field) not in seen:
                seen.add((card.index, field))
                where = card.where(field if field in ("image", "background", "avatar") else None)
                notices.append(Notice(
                    f"{_unless_named(field, where)}{path.name} is {iw}×{ih} px but is shown {scale:.1f}× larger "
                    f"({round(w)}×{round(h)} px) and will look soft; use a picture at least "
                    f"{need[0]}×{need[1]} px",
                    card.index, field, where,
                ))
    return notices


def _unless_named(field: str, where: Where) -> str:
    """ "field: " unless the location already names the field."""
    return "" if where.field and f".{field.split('.')[0]}" in where.field else f"{field}: "


def _hex(color: tuple[int, int, int, int]) -> str:
    return "#{:02X}{:02X}{:02X}".format(*color[:3])


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
    cardgen wrote there last time (see `export.write_slides`). Neither changes the bytes. `limits`: how big the deck,
    its theme files, its pictures and the canvas may be (see `cardgen.model.limits`).
    """
    from cardgen.base.process import freeze_gc
    from cardgen.output.slides import deck_out_dir, write_slides
    from cardgen.paint.draw import paint_page

    publish = publish or Publish()
    laid, errors = _inspect(deck_path, theme=theme, size=size, root=root, allow_outside=allow_outside,
                            limits=limits, publish=publish)
    if errors or laid is None:
        raise combine(errors)
    out_dir = out_dir if out_dir is not None else deck_out_dir(out_root, deck_path.stem)  # "..yaml": not -o itself
    deck = laid.deck
    the_plan = deck_plan(laid, publish, out_dir.name)
    laid = replace(laid, warnings=laid.warnings + plan_notices(the_plan, deck))
    if strict and laid.warnings:
        raise StrictError(laid.warnings)
    freeze_gc()  # before painting: see its comment
    images = (paint_page(page, limits) for page in laid.pages)
    if the_plan.fmt == "pdf":
        from cardgen.output.formats import pdf_bytes

        slides = write_slides(images, len(laid.pages), out_dir, encode_workers, owned=owned, names=the_plan.names,
                              extras=the_plan.extras, check=size_check(the_plan, publish, deck),
                              pdf=lambda imgs: pdf_bytes(imgs, title=deck.title, scale=publish.scale))
    else:
        encoder = None
        if the_plan.fmt != "png":
            from functools import partial

            from cardgen.output.formats import encode

            encoder = partial(encode, fmt=the_plan.fmt, quality=publish.quality)
        slides = write_slides(images, len(laid.pages), out_dir, encode_workers, owned=owned, names=the_plan.names,
                              encoder=encoder, extras=the_plan.extras, check=size_check(the_plan, publish, deck))
    captions = slides[len(the_plan.names):]  # write_slides returns the slides, then the extras
    return RenderResult(laid.deck.path, out_dir, slides[:len(the_plan.names)], laid, captions)


def check_deck(deck_path: Path, *, theme: str | None = None, size: str | None = None,
               root: Path | None = None, allow_outside: bool = False, publish: Publish | None = None,
               limits: Limits = DEFAULT_LIMITS) -> LaidOutDeck:
    """What `render_deck` would report, without painting or writing a file (`cardgen check`).

    Every structural error and every card that does not fit are raised together; the warnings
    are the render's own: glyphs, italics, deck sizes, contrast, upscaled pictures and the
    platform's limits (`--for` or the deck's `platform:`; file sizes are known only on render).
    """
    publish = publish or Publish()
    laid, errors = _inspect(deck_path, theme=theme, size=size, root=root, allow_outside=allow_outside,
                            limits=limits, publish=publish)
    warnings = laid.warnings if laid is not None else ()
    if laid is not None and len(laid.cards) == len(laid.deck.cards):  # the platform's limits count every card
        try:
            warnings += platform_notices(laid, publish, laid.deck.path.stem)
        except CardgenError as exc:
            errors.append(exc)
    if errors or laid is None:
        raise combine(errors, warnings)
    return replace(laid, warnings=warnings)


def _inspect(deck_path: Path, *, theme: str | None, size: str | None, root: Path | None, allow_outside: bool,
             limits: Limits, publish: Publish) -> tuple[LaidOutDeck | None, list[CardgenError]]:
    """Lay out and look at the pictures: (the cards that laid out, with every warning so far;
    every error of every stage). What render and check share before they part."""
    errors: list[CardgenError] = []
    try:
        laid = _layout(deck_path, errors, theme=theme, size=size, book=None, root=root, allow_outside=allow_outside,
                       input_limits=limits, publish=publish)
    except CardgenError as exc:
        raise combine([*errors, exc]) from None
    if laid is None:
        return None, errors
    notices, broken = picture_notices(laid)
    return replace(laid, warnings=laid.warnings + notices), errors + broken


def picture_notices(laid: LaidOutDeck) -> tuple[tuple[Notice, ...], list[CardgenError]]:
    """(contrast and upscaled-picture warnings, errors of pictures that cannot be read).

    A broken picture stops the contrast check of its card; then every picture of the deck is
    read, each broken one reported where the deck or theme names it, and the other cards are
    still checked. A deck whose pictures are fine pays nothing for this."""
    from cardgen.model.problems import AssetError

    try:
        return tuple(contrast_notices(laid)) + tuple(image_notices(laid)), []
    except AssetError as first:
        from cardgen.paint.pictures import page_pictures, picture_errors

        broken, errors = picture_errors(laid)
        if not errors:
            raise first from None
        keep = [i for i, page in enumerate(laid.pages) if not broken.intersection(page_pictures(page))]
        rest = replace(laid, cards=tuple(laid.cards[i] for i in keep), pages=tuple(laid.pages[i] for i in keep))
        return tuple(contrast_notices(rest)) + tuple(image_notices(rest)), errors


def platform_notices(laid: LaidOutDeck, publish: Publish, stem: str) -> tuple[Notice, ...]:
    return plan_notices(deck_plan(laid, publish, stem), laid.deck)


def deck_plan(laid: LaidOutDeck, publish: Publish, stem: str) -> Plan:
    """What publishing writes for this deck (names, caption files) and the platform's problems."""
    from cardgen.publish.alttext import alt_lines

    deck = laid.deck
    return plan(publish, deck_platform=deck.platform, stem=stem, total=len(laid.pages),
                width=laid.pages[0].width, height=laid.pages[0].height, caption=deck.caption, lang=deck.lang,
                ad=deck.ad.spec() if deck.ad else None, alt=alt_lines(laid.cards, deck.title))


def plan_notices(the_plan: Plan, deck: Deck) -> tuple[Notice, ...]:
    """The platform's limits: errors raised, warnings returned; each located in the deck."""
    raise_errors(the_plan.problems, deck, the_plan.platform)
    return tuple(Notice(p.message, where=problem_where(p, deck, the_plan.platform))
                 for p in the_plan.problems if p.level != "error")


def deck_scale(laid: LaidOutDeck) -> dict[str, list[float]]:
    """The type scale the deck uses: each text role's sizes, smallest first."""
    sizes: dict[str, set[float]] = {}
    for cf in laid.fits:
        for role, size in cf.sizes.items():
            sizes.setdefault(role, set()).add(round(size, 2))
    return {role: sorted(values) for role, values in sorted(sizes.items())}


def layout_report(result: RenderResult) -> dict[str, Any]:
    """The report of --report: every slide's text blocks with their sizes, boxes and lines as set,
    and how the slide is composed (the share of its content area the content spans, the largest
    empty band, its step on the type scale)."""
    from cardgen.layout.composition import empty_band, fill_share, photo_light
    from cardgen.layout.layouts import content_area

    laid = result.laid
    slides = []
    for path, card, page, cf in zip(result.slides, laid.cards, laid.pages, laid.fits, strict=True):
        blocks = [
            {"field": box.field, "role": box.role, "size": round(box.size, 2),
             "box": [round(box.rect.x, 1), round(box.rect.y, 1), round(box.rect.w, 1), round(box.rect.h, 1)],
             "lines": [ln.text for ln in box.lines]}
            for box in page.text_boxes()
            if not box.field.startswith("chrome.")
        ]
        slide: dict[str, Any] = {
            "file": str(path),
            "card": card.index,
            "layout": card.layout,
            "kind": cf.flow.kind or "text",
            "step": cf.step,
            "fill": round(fill_share(page, content_area(card)), 3),
            "empty_band": round(empty_band(page), 3),
            "blocks": blocks,
            "warnings": [n.message for n in laid.warnings if n.card == card.index],
        }
        light = photo_light(page)
        if light is not None:
            slide["photo_light"] = round(light, 3)
        slides.append(slide)
    return {
        "deck": str(result.deck),
        "out": str(result.out_dir),
        "canvas": [laid.pages[0].width, laid.pages[0].height],
        "sizes": deck_scale(laid),
        "slides": slides,
        "warnings": [str(n) for n in laid.warnings if n.card is None],
    }
