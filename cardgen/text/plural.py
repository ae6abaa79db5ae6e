"""A count and a noun → a correctly inflected label: «7 шагов», «3 шага», «1 шаг», "1 step" (pure).

Generated text (counters, album captions, the importer's closing card) must agree in number with
the figure it shows. Russian has three plural forms chosen by the last one or two digits:

| form  | when                                              | examples                   |
|-------|---------------------------------------------------|----------------------------|
| one   | ends in 1, but not in 11                          | 1, 21, 101, 1001 шаг       |
| few   | ends in 2, 3, 4, but not in 12, 13, 14            | 2, 3, 22, 104 шага         |
| many  | everything else: 0, 5–20, 11–14, 25, 111, 1000…   | 0, 5, 11, 14, 111 шагов    |

A fraction (1,5) takes the "few" form (genitive singular): «1,5 шага». English has "one" for
exactly 1 and "many" otherwise ("0 steps", "1 step", "2 steps").

A figure and its noun never part at a line end, so labels join them with a no-break space
(U+00A0), as the typograph does for units. Numbers of five digits and more are grouped in
thousands, like the typograph does in running text: «10 000 шагов», "10,000 steps".
"""

from __future__ import annotations

from typing import Literal

NBSP = "\u00a0"
Lang = Literal["ru", "en"]
Form = Literal["one", "few", "many"]

# (one, few, many) in Russian, and (one, many) in English. Nouns are in the nominative case, so
# «7 шагов», «ещё 5 карточек» read right; an inflected context would need other columns.
WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "шаг": {"ru": ("шаг", "шага", "шагов"), "en": ("step", "steps")},
    "карточка": {"ru": ("карточка", "карточки", "карточек"), "en": ("card", "cards")},
    "слайд": {"ru": ("слайд", "слайда", "слайдов"), "en": ("slide", "slides")},
    "пост": {"ru": ("пост", "поста", "постов"), "en": ("post", "posts")},
    "альбом": {"ru": ("альбом", "альбома", "альбомов"), "en": ("album", "albums")},
    "символ": {"ru": ("символ", "символа", "символов"), "en": ("character", "characters")},
    "фото": {"ru": ("фото", "фото", "фото"), "en": ("photo", "photos")},  # indeclinable in Russian
}
# English keys are accepted too, so callers can write count_label(3, "step", "en").
ALIASES: dict[str, str] = {forms["en"][0]: key for key, forms in WORDS.items()}


def plural_form(n: float, lang: str = "ru") -> Form:
    """Which form a count takes: "one", "few" or "many" ("few" never occurs in English)."""
    lang = _lang(lang)
    if isinstance(n, float) and not n.is_integer():
        return "few" if lang == "ru" else "many"
    whole = abs(int(n))
    if lang == "en":
        return "one" if whole == 1 else "many"
    last, last_two = whole % 10, whole % 100
    if last == 1 and last_two != 11:
        return "one"
    if 2 <= last <= 4 and not 12 <= last_two <= 14:
        return "few"
    return "many"


def plural(n: float, one: str, few: str, many: str | None = None, *, lang: str = "ru") -> str:
    """The form of a word for count `n`: plural(5, "шаг", "шага", "шагов") → "шагов".

    For English pass two forms: plural(5, "step", "steps", lang="en") → "steps" (with two
    forms, `few` is the plural and `many` may be left out).
    """
    form = plural_form(n, lang)
    if many is None:  # two forms given: (singular, plural)
        return one if form == "one" else few
    return {"one": one, "few": few, "many": many}[form]


def number_text(n: float, lang: str = "ru") -> str:
    """A figure as set in running text: «10 000» and «1,5» in Russian, "10,000" and "1.5" in English."""
    lang = _lang(lang)
    if isinstance(n, float) and not n.is_integer():
        text = f"{n:g}"
        return text.replace(".", ",") if lang == "ru" else text
    whole = int(n)
    if abs(whole) < 10_000:  # four-digit numbers stay whole (1000, 2024), as in the typograph
        return str(whole)
    grouped = f"{abs(whole):,}"
    grouped = grouped.replace(",", NBSP) if lang == "ru" else grouped
    return ("−" if whole < 0 else "") + grouped


def count_label(n: float, word: str, lang: str = "ru") -> str:
    """«7 шагов», «1 карточка», "3 slides": a figure and the table word that agrees with it.

    `word` is a key of WORDS in either language ("шаг" or "step"); an unknown word is a
    ValueError that lists the known ones (add a row to WORDS rather than guess an ending).
    """
    lang = _lang(lang)
    return f"{number_text(n, lang)}{NBSP}{noun_for(n, word, lang)}"


def noun_for(n: float, word: str, lang: str = "ru") -> str:
    """The table word alone, agreeing with `n`: noun_for(3, "шаг") → "шага"."""
    lang = _lang(lang)
    forms = _forms(word, lang)
    if lang == "en":
        return forms[0] if plural_form(n, lang) == "one" else forms[1]
    return forms[("one", "few", "many").index(plural_form(n, lang))]


def step_of(i: int, n: int, lang: str = "ru") -> str:
    """«Шаг 3 из 7», "Step 3 of 7": the position of a step among all steps (a theme's `counter.steps`)."""
    if lang_of(lang) == "ru":
        return f"Шаг{NBSP}{i} из{NBSP}{n}"
    return f"Step{NBSP}{i} of{NBSP}{n}"


def more_cards(n: int, lang: str = "ru") -> str:
    """«ещё 5 карточек», "5 more cards": what is left after the cards shown."""
    if lang_of(lang) == "ru":
        return f"ещё {count_label(n, 'карточка', 'ru')}"
    return f"{number_text(n, 'en')}{NBSP}more {noun_for(n, 'card', 'en')}"


def lang_of(lang: str) -> Lang:
    """A language tag (ru, ru_RU, en-US) → "ru" or "en"; anything else is a ValueError."""
    return _lang(lang)


def _lang(lang: str) -> Lang:
    key = lang.strip().lower()[:2]
    if key == "ru":
        return "ru"
    if key == "en":
        return "en"
    raise ValueError(f'unsupported language "{lang}" (expected "ru" or "en")')


def _forms(word: str, lang: Lang) -> tuple[str, ...]:
    key = word.strip().lower()
    key = ALIASES.get(key, key)
    if key not in WORDS:
        known = ", ".join(sorted(WORDS))
        raise ValueError(f'no plural forms known for "{word}"; known words: {known}')
    return WORDS[key][lang]
