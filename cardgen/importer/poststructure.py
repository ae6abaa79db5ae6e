"""A post's parsed blocks → the same blocks with its structure recognised (pure).

`cardgen.importer.postparse` (or any parser that yields `Block`s) reads a post into headings,
paragraphs, points, bullets and quotes. A post written for a channel says more than that, in
plain text; `structure` finds it, so the importer can give each part its layout:

- **Greetings and sign-offs** («Привет, ребят.», «Погнали.», «Не прощаемся :)», «Всем добра»,
  "Hey folks!", "Cheers, Sam") are taken out: they stay in the caption, which is the post, and
  never reach a card's body. Also taken out of the greeting's paragraph: sentences that only
  announce the post («Сегодня поговорим о…», «Давно не виделись…», "Let's talk about…").
  The word lists are GREETINGS, TRANSITIONS, ANNOUNCEMENTS and SIGN_OFFS, per language; a post is
  checked against all of them (a Russian post may open with «Hello!»).
- **Dialogue**: two or more lines in a row that start with a dash («– Всё сделал?», «— Да, …»),
  any mix of `-`, `–` and `—`, are a conversation when they read as speech: no lead-in ending
  with a colon, and a question or an author's remark («…, – ответил он») among them, most lines
  starting with a capital. They become one `dialogue` block (its lines in `body`), never a list.
- **Ordinals**: paragraphs in a row that open «Первое – …», «Второе – …» (or «Во-первых, …»,
  "First, …") are numbered points, as if written «1. …».
- **Quotations**: a paragraph that is wholly «in quotation marks», with «– Author» after it or
  not, is a `quote` block (the author in `body`).
- **Lead-ins**: a paragraph that ends with a colon just before a list or a dialogue gives its
  last sentence to the list as its own paragraph, so it can title the list.
- **Standalone lines as headings**: a short line of one sentence («Почему это важно.», «Второй
  момент.», «Секрет прост – …») followed by a longer paragraph, a list, steps or a dialogue
  titles what follows: it becomes a `heading`.

Each rule works on `Block`s only, so it does not depend on how the text was parsed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from cardgen.importer.postparse import Block, sentences, text_length

# Words that open a greeting sentence, a "let's go" line, an announcement of the post, a sign-off.
GREETINGS = {
    "ru": r"(?:всем\s+)?(?:привет\w*|приветствую\w*|здравствуй\w*|хай|салют|хеллоу|добр(?:ый|ое|ого)\s+"
    r"(?:день|дня|утро|утра|вечер|вечера|времени\s+суток)|доброй\s+ночи)",
    "en": r"(?:hi|hello|hey|hiya|howdy|greetings|good\s+(?:morning|afternoon|evening))",
}
TRANSITIONS = {
    "ru": r"(?:погнали|поехали|начнём|начнем|начинаем|ну\s+что,?\s+погнали|приступим)",
    "en": r"(?:let'?s\s+go|let'?s\s+dive\s+in|here\s+we\s+go|let'?s\s+get\s+started)",
}
ANNOUNCEMENTS = {
    "ru": r"(?:сегодня\s+(?:поговорим|расскажу|разберём|разберем|будет|у\s+нас|длинный|короткий)|"
    r"давно\s+не\s+виделись|обещал[аи]?\s+рассказать|рассказываю|наливайте|в\s+этом\s+посте)",
    "en": r"(?:today\s+(?:i|we|let'?s)|let'?s\s+talk\s+about|in\s+this\s+post|it'?s\s+been\s+a\s+while)",
}
SIGN_OFFS = {
    "ru": r"(?:не\s+прощаемся|всем\s+(?:добра|пис|мира|спасибо)|до\s+(?:связи|встречи|скорого|завтра)|"
    r"обнимаю|целую|с\s+любовью|берегите\s+себя|ваш[аи]?\s+(?-i:[А-ЯЁ])\w+(?=[\W_]*$)|"
    r"(?:хорошего|отличного|прекрасного)\s+(?:дня|вечера|настроения|недели|выходных)|"
    r"(?:пока(?:-пока)?|всем\s+пока|удачи(?:\s+(?:вам|всем))?)(?=[\W_]*$))",
    "en": r"(?:see\s+(?:you|ya)|take\s+care|all\s+the\s+best|until\s+next\s+time|talk\s+soon|xoxo|"
    r"thanks\s+for\s+reading|have\s+a\s+(?:great|nice|good)\s+(?:day|week|weekend)|"
    r"(?:cheers|bye|best(?:\s+wishes)?|love|good\s+luck)(?=[\W_]*$))",
}
SHORT_WORDS = 6  # a greeting or sign-off is a short sentence: at most this many words…
MORE_WORDS = 3  # …of which at most this many follow the words that make it one («Привет, ребят!)»)
DASHES = "-–—"
_DASH_LINE = re.compile(r"^[-–—]\s+(\S.*)$")
_REMARK = re.compile(r"[,.!?…]\s[-–—]\s\w")  # «Да, – ответил он»: the author's words inside speech
_ORDINALS = {
    "ru": [
        r"(?:перв(?:ое|ый|ая)|во-первых)",
        r"(?:втор(?:ое|ой|ая)|во-вторых)",
        r"(?:трет(?:ье|ий|ья)|в-третьих)",
        r"(?:четв[её]рт(?:ое|ый|ая)|в-четв[её]ртых)",
        r"(?:пят(?:ое|ый|ая)|в-пятых)",
    ],
    "en": [
        r"(?:first|firstly)",
        r"(?:second|secondly)",
        r"(?:third|thirdly)",
        r"(?:fourth|fourthly)",
        r"(?:fifth|fifthly)",
    ],
}
_ORDINAL_SEP = r"\s*(?:[-–—:,.)]\s*)(\S.*)$"
_QUOTED = re.compile(r"^[«“\"](?P<q>[^«»“”\"]{12,})[»”\"][.!?…]?(?:\s+[-–—]\s+(?P<a>[^.!?]{2,60}?)\.?)?$")
_URL = re.compile(r"https?://|www\.")
HEADING_MAX = 60  # characters of a standalone line that can title what follows
HEADING_WORDS = 8
LEAD_IN_MAX = 90  # a lead-in up to this long titles its list


def structure(blocks: list[Block], lang: str = "ru") -> list[Block]:
    """Blocks → blocks with greetings and sign-offs out and the rest recognised (see the module doc).

    Greetings, sign-offs and announcements are looked for in every language's list (a Russian
    post may open with «Hello!»); ordinals in the post's own language."""
    lang = lang if lang in GREETINGS else "ru"
    blocks = _without_greeting(blocks)
    blocks = _without_sign_off(blocks)
    # «Погнали.» on a line of its own says nothing a card could show, wherever it is.
    blocks = [
        b for b in blocks if not (b.kind == "paragraph" and is_transition(b.text) and len(sentences(b.text)) == 1)
    ]
    blocks = _dialogues(blocks)
    blocks = _ordinals(blocks, lang)
    blocks = _quotations(blocks)
    blocks = _lead_ins(blocks)
    return _standalone_headings(blocks)


def _any(table: dict[str, str]) -> str:
    return "|".join(f"(?:{pattern})" for pattern in table.values())


def _matches(pattern: str, sentence: str) -> bool:
    """A short sentence that opens with `pattern`, followed by a few words at most, and any
    punctuation, emoticons and emoji («Не прощаемся :)», «Привет, ребят!)»)."""
    if not 0 < len(sentence.split()) <= SHORT_WORDS:
        return False
    m = re.match(rf"^(?:{pattern})\b(.*)$", sentence, re.IGNORECASE)
    return m is not None and len(re.sub(r"[\W_]+", " ", m.group(1)).split()) <= MORE_WORDS


def is_greeting(sentence: str) -> bool:
    """«Привет, ребят!)», «Всем привет!», "Hey folks!": a short sentence that opens with a greeting."""
    return _matches(_any(GREETINGS), sentence.strip())


def is_sign_off(sentence: str) -> bool:
    """«Не прощаемся :)», «Всем добра!», "Cheers,": a short sentence that closes a post."""
    return _matches(_any(SIGN_OFFS), sentence.strip())


def is_transition(sentence: str) -> bool:
    """«Погнали.», "Let's dive in.": a line that only says the post starts now."""
    return _matches(_any(TRANSITIONS), sentence.strip())


def _without_greeting(blocks: list[Block]) -> list[Block]:
    """The post's opening greeting out, with «Погнали» and the sentences that only announce the
    post after it; the paragraphs they leave empty go too. Nothing is taken when the post opens
    without a greeting."""
    out = list(blocks)
    announcement = _any(ANNOUNCEMENTS)
    greeted = False
    for index, block in enumerate(out):
        if block.kind != "paragraph":
            break
        parts = sentences(block.text)
        while parts and (
            is_greeting(parts[0])
            or is_transition(parts[0])
            or (greeted and re.search(announcement, parts[0], re.IGNORECASE))
        ):
            greeted = greeted or is_greeting(parts[0]) or is_transition(parts[0])
            parts.pop(0)
        if not greeted:
            break
        out[index] = replace(block, text=" ".join(parts))
        if parts:
            break
    return [b for b in out if b.kind != "paragraph" or b.text.strip()]


def _without_sign_off(blocks: list[Block]) -> list[Block]:
    """Sign-off lines at the end out («Не прощаемся :)», "Cheers," and the name under it), and a
    sign-off sentence that ends the last paragraph."""
    out = list(blocks)
    while out and out[-1].kind == "paragraph":
        text = out[-1].text.strip()
        parts = sentences(text)
        if not parts:
            out.pop()
            continue
        if is_sign_off(parts[-1]) or (len(parts) == 1 and is_transition(parts[0])):
            rest = " ".join(parts[:-1])
            if rest:
                out[-1] = replace(out[-1], text=rest)
                break
            out.pop()
            continue
        if _bare_name(text) and len(out) >= 2 and out[-2].kind == "paragraph" and is_sign_off(out[-2].text):
            out.pop()  # "Cheers,\nSam": the name goes with the sign-off above it
            continue
        if re.fullmatch(r"[\W_]{1,6}", text):  # «:)» or an emoji alone on the last line
            out.pop()
            continue
        break
    return out


def _bare_name(text: str) -> bool:
    words = text.rstrip(".!").split()
    return 0 < len(words) <= 2 and all(w[:1].isupper() and w.isalpha() for w in words)


def _speech(block: Block) -> str | None:
    """A line that starts with a dash → the words after it; else None."""
    if block.kind == "bullet" and block.marker in DASHES and not block.body:
        return block.text
    if block.kind == "paragraph":
        m = _DASH_LINE.match(block.text)
        return m.group(1) if m else None
    return None


def is_dialogue(lines: list[str], lead_in: str | None = None) -> bool:
    """Dash lines → True when they read as speech, not as a list (see the module doc)."""
    if len(lines) < 2 or (lead_in or "").rstrip().endswith(":"):
        return False
    capitals = sum(1 for line in lines if line[:1].isupper())
    if capitals * 2 < len(lines) or any(line.rstrip().endswith(";") for line in lines):
        return False
    questions = sum(1 for line in lines if "?" in line)
    # A question and its answer; a list of questions alone («- Сколько стоит?») is a FAQ, not a talk.
    return 0 < questions < len(lines) or any(_REMARK.search(line) for line in lines)


def _dialogues(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        j = i
        lines: list[str] = []
        while j < len(blocks) and (line := _speech(blocks[j])) is not None:
            lines.append(line)
            j += 1
        before = out[-1].text if out and out[-1].kind == "paragraph" else None
        if j > i and is_dialogue(lines, before):
            out.append(Block("dialogue", "", body=tuple(lines)))
        else:  # the whole run is not a talk: its lines stay as they are (and are not looked at again)
            out += blocks[i : max(j, i + 1)]
        i = max(j, i + 1)
    return out


def _ordinals(blocks: list[Block], lang: str) -> list[Block]:
    """«Первое – …», «Второе – …» paragraphs in a row (two or more, from the first) → numbered points."""
    words = _ORDINALS.get(lang, _ORDINALS["ru"])
    out = list(blocks)
    i = 0
    while i < len(out):
        run = 0
        while (
            i + run < len(out)
            and run < len(words)
            and out[i + run].kind == "paragraph"
            and re.match(rf"^{words[run]}{_ORDINAL_SEP}", out[i + run].text, re.IGNORECASE)
        ):
            run += 1
        if run >= 2:
            for k in range(run):
                m = re.match(rf"^{words[k]}{_ORDINAL_SEP}", out[i + k].text, re.IGNORECASE)
                rest = m.group(1) if m else out[i + k].text
                out[i + k] = Block("number", rest[:1].upper() + rest[1:], str(k + 1))
            i += run
        else:
            i += 1
    return out


def _quotations(blocks: list[Block]) -> list[Block]:
    out = []
    for block in blocks:
        m = _QUOTED.match(block.text.strip()) if block.kind == "paragraph" else None
        author = (m.group("a") or "").strip() if m else ""
        # «…» – сказала мне однажды одна клиентка из Самары: a sentence, not a credit to set in
        # small type under a quote; the paragraph stays body text, as one with a longer remark does
        if m and (not author or is_credit(author)):
            block = Block("quote", m.group("q").strip(), body=(author,) if author else ())
        out.append(block)
    return out


CREDIT_WORDS = 6  # a quote's credit («Ирина, гид клуба») is at most this many words …
CREDIT_CHARS = 50  # … and this many characters; longer, it is a sentence of its own


def is_credit(text: str) -> bool:
    """Whether a line can sign a quote: a name and a role, not a remark set in small type."""
    text = text.strip()
    return bool(text) and len(text.split()) <= CREDIT_WORDS and len(text) <= CREDIT_CHARS


def _lead_ins(blocks: list[Block]) -> list[Block]:
    """A paragraph ending with a colon before a list → its last sentence on its own, to title the list."""
    out: list[Block] = []
    for i, block in enumerate(blocks):
        following = blocks[i + 1].kind if i + 1 < len(blocks) else None
        if (
            block.kind == "paragraph"
            and block.text.rstrip().endswith(":")
            and following in ("bullet", "number", "dialogue")
        ):
            parts = sentences(block.text)
            if len(parts) > 1:
                out += [replace(block, text=" ".join(parts[:-1])), replace(block, text=parts[-1])]
                continue
        out.append(block)
    return out


def _standalone_headings(blocks: list[Block]) -> list[Block]:
    out = list(blocks)
    in_points = False  # after a numbered point: a line before the next point is the point's own text
    for i, block in enumerate(out):
        if block.kind != "paragraph":
            in_points = block.kind == "number"
        if block.kind != "paragraph" or i + 1 >= len(out) or not is_standalone_line(block.text):
            continue
        following = out[i + 1]
        if following.kind == "number" and in_points:
            continue
        if following.kind == "paragraph":
            if text_length(following.text) < max(80, 1.5 * text_length(block.text)):
                continue
        elif following.kind not in ("bullet", "number", "dialogue"):
            continue
        out[i] = Block("heading", block.text.strip())
    return out


def is_standalone_line(text: str) -> bool:
    """A line that can title what follows: short, one sentence, no link, not a lead-in or a greeting."""
    text = text.strip()
    if (
        not text
        or text_length(text) > HEADING_MAX
        or len(text.split()) > HEADING_WORDS
        or text.endswith((":", ","))
        or _URL.search(text)
        or len(sentences(text)) != 1
        or not text[:1].isupper()
    ):
        return False
    return not (is_greeting(text) or is_sign_off(text) or is_transition(text))
