"""Typograph pass: plain text → the same text with typographic rules applied (pure, no I/O).

Input: the raw text of one card field — paragraphs separated by blank lines, single line
breaks, inline markup (``**bold**``, ``*italic*``, ``==accent==``) and backslash escapes
(``\\*``, ``\\=``).  Output: the same text with non-breaking spaces, proper dashes, quotes,
ellipsis and number formatting, after the Typograf project.  Markup stays in place and is
transparent to the rules.  URLs, bare domains, e-mails, @handles, #hashtags, phone numbers,
`inline code` and escapes are swapped for private-use placeholders before any rule runs
and restored afterwards, so no rule can touch them.  ``typograph(typograph(x)) ==
typograph(x)``: every rule accepts its own output unchanged.

Decisions:
* An apostrophe between letters (McDonald's, O'Reilly) becomes ’ in both languages — the
  correct glyph, and one a second pass cannot mistake for an opening quote.
* ru: ``20%`` → ``20\u00a0%`` (Russian rule: space before %); en keeps ``20%``.
* ru: a number binds to the word after it («30\u00a0сообществ»), unless that word is a short
  word or a preposition: it opens the next phrase and binds forward itself («1 из\u00a07»).
* ru: forward binding of short words looks at Cyrillic words only; a two-letter Latin
  word in Russian text is usually a brand or acronym (VK, PR).  The particles ли, ль,
  же, ж, бы, б bind to the previous word instead, and forward only when no word
  precedes them (line start, after a quote or bracket).
* The short-last-word rule runs at every line end, not only paragraph ends: a single
  newline is a hard break too.  A lone trailing emoji/symbol run is bound the same way.
* A line starting with "- " is direct speech (→ "—\u00a0"); so are "- item" bullets.
* Quote chars between two letters/digits (``12"``) are not quotes; an unmatched quote
  is left as typed, since we cannot know which pair it belongs to.
* en: only double quotes are paired (“…”, nested ‘…’).  A straight ' becomes ‘ where a
  quote opens and ’ elsewhere, by context alone: ’ is both the apostrophe and the closing
  single quote in English, so pairing singles could not be stable across passes.
* Phone numbers (+7 999 123-45-67, 8 800 555-35-35) are protected, so their digit groups
  are never read as ranges or thousands.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

__all__ = ["NBSP", "typograph"]

NBSP = "\u00a0"


class _Lazy:
    """A pattern compiled when first used, not at import: the ~40 patterns here take ~20 ms to
    compile, and a deck in Russian never uses the English ones, nor the rules whose trigger
    characters (digits, №, ₽, a dot…) its text does not contain."""

    __slots__ = ("_args", "_pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._pattern: regex.Pattern[str] | None = None

    def __getattr__(self, name: str):  # sub, search, fullmatch, …: the compiled pattern's
        if self._pattern is None:
            self._pattern = regex.compile(*self._args)
        return getattr(self._pattern, name)

# --- Protected spans ---------------------------------------------------------

# Supplementary Private Use Area-A: never produced by keyboards or fonts in card text,
# and not \w / not \s, so placeholders behave as opaque "word-like" tokens.
_PH_BASE = 0xF0000
_PH_LAST = 0xFFFFD
_PH = "\U000f0000-\U000ffffd"  # for use inside character classes
_PH_RE = _Lazy(f"[{_PH}]")

_URL_BODY = r"[^\s<>\"«»“”„*`\\]"
# A URL never ends with sentence punctuation or markup that follows it.
_URL_END = r"[^\s<>\"«»“”„*`\\.,:;!?)\]}'’…=\-]"
_TLDS = (
    "com|ru|рф|su|org|net|io|me|ai|app|dev|info|biz|pro|online|site|store|shop|club|"
    "xyz|tech|design|media|page|link|co|cc|tv|ly|gg|fm|by|kz|ua|uz|de|uk|us|eu"
)
_DOMAIN = (
    # Possessive label keeps this linear on long words without dots.
    r"(?<![\p{L}\p{N}@.\-_/])(?:[\p{L}\p{N}][\p{L}\p{N}\-]*+\.)+(?i:" + _TLDS + r")"
    r"(?![\p{L}\p{N}\-_])(?:[/?#](?:" + _URL_BODY + "*" + _URL_END + r")?)?"
)
_DOMAIN_RE = _Lazy(_DOMAIN)
# Order matters: a stray placeholder char in the input comes first so it restores to
# itself; URLs and domains go before #hashtags so that a #fragment stays in its link;
# e-mails go before @handles.  A later span may contain placeholders of earlier ones,
# which _restore expands recursively.  Separate patterns, not one alternation: regex's
# literal prefilters only work on a single branch (the alternation was ~50x slower).
# Each comes with the characters one of its matches must contain: most texts have no
# URL, e-mail, phone or hashtag, and their patterns are then neither run nor compiled.
_STRAY_PLACEHOLDER = _Lazy(f"[{_PH}]")
_PROTECTORS: tuple[tuple[str, _Lazy], ...] = (
    ("`", _Lazy(r"`[^`\n]+`")),  # inline code
    ("\\", _Lazy(r"\\\S")),  # backslash escape: the escaped char must stay literal
    (":.", _Lazy(r"(?:(?:https?|ftp)://|www\.)" + _URL_BODY + "*" + _URL_END)),
    ("@", _Lazy(r"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+")),  # e-mail
    ("@", _Lazy(r"(?<![\p{L}\p{N}_@])@[\p{L}\p{N}_]+(?:\.[\p{L}\p{N}_]+)*")),  # @handle
    ("+", _Lazy(r"(?<![\p{L}\p{N}+])\+\d{1,3}[ \u00a0\-]?\(?\d{1,5}\)?(?:[ \u00a0\-]?\d{2,4}){1,3}(?!\d)")),
    ("8", _Lazy(r"(?<![\p{L}\p{N}])8[ \u00a0\-]?\(?\d{3}\)?[ \u00a0\-]?\d{3}(?:[ \u00a0\-]?\d{2}){2}(?!\d)")),
    (".", _DOMAIN_RE),
    ("#", _Lazy(r"(?<![\p{L}\p{N}_#&])#[\p{L}\p{N}_]+")),  # #hashtag
)
# Bare domains are the one costly scan; skip it unless a ".tld" occurs at all.
_DOMAIN_HINT = _Lazy(r"\.(?i:" + _TLDS + r")(?![\p{L}\p{N}\-_])")


def _protect(text: str) -> tuple[str, list[str], int] | None:
    """Swap protected spans for placeholders; None if there are too many to encode.

    Returns (text, spans, how many leading spans are literal stray placeholders).
    """
    spans: list[str] = []

    def stash(m: regex.Match[str]) -> str:
        spans.append(m[0])
        return chr(min(_PH_BASE + len(spans) - 1, _PH_LAST))

    text = _STRAY_PLACEHOLDER.sub(stash, text)
    leaves = len(spans)
    for trigger, pattern in _PROTECTORS:
        if any(c in text for c in trigger) and (pattern is not _DOMAIN_RE or _DOMAIN_HINT.search(text)):
            text = pattern.sub(stash, text)
    return None if _PH_BASE + len(spans) - 1 > _PH_LAST else (text, spans, leaves)


def _restore(text: str, spans: list[str], leaves: int) -> str:
    if not spans:
        return text

    def expand(m: regex.Match[str]) -> str:
        index = ord(m[0]) - _PH_BASE
        return spans[index] if index < leaves else _PH_RE.sub(expand, spans[index])

    return _PH_RE.sub(expand, text)


# --- Whitespace and ellipsis -------------------------------------------------

# A run containing an explicit NBSP keeps the author's "do not break here" intent.
_NBSP_RUN = _Lazy(r"[ \t]*\u00a0[ \t\u00a0]*")
_SPACE_RUN = _Lazy(r"\t[ \t]*|[ ][ \t]+")
_LINE_EDGES = _Lazy(r"^[ \u00a0]+|[ \u00a0]+$", regex.M)
_ELLIPSIS = _Lazy(r"(?<!\.)\.{3}(?!\.)")

# --- Quotes ------------------------------------------------------------------

_QUOTE_OR_PARA = _Lazy(r"[\"«»„“”'‘’]|\n\n+")
_ANY_QUOTE = _Lazy(r"[\"«»„“”'‘’]")
_EN_STRAIGHT_SINGLE = _Lazy(r"'")
_MARKUP = "*="
_OPENERS_BEFORE = "([{-–—/"
_CLOSERS_AFTER = ".,;:!?…)]}-–—"
# Quote chars that take part in pairing.  In English ’ is both the apostrophe and the
# inner closing quote, so single quotes cannot be paired reliably (nor re-paired on a
# second pass); they are converted by context alone and only double quotes are paired.
_PAIRED = {"ru": "\"«»„“”'‘’", "en": "\"«»„“”"}
# (outer open, outer close, inner open, inner close)
_QUOTE_GLYPHS = {"ru": ("«", "»", "„", "“"), "en": ("“", "”", "‘", "’")}
# Used only when context is ambiguous; ru “ is our own inner closer, so it carries no hint.
_OPEN_HINT = {"ru": "«„", "en": "«„“"}
_CLOSE_HINT = {"ru": "»”’", "en": "»”"}


def _neighbours(text: str, i: int) -> tuple[int, str, str]:
    """Position of the previous char, previous and next char — markup is transparent."""
    p = i - 1
    while p >= 0 and text[p] in _MARKUP:
        p -= 1
    n = i + 1
    while n < len(text) and text[n] in _MARKUP:
        n += 1
    return p, text[p] if p >= 0 else "", text[n] if n < len(text) else ""


def _en_single_quotes(text: str) -> str:
    """' → ‘ where a quote opens (after space/bracket/dash, before a word), else ’.

    After a letter it is an apostrophe or a closing quote — the same glyph ’ in English;
    before a digit with nothing before it is an elision (’90s).
    """
    chars = list(text)
    for m in _EN_STRAIGHT_SINGLE.finditer(text):
        _, prev, nxt = _neighbours(text, m.start())
        opens = (not prev or prev.isspace() or prev in _OPENERS_BEFORE or prev in "“‘«„\"")
        if opens and nxt and not nxt.isspace() and not nxt.isdigit():
            chars[m.start()] = "‘"
        elif prev and not prev.isspace() or nxt.isdigit():
            chars[m.start()] = "’"
    return "".join(chars)


def _quotes(text: str, lang: str) -> str:
    """Pair quote chars by context and nesting, then emit «„“» (ru) or “‘’” (en)."""
    if not _ANY_QUOTE.search(text):
        return text
    if lang == "en" and "'" in text:
        text = _en_single_quotes(text)
    paired = _PAIRED[lang]
    chars = list(text)
    size = len(text)
    role: dict[int, bool] = {}  # position -> True for opening
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for m in _QUOTE_OR_PARA.finditer(text):
        i, q = m.start(), m[0]
        if q[0] == "\n":
            stack.clear()
            continue
        if q not in paired:
            continue
        raw_prev = text[i - 1] if i else ""
        raw_next = text[i + 1] if i + 1 < size else ""
        if raw_prev.isalnum() and raw_next.isalnum():
            if q in "'’" and raw_prev.isalpha() and raw_next.isalpha():
                chars[i] = "’"  # apostrophe inside a word: McDonald’s
            continue
        p, prev, nxt = _neighbours(text, i)
        after_open = (
            not prev
            or prev.isspace()
            or prev in _OPENERS_BEFORE
            or role.get(p) is True
            or (lang == "en" and prev == "‘")
        )
        before_close = not nxt or nxt.isspace() or nxt in _CLOSERS_AFTER
        if after_open != before_close:
            opening = after_open
        elif q in _OPEN_HINT[lang]:
            opening = True
        elif q in _CLOSE_HINT[lang]:
            opening = False
        else:
            opening = not stack
        role[i] = opening
        if opening:
            stack.append(i)
        elif stack:
            pairs.append((stack.pop(), i))
        elif q == "'":
            chars[i] = "’"  # unmatched closing ' is an apostrophe: students’
    if not pairs:
        return "".join(chars)
    # Nesting level counts matched pairs only: a stray opener must not push the rest inward.
    events = sorted([(o, 1) for o, _ in pairs] + [(c, -1) for _, c in pairs])
    glyph = _QUOTE_GLYPHS[lang]
    depth = 0
    for pos, kind in events:
        if kind == 1:
            chars[pos] = glyph[2 if depth else 0]
            depth += 1
        else:
            depth -= 1
            chars[pos] = glyph[3 if depth else 1]
    return "".join(chars)


# --- Rules -------------------------------------------------------------------

# (trigger chars, pattern, replacement).  A rule is skipped when none of its trigger
# chars occurs in the text ("" = always run): the scans dominate the cost, and most
# card texts have no digits, dashes or % at all.
_Rule = tuple[str, regex.Pattern[str], str | Callable[[regex.Match[str]], str]]

_DIGITS = "0123456789"
_DASHES = "-–—"
_NO_WORD = rf"[^\s\p{{L}}\p{{N}}\p{{M}}{_PH}]"  # punctuation, emoji, symbols, markup
_NUM = r"\d+(?:[.,:]\d+)?"
# Exactly two numbers joined by one dash: phones (123-45-67) and ISO dates have more.
# Not after "digit+NBSP" either: that is the tail of a number we grouped ourselves.
_RANGE = _Lazy(
    rf"(?<![\p{{L}}\p{{N}}{_PH}\-–+.,:/_]|\d\u00a0)({_NUM})(?:[-–]|[ \u00a0][-–][ \u00a0])({_NUM})"
    r"(?![\p{N}\-–]|[.,:]\d)"
)
_NUMERO = _Lazy(r"([№§])[ \u00a0]?(?=[*=]*[\p{N}\p{L}])")
# Not glued to a word, hyphen, dot or apostrophe: "кто-то", "т.е.", "don't" are not short words.
_WORD_START = rf"(?<![\p{{L}}\p{{N}}\p{{M}}{_PH}\-'’.@_\\])"

# --- Russian -----------------------------------------------------------------

_RU_DASH_MID = _Lazy(r"(?<=\S)[ \u00a0](?:-{1,3}|–|—)[ \u00a0](?=\S)")
_RU_DASH_EOL = _Lazy(r"(?<=\S)[ \u00a0](?:-{1,3}|–|—)$", regex.M)
_RU_DASH_BOL = _Lazy(
    r"^([*=]*)(?:(?:-{1,3}|–)[ \u00a0]+|—(?:[ \u00a0]+|(?=[^\s\d])))(?=\S)", regex.M
)
# Not part of a word, a decimal fraction, a time, a path or a hyphenated code (ABC-12345).
_RU_NUM_LEFT = rf"(?<![\p{{L}}\p{{M}}\p{{N}}{_PH}_.,:/+]|[\p{{L}}\p{{N}}]-)"
_RU_NUM_RIGHT = rf"(?![\p{{L}}\p{{M}}\p{{N}}{_PH}_\-])"
_RU_BIG_INT = _Lazy(_RU_NUM_LEFT + r"\d{5,}" + _RU_NUM_RIGHT)
_RU_SPACED_INT = _Lazy(_RU_NUM_LEFT + r"\d{1,3}(?:[ \u00a0]\d{3})+" + _RU_NUM_RIGHT)
_GROUP3 = _Lazy(r"(?<=\d)(?=(?:\d{3})+$)")
_RU_PERCENT = _Lazy(r"(?<=\d[*=]*)%(?![\-\p{L}])")
_RU_UNITS = (
    r"(?i:руб(?:л[а-яё]*)?|р|коп|тыс|млн|млрд|трлн|шт|кг|г|гр|гг|км|м|см|мм|мл|л|мин|ч|сек|с"
    r"|дн(?:ей|я)?|лет|раза?|чел|мес|usd|eur|rub)"
)
_CURRENCY = "₽$€£¥₸"
# \K rather than a lookbehind: a pattern that starts with a plain class scans much faster.
_RU_UNIT_AFTER = _Lazy(
    r"\d[*=]*\K[ ](?=[*=]*(?:[" + _CURRENCY + r"%‰°]|" + _RU_UNITS + r"(?![\p{L}\p{N}])))"
)
_RU_UNIT_BEFORE = _Lazy(r"[" + _CURRENCY + r"][*=]*\K[ ](?=[*=]*\d)")
_RU_INITIALS = _Lazy(
    r"(?<![\p{L}\p{N}.])(\p{Lu})\.[ \u00a0]?(\p{Lu})\.(?:[ \u00a0]?(?=\p{Lu}\p{Ll})(?P<sur>))?"
)
# "Пушкин А. С." — surname before initials, unless the initials already lead a surname.
_RU_SURNAME_FIRST = _Lazy(
    r"[ ](?=\p{Lu}\.\u00a0\p{Lu}\.(?!\u00a0\p{Lu}\p{Ll}))(?<=\p{Lu}\p{Ll}+[ ])"
)
_RU_ABBR = _Lazy(r"(?<![\p{L}\p{N}.])([тн])\.[ \u00a0]?([депкнчэ])\.", regex.I)
_RU_PARTICLES = r"(?i:ли|ль|же|ж|бы|б)"
# Whole rule inside a lookbehind, so only the space is replaced: measured faster than a
# forward match with groups, and this scan runs on every text.
# Words of three letters or more that bind to the next word (every 1–2 letter word does too):
# short conjunctions and pronouns, and every preposition, whatever its length: «перед» or
# «через» at a line end hangs as badly as «в» («Чек-лист перед / запуском таргета»).
RU_BOUND_WORDS = (
    "обо", "изо", "для", "без", "про", "при", "под", "над", "или", "что", "как", "это", "так",
    "ото", "вне", "безо", "подо", "надо", "близ", "ради", "мимо", "перед", "передо", "через",
    "после", "между", "около", "возле", "кроме", "вдоль", "среди", "сверх", "вроде", "ввиду",
    "вокруг", "сквозь", "вместо", "против", "внутри", "помимо", "поверх", "посреди", "напротив",
    "насчёт", "насчет", "из-за", "из-под",
)
_RU_SHORT = _Lazy(
    r"(?<=" + _WORD_START
    + r"(?i:" + "|".join(RU_BOUND_WORDS) + r"|\p{Cyrillic}{1,2})[*=]*)"
    # A particle that follows a word binds backwards (next rule), not forwards, or
    # "сделал бы это" would glue three words together.
    r"(?<!\s[*=]*" + _RU_PARTICLES + r"[*=]*)"
    r"[ ](?=\S)"
)
# A number and the word after it («30 сообществ», «за 30 минут», «в 2024 году»): a figure at
# a line end with its noun on the next line reads as two things; Lebedev's typograph binds them.
# Not before a short word or preposition («1 из 7», «2024 и 2025»): that word opens the next
# phrase and binds forward itself, and gluing both ways would make long unbreakable chains.
_RU_NUMBER_WORD = _Lazy(
    _RU_NUM_LEFT + r"\d+(?:[.,:]\d+)?[*=]*\K[ ]"
    r"(?=[*=]*\p{L})(?![*=]*(?i:" + "|".join(RU_BOUND_WORDS) + r"|\p{Cyrillic}{1,2})(?![\p{L}\p{N}\p{M}\-]))"
)
_RU_PARTICLE = _Lazy(
    r"[ ](?=[*=]*" + _RU_PARTICLES + r"(?![\p{L}\p{N}\p{M}\-]))(?<=[^\s\-–—][ ])"
)


def _initials(m: regex.Match[str]) -> str:
    return f"{m[1]}.{NBSP}{m[2]}." + (NBSP if m.group("sur") is not None else "")


_RU_RULES: tuple[_Rule, ...] = (
    (_DASHES, _RANGE, "\\1–\\2"),  # before dashes: "5 - 10" is a range, not a pause
    (_DASHES, _RU_DASH_BOL, "\\1—" + NBSP),  # before MID/EOL, which re-match its output
    (_DASHES, _RU_DASH_MID, NBSP + "— "),
    (_DASHES, _RU_DASH_EOL, NBSP + "—"),
    (_DIGITS, _RU_BIG_INT, lambda m: _GROUP3.sub(NBSP, m[0])),
    (_DIGITS, _RU_SPACED_INT, lambda m: m[0].replace(" ", NBSP)),
    (_DIGITS, _RU_UNIT_AFTER, NBSP),
    (_DIGITS, _RU_NUMBER_WORD, NBSP),
    (_CURRENCY, _RU_UNIT_BEFORE, NBSP),
    ("%", _RU_PERCENT, NBSP + "%"),
    ("№§", _NUMERO, "\\1" + NBSP),
    (".", _RU_INITIALS, _initials),
    (".", _RU_SURNAME_FIRST, NBSP),  # after initials: it looks for their NBSP
    (".", _RU_ABBR, "\\1." + NBSP + "\\2."),
    ("", _RU_SHORT, NBSP),
    ("бжлБЖЛ", _RU_PARTICLE, NBSP),
)

# --- English -----------------------------------------------------------------

# Spaced en dash is a legitimate (British) style in English, so only hyphens become em dashes.
_EN_DASH_MID = _Lazy(r"(?<=\S)[ \u00a0](?:-{1,3}|—)[ \u00a0](?=\S)")
_EN_DASH_EOL = _Lazy(r"(?<=\S)[ \u00a0](?:-{1,3}|—)$", regex.M)
# Articles, short prepositions/conjunctions, "I" and a few pronouns that read badly
# when left hanging at a line end.
_EN_SHORT = _Lazy(
    r"(?<=" + _WORD_START
    + r"(?i:a|an|the|i|of|to|in|on|at|by|as|for|and|or|nor|but|is|if|it|via|per|my|we|our)"
    r"[*=]*)[ ](?=\S)"
)

_EN_RULES: tuple[_Rule, ...] = (
    (_DASHES, _RANGE, "\\1–\\2"),
    (_DASHES, _EN_DASH_MID, NBSP + "— "),
    (_DASHES, _EN_DASH_EOL, NBSP + "—"),
    ("№§", _NUMERO, "\\1" + NBSP),
    ("", _EN_SHORT, NBSP),
)

_RULES = {"ru": _RU_RULES, "en": _EN_RULES}

# --- Line ends (both languages) ----------------------------------------------

_SYMBOLS_ONLY = _Lazy(rf"{_NO_WORD}+")
_SHORT_LAST = _Lazy(rf"[*=]*\p{{L}}{{1,3}}{_NO_WORD}*")


def _last_gap(line: str, end: int) -> int:
    """Index of the last space or NBSP before ``end``, -1 if none."""
    return max(line.rfind(" ", 0, end), line.rfind(NBSP, 0, end))


def _bind_line_ends(text: str) -> str:
    """Glue a trailing emoji/symbol run and a last word of ≤ 3 letters to what precedes.

    Per line rather than one regex: only the last two tokens matter, and a lookahead to
    the line end tried at every space of the text costs far more than a few rfinds.
    """
    if " " not in text:
        return text
    lines = text.split("\n")
    for index, line in enumerate(lines):
        end = len(line)
        gap = _last_gap(line, end)
        if gap <= 0:
            continue
        if _SYMBOLS_ONLY.fullmatch(line, gap + 1):
            if line[gap] == " ":
                line = line[:gap] + NBSP + line[gap + 1 :]
            end, gap = gap, _last_gap(line, gap)
        if gap > 0 and line[gap] == " " and _SHORT_LAST.fullmatch(line, gap + 1, end):
            line = line[:gap] + NBSP + line[gap + 1 :]
        lines[index] = line
    return "\n".join(lines)


def typograph(text: str, lang: str = "ru") -> str:
    """Apply typographic rules for ``lang`` ("ru" or "en", region suffix ignored) to ``text``.

    Pure and idempotent.  Raises ValueError only for an unsupported language.
    """
    key = lang.strip().lower()[:2]
    if key not in _RULES:
        raise ValueError(f"unsupported typograph language: {lang!r} (expected 'ru' or 'en')")
    if not text or text.isspace():
        return text
    protected = _protect(text)
    if protected is None:
        return text  # >65k protected spans: not real card text, leave it alone
    out, spans, leaves = protected
    if "\r" in out:
        out = out.replace("\r\n", "\n").replace("\r", "\n")
    if NBSP in out or "\t" in out:
        out = _NBSP_RUN.sub(NBSP, out)
        out = _SPACE_RUN.sub(" ", out)
    elif "  " in out:
        out = _SPACE_RUN.sub(" ", out)
    out = _LINE_EDGES.sub("", out)
    if "..." in out:
        out = _ELLIPSIS.sub("…", out)
    out = _quotes(out, key)
    for trigger, pattern, repl in _RULES[key]:
        if not trigger or any(c in out for c in trigger):
            out = pattern.sub(repl, out)
    out = _bind_line_ends(out)
    return _restore(out, spans, leaves)
