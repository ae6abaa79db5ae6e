"""Typograph pass: plain text → the same text with typographic rules applied (pure, no I/O).

Input is the raw text of one card field: paragraphs separated by blank lines, single
line breaks, inline markup (``**bold**``, ``*italic*``, ``==accent==``) and backslash
escapes (``\\*``, ``\\=``).  Output is the same text with non-breaking spaces, proper
dashes, quotes, ellipsis and number formatting, in the spirit of the Typograf project.
Markup characters are left in place and are transparent to the rules.

URLs, bare domains, e-mails, @handles, #hashtags, phone numbers, `inline code` and
backslash escapes are swapped for private-use placeholder characters before any rule
runs and restored afterwards, so no rule can ever touch them.

Decisions worth knowing:
* An apostrophe between two letters (McDonald's, O'Reilly, don't) becomes ’ (U+2019)
  in both languages: it is the typographically correct glyph and it cannot be mistaken
  for an opening quote on a second pass.  An unmatched closing ' (students') also → ’.
* ru: ``20%`` → ``20\\u00a0%`` (Russian standard puts a space before %); en keeps ``20%``.
* ru: short-word binding (after prepositions etc.) only looks at Cyrillic words;
  a two-letter Latin word in Russian text is usually a brand/acronym (VK, PR).
* The short-last-word rule is applied at the end of every line, not only paragraphs:
  a single newline is a hard break too, so a widow there looks just as bad.
* A line starting with "- " is treated as direct speech (→ "—\\u00a0"), which also turns
  "- item" list bullets into em dashes.
* Quote chars between two letters/digits (``12"``, ``a"b``) are not quotes; an
  unmatched quote is left as typed — we cannot know which pair it belongs to.
* Every rule is written so that ``typograph(typograph(x)) == typograph(x)``.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

__all__ = ["NBSP", "typograph"]

NBSP = "\u00a0"

# ---------------------------------------------------------------------------
# Protected spans
# ---------------------------------------------------------------------------

# Supplementary Private Use Area-A: never produced by keyboards or fonts in card text,
# and not \w / not \s, so placeholders behave as opaque "word-like" tokens.
_PH_BASE = 0xF0000
_PH_LAST = 0xFFFFD
_PH = "\U000f0000-\U000ffffd"  # for use inside character classes
_PH_RE = regex.compile(f"[{_PH}]")

_URL_BODY = r"[^\s<>\"«»“”„*`\\]"
# A URL never ends with sentence punctuation or markup that follows it.
_URL_END = r"[^\s<>\"«»“”„*`\\.,:;!?)\]}'’…=\-]"
_TLDS = (
    "com|ru|рф|su|org|net|io|me|ai|app|dev|info|biz|pro|online|site|store|shop|club|"
    "xyz|tech|design|media|page|link|co|cc|tv|ly|gg|fm|by|kz|ua|uz|de|uk|us|eu"
)
_PROTECT = regex.compile(
    r"`[^`\n]+`"  # inline code
    r"|\\\S"  # backslash escape: the escaped char must stay literal
    r"|(?:(?:https?|ftp)://|www\.)" + _URL_BODY + "*" + _URL_END
    + r"|[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+"  # e-mail
    r"|(?<![\p{L}\p{N}_@])@[\p{L}\p{N}_]+(?:\.[\p{L}\p{N}_]+)*"  # @handle
    r"|(?<![\p{L}\p{N}_#&])#[\p{L}\p{N}_]+"  # #hashtag
    # Phones: their digit groups must not be read as ranges or thousands.
    r"|(?<![\p{L}\p{N}+])\+\d{1,3}[ \u00a0\-]?\(?\d{1,5}\)?(?:[ \u00a0\-]?\d{2,4}){1,3}(?!\d)"
    r"|(?<![\p{L}\p{N}])8[ \u00a0\-]?\(?\d{3}\)?[ \u00a0\-]?\d{3}[ \u00a0\-]?\d{2}"
    r"[ \u00a0\-]?\d{2}(?!\d)"
    # Bare domain with optional path; possessive label keeps this linear on long words.
    r"|(?<![\p{L}\p{N}@.\-_/])(?:[\p{L}\p{N}][\p{L}\p{N}\-]*+\.)+(?i:" + _TLDS + r")"
    r"(?![\p{L}\p{N}\-_])(?:[/?#](?:" + _URL_BODY + "*" + _URL_END + r")?)?"
    + f"|[{_PH}]"  # a stray placeholder char in the input must survive the round trip
)


def _protect(text: str) -> tuple[str, list[str]] | None:
    """Swap protected spans for placeholders; None if there are too many to encode."""
    spans: list[str] = []

    def stash(m: regex.Match[str]) -> str:
        spans.append(m[0])
        return chr(_PH_BASE + len(spans) - 1) if _PH_BASE + len(spans) - 1 <= _PH_LAST else ""

    out = _PROTECT.sub(stash, text)
    return None if _PH_BASE + len(spans) - 1 > _PH_LAST else (out, spans)


def _restore(text: str, spans: list[str]) -> str:
    if not spans:
        return text
    return _PH_RE.sub(lambda m: spans[ord(m[0]) - _PH_BASE], text)


# ---------------------------------------------------------------------------
# Whitespace and ellipsis
# ---------------------------------------------------------------------------

_CRLF = regex.compile(r"\r\n?")
# A run containing an explicit NBSP keeps the author's "do not break here" intent.
_NBSP_RUN = regex.compile(r"[ \t]*\u00a0[ \t\u00a0]*")
_SPACE_RUN = regex.compile(r"\t[ \t]*|[ ][ \t]+")
_LINE_EDGES = regex.compile(r"^[ \u00a0]+|[ \u00a0]+$", regex.M)
_ELLIPSIS = regex.compile(r"(?<!\.)\.{3}(?!\.)")

# ---------------------------------------------------------------------------
# Quotes
# ---------------------------------------------------------------------------

_QUOTE_OR_PARA = regex.compile(r"[\"«»„“”'‘’]|\n\n+")
_ANY_QUOTE = regex.compile(r"[\"«»„“”'‘’]")
_SINGLE = "'‘’"
_MARKUP = "*="
_OPENERS_BEFORE = "([{-–—/"
_CLOSERS_AFTER = ".,;:!?…)]}-–—"
# (outer open, outer close, inner open, inner close)
_QUOTE_GLYPHS = {"ru": ("«", "»", "„", "“"), "en": ("“", "”", "‘", "’")}
# Used only when context is ambiguous; ru “ is our own inner closer, so it carries no hint.
_OPEN_HINT = {"ru": "«„", "en": "«„“‘"}
_CLOSE_HINT = {"ru": "»”’", "en": "»”’"}


def _quotes(text: str, lang: str) -> str:
    """Pair quote chars by context and nesting, then emit «„“» (ru) or “‘’” (en)."""
    if not _ANY_QUOTE.search(text):
        return text
    chars = list(text)
    size = len(text)
    role: dict[int, bool] = {}  # position -> True for opening
    # ru typesets every quote kind the same way, so one stack; en keeps ' and " apart
    # so that an apostrophe-like ' cannot steal the closer of a " pair.
    stacks: dict[bool, list[int]] = {False: [], True: []}
    pairs: list[tuple[int, int]] = []
    for m in _QUOTE_OR_PARA.finditer(text):
        i, q = m.start(), m[0]
        if q[0] == "\n":
            stacks[False].clear()
            stacks[True].clear()
            continue
        raw_prev = text[i - 1] if i else ""
        raw_next = text[i + 1] if i + 1 < size else ""
        if raw_prev.isalnum() and raw_next.isalnum():
            if q in "'’" and raw_prev.isalpha() and raw_next.isalpha():
                chars[i] = "’"  # apostrophe inside a word
            continue
        if lang == "en" and q == "'" and raw_next.isdigit() and not raw_prev.isalnum():
            chars[i] = "’"  # elided century: ’90s
            continue
        p = i - 1
        while p >= 0 and text[p] in _MARKUP:
            p -= 1
        n = i + 1
        while n < size and text[n] in _MARKUP:
            n += 1
        prev = text[p] if p >= 0 else ""
        nxt = text[n] if n < size else ""
        after_open = (
            not prev
            or prev.isspace()
            or prev in _OPENERS_BEFORE
            or role.get(p) is True
        )
        before_close = not nxt or nxt.isspace() or nxt in _CLOSERS_AFTER
        stack = stacks[lang == "en" and q in _SINGLE]
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


# ---------------------------------------------------------------------------
# Rules shared by both languages
# ---------------------------------------------------------------------------

_Rule = tuple[regex.Pattern[str], str | Callable[[regex.Match[str]], str]]

_NUM = r"\d+(?:[.,:]\d+)?"
# Exactly two numbers joined by one dash: phones (123-45-67) and ISO dates have more.
_RANGE = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}{_PH}\-–+.,:/_])({_NUM})(?:[-–]|[ \u00a0][-–][ \u00a0])({_NUM})"
    r"(?![\p{N}\-–]|[.,:]\d)"
)
_NUMERO = regex.compile(r"([№§])[ \u00a0]?(?=[*=]*[\p{N}\p{L}])")
# A lone emoji / smiley / symbol run at a line end must not wrap alone.
_TAIL_SYMBOLS = regex.compile(rf"(?<=\S)[ ](?=[^\s\p{{L}}\p{{N}}\p{{M}}{_PH}]+$)", regex.M)
_LAST_SHORT = regex.compile(
    rf"(?<=\S)[ ](?=[*=]*\p{{L}}{{1,3}}[^\s\p{{L}}\p{{N}}\p{{M}}{_PH}]*"
    rf"(?:\u00a0[^\s\p{{L}}\p{{N}}\p{{M}}{_PH}]+)?$)",
    regex.M,
)
# Not glued to a word, hyphen, dot or apostrophe: "кто-то", "т.е.", "don't" are not short words.
_WORD_START = rf"(?<![\p{{L}}\p{{N}}\p{{M}}{_PH}\-'’.@_\\])"

# ---------------------------------------------------------------------------
# Russian
# ---------------------------------------------------------------------------

_RU_DASH_MID = regex.compile(r"(?<=\S)[ \u00a0](?:-{1,3}|–|—)[ \u00a0](?=\S)")
_RU_DASH_EOL = regex.compile(r"(?<=\S)[ \u00a0](?:-{1,3}|–|—)$", regex.M)
_RU_DASH_BOL = regex.compile(
    r"^([*=]*)(?:(?:-{1,3}|–)[ \u00a0]+|—(?:[ \u00a0]+|(?=[^\s\d])))(?=\S)", regex.M
)
# Not part of a word, a decimal fraction, a time, a path or a hyphenated code (ABC-12345).
_RU_NUM_LEFT = rf"(?<![\p{{L}}\p{{M}}\p{{N}}{_PH}_.,:/+]|[\p{{L}}\p{{N}}]-)"
_RU_NUM_RIGHT = rf"(?![\p{{L}}\p{{M}}\p{{N}}{_PH}_\-])"
_RU_BIG_INT = regex.compile(_RU_NUM_LEFT + r"\d{5,}" + _RU_NUM_RIGHT)
_RU_SPACED_INT = regex.compile(_RU_NUM_LEFT + r"\d{1,3}(?:[ \u00a0]\d{3})+" + _RU_NUM_RIGHT)
_GROUP3 = regex.compile(r"(?<=\d)(?=(?:\d{3})+$)")
_RU_UNITS = (
    r"(?:руб(?:л[а-яё]*)?|р|коп|тыс|млн|млрд|трлн|шт|кг|г|гр|гг|км|м|см|мм|мл|л|мин|ч|сек|с"
    r"|дн(?:ей|я)?|лет|раза?|чел|мес|usd|eur|rub)"
)
_RU_UNIT_AFTER = regex.compile(
    r"(?<=\d[*=]*)[ ](?=[*=]*(?:[₽$€£¥₸%‰°]|" + _RU_UNITS + r"(?![\p{L}\p{N}])))", regex.I
)
_RU_UNIT_BEFORE = regex.compile(r"(?<=[₽$€£¥₸][*=]*)[ ](?=[*=]*\d)")
_RU_PERCENT = regex.compile(r"(?<=\d[*=]*)%(?![\-\p{L}])")
_RU_INITIALS = regex.compile(
    r"(?<![\p{L}\p{N}.])(\p{Lu})\.[ \u00a0]?(\p{Lu})\.(?:[ \u00a0]?(?=\p{Lu}\p{Ll})(?P<sur>))?"
)
_RU_SURNAME_FIRST = regex.compile(
    r"(?<=\p{Lu}\p{Ll}+)[ ](?=\p{Lu}\.\u00a0\p{Lu}\.(?!\u00a0\p{Lu}\p{Ll}))"
)
_RU_ABBR = regex.compile(r"(?<![\p{L}\p{N}.])([тн])\.[ \u00a0]?([депкнчэ])\.", regex.I)
_RU_PARTICLES = r"(?:ли|ль|же|ж|бы|б)"
_RU_SHORT = regex.compile(
    r"(?<=" + _WORD_START
    + r"(?:обо|изо|для|без|про|при|под|над|что|как|это|так|\p{Cyrillic}{1,2})[*=]*)"
    # A particle that follows a word binds backwards (rule below), not forwards.
    r"(?<!\s[*=]*" + _RU_PARTICLES + r"[*=]*)"
    r"[ ](?=\S)",
    regex.I,
)
_RU_PARTICLE = regex.compile(
    r"(?<=[^\s\-–—])[ ](?=[*=]*" + _RU_PARTICLES + r"(?![\p{L}\p{N}\p{M}\-]))", regex.I
)


def _group_digits(m: regex.Match[str]) -> str:
    return _GROUP3.sub(NBSP, m[0])


def _initials(m: regex.Match[str]) -> str:
    return f"{m[1]}.{NBSP}{m[2]}." + (NBSP if m.group("sur") is not None else "")


_RU_RULES: tuple[_Rule, ...] = (
    (_RANGE, "\\1–\\2"),
    (_RU_DASH_MID, NBSP + "— "),
    (_RU_DASH_EOL, NBSP + "—"),
    (_RU_DASH_BOL, "\\1—" + NBSP),
    (_RU_BIG_INT, _group_digits),
    (_RU_SPACED_INT, lambda m: m[0].replace(" ", NBSP)),
    (_RU_UNIT_AFTER, NBSP),
    (_RU_UNIT_BEFORE, NBSP),
    (_RU_PERCENT, NBSP + "%"),
    (_NUMERO, "\\1" + NBSP),
    (_RU_INITIALS, _initials),
    (_RU_SURNAME_FIRST, NBSP),
    (_RU_ABBR, "\\1." + NBSP + "\\2."),
    (_RU_SHORT, NBSP),
    (_RU_PARTICLE, NBSP),
    (_TAIL_SYMBOLS, NBSP),
    (_LAST_SHORT, NBSP),
)

# ---------------------------------------------------------------------------
# English
# ---------------------------------------------------------------------------

# Spaced en dash is a legitimate (British) style in English, so only hyphens become em dashes.
_EN_DASH_MID = regex.compile(r"(?<=\S)[ \u00a0](?:-{1,3}|—)[ \u00a0](?=\S)")
_EN_DASH_EOL = regex.compile(r"(?<=\S)[ \u00a0](?:-{1,3}|—)$", regex.M)
# Articles, short prepositions/conjunctions, "I" and a few pronouns that read badly
# when left hanging at a line end.
_EN_SHORT = regex.compile(
    r"(?<=" + _WORD_START
    + r"(?:a|an|the|i|of|to|in|on|at|by|as|for|and|or|nor|but|is|if|it|via|per|my|we|our)"
    r"[*=]*)[ ](?=\S)",
    regex.I,
)

_EN_RULES: tuple[_Rule, ...] = (
    (_RANGE, "\\1–\\2"),
    (_EN_DASH_MID, NBSP + "— "),
    (_EN_DASH_EOL, NBSP + "—"),
    (_NUMERO, "\\1" + NBSP),
    (_EN_SHORT, NBSP),
    (_TAIL_SYMBOLS, NBSP),
    (_LAST_SHORT, NBSP),
)

_RULES = {"ru": _RU_RULES, "en": _EN_RULES}


def _lang_key(lang: str) -> str:
    key = lang.strip().lower()[:2]
    if key not in _RULES:
        raise ValueError(f"unsupported typograph language: {lang!r} (expected 'ru' or 'en')")
    return key


def typograph(text: str, lang: str = "ru") -> str:
    """Apply typographic rules for ``lang`` ("ru" or "en", region suffix ignored) to ``text``.

    Pure and idempotent.  Raises ValueError only for an unsupported language.
    """
    key = _lang_key(lang)
    if not text or text.isspace():
        return text
    protected = _protect(text)
    if protected is None:
        return text  # >65k protected spans: not real card text, leave it alone
    out, spans = protected
    out = _CRLF.sub("\n", out)
    out = _NBSP_RUN.sub(NBSP, out)
    out = _SPACE_RUN.sub(" ", out)
    out = _LINE_EDGES.sub("", out)
    out = _ELLIPSIS.sub("…", out)
    out = _quotes(out, key)
    for pattern, repl in _RULES[key]:
        out = pattern.sub(repl, out)
    return _restore(out, spans)
