"""Text field with inline markup → paragraphs of styled spans (pure).

`**bold**`, `*italic*`, `==accent==`; `\\*` and `\\=` are literal. A marker without its pair is
kept as typed, so "5 * 3" stays as it is. Paragraphs are separated by blank lines; a single
newline inside a paragraph is a forced line break (kept as "\\n" inside the spans).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BOLD, ITALIC, ACCENT = 1, 2, 4


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    flags: int = 0  # BOLD | ITALIC | ACCENT

    @property
    def bold(self) -> bool:
        return bool(self.flags & BOLD)

    @property
    def italic(self) -> bool:
        return bool(self.flags & ITALIC)

    @property
    def accent(self) -> bool:
        return bool(self.flags & ACCENT)


Paragraph = tuple[Span, ...]

_PARAGRAPH_SPLIT = re.compile(r"\n[ \t]*\n+")
_TOKEN = re.compile(r"\\[*=\\]|\*\*|\*|==")
_MARKERS = {"**": BOLD, "*": ITALIC, "==": ACCENT}


def parse_markup(text: str) -> tuple[Paragraph, ...]:
    text = text.replace("\r\n", "\n").strip()
    if not text:
        return ()
    return tuple(parse_paragraph(p.strip()) for p in _PARAGRAPH_SPLIT.split(text) if p.strip())


def parse_paragraph(text: str) -> Paragraph:
    tokens: list[tuple[str, bool]] = []  # (text, is_marker)
    pos = 0
    for match in _TOKEN.finditer(text):
        if match.start() > pos:
            tokens.append((text[pos : match.start()], False))
        token = match.group()
        tokens.append((token[1], False) if token.startswith("\\") else (token, True))
        pos = match.end()
    if pos < len(text):
        tokens.append((text[pos:], False))
    paired = _pair_markers(tokens)
    spans: list[Span] = []
    flags = 0
    for i, (token, is_marker) in enumerate(tokens):
        if is_marker and i in paired:
            flags ^= _MARKERS[token]
            continue
        if spans and spans[-1].flags == flags:
            spans[-1] = Span(spans[-1].text + token, flags)
        else:
            spans.append(Span(token, flags))
    return tuple(s for s in spans if s.text)


def _pair_markers(tokens: list[tuple[str, bool]]) -> set[int]:
    """Indexes of marker tokens that open or close a pair; the rest are literal text."""
    paired: set[int] = set()
    open_at: dict[str, int] = {}
    for i, (token, is_marker) in enumerate(tokens):
        if not is_marker:
            continue
        before = tokens[i - 1][0][-1:] if i > 0 else ""
        after = tokens[i + 1][0][:1] if i + 1 < len(tokens) else ""
        if token in open_at and before.strip():
            paired.update((open_at.pop(token), i))
        elif after.strip() and token not in open_at:
            open_at[token] = i
    return paired


def plain_text(paragraphs: tuple[Paragraph, ...]) -> str:
    return "\n\n".join("".join(s.text for s in p) for p in paragraphs)
