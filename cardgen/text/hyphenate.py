"""Where a word, or a URL-like token, may be broken across lines.

Input:  one whitespace-free token as it appears in the text (it may carry surrounding
        punctuation such as «», quotes, commas or brackets) and a language code.
Output: sorted tuples of indices into that ORIGINAL token:

* ``hyphenation_points(word, lang)``: dictionary hyphenation; the typesetter draws
  ``word[:i] + "-"`` / ``word[i:]`` (never inside a hyphenated compound);
* ``hard_hyphen_points(word)``: just after a hyphen or dash already in the word, where a
  break needs no added hyphen (``"онлайн-курс"`` -> ``(7,)``);
* ``url_break_points(token)``: emergency break positions inside a URL or other long token, at
  its natural points: after ``/``, before ``? & = . #`` (never inside a word of it);
* ``url_word_points(token)``: after ``-`` or ``_`` inside such a token, mid-word: a last resort,
  for a part that has no natural point and is wider than the line (``@smm_prices``, ``snake_case``).

Hyphenation is deliberately conservative (a wrong or ugly break is worse than a ragged
line): pyphen's ``ru_RU`` / ``en_US`` dictionaries with at least 2 letters left on the line
and 3 carried over, only for words of 7+ letters, and never inside all-caps words,
CamelCase, anything with a digit, URLs / domains, @handles, #hashtags or e-mails.
"""

from __future__ import annotations

import hashlib
import marshal
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pyphen
from cardgen.base.caches import cache_dir, memo
from cardgen.base.files import write_file

__all__ = ["hard_hyphen_points", "hyphenation_points", "url_break_points", "url_word_points"]

LEFT_MIN = 2  # letters that must stay on the line before a hyphen
RIGHT_MIN = 3  # letters that must be carried to the next line
MIN_WORD_LETTERS = 7

_LANG_DICTS = {"ru": "ru_RU", "en": "en_US"}
# Languages written in Cyrillic; any other dictionary is assumed to be for Latin script.
_CYRILLIC_LANGS = ("ru", "uk", "be", "bg", "sr", "mk")
# Hyphen-minus, hyphen, en dash, em dash: a line may end after them without adding a hyphen.
_HARD_HYPHENS = frozenset("-\u2010\u2013\u2014")
# U+2011 NON-BREAKING HYPHEN splits a word into parts too, but is never a break point.
_PART_SEPARATORS = _HARD_HYPHENS | {"\u2011"}
# A URL breaks where a reader sees its parts: after a slash, before a query, a parameter, a value,
# a domain's dot or a fragment («sova-digital.ru/price» / «?id=7» / «&page=2»); never inside a
# word of it («utm_» / «campaign»), save as a last resort (`url_word_points`).
_URL_BREAK_BEFORE = frozenset("?&=.#")
_URL_WORD_JOINERS = frozenset("-_")
_URL_PUNCTUATION = frozenset("/") | _URL_BREAK_BEFORE | _URL_WORD_JOINERS
# A "." between two letters means a domain ("vk.com", "t.me"); letters = [^\W\d_].
_DOT_BETWEEN_LETTERS = re.compile(r"[^\W\d_]\.[^\W\d_]")


@memo()
def _dictionary(name: str) -> pyphen.Pyphen | None:
    """Load a pyphen dictionary once per process (loading parses the pattern file)."""
    try:
        path = pyphen.LANGUAGES[pyphen.language_fallback(name)]
    except (KeyError, TypeError):
        return None
    _load_patterns(path)
    try:
        return pyphen.Pyphen(filename=path, left=LEFT_MIN, right=RIGHT_MIN)
    except (KeyError, OSError, ValueError):
        return None


def _load_patterns(path: Path) -> None:
    """Put `path`'s parsed patterns into pyphen's own cache, from cardgen's cache folder.

    pyphen parses a pattern file on every start: 35 ms for ru_RU, 105 ms for en_US (which any
    Latin word in a Russian deck needs), against 2 and 7 ms to read the parsed patterns back
    with marshal. The file is keyed by pyphen's version, Python's and the pattern file's size and
    time; the patterns are the very ones pyphen parsed, so hyphenation cannot differ (a test
    compares). Any failure (no cache folder, a pyphen with other internals) only means parsing.
    """
    if path in pyphen.hdcache:
        return
    try:
        info = path.stat()
        key = "|".join(
            map(
                str,
                (
                    getattr(pyphen, "__version__", "?"),
                    sys.version_info[:2],
                    marshal.version,
                    path,
                    info.st_size,
                    info.st_mtime_ns,
                ),
            )
        )
        store = cache_dir() / "hyphenation" / f"{path.stem}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.marshal"
        try:
            patterns, maxlen = marshal.loads(store.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            hyph = pyphen.HyphDict(path)
            pyphen.hdcache[path] = hyph
            data = marshal.dumps((hyph.patterns, hyph.maxlen))  # ValueError: a dictionary with
            write_file(store, data)  # non-standard breaks (ValueError above): not stored
            return
        hyph = pyphen.HyphDict.__new__(pyphen.HyphDict)
        hyph.patterns, hyph.cache, hyph.maxlen = patterns, {}, maxlen
        pyphen.hdcache[path] = hyph
    except Exception:
        return


def _resolve_lang(lang: str) -> str | None:
    key = lang.replace("-", "_")
    if key.lower() in _LANG_DICTS:
        return _LANG_DICTS[key.lower()]
    return key if key in pyphen.LANGUAGES else None


def _script(part: str) -> str | None:
    """'cyr' or 'lat' when every letter is of that script, else None (mixed/other)."""
    if all("\u0400" <= c <= "\u04ff" for c in part):
        return "cyr"
    if all(c.isascii() or "\u00c0" <= c <= "\u024f" for c in part):
        return "lat"
    return None


def _dictionary_for(part: str, lang: str) -> pyphen.Pyphen | None:
    # A Latin-script word inside Russian text ("marketing") is hyphenated with the English
    # dictionary and vice versa, rather than with patterns that cannot match it.
    script = _script(part)
    if script is None:
        return None
    name = _resolve_lang(lang)
    name_script = None if name is None else ("cyr" if name.lower().startswith(_CYRILLIC_LANGS) else "lat")
    if name is None or name_script != script:
        name = "ru_RU" if script == "cyr" else "en_US"
    return _dictionary(name)


LAST_RESORT_MIN = 5  # letters on each side of a last-resort hyphen
SOFT_HYPHEN = "\u00ad"  # where the author allows a break: invisible unless the line ends there
_BOUND = re.compile("[\u00a0\u202f]")  # no-break spaces (the typograph's) inside a word


def _is_unbreakable_token(word: str) -> bool:
    """URLs, domains, paths, @handles, e-mails and #hashtags: never hyphenated."""
    return (
        "://" in word
        or "www." in word.lower()
        or "/" in word
        or "@" in word
        or "#" in word
        or _DOT_BETWEEN_LETTERS.search(word) is not None
    )


def _letter_core(word: str) -> tuple[int, int]:
    """[start, end) of the word without surrounding punctuation (quotes, brackets, …)."""
    start, end = 0, len(word)
    while start < end and not word[start].isalpha():
        start += 1
    while end > start and not word[end - 1].isalpha():
        end -= 1
    return start, end


def _parts(word: str, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, text) of the hyphen-separated parts of word[start:end]."""
    parts: list[tuple[int, str]] = []
    part_start = start
    for i in range(start, end + 1):
        if i == end or word[i] in _PART_SEPARATORS:
            parts.append((part_start, word[part_start:i]))
            part_start = i + 1
    return parts


def _part_qualifies(part: str) -> bool:
    # Only plain lowercase or Capitalised words: all-caps (СММ, NASA), inner capitals
    # (ВКонтакте, iPhone, TikTok), apostrophes or other symbols mean a name, an acronym or
    # a brand, where a dictionary hyphen would be wrong or ugly.
    return len(part) >= MIN_WORD_LETTERS and part.isalpha() and not any(c.isupper() for c in part[1:])


def last_resort_points(word: str, lang: str = "ru") -> tuple[int, ...]:
    """Hyphenation points for a word too wide for its line, where running text would not break:
    each word of a group the typograph bound with no-break spaces («of consistent»), and a
    word its style sets in capitals (looked up in lowercase; words typed in capitals stay whole)."""
    points, offset = [], 0
    for piece in _BOUND.split(word):
        lower = piece.lower()
        candidates = hyphenation_points(piece, lang)
        if not candidates and len(lower) == len(piece) and piece.isupper():
            candidates = hyphenation_points(lower, lang)
        # a heading's word broken as a last resort keeps long parts: no «коммента-/риях»; letters
        # are counted, not the quotes or brackets around them («ВЫСО-/КОТЕХНОЛОГИЧНЫЙ» has four)
        start, end = _letter_core(piece)
        points += [offset + i for i in candidates if i - start >= LAST_RESORT_MIN and end - i >= LAST_RESORT_MIN]
        offset += len(piece) + 1
    return tuple(points)


@memo(8192)
def hyphenation_points(word: str, lang: str = "ru") -> tuple[int, ...]:
    """Indices i (0 < i < len(word)) where `word` may break as word[:i] + "-" / word[i:].

    A word that qualifies is hyphenated with at least 2 letters before and 3 after every point;
    a hyphenated compound gets none (it breaks at its own hyphen only, see hard_hyphen_points).
    """
    if not word or _is_unbreakable_token(word):
        return ()
    if SOFT_HYPHEN in word:  # the author's own break points, the only ones (as TeX's \-)
        return tuple(
            i + 1
            for i, c in enumerate(word)
            if c == SOFT_HYPHEN and any(x.isalpha() for x in word[:i]) and any(x.isalpha() for x in word[i + 1 :])
        )
    if any(c.isdigit() for c in word):
        return ()
    start, end = _letter_core(word)
    parts = _parts(word, start, end)
    if len(parts) > 1:
        # A compound («фуд-блогеров», «онлайн-курс») breaks only at its own hyphen (see
        # hard_hyphen_points): a dictionary hyphen inside it («фуд-бло-геров») reads as two dashes.
        return ()
    points: list[int] = []
    for offset, part in parts:
        if not _part_qualifies(part):
            continue
        dic = _dictionary_for(part, lang)
        if dic is None:
            continue
        for pos in dic.positions(part):
            # pos.data is set only for non-standard breaks that change spelling (German
            # "ck" -> "k-k"); those cannot be drawn as word[:i] + "-".
            if pos.data is None and LEFT_MIN <= pos <= len(part) - RIGHT_MIN:
                points.append(offset + int(pos))
    return tuple(sorted(points))


def _alnum_run(word: str, i: int, step: int) -> str:
    """The characters from i going in `step` direction up to the next hyphen or the end."""
    out = []
    while 0 <= i < len(word) and word[i] not in _PART_SEPARATORS:
        out.append(word[i])
        i += step
    return "".join(c for c in out if c.isalnum())


@memo(4096)
def hard_hyphen_points(word: str) -> tuple[int, ...]:
    """Indices just after an existing hyphen or dash inside a word ("онлайн-курс" → (7,)):
    break without adding a hyphen.

    Like dictionary hyphenation, a break needs 2+ letters/digits before the hyphen and 3+
    after it, each side containing a letter: "кто-то", "из-за", "Wi-Fi" and number ranges
    like "10-15" stay whole. URLs, handles, hashtags and e-mails get none (see
    url_break_points for those).
    """
    if _is_unbreakable_token(word):
        return ()
    points: list[int] = []
    for k, ch in enumerate(word):
        if ch not in _HARD_HYPHENS:
            continue
        left = _alnum_run(word, k - 1, -1)
        right = _alnum_run(word, k + 1, 1)
        if (
            len(left) >= LEFT_MIN
            and len(right) >= RIGHT_MIN
            and any(c.isalpha() for c in left)
            and any(c.isalpha() for c in right)
        ):
            points.append(k + 1)
    return tuple(points)


@memo(1024)
def url_break_points(token: str) -> tuple[int, ...]:
    """Indices just after "/" and just before "?", "&", "=", ".", "#" inside a URL/long token,
    for breaking a token wider than the line where a reader sees its parts.

    Never at the very start or end, never inside a run of such characters (so not between the
    two slashes of "//", nor inside "?&"), never right after "://" (the scheme stays with the
    host), and only where both sides keep at least one letter or digit.
    """
    return _token_points(token, _natural_point)


@memo(1024)
def url_word_points(token: str) -> tuple[int, ...]:
    """Indices just after "-" or "_" inside a URL/long token: breaks inside a word of it, for a
    part with no natural point (see `url_break_points`) that is wider than the line. Same
    limits as `url_break_points`."""
    return _token_points(token, lambda before, after: before in _URL_WORD_JOINERS and after not in _URL_PUNCTUATION)


def _natural_point(before: str, after: str) -> bool:
    """A break between `before` and `after` is at a URL's natural point."""
    if before == "/":
        return after != "/"
    return after in _URL_BREAK_BEFORE and before not in _URL_PUNCTUATION


def _token_points(token: str, allowed: Callable[[str, str], bool]) -> tuple[int, ...]:
    n = len(token)
    alnum_before = [False] * (n + 1)  # alnum_before[i]: token[:i] has a letter/digit
    for i, c in enumerate(token):
        alnum_before[i + 1] = alnum_before[i] or c.isalnum()
    alnum_after = [False] * (n + 1)  # alnum_after[i]: token[i:] has a letter/digit
    for i in range(n - 1, -1, -1):
        alnum_after[i] = alnum_after[i + 1] or token[i].isalnum()
    points: list[int] = []
    for i in range(1, n):
        if not allowed(token[i - 1], token[i]):
            continue
        if token[max(0, i - 3) : i] == "://":
            continue
        if alnum_before[i] and alnum_after[i]:
            points.append(i)
    return tuple(points)
