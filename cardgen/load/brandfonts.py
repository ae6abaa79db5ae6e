"""Font files a theme names → checked, described by their own tables, and made drawable.

Input: the absolute paths of a theme's `fonts: {KEY: {file: …}}` (theme.py has checked them
against the project root). Output:
- `inspect_font(path)` → `FontFile`: family, weight and italic as the font's own tables say
  (name, OS/2, head), and its variation axes; a damaged file, or one that is no font at all, is
  a `FontError` that says so (the theme places it at its `file:` line);
- `face_path(files, weight, italic)` → a file HarfBuzz and FreeType can read for that weight and
  style: the static file of the nearest weight (CSS's rule), or a variable font instanced at
  exactly that weight with fontTools' instancer, or a WOFF2/WOFF file decompressed. Derived
  files are written once into cardgen's cache folder, named by a hash of the source bytes, the
  location and fontTools' version, so neither a card nor the next run redoes them (instancing a
  large variable font takes seconds);

(The warnings about characters a theme's own font lacks are `review.warnings.coverage_warnings`.)

Bundled fonts stay the default; nothing is fetched.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cardgen.model.problems import FontError, Where
from cardgen.base.files import NotRegularFile, open_regular, read_at_most, writing
from cardgen.load.fonts import nearest_weight, register_font, table_damage
from cardgen.base.caches import cache_dir, memo

FONT_FILE_SUFFIXES = (".otf", ".ttf", ".woff2", ".woff")
MAX_FONT_BYTES = 50_000_000  # the largest font cardgen bundles (color emoji) is 10 MB
# What a WOFF2 or WOFF file may unpack to (its tables, or its metadata): a real font's tables are
# a few times its packed size; a crafted one can expand 650 000-fold (5 KB to 3 GB of zeros).
MAX_UNPACKED_FONT_BYTES = 128_000_000
_SIGNATURES = {
    b"\x00\x01\x00\x00": "TrueType",
    b"true": "TrueType",
    b"OTTO": "OpenType (CFF)",
    b"wOF2": "WOFF2",
    b"wOFF": "WOFF",
}


@dataclass(frozen=True)
class FontFile:
    """One font file as its tables describe it."""

    path: Path
    family: str
    weight: int  # OS/2 usWeightClass, 1–1000
    italic: bool
    flavor: str  # TrueType, OpenType (CFF), WOFF2, WOFF
    wght: tuple[float, float, float] | None = None  # a variable font's weight axis: min, default, max
    ital: bool = False  # a variable font with an ital axis (0 upright, 1 italic)
    slnt: bool = False  # other axes are pinned at their defaults

    @property
    def variable(self) -> bool:
        return self.wght is not None

    def covers(self, weight: int) -> bool:
        return self.wght is not None and self.wght[0] <= weight <= self.wght[2]


@memo(files=True)
def inspect_font(path: Path) -> FontFile:
    """A font file → `FontFile`; `FontError` (with the file) when it cannot be one."""
    where = Where(path)
    try:
        with open_regular(path) as handle:  # a FIFO or device is refused before it blocks
            head = read_at_most(handle, 3)
            size = os.fstat(handle.fileno()).st_size
    except FileNotFoundError:
        raise FontError("font file not found", where) from None
    except NotRegularFile as exc:
        raise FontError(f"expected a font file, found {exc.kind}", where) from None
    except OSError as exc:
        raise FontError(f"cannot read the font file: {exc.strerror or exc}", where) from None
    if size > MAX_FONT_BYTES:
        raise FontError(f"the font file is {size} bytes; at most {MAX_FONT_BYTES} are allowed", where)
    flavor = _SIGNATURES.get(head[:4])
    if flavor is None:
        found = "a font collection (.ttc): extract one font" if head[:4] == b"ttcf" else _what(head)
        raise FontError(f"not a font file: expected TrueType, OpenType, WOFF2 or WOFF, found {found}", where)
    if flavor in ("TrueType", "OpenType (CFF)"):
        damage = table_damage(path)
        if damage:
            raise FontError(f"the font file is damaged: {damage}", where)
    else:  # fontTools unpacks a whole WOFF2 or WOFF before it checks any size: measure it first
        damage = packed_damage(path.read_bytes(), flavor)
        if damage:
            raise FontError(damage, where)
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(path, recalcBBoxes=False, recalcTimestamp=False)  # tables decompile as they are read
        cmap = font.getBestCmap() or {}
        family = font["name"].getBestFamilyName() or path.stem
        os2 = font.get("OS/2", None)
        weight = max(1, min(1000, int(os2.usWeightClass))) if os2 is not None else 400
        italic = bool(os2.fsSelection & 1) if os2 is not None else False
        italic = italic or bool(font["head"].macStyle & 2)
        axes = (
            {axis.axisTag: (axis.minValue, axis.defaultValue, axis.maxValue) for axis in font["fvar"].axes}
            if "fvar" in font
            else {}
        )
        upem = font["head"].unitsPerEm
    except ModuleNotFoundError as exc:  # WOFF2 needs brotli, a dependency of cardgen
        raise FontError(f"cannot read {flavor} fonts: the Python package {exc.name} is missing", where) from None
    except Exception as exc:  # fontTools reports a broken file in many ways (struct, assertions, keys)
        raise FontError(f"the font file is damaged: {type(exc).__name__}: {str(exc)[:120]}", where) from None
    if not cmap or not upem:
        raise FontError("not a usable font file: it maps no characters", where)
    return FontFile(path, family, weight, italic, flavor, axes.get("wght"), "ital" in axes, "slnt" in axes)


def packed_damage(data: bytes, flavor: str) -> str | None:
    """What is wrong with a WOFF2 or WOFF file's compressed parts, or None: each is unpacked here
    with its output counted and capped (`MAX_UNPACKED_FONT_BYTES`), never held, so a file that
    expands past what it declares, or past the cap, is refused in a fraction of a second and a
    few MB instead of gigabytes."""
    try:
        if flavor == "WOFF2":
            return _woff2_damage(data)
        return _woff_damage(data)
    except (IndexError, ValueError):
        return "the font file is damaged: its header or table directory is cut short"


def _woff2_damage(data: bytes) -> str | None:
    if len(data) < 48:
        raise ValueError("cut short")
    count = int.from_bytes(data[12:14], "big")
    packed = int.from_bytes(data[20:24], "big")
    meta_offset, meta_length = int.from_bytes(data[28:32], "big"), int.from_bytes(data[32:36], "big")
    meta_declared = int.from_bytes(data[36:40], "big")
    if data[4:8] == b"ttcf":
        return None  # a collection: fontTools refuses it as a font file anyway (no cmap of its own)
    position, declared = 48, 0
    for _ in range(count):
        flags = data[position]
        position += 1
        tag = data[position : position + 4] if flags & 0x3F == 0x3F else None
        position += 4 if tag is not None else 0
        length, position = _base128(data, position)
        version = flags >> 6
        transformed = version == 0 if (flags & 0x3F) in (10, 11) or tag in (b"glyf", b"loca") else version != 0
        if transformed:
            length, position = _base128(data, position)
        declared += length
    if declared > MAX_UNPACKED_FONT_BYTES:
        return _too_big(declared)
    block = data[position : position + packed]
    if len(block) < packed:
        return "the font file is damaged: its compressed tables are cut short (truncated file)"
    for part, limit in ((block, declared), (data[meta_offset : meta_offset + meta_length], meta_declared)):
        if part and _brotli_size(part, limit) is None:
            return "the font file is damaged: its compressed data unpacks to more than it declares"
    return None


def _woff_damage(data: bytes) -> str | None:
    if len(data) < 44:
        raise ValueError("cut short")
    count = int.from_bytes(data[12:14], "big")
    meta_offset, meta_length = int.from_bytes(data[24:28], "big"), int.from_bytes(data[28:32], "big")
    meta_declared = int.from_bytes(data[32:36], "big")
    entries = [data[44 + 20 * i : 64 + 20 * i] for i in range(count)]
    if any(len(entry) < 20 for entry in entries):
        raise ValueError("cut short")
    parts = [
        (int.from_bytes(e[4:8], "big"), int.from_bytes(e[8:12], "big"), int.from_bytes(e[12:16], "big"))
        for e in entries
    ]
    declared = sum(original for _, _, original in parts) + meta_declared
    if declared > MAX_UNPACKED_FONT_BYTES:
        return _too_big(declared)
    for offset, length, original in [*parts, (meta_offset, meta_length, meta_declared)]:
        if length and length < original and _zlib_size(data[offset : offset + length], original) is None:
            return "the font file is damaged: a compressed table unpacks to more than it declares"
    return None


def _too_big(size: int) -> str:
    return f"the font file unpacks to {size} bytes; at most {MAX_UNPACKED_FONT_BYTES} are allowed"


def _base128(data: bytes, position: int) -> tuple[int, int]:
    """WOFF2's UIntBase128 at `position` → (value, the position after it)."""
    value = 0
    for i in range(5):
        byte = data[position + i]
        if i == 0 and byte == 0x80:
            raise ValueError("leading zero")
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, position + i + 1
    raise ValueError("more than five bytes")


def _brotli_size(packed: bytes, limit: int) -> int | None:
    """How many bytes a brotli stream unpacks to, or None past `limit` (or broken): counted in
    pieces of at most 1 MB, none kept."""
    import brotli

    stream, total, position, piece = brotli.Decompressor(), 0, 0, 1 << 16
    try:
        while not stream.is_finished():
            if stream.can_accept_more_data():
                if position >= len(packed):
                    return None  # the stream ends early
                data, position = packed[position : position + piece], position + piece
            else:
                data = b""
            out = len(stream.process(data, output_buffer_limit=1 << 20))
            if not data and not out:
                return None  # neither input taken nor output given: never spin on a stuck stream
            total += out
            if total > limit:
                return None
    except brotli.error:
        return None
    return total


def _zlib_size(packed: bytes, limit: int) -> int | None:
    """How many bytes a zlib stream unpacks to, or None past `limit` (or broken), as above."""
    import zlib

    stream, total, data = zlib.decompressobj(), 0, packed
    try:
        while data:
            total += len(stream.decompress(data, 1 << 20))
            if total > limit:
                return None
            data = stream.unconsumed_tail
        total += len(stream.flush())
    except zlib.error:
        return None
    return total if total <= limit else None


def _what(head: bytes) -> str:
    for magic, name in (
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8", "a JPEG image"),
        (b"%PDF", "a PDF"),
        (b"PK", "a ZIP archive"),
        (b"<", "HTML or XML"),
    ):
        if head.startswith(magic):
            return name
    try:
        head.decode("ascii")
        return "text"
    except UnicodeDecodeError:
        return "other data"


def face_path(files: Sequence[Path], weight: int, italic: bool) -> Path:
    """The file to draw `weight` (and italic, when the family has it) from a theme's font files.

    A variable font whose weight axis covers the weight is instanced there; otherwise the static
    file (or variable default) nearest the weight is used, as CSS matches weights. A family
    without italics gives its upright face (a warning says so when *…* is used)."""
    return _face_path(tuple(files), weight, italic)


@memo(files=True)
def _face_path(files: tuple[Path, ...], weight: int, italic: bool) -> Path:
    fonts = [inspect_font(path) for path in files]
    styled = [f for f in fonts if f.italic == italic or (italic and f.ital)] or fonts
    for font in styled:
        if font.covers(weight):
            return _drawable(font, weight, italic and font.ital and not font.italic)
    chosen = nearest_weight(weight, sorted({f.weight for f in styled}))
    font = next(f for f in styled if f.weight == chosen)
    return _drawable(font, None, False)


def _drawable(font: FontFile, weight: int | None, ital: bool) -> Path:
    """A file FreeType and HarfBuzz read: the font itself, or a derived file in the cache."""
    location: dict[str, float] = {}
    if font.variable and weight is not None and weight != font.wght[1]:  # type: ignore[index]
        location["wght"] = weight
    if ital:
        location["ital"] = 1
    drawn_weight = weight if weight is not None else font.weight
    if not location and font.flavor in ("TrueType", "OpenType (CFF)"):
        register_font(font.path, font.family, drawn_weight, font.italic or ital, font.path)
        return font.path  # a static font, or a variable one at its default: its own outlines
    path = _derived(font, location)
    register_font(path, font.family, drawn_weight, font.italic or ital, font.path)
    return path


def _derived(font: FontFile, location: dict[str, float]) -> Path:
    import fontTools

    digest = hashlib.sha256(font.path.read_bytes())
    digest.update(repr((sorted(location.items()), fontTools.version)).encode())
    suffix = ".otf" if font.flavor == "OpenType (CFF)" else ".ttf"
    target = font_cache() / f"{digest.hexdigest()[:32]}{suffix}"
    if target.is_file():
        return target
    from fontTools.ttLib import TTFont

    try:
        ttfont = TTFont(font.path, recalcTimestamp=False)
        ttfont.flavor = None  # WOFF2 and WOFF: decompressed to the plain sfnt inside
        if location:
            from fontTools.varLib import instancer

            pinned = {axis.axisTag: axis.defaultValue for axis in ttfont["fvar"].axes}  # all axes: a static font
            ttfont = instancer.instantiateVariableFont(ttfont, {**pinned, **location}, updateFontNames=True)
            if "wght" in location:
                ttfont["OS/2"].usWeightClass = int(location["wght"])
        with writing(target) as handle:  # whole or not at all: two processes instancing one font both end whole
            ttfont.save(handle, reorderTables=True)
    except FontError:
        raise
    except Exception as exc:
        raise FontError(
            f"cannot make a drawable font of it: {type(exc).__name__}: {str(exc)[:120]}", Where(font.path)
        ) from None
    return target


@memo(files=True)
def font_cache() -> Path:
    """Where derived fonts go: cardgen's cache folder, else (unwritable) a folder of this process."""
    folder = cache_dir() / "fonts"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder
    except OSError:
        pass
    import atexit
    import shutil
    import tempfile

    scratch = Path(tempfile.mkdtemp(prefix="cardgen-fonts-"))
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    return scratch
