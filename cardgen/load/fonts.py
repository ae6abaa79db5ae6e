"""Font files → `Face` values (HarfBuzz font, metrics, coverage) and the `FontBook` that finds them.

Fonts are explicit inputs: the families in cardgen's own `fonts/` folder (`FontBook` can take
more folders, for library callers), and the font files a theme names (`brandfonts`, which
registers them here). There is no system font lookup. cardgen's own files follow `Family-Style.ext`
(`Inter-SemiBold.otf`, `Inter-BoldItalic.otf`); the family is the part before the dash.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import uharfbuzz as hb

from cardgen.model.problems import FontError, Where, did_you_mean, one_of
from cardgen.base.files import NotRegularFile, open_regular
from cardgen.base.caches import memo

STYLE_WEIGHTS = {
    "thin": 100,
    "extralight": 200,
    "light": 300,
    "regular": 400,
    "": 400,
    "medium": 500,
    "semibold": 600,
    "bold": 700,
    "extrabold": 800,
    "black": 900,
}
FONT_SUFFIXES = (".otf", ".ttf")  # cardgen's own fonts; a theme's may be WOFF2 or WOFF too (brandfonts)
# The chain after a theme's own fonts: a wide text face, a symbols face, then color emoji.
FALLBACK_FAMILIES = ("NotoSans", "DejaVuSans", "NotoSansSymbols2")
EMOJI_FAMILY = "NotoColorEmoji"


def data_dir(name: str) -> Path:
    """Built-in data: inside the installed wheel, or at the repository root in a checkout."""
    here = Path(__file__).resolve().parent.parent  # the cardgen package
    packaged = here / "_data" / name
    return packaged if packaged.is_dir() else here.parent / name


@dataclass(eq=False)
class Face:
    """One font file, loaded once per process: shaping font, metrics in em, coverage."""

    path: Path
    family: str
    weight: int
    italic: bool
    hb_font: hb.Font = field(repr=False)
    upem: int = field(repr=False)
    cap_height: float = field(repr=False)  # em
    ascender: float = field(repr=False)  # em
    descender: float = field(repr=False)  # em, negative
    unicodes: frozenset[int] = field(repr=False)
    is_color: bool = False

    def __hash__(self) -> int:
        return id(self)

    def covers(self, char: str) -> bool:
        return ord(char) in self.unicodes


# Font files a theme names (`brandfonts`): their family, weight and style come from their own
# tables, not from the file name, and a derived file (an instance, a decompressed WOFF2) knows
# the file it was made from (the manifest records that one).
_REGISTERED: dict[Path, tuple[str, int, bool, Path]] = {}


def register_font(path: Path, family: str, weight: int, italic: bool, source: Path) -> None:
    """Describe a font file before it is loaded (see `brandfonts.face_path`)."""
    _REGISTERED[path] = (family, weight, italic, source)


def is_registered(path: Path) -> bool:
    """A theme's own font file (or one derived from it), not one of cardgen's."""
    return path in _REGISTERED


def font_source(path: Path) -> Path:
    """The file a font was made from: itself, unless it is an instance or a decompressed WOFF2."""
    return _REGISTERED[path][3] if path in _REGISTERED else path


@memo(files=True)
def load_face(path: Path) -> Face:
    """Load a font file once per process (paint finds faces by path too)."""
    family, weight, italic = (
        _REGISTERED[path][:3] if path in _REGISTERED else (parse_font_name(path) or (path.stem, 400, False))
    )
    try:
        with open_regular(path):  # HarfBuzz would block on a FIFO, or read a device
            pass
    except NotRegularFile as exc:
        raise FontError(f"expected a font file, found {exc.kind}", Where(path)) from None
    except (OSError, ValueError):
        pass  # HarfBuzz reports a missing or unreadable file below
    damage = table_damage(path)
    if damage:
        raise FontError(f"the font file is damaged: {damage}", Where(path))
    try:
        blob = hb.Blob.from_file_path(str(path))
        face = hb.Face(blob)
        upem = face.upem
        unicodes = frozenset(face.unicodes)
    except Exception as exc:  # HarfBuzz reports broken files in many ways
        raise FontError(f"cannot read the font file: {exc}", Where(path)) from None
    if not unicodes or upem <= 0:
        raise FontError("not a usable font file (no character map)", Where(path))
    font = hb.Font(face)
    extents = font.get_font_extents("ltr")
    cap = font.get_metric_position_with_fallback(hb.OTMetricsTag.CAP_HEIGHT)
    tables = {t for t in face.table_tags}
    return Face(
        path=path,
        family=family,
        weight=weight,
        italic=italic,
        hb_font=font,
        upem=upem,
        cap_height=(cap or 0.7 * upem) / upem,
        ascender=extents.ascender / upem,
        descender=extents.descender / upem,
        unicodes=unicodes,
        is_color="CBDT" in tables or "sbix" in tables or "COLR" in tables,
    )


def table_damage(path: Path) -> str | None:
    """What is wrong with an sfnt (TTF/OTF) table directory, or None; a cut file shows here.

    HarfBuzz reads whatever tables survive (a font cut in half may keep its cmap) and FreeType
    then fails while drawing; every table must lie inside the file.
    """
    try:
        with open_regular(path) as handle:
            header = handle.read(12)
            if len(header) < 12 or header[:4] == b"ttcf":
                return None  # too short (the cmap check reports it) or a collection
            count = int.from_bytes(header[4:6], "big")
            directory = handle.read(16 * count)
            size = os.fstat(handle.fileno()).st_size
    except OSError:
        return None  # HarfBuzz reports unreadable files
    if len(directory) < 16 * count:
        return "the table directory is cut short (truncated file)"
    for i in range(count):
        entry = directory[16 * i : 16 * i + 16]
        offset, length = int.from_bytes(entry[8:12], "big"), int.from_bytes(entry[12:16], "big")
        if offset + length > size:
            return f"table {entry[:4].decode('latin-1')!r} ends past the end of the file (truncated file)"
    return None


def parse_font_name(path: Path) -> tuple[str, int, bool] | None:
    """`Inter-SemiBoldItalic.otf` → ("Inter", 600, True); None for a name outside the convention."""
    if path.suffix.lower() not in FONT_SUFFIXES:
        return None
    family, _, style = path.stem.partition("-")
    style = style.lower()
    italic = style.endswith("italic")
    if italic:
        style = style[: -len("italic")]
    if style not in STYLE_WEIGHTS:
        return None
    return family, STYLE_WEIGHTS[style], italic


def family_key(name: str) -> str:
    return name.replace(" ", "").replace("_", "").lower()


class FontBook:
    """Families (built-in and extra files) → faces, with CSS-style nearest-weight matching."""

    def __init__(self, dirs: tuple[Path, ...] = ()) -> None:
        self.files: dict[str, dict[tuple[int, bool], Path]] = {}
        self.names: dict[str, str] = {}
        for folder in (data_dir("fonts"), *dirs):
            self.add_folder(folder)

    def add_folder(self, folder: Path) -> None:
        if not folder.is_dir():
            return
        for path in sorted(folder.rglob("*")):
            parsed = parse_font_name(path)
            if parsed:
                self.add_file(path, *parsed)

    def add_file(self, path: Path, family: str, weight: int, italic: bool) -> None:
        key = family_key(family)
        self.names.setdefault(key, family)
        self.files.setdefault(key, {})[(weight, italic)] = path

    def has(self, family: str) -> bool:
        return family_key(family) in self.files

    def face(self, family: str, weight: int = 400, italic: bool = False) -> Face:
        return load_face(self.path(family, weight, italic))

    def path(self, family: str, weight: int = 400, italic: bool = False) -> Path:
        """The file `face` would load, without loading it."""
        key = family_key(family)
        styles = self.files.get(key)
        if styles is None:
            raise FontError(
                f'unknown font family "{family}"{did_you_mean(family, self.names.values())}; '
                f"known: {one_of(self.names.values())}"
            )
        weights = sorted({w for (w, it) in styles if it == italic}) or sorted({w for w, _ in styles})
        chosen = nearest_weight(weight, weights)
        return styles.get((chosen, italic)) or styles[(chosen, not italic)]

    def fallbacks(self, weight: int) -> tuple[Path, ...]:
        """The files tried after a theme's own, in order, ending with color emoji."""
        chain = [self.path(name, weight) for name in FALLBACK_FAMILIES if self.has(name)]
        if self.has(EMOJI_FAMILY):
            chain.append(self.path(EMOJI_FAMILY))
        return tuple(chain)


def nearest_weight(wanted: int, available: list[int]) -> int:
    """The CSS font-matching rule for weights (CSS Fonts 4, §5.2)."""
    if wanted in available:
        return wanted
    lighter = sorted((w for w in available if w < wanted), reverse=True)
    heavier = sorted(w for w in available if w > wanted)
    if 400 <= wanted <= 500:
        up_to_500 = [w for w in heavier if w <= 500]
        rest = [w for w in heavier if w > 500]
        order = up_to_500 + lighter + rest
    elif wanted < 400:
        order = lighter + heavier
    else:
        order = heavier + lighter
    return order[0]


@memo(files=True)
def default_book() -> FontBook:
    return FontBook()
