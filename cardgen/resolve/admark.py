"""The deck's `ad:` → `AdSpec`; an `AdSpec` → the marking line for the cards and the caption (pure).

(The values of `ad:` are checked where the deck is loaded: `load.deck.check_erid`, `check_inn`.)

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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from cardgen.load.deck import Ad

from cardgen.text.typograph import typograph

Show = Literal["all", "first", "last", "first-last"]
LABEL = "Реклама"  # the law names the Russian word: an English deck shows it too


@dataclass(frozen=True, slots=True)
class AdSpec:
    advertiser: str
    erid: str
    inn: str | None = None
    show: Show = "all"


def ad_spec(ad: Ad, show: str = "all") -> AdSpec:
    """The deck's `ad:` → `AdSpec`; `show` is the theme's choice, used when the deck names none."""
    return AdSpec(ad.advertiser, ad.erid, ad.inn, ad.show or show)  # type: ignore[arg-type]


def marking_text(ad: AdSpec, lang: str = "ru") -> str:
    """«Реклама. ООО «Ромашка». ИНН 7707083893. erid: 2VtzqwXYZ», typographed (quotes, no-break spaces).

    The line is Russian in a deck of any `lang`: the law names the word «Реклама», and the
    advertiser's name is typographed by Russian rules; `lang` is accepted so callers pass it alike.
    """
    parts = [LABEL, typograph(ad.advertiser.strip(), "ru")]
    if ad.inn:
        parts.append(f"ИНН\u00a0{ad.inn}")
    body = " ".join(p if p.endswith(".") else f"{p}." for p in parts)  # «ИП Иванов И. И.» has its own
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
