"""Typograph pass: plain text → the same text with typographic rules applied (pure, no I/O).

Input: the raw text of one card field — paragraphs separated by blank lines, single line
breaks, inline markup (``**bold**``, ``*italic*``, ``==accent==``) and backslash escapes
(``\\*``, ``\\=``).  Output: the same text with non-breaking spaces, proper dashes, quotes,
ellipsis, symbols and number formatting, after the Typograf project, and with keyboard slips
repaired (spaces around punctuation, doubled marks, hyphens in particles).  Markup stays in
place and is transparent to the rules.  URLs, bare domains, e-mails, @handles, #hashtags, phone
numbers, `inline code` and escapes are swapped for private-use placeholders before any rule
runs and restored afterwards, so no rule can touch them; the spaces inside a phone number come
back as no-break spaces, so a number never breaks across lines.  ``typograph(typograph(x)) ==
typograph(x)``: every rule accepts its own output unchanged.

The rules themselves, in the order they run, are in ``cardgen.text.typograph_rules`` (its docstring
lists the decisions they make); this module protects spans, runs the table and restores.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import regex

from cardgen.base.caches import register
from cardgen.text.typograph_rules import NBSP, PH, RU_BOUND_WORDS, RULES, Lazy, Rule

__all__ = ["NBSP", "RULES", "RU_BOUND_WORDS", "recorded", "remember", "rule_names", "typograph"]

# What texts became, by (language, text). The rules compile some fifty patterns (~30 ms) the
# first time they run in a process; a text set before need not pay for them:
# `cardgen.run.typographed` keeps each deck's results between runs and hands them in here
# (`remember`), then keeps what the deck used (`recorded`). Only whole-table results are kept.
_RESULTS: dict[tuple[str, str], str] = {}
_USED: set[tuple[str, str]] = set()
MAX_RESULTS = 20_000  # then the table starts again: a long `watch` session must not grow without end


def _forget() -> None:
    _RESULTS.clear()
    _USED.clear()


register("typograph results", _forget, files=False)


def remember(results: Iterable[tuple[str, str, str]]) -> None:
    """(language, text, typographed text) results of an earlier run, as `recorded` gave them."""
    for lang, text, result in results:
        _RESULTS[(lang, text)] = result


def recorded(clear: bool = True) -> list[tuple[str, str, str]]:
    """The (language, text, result) of every text typographed since the last call with `clear`."""
    out = [(lang, text, _RESULTS[(lang, text)]) for lang, text in sorted(_USED) if (lang, text) in _RESULTS]
    if clear:
        _USED.clear()
    return out


# --- Protected spans ---------------------------------------------------------

# Supplementary Private Use Area-A: never produced by keyboards or fonts in card text,
# and not \w / not \s, so placeholders behave as opaque "word-like" tokens.
_PH_BASE = 0xF0000
_PH_LAST = 0xFFFFD
_PH_RE = Lazy(f"[{PH}]")

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
DOMAIN_RE = Lazy(_DOMAIN)
# An address with its scheme (or www.): `cardgen.text.links` finds the addresses it shows with
# these, so what the typograph leaves alone as an address is what a slide shows as one.
URL_RE = Lazy(r"(?:(?:https?|ftp)://|www\.)" + _URL_BODY + "*" + _URL_END)
# Order matters: a stray placeholder char in the input comes first so it restores to
# itself; URLs and domains go before #hashtags so that a #fragment stays in its link;
# e-mails go before @handles.  A later span may contain placeholders of earlier ones,
# which _restore expands recursively.  Separate patterns, not one alternation: regex's
# literal prefilters only work on a single branch (the alternation was ~50x slower).
# Each comes with the characters one of its matches must contain: most texts have no
# URL, e-mail, phone or hashtag, and their patterns are then neither run nor compiled.
_STRAY_PLACEHOLDER = Lazy(f"[{PH}]")
# The flag says the span's spaces come back as no-break spaces: a phone number must not break.
_PROTECTORS: tuple[tuple[str, Lazy, bool], ...] = (
    ("`", Lazy(r"`[^`\n]+`"), False),  # inline code
    ("\\", Lazy(r"\\\S"), False),  # backslash escape: the escaped char must stay literal
    (":.", URL_RE, False),
    ("@", Lazy(r"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+"), False),  # e-mail
    ("@", Lazy(r"(?<![\p{L}\p{N}_@])@[\p{L}\p{N}_]+(?:\.[\p{L}\p{N}_]+)*"), False),  # @handle
    ("+", Lazy(r"(?<![\p{L}\p{N}+])\+\d{1,3}[ \u00a0\-]?\(?\d{1,5}\)?(?:[ \u00a0\-]?\d{2,4}){1,3}(?!\d)"), True),
    ("8", Lazy(r"(?<![\p{L}\p{N}])8[ \u00a0\-]?\(?\d{3}\)?[ \u00a0\-]?\d{3}(?:[ \u00a0\-]?\d{2}){2}(?!\d)"), True),
    (".", DOMAIN_RE, False),
    ("#", Lazy(r"(?<![\p{L}\p{N}_#&])#[\p{L}\p{N}_]+"), False),  # #hashtag
)
# Bare domains are the one costly scan; skip it unless a ".tld" occurs at all.
DOMAIN_HINT = Lazy(r"\.(?i:" + _TLDS + r")(?![\p{L}\p{N}\-_])")


def _protect(text: str) -> tuple[str, list[str], int] | None:
    """Swap protected spans for placeholders; None if there are too many to encode.

    Returns (text, spans, how many leading spans are literal stray placeholders).
    """
    spans: list[str] = []

    def stash(m: regex.Match[str]) -> str:
        spans.append(m[0])
        return chr(min(_PH_BASE + len(spans) - 1, _PH_LAST))

    def stash_bound(m: regex.Match[str]) -> str:
        spans.append(m[0].replace(" ", NBSP))
        return chr(min(_PH_BASE + len(spans) - 1, _PH_LAST))

    text = _STRAY_PLACEHOLDER.sub(stash, text)
    leaves = len(spans)
    for trigger, pattern, bound in _PROTECTORS:
        if any(c in text for c in trigger) and (pattern is not DOMAIN_RE or DOMAIN_HINT.search(text)):
            text = pattern.sub(stash_bound if bound else stash, text)
    return None if _PH_BASE + len(spans) - 1 > _PH_LAST else (text, spans, leaves)


def _restore(text: str, spans: list[str], leaves: int) -> str:
    if not spans:
        return text

    def expand(m: regex.Match[str]) -> str:
        index = ord(m[0]) - _PH_BASE
        return spans[index] if index < leaves else _PH_RE.sub(expand, spans[index])

    return _PH_RE.sub(expand, text)


def rule_names(lang: str = "ru") -> tuple[str, ...]:
    """The names of ``lang``'s rules, in the order they run."""
    return tuple(rule.name for rule in RULES[_language(lang)])


def _language(lang: str) -> str:
    key = lang.strip().lower()[:2]
    if key not in RULES:
        raise ValueError(f"unsupported typograph language: {lang!r} (expected 'ru' or 'en')")
    return key


def _selected(key: str, rules: Collection[str]) -> tuple[Rule, ...]:
    unknown = set(rules) - {rule.name for rule in RULES[key]}
    if unknown:
        raise ValueError(f"unknown typograph rule for {key!r}: {', '.join(sorted(unknown))}")
    return tuple(rule for rule in RULES[key] if rule.name in rules)


def typograph(text: str, lang: str = "ru", *, rules: Collection[str] | None = None) -> str:
    """Apply typographic rules for ``lang`` ("ru" or "en", region suffix ignored) to ``text``.

    ``rules`` runs only the named rules (in table order; protected spans are still protected):
    for testing one rule against its examples.  Pure and idempotent.  Raises ValueError only for
    an unsupported language or an unknown rule name.
    """
    key = _language(lang)
    table = RULES[key] if rules is None else _selected(key, rules)
    if not text or text.isspace():
        return text
    if rules is None:
        done = _RESULTS.get((key, text))
        if done is not None:
            _USED.add((key, text))
            return done
    result = _apply(text, table)
    if rules is None:
        if len(_RESULTS) >= MAX_RESULTS:
            _forget()
        _RESULTS[(key, text)] = result
        _USED.add((key, text))
    return result


def _apply(text: str, table: tuple[Rule, ...]) -> str:
    protected = _protect(text)
    if protected is None:
        return text  # >65k protected spans: not real card text, leave it alone
    out, spans, leaves = protected
    for rule in table:
        if (not rule.trigger or any(c in out for c in rule.trigger)) and (rule.gate is None or rule.gate.search(out)):
            out = rule.apply(out)
    return _restore(out, spans, leaves)
