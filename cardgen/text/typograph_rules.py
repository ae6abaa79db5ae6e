"""The typograph's rules: protected text → the same text with one typographic rule applied (pure).

Each rule is a named function from text to text, run in table order by ``cardgen.text.typograph``
after URLs, e-mails, @handles, #hashtags, phone numbers and `code` spans have been swapped for
private-use placeholders (``PH`` below), so no rule here can see them.  Inline markup (``**``,
``==``) is left in place; rules that look past it say so.  ``RULES[lang]`` is the ordered table;
the README's typograph section lists every rule with an example, and where it differs from
Typograf (the reference Russian typograph) and why.

Every rule accepts its own output unchanged (the typograph is idempotent), and a rule never
deletes or reorders a letter or digit: it changes spaces, punctuation and symbols only.

Decisions (rule names in brackets):
* An apostrophe between letters (McDonald's, O'Reilly) becomes ’ in both languages — the
  correct glyph, and one a second pass cannot mistake for an opening quote [quotes].
* ru: ``20%`` → ``20\u00a0%`` (ГОСТ 8.417: a space before %); en keeps ``20%`` [nbsp/percent].
* ru: a number binds to the word after it («30\u00a0сообществ»), unless that word is a short
  word or a preposition: it opens the next phrase and binds forward itself («1 из\u00a07»)
  [nbsp/number-word].
* ru: forward binding of short words looks at Cyrillic words only; a two-letter Latin word in
  Russian text is usually a brand or acronym (VK, PR).  The particles ли, ль, же, ж, бы, б bind
  to the previous word instead, and forward only when no word precedes them [nbsp/short-word].
* The short-last-word rule runs at every line end, not only paragraph ends: a single newline is
  a hard break too.  A lone trailing emoji/symbol run is bound the same way [nbsp/line-end].
* A line starting with "- " is direct speech (→ "—\u00a0"); so are "- item" bullets [dash/main].
* Quote chars between two letters/digits (``12"``) are not quotes; an unmatched quote is left
  as typed, since we cannot know which pair it belongs to [quotes].
* en: only double quotes are paired (“…”, nested ‘…’).  A straight ' becomes ‘ where a quote
  opens and ’ elsewhere, by context alone: ’ is both the apostrophe and the closing single
  quote in English, so pairing singles could not be stable across passes [quotes].
* Emoticons survive the space repairs: ``:)``, ``;)``, ``:D`` after a space, and a Russian
  smiley ``)`` after a space with no ``(`` open before it, keep their space.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import regex

from cardgen.base.pattern_code import regex_compile

__all__ = ["NBSP", "PH", "RULES", "RU_BOUND_WORDS", "Lazy", "Rule"]

NBSP = "\u00a0"

# Supplementary Private Use Area-A: the typograph's placeholders for protected spans.  Never
# produced by keyboards or fonts in card text, and not \w / not \s, so placeholders behave as
# opaque "word-like" tokens.  For use inside character classes.
PH = "\U000f0000-\U000ffffd"


class Lazy:
    """A pattern compiled when first used, not at import: the ~90 patterns here take ~40 ms to
    compile, and a deck in Russian never uses the English ones, nor the rules whose trigger
    characters (digits, №, ₽, a dot…) its text does not contain."""

    __slots__ = ("_pattern", "key")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.key = (pattern, int(flags))
        self._pattern: regex.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:  # sub, search, fullmatch, …: the compiled pattern's
        if self._pattern is None:
            self._pattern = regex_compile(*self.key)  # the stored program when there is one
        return getattr(self._pattern, name)


@dataclass(frozen=True, slots=True)
class Rule:
    """One typographic rule: skipped when none of ``trigger``'s characters occurs in the text
    ("" = always run) or its ``gate`` finds nothing, since the scans dominate the cost and most
    card texts have no digits, dashes or % at all.  Patterns here start with a literal or a
    character class where they can, lookarounds after it: a pattern that starts with a
    lookbehind is tried at every position of the text."""

    name: str
    trigger: str
    apply: Callable[[str], str]
    # A cheap necessary condition that starts with a literal or a narrow class (which the regex
    # engine scans for fast), for rules whose own pattern cannot: most texts fail it.
    gate: Lazy | None = None


def _sub(pattern: Lazy, repl: str | Callable[[regex.Match[str]], str]) -> Callable[[str], str]:
    return lambda text: pattern.sub(repl, text)


def _until_stable(pattern: Lazy, repl: str | Callable[[regex.Match[str]], str]) -> Callable[[str], str]:
    """Substitute until nothing changes: for rules whose own output is the context of their next
    match ("см.см. в", "<=>="), where one pass would leave work for the next.  Each round that
    changes something removes a match, so the rounds are bounded by the matches."""

    def apply(text: str) -> str:
        while True:
            changed = pattern.sub(repl, text)
            if changed == text:
                return text
            text = changed

    return apply


def _alternation(words: tuple[str, ...], *, backwards: bool = False) -> str:
    """A regex matching any of ``words``, factored by shared prefixes (or suffixes, for a
    lookbehind, which the engine matches right to left): a word then costs a step or two
    instead of one comparison per word of the list."""
    if not words:
        return ""
    if "" in words:
        rest = tuple(w for w in words if w)
        return f"(?:{_alternation(rest, backwards=backwards)})?" if rest else ""
    groups: dict[str, list[str]] = {}
    for word in words:
        key, tail = (word[-1], word[:-1]) if backwards else (word[0], word[1:])
        groups.setdefault(key, []).append(tail)
    parts = []
    for key, rests in sorted(groups.items()):
        inner = _alternation(tuple(sorted(set(rests))), backwards=backwards)
        parts.append(inner + regex.escape(key) if backwards else regex.escape(key) + inner)
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


_DIGITS = "0123456789"
_DASHES = "-–—"
_MARKUP = "*="
_NO_WORD = rf"[^\s\p{{L}}\p{{N}}\p{{M}}{PH}]"  # punctuation, emoji, symbols, markup
_NUM = r"\d+(?:[.,:]\d+)?"
# Not glued to a word, hyphen, dot or apostrophe: "кто-то", "т.е.", "don't" are not short words.
_WORD_START = rf"(?<![\p{{L}}\p{{N}}\p{{M}}{PH}\-'’.@_\\])"
# A word ends here: not followed by a letter, digit or hyphen (so "то" is not "тот", "кто-то").
_WORD_END = r"(?![\p{L}\p{N}\p{M}\-])"
# Roman numerals 1–39: centuries.  Not any run of I, V, X, so "XXX" or "DVD" never count.
_ROMAN = r"(?:X{1,3}(?:IX|IV|V?I{0,3})|IX|IV|V?I{1,3}|V)"

# --- Whitespace -------------------------------------------------------------------------------

# A run containing an explicit NBSP keeps the author's "do not break here" intent.
_NBSP_RUN = Lazy(r"[ \t]*\u00a0[ \t\u00a0]*")
_SPACE_RUN = Lazy(r"\t[ \t]*|[ ][ \t]+")
_LINE_EDGES = Lazy(r"^[ \u00a0]+|[ \u00a0]+$", regex.M)
_BLANK_LINES = Lazy(r"\n{3,}")


def _spaces(text: str) -> str:
    """CRLF and CR → LF; tabs and runs of spaces → one space (one NBSP if the run holds one); a
    byte order mark (U+FEFF, pasted from files saved by some editors) goes."""
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if NBSP in text or "\t" in text:
        text = _NBSP_RUN.sub(NBSP, text)
        text = _SPACE_RUN.sub(" ", text)
    elif "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    return text


# --- Symbols ----------------------------------------------------------------------------------

# "<->" is left alone: ↔ is missing from several theme fonts.
_ARROW = Lazy(r"<--?(?![\->])|(?<![<\-])--?>")
# Not "<<"/">>": people type <<so>> for «so».  Not next to "=": "==" is accent markup.  "!=" not
# after "!"/"?" ("Ура!=)") nor before a bracket (an emoticon).
_MATH = Lazy(r"[<>]=(?<![<>=\-][<>]=)(?![=>])|!=(?<!=!=)(?![=)(])|\+-(?<![+\-]\+-)(?![\->])|~=(?!=)")
_MATH_SIGNS = {"<=": "≤", ">=": "≥", "!=": "≠", "+-": "±", "~=": "≈"}


_COPY = Lazy(r"\((?:(c)|(с)|(r)|(tm))\)", regex.I)
_LIST_ITEM_B = Lazy(r"\((?:b|б)\)", regex.I)
_NUMERO_TWICE = Lazy(r"№(?:[ \u00a0]*№)+")


def _copy(text: str) -> str:
    """(c) → ©, (r) → ®, (tm) → ™; a Latin (c) is a list item when a (b) is in the text."""
    list_items = _LIST_ITEM_B.search(text) is not None

    def repl(m: regex.Match[str]) -> str:
        if m[1]:
            return m[0] if list_items else "©"
        return "©" if m[2] else "®" if m[3] else "™"

    return _COPY.sub(repl, text)


# --- Numbers ----------------------------------------------------------------------------------

# "1080 x 1350", "100х2" (Cyrillic х), "3 × 4" → "1080×1350".  Not a hex literal (0x1F) nor a
# code glued to letters (A4x2).
_TIMES = Lazy(r"(?<![\p{L}\p{N}_.,])(?!0x[\da-fA-F])(\d+(?:[.,]\d+)?)[ \u00a0]?[xх×][ \u00a0]?(?=\d)")
_TIMES_GATE = Lazy(r"\d[ \u00a0]?[xх×][ \u00a0]?\d")
_FRACTION = Lazy(r"[13]/[24](?<![\p{L}\p{N}/.,⁄][13]/[24])(?![\p{N}/⁄]|[.,]\d)")
_FRACTIONS = {"1/2": "½", "1/4": "¼", "3/4": "¾"}
# A hyphen glued to the front of a number, with no word or number before it: "-20 %", "(-5)".
_MINUS = Lazy(rf"-(?=\d)(?<!(?:[\p{{L}}\p{{N}}\p{{M}}{PH}_\-−+.,:;/\\%]|[\p{{L}}\p{{N}}][*=]+)-)")
# Decimal comma, ru: "1.5" → "1,5" only before a unit, percent, multiplier or currency: a bare
# "1.5" may be a version (iOS 17.2), a section (п. 3.2) or a time (в 10.30).  Not "с" nor "ч":
# «в 10.30 с друзьями».
_DECIMAL_UNITS = (
    r"[%‰°₽$€£¥₸×]|[xх](?=[ \u00a0]?\d)|(?i:руб|коп|тыс|млн|млрд|трлн|раза?|кг|гр?|км|см|мм|мл|л|м|га|шт"
    r"|балл[а-яё]*|процент[а-яё]*|пункт[а-яё]*|миллион[а-яё]*|миллиард[а-яё]*|тысяч[а-яё]*)(?![\p{L}\p{N}])"
)
_RU_DECIMAL = Lazy(rf"(?<![\p{{L}}\p{{N}}{PH}_.,:/\\\-])(\d+)\.(\d+)(?![.,]?\d)(?=[ \u00a0]?(?:{_DECIMAL_UNITS}))")
_DECIMAL_GATE = Lazy(r"\d\.\d")
# Ordinal endings, ru: "5-ый" → "5-й", "2-ое" → "2-е", "13-ому" → "13-му".
_ORDINAL_ENDINGS = {
    "й": "ый ой ий",
    "я": "ая ья",
    "е": "ое ье ые ие",
    "го": "ого его ьего",
    "му": "ому ему ьему",
    "м": "ым ом им ьим",
    "х": "ых их ьих",
    "ми": "ыми ими ьими",
    "ю": "ую ью",
}
_ORDINAL_SHORT = {long: short for short, longs in _ORDINAL_ENDINGS.items() for long in longs.split()}
_RU_ORDINAL = Lazy(
    r"-(?<=\d[%*=]*-)(" + "|".join(sorted(_ORDINAL_SHORT, key=len, reverse=True)) + r")(?![\p{L}\p{N}\p{M}])"
)

# --- Hyphens in particles, ru ------------------------------------------------------------------

_RU_IZZA = Lazy(r"(?<![\p{L}\p{N}\p{M}\-])((?i:из))[ \u00a0]((?i:за|под))" + _WORD_END)
_RU_IZZA_GATE = Lazy(r"[иИ][зЗ][ \u00a0][зЗпП]")
# "кто то", "где либо", "какой нибудь" → hyphenated; "как то" has its own rule below.  Not
# the pronoun «то» of «когда то, что…», «что то есть», «то же».
_TO_PRONOUN = (
    r"(?:откуда|куда|где|когда|зачем|почему|отчего|како[ейм]|какая|каки[емх]|какими|какую|что|чего|чему|чем"
    r"|чей|чьей|чьим?|чья|чьё|чье|чьи|кто|кого|кому|кем)"
)
_TO_NOT_PARTICLE = (
    r"(?![ \u00a0]*,[ \u00a0]*(?:(?:о|об|обо|про|за|на|в|во|с|со|к|ко|по|от|из|у|до|без|для|при|над|под|перед|через)"
    r"[ \u00a0]+)?(?:что|чего|чему|чем|чём|кто|кого|кому|кем|ком|как|каков|как[а-яё]{2,3}|где|куда|откуда|когда"
    r"|зачем|почему|сколько|чей|чья|чьё|чьи|ли)(?![\p{L}\p{N}]))"
    r"(?![ \u00a0]+(?:есть|же|бишь|и[ \u00a0]+дело)(?![\p{L}\p{N}]))"
)
# Found from the particle backwards: a particle is rare, a space before one of its words is not.
_RU_TO_PARTICLE = Lazy(r"(?:то|либо|нибудь|То|ТО|Либо|ЛИБО|Нибудь|НИБУДЬ)(?![\p{L}\p{N}\p{M}\-])")
_RU_TO_BEFORE = Lazy(r"(?<![\p{L}\p{N}\p{M}\-])(?i:" + _TO_PRONOUN + r")\K(?:[ \u00a0]-?|-[ \u00a0])$")
_RU_TO_AFTER = Lazy(_TO_NOT_PARTICLE)


def _ru_to(text: str) -> str:
    """ "кто то", "где либо", "какой нибудь" → hyphenated (see _TO_NOT_PARTICLE for «то»)."""
    parts: list[str] = []
    done = 0
    for m in _RU_TO_PARTICLE.finditer(text):
        if not m.start() or text[m.start() - 1] not in " \u00a0-":  # «это», «кто-то»: no gap before
            continue
        gap = _RU_TO_BEFORE.search(text, max(done, m.start() - 12), m.start())
        if gap is None or (m[0].lower() == "то" and _RU_TO_AFTER.match(text, m.end()) is None):
            continue
        parts += [text[done : gap.start()], "-"]
        done = m.start()
    return "".join(parts) + text[done:] if parts else text


# "как то" is the particle at a sentence start ("Как то раз"), before punctuation or a line end,
# and before the words that follow the particle, not a neuter noun (pronouns, «раз», «так»…);
# elsewhere it may be «такой же, как то дерево».
_KAKTO_AFTER = (
    r"(?:раз|так|вдруг|сразу|однажды|не|ни|уже|всё|тоже|иначе|само|странно|неловко|незаметно|неудобно|особенно"
    r"|слишком|совсем|очень|было|был|была|были|получилось|пришлось|я|ты|он|она|мы|вы|они|мне|меня|тебе|тебя|ему"
    r"|его|ей|её|нам|нас|вам|вас|им|их|себе|себя|сам|сама|сами)"
)
_RU_KAKTO = Lazy(
    r"[ \u00a0](?=(?i:то)" + _WORD_END + _TO_NOT_PARTICLE + r")"
    r"(?:(?<=(?<![\p{L}\p{N}\p{M}\-])(?i:как)[ \u00a0])"
    r"(?=(?i:то)[*=]*(?:[,.;:!?…)\"'«»„“”‘’]|$|[ \u00a0]" + _KAKTO_AFTER + r"(?![\p{L}\p{N}])))"
    r"|(?<=(?:^|[.!?…][*=\"'«»„“”‘’]*[ \u00a0])[*=\"'«»„“”‘’(]*(?:Как|КАК)[ \u00a0]))",
    regex.M,
)
_RU_KAKTO_GATE = Lazy(r"[кК][аА][кК][ \u00a0][тТ][оО]")
# "кое какие", "Кой как" → "кое-какие"; not "кое у кого", "кое в чём" (a preposition between).
_RU_KOE = Lazy(r"(?<![\p{L}\p{N}\p{M}\-])((?i:ко[ей]))[ \u00a0](\p{Cyrillic}{3,})" + _WORD_END)
_RU_KOE_GATE = Lazy(r"[кК][оО][еЕйЙ][ \u00a0]\p{Cyrillic}{3}")
# "скажите ка", "ну ка", "давай ка", "нате кась": an imperative or «ну/на» before; not «буква ка».
_RU_KA = Lazy(r"(?<=\p{Cyrillic}(?:те|[йиь])|(?<![\p{L}\-])(?i:ну|на))[ \u00a0](ка(?:сь)?)" + _WORD_END)
_RU_KA_GATE = Lazy(r"ка(?:сь)?(?<=[ \u00a0]ка|[ \u00a0]кась)(?![\p{L}\p{N}\p{M}\-])")
_RU_TAKI = Lazy(
    r"(?<![\p{L}\p{N}\p{M}\-])((?i:верно|довольно|опять|прямо|так|вс[её]|действительно|неужели))[ \u00a0](таки)"
    + _WORD_END
)
_RU_TAKI_GATE = Lazy(r"[ \u00a0]таки")


def _hyphenate(m: regex.Match[str]) -> str:
    """Two captured words (or the second pair of an alternation) joined by a hyphen."""
    groups = [g for g in m.groups() if g is not None]
    return f"{groups[0]}-{groups[1]}"


# --- Punctuation ------------------------------------------------------------------------------

# Three dots, or four (an ellipsis and a full stop: "k...." → "k…."); five or more are left.
_ELLIPSIS = Lazy(r"\.\.\.(?<![.?!]\.\.\.)(?!\.\.)")
_EN_ELLIPSIS = Lazy(r"\.\.\.(?<!\.\.\.\.)(?!\.\.)")
# ru: "?..." and "?…" → "?..", "!…" → "!.."; "…," → "…" (no comma after an ellipsis).
_RU_HELLIP_MARK = Lazy(r"([?!])(?:\.{3}|…)(?!\.)|(?:\.{3}|…)(?<![.?!]\.{3}|[.?!]…),")
# ",," ";;" → one; "::" only before a space or a line end ("std::vector" stays); "??" → "?",
# but "???" is left as typed (so is ".." : a sloppy ellipsis, not a doubled full stop).
_DOUBLE_GATE = Lazy(r"[,;:?][,;:?]")
_DOUBLE = Lazy(r",{2,}|;{2,}|:{2,}(?=\s|$)|\?\?(?<!\?\?\?)(?!\?)")
# ru: "!!" → "!", four or more → "!!!" (Russian punctuation: one or three).
_RU_HELLIP_MARK_GATE = Lazy(r"[?!](?:\.\.\.|…)|(?:\.\.\.|…),")
_RU_EXCLAMATION = Lazy(r"!{2,}")
_RU_EXCLAMATION_QUESTION = Lazy(r"!\?(?<![!?]!\?)(?![!?])")
# No space before , ! ? (unless a bracket follows: "Ура !)" is a smiley), nor before : ;
# that end a clause (not ":)" ":D" ";-)"), nor before a full stop that is not a dot of an
# ellipsis, a fraction (.45) or a name (.Net).
_SPACE_BEFORE_PUNCT = Lazy(
    r"[ \u00a0]+(?=[,!?](?![)=])|[:;](?=[.,:;!?…«»„“”‘’\"'*=]*(?:\s|$))|\.(?![.\p{L}\p{N}]))"
    r"(?<=[^\s.…!?:;,\-–—(\[{][ \u00a0]+)"
)
_SPACE_BEFORE_PUNCT_GATE = Lazy(r"[,.:;!?](?<=[ \u00a0][,.:;!?])")
_SPACE_BETWEEN_MARKS = Lazy(r"[!?]\K[ \u00a0]+(?=[!?])")
_RU_SPACE_AFTER_HELLIP_GATE = Lazy(r"(?:…|\.\.\.)\p{Lu}|[?!]\.\.\p{L}")
_SPACE_AFTER_OPEN = Lazy(r"([(\[])[ \u00a0]+")
_SPACE_BEFORE_CLOSE = Lazy(r"[ \u00a0]+([)\]])")
# A letter straight after , : ; or a capital after ! ? (not "Т!нькофф") gets its space.
_SPACE_AFTER_PUNCT = Lazy(r"[,:;!?]\K(?:(?<=[^\s,:;][,:;])(?=\p{L})|(?<=\S[!?])(?=\p{Lu}))")
# ru: "подумал…Но" → "подумал… Но"; "?..Ты" → "?.. Ты".  Not a leading "…Ва".
_RU_SPACE_AFTER_HELLIP = Lazy(r"(?:…|\.\.\.)(?<=[\p{L}\p{N})][*=]*(?:…|\.\.\.))\K(?=\p{Lu})|[?!]\.\.\K(?=\p{L})")


def _close_brackets(text: str) -> str:
    """ "( их )" → "(их)": a space before ) or ] goes only where a bracket of its kind is open in
    the paragraph — a lone ")" after a space is a Russian smiley and keeps its space."""

    def repl(m: regex.Match[str]) -> str:
        close = m[1]
        start = text.rfind("\n\n", 0, m.start()) + 1
        before = text[start : m.start()]
        opener = "(" if close == ")" else "["
        return close if before.count(opener) > before.count(close) else m[0]

    return _SPACE_BEFORE_CLOSE.sub(repl, text)


def _brackets(text: str) -> str:
    text = _SPACE_AFTER_OPEN.sub(r"\1", text)
    return _close_brackets(text) if " )" in text or " ]" in text or "\u00a0)" in text or "\u00a0]" in text else text


def _ru_hellip_mark(m: regex.Match[str]) -> str:
    return m[1] + ".." if m[1] else "…"


# --- Quotes -----------------------------------------------------------------------------------

_QUOTE_OR_PARA = Lazy(r"[\"«»„“”'‘’]|\n\n+")
_ANY_QUOTE = Lazy(r"[\"«»„“”'‘’]")
_EN_STRAIGHT_SINGLE = Lazy(r"'")
_OPENERS_BEFORE = "([{-–—/"
_CLOSERS_AFTER = ".,;:!?…)]}-–—"
# Quote chars that take part in pairing.  In English ’ is both the apostrophe and the inner
# closing quote, so single quotes cannot be paired reliably (nor re-paired on a second pass);
# they are converted by context alone and only double quotes are paired.
_PAIRED = {"ru": "\"«»„“”'‘’", "en": '"«»„“”'}
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
        opens = not prev or prev.isspace() or prev in _OPENERS_BEFORE or prev in '“‘«„"'
        if opens and nxt and not nxt.isspace() and not nxt.isdigit():
            chars[m.start()] = "‘"
        elif (prev and not prev.isspace()) or nxt.isdigit():
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


# --- Dashes -----------------------------------------------------------------------------------

# Exactly two numbers joined by one dash: phones (123-45-67) and ISO dates have more.
# Not after "digit+NBSP" either: that is the tail of a number we grouped ourselves.
_RANGE = Lazy(
    rf"(?<![\p{{L}}\p{{N}}{PH}\-–+.,:/_]|\d\u00a0)({_NUM})(?:[-–]|[ \u00a0][-–][ \u00a0])({_NUM})"
    r"(?![\p{N}\-–]|[.,:]\d)"
)
# "XX-XXI", "XX - XXI" → "XX–XXI" (centuries).
_RU_CENTURY_RANGE = Lazy(
    rf"(?<![\p{{L}}\p{{N}}\-–]){_ROMAN}\K(?:[ \u00a0]?[-–—][ \u00a0]?)(?={_ROMAN}(?![\p{{L}}\p{{N}}\-]))"
)
# "80-90-х", "1980-2010-е" → "80–90-х": two numbers, then a case ending.
_RU_DECADE = Lazy(r"(?<![\p{L}\p{N}\-–.,:/])(\d{1,4})-(\d{1,4})(?=-\p{Ll}{1,3}(?![\p{L}\p{N}]))")
_RU_DECADE_GATE = Lazy(r"\d-\d{1,4}-\p{Ll}")
_RU_CENTURY_RANGE_GATE = Lazy(r"[IVX][ \u00a0]?[-–—][ \u00a0]?[IVX]")
_MONTHS = (
    r"январ[ьяе]|феврал[ьяе]|март[ае]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|август[ае]?"
    r"|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе]"
)
_WEEKDAYS = r"понедельник|вторник|сред[аеуы]|четверг|пятниц[аеуы]|суббот[аеуы]|воскресень[ея]"
# "июне-июле", "Март - декабрь", "вторник-среда", "пн-пт" → an en dash, no spaces.
_RU_NAME_RANGE = Lazy(
    r"(?<![\p{L}\p{N}\-–])(?i:((?:"
    + _MONTHS
    + "|"
    + _WEEKDAYS
    + r"))[ \u00a0]?[-–—][ \u00a0]?((?:"
    + _MONTHS
    + "|"
    + _WEEKDAYS
    + r"))|(пн|вт|ср|чт|пт|сб|вс)[-–—](пн|вт|ср|чт|пт|сб|вс))"
    + _WORD_END
)
_RU_NAME_RANGE_GATE = Lazy(
    r"[-–—][ \u00a0]?(?i:янв|фев|мар|апр|ма[йяе]|июн|июл|авг|сен|окт|ноя|дек|пон|вто|сре|чет|пят|суб|вос|пн|вт|ср"
    r"|чт|пт|сб|вс)"
)
_RU_DASH_MID = Lazy(r"(?<=\S)[ \u00a0](?:-{1,3}|–|—)([ \u00a0])(?=\S)")
# After a sentence end, a dash before a capital opens the next sentence («…угрюмо. — Давай»): it
# binds forward, as at a line start.  Before a lowercase word («Привет! — сказала») it stays
# with the remark before it.
_QUOTE_CHARS = "\"'«»„“”‘’"  # any of them may become any other when quotes are paired
_SENTENCE_END = Lazy(rf"[.…?!][*={_QUOTE_CHARS}]*$")
_CAPITAL_NEXT = Lazy(rf"[*={_QUOTE_CHARS}]*\p{{Lu}}")
_RU_DASH_EOL = Lazy(r"(?<=\S)[ \u00a0](?:-{1,3}|–|—)$", regex.M)
_RU_DASH_BOL = Lazy(r"^([*=]*)(?:(?:-{1,3}|–)[ \u00a0]+|—(?:[ \u00a0]+|(?=[^\s\d])))(?=\S)", regex.M)
# Spaced en dash is a legitimate (British) style in English, so only hyphens become em dashes.
_EN_DASH_MID = Lazy(r"(?<=\S)[ \u00a0](?:-{1,3}|—)([ \u00a0])(?=\S)")
_EN_DASH_EOL = Lazy(r"(?<=\S)[ \u00a0](?:-{1,3}|—)$", regex.M)


def _mid_dash(m: regex.Match[str]) -> str:
    """ " - " → "⍽— ", keeping a no-break space the author typed after the dash."""
    return NBSP + "—" + m[1]


def _ru_mid_dash(m: regex.Match[str]) -> str:
    """ " - " → "⍽— ", or " —⍽" where the dash opens a new sentence (see _SENTENCE_END)."""
    start = max(0, m.start() - 8)
    if _SENTENCE_END.search(m.string, start, m.start()) and _CAPITAL_NEXT.match(m.string, m.end()):
        return " —" + NBSP
    return NBSP + "—" + m[1]


def _ru_dashes(text: str) -> str:
    text = _RU_DASH_BOL.sub("\\1—" + NBSP, text)  # before MID/EOL, which re-match its output
    text = _RU_DASH_MID.sub(_ru_mid_dash, text)
    return _RU_DASH_EOL.sub(NBSP + "—", text)


def _en_dashes(text: str) -> str:
    text = _EN_DASH_MID.sub(_mid_dash, text)
    return _EN_DASH_EOL.sub(NBSP + "—", text)


def _name_range(m: regex.Match[str]) -> str:
    return f"{m[1]}–{m[2]}" if m[1] else f"{m[3]}–{m[4]}"


# --- No-break spaces, ru ----------------------------------------------------------------------

# Not part of a word, a decimal fraction, a time, a path or a hyphenated code (ABC-12345).
_RU_NUM_LEFT = rf"(?<![\p{{L}}\p{{M}}\p{{N}}{PH}_.,:/+]|[\p{{L}}\p{{N}}]-)"
_RU_NUM_RIGHT = rf"(?![\p{{L}}\p{{M}}\p{{N}}{PH}_\-])"
_RU_BIG_INT = Lazy(_RU_NUM_LEFT + r"\d{5,}" + _RU_NUM_RIGHT)
_RU_SPACED_INT = Lazy(_RU_NUM_LEFT + r"\d{1,3}(?:[ \u00a0]\d{3})+" + _RU_NUM_RIGHT)
_GROUP3 = Lazy(r"(?<=\d)(?=(?:\d{3})+$)")
_RU_PERCENT = Lazy(r"(?<=\d[*=]*)%(?![\-\p{L}])")
_RU_UNITS = (
    r"(?i:руб(?:л[а-яё]*)?|р|коп|тыс|млн|млрд|трлн|шт|кг|г|гр|гг|км|м|см|мм|мл|л|мин|ч|сек|с"
    r"|дн(?:ей|я)?|лет|раза?|чел|мес|usd|eur|rub)"
)
_CURRENCY = "₽$€£¥₸"
# \K rather than a lookbehind: a pattern that starts with a plain class scans much faster.
_RU_UNIT_AFTER = Lazy(r"\d[*=]*\K[ ](?=[*=]*(?:[" + _CURRENCY + r"%‰°]|" + _RU_UNITS + r"(?![\p{L}\p{N}])))")
# "10тыс.", "2млн", "5кг" → a no-break space between the number and its unit (м, см, мм, км: the
# square-metre rule).  Not a code glued to letters (X15кг).
_RU_GLUED_UNIT = Lazy(
    r"(?<![\p{L}\p{N}_.,]|\p{L}-)\d+(?:[.,]\d+)?\K(?=(?:тыс|млн|млрд|трлн|руб|коп|кг|мл|шт|мин|сек|чел|мес)\.?(?![\p{L}\p{N}]))"
)
_RU_GLUED_UNIT_GATE = Lazy(r"\d(?:тыс|млн|млрд|трлн|руб|коп|кг|мл|шт|мин|сек|чел|мес)")
_RU_UNIT_BEFORE = Lazy(r"[" + _CURRENCY + r"][*=]*\K[ ](?=[*=]*\d)")
_RU_INITIALS = Lazy(
    r"(\p{Lu})\.(?<=(?<![\p{L}\p{N}.])\p{Lu}\.)[ \u00a0]?(\p{Lu})\.(?:[ \u00a0]?(?=\p{Lu}\p{Ll})(?P<sur>))?"
)
# "Пушкин А. С." — surname before initials, unless the initials already lead a surname.
_RU_SURNAME_FIRST = Lazy(r"[ ](?=\p{Lu}\.\u00a0\p{Lu}\.(?!\u00a0\p{Lu}\p{Ll}))(?<=\p{Lu}\p{Ll}+[ ])")
# "т.д.", "н. э.", "ст.ст.", "а.е.м." → a no-break space after each dot but the last.  The second
# part is not a Cyrillic top-level domain (кто.рус.).
_RU_CYRILLIC_TLD = r"(?:рф|ру|рус|орг|укр|бг|срб|ком|нет|сайт|онлайн|москва|дети)\.(?![\p{L}\p{N}])"
_RU_ABBR = Lazy(
    r"(?<![\p{L}\p{N}\p{M}.\-@]|\p{N}[ \u00a0])[а-яё]{1,3}\.(?:[ \u00a0]?(?!"
    + _RU_CYRILLIC_TLD
    + r")[а-яё]{1,3}\.)+(?![\p{L}\p{N}])"
)
_ABBR_GAP = Lazy(r"\.[ \u00a0]?(?=.)")
_RU_ABBR_GATE = Lazy(r"\.[ \u00a0]?[а-яё]{1,3}\.")
# "стр. 5", "рис.3", "гл. 2", "п. 4", "д. 12", "кв. 5", "эт. -1", "дом 25" → a no-break space.
_RU_NUMBERED = (
    r"стр|гл|рис|илл|ил|табл|прил|разд|абз|кн|вып|ч|т|п|пп|с|ст|д|кв|под|п-д|эт|оф|корп|к|комн?|уч|вл|влад|пом"
)
_RU_ABBR_NUMBER = Lazy(
    r"\.(?<=(?<![\p{L}\p{N}\p{M}.\-]|т\.[ \u00a0]?)(?i:" + _RU_NUMBERED + r")\.)\K[ \u00a0]*(?=[*=]*[-−]?\p{N})"
)
_NUMBERED_WORDS = ("дом", "корпус", "строение", "квартира", "офис", "подъезд", "литер")
_RU_WORD_NUMBER = Lazy(
    r"(?i:" + "|".join(_NUMBERED_WORDS) + r")(?<=(?<![\p{L}\p{N}\p{M}.\-])(?i:" + "|".join(_NUMBERED_WORDS) + r"))"
    r"\K[ \u00a0](?=[*=]*[-−]?\p{N}|\p{Lu}(?![\p{L}\p{N}]))"
)
# "ул. Тверская", "г.Москва", "пр. Мира", "мкр. «В»", "см. выше", "им. Пушкина" → a no-break space
# ("5 см." after a number is centimetres).
# Not the year in "2012 г. Москва" (nor days, seconds: "5 д.", "5 с."), not «и т. д. Потом»,
# not «и пр. Далее».
# Case-sensitive: a capital single letter (С. Петров) is an initial, bound by its own rule.
_RU_PLACE = (
    r"(?:[уУ]л|[пП]ер|[пП]росп|[пП]р-т|[пП]л|[нН]аб|ш|б-р|[бБ]ул|[оО]бл|[пП]ос|[мМ]кр|[мМ]крн|р-н|пгт|туп|[дД]ер|пр-д"
    r"|[сС]т|(?<!\p{N}[ \u00a0])[гсд])"
)
_ABBR_START = r"(?<![\p{L}\p{N}\p{M}.\-]|т\.[ \u00a0]?)"
_RU_ABBR_NAME = Lazy(
    r"\.(?:(?<=" + _ABBR_START + _RU_PLACE + r"\.)(?=[ \u00a0]*[*=]*[\p{Lu}\p{N}«»„“”‘’\"'])"
    r"|(?<=" + _ABBR_START + r"(?<!(?:^|[ \u00a0])[иИ][ \u00a0])(?i:пр)\.)(?=[ \u00a0]*[*=]*\p{Lu})"
    r"|(?<=" + _ABBR_START + r"(?<!\p{N}[ \u00a0])(?i:см|им)\.)(?=[ \u00a0]?[*=]*[\p{L}\p{N}]))\K[ \u00a0]*",
    regex.M,
)
# "ООО «Ромашка»", "ИП Иванов" → a no-break space after the legal form.
_UPPER_PAIR = Lazy(r"\p{Lu}\p{Lu}")
_RU_LEGAL_FORM = Lazy(
    r"[ ](?=\S)(?<=(?<![\p{L}\p{N}\p{M}\-])"
    r"(?:ООО|ОАО|ЗАО|ПАО|НАО|АО|ИП|НИИ|ПБОЮЛ|НКО|АНО|ТОО|ЧП|ГУП|МУП|ФГУП|ТСЖ|СНТ)[ ])"
)
# "XX в.", "XXв.", "XX-XXI вв.", "XX–XXI в. в." → "XX в." / "XX–XXI вв." with a no-break space.
_RU_CENTURY = Lazy(
    rf"(?<![\p{{L}}\p{{N}}\-–])({_ROMAN}(?:[-–]{_ROMAN})?)[ \u00a0]?(в\.[ \u00a0]?в\.|вв\.|в\.)"
    r"(?=[\s,;:?!)\"'«»„“”‘’]|$)"
)
_RU_CENTURY_GATE = Lazy(r"[IVX][ \u00a0]?в")
# "2012 г.", "1990-е гг.", "2012-2015г.г." → no-break space, "г.г." → "гг.".
_RU_YEARS = Lazy(
    r"(?<![\p{L}\p{N}\p{M}])(\d{1,4}(?:[-–]\d{1,4})?(?:-\p{Ll}{1,3})?)[ \u00a0]?(г\.[ \u00a0]?г\.|гг\.|г\.)"
    r"(?![\p{L}\p{N}])"
)
_RU_YEARS_GATE = Lazy(r"\d(?:-\p{Ll}{1,3})?[ \u00a0]?г\.")
# "2 м2", "2м", "20 м3", "5 км2" → "2 м²", "2 м", "20 м³"; and "м2" alone after "/" or a space
# (₽/м2, за м2).
_RU_SQUARE = Lazy(
    r"(?<![\p{L}\p{N}_]|\d[.,])(\d+(?:[.,]\d+)?)[ \u00a0]?((?:к|с|д|м)?м|(?:k|c|d|m)?m)([23²³])?(?![\p{L}\p{N}\-])"
    r"|(?<![\p{L}\p{N}_\-])((?:к|с|д|м)?м)([23])(?![\p{L}\p{N}\-])"
)
_RU_SQUARE_GATE = Lazy(r"\d[ \u00a0]?[ксдkcdm]?[мm][23²³]?(?![\p{L}\p{N}\-])|м[23]")
_SUPERSCRIPT = {"2": "²", "3": "³", "²": "²", "³": "³", "": ""}
_RU_PARTICLES = r"(?i:ли|ль|же|ж|бы|б)"
# Words of three letters or more that bind to the next word (every 1–2 letter word does too):
# short conjunctions and pronouns, conjunctions that open a clause («если», «когда», «чтобы»),
# and every preposition, whatever its length: «перед» or «через» at a line end hangs as badly
# as «в» («Чек-лист перед / запуском таргета»).
RU_BOUND_WORDS = (
    "обо",
    "изо",
    "для",
    "без",
    "про",
    "при",
    "под",
    "над",
    "или",
    "что",
    "как",
    "ото",
    "вне",
    "безо",
    "подо",
    "надо",
    "близ",
    "ради",
    "мимо",
    "перед",
    "передо",
    "через",
    "после",
    "между",
    "около",
    "возле",
    "кроме",
    "вдоль",
    "среди",
    "сверх",
    "вроде",
    "ввиду",
    "вокруг",
    "сквозь",
    "вместо",
    "против",
    "внутри",
    "помимо",
    "поверх",
    "посреди",
    "напротив",
    "насчёт",
    "насчет",
    "из-за",
    "из-под",
    "если",
    "когда",
    "чтобы",
    "чтоб",
    "хотя",
    "будто",
    "словно",
    "ибо",
    "дабы",
)
# Whole rule inside a lookbehind, so only the space is replaced: measured faster than a
# forward match with groups, and this scan runs on every text.
_RU_SHORT = Lazy(
    r"[ ](?=\S)(?<=[\p{L}*=][ ])(?<="
    + _WORD_START
    + r"(?i:"
    + _alternation(RU_BOUND_WORDS, backwards=True)
    + r"|\p{Cyrillic}{1,2})[*=]*[ ])"
    # A particle that follows a word binds backwards (next rule), not forwards, or
    # "сделал бы это" would glue three words together.
    r"(?<!\s[*=]*" + _RU_PARTICLES + r"[*=]*[ ])"
)
# A number and the word after it («30 сообществ», «за 30 минут», «в 2024 году»): a figure at a
# line end with its noun on the next line reads as two things; Lebedev's typograph binds them.
# Not before a short word or preposition («1 из 7», «2024 и 2025»): that word opens the next
# phrase and binds forward itself, and gluing both ways would make long unbreakable chains.
_RU_NUMBER_WORD = Lazy(
    _RU_NUM_LEFT + r"\d+(?:[.,:]\d+)?[*=]*\K[ ]"
    r"(?=[*=]*\p{L})(?![*=]*(?i:" + _alternation(RU_BOUND_WORDS) + r"|\p{Cyrillic}{1,2})(?![\p{L}\p{N}\p{M}\-]))"
)
_RU_PARTICLE = Lazy(r"[ ](?=[*=]*" + _RU_PARTICLES + r"(?![\p{L}\p{N}\p{M}\-]))(?<=[^\s\-–—][ ])")
_NUMERO = Lazy(r"([№§¶])[ \u00a0]?(?=[*=]*[\p{N}\p{L}])")
# "получил 5.", "(часть 1)", "вырос на 2 %." — a number of one or two digits ending a sentence
# or a line binds to the word before it.
_SHORT_LAST_NUMBER = Lazy(
    r"[ ](?=[*=]*\d{1,2}(?:\u00a0?[%‰])?[*=]*[-+−)\"'«»„“”‘’]?[*=]*(?:[.!?…]+(?:[ ][*=\"'«»„“”‘’]*\p{Lu}|$)|$))"
    r"(?<=\p{L}[*=]*[ ])",
    regex.M,
)


def _initials(m: regex.Match[str]) -> str:
    return f"{m[1]}.{NBSP}{m[2]}." + (NBSP if m.group("sur") is not None else "")


def _abbr(m: regex.Match[str]) -> str:
    """The whole chain at once ("ул. ул. т.д."), so a second pass cannot find a longer one."""
    return _ABBR_GAP.sub("." + NBSP, m[0])


def _century(m: regex.Match[str]) -> str:
    plural = m[2] != "в." or "-" in m[1] or "–" in m[1]
    return f"{m[1]}{NBSP}{'вв.' if plural else 'в.'}"


def _has_numbered_word(lower: str) -> bool:
    """Whether «дом», «корпус»… stands as a word before a space: str.find is ~50× faster than the
    regex engine on an alternation of Cyrillic literals, and «рядом», «домой» are common."""
    for word in _NUMBERED_WORDS:
        at = lower.find(word)
        while at >= 0:
            end = at + len(word)
            if (not at or not lower[at - 1].isalpha()) and lower[end : end + 1] in (" ", NBSP):
                return True
            at = lower.find(word, end)
    return False


def _ru_abbreviations(text: str) -> str:
    """Initials, «т. д.», «ул. Тверская», «стр. 5», «см. выше»: one rule run until nothing
    changes, since each part's no-break space is the context of another's next match
    ("т.д.см. кто" — «д.⍽см.» makes «см.» a word of its own)."""
    while True:
        changed = _RU_ABBR_NAME.sub(NBSP, text)
        changed = _RU_INITIALS.sub(_initials, changed)
        if "." + NBSP in changed:
            changed = _RU_SURNAME_FIRST.sub(NBSP, changed)  # after initials: reads their NBSP
        if _RU_ABBR_GATE.search(changed):
            changed = _RU_ABBR.sub(_abbr, changed)
        changed = _RU_ABBR_NUMBER.sub(NBSP, changed)
        if _has_numbered_word(changed.lower()):
            changed = _RU_WORD_NUMBER.sub(NBSP, changed)
        if changed == text:
            return text
        text = changed


def _years(m: regex.Match[str]) -> str:
    return f"{m[1]}{NBSP}{'г.' if m[2] == 'г.' else 'гг.'}"


def _square(m: regex.Match[str]) -> str:
    if m[4]:
        return m[4] + _SUPERSCRIPT[m[5]]
    return f"{m[1]}{NBSP}{m[2]}{_SUPERSCRIPT[m[3] or '']}"


# --- English ----------------------------------------------------------------------------------

# "a", "an" and "I": the words English typesetting keeps off a line end. Binding more (the
# Russian habit: "of", "the", "for", "and") glues English lines into stiff, ragged blocks.
_EN_SHORT = Lazy(
    r"[ ](?=\S)(?<=" + _WORD_START + r"(?i:a|an|i)"
    r"[*=]*[ ])"
)

# --- Line ends (both languages) ---------------------------------------------------------------

_SYMBOLS_ONLY = Lazy(rf"{_NO_WORD}+")
_SHORT_LAST = Lazy(rf"[*=]*\p{{L}}{{1,3}}{_NO_WORD}*")


def _last_gap(line: str, end: int) -> int:
    """Index of the last space or NBSP before ``end``, -1 if none."""
    return max(line.rfind(" ", 0, end), line.rfind(NBSP, 0, end))


def _bind_line_ends(text: str) -> str:
    """Glue a trailing emoji/symbol run and a last word of ≤ 3 letters to what precedes.

    Per line rather than one regex: only the last two tokens matter, and a lookahead to the
    line end tried at every space of the text costs far more than a few rfinds.
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


# --- The tables -------------------------------------------------------------------------------

# Shared by both languages: whitespace and symbol repairs, in the order they must run.
_SPACES = Rule("space/spaces", "", _spaces)
_LINE_EDGES_RULE = Rule("space/line-edges", " \u00a0", _sub(_LINE_EDGES, ""))
_BLANK_LINES_RULE = Rule("space/blank-lines", "\n", _sub(_BLANK_LINES, "\n\n"))
_ARROW_RULE = Rule("symbols/arrow", "<>", _sub(_ARROW, lambda m: "←" if m[0][0] == "<" else "→"))
_MATH_RULE = Rule("symbols/math", "=+", _until_stable(_MATH, lambda m: _MATH_SIGNS[m[0]]))
_COPY_RULE = Rule("symbols/copy", "(", _copy)
_TIMES_RULE = Rule("number/times", "xх×", _sub(_TIMES, "\\1×"), _TIMES_GATE)
_FRACTION_RULE = Rule("number/fraction", "/", _sub(_FRACTION, lambda m: _FRACTIONS.get(m[0], m[0])))
_MINUS_RULE = Rule("number/minus", "-", _sub(_MINUS, "−"))
_DOUBLE_RULE = Rule("punctuation/double", ",;:?", _sub(_DOUBLE, lambda m: m[0][0]), _DOUBLE_GATE)
_SPACE_BEFORE_RULE = Rule("space/before-punctuation", ",.:;!?", _sub(_SPACE_BEFORE_PUNCT, ""), _SPACE_BEFORE_PUNCT_GATE)
_SPACE_BETWEEN_RULE = Rule("space/between-marks", "!?", _sub(_SPACE_BETWEEN_MARKS, ""))
_BRACKETS_RULE = Rule("space/brackets", "([", _brackets)
_SPACE_AFTER_RULE = Rule("space/after-punctuation", ",:;!?", _sub(_SPACE_AFTER_PUNCT, " "))
_RANGE_RULE = Rule("dash/range", _DASHES, _sub(_RANGE, "\\1–\\2"))
_NUMERO_RULE = Rule("nbsp/numero", "№§¶", _sub(_NUMERO, "\\1" + NBSP))
_SHORT_LAST_NUMBER_RULE = Rule("nbsp/short-last-number", _DIGITS, _sub(_SHORT_LAST_NUMBER, NBSP))
_LINE_END_RULE = Rule("nbsp/line-end", " ", _bind_line_ends)

# Rules that insert a space run before the rules that read spaces: a later pass must find
# nothing new to do (the typograph is idempotent).  So: whitespace and punctuation repairs
# first, then symbols and number forms, then the no-break spaces a rule adds where there was no
# space at all ("стр.5", "2м2", "XXв."), then quotes, dashes, and the no-break spaces that only
# replace spaces, from the most specific to the most general, and the line ends last.
RULES: dict[str, tuple[Rule, ...]] = {
    "ru": (
        _SPACES,
        _LINE_EDGES_RULE,
        _BLANK_LINES_RULE,
        _ARROW_RULE,
        _COPY_RULE,  # before math: "!=(c)" is no emoticon once (c) is ©
        _MATH_RULE,
        Rule("symbols/numero-twice", "№", _sub(_NUMERO_TWICE, "№")),
        _SPACE_BEFORE_RULE,
        _SPACE_BETWEEN_RULE,
        _BRACKETS_RULE,
        _DOUBLE_RULE,
        Rule("punctuation/exclamation", "!", _sub(_RU_EXCLAMATION, lambda m: "!" if len(m[0]) == 2 else "!!!")),
        Rule("punctuation/exclamation-question", "!", _sub(_RU_EXCLAMATION_QUESTION, "?!")),
        Rule("punctuation/hellip-mark", ".…", _sub(_RU_HELLIP_MARK, _ru_hellip_mark), _RU_HELLIP_MARK_GATE),
        Rule("punctuation/hellip", ".", _sub(_ELLIPSIS, "…")),
        _SPACE_AFTER_RULE,
        Rule("space/after-hellip", "….", _sub(_RU_SPACE_AFTER_HELLIP, " "), _RU_SPACE_AFTER_HELLIP_GATE),
        Rule("nbsp/years", "г", _sub(_RU_YEARS, _years), _RU_YEARS_GATE),
        Rule("nbsp/square", "мm", _sub(_RU_SQUARE, _square), _RU_SQUARE_GATE),
        Rule("nbsp/centuries", "в", _sub(_RU_CENTURY, _century), _RU_CENTURY_GATE),
        Rule("nbsp/abbr", "", _ru_abbreviations),
        Rule("nbsp/glued-unit", _DIGITS, _sub(_RU_GLUED_UNIT, NBSP), _RU_GLUED_UNIT_GATE),
        _TIMES_RULE,
        _FRACTION_RULE,
        _MINUS_RULE,
        Rule("number/decimal-comma", ".", _sub(_RU_DECIMAL, "\\1,\\2"), _DECIMAL_GATE),
        # Particles before short-word binding, which would glue «из⍽за» instead.
        Rule("dash/izza", "зЗ", _sub(_RU_IZZA, _hyphenate), _RU_IZZA_GATE),
        Rule("dash/kakto", "тТ", _sub(_RU_KAKTO, "-"), _RU_KAKTO_GATE),
        Rule("dash/to", "тТбБ", _ru_to),
        Rule("dash/koe", "оО", _sub(_RU_KOE, _hyphenate), _RU_KOE_GATE),
        Rule("dash/ka", "к", _sub(_RU_KA, "-\\1"), _RU_KA_GATE),
        Rule("dash/taki", "т", _sub(_RU_TAKI, _hyphenate), _RU_TAKI_GATE),
        Rule("number/ordinal", "-", _sub(_RU_ORDINAL, lambda m: "-" + _ORDINAL_SHORT[m[1].lower()])),
        Rule("quotes", "\"«»„“”'‘’", lambda text: _quotes(text, "ru")),
        # Ranges before dashes: "5 - 10" is a range, not a pause.
        _RANGE_RULE,
        Rule("dash/centuries", _DASHES, _sub(_RU_CENTURY_RANGE, "–"), _RU_CENTURY_RANGE_GATE),
        Rule("dash/decade", "-", _sub(_RU_DECADE, "\\1–\\2"), _RU_DECADE_GATE),
        Rule("dash/month", _DASHES, _sub(_RU_NAME_RANGE, _name_range), _RU_NAME_RANGE_GATE),
        Rule("dash/main", _DASHES, _ru_dashes),
        Rule("nbsp/thousands", _DIGITS, _sub(_RU_BIG_INT, lambda m: _GROUP3.sub(NBSP, m[0]))),
        Rule("nbsp/spaced-thousands", _DIGITS, _sub(_RU_SPACED_INT, lambda m: m[0].replace(" ", NBSP))),
        Rule("nbsp/unit", _DIGITS, _sub(_RU_UNIT_AFTER, NBSP)),
        Rule("nbsp/number-word", _DIGITS, _sub(_RU_NUMBER_WORD, NBSP)),
        Rule("nbsp/currency", _CURRENCY, _sub(_RU_UNIT_BEFORE, NBSP)),
        Rule("nbsp/percent", "%", _sub(_RU_PERCENT, NBSP + "%")),
        _NUMERO_RULE,
        Rule("nbsp/legal-form", "ОЗПНИАТЧГМФС", _sub(_RU_LEGAL_FORM, NBSP), _UPPER_PAIR),
        _SHORT_LAST_NUMBER_RULE,
        Rule("nbsp/short-word", "", _sub(_RU_SHORT, NBSP)),
        Rule("nbsp/particle", "бжлБЖЛ", _sub(_RU_PARTICLE, NBSP)),
        _LINE_END_RULE,
    ),
    "en": (
        _SPACES,
        _LINE_EDGES_RULE,
        _BLANK_LINES_RULE,
        _ARROW_RULE,
        _COPY_RULE,  # before math: "!=(c)" is no emoticon once (c) is ©
        _MATH_RULE,
        _SPACE_BEFORE_RULE,
        _SPACE_BETWEEN_RULE,
        _BRACKETS_RULE,
        _DOUBLE_RULE,
        Rule("punctuation/hellip", ".", _sub(_EN_ELLIPSIS, "…")),
        _SPACE_AFTER_RULE,
        _TIMES_RULE,
        _FRACTION_RULE,
        _MINUS_RULE,
        Rule("quotes", "\"«»„“”'‘’", lambda text: _quotes(text, "en")),
        _RANGE_RULE,
        Rule("dash/main", _DASHES, _en_dashes),
        _NUMERO_RULE,
        _SHORT_LAST_NUMBER_RULE,
        Rule("nbsp/short-word", "", _sub(_EN_SHORT, NBSP)),
        _LINE_END_RULE,
    ),
}
