"""A card too full for its smallest sizes → the same card continued on new ones (`overflow: split`).

Deck + the cards that did not fit → a new deck, with each such card split into parts of the
same layout, and where each card comes from (`Origin`) so errors still point at the card the user
wrote, a continued step keeps its number and a continued numbered list goes on counting.

- Text (`text`, `step`, `link`, `cta`, untitled `text`): parts break between paragraphs, or
  between sentences when one paragraph is too long; the parts are as even as the text allows
  and each fits at the card's reading size where it can (else at its floor). A url, QR code
  or picture goes with the last part, where the text leads to it.
- Lists: items are shared out evenly by their lines (the larger share first), at least two a card (never 2 + 1).
- The cards after the first carry the title with «(продолжение)» / "(continued)".
- Cover, quote, stat, compare and image cards are not split: an overflow there is an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from cardgen.layout.layouts import card_flow
from cardgen.load.deck import CardFields, Deck
from cardgen.model.limits import Limits
from cardgen.model.problems import Problem, px
from cardgen.text.markup import parse_markup, plain_text
from cardgen.resolve.cards import CardSpec, Origin, merge_fields, set_text
from cardgen.layout.scale import CardFit, fit_card

SPLITTABLE_TEXT = frozenset({"text", "step", "link", "cta"})
CONTINUED = {"ru": " (продолжение)", "en": " (continued)"}
CONTINUED_TITLE_CHARS = 24  # a longer title is cut to its first words on the cards that continue it
ITEM_LINE_CHARS = 36  # about what a list item's line holds at the reading size: to weigh items by their lines
MAX_PARTS = 8  # a card continued on more cards than this is an error: the author should cut it
_PARAGRAPHS = re.compile(r"\n[ \t]*\n+")
_SENTENCE = re.compile(r"(?<=[.!?…])[ \t]+(?=[«\"„(\[A-ZА-ЯЁ0-9*=])")


def split_deck(
    deck: Deck, cards: Sequence[CardSpec], fits: Sequence[CardFit], limits: Limits
) -> tuple[Deck, tuple[Origin, ...], list[Problem]] | None:
    """The deck with every card that did not fit split where it can be, where each card comes
    from, and a warning for each card split (None: none could be)."""
    by_index = {card.index - 1: (card, fit) for card, fit in zip(cards, fits, strict=True)}
    new_cards: list[CardFields] = []
    origins: list[Origin] = []
    notices: list[Problem] = []
    for i, written in enumerate(deck.cards):
        card, fit = by_index.get(i, (None, None))
        parts = None
        if card is not None and fit is not None and not fit.fits:
            parts = _split(deck, written, card, lambda spec: fit_card(card_flow(spec), deck.overflow))
        if not parts:
            new_cards.append(written)
            origins.append(Origin(i))
            continue
        assert card is not None and fit is not None  # parts are made only for a card that laid out
        start = 1
        for k, part in enumerate(parts):
            new_cards.append(part)
            origins.append(Origin(i, k, start))
            start += len(part.items or ())
        sizes = ", ".join(f"{r} {px(s)} px" for r, s in sorted(fit.sizes.items()))
        notices.append(
            Problem.at(
                card.where(),
                f"the text does not fit at the smallest sizes ({sizes}): it continues on "
                f"{_cards(len(parts) - 1, deck.lang)} of the same layout (overflow: split)",
                card=card.index,
                hint="shorten it, split it yourself, or set overflow: shrink or error",
            )
        )
    if not notices or len(new_cards) > limits.cards:
        return None
    return deck.copy(cards=new_cards), tuple(origins), notices


def _cards(n: int, lang: str) -> str:
    return f"{n} more card" + ("s" if n != 1 else "")


def _split(
    deck: Deck, written: CardFields, card: CardSpec, fit: Callable[[CardSpec], CardFit]
) -> list[CardFields] | None:
    merged = merge_fields(deck.defaults, written)
    layout = merged.layout or "text"
    suffix = CONTINUED.get(deck.lang, CONTINUED["en"])
    if layout == "list" and merged.items and len(merged.items) >= 4:
        groups = _share(merged.items, lambda items, last: _fits(card, fit, items=items), least=2)
        if groups is None:
            return None
        return [_part(written, merged, k, len(groups), suffix, items=g) for k, g in enumerate(groups)]
    if layout in SPLITTABLE_TEXT and merged.text:
        units = _units(merged.text)
        if len(units) < 2:
            return None
        groups = _share(units, lambda u, last: _fits(card, fit, text=_join(u), last=last), least=1)
        if groups is None:
            return None
        return [_part(written, merged, k, len(groups), suffix, text=_join(g)) for k, g in enumerate(groups)]
    return None


def _units(text: str) -> list[tuple[str, str]]:
    """The text's paragraphs, each a unit; a paragraph too long to move whole splits into its
    sentences. (unit, separator before it)."""
    out: list[tuple[str, str]] = []
    for p, paragraph in enumerate(_PARAGRAPHS.split(text.strip())):
        for s, sentence in enumerate(_SENTENCE.split(paragraph.strip())):
            out.append((sentence, "\n\n" if p and not s else " " if s else ""))
    return out


def _join(units: Sequence[tuple[str, str]]) -> str:
    return "".join((sep if i else "") + unit for i, (unit, sep) in enumerate(units))


def _fits(
    card: CardSpec,
    fit: Callable[[CardSpec], CardFit],
    *,
    text: str | None = None,
    items: Sequence[str] | None = None,
    last: bool = False,
) -> int:
    """2: the part fits at the card's reading size; 1: only shrunk to its floors; 0: not at all."""
    spec = card
    if text is not None:
        spec = replace(spec, texts={**spec.texts, "text": set_text(text, card.lang)})
        if not last:
            spec = replace(spec, url=None, link=None, image=None, qr=False)
    if items is not None:
        spec = replace(spec, items=tuple(set_text(item, card.lang) for item in items))
    result = fit(spec)
    return 0 if not result.fits else 2 if result.step >= 0 else 1


def _share(units: Sequence, fits: Callable[[Sequence, bool], int], least: int) -> list[list] | None:
    """The units in as few even groups as fit (at the reading size if they can, else at the
    floors), each of at least `least` units; None when there is no such split."""
    n = len(units)
    for need in (2, 1):
        for parts in range(2, min(MAX_PARTS, n // least) + 1):
            groups = _even(list(units), parts)
            if all(len(g) >= least for g in groups) and all(
                fits(g, k + 1 == len(groups)) >= need for k, g in enumerate(groups)
            ):
                return groups
    return None


def _even(units: list, parts: int) -> list[list]:
    """`units` in `parts` consecutive groups, as equal in length as can be (longer groups first)."""
    # Text units weigh their characters; a list item its lines (about ITEM_LINE_CHARS a line) and
    # its gap: seven items of two lines each are 4 + 3, not 3 + 4 because the last is shorter.
    weights = [len(u[0]) if isinstance(u, tuple) else 2 + 2 * (len(str(u)) // ITEM_LINE_CHARS) for u in units]
    total = sum(weights)
    groups: list[list] = []
    start = 0
    for k in range(parts):
        left = parts - k
        if left == 1:
            groups.append(units[start:])
            break
        target = sum(weights[start:]) / left
        end, acc = start, 0
        # take units until the group reaches its share, leaving at least one unit per later group
        while end < len(units) - (left - 1) and (acc + weights[end] / 2 <= target or end == start):
            acc += weights[end]
            end += 1
        groups.append(units[start:end])
        start = end
    return groups if total else [units]


def continued_title(title: str, suffix: str) -> str:
    """The title of a continuation card: the title and «(продолжение)», or for a long title its
    first words and «…» (plain text: a cut may not split a **bold** or ==accent== pair), so the
    continued card is marked, not given a three-line heading again."""
    if len(title) <= CONTINUED_TITLE_CHARS:
        return title + suffix
    plain = plain_text(parse_markup(title)).replace("\n", " ")
    kept: list[str] = []
    for word in plain.split():
        if kept and len(" ".join([*kept, word])) > CONTINUED_TITLE_CHARS:
            break
        kept.append(word)
    # end at a phrase: the last comma or dash kept, and never on a short word (а, не, для…)
    phrase = max((i for i, word in enumerate(kept[:-1]) if word[-1] in ",:;"), default=None)
    if phrase is not None:
        kept = kept[: phrase + 1]
    while len(kept) > 1 and (len(kept[-1].strip(",:;—–-")) <= 3 or kept[-1] in ("—", "–", "-")):
        kept.pop()
    return " ".join(kept).rstrip(" ,.:;!?—–-") + "…" + suffix


def _part(
    written: CardFields,
    merged: CardFields,
    k: int,
    total: int,
    suffix: str,
    *,
    text: str | None = None,
    items: Sequence[str] | None = None,
) -> CardFields:
    """The k-th of `total` parts of a card: its share of the text or items; the title continued
    after the first; a url, QR code and picture only on the last."""
    update: dict = {}
    if text is not None:
        update["text"] = text
    if items is not None:
        update["items"] = list(items)
    if k and merged.title:
        update["title"] = continued_title(merged.title, suffix)
    if k + 1 < total:
        update |= {name: None for name in ("url", "qr", "image") if getattr(merged, name) is not None}
    return written.copy(**update)
