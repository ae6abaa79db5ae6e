"""Every file cardgen writes goes through one safe writer (`cardgen.base.files.writing`): a temporary
file created exclusively in the target's folder, renamed over the target; a symbolic link at the
target is refused, never written through; a failed write leaves the previous file whole.

Each output path is tried with a link planted at it, pointing at a file outside that must come
through unchanged: slides, captions, the layout report, the preview sheet and page, the watch
page and its version script, an imported deck, a starter deck, a schema, a theme preview, a PDF,
and cardgen's caches (manifests, file hashes, parsed hyphenation patterns).
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from batchkit import age, run_cli

from cardgen.model.problems import CardgenError
from cardgen.base.files import OutputError, write_file, writing

VICTIM_TEXT = "precious: not cardgen's to overwrite\n"
DECK = (
    "title: T\nsize: 400x500\ncaption: Подпись к посту\ncards:\n  - title: Первая\n"
    "    text: Бесплатные фотостоки для маркетологов.\n  - title: Вторая\n"
)


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`cardgen ARGS` in this process (see batchkit)."""
    return run_cli(*args, cwd=cwd, env={"PYTHONUTF8": "1", "CARDGEN_CACHE_DIR": str(cwd / "cache")})


def run_in_a_process(cwd: Path, *args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    """The real command, with subprocess options (a file size limit)."""
    env = {**os.environ, "PYTHONUTF8": "1", "CARDGEN_CACHE_DIR": str(cwd / "cache")}
    return subprocess.run(
        [sys.executable, "-m", "cardgen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        **kwargs,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "post.yaml").write_text(DECK, encoding="utf-8")
    (tmp_path / "post.txt").write_text("Заголовок\n\nПервый абзац поста.\n", encoding="utf-8")
    (tmp_path / "victim.txt").write_text(VICTIM_TEXT, encoding="utf-8")
    age(tmp_path / "post.yaml", tmp_path / "post.txt")  # saved before the runs: their manifests are written
    return tmp_path


def plant(link: Path, victim: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(victim)


# --- the writer itself ----------------------------------------------------------------------------


def test_the_writer_replaces_a_file_whole_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "file.json"
    write_file(target, "first")
    write_file(target, b"second")
    assert target.read_text(encoding="utf-8") == "second"
    assert [p.name for p in target.parent.iterdir()] == ["file.json"]


@pytest.mark.parametrize("kind", ["link", "dangling link", "folder", "pipe"])
def test_the_writer_refuses_a_link_folder_or_pipe_at_the_target(tmp_path: Path, kind: str) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text(VICTIM_TEXT, encoding="utf-8")
    target = tmp_path / "out.txt"
    if kind == "link":
        target.symlink_to(victim)
    elif kind == "dangling link":
        target.symlink_to(tmp_path / "nowhere" / "created.txt")
    elif kind == "folder":
        target.mkdir()
    else:
        os.mkfifo(target)
    for new in (False, True):
        with pytest.raises(OutputError, match=r"out\.txt: (is a symbolic link|is a folder|is a named pipe)"):
            write_file(target, "evil", new=new)
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert not (tmp_path / "nowhere").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt", "victim.txt"]  # no temporary file left


def test_a_failed_write_leaves_the_previous_file_whole_and_names_it(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("the previous good report", encoding="utf-8")
    with (
        pytest.raises(OutputError, match=r"report\.json: cannot write the file: No space left on device"),
        writing(target) as handle,
    ):
        handle.write(b"half a rep")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert target.read_text(encoding="utf-8") == "the previous good report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_new_files_are_created_exclusively(tmp_path: Path) -> None:
    target = tmp_path / "deck.yaml"
    write_file(target, "mine", new=True)
    with pytest.raises(OutputError, match="already exists"):
        write_file(target, "theirs", new=True)
    assert target.read_text(encoding="utf-8") == "mine"


# --- every output path, through the real command -----------------------------------------------


def test_slides_and_captions_are_never_written_through_a_link(project: Path) -> None:
    victim = project / "victim.txt"
    assert run(project, "render", "post.yaml", "--for", "vk").returncode == 0
    out = project / "out" / "post"
    for name in ("01.png", "caption.txt"):
        (out / name).unlink()
        plant(out / name, victim)
        result = run(project, "render", "post.yaml", "--for", "vk", "--force")
        assert (
            result.returncode == 1 and f"out/post/{name}: error: this file was not written by cardgen" in result.stderr
        )
        assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
        (out / name).unlink()
    plant(project / "out" / "linked", project)  # the slides folder itself: refused (test_output_safety.py)
    (project / "linked.yaml").write_text(DECK, encoding="utf-8")
    assert "out/linked: error: is a symbolic link" in run(project, "render", "linked.yaml").stderr


@pytest.mark.parametrize(
    ("args", "link"),
    [
        (("render", "post.yaml", "--report", "report.json"), "report.json"),
        (("render", "post.yaml", "--report", "report.json", "--json"), "report.json"),
        (("preview", "post.yaml", "-o", "sheet.png"), "sheet.png"),
        (("preview", "post.yaml", "-o", "sheet.png"), "sheet.html"),
        (("preview", "post.yaml"), "out/post-sheet.png"),
        (("import", "post.txt", "-o", "imported.yaml"), "imported.yaml"),
        (("new", "starter"), "starter.yaml"),
        (("schema", "-o", "deck.schema.json"), "deck.schema.json"),
        (("theme-preview", "default", "-o", "theme.png", "--width", "60"), "theme.png"),
    ],
    ids=lambda v: v if isinstance(v, str) else " ".join(v[:1]),
)
@pytest.mark.parametrize("dangling", [False, True], ids=["link", "dangling"])
def test_a_link_at_an_output_file_is_refused_and_named(
    project: Path, args: tuple[str, ...], link: str, dangling: bool
) -> None:
    victim = project / ("gone" if dangling else "victim.txt") / ("created.txt" if dangling else "")
    plant(project / link, victim if dangling else project / "victim.txt")
    result = run(project, *args)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert f"{link}: error: " in result.stderr and "symbolic link" in result.stderr, result.stderr
    assert (project / "victim.txt").read_text(encoding="utf-8") == VICTIM_TEXT
    assert not (project / "gone").exists()
    if "--json" in args:
        import json

        document = json.loads(result.stdout)  # the one document, printed all the same
        assert document["ok"] is False and "report.json" in document["report_error"]


def test_watch_pages_are_never_written_through_a_link(project: Path) -> None:
    from cardgen.run.batch import Options
    from cardgen.run.watch import write_gallery

    victim = project / "victim.txt"
    out = project / "out"
    for name in ("index.html", "index-version.js"):
        plant(out / name, victim)
        with pytest.raises(CardgenError, match="symbolic link"):
            write_gallery(out, [])
        assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
        (out / name).unlink()
    # The old fixed temporary names are no way in either: the temporary file is created exclusively.
    plant(out / "index.html.tmp", victim)
    plant(out / "index-version.js.tmp", victim)
    write_gallery(out, [])
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert "cardgen watch" in (out / "index.html").read_text(encoding="utf-8")
    assert Options  # the watch command writes through write_gallery (tests/e2e/test_watch.py runs it)


def test_a_pdf_is_never_written_through_a_link(project: Path) -> None:
    from PIL import Image

    from cardgen.output.formats import write_pdf

    plant(project / "deck.pdf", project / "victim.txt")
    with pytest.raises(OutputError, match="symbolic link"):
        write_pdf([Image.new("RGB", (40, 50), (1, 2, 3))], project / "deck.pdf")
    assert (project / "victim.txt").read_text(encoding="utf-8") == VICTIM_TEXT


def test_caches_are_never_written_through_a_link(project: Path) -> None:
    """Manifests, the file-hash store and parsed hyphenation patterns: a link planted in place of
    each is left alone (the cache is skipped), the file it points at is not touched. A fresh
    process each time: one that parsed the hyphenation patterns before keeps them in memory."""
    victim = project / "victim.txt"
    cache = project / "cache"
    assert run_in_a_process(project, "render", "post.yaml").returncode == 0
    cached = [p for p in cache.rglob("*") if p.is_file()]
    kinds = {p.parent.name for p in cached}
    assert {"manifests", "hyphenation"} <= kinds and (cache / "file-hashes.json") in cached, cached
    for path in cached:
        path.unlink()
        plant(path, victim)
    os.utime(project / "post.yaml")  # a change: the deck renders again and would write its manifest
    result = run_in_a_process(project, "render", "post.yaml", "--force")
    assert result.returncode == 0, result.stderr
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert all(path.is_symlink() for path in cached)


def test_a_full_disk_leaves_the_previous_preview_whole_and_names_the_file(project: Path) -> None:
    """The preview page embeds every slide: a file-size limit below it (as a full disk would) fails
    that file with its name, and the previous page stays as it was, whole."""
    assert run(project, "preview", "post.yaml", "-o", "sheet.png", "--width", "60").returncode == 0
    before = {name: (project / name).read_bytes() for name in ("sheet.png", "sheet.html")}
    limit = (len(before["sheet.png"]) + len(before["sheet.html"])) // 2  # the sheet fits, the page does not
    assert len(before["sheet.png"]) < limit < len(before["sheet.html"])

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    (project / "post.yaml").write_text(DECK.replace("Вторая", "Другая"), encoding="utf-8")
    result = run_in_a_process(
        project, "preview", "post.yaml", "-o", "sheet.png", "--width", "60", preexec_fn=small_disk
    )
    assert result.returncode == 1
    assert "sheet.html: error: cannot write the file: File too large" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert (project / "sheet.html").read_bytes() == before["sheet.html"]
    assert (project / "sheet.png").read_bytes() == before["sheet.png"]  # both or neither: the sheet waited
    assert not [p.name for p in project.iterdir() if p.name.endswith(".tmp")]
