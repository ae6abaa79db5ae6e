"""A deck as resolved and laid out → the warnings its author should see: things that render, but
not as meant (errors with --strict). Each is a `Problem` at its card and field.

- `glyph_warnings`: characters no font of the chain has, italics a family lacks (cards);
- `fit_warnings`: what fitting did that shows (type set visibly smaller, or under the floor);
- `coverage_warnings`: characters a theme's own font lacks, set in cardgen's fonts instead;
- `picture_warnings`: contrast (`review.contrast`) and pictures shown larger than their pixels,
  with the errors of pictures that cannot be read (`review.pictures`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path


from cardgen.base.pattern_code import regex_compile
from cardgen.layout.laid import LaidOutDeck
from cardgen.layout.scale import POSTERS, CardFit, sizes_at, text_styles
from cardgen.load.deck import SIZES
from cardgen.load.fonts import font_source, is_registered, load_face
from cardgen.model.page import ImageBox, Page, QRBox
from cardgen.model.problems import AssetError, CardgenError, Problem, px
from cardgen.paint.pictures import image_size
from cardgen.resolve.cards import CardSpec
from cardgen.review.contrast import contrast_warnings, unless_named
from cardgen.review.pictures import picture_errors
from cardgen.text.markup import ITALIC
from cardgen.text.shaping import face_for_cluster

_CLUSTER = regex_compile(r"\X")
SHRUNK_NOTICE = 0.9  # a card set below this share of its reading sizes is reported
FIGURES = frozenset({"stat", "number"})  # set as large as the card allows: smaller is no news
WORD_NOTICE = 0.8  # a word with nowhere to break that sets its role below this share is reported
UPSCALE_TOLERANCE = 1.1  # up to 10 % larger than the file is not visible


# C0 and C1 controls but the tab and line breaks: no glyph, no width
_CONTROLS = frozenset(chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n\r")


# Scripts whose letters join and run right to left (Arabic, Syriac, N'Ko…): cardgen lays text out
# left to right and draws each cluster on its own
_JOINED = regex_compile(r"[\p{Arabic}\p{Syriac}\p{Nko}\p{Thaana}\p{Mandaic}\p{Adlam}\p{Hanifi_Rohingya}]+")


def glyph_warnings(cards: Sequence[CardSpec]) -> list[Problem]:
    """Characters no font in the chain has, and italics a family does not have: per card and field."""
    out: list[Problem] = []
    for card in cards:
        fields = dict(card.texts)
        fields.update({f"items[{i}]": item for i, item in enumerate(card.items)})
        fields.update({f"messages[{i}]": message.text for i, message in enumerate(card.messages)})
        chain = card.styles["body"].fonts.regular
        italic_face = card.styles["body"].fonts.italic.primary
        for name, paragraphs in fields.items():
            spans = [span for p in paragraphs for span in p]
            text = "".join(span.text for span in spans)
            controls = sorted({c for c in text if c in _CONTROLS})
            if controls:  # written as escapes ("\u0007"): a font draws nothing for them, so say so
                codes = ", ".join(f"U+{ord(c):04X}" for c in controls)
                out.append(
                    Problem.at(
                        card.where(name), f"control characters ({codes}) are not drawn; remove them", card=card.index
                    )
                )
            joined = _JOINED.search(text)
            if joined:  # set glyph by glyph, left to right: Arabic letters come out unjoined and reversed
                out.append(
                    Problem.at(
                        card.where(name),
                        f"right-to-left joined scripts are not supported: «{joined.group()[:20]}» would show as "
                        "separate, unjoined letters, its words set left to right",
                        card=card.index,
                    )
                )
            for cluster in sorted(set(_CLUSTER.findall(text))):
                if cluster.isspace() or all(c in _CONTROLS for c in cluster):
                    continue
                if face_for_cluster(cluster, chain)[1]:
                    codes = " ".join(f"U+{ord(c):04X}" for c in cluster)
                    out.append(
                        Problem.at(
                            card.where(name),
                            f"no font has «{cluster}» ({codes}); it would show as a box",
                            card=card.index,
                        )
                    )
            if any(span.flags & ITALIC for span in spans) and not italic_face.italic:
                out.append(
                    Problem.at(
                        card.where(name),
                        f"the font {italic_face.family} has no italic: *…* is set upright",
                        card=card.index,
                    )
                )
    return out


# Layouts that are one slide of their kind (a cover, a stat, a quote, the closing card): two of
# them is no remedy, so their fit warnings never advise splitting the card.
SINGLE_SLIDE = frozenset({"cover", "stat", "quote", "cta"})
# A poster (POSTERS, or a statement) is sized card by card: a long quote set smaller than a short
# one is the design working. It is reported only when set below this share of its reading sizes…
POSTER_NOTICE = 0.8
# … on a canvas of the default shape (portrait 1080×1350), for which themes draw their reading
# sizes. Type is set by the short side, so a lower canvas (square, telegram 1280×1280, a wide
# one) holds less of a poster at those sizes and the share is lowered with its height: a cover
# title set 27 % smaller on a square card is what that card allows, not something to fix.
DESIGN_SHAPE = SIZES["portrait"][1] / SIZES["portrait"][0]


def canvas_share(card: CardSpec) -> float:
    """The height a card's canvas offers, for type set by its short side, as a share of the
    default canvas's (1 for portrait and taller, 0.8 for square and wide canvases)."""
    return min(1.0, card.height / min(card.width, card.height) / DESIGN_SHAPE)


def _is_poster(card: CardSpec, cf: CardFit) -> bool:
    return card.layout in POSTERS or cf.flow.kind == "statement"


def _sizes_shown(roles: Sequence[str], sizes: Mapping[str, float], other: Mapping[str, float], label: str) -> str:
    """`body 34 px (not 46)`: each role as set, with the size it is compared with."""
    return ", ".join(f"{r} {px(sizes[r])} px ({label} {px(other[r])})" for r in sorted(roles))


def _reference(card: CardSpec, cf: CardFit, cards: Sequence[CardSpec], fits: Sequence[CardFit]) -> tuple[str, float]:
    """What a shrunk card is compared with, and its size factor: the deck's other cards of its
    layout when they are all set at one factor larger than this card's (the jump a reader sees on
    the swipe), else the theme's reading sizes (always for a poster: each is sized on its own)."""
    if not _is_poster(card, cf):
        others = {
            round(o.factor, 4)
            for c, o in zip(cards, fits, strict=True)
            if c is not card and c.layout == card.layout and o.flow.kind == cf.flow.kind
        }
        if len(others) == 1 and (factor := others.pop()) > cf.factor + 0.005:
            return f"this deck's other {card.layout} cards", factor
    return "the theme's reading sizes", 1.0


def fit_warnings(cards: Sequence[CardSpec], fits: Sequence[CardFit], overflow: str = "shrink") -> list[Problem]:
    """What fitting did that the author should know: a card set visibly smaller than its reading
    sizes (or than the deck's other cards of its layout) to fit, or under the legible floor
    (overflow: shrink, or a card overflow: split could not continue on a new one)."""
    out: list[Problem] = []
    for card, cf in zip(cards, fits, strict=True):
        styles = text_styles(cf.flow)
        reading = {r: st.size for r, st in styles.items()}
        smaller = [r for r, st in styles.items() if cf.sizes.get(r, st.size) < st.size - 0.01]
        if not smaller:
            continue
        sizes = {r: cf.sizes.get(r, st.size) for r, st in styles.items()}
        shown = _sizes_shown(smaller, sizes, reading, "not")
        one = card.layout in SINGLE_SLIDE
        # the roles really set under their floors: past-floor fitting can leave them all above
        below = [r for r in smaller if sizes[r] < styles[r].min_size - 0.01]
        if cf.below_floor and below:
            floors = {r: styles[r].min_size for r in below}
            message = (
                f"the text fits only below the smallest legible sizes: {_sizes_shown(below, sizes, floors, 'floor')}"
            )
            if overflow == "split":  # a layout that does not continue, or no place to continue it at
                hint = "it could not continue on a new card: shorten it" + (
                    "" if one else ", or split it into two cards yourself"
                )
            else:
                hint = "shorten it" + ("" if one else " or split the card") + " (overflow: shrink allowed this)"
        elif cf.caps and any(sizes[r] < styles[r].min_size - 0.01 for r in cf.caps):
            message = (
                f"a word too long for the card and with no place to hyphenate sets {', '.join(sorted(cf.caps))} "
                f"below the smallest legible size: {shown}"
            )
            hint = "shorten the word or add a space"
        elif (
            cf.caps
            and not cf.nudged
            and min((sizes[r] / styles[r].size for r in cf.caps if r not in FIGURES), default=1) < WORD_NOTICE
        ):
            message = (
                f"a word too long for the card and with no place to hyphenate sets {', '.join(sorted(cf.caps))} "
                f"smaller: {shown}"
            )
            hint = "shorten the word or add a space"
        elif cf.step < 0 and not cf.shortened:
            poster = _is_poster(card, cf)
            share = canvas_share(card)
            if cf.factor >= (POSTER_NOTICE * share if poster else SHRUNK_NOTICE):
                continue
            than, factor = _reference(card, cf, cards, fits)
            compared = sizes_at(styles, factor) if factor != 1.0 else reading
            portrait = "×".join(map(str, SIZES["portrait"]))
            low = (
                f" (the {card.width}×{card.height} canvas is lower than the portrait {portrait} the sizes are "
                "drawn for)"
                if poster and share < 1
                else ""
            )
            roles = [r for r in smaller if sizes[r] < compared[r] - 0.01]
            # each role by its own share: one held at its floor or max_size is less smaller than the rest
            shares = sorted({round(100 * (1 - sizes[r] / compared[r])) for r in roles})
            percent = f"{shares[0]}%" if len(shares) == 1 else f"{shares[0]}–{shares[-1]}%"
            message = (
                f"the text is set {percent} smaller than {than} to fit{low}: "
                f"{_sizes_shown(roles, sizes, compared, 'not')}"
            )
            hint = "shorten it" if one else "shorten it, or split the card in two"
        else:
            continue
        out.append(Problem.at(card.where(), message, card=card.index, hint=hint))
    return out


def empty_card_warnings(cards: Sequence[CardSpec], pages: Sequence[Page]) -> list[Problem]:
    """A card that shows nothing of its own (no text, picture or code: only the counter and
    footer), such as `- {}` or a cover with no fields: it would be a blank slide in the album."""
    out: list[Problem] = []
    for card, page in zip(cards, pages, strict=True):
        texts = any(not b.field.startswith("chrome.") and b.lines for b in page.text_boxes())
        pictures = any(isinstance(b, (ImageBox, QRBox)) and not b.field.startswith("chrome.") for b in page.boxes)
        photos = any(s.field != "background" and not s.field.startswith("chrome.") for s in page.pictures())
        if not (texts or pictures or photos):
            message = f"the {card.layout} card shows nothing but the counter and footer: a blank slide"
            out.append(Problem.at(card.where(), message, card=card.index, hint="give it a title or text, or remove it"))
    return out


def coverage_warnings(cards: Sequence[CardSpec], pages: Sequence[Page]) -> list[Problem]:
    """A theme's own font that lacks a character the deck uses: one warning per card, field and
    font, naming the font, the characters and what sets them instead. Read from the laid-out
    glyphs, so only text that is really shown counts (emoji are left to the emoji font)."""
    out: list[Problem] = []
    for card, page in zip(cards, pages, strict=True):
        for box in page.text_boxes():
            style = card.styles.get(box.role)
            if style is None:
                continue
            chains = (style.fonts.regular, style.fonts.bold, style.fonts.italic, style.fonts.bold_italic)
            own = {chain.primary.path for chain in chains}
            brand = [chain.primary.path for chain in chains if is_registered(chain.primary.path)]
            if not brand:
                continue
            missing: dict[Path, set[str]] = {}
            stand_ins: set[str] = set()
            for line in box.lines:
                for glyph in line.glyphs:
                    if not glyph.text or glyph.text.isspace() or glyph.font in own:
                        continue
                    face = load_face(glyph.font)
                    if face.is_color:
                        continue
                    missing.setdefault(brand[0], set()).add(glyph.text)
                    stand_ins.add(face.family)
            field = box.field.removeprefix("chrome.")
            chrome = box.field.startswith("chrome.")
            where = card.where(None if chrome else field)
            for path, chars in missing.items():
                face = load_face(path)
                shown = sorted(chars)
                listed = ", ".join(f"«{c}»" for c in shown[:8]) + (
                    f" and {len(shown) - 8} more" if len(shown) > 8 else ""
                )
                codes = ", ".join(" ".join(f"U+{ord(ch):04X}" for ch in c) for c in shown[:8])
                out.append(
                    Problem.at(
                        where,
                        f"{field + ': ' if chrome else ''}the font {face.family} ({font_source(path).name}) has no "
                        f"{listed} ({codes}); set in {', '.join(sorted(stand_ins))} from cardgen's fonts instead",
                        card=card.index,
                    )
                )
    return out


def image_warnings(laid: LaidOutDeck) -> list[Problem]:
    """Pictures shown larger than their pixels (they look soft): per card, field and file."""
    out = []
    seen: set[tuple[int, str]] = set()
    for card, page in zip(laid.cards, laid.pages, strict=True):
        for picture in page.pictures():
            if picture.blur:  # a blurred picture cannot look soft
                continue
            field, w, h = picture.field.removeprefix("chrome."), picture.width, picture.height
            try:
                iw, ih = image_size(picture.path)
            except (OSError, ValueError):
                continue  # an unreadable file is reported when it is painted
            scale = (max if picture.fit == "cover" else min)(w / iw, h / ih)
            # The size that would not look soft: for a picture that covers its box, the box (a
            # picture of another shape is cropped to it, so its own shape says nothing); for one
            # shown whole, the picture scaled.
            need = (round(w), round(h)) if picture.fit == "cover" else (round(iw * scale), round(ih * scale))
            if scale > UPSCALE_TOLERANCE and (card.index, field) not in seen:
                seen.add((card.index, field))
                where = card.where(field if field in ("image", "background", "avatar") else None)
                out.append(
                    Problem.at(
                        where,
                        f"{unless_named(field, where)}{picture.path.name} is {iw}×{ih} px but is shown "
                        f"{scale:.1f}× larger ({round(w)}×{round(h)} px) and will look soft",
                        card=card.index,
                        hint=f"use a picture at least {need[0]}×{need[1]} px",
                    )
                )
    return out


def picture_warnings(laid: LaidOutDeck) -> tuple[list[Problem], list[CardgenError]]:
    """(contrast and upscaled-picture warnings, errors of pictures that cannot be read).

    A broken picture stops the contrast check of its card; then every picture of the deck is
    read, each broken one reported where the deck or theme names it, and the other cards are
    still checked. A deck whose pictures are fine pays nothing for this."""
    try:
        return contrast_warnings(laid) + image_warnings(laid), []
    except AssetError as first:
        broken, errors = picture_errors(laid)
        if not errors:
            raise first from None
        keep = [i for i, page in enumerate(laid.pages) if not broken.intersection(p.path for p in page.pictures())]
        rest = replace(laid, cards=tuple(laid.cards[i] for i in keep), pages=tuple(laid.pages[i] for i in keep))
        return contrast_warnings(rest) + image_warnings(rest), errors
