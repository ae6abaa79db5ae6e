"""Text + font chain → shaped glyphs in em units (HarfBuzz), with per-cluster font fallback.

Everything here is measured once in font units and divided by the em size, so a word measured
at size 1 is exact at any size: layout multiplies. Shaping keeps kerning (GPOS `kern`) and turns
off ligatures and contextual alternates, so every glyph stays one drawable grapheme cluster and
paint can draw exactly what was measured.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import uharfbuzz as hb

from cardgen.base.pattern_code import regex_compile
from cardgen.load.fonts import Face, load_face
from cardgen.base.caches import memo

FEATURES = {"kern": True, "liga": False, "clig": False, "calt": False, "dlig": False}
_CLUSTER = regex_compile(r"\X")
_EMOJI_FORCING = regex_compile(r"[\uFE0F\u200D\u20E3\U0001F1E6-\U0001F1FF\U0001F3FB-\U0001F3FF]|\p{Emoji_Presentation}")
# A cluster that starts with a character of Unicode's Emoji=Yes set is drawn as colour emoji even
# without U+FE0F (❤ ☀ ✔ ☎ ✈ 🗳), as Telegram and VK show it, unless U+FE0E asks for text or the
# character is one of these, which stay text unless U+FE0F or a keycap follows (README, "The
# text engine"): digits, # and * (numbers, hashtags); © ® ™ (the typograph sets them from (c) (r)
# (tm)) and ‼ ⁉ (punctuation); the arrows block U+2190-21FF and ⤴ ⤵ (cardgen's own «↗» after a
# url, «Листайте →»); the small squares ▪ ▫ ◻ ◼ (bullets); ♀ ♂ alone (signs in text, «♀ 25 лет»).
_TEXT_DEFAULT = "0-9#*\u00a9\u00ae\u203c\u2049\u2122\u2190-\u21ff\u2934\u2935\u25aa\u25ab\u25fb\u25fc\u2640\u2642"
_EMOJI_DEFAULT = regex_compile(rf"(?![{_TEXT_DEFAULT}])\p{{Emoji}}")
_TEXT_SELECTOR = "\ufe0e"
_IGNORABLE = frozenset("\u200d\u200c\ufe0e\ufe0f\u200b\u2060")
_NEVER_EMOJI = regex_compile(r"[\s\d#*]")  # Noto Color Emoji maps these; they are text


@dataclass(frozen=True)
class FontChain:
    """Faces tried in order for each grapheme cluster; the last may be a color emoji face.

    Fallback faces are files loaded only when a cluster needs them: most decks never open the
    11 MB emoji font or the symbol fonts.
    """

    faces: tuple[Face, ...]
    fallbacks: tuple[Path, ...] = ()

    @property
    def primary(self) -> Face:
        return self.faces[0]

    def __hash__(self) -> int:
        # A key of the per-word and per-cluster caches, so hashed for every word: the fallback
        # paths' hashes are worked out once, not each time.
        try:
            return self.__dict__["_hash"]
        except KeyError:
            value = hash((self.faces, self.fallbacks))
            object.__setattr__(self, "_hash", value)
            return value

    def candidates(self) -> Iterator[Face]:
        yield from self.faces
        for path in self.fallbacks:
            yield load_face(path)


@dataclass(frozen=True, slots=True)
class Glyph:
    """One drawable cluster of a word: where it starts in the word's text and how wide it is."""

    start: int  # index of the cluster's first character in the word
    text: str  # the cluster's characters
    face: Face
    gid: int
    advance: float  # em
    dx: float  # em offset from the pen position
    dy: float  # em, up is positive (HarfBuzz convention)
    missing: bool = False  # no face in the chain has this cluster


def wants_emoji(cluster: str) -> bool:
    """Whether a grapheme cluster asks for emoji presentation (the rule above `_TEXT_DEFAULT`)."""
    if _TEXT_SELECTOR in cluster:
        return False
    return bool(_EMOJI_FORCING.search(cluster) or _EMOJI_DEFAULT.match(cluster))


@memo(8192, files=True)
def face_for_cluster(cluster: str, chain: FontChain) -> tuple[Face, bool]:
    """The color face for a cluster that `wants_emoji` (if it has every character); else the
    first face that covers every character of `cluster`; (primary, True) if none does."""
    wanted = [c for c in cluster if c not in _IGNORABLE]
    emoji = wants_emoji(cluster)
    if all(chain.primary.covers(c) for c in wanted) and not emoji:
        return chain.primary, False
    if emoji and not _NEVER_EMOJI.fullmatch(cluster):
        for face in chain.candidates():
            if face.is_color and all(face.covers(c) for c in wanted):
                return face, False
    for face in chain.candidates():
        if face.is_color and any(_NEVER_EMOJI.match(c) for c in wanted):
            continue
        if all(face.covers(c) for c in wanted):
            return face, False
    return chain.primary, True


@memo(65536, files=True)
def shape_word(text: str, chain: FontChain) -> tuple[Glyph, ...]:
    """Shape `text` (a word, a space, a hyphen) with per-cluster fallback; cached per word."""
    glyphs: list[Glyph] = []
    run_face: Face | None = None
    run_start = 0
    run_missing: list[bool] = []
    pos = 0
    pieces: list[tuple[Face, int, str, list[bool]]] = []
    for cluster in _CLUSTER.findall(text):
        face, missing = face_for_cluster(cluster, chain)
        if cluster.isspace() and run_face is not None:
            face, missing = run_face, False
        if face is not run_face:
            if run_face is not None:
                pieces.append((run_face, run_start, text[run_start:pos], run_missing))
            run_face, run_start, run_missing = face, pos, []
        run_missing.append(missing)
        pos += len(cluster)
    if run_face is not None:
        pieces.append((run_face, run_start, text[run_start:pos], run_missing))
    for face, start, piece, missing_flags in pieces:
        glyphs.extend(_shape_run(piece, start, face, any(missing_flags)))
    return tuple(glyphs)


def _shape_run(text: str, offset: int, face: Face, missing: bool) -> list[Glyph]:
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    hb.shape(face.hb_font, buf, FEATURES)
    infos, positions = buf.glyph_infos, buf.glyph_positions
    # HarfBuzz clusters are indexes into the UTF-32 text: map them to cluster texts.
    starts = sorted({info.cluster for info in infos})
    ends = {s: e for s, e in zip(starts, [*starts[1:], len(text)], strict=True)}
    scale = 1.0 / face.upem
    out: list[Glyph] = []
    seen: set[int] = set()
    for info, p in zip(infos, positions, strict=True):
        first = info.cluster not in seen
        seen.add(info.cluster)
        out.append(
            Glyph(
                start=offset + info.cluster,
                text=text[info.cluster : ends[info.cluster]] if first else "",
                face=face,
                gid=info.codepoint,
                advance=p.x_advance * scale,
                dx=p.x_offset * scale,
                dy=p.y_offset * scale,
                missing=missing and (info.codepoint == 0),
            )
        )
    return out


def width(glyphs: tuple[Glyph, ...] | list[Glyph]) -> float:
    return sum(g.advance for g in glyphs)


@memo(4096, files=True)
def left_bearing(face: Face, gid: int) -> float:
    """The glyph's left side bearing in em (for optical alignment of large text)."""
    extents = face.hb_font.get_glyph_extents(gid)
    return extents.x_bearing / face.upem if extents else 0.0


@memo(4096, files=True)
def ink_bottom(face: Face, gid: int) -> float:
    """How far above the baseline the glyph's ink ends, in em (negative if it descends)."""
    extents = face.hb_font.get_glyph_extents(gid)
    return (extents.y_bearing + extents.height) / face.upem if extents else 0.0
