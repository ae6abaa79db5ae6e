"""The deck key `ad:` → `AdSpec`; an `AdSpec` → the marking line for the cards and the caption (pure).

Russian law (38-ФЗ «О рекламе», ст. 18.1, in force since 1 September 2022) requires an ad
distributed on the internet to carry the label «Реклама», to name the advertiser (or its site),
and to carry the ad's identifier, the erid token issued through an ОРД (an operator of
advertising data). The advertiser's ИНН is not required by the text of the law, but ОРДs and
the FAS's explanations recommend it, so it is shown when given.

```yaml
ad:
  advertiser: ООО «Ромашка»     # required: as registered with the ОРД
  erid: 2VtzqwXYZ               # required: the token from the ОРД
  inn: "7707083893"             # optional: 10 digits (a company) or 12 (a person, ИП); checked
  show: all                     # optional: all | first | last | first-last (default: the theme's)
```

→ «Реклама. ООО «Ромашка». ИНН 7707083893. erid: 2VtzqwXYZ»

**Which cards show it.** The theme chooses (`ad: {show: …}` in a theme file; `all` in every
built-in theme), and a deck's `ad.show` overrides it. `all`: every card carries the full line,
small, where the theme puts it. A VK or Telegram album is not one picture: each photo opens, saves and forwards on its
own, and a forwarded slide without the label is an unmarked ad. The line is short, so the cost
is a footnote per card. `first` (the cover only), `last` (the closing card) and `first-last` are
there for teams whose ОРД or lawyer accepts them; the caption always carries the line too, and every album of a split
deck is its own post, so each album's caption does. For the same reason a deck split into albums
(`--for telegram` with more than ten cards) applies `first`, `last` and `first-last` to each
album: 23 cards with `first` mark slides 01, 11 and 21, the first of each post. This is not
legal advice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from cardgen.text.typograph import typograph

Show = Literal["all", "first", "last", "first-last"]
SHOW_VALUES: tuple[str, ...] = ("all", "first", "last", "first-last")
KEYS = ("advertiser", "erid", "inn", "show")
LABEL = "Реклама"  # the law names the Russian word: an English deck shows it too
_ERID = re.compile(r"^[A-Za-z0-9]{4,100}$")
_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


class AdError(ValueError):
    """A wrong `ad:` value; `field` is the key under `ad:` (for a located deck error)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class AdSpec:
    advertiser: str
    erid: str
    inn: str | None = None
    show: Show = "all"


def parse_ad(value: Any) -> AdSpec:
    """The deck's `ad:` mapping → `AdSpec`; AdError names the key, what is allowed and what was found."""
    if not isinstance(value, Mapping):
        raise AdError(
            "ad", f"expected a mapping with advertiser: and erid:, found {type(value).__name__}"
        )
    unknown = [k for k in value if k not in KEYS]
    if unknown:
        raise AdError(
            str(unknown[0]), f'unknown key "{unknown[0]}" under ad:; known keys: {", ".join(KEYS)}'
        )
    advertiser = _text(value, "advertiser", required=True)
    erid = check_erid(_text(value, "erid", required=True) or "")
    inn = _text(value, "inn", required=False)
    show = value.get("show", "all")
    if show not in SHOW_VALUES:
        raise AdError("show", f'unknown value "{show}"; expected one of {", ".join(SHOW_VALUES)}')
    return AdSpec(advertiser or "", erid, check_inn(inn) if inn else None, show)


def check_erid(erid: str) -> str:
    """An erid token, trimmed; it is letters and digits, as ОРДs issue it (2VtzqwXYZ, LjN8KDfdP…)."""
    token = erid.strip()
    if token.lower().startswith("erid"):
        token = token[4:].lstrip(":= ").strip()  # pasted as "erid: 2Vtz…" or "erid=2Vtz…"
    if not _ERID.match(token):
        raise AdError(
            "erid",
            f"expected the token your ОРД issued, Latin letters and digits such as "
            f'"2VtzqwXYZ"; found "{erid}"',
        )
    return token


def check_inn(inn: str | int) -> str:
    """An ИНН with its check digits verified: 10 digits for a company, 12 for a person or ИП."""
    digits = re.sub(r"[\s\u00a0-]", "", str(inn))
    if not digits.isdigit() or len(digits) not in (10, 12):
        raise AdError("inn", f'expected 10 digits (a company) or 12 (a person, ИП); found "{inn}"')
    d = [int(c) for c in digits]

    def control(weights: tuple[int, ...]) -> int:
        return sum(w * x for w, x in zip(weights, d, strict=False)) % 11 % 10

    ok = (
        control(_INN10) == d[9]
        if len(d) == 10
        else control(_INN11) == d[10] and control(_INN12) == d[11]
    )
    if not ok:
        raise AdError(
            "inn", f'the ИНН "{inn}" fails its check digits: a digit is probably mistyped'
        )
    return digits


def marking_text(ad: AdSpec, lang: str = "ru") -> str:
    """«Реклама. ООО «Ромашка». ИНН 7707083893. erid: 2VtzqwXYZ», typographed (quotes, no-break spaces).

    The line is Russian in a deck of any `lang`: the law names the word «Реклама», and the
    advertiser's name is typographed by Russian rules; `lang` is accepted so callers pass it alike.
    """
    parts = [LABEL, typograph(ad.advertiser.strip(), "ru")]
    if ad.inn:
        parts.append(f"ИНН\u00a0{ad.inn}")
    body = " ".join(
        p if p.endswith(".") else f"{p}." for p in parts
    )  # «ИП Иванов И. И.» has its own
    return f"{body} erid:\u00a0{ad.erid}"


def ad_cards(total: int, show: Show = "all", posts: Sequence[range] | None = None) -> tuple[int, ...]:
    """1-based numbers of the cards that carry the marking (see the module doc for the default).

    `posts`: the albums of a split deck (0-based card ranges, `cardgen.publish.albums.split_albums`);
    `first`, `last` and `first-last` then apply to each album, since each is its own post.
    """
    if total <= 0:
        return ()
    if posts and len(posts) > 1:
        return tuple(album.start + n for album in posts for n in ad_cards(len(album), show))
    if show == "first":
        return (1,)
    if show == "last":
        return (total,)
    if show == "first-last":
        return (1, total) if total > 1 else (1,)
    return tuple(range(1, total + 1))


def card_marking(
    ad: AdSpec | None, card: int, total: int, lang: str = "ru", posts: Sequence[range] | None = None
) -> str | None:
    """The line card `card` (1-based) of `total` shows, or None: what a layout asks for."""
    if ad is None or card not in ad_cards(total, ad.show, posts):
        return None
    return marking_text(ad, lang)


def _text(value: Mapping[str, Any], key: str, *, required: bool) -> str | None:
    raw = value.get(key)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise AdError(
                key,
                f"ad.{key} is required: "
                + (
                    "the advertiser's name as registered with the ОРД"
                    if key == "advertiser"
                    else "the erid token from the ОРД"
                ),
            )
        return None
    if not isinstance(raw, (str, int)) or isinstance(raw, bool):
        raise AdError(key, f"expected text, found {type(raw).__name__}")
    return str(raw).strip()
