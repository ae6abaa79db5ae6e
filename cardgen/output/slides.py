"""Images → numbered PNG files, written atomically (a failure leaves the previous slides whole).

PNG settings are chosen on purpose: unfiltered rows at compress level 3, with no metadata but
cardgen's constant mark (`Software` = `cardgen`, see `cardgen.output.marks`), give byte-identical files
for identical pixels and encode several times faster than Pillow's level 9 (see `formats.encode_png`).

Safety of the output folder:
- its name is `safe_stem(deck stem)`: one plain folder name, so it never leaves `-o`;
- slides are written into a private staging folder beside it (each file created exclusively,
  `files.write_file`), then swapped in under an exclusive lock on the parent folder
  (`cardgen.output.swap`), so two cardgen processes writing the same deck never leave a mix: the last
  swap wins, whole;
- Ctrl-C during the swap is held back until the swap is done; Ctrl-C (or any error) before it
  removes the staging folder and leaves the previous slides as they were. What a killed process
  left is recovered by the next write (a swap cut short is undone);
- files cardgen did not write (a note, the user's own `03.png`) are never deleted, replaced,
  copied or moved: a file is cardgen's when the deck's manifest lists it or it carries
  cardgen's mark (`cardgen.output.marks`); one in the way of a slide is an error that names it
  (`_foreign_files`).
"""

from __future__ import annotations

import functools
import os
import re
import queue
import shutil
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from cardgen.base.process import cores, interrupts_deferred
from cardgen.output import swap
from cardgen.model.problems import CardgenError, Where
from cardgen.base.files import OutputError, write_file
from cardgen.output.formats import encode_png
from cardgen.output.marks import is_marked

if TYPE_CHECKING:  # Pillow is not imported here: `safe_stem` serves the fast "nothing changed" path
    from PIL import Image

# The names cardgen gives files in a deck's folder: slides, album folders, captions (and <stem>.pdf).
SLIDE_NAME = re.compile(r"^\d{2,}\.(png|jpg|webp)$")
ALBUM_FOLDER = re.compile(r"^album-\d+$")
CAPTION_NAME = "caption.txt"
TEXT_NAMES = (CAPTION_NAME, "alt.txt")  # the text files cardgen writes beside slides (they carry no mark)
MAX_NAMED = 3  # files named in one "not cardgen's" error
MAX_STEM_CHARS = 100
MAX_STEM_BYTES = 180  # UTF-8; leaves room for the staging prefix and suffix under NAME_MAX (255)
# Path separators, controls, characters Windows refuses in names, bidi overrides and isolates.
_UNSAFE_STEM = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|\u202a-\u202e\u2066-\u2069\ud800-\udfff]')
_UNDECODED = re.compile("[\udc80-\udcff]")  # os.fsdecode's stand-ins for the bytes it could not decode
_WINDOWS_DEVICES = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.I)


def encoders(cores: int) -> int:
    """Encoding threads for a process allowed `cores` busy cores: one core paints, the others
    (up to 4) encode (zlib releases the GIL); with one core, each image is encoded on the
    painting thread. The bytes do not depend on it."""
    return max(0, min(4, cores - 1))


IMAGE_BLOCKS_KEPT = 2  # freed image blocks Pillow keeps for the next image (see `pool_image_blocks`)


def pool_image_blocks() -> None:
    """Let Pillow keep freed image blocks for the next image: once per process, before its first
    slide is painted (in a worker process too), never in one that only checks decks.

    Pillow allocates every image's pixels with malloc and frees them with it, by default. A
    canvas is 5.8 MB at 1080×1350 (Pillow keeps RGB as 4 bytes a pixel): glibc serves it with
    mmap, and on its free raises its mmap threshold to that size, so every later canvas comes
    from the heap, whose freed holes stay in the process: the peak grew by about 6 MiB over a
    7-card deck and more with more cards (issue 17). With a pool of 2 freed blocks (Pillow's own
    block allocator, as PILLOW_BLOCKS_MAX sets it), the next canvas reuses the last one's
    memory: the same 6 MiB less, and no fresh pages to fault in (glibc's threshold fixed at
    128 KiB with mallopt saved as much memory but cost 25 ms of page faults a render). A block
    is at most Pillow's block size (16 MiB), so the pool holds 32 MiB at worst. A user's own
    PILLOW_BLOCKS_MAX wins."""
    if "PILLOW_BLOCKS_MAX" not in os.environ:
        _pool_blocks()


@functools.cache  # once per process
def _pool_blocks() -> None:
    from PIL import Image

    Image.core.set_blocks_max(IMAGE_BLOCKS_KEPT)


def slide_name(index: int, total: int) -> str:
    return f"{index:0{max(2, len(str(total)))}d}.png"


def safe_stem(stem: str) -> str:
    """A deck file's stem → a folder name that stays where it is put.

    Separators, control characters and characters Windows refuses become "_"; leading dots
    (hidden, or ".." climbing out) and trailing dots and spaces go; the name is cut to
    MAX_STEM_CHARS characters (and MAX_STEM_BYTES in UTF-8). Letters of any script stay:
    "Фотостоки 2024" is kept as it is. An empty result becomes "deck". A byte of a name that is
    not UTF-8 (Python keeps it as a lone surrogate) becomes its hex code, "%FF", so two such names
    stay two folders and every folder name is valid UTF-8.
    """
    stem = _UNDECODED.sub(lambda m: f"%{ord(m.group()) - 0xDC00:02X}", stem)
    name = _UNSAFE_STEM.sub("_", unicodedata.normalize("NFC", stem))
    name = name.strip().lstrip(".").rstrip(". ")
    name = name[:MAX_STEM_CHARS]
    while len(name.encode("utf-8")) > MAX_STEM_BYTES:
        name = name[:-1]
    name = name.rstrip(". ")
    if _WINDOWS_DEVICES.match(name):
        name = f"_{name}"
    return name or "deck"


def deck_out_dir(out_root: Path, stem: str) -> Path:
    """Where a deck's slides go: OUT/<safe stem>, always directly inside `out_root`."""
    return out_root / safe_stem(stem)


def write_slides(
    images: Iterable[Image.Image],
    total: int,
    out_dir: Path,
    workers: int | None = None,
    *,
    owned: frozenset[str] | None = None,
    names: Sequence[str] | None = None,
    encoder: Callable[[Image.Image], bytes] | None = None,
    extras: Mapping[str, str] | None = None,
    pdf: Callable[[Iterable[Image.Image]], bytes] | None = None,
    check: Callable[[dict[str, int]], None] | None = None,
) -> tuple[Path, ...]:
    """Write 01.png… into `out_dir`, replacing earlier slides in one step → the slide paths.

    `out_dir`'s last part is passed through `safe_stem`, so a hostile deck name cannot climb
    out of its parent. `images` may be a generator: each image is encoded as soon as it is
    painted. `workers` encoding threads (None: one per core but the painting one, up to 4) run
    beside the painting of the next card (zlib releases the GIL), holding at most workers+1
    images at once; 0 encodes on this thread, for a process allowed one core. The bytes do not
    depend on the workers.

    `owned`: the relative paths cardgen wrote there last time (from the deck's manifest, e.g.
    "album-2/11.png", "caption.txt"). Besides those, a file is cardgen's only when it is named
    as cardgen names slides and carries cardgen's mark (`cardgen.output.marks`), and, without a
    manifest, a `caption.txt` beside such a slide. Every other file stays, even one named like a
    slide (a user's own `99.png`), and a file of the user's where this render would write is an
    error naming it: nothing of the user's is overwritten or deleted (see `_foreign_files`).

    `check`, when given, sees every written file's size (relative name → bytes) before the
    swap; whatever it raises leaves the previous slides whole (platform size limits).

    Publishing: `names` are the slides' relative paths ("album-2/09.jpg"), `encoder` turns an
    image into the file's bytes (PNG by default), `extras` are text files written beside them
    (caption.txt), and `pdf`, when given, writes every image into the one file `names[0]`.
    """
    out_dir = out_dir.parent / safe_stem(out_dir.name)
    swap.check_target(out_dir)
    names = list(names) if names is not None else [slide_name(i, total) for i in range(1, total + 1)]
    targets = [*names, *(extras or {})]
    with _io_errors(out_dir.parent, "cannot create the output folder"):
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    with _io_errors(out_dir, "cannot read the output folder"), swap.locked(out_dir.parent):
        # A file of the user's in the way: say so before painting. Under the lock, so another
        # writer's swap never shows this scan a folder half-listed.
        swap.recover(out_dir)
        _foreign_files(out_dir, owned, targets)
    with _io_errors(out_dir.parent, "cannot create the output folder"):
        staging = swap.private_dir(out_dir, "tmp")
    try:
        for folder in {str(Path(n).parent) for n in targets} - {"."}:
            (staging / folder).mkdir(parents=True, exist_ok=True)
        pool_image_blocks()  # before the first image is painted
        if pdf is not None:
            _write_bytes(staging / names[0], pdf(images), out_dir)
        else:
            if workers is None:
                workers = encoders(cores())
            if workers == 0:  # one core: encode each image as soon as it is painted, on this thread
                _encode_here(images, names, staging, encoder or encode_png, out_dir)
            else:
                _encode_beside(images, names, staging, workers, encoder or encode_png, out_dir)
        for name, text in (extras or {}).items():
            _write_bytes(staging / name, text.encode("utf-8"), out_dir)
        if check is not None:
            check({name: (staging / name).stat().st_size for name in names})
        names += list(extras or {})
        retired = None
        try:  # Ctrl-C from here on waits until the swap is done
            with interrupts_deferred(), _io_errors(out_dir, "cannot replace the slides"), swap.locked(out_dir.parent):
                swap.check_target(out_dir)  # another process may have put something else there meanwhile
                swap.recover(out_dir)
                foreign = _foreign_files(out_dir, owned, targets)
                ours = [rel for rel in _listing(out_dir) if rel not in set(foreign)]
                retired = swap.install(staging, out_dir, ours, foreign, names)
        finally:
            swap.discard(retired)  # outside the lock: it may be large
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return tuple(out_dir / name for name in names)


def _encode_beside(
    images: Iterable[Image.Image],
    names: Sequence[str],
    staging: Path,
    workers: int,
    encoder: Callable[[Image.Image], bytes],
    out_dir: Path,
) -> None:
    """Encode and write on `workers` threads while this thread paints the next images."""
    with Encoders(workers) as pool:
        for name, image in zip(names, images, strict=True):
            pool.submit(_write_image, image, staging / name, encoder, out_dir)


class Encoders:
    """`workers` threads that run the jobs given to them, one job each at a time: `submit` waits
    while every thread is busy, so painting runs one image ahead of the encoders and no further.
    Encoding is the slower half (about twice painting's time a card), so this keeps every encoder
    busy while the images alive are the ones being encoded and the one being painted, 5.8 MB each
    at 1080×1350 (a deeper queue only held more of them: 23 MB with one encoder before issue 17).

    Plain threads rather than `concurrent.futures`, which loads logging and its executor
    machinery (about 5 ms of every render's start-up) for what this needs. The first job that
    fails raises its error in the painting thread, at the next `submit` or at the end.
    """

    def __init__(self, workers: int) -> None:
        self._free = threading.Semaphore(workers)
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._failed: list[BaseException] = []
        self._threads = [
            threading.Thread(target=self._work, name="cardgen-encoder", daemon=True) for _ in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, job: Callable[..., object], *args: object) -> None:
        self._free.acquire()
        self._raise_failure()
        self._jobs.put((job, args))

    def _work(self) -> None:
        while (item := self._jobs.get()) is not None:
            job, args = item
            del item
            try:
                job(*args)
            except BaseException as exc:  # raised again in the painting thread
                self._failed.append(exc)
            finally:
                del args  # the image goes as soon as it is written, not when the next job comes
                self._free.release()

    def _raise_failure(self) -> None:
        if self._failed:
            raise self._failed[0]

    def __enter__(self) -> Encoders:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        for _thread in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join()
        if kind is None:
            self._raise_failure()


def _encode_here(
    images: Iterable[Image.Image],
    names: Sequence[str],
    staging: Path,
    encoder: Callable[[Image.Image], bytes],
    out_dir: Path,
) -> None:
    """Encode and write each image on this thread as soon as it is painted, one image alive at a
    time: a slide written is let go before the next is painted (a `for` over `zip` would hold it
    in zip's result tuple meanwhile: 5.8 MB at 1080×1350, at the render's peak)."""
    painted = iter(images)
    for name in names:
        image = next(painted, None)
        if image is None:
            raise ValueError("fewer images than names")
        _write_image(image, staging / name, encoder, out_dir)
        del image
    if next(painted, None) is not None:
        raise ValueError("more images than names")


def _write_image(image: Image.Image, path: Path, encoder: Callable[[Image.Image], bytes], out_dir: Path) -> None:
    _write_bytes(path, encoder(image), out_dir)


def _write_bytes(path: Path, data: bytes, out_dir: Path) -> None:
    """A file of the staging folder: created exclusively (never through a link planted there)."""
    try:
        write_file(path, data, new=True)
    except OutputError as exc:  # a full disk, a read-only folder: named by the slides folder
        raise CardgenError(f"cannot write the slides: {exc.message}", Where(out_dir)) from None


@contextmanager
def _io_errors(where: Path, what: str) -> Iterator[None]:
    """File-system failures (permissions, a full disk) → a `CardgenError`: the user can fix them."""
    try:
        yield
    except OSError as exc:
        raise CardgenError(f"{what}: {exc.strerror or exc}", Where(where)) from None


def _foreign_files(out_dir: Path, owned: frozenset[str] | None, targets: Sequence[str]) -> list[str]:
    """The files in `out_dir` that cardgen did not write, as relative paths (they stay).

    cardgen's own: what the manifest lists (`owned`); a file named like a slide (`NN.png`, in the
    folder or in an `album-N` folder; `<folder>.pdf`) that carries cardgen's mark; without a
    manifest, a `caption.txt` in a folder holding such a slide. Album folders are looked into, so
    a note of the user's inside one stays too. Raises when one of the user's files is where
    `targets` (the relative paths about to be written) go: it is never overwritten.
    """
    try:
        if not out_dir.is_dir() or out_dir.is_symlink():
            return []
    except OSError:
        return []
    foreign: list[str] = []
    _scan(out_dir, "", owned, foreign)
    wanted = set(targets) | {str(Path(t).parent) for t in targets}
    clashes = [rel for rel in foreign if rel in wanted]
    if len(clashes) == 1:
        raise CardgenError(
            "this file was not written by cardgen (it has no cardgen mark, and cardgen's cache has no record "
            "of it), and the deck writes a file of this name; cardgen never replaces a file it did not write: "
            "move or rename it, or render with another -o/--out",
            Where((out_dir / clashes[0]).absolute()),
        )
    if clashes:
        more = f" and {len(clashes) - MAX_NAMED} more" if len(clashes) > MAX_NAMED else ""
        raise CardgenError(
            f"{', '.join(clashes[:MAX_NAMED])}{more} were not written by cardgen (they have no cardgen mark, and "
            f"cardgen's cache has no record of them), and the deck writes files of these names; cardgen never "
            f"replaces a file it did not write: move or rename them, or render with another -o/--out",
            Where(out_dir.absolute()),
        )
    return foreign


def _scan(folder: Path, prefix: str, owned: frozenset[str] | None, foreign: list[str]) -> None:
    entries = sorted(os.scandir(folder), key=lambda e: e.name)
    pdf_name = f"{folder.name}.pdf" if not prefix else None
    marked = {
        e.name
        for e in entries
        if (SLIDE_NAME.match(e.name) or e.name == pdf_name)
        and prefix + e.name not in (owned or ())
        and is_marked(Path(e.path))
    }
    for entry in entries:
        rel = prefix + entry.name
        if not prefix and ALBUM_FOLDER.match(entry.name) and entry.is_dir(follow_symlinks=False):
            _scan(Path(entry.path), f"{rel}/", owned, foreign)
            continue
        if (owned is not None and rel in owned) or entry.name in marked:
            continue
        if owned is None and entry.name in TEXT_NAMES and marked:
            continue  # beside slides cardgen wrote: the caption and alt text it wrote with them (text carries no mark)
        foreign.append(rel)


def _listing(out_dir: Path) -> list[str]:
    """The files in `out_dir` (album folders looked into), as relative paths: what a swap moves."""
    out: list[str] = []
    try:
        entries = sorted(os.scandir(out_dir), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return out
    for entry in entries:
        if ALBUM_FOLDER.match(entry.name) and entry.is_dir(follow_symlinks=False):
            out += [f"{entry.name}/{inner}" for inner in sorted(os.listdir(entry.path))]
        else:
            out.append(entry.name)
    return out
