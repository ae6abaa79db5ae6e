"""Tests for cardgen.text.hyphenate: dictionary points, hard hyphens and URL break points."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cardgen.text.hyphenate import (
    LEFT_MIN,
    RIGHT_MIN,
    hard_hyphen_points,
    hyphenation_points,
    last_resort_points,
    url_break_points,
    url_word_points,
)

RUSSIAN = ["комментариях", "бесплатных", "фотостоков", "нешаблонные", "предпринимателя"]


def letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


def assert_valid_points(word: str, points: tuple[int, ...]) -> None:
    assert list(points) == sorted(set(points))
    for i in points:
        assert 0 < i < len(word)
        # at least 2 letters stay on the line and 3 are carried over, within the part
        assert word[i - 1].isalpha() and word[i].isalpha()
        part_start = max(word.rfind(h, 0, i) for h in "-\u2010\u2011\u2013\u2014") + 1
        part_end = min([word.find(h, i) for h in "-\u2010\u2011\u2013\u2014" if h in word[i:]] or [len(word)])
        assert letters(word[part_start:i]) >= LEFT_MIN
        assert letters(word[i:part_end]) >= RIGHT_MIN


def hyphenated(word: str, lang: str = "ru") -> str:
    out, prev = [], 0
    for i in hyphenation_points(word, lang):
        out.append(word[prev:i])
        prev = i
    out.append(word[prev:])
    return "-".join(out)


@pytest.mark.parametrize("word", RUSSIAN)
def test_russian_words_get_points_respecting_left_and_right_minimums(word: str) -> None:
    points = hyphenation_points(word)
    assert points, word
    assert_valid_points(word, points)
    assert points[0] >= 2 and points[-1] <= len(word) - 3


def test_russian_points_are_at_syllable_boundaries() -> None:
    # Subsets rather than exact tuples, so a dictionary update that adds a valid point
    # does not break the test; each listed break is a standard Russian one.
    assert {3, 6} <= set(hyphenation_points("комментариях"))  # ком-мен-…
    assert 3 in hyphenation_points("бесплатных")  # бес-платных
    assert 4 in hyphenation_points("предпринимателя")  # пред-принимателя
    assert hyphenated("бесплатных").replace("-", "") == "бесплатных"


def test_seven_letters_is_the_minimum() -> None:
    assert hyphenation_points("продажи")  # 7 letters: про-дажи
    for six in ("привет", "канала", "«привет»", "дизайн,"):
        assert hyphenation_points(six) == (), six


@pytest.mark.parametrize(
    "word",
    [
        # all caps
        "СММ",
        "SMM",
        "NASA",
        "МАРКЕТИНГОВЫЙ",
        "ПРЕДПРИНИМАТЕЛЬ",
        "HYPHENATION",
        # CamelCase / inner capitals
        "ВКонтакте",
        "iPhone",
        "TikTok",
        "YouTube",
        "МаркетингПлюс",
        "предприниМатель",
        # digits
        "маркетинг2024",
        "2024года",
        "предприниматель1",
        # URLs, domains, paths
        "https://marketing.example.com",
        "vk.com/marketing",
        "www.marketing",
        "marketing.ru",
        "маркетинг.рф",
        "предприниматель/маркетинг",
        # handles, hashtags, e-mail
        "@marketingguru",
        "@предприниматель",
        "#предприниматель",
        "marketing@example.com",
        # not a plain word
        "предприни'матель",
        "пред·приниматель",
    ],
)
def test_never_hyphenated(word: str) -> None:
    assert hyphenation_points(word) == ()
    assert hyphenation_points(word, "en") == ()


@pytest.mark.parametrize(
    ("wrapped", "core"),
    [
        ("«предпринимателя»,", "предпринимателя"),
        ("(комментариях).", "комментариях"),
        ('"бесплатных"', "бесплатных"),
        ("—фотостоков…", "фотостоков"),
        ("[нешаблонные]!", "нешаблонные"),
        ("„комментариях“", "комментариях"),
    ],
)
def test_points_index_into_the_original_punctuated_word(wrapped: str, core: str) -> None:
    shift = wrapped.index(core)
    assert hyphenation_points(wrapped) == tuple(i + shift for i in hyphenation_points(core))
    for i in hyphenation_points(wrapped):
        assert wrapped[i - 1].isalpha() and wrapped[i].isalpha()


def test_capitalised_word_is_hyphenated_like_lowercase() -> None:
    assert hyphenation_points("Предпринимателя") == hyphenation_points("предпринимателя")


def test_hyphenated_compound() -> None:
    """A compound breaks at its own hyphen only: «фуд-бло-/геров» reads as two dashes in a row."""
    assert hyphenation_points("онлайн-курс") == ()
    assert hard_hyphen_points("онлайн-курс") == (7,)
    for word, hyphen in (("фуд-блогеров", 4), ("контент-маркетинг", 8), ("SMM-специалист", 4)):
        assert hyphenation_points(word) == ()  # no dictionary hyphen in either part, however long
        assert hard_hyphen_points(word) == (hyphen,)
    assert hyphenation_points("блогеров") and hyphenation_points("маркетинг")  # alone, they break


def test_non_breaking_hyphen_splits_parts_but_is_not_a_break() -> None:
    word = "онлайн\u2011курс"
    assert hard_hyphen_points(word) == ()
    assert hyphenation_points("предприниматель\u2011одиночка") == hyphenation_points("предприниматель-одиночка")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("онлайн-курс", (7,)),
        ("«онлайн-курс»,", (8,)),
        ("кто-нибудь", (4,)),
        ("по-русски", (3,)),
        ("SMM-специалист", (4,)),
        ("бизнес–процессы", (7,)),  # en dash
        ("да—нет", (3,)),  # em dash between words without spaces
        ("северо-восток-запад", (7, 14)),
        # too little on one side, or no letters: stays whole
        ("из-за", ()),
        ("кто-то", ()),
        ("Wi-Fi", ()),
        ("10-15", ()),
        ("2020–2024", ()),
        ("-курс", ()),
        ("курс-", ()),
        ("курс--курс", ()),
        ("vk.com/my-group", ()),
        ("@anna-marketing", ()),
        ("#онлайн-курс", ()),
        ("слово", ()),
    ],
)
def test_hard_hyphen_points(word: str, expected: tuple[int, ...]) -> None:
    assert hard_hyphen_points(word) == expected
    for i in expected:
        assert word[i - 1] in "-\u2010\u2013\u2014"


def test_english() -> None:
    points = hyphenation_points("hyphenation", "en")
    assert 2 in points  # hy-phen-ation
    assert_valid_points("hyphenation", points)
    # en_US has no pattern for "carousel" at left=2/right=3; whatever it gives is valid.
    assert_valid_points("carousel", hyphenation_points("carousel", "en"))
    assert_valid_points("marketing", hyphenation_points("marketing", "en"))
    assert hyphenation_points("marketing", "en")


def test_script_picks_the_dictionary_in_mixed_text() -> None:
    # A Latin word in Russian text uses the English patterns, and vice versa.
    assert hyphenation_points("marketing", "ru") == hyphenation_points("marketing", "en")
    assert hyphenation_points("комментариях", "en") == hyphenation_points("комментариях")
    # mixed scripts inside one word (a Latin "о" look-alike): no points
    assert hyphenation_points("комментaриях") == ()


def test_language_codes() -> None:
    assert hyphenation_points("комментариях", "ru_RU") == hyphenation_points("комментариях")
    assert hyphenation_points("hyphenation", "en-US") == hyphenation_points("hyphenation", "en")
    assert_valid_points("hyphenation", hyphenation_points("hyphenation", "xx"))  # no raise


def test_results_are_cached() -> None:
    hyphenation_points("предпринимателя")
    before = hyphenation_points.cache_info().hits
    hyphenation_points("предпринимателя")
    assert hyphenation_points.cache_info().hits == before + 1


def test_empty_and_odd_input() -> None:
    for word in ("", "-", "«»", "...", "—"):
        assert hyphenation_points(word) == ()
        assert hard_hyphen_points(word) == ()
        assert url_break_points(word) == ()
        assert url_word_points(word) == ()


def test_url_break_points() -> None:
    url = "https://example.com/path/to?x=1&y=2"
    points = url_break_points(url)
    # after a slash, before a query, a parameter, a value or a domain's dot: where its parts are
    assert [url[:i] for i in points] == [
        "https://example",
        "https://example.com/",
        "https://example.com/path/",
        "https://example.com/path/to",
        "https://example.com/path/to?x",
        "https://example.com/path/to?x=1",
        "https://example.com/path/to?x=1&y",
    ]
    # never between the two slashes, never right after "://", never at the ends
    assert url.index("//") + 1 not in points
    assert url.index("://") + 3 not in points
    assert 0 not in points and len(url) not in points


def test_url_break_points_more() -> None:
    token = "vk.com/my_group-name"
    assert [token[i:] for i in url_break_points(token)] == [".com/my_group-name", "my_group-name"]
    assert [token[:i] for i in url_word_points(token)] == ["vk.com/my_", "vk.com/my_group-"]  # last resort
    assert url_break_points("/path/") == ()  # a leading or trailing slash alone: no
    assert url_break_points("t.me/name") == (1, 5)
    assert url_break_points("a//b") == (3,)  # after the run of slashes, not inside it
    assert url_break_points("price/?id=1") == (6, 9)  # after the slash is before the «?»: once
    assert url_break_points("nothing") == url_word_points("nothing") == ()


def test_a_url_never_breaks_inside_a_word_of_it() -> None:
    """«utm_campaign» is a word: the URL breaks before «&» and «=», not after «utm_» (the art
    director's «utm_ / campaign=carousel»); a handle with no natural point keeps its last resort."""
    url = "https://sova-digital.ru/price?utm_source=vk&utm_campaign=carousel"
    pieces = [url[i:j] for i, j in zip((0, *url_break_points(url)), (*url_break_points(url), len(url)), strict=True)]
    assert pieces == ["https://sova-digital", ".ru/", "price", "?utm_source", "=vk", "&utm_campaign", "=carousel"]
    assert url_break_points("@smm_prices") == () and url_word_points("@smm_prices") == (5,)


@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюя", min_size=1, max_size=24))
@settings(max_examples=300, deadline=None)
def test_random_russian_words(word: str) -> None:
    points = hyphenation_points(word)
    if len(word) < 7:
        assert points == ()
    assert_valid_points(word, points)
    wrapped = f"«{word}»,"
    assert hyphenation_points(wrapped) == tuple(i + 1 for i in points)


@given(st.text(min_size=0, max_size=30))
@settings(max_examples=300, deadline=None)
def test_any_text_never_raises_and_stays_in_range(token: str) -> None:
    for points in (
        hyphenation_points(token),
        hyphenation_points(token, "en"),
        hard_hyphen_points(token),
        url_break_points(token),
        url_word_points(token),
    ):
        assert all(0 < i < len(token) for i in points)
        assert list(points) == sorted(set(points))


def test_parsed_patterns_are_cached_and_hyphenate_exactly_as_pyphen(tmp_path, monkeypatch) -> None:
    import pyphen

    from cardgen.text.hyphenate import _load_patterns

    monkeypatch.setenv("CARDGEN_CACHE_DIR", str(tmp_path))
    words = [*RUSSIAN, "переосмысление", "ответственность", "достопримечательность", "электроэнергия"]
    for lang, extra in (("ru_RU", words), ("en_US", ["hyphenation", "marketing", "information", "typography"])):
        path = pyphen.LANGUAGES[lang]
        fresh = pyphen.HyphDict(path)
        monkeypatch.delitem(pyphen.hdcache, path, raising=False)
        _load_patterns(path)  # parses, and stores the parsed patterns
        assert len(list((tmp_path / "hyphenation").glob(f"hyph_{lang}-*.marshal"))) == 1
        monkeypatch.delitem(pyphen.hdcache, path)
        with monkeypatch.context() as m:  # the second load must not parse
            m.setattr(pyphen.HyphDict, "__init__", lambda self, path: pytest.fail("parsed again"))
            _load_patterns(path)
        cached = pyphen.hdcache[path]
        assert cached is not fresh and cached.patterns == fresh.patterns and cached.maxlen == fresh.maxlen
        for word in extra:
            assert cached.positions(word) == fresh.positions(word), word


def test_a_damaged_pattern_cache_is_parsed_again(tmp_path, monkeypatch) -> None:
    import pyphen

    from cardgen.text.hyphenate import _load_patterns

    monkeypatch.setenv("CARDGEN_CACHE_DIR", str(tmp_path))
    path = pyphen.LANGUAGES["ru_RU"]
    monkeypatch.delitem(pyphen.hdcache, path, raising=False)
    _load_patterns(path)
    (stored,) = (tmp_path / "hyphenation").glob("hyph_ru_RU-*.marshal")
    stored.write_bytes(b"\x00garbage")
    monkeypatch.delitem(pyphen.hdcache, path)
    _load_patterns(path)
    assert pyphen.hdcache[path].patterns == pyphen.HyphDict(path).patterns


@pytest.mark.parametrize(
    "word",
    [
        "«ВЫСОКОТЕХНОЛОГИЧНЫЙ»",
        "«высокотехнологичный»",
        "(комментариях)",
        "высокотехнологичный",
        "в\u00a0«комментариях»",
    ],
)
def test_a_last_resort_break_keeps_five_letters_on_each_side_whatever_surrounds_them(word: str) -> None:
    """The minimum counts letters: quotes and brackets around a word are not letters (a title
    broke as «ВЫСО-/КОТЕХНОЛОГИЧНЫЙ» with four)."""
    points = last_resort_points(word)
    assert points
    for i in points:
        before, after = word[:i].rsplit("\u00a0", 1)[-1], word[i:].split("\u00a0", 1)[0]
        assert sum(c.isalpha() for c in before) >= 5 and sum(c.isalpha() for c in after) >= 5, (word, i)
    assert last_resort_points("«ВЫСОКОТЕХНОЛОГИЧНЫЙ»")[0] == len("«ВЫСОКО")  # высоко-/технологичный


def test_soft_hyphens_are_the_words_only_break_points() -> None:
    """A soft hyphen (U+00AD) is where the author allows a break: those points and no others,
    whatever the word's language, length or letters (it had none: "no place to hyphenate")."""
    shy = "\u00ad"
    assert hyphenation_points(f"Supercali{shy}fragilistic{shy}expialidocious", "en") == (10, 22)
    assert hyphenation_points(f"вы{shy}сокотехнологичный", "ru") == (3,)  # not the dictionary's
    assert hyphenation_points(f"«марке{shy}тинг»", "ru") == (7,)  # quotes around it do not stop it
    assert hyphenation_points(f"предприни{shy}mатель", "ru") == (10,)  # nor a letter of another script
    assert hyphenation_points(f"{shy}слово{shy}", "ru") == ()  # nothing on one side: no break
