"""A post (plain text or Markdown) → `Block`s; long text → card-sized chunks at sentence ends (pure).

Posts come from Telegram, VK and editors, so the reader is lenient rather than a Markdown
parser. It recognises:

- headings: `# …` to `###### …`, and a line underlined with `===`/`---`;
- numbered points: `1. …`, `1) …`, keycap emoji `1️⃣ …`, `Шаг 1. …` / `Step 1: …`;
- bullets: `-`, `*`, `+`, `•` always; `—`, `–`, `▪️`, `✅`, `👉` and other emoji markers only when
  two or more lines in a row start with the same one (a single «— Привет» is direct speech,
  a single «🔥 Новость» is a paragraph); check marks `✅`, `☑️`, `✔️`, `✓` count as one marker,
  so a checklist that mixes them is one list (`is_check`: the importer marks it with checks);
- quotes: `> …`;
- paragraphs: a blank line ends one. A single line break ends one too (Telegram posts put each
  paragraph on its own line), unless the line was hard-wrapped: it stops mid-sentence and the
  next line starts with a lowercase letter.

Indented lines under a point belong to it (`Block.body`). Markdown emphasis becomes cardgen's
inline markup: `**bold**`/`__bold__` → `**bold**`, `*italic*`/`_italic_` → `*italic*` (the
importer leaves italics out of titles and quotes, which are set in the heading family, and not
every heading family has an italic); `[text](url)` becomes «text (url)», `` `code` `` plain
text. A literal `==` is escaped, since `==…==` is cardgen's accent. The inline Markdown is read
by markdown-it-py (CommonMark); the lenient block rules above are cardgen's own.

Chunking (`chunk_paragraphs`) never breaks inside a word: between paragraphs first, then
between sentences, then after `;`/`,`, and only for a single over-long clause between words.
A last card that would hold a line or two (a stub) takes the closing sentences of the card
before it, so a continuation never leaves one line on an otherwise empty card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal
from cardgen.base.caches import memo

Kind = Literal["heading", "paragraph", "number", "bullet", "quote", "dialogue"]  # dialogue: see poststructure
PARAGRAPH_COST = 40  # characters a paragraph break costs: the gap and the half-empty last line before it


@dataclass(frozen=True, slots=True)
class Block:
    kind: Kind
    text: str
    marker: str = ""  # a bullet's marker, or a number's figure
    body: tuple[str, ...] = field(default=())  # indented paragraphs under a point


_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_QUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")
_NUMBER = re.compile(
    r"^\s{0,3}(?:(?P<n>\d{1,2})[.)]|(?P<k>\d)\ufe0f?\u20e3|(?:Шаг|шаг|Step|step)\s+(?P<s>\d{1,2})[.:)]?)\s+(?P<t>\S.*)$"
)
_STRONG_BULLET = "-*+•"
CHECK_MARKERS = "✅☑✔✓"  # one marker for `_weak_bullets_to_paragraphs`, and a `check` list
_BULLET = re.compile(
    r"^\s{0,3}(?P<m>[-*+•·▪▫◦‣●○■□➖➡→▶►✓✔☑—–]|[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2B55])"
    r"\ufe0f?\s+(?P<t>\S.*)$"
)
_WHOLE_BOLD = re.compile(r"^\*\*(?=\S)([^*]+?)(?<=\S)\*\*:?$")
_INDENTED = re.compile(r"^(?: {2,}|\t)\S")
_SENTENCE_END = re.compile(r"[.!?…]+[»\")\]]*$|[:;]$")
# A sentence ends at . ! ? … (and closing quotes/brackets) before a space and a capital, digit,
# opening quote or dash; not after one-letter initials or common abbreviations.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[»\")\]*]*\s+(?=[«\"(—–\-\dA-ZА-ЯЁ*])")
# «и т. д.», «и т. п.» close a clause: a capital after them starts a new sentence.
_CLAUSE_END = re.compile(r"(?:^|\s)т\.\s?[дп]\.$")
_ABBREVIATION = re.compile(
    r"(?:^|[\s(])(?:[A-Za-zА-Яа-яЁё]|т\.\s?[дпе]|др|пр|см|ср|стр|рис|табл|г|гг|ул|д|руб|коп|тыс|млн|млрд|"
    r"им|т|н|e\.g|i\.e|etc|vs|Mr|Mrs|Dr|St)\.$"
)


def parse_blocks(text: str) -> list[Block]:
    """Post text → blocks in order (see the module doc for what is recognised)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").replace("\t", "    ")
    blocks: list[Block] = []
    para: list[str] = []  # lines of the paragraph being read
    quote: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block("paragraph", clean_inline(" ".join(para))))
            para.clear()
        if quote:
            blocks.append(Block("quote", clean_inline(" ".join(quote))))
            quote.clear()

    for raw in text.split("\n"):
        line = _bold_marker_inside(raw.rstrip())
        if _SETEXT.match(line) and len(para) == 1 and not quote:  # a line underlined: a heading
            blocks.append(Block("heading", clean_inline(para.pop())))
        elif not line.strip() or _RULE.match(line):
            flush()
        elif heading := _bold_heading(line, para):
            flush()
            blocks.append(Block("heading", heading))
        elif m := _HEADING.match(line):
            flush()
            blocks.append(Block("heading", clean_inline(m.group(2))))
        elif m := _QUOTE.match(line):
            if para:
                flush()
            quote.append(m.group(1).strip())
        elif not para and _continues_point(blocks, line):
            pass  # added to the point above
        elif m := _NUMBER.match(line):
            flush()
            figure = m.group("n") or m.group("k") or m.group("s")
            blocks.append(Block("number", clean_inline(m.group("t")), figure))
        elif m := _BULLET.match(line):
            flush()
            blocks.append(Block("bullet", clean_inline(m.group("t")), m.group("m")))
        elif para and _hard_wrapped(para[-1], line):
            para.append(line.strip())
        else:
            flush()
            para.append(line.strip())
    flush()
    return _weak_bullets_to_paragraphs(blocks)


def _bold_heading(line: str, para: list[str]) -> str | None:
    """A short line set wholly in bold, not a sentence: how Telegram posts make headings."""
    m = _WHOLE_BOLD.match(line.strip())
    if not m or text_length(m.group(1)) > 80 or re.search(r"[.!?…]$", m.group(1)):
        return None
    if para and _hard_wrapped(para[-1], line):
        return None
    return clean_inline(m.group(1))


def _continues_point(blocks: list[Block], line: str) -> bool:
    """An indented line under a point is its body; an unindented lowercase line that carries on
    its unfinished sentence is its own text wrapped. Either way the point absorbs it → True."""
    if not blocks or blocks[-1].kind not in ("number", "bullet") or _NUMBER.match(line):
        return False
    last, clean = blocks[-1], clean_inline(line.strip())
    if _INDENTED.match(line):
        body = list(last.body)
        if body and _hard_wrapped(body[-1], line):
            body[-1] += " " + clean
        else:
            body.append(clean)
        blocks[-1] = Block(last.kind, last.text, last.marker, tuple(body))
        return True
    if _hard_wrapped(last.text, line) and not _BULLET.match(line):
        blocks[-1] = Block(last.kind, f"{last.text} {clean}", last.marker, last.body)
        return True
    return False


def _bold_marker_inside(line: str) -> str:
    """«**1. Заголовок** …» → «1. **Заголовок** …»: a bold point or bullet keeps its marker visible to the parser."""
    m = re.match(r"^(\s*)\*\*(?=\S)(.*)$", line)
    if not m or "**" not in m.group(2):
        return line
    rest = m.group(2)
    for pattern in (_NUMBER, _BULLET):
        hit = pattern.match(rest)
        if hit and not rest.startswith("*"):
            start = hit.start("t")
            return f"{m.group(1)}{rest[:start]}**{rest[start:]}"
    return line


def _hard_wrapped(previous: str, line: str) -> bool:
    first = line.strip()[:1]
    return bool(first) and first.islower() and not _SENTENCE_END.search(previous.strip())


def _weak_bullets_to_paragraphs(blocks: list[Block]) -> list[Block]:
    """A dash or emoji "bullet" with no neighbour of the same marker is text, not a list."""
    out = []
    for i, block in enumerate(blocks):
        if block.kind == "bullet" and block.marker not in _STRONG_BULLET:
            near = [blocks[j] for j in (i - 1, i + 1) if 0 <= j < len(blocks)]
            if not any(b.kind == "bullet" and _same_marker(b.marker, block.marker) for b in near):
                block = Block("paragraph", f"{block.marker} {block.text}".strip())
        out.append(block)
    return out


def is_check(marker: str) -> bool:
    """A check mark (✅ ☑️ ✔️ ✓) starts the bullet: a checklist item."""
    return marker in CHECK_MARKERS


def _same_marker(a: str, b: str) -> bool:
    return a == b or (is_check(a) and is_check(b))


_STAR_ITALIC = re.compile(r"(?<![*\w\\])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")
_INLINE_MARKS = {
    "strong_open": "**",
    "strong_close": "**",
    "em_open": "*",
    "em_close": "*",
    "softbreak": " ",
    "hardbreak": " ",
}


def clean_inline(text: str) -> str:
    """Markdown emphasis and links → cardgen markup (see the module doc).

    The Markdown is read by markdown-it-py (CommonMark inline rules: emphasis, links, autolinks,
    code spans, escapes, entities), not by hand; what it finds is written in cardgen's markup."""
    out: list[str] = []
    link: list[str] | None = None  # the text of the link being read
    href = ""
    for token in inline_tokens(text):
        kind = token.type
        if kind == "link_open":
            link, href = [], str(token.attrGet("href") or "")
            continue
        if kind == "link_close" and link is not None:
            label = "".join(link).strip()
            out.append(label if label in ("", href) or not href else f"{label} ({href})")
            if not label:
                out.append(href)
            link = None
            continue
        if kind == "image":
            continue  # a picture in a post has no place in a card's text
        piece = _INLINE_MARKS.get(kind, token.content if kind in ("text", "code_inline", "html_inline") else "")
        if kind == "text":
            piece = piece.replace("==", "\\=\\=")  # `==…==` is cardgen's accent
        (link if link is not None else out).append(piece)
    return re.sub(r"[ \u00a0]{2,}", " ", "".join(out)).strip()


def inline_tokens(text: str) -> list:
    """A line's Markdown inline tokens (markdown-it-py's)."""
    tokens = _markdown().parseInline(text)
    return tokens[0].children or [] if tokens else []


@memo()
def _markdown():  # -> markdown_it.MarkdownIt (imported when a post is read: only `cardgen import`)
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"typographer": False, "linkify": False})


def text_length(text: str) -> int:
    """Characters as set on a card: markup markers and escapes take no room."""
    return len(no_italic(text).replace("**", "").replace("\\", ""))


def no_italic(text: str) -> str:
    """Text without its `*italic*` markers (bold `**` and a lone `*` stay): for titles and quotes."""
    return _STAR_ITALIC.sub(r"\1", text)


def sentences(text: str) -> list[str]:
    """A paragraph → its sentences (initials and abbreviations such as «т. д.» do not end one)."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_BREAK.finditer(text):
        head = text[start : m.start()].rstrip('»")]*')
        if _ABBREVIATION.search(head) and not _CLAUSE_END.search(head):
            continue
        out.append(text[start : m.start()] + text[m.start() : m.end()].rstrip())
        start = m.end()
    out.append(text[start:])
    return [s.strip() for s in out if s.strip()]


def split_long(text: str, budget: int) -> list[str]:
    """A paragraph longer than `budget` → pieces of at most `budget` (when any break allows it),
    cut between sentences, then after ; or , , then between words; pieces are balanced, so the
    last one is not a stub."""
    if text_length(text) <= budget:
        return [text]
    units = sentences(text)
    if len(units) == 1:
        units = [u for u in re.split(r"(?<=[;,])\s+", text) if u]
    if len(units) == 1:
        units = text.split(" ")
    pieces = _balanced(units, budget)
    return [
        p
        for piece in pieces
        for p in ([piece] if text_length(piece) <= budget or " " not in piece else split_long(piece, budget))
    ]


def _balanced(units: list[str], budget: int) -> list[str]:
    """Units joined by spaces into the fewest pieces ≤ budget, as even in length as possible."""
    total = sum(text_length(u) + 1 for u in units)
    count = max(1, -(-total // budget))
    while True:
        target = total / count
        pieces: list[list[str]] = [[]]
        size = 0
        for unit in units:
            cost = text_length(unit) + 1
            # Close a piece once it reaches the even share, or when the unit would overflow it.
            if pieces[-1] and (size + cost > budget or size >= target):
                pieces.append([])
                size = 0
            pieces[-1].append(unit)
            size += cost
        if len(pieces) <= count or count >= len(units):
            return [" ".join(p) for p in pieces]
        count += 1


def chunk_paragraphs(
    paragraphs: list[str], budget: int, *, first: int | None = None, whole: float = 1.0
) -> list[list[str]]:
    """Paragraphs → cards of paragraphs, each within `budget` (`first` for the first card, which
    may hold a title); a paragraph break costs PARAGRAPH_COST.

    Paragraphs stay whole when they fit a card (or up to `whole` × its budget, alone on it: a
    paragraph a little too long reads better whole, set a little smaller, than cut in two); a
    longer one is split by `split_long`. Cards are filled in order, then the last two are evened
    out so the deck does not end on a stub.
    """
    first = budget if first is None else first
    pieces: list[str] = []
    for p in paragraphs:
        room = first if not pieces else budget
        pieces += [p] if text_length(p) <= room * whole else split_long(p, room)
    cards: list[list[str]] = []
    size = 0
    for piece in pieces:
        cost = text_length(piece)
        room = first if len(cards) == 1 else budget
        if cards and size + PARAGRAPH_COST + cost <= room:
            cards[-1].append(piece)
            size += PARAGRAPH_COST + cost
        else:
            cards.append([piece])
            size = cost
    last_room = first if len(cards) == 1 else budget
    if len(cards) >= 2 and len(cards[-2]) > 1:
        # Move whole paragraphs from the second-to-last card while that makes the two more even.
        while len(cards[-2]) > 1:
            moved = cards[-2][-1]
            before = abs(_size(cards[-2]) - _size(cards[-1]))
            after = abs(_size(cards[-2][:-1]) - _size([moved, *cards[-1]]))
            if after >= before or _size([moved, *cards[-1]]) > last_room:
                break
            cards[-1].insert(0, cards[-2].pop())
    if len(cards) >= 2 and _size(cards[-1]) < STUB * budget:
        cards[-2:] = _even_stub(cards[-2], cards[-1], last_room)
    return cards


STUB = 0.25  # a last card filled less than this share is a stub: a line or two on an empty card


def _even_stub(head: list[str], tail: list[str], room: int) -> list[list[str]]:
    """A stub last card takes the closing sentences of the card before, so the two are about even.

    The paragraph they come from then continues across the cards, as a long one does anyway;
    a card with one line of text under a full one reads as a mistake.
    """
    units = sentences(head[-1])
    best = (head, tail)
    for keep in range(len(units) - 1, 0, -1):
        new_head = [*head[:-1], " ".join(units[:keep])]
        new_tail = [" ".join(units[keep:]), *tail]
        if _size(new_tail) > room:
            break
        if abs(_size(new_head) - _size(new_tail)) < abs(_size(best[0]) - _size(best[1])):
            best = (new_head, new_tail)
    return [best[0], best[1]]


def _size(card: list[str]) -> int:
    return sum(text_length(p) for p in card) + PARAGRAPH_COST * max(0, len(card) - 1)
