"""The typograph's rules one by one: input → output through the whole typograph (what a deck
gets), idempotence, negative cases where a rule could hurt real text, protected spans left
untouched by every rule, and the README's rules table kept true.  ⍽ in the strings below is a
no-break space."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cardgen.text.typograph import NBSP, rule_names, typograph

ROOT = Path(__file__).resolve().parents[2]


def nb(text: str) -> str:
    return text.replace("⍽", NBSP)


def show(text: str) -> str:
    return text.replace(NBSP, "⍽")


# rule → [(lang, input, expected)]; expected uses ⍽ for a no-break space.  Negative cases (the
# rule must hold back) are marked with a comment.
CASES: dict[str, list[tuple[str, str, str]]] = {
    # --- 1. binding -----------------------------------------------------------------------------
    "nbsp/short-word": [
        ("ru", "Если вы хотите", "Если⍽вы⍽хотите"),
        ("ru", "Пишите, когда будет время", "Пишите, когда⍽будет время"),
        ("ru", "Сохраняйте, чтобы не потерять", "Сохраняйте, чтобы⍽не⍽потерять"),
        ("ru", "Хотя было поздно", "Хотя⍽было поздно"),
        ("ru", "Он пришёл, пока мы спали", "Он⍽пришёл, пока мы⍽спали"),  # «пока» may be «bye»: not bound
        ("en", "I think a lot", "I⍽think a⍽lot"),  # English binds a, an and I only
        ("en", "The best of the year", "The best of the year"),
    ],
    "nbsp/legal-form": [
        ("ru", 'ООО "Ромашка"', "ООО⍽«Ромашка»"),
        ("ru", "ЗАО «Вектор» и ОАО «Заря»", "ЗАО⍽«Вектор» и⍽ОАО⍽«Заря»"),
        ("ru", "ИП Иванов", "ИП⍽Иванов"),
        ("ru", "ПАО Сбербанк", "ПАО⍽Сбербанк"),
        ("ru", "ззООО Пример", "ззООО Пример"),  # not a legal form inside a word
    ],
    "nbsp/abbr": [
        ("ru", "Смотрите стр. 5 и рис. 3", "Смотрите стр.⍽5 и⍽рис.⍽3"),
        ("ru", "гл. 2, илл. 4, табл. 1", "гл.⍽2, илл.⍽4, табл.⍽1"),
        ("ru", "См. выше", "См.⍽выше"),
        ("ru", "парк им. Горького", "парк им.⍽Горького"),
        ("ru", "ул. Тверская, д. 12, кв. 5", "ул.⍽Тверская, д.⍽12, кв.⍽5"),
        ("ru", "г.Москва, пр. Мира, эт. -1, оф. 22", "г.⍽Москва, пр.⍽Мира, эт.⍽−1, оф.⍽22"),
        ("ru", "дом 25, корпус 2, литер Щ", "дом⍽25, корпус⍽2, литер⍽Щ"),
        ("ru", "А.С. Пушкин", "А.⍽С.⍽Пушкин"),
        ("ru", "и т.д. и т.п.", "и⍽т.⍽д. и⍽т.⍽п."),
        ("ru", "до н.э.", "до⍽н.⍽э."),
        ("ru", "Это случилось в 2012 г. Москва росла", "Это случилось в⍽2012⍽г. Москва росла"),  # год, not город
        ("ru", "и т. д. Потом", "и⍽т.⍽д. Потом"),  # д. of «т. д.», not деревня
        ("ru", "и пр. Далее", "и⍽пр. Далее"),  # «и прочее»
        ("ru", "Длина 5 см. Далее", "Длина 5⍽см. Далее"),  # centimetres, not «смотри»
        ("ru", "Ищи на кто.рус. Потом", "Ищи на⍽кто.рус. Потом"),  # a domain, not an abbreviation
    ],
    "nbsp/centuries": [
        ("ru", "XX в.", "XX⍽в."),
        ("ru", "В XIX в. было иначе", "В⍽XIX⍽в. было иначе"),
        ("ru", "XX-XXI вв.", "XX–XXI⍽вв."),
        ("ru", "XX-XXI в.", "XX–XXI⍽вв."),
        ("ru", "XXв., XXIв.", "XX⍽в., XXI⍽в."),
        ("ru", "XX век начался", "XX век начался"),  # the word, not the abbreviation
    ],
    "nbsp/years": [
        ("ru", "1990-е гг.", "1990-е⍽гг."),
        ("ru", "в 2012г. всё началось", "в⍽2012⍽г. всё началось"),
        ("ru", "2012-2015 г.г.", "2012–2015⍽гг."),
    ],
    "nbsp/short-last-number": [
        ("ru", "Сегодня я получил 5.", "Сегодня я⍽получил⍽5."),
        ("ru", "Рассказ (часть 1)", "Рассказ (часть⍽1)"),
        ("ru", "Глава 5. Введение", "Глава⍽5. Введение"),
        ("ru", "Доллар вырос 2%.", "Доллар вырос⍽2⍽%."),
        ("ru", "Версия 2.0 вышла", "Версия 2.0⍽вышла"),  # not a sentence end (the number binds its noun)
        ("ru", "В 2024", "В⍽2024"),  # four digits: a year, bound as a short word's object anyway
        ("en", "I got 5.", "I⍽got⍽5."),
    ],
    "space/spaces": [
        ("ru", "\ufeffТекст", "Текст"),  # a byte order mark pasted with the text
    ],
    # --- 2. spaces and punctuation --------------------------------------------------------------
    "space/before-punctuation": [
        ("ru", "Привет , мир !", "Привет,⍽мир!"),
        ("ru", "Вопрос ? Ответ .", "Вопрос? Ответ."),
        ("ru", "Список : раз ; потом", "Список: раз; потом"),
        ("ru", "Привет :)", "Привет⍽:)"),  # an emoticon keeps its space
        ("ru", "Привет ;) и :D", "Привет ;) и⍽:D"),
        ("ru", "Нам нужен .Net-разработчик", "Нам нужен .Net-разработчик"),
        ("ru", "Калибр .45", "Калибр .45"),
        ("ru", "Ждите ...", "Ждите⍽…"),  # an ellipsis after a space is a pause, left
        ("en", "Fantastic, we closed the deal !", "Fantastic, we closed the deal!"),
    ],
    "space/brackets": [
        ("ru", "( их )", "(их)"),
        ("ru", "Текст [ ссылка ]", "Текст [ссылка]"),
        ("ru", "Спасибо )", "Спасибо⍽)"),  # a Russian smiley: no bracket is open
        ("ru", "Ура ))", "Ура⍽))"),
        ("en", "Call ( now )", "Call (now)"),
    ],
    "space/after-punctuation": [
        ("ru", "Итак,вот:всё;дальше", "Итак, вот: всё; дальше"),
        ("ru", "Ветер!Вот. Что?Где?Когда?", "Ветер! Вот. Что? Где? Когда?"),
        ("ru", "Т!нькофф", "Т!нькофф"),  # a brand, lowercase after «!»
        ("ru", "Рост 1,5 раза и 10:00", "Рост 1,5⍽раза и⍽10:00"),  # digits after , and :
        ("ru", "std::vector", "std::vector"),
        ("ru", "Привет, ребят!)", "Привет, ребят!)"),
        ("en", "Hello,world", "Hello, world"),
    ],
    "space/between-marks": [
        ("ru", "Стоп! ! !", "Стоп!!!"),
        ("ru", "Что? !", "Что?!"),
    ],
    "space/after-hellip": [
        ("ru", "подумал...Но", "подумал…⍽Но"),
        ("ru", "Ну?..Ты понял", "Ну?.. Ты⍽понял"),
        ("ru", "спокоен...но", "спокоен…но"),  # lowercase: left
        ("ru", "...Ва... ваше", "…Ва… ваше"),  # a leading ellipsis stays glued
    ],
    "punctuation/hellip-mark": [
        ("ru", "Что?...", "Что?.."),
        ("ru", "Ну!…", "Ну!.."),
        ("ru", "Моя работа…, впрочем", "Моя работа… впрочем"),
        ("en", "What?...", "What?…"),  # English keeps ?…
    ],
    "punctuation/hellip": [
        ("ru", "Ждите...", "Ждите…"),
        ("ru", "Конец....", "Конец…."),
        ("ru", "Много.....", "Много....."),
        ("en", "Wait...", "Wait…"),
    ],
    "punctuation/exclamation-question": [
        ("ru", "Да!?", "Да?!"),
        ("ru", "Да?!", "Да?!"),
    ],
    "punctuation/double": [
        ("ru", "краска;; но,, да:: понятно", "краска; но, да: понятно"),
        ("ru", "Что??", "Что?"),
        ("ru", "Что???", "Что???"),
        ("ru", "Ну..", "Ну.."),  # a sloppy ellipsis, not a doubled full stop
        ("en", "Yes,, maybe", "Yes, maybe"),
    ],
    "punctuation/exclamation": [
        ("ru", "Ура!!", "Ура!"),
        ("ru", "Ура!!!", "Ура!!!"),
        ("ru", "Ура!!!!!", "Ура!!!"),
        ("en", "Wow!!", "Wow!!"),  # a Russian rule
    ],
    "space/blank-lines": [
        ("ru", "Раз\n\n\n\nДва", "Раз\n\nДва"),
        ("ru", "Раз\n  \n \nДва", "Раз\n\nДва"),
    ],
    # --- 3. hyphens in particles ------------------------------------------------------------------
    "dash/to": [
        ("ru", "Кто нибудь знает", "Кто-нибудь знает"),
        ("ru", "когда то давно", "когда-то давно"),
        ("ru", "какой либо способ", "какой-либо способ"),
        ("ru", "что то пошло не так", "что-то пошло не⍽так"),
        ("ru", "где -то рядом", "где-то рядом"),
        ("ru", "Бывает, когда то, что любишь, надоедает", "Бывает, когда⍽то, что⍽любишь, надоедает"),
        ("ru", "Я знаю, что то есть у всех", "Я⍽знаю, что⍽то⍽есть у⍽всех"),
        ("ru", "Это то же самое", "Это то⍽же самое"),
        ("ru", "откуда - либо", "откуда⍽— либо"),  # a spaced hyphen is a dash
        ("ru", "Баскак то пришёл", "Баскак то⍽пришёл"),  # «то» binds as a short word, no hyphen
    ],
    "dash/kakto": [
        ("ru", "Как то раз", "Как-то⍽раз"),
        ("ru", "Было как то странно", "Было как-то странно"),
        ("ru", "Он как то мне сказал", "Он⍽как-то мне сказал"),
        ("ru", "И вот как то.", "И⍽вот как-то."),
        ("ru", "как то дерево", "как⍽то⍽дерево"),  # a demonstrative: «such as that tree»
        ("ru", "Такой же, как то дерево у дома", "Такой⍽же, как⍽то⍽дерево у⍽дома"),
        ("ru", "Всё так же, как то, что было", "Всё так⍽же, как⍽то, что⍽было"),
    ],
    "dash/koe": [
        ("ru", "кое какие деньги", "кое-какие деньги"),
        ("ru", "Кое как", "Кое-как"),
        ("ru", "Кой какой", "Кой-какой"),
        ("ru", "кое у кого", "кое у⍽кого"),
        ("ru", "кое в чём", "кое в⍽чём"),
    ],
    "dash/ka": [
        ("ru", "давайте ка посмотрим", "давайте-ка посмотрим"),
        ("ru", "Ну ка!", "Ну-ка!"),
        ("ru", "нате кась", "нате-кась"),
        ("ru", "буква ка", "буква⍽ка"),  # the letter's name, not the particle
    ],
    "dash/izza": [
        ("ru", "из за дождя", "из-за⍽дождя"),
        ("ru", "Из под печки", "Из-под⍽печки"),
        ("ru", "из подвала", "из⍽подвала"),
    ],
    "dash/taki": [
        ("ru", "всё таки", "всё-таки"),
        ("ru", "опять таки", "опять-таки"),
        ("ru", "Он таки пришёл", "Он⍽таки пришёл"),  # «таки» after a verb-less subject stays
    ],
    # --- 4. numbers and symbols -----------------------------------------------------------------
    "number/minus": [
        ("ru", "-20 % на всё", "−20⍽% на⍽всё"),
        ("ru", "Ночью -5 °C", "Ночью −5⍽°C"),
        ("ru", "от -5 до +3", "от⍽−5 до⍽+3"),
        ("ru", "(-10)", "(−10)"),
        ("ru", "COVID-19 и 5-10 и 2024-05-01", "COVID-19 и⍽5–10 и⍽2024-05-01"),  # hyphens in words, ranges, dates
        ("ru", "- 20 причин", "—⍽20⍽причин"),  # a dash line start, not a minus
        ("en", "-5 degrees", "−5 degrees"),
    ],
    "number/times": [
        ("ru", "1080 x 1350", "1080×1350"),
        ("ru", "1080x1350 px", "1080×1350⍽px"),
        ("ru", "3 х 4", "3×4"),  # a Cyrillic х
        ("ru", "Пример: 30 x 3=90", "Пример: 30×3=90"),
        ("ru", "0x1F", "0x1F"),  # hex
        ("ru", "A4x2", "A4x2"),  # a code
        ("ru", "в 2 х комнатной", "в⍽2 х⍽комнатной"),  # no number after
        ("en", "1920 x 1080", "1920×1080"),
    ],
    "number/decimal-comma": [
        ("ru", "Рост 1.5 %", "Рост 1,5⍽%"),
        ("ru", "в 2.5 раза", "в⍽2,5⍽раза"),
        ("ru", "0.5 кг", "0,5⍽кг"),
        ("ru", "1.5 млн просмотров", "1,5⍽млн просмотров"),
        ("ru", "Версия 1.2.3", "Версия 1.2.3"),
        ("ru", "Дата 01.02.2024", "Дата 01.02.2024"),
        ("ru", "iOS 17.2 вышла", "iOS 17.2⍽вышла"),
        ("ru", "п. 3.2 договора", "п.⍽3.2⍽договора"),
        ("ru", "Встречаемся в 10.30 с друзьями", "Встречаемся в⍽10.30⍽с⍽друзьями"),
        ("en", "Growth 1.5 % a year", "Growth 1.5 % a⍽year"),  # English keeps its decimal point
    ],
    "number/ordinal": [
        ("ru", "5-ый день", "5-й день"),
        ("ru", "2-ое место", "2-е место"),
        ("ru", "к 13-ому марта", "к⍽13-му марта"),
        ("ru", "22-ого июля", "22-го июля"),
        ("ru", "в 90-ых", "в⍽90-х"),
        ("ru", "3%-ый", "3%-й"),
        ("ru", "COVID-19", "COVID-19"),
    ],
    "symbols/arrow": [
        ("ru", "вход -> выход", "вход → выход"),
        ("ru", "назад <- вперёд", "назад ← вперёд"),
        ("ru", "a <-> b или", "a <-> b⍽или"),  # ↔ is missing from several theme fonts
        ("en", "Plan -> result", "Plan → result"),
    ],
    "symbols/copy": [
        ("ru", "(c) Ромашка", "© Ромашка"),
        ("ru", "(С) 2024", "© 2024"),
        ("ru", "Бренд(r) и (tm)", "Бренд®⍽и⍽™"),
        ("en", "(c) 2024", "© 2024"),
        ("en", "Options (a), (b) and (c)", "Options (a), (b) and (c)"),  # list items
    ],
    "number/fraction": [
        ("ru", "1/2 стакана", "½ стакана"),
        ("ru", "1/4 финала и 3/4 пути", "¼ финала и⍽¾ пути"),
        ("ru", "Дата 1/2/2024", "Дата 1/2/2024"),
        ("ru", "11/2", "11/2"),
        ("en", "1/2 cup of tea", "½ cup of⍽tea"),
    ],
    "symbols/math": [
        ("ru", "x >= 5", "x ≥ 5"),
        ("ru", "x <= 5 и y != 0", "x ≤ 5 и⍽y ≠ 0"),
        ("ru", "+-5 °C", "±5⍽°C"),
        ("ru", "Ура!=)", "Ура!=)"),  # an emoticon
        ("ru", "==важно== <= 5", "==важно== ≤ 5"),
        ("ru", "<<цитата>>", "<<цитата>>"),
        ("en", "a != b", "a⍽≠⍽b"),
    ],
    "nbsp/square": [
        ("ru", "20 м2", "20⍽м²"),
        ("ru", "5 км2 и 3 м3", "5⍽км² и⍽3⍽м³"),
        ("ru", "2м", "2⍽м"),
        ("ru", "Цена 5000 ₽/м2", "Цена 5000⍽₽/м²"),
        ("ru", "5 минут", "5⍽минут"),
    ],
    "dash/centuries": [
        ("ru", "XX-XXI", "XX–XXI"),
        ("ru", "XX - XXI", "XX–XXI"),
        ("ru", "Размеры XS-XL", "Размеры XS-XL"),
        ("ru", "CD-ROM", "CD-ROM"),
    ],
    "dash/decade": [
        ("ru", "80-90-х", "80–90-х"),
        ("ru", "В 1980-90-е годы", "В⍽1980–90-е годы"),
    ],
    "dash/month": [
        ("ru", "в июне-июле", "в⍽июне–июле"),
        ("ru", "Март - декабрь", "Март–декабрь"),
        ("ru", "вторник-среда", "вторник–среда"),
        ("ru", "пн-пт", "пн–пт"),
        ("ru", "Май - это весна", "Май⍽— это весна"),  # not a month after the dash
    ],
    "symbols/numero-twice": [
        ("ru", "№№ 5–10", "№⍽5–10"),
    ],
    "nbsp/glued-unit": [
        ("ru", "10тыс. подписчиков", "10⍽тыс. подписчиков"),
        ("ru", "2млн", "2⍽млн"),
        ("ru", "12345руб", "12⍽345⍽руб"),
        ("ru", "X15кг", "X15кг"),  # a code
    ],
    "dash/main": [
        ("ru", "«Обожди... – сказал он. – Давай письмо»", "«Обожди…⍽— сказал он. —⍽Давай письмо»"),
        ("ru", "Правда -\u00a0небольшая ложь", "Правда⍽—⍽небольшая ложь"),
    ],
}

ALL = [(rule, *case) for rule, cases in CASES.items() for case in cases]


@pytest.mark.parametrize(("rule", "lang", "src", "expected"), ALL, ids=[f"{r}:{s[:30]}" for r, _, s, _ in ALL])
def test_rule(rule: str, lang: str, src: str, expected: str) -> None:
    assert rule in rule_names(lang) or lang == "en", rule
    once = typograph(src, lang)
    assert once == nb(expected), f"{show(once)!r} != {expected!r}"
    assert typograph(once, lang) == once


def test_every_rule_has_cases_of_its_own_or_is_an_older_tested_one() -> None:
    older = {
        "space/line-edges",
        "quotes",
        "dash/range",
        "nbsp/thousands",
        "nbsp/spaced-thousands",
        "nbsp/unit",
        "nbsp/number-word",
        "nbsp/currency",
        "nbsp/percent",
        "nbsp/numero",
        "nbsp/particle",
        "nbsp/line-end",
    }
    for lang in ("ru", "en"):
        missing = set(rule_names(lang)) - set(CASES) - older
        assert not missing, f"{lang}: rules without cases: {sorted(missing)}"


# --- protected spans: no rule may touch them --------------------------------------------------

# One trigger of each rule, spaces included (for `code`), and without spaces (for URLs and the rest).
TRIGGERS = [
    "кто нибудь",
    "как то",
    "кое какие",
    "из за",
    "давайте ка",
    "всё таки",
    "-20 %",
    "1080 x 1350",
    "1.5 %",
    "5-ый",
    "->",
    "<-",
    "(c)",
    "1/2",
    ">=",
    "!=",
    "+-",
    "XX-XXI",
    "80-90-х",
    "июне-июле",
    "№№",
    "стр. 5",
    "ул. Тверская",
    "ООО Ромашка",
    "XX в.",
    "1990-е гг.",
    "20 м2",
    "10тыс.",
    "Привет , мир !",
    "( их )",
    "подумал...Но",
    "?...",
    "!?",
    ",,",
    "!!",
    "a - b",
    "Если вы",
    "10000",
    "20%",
    '"q"',
    "т.д.",
    "А.С. Пушкин",
    "5-10",
    "получил 5.",
]
GLUED = [
    "->",
    "(c)",
    "1/2",
    ">=",
    "!=",
    "+-",
    "5-ый",
    "XX-XXI",
    "80-90-х",
    "1.5%",
    "-20",
    "1080x1350",
    "10тыс.",
    "м2",
    "№№",
    "!?",
    ",,",
    "!!",
    "?...",
    "т.д.",
    "ул.Тверская",
    "стр.5",
    "5-10",
    "10000",
]


def _spans(trigger: str) -> list[str]:
    spans = [f"`{trigger}`"]
    if not any(c in trigger for c in ' "<>'):  # a URL ends at a space, a straight quote, < or >
        spans.append(f"https://example.com/a{trigger}b/c")
        spans.append(f"https://example.com/?q={trigger}&x=1")
    return spans


SPAN_CASES = sorted({(t, s) for t in TRIGGERS + GLUED for s in _spans(t)})
WORD_SPANS = ["@sasha_smm", "#маркетинг_2024", "info@smm-agency.ru", "vk.com/club1", "#из_за", "@kto_to"]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_no_rule_touches_a_protected_span(lang: str) -> None:
    for _trigger, span in SPAN_CASES:
        text = f"Смотрите {span} сегодня"
        for rule in (None, *[[name] for name in rule_names(lang)]):
            result = typograph(text, lang, rules=rule)
            assert span in result, f"{rule}: {span!r} became {show(result)!r}"
    for span in WORD_SPANS:
        text = f"Пишите {span} , если ( нужно ) -> кто нибудь"
        assert span in typograph(text, lang), span


def test_phone_numbers_never_break_and_keep_their_digits() -> None:
    assert typograph("Звоните 8 800 555-35-35") == nb("Звоните 8⍽800⍽555-35-35")
    assert typograph("Тел.: +7 (999) 123-45-67") == nb("Тел.: +7⍽(999)⍽123-45-67")
    once = typograph("+7 999 123-45-67, 8-800-555-35-35")
    assert typograph(once) == once
    assert "555-35-35" in once and "123-45-67" in once  # never read as ranges


# --- the README's rules table ------------------------------------------------------------------

README_ROW = re.compile(r"^\| `([a-z/-]+)` \| ([a-z, ]+) \| `([^`]*)` → `([^`]*)` \| (on|off) \|", re.MULTILINE)


def test_the_readme_table_lists_every_rule_and_its_examples_hold() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = README_ROW.findall(readme)
    listed = {name for name, *_ in rows}
    assert listed == set(rule_names("ru")) | set(rule_names("en"))
    for name, langs, src, expected, _default in rows:
        for lang in (code.strip() for code in langs.split(",")):
            assert name in rule_names(lang), f"README says {name} runs for {lang}"
        lang = langs.split(",")[0].strip()
        result = typograph(src.replace("⏎", "\n"), lang)
        assert show(result).replace("\n", "⏎") == expected, name


def test_a_3000_character_post_is_typographed_quickly() -> None:
    """A guard, not a benchmark: a whole post takes ~1 ms; 50 ms would mean a runaway pattern."""
    import time

    post = (ROOT / "tests" / "fixtures" / "typograph_post.txt").read_text(encoding="utf-8")
    assert len(post) >= 3000
    typograph(post)
    started = time.perf_counter()
    for _ in range(5):
        typograph(post)
    assert (time.perf_counter() - started) / 5 < 0.05
