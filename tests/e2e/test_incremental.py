"""Incremental renders: manifests record every input; unchanged decks are skipped, changed ones
render again; stale slides go and the user's files stay."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from batchkit import age, cardgen, cardgen_json, cardgen_process, listing, write_deck
from PIL import Image

from cardgen.run import manifest


def statuses(cwd: Path, *args: str, process: bool = False) -> dict[str, str]:
    code, doc, stderr = cardgen_json("render", *args, cwd=cwd, process=process)
    assert code == 0, stderr
    return {Path(d["deck"]).as_posix(): d["status"] for d in doc["decks"]}


def test_second_run_skips_and_force_renders(tmp_path: Path) -> None:
    age(write_deck(tmp_path / "a.yaml"), write_deck(tmp_path / "b.yaml"))
    assert statuses(tmp_path, "a.yaml", "b.yaml", process=True) == {"a.yaml": "rendered", "b.yaml": "rendered"}
    before = (tmp_path / "out" / "a" / "01.png").stat().st_mtime_ns
    second = cardgen_process("render", "a.yaml", "b.yaml", cwd=tmp_path)
    assert "a.yaml: unchanged, 2 slides in out/a" in second.stdout
    assert "0 rendered, 2 unchanged" in second.stdout
    assert (tmp_path / "out" / "a" / "01.png").stat().st_mtime_ns == before
    assert statuses(tmp_path, "a.yaml", "b.yaml", "--force", process=True) == {
        "a.yaml": "rendered",
        "b.yaml": "rendered",
    }


def test_only_the_changed_deck_renders_again(tmp_path: Path) -> None:
    age(write_deck(tmp_path / "a.yaml"), write_deck(tmp_path / "b.yaml"))
    statuses(tmp_path, "a.yaml", "b.yaml", process=True)
    age(write_deck(tmp_path / "b.yaml", "Другой заголовок"))
    assert statuses(tmp_path, "a.yaml", "b.yaml", process=True) == {"a.yaml": "skipped", "b.yaml": "rendered"}
    # Other options are other slides.
    assert statuses(tmp_path, "a.yaml", "--theme", "midnight", process=True) == {"a.yaml": "rendered"}
    assert statuses(tmp_path, "a.yaml", "--theme", "midnight", process=True) == {"a.yaml": "skipped"}


def test_theme_chain_and_pictures_are_inputs(tmp_path: Path) -> None:
    theme = tmp_path / "themes" / "brand.yaml"
    theme.parent.mkdir()
    theme.write_text("extends: default\ncolors:\n  accent: '#CC3300'\n", encoding="utf-8")
    Image.new("RGB", (800, 600), (20, 90, 160)).save(tmp_path / "photo.png")
    deck = write_deck(tmp_path / "d.yaml", theme="brand")
    deck.write_text(
        deck.read_text(encoding="utf-8") + "  - layout: image\n    image: photo.png\n    title: Фото\n",
        encoding="utf-8",
    )
    age(theme, deck, tmp_path / "photo.png")
    assert statuses(tmp_path, "d.yaml") == {"d.yaml": "rendered"}
    assert statuses(tmp_path, "d.yaml") == {"d.yaml": "skipped"}
    theme.write_text("extends: default\ncolors:\n  accent: '#0033CC'\n", encoding="utf-8")
    age(theme)
    assert statuses(tmp_path, "d.yaml") == {"d.yaml": "rendered"}
    Image.new("RGB", (800, 600), (160, 90, 20)).save(tmp_path / "photo.png")
    age(tmp_path / "photo.png")
    assert statuses(tmp_path, "d.yaml") == {"d.yaml": "rendered"}
    recorded = manifest.read(tmp_path / "out" / "d", tmp_path / ".cardgen-cache")
    files = {Path(p).name for p, digest in recorded["inputs"].items() if digest}
    assert {"d.yaml", "brand.yaml", "default.yaml", "photo.png", "Inter-Regular.otf", "NotoColorEmoji.ttf"} <= files


def test_a_theme_file_created_beside_the_deck_takes_over(tmp_path: Path) -> None:
    age(write_deck(tmp_path / "d.yaml", theme="midnight"))
    assert statuses(tmp_path, "d.yaml") == {"d.yaml": "rendered"}
    local = tmp_path / "themes" / "midnight.yaml"  # looked up before the built-in midnight
    local.parent.mkdir()
    local.write_text("extends: paper\n", encoding="utf-8")
    age(local)
    assert statuses(tmp_path, "d.yaml") == {"d.yaml": "rendered"}


def test_a_changed_font_renders_again(tmp_path: Path) -> None:
    """A font is shipped with cardgen, so its change is simulated in the manifest's record."""
    age(write_deck(tmp_path / "d.yaml"))
    statuses(tmp_path, "d.yaml")
    path = manifest.manifest_path(tmp_path / "out" / "d", tmp_path / ".cardgen-cache")
    data = json.loads(path.read_text(encoding="utf-8"))
    font = next(p for p in data["inputs"] if p.endswith("Inter-Regular.otf"))
    data["inputs"][font] = "0" * 64  # as if Inter-Regular.otf had other bytes when it was rendered
    path.write_text(json.dumps(data), encoding="utf-8")
    assert statuses(tmp_path, "d.yaml") == {"d.yaml": "rendered"}
    assert statuses(tmp_path, "d.yaml") == {"d.yaml": "skipped"}


def test_a_shrinking_deck_drops_stale_slides_and_keeps_the_users_files(tmp_path: Path) -> None:
    age(write_deck(tmp_path / "d.yaml", cards=4))
    statuses(tmp_path, "d.yaml")
    (tmp_path / "out" / "d" / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "out" / "d" / "99.png").write_bytes(b"my own picture, not a slide")
    age(write_deck(tmp_path / "d.yaml", cards=2))
    assert statuses(tmp_path, "d.yaml") == {"d.yaml": "rendered"}
    assert listing(tmp_path / "out" / "d") == ["01.png", "02.png", "99.png", "notes.txt"]


def test_a_slide_deleted_by_hand_is_rendered_again(tmp_path: Path) -> None:
    age(write_deck(tmp_path / "d.yaml"))
    statuses(tmp_path, "d.yaml")
    (tmp_path / "out" / "d" / "02.png").unlink()
    assert statuses(tmp_path, "d.yaml") == {"d.yaml": "rendered"}
    assert (tmp_path / "out" / "d" / "02.png").is_file()


def test_skipped_decks_replay_their_warnings_and_strict_fails_them(tmp_path: Path) -> None:
    age(write_deck(tmp_path / "d.yaml", "Символ \u0e01"))
    first = cardgen("render", "d.yaml", cwd=tmp_path)
    assert first.returncode == 0 and "warning:" in first.stderr
    again = cardgen("render", "d.yaml", cwd=tmp_path)
    assert "unchanged" in again.stdout and again.stderr == first.stderr
    strict = cardgen("render", "d.yaml", "--strict", cwd=tmp_path)
    assert strict.returncode == 1 and "(--strict)" in strict.stderr
    assert (tmp_path / "out" / "d" / "01.png").is_file()  # the slides stay, as after any failure


def test_nothing_heavy_is_imported_to_find_unchanged_decks(tmp_path: Path) -> None:
    age(write_deck(tmp_path / "d.yaml"))
    statuses(tmp_path, "d.yaml")
    code = (
        "import sys; from pathlib import Path; from cardgen.run import batch\n"
        "from cardgen.run.discover import plan_targets\n"
        "targets, _ = plan_targets(['d.yaml'], Path('out'))\n"
        f"work, done = batch.plan_work(targets, batch.Options(cache={str(tmp_path / '.cardgen-cache')!r}))\n"
        "assert not work and done[0].status == 'skipped', (work, done)\n"
        "print(sorted(m for m in ('PIL', 'uharfbuzz', 'pydantic', 'yaml', 'fontTools') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("args", [[], ["--for", "telegram"], ["--format", "webp", "--json"]])
def test_the_command_skipping_unchanged_decks_loads_no_renderer(tmp_path: Path, args: list[str]) -> None:
    """The whole command, as CI runs it: no Pillow, HarfBuzz, YAML parser, fonts or deck and theme
    models load to find that nothing changed (pydantic does: typer's option parsing uses it)."""
    age(write_deck(tmp_path / "a.yaml"), write_deck(tmp_path / "b.yaml"))
    assert set(statuses(tmp_path, "a.yaml", "b.yaml", *args, process=True).values()) == {"rendered"}
    environment = {**os.environ, "PYTHONUTF8": "1", "CARDGEN_CACHE_DIR": str(tmp_path / ".cardgen-cache")}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cardgen", "render", "a.yaml", "b.yaml", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    loaded = {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "cardgen.run.batch" in loaded  # the timing lines are there
    heavy = {
        "PIL",
        "uharfbuzz",
        "yaml",
        "fontTools",
        "pyphen",
        "cardgen.load.theme",
        "cardgen.load.deck",
        "cardgen.run.pipeline",
        "cardgen.text.typograph",
        "rich",
    }
    assert not heavy & loaded, sorted(heavy & loaded)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_manifests_are_written_by_workers_too(tmp_path: Path, jobs: str) -> None:
    for name in ("a", "b", "c"):
        age(write_deck(tmp_path / f"{name}.yaml", name.upper()))
    assert set(statuses(tmp_path, ".", "-j", jobs, process=True).values()) == {"rendered"}
    assert set(statuses(tmp_path, ".", "-j", jobs, process=True).values()) == {"skipped"}


def test_the_layout_report_covers_skipped_decks_too(tmp_path: Path) -> None:
    age(write_deck(tmp_path / "a.yaml"), write_deck(tmp_path / "b.yaml"))
    statuses(tmp_path, "a.yaml")
    result = cardgen_process("render", "a.yaml", "b.yaml", "--report", "report.json", "-j", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "a.yaml: unchanged" in result.stdout and "b.yaml: 2 slides" in result.stdout
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [Path(d["deck"]).name for d in report["decks"]] == ["a.yaml", "b.yaml"]
    assert [s["file"] for s in report["decks"][0]["slides"]] == ["out/a/01.png", "out/a/02.png"]


def test_file_digests_are_kept_between_runs_and_a_changed_file_is_read_again(tmp_path: Path) -> None:
    store = tmp_path / "cache" / "file-hashes.json"
    old, fresh = tmp_path / "old.txt", tmp_path / "fresh.txt"
    old.write_text("one", encoding="utf-8")
    fresh.write_text("two", encoding="utf-8")
    age(old)
    first = manifest.Hasher(store)
    digest = first.digest(str(old))
    first.digest(str(fresh))
    first.save()
    saved = json.loads(store.read_text(encoding="utf-8"))
    assert saved[str(old)][3] == digest
    assert str(fresh) not in saved  # saved a moment ago: it could change again within a clock tick

    # the next process trusts the stored digest while size, time and inode stay the same …
    saved[str(old)][3] = "f" * 64
    store.write_text(json.dumps(saved), encoding="utf-8")
    assert manifest.Hasher(store).digest(str(old)) == "f" * 64
    # … and reads the file again once any of them changes
    old.write_text("ONE", encoding="utf-8")
    age(old)
    again = manifest.Hasher(store).digest(str(old))
    assert again not in (digest, "f" * 64) and again == manifest.Hasher().digest(str(old))


def test_a_damaged_digest_store_only_means_hashing_again(tmp_path: Path) -> None:
    store = tmp_path / "file-hashes.json"
    store.write_text("{not json", encoding="utf-8")
    path = tmp_path / "a.txt"
    path.write_text("a", encoding="utf-8")
    age(path)
    hasher = manifest.Hasher(store)
    assert hasher.digest(str(path)) == manifest.Hasher().digest(str(path))
    hasher.save()
    assert json.loads(store.read_text(encoding="utf-8"))[str(path)][3] == hasher.digest(str(path))


def test_renders_fill_the_digest_store_in_the_cache(tmp_path: Path) -> None:
    age(write_deck(tmp_path / "d.yaml"))
    statuses(tmp_path, "d.yaml")
    stored = json.loads((tmp_path / ".cardgen-cache" / "file-hashes.json").read_text(encoding="utf-8"))
    assert any(p.endswith("Inter-Regular.otf") for p in stored)
    assert str((tmp_path / "d.yaml").resolve()) in stored


def test_path_rules_are_part_of_what_makes_a_deck_unchanged(tmp_path: Path) -> None:
    """A deck rendered with --allow-outside-paths (or a wider --root) is not skipped by a run
    without it: the plain run refuses the outside picture, as it would on a fresh CI runner."""
    (tmp_path / "assets").mkdir()
    Image.new("RGB", (64, 64), (200, 40, 40)).save(tmp_path / "assets" / "me.png")
    deck = tmp_path / "decks" / "d.yaml"
    deck.parent.mkdir()
    deck.write_text(
        "title: Т\nsize: 400x500\nauthor: {name: Я, avatar: ../assets/me.png}\n"
        "cards:\n  - layout: cover\n    title: Т\n",
        encoding="utf-8",
    )
    age(deck, tmp_path / "assets" / "me.png")
    assert statuses(tmp_path, "decks/d.yaml", "--allow-outside-paths") == {"decks/d.yaml": "rendered"}
    assert statuses(tmp_path, "decks/d.yaml", "--allow-outside-paths") == {"decks/d.yaml": "skipped"}
    plain = cardgen("render", "decks/d.yaml", cwd=tmp_path)
    assert plain.returncode == 1 and "outside the project root" in plain.stderr, plain.stdout + plain.stderr
    assert statuses(tmp_path, "decks/d.yaml", "--root", ".") == {"decks/d.yaml": "rendered"}
    assert statuses(tmp_path, "decks/d.yaml", "--root", ".") == {"decks/d.yaml": "skipped"}


def test_a_theme_extended_by_path_is_an_input(tmp_path: Path) -> None:
    """themes/brand.yaml extends base.yaml, its sibling (a path resolves against the theme's
    folder), which extends midnight by name: each file of the chain, and the themes/midnight.yaml
    that would take over the built-in, is recorded."""
    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / "brand.yaml").write_text("extends: base.yaml\n", encoding="utf-8")
    base = themes / "base.yaml"
    base.write_text("extends: midnight\ncolors:\n  accent: '#CC3300'\n", encoding="utf-8")
    age(write_deck(tmp_path / "d.yaml", theme="brand"), themes / "brand.yaml", base)
    assert statuses(tmp_path, "d.yaml") == {"d.yaml": "rendered"}
    assert statuses(tmp_path, "d.yaml") == {"d.yaml": "skipped"}
    base.write_text("extends: midnight\ncolors:\n  accent: '#0033CC'\n", encoding="utf-8")
    age(base)
    assert statuses(tmp_path, "d.yaml") == {"d.yaml": "rendered"}
    assert statuses(tmp_path, "d.yaml") == {"d.yaml": "skipped"}
    (themes / "midnight.yaml").write_text("extends: paper\n", encoding="utf-8")
    age(themes / "midnight.yaml")
    assert statuses(tmp_path, "d.yaml") == {"d.yaml": "rendered"}


def test_the_code_digest_follows_every_source_without_reading_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`manifest.source_digest`: the sources' names, sizes, times and inodes (reading and hashing
    ~100 files cost ~13 ms of every render)."""
    from cardgen.run import manifest

    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    (root / "a.py").write_text("a = 1\n")
    (root / "sub" / "b.py").write_text("b = 2\n")
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} was read"))
    first = manifest.source_digest(root)
    assert manifest.source_digest(root) == first
    info = os.stat(root / "sub" / "b.py")
    (root / "sub" / "b.py").write_text("b = 3\n")  # an edit of the same size, its old time put back
    os.utime(root / "sub" / "b.py", ns=(info.st_atime_ns, info.st_mtime_ns))
    assert manifest.source_digest(root) == first  # what the stamp cannot see (no editor does this)
    os.utime(root / "sub" / "b.py", ns=(info.st_atime_ns, info.st_mtime_ns + 1))
    assert manifest.source_digest(root) != first
    (root / "c.py").write_text("")
    assert len({first, manifest.source_digest(root)}) == 2


def test_a_render_does_not_load_its_theme_again_to_record_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The manifest takes the theme chain from the render's own theme (`Theme.files`)."""
    from cardgen.load import theme as theme_module
    from cardgen.run import manifest
    from cardgen.run.pipeline import layout_deck

    laid = layout_deck(write_deck(tmp_path / "d.yaml"))
    expected = manifest.theme_files(laid.deck.theme, laid.deck.folder)
    monkeypatch.setattr(theme_module, "load_theme", lambda *a, **k: pytest.fail("the theme was loaded again"))
    inputs = manifest.deck_inputs(laid, None)
    assert [(str(p), e) for p, e in expected] == [
        (p, e) for p, e in inputs.items() if p.endswith((".yaml", ".yml")) and p != str(laid.deck.path)
    ]
