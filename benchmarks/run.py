"""cardgen vs the plain-Pillow floor and the peers (Typst; satori + resvg), side by side, in one run.

    python benchmarks/run.py [--runs N] [--reps N] [--mem-runs N] [--json] [--profile] [--cpu K]

Measures, for the 7-card deck benchmarks/bench-deck.yaml:

* whole-command wall time of `cardgen render DECK -o TMP`, of `python benchmarks/pillow_floor.py
  DECK TMP` and of each installed peer (`python benchmarks/typst_peer.py DECK TMP`, `node
  benchmarks/satori/peer.mjs DECK TMP`; a peer that is not installed is skipped with a line saying
  so): 1 warm-up, then N runs each (interleaved), median and min, CPU time, and the ratio to the
  floor (the median of the paired runs' ratios);
* `cardgen --version` and `cardgen render --help`, timed in the same rounds;
* peak memory of each command: ru_maxrss read with os.wait4() on that very child, which counts the
  processes it started and reaped (the largest process; no wrapper, no /usr/bin/time needed), for
  the 7-card deck and for a 70-card deck (written into benchmarks/_work at run time), and for
  cardgen rendering 10 decks of 7 in one run;
* in-process time per card, in fresh worker processes (3 per renderer, alternating): import
  time, the first (cold) render, then the median of warm renders, split into layout / paint /
  encode (PNG to memory, no disk), and cards per second;
* optionally (--profile) a cProfile of cardgen's in-process render: top 10 by cumulative and by own
  time, for the cold render and for warm renders.

Prints issue 17's targets with yes/no: the whole command within 1.0x the floor, peak memory at most
64 MiB and not growing from 7 to 70 cards, --version and render --help within 120 ms, at most 30
ms per card warm in process.

The in-process figures run pinned to one CPU core (os.sched_setaffinity, as `taskset -c K`).
Whole commands run on every core the machine gives (cardgen encodes PNGs on worker threads; the
floor cannot), and once more with cardgen pinned to one core, so both figures are on the table.
The 1-minute load average is reported at the start, between the phases and at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DECK = HERE / "bench-deck.yaml"
FLOOR = HERE / "pillow_floor.py"
TYPST_PEER = HERE / "typst_peer.py"
SATORI = HERE / "satori"  # its own package.json; `npm ci --prefix benchmarks/satori` installs it
SATORI_PEER = SATORI / "peer.mjs"
WORK = HERE / "_work"  # git-ignored: cache folder, bytecode, generated decks
CACHE = WORK / "cache"  # cardgen's cache folder during the benchmark (CARDGEN_CACHE_DIR)
LONG_DECK_CARDS = 70  # the memory table's long deck (and as many cards in 7-card decks)
IN_PROCESS_ROUNDS = 3  # fresh worker processes per renderer, alternating
# issue 17's targets
TARGET_RATIO = 1.0  # whole `cardgen render` / the floor, median of the paired runs' ratios
TARGET_PEAK_MIB = 64.0  # largest process, 7-card deck
TARGET_GROWTH = 1.10  # peak RSS with 70 cards (one deck; 10 decks in one run) / with 7: "does not grow", 10 % slack
TARGET_STARTUP_MS = 120.0  # `cardgen --version`, `cardgen render --help`, median wall
TARGET_MS_PER_CARD = 30.0  # warm in process, one core


# ----------------------------------------------------------------------------------------------
# in-process workers (run as `run.py --worker cardgen|floor` in a fresh interpreter)


def worker_cardgen(reps: int, profile: bool) -> dict:
    t0 = time.perf_counter()
    from cardgen.base import dataclass_code, pattern_code

    dataclass_code.install()  # as the command does (cardgen.cli.launch)
    pattern_code.install()
    from cardgen.output.formats import encode_png
    from cardgen.paint.draw import paint_page
    from cardgen.run.pipeline import layout_deck

    import_ms = (time.perf_counter() - t0) * 1000

    def once() -> tuple[float, float, float, int]:
        t0 = time.perf_counter()
        laid = layout_deck(DECK)
        t1 = time.perf_counter()
        images = [paint_page(page) for page in laid.pages]
        t2 = time.perf_counter()
        blobs = [encode_png(image) for image in images]
        t3 = time.perf_counter()
        return (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, len(blobs)

    if profile:
        return {"import_ms": import_ms, "profile": profile_runs(once, reps)}
    return {"import_ms": import_ms, **time_runs(once, reps)}


def worker_floor(reps: int, profile: bool) -> dict:
    t0 = time.perf_counter()
    import importlib.util

    spec = importlib.util.spec_from_file_location("pillow_floor", FLOOR)
    floor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(floor)
    import_ms = (time.perf_counter() - t0) * 1000

    def once() -> tuple[float, float, float, int]:
        t0 = time.perf_counter()
        laid = [floor.layout_card(card) for card in floor.load_cards(DECK)]
        t1 = time.perf_counter()
        images = [floor.draw_card(runs, rule) for runs, rule in laid]
        t2 = time.perf_counter()
        blobs = [floor.encode_png(image) for image in images]
        t3 = time.perf_counter()
        return (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, len(blobs)

    return {"import_ms": import_ms, **time_runs(once, reps)}


def time_runs(once, reps: int) -> dict:
    cold = once()
    cards = cold[3]
    warm = [once() for _ in range(reps)]

    def per_card(run):
        return {
            "layout": run[0] / cards,
            "paint": run[1] / cards,
            "encode": run[2] / cards,
            "total": sum(run[:3]) / cards,
        }

    stages = ("layout", "paint", "encode", "total")
    warm_pc = [per_card(r) for r in warm]
    return {
        "cards": cards,
        "reps": reps,
        "cold": per_card(cold),
        "warm_runs": warm_pc,
        "warm_median": {s: statistics.median(r[s] for r in warm_pc) for s in stages},
        "warm_min": {s: min(r[s] for r in warm_pc) for s in stages},
    }


def merge_rounds(rounds: list[dict]) -> dict:
    """Several fresh worker processes of one renderer → one result: the median of their import
    times and cold renders, and the median and min over all their warm renders."""
    stages = ("layout", "paint", "encode", "total")
    warm = [run for r in rounds for run in r["warm_runs"]]
    return {
        "import_ms": statistics.median(r["import_ms"] for r in rounds),
        "cards": rounds[0]["cards"],
        "reps": len(warm),
        "rounds": len(rounds),
        "cold": {s: statistics.median(r["cold"][s] for r in rounds) for s in stages},
        "warm_median": {s: statistics.median(run[s] for run in warm) for s in stages},
        "warm_min": {s: min(run[s] for run in warm) for s in stages},
    }


def profile_runs(once, reps: int) -> dict:
    import cProfile
    import io
    import pstats

    this = str(Path(__file__).resolve())

    def top(prof, key: str, n: int = 10, only: str | None = None) -> list[dict]:
        stats = pstats.Stats(prof, stream=io.StringIO())
        stats.sort_stats(key)
        rows = []
        funcs = [f for f in stats.fcn_list if Path(f[0]).resolve() != Path(this) or f[0] == "~"]
        if only:
            funcs = [f for f in funcs if only in f[0]]
        for func in funcs[:n]:
            _, nc, tt, ct, _ = stats.stats[func]
            filename, line, name = func
            where = name if filename == "~" else f"{short_path(filename)}:{line}({name})"
            rows.append({"func": where, "ncalls": nc, "tottime_ms": tt * 1000, "cumtime_ms": ct * 1000})
        return rows

    cold = cProfile.Profile()
    cold.runcall(once)
    warm = cProfile.Profile()
    for _ in range(reps):
        warm.runcall(once)
    return {
        "warm_reps": reps,
        "cold_cumulative": top(cold, "cumulative"),
        "cold_own": top(cold, "tottime"),
        "cold_cardgen": top(cold, "cumulative", only=f"{os.sep}cardgen{os.sep}"),
        "warm_cumulative": top(warm, "cumulative"),
        "warm_own": top(warm, "tottime"),
        "warm_cardgen": top(warm, "cumulative", only=f"{os.sep}cardgen{os.sep}"),
    }


def short_path(filename: str) -> str:
    for marker in ("/site-packages/", "/lib/python"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    try:
        return str(Path(filename).resolve().relative_to(ROOT))
    except ValueError:
        return filename


# ----------------------------------------------------------------------------------------------
# the commands: cardgen, the floor and the peers, each `PROGRAM … DECK … OUTDIR`


class Command:
    """One timed command. When it takes an output folder (`pngs` > 0), a fresh one is appended to
    `argv` and the command must write that many PNGs into it."""

    def __init__(self, argv: list[str], pngs: int = 0, pinned: bool = False, empty_cache: bool = False) -> None:
        self.argv, self.pngs, self.pinned, self.empty_cache = argv, pngs, pinned, empty_cache


class Renderer:
    """A program that renders a deck: `program DECK [before_out] OUTDIR`."""

    def __init__(self, label: str, program: list[str], before_out: tuple[str, ...] = ()) -> None:
        self.label, self.program, self.before_out = label, program, before_out

    def command(self, deck: Path, cards: int, pinned: bool = False, empty_cache: bool = False) -> Command:
        return Command([*self.program, rel(deck), *self.before_out], cards, pinned, empty_cache)


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def cardgen_command() -> list[str]:
    exe = Path(sys.executable).with_name("cardgen")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "cardgen"]


def typst_peer() -> Renderer | str:
    """The Typst peer, or the line that says why it is left out (it needs the `bench` extra)."""
    from importlib.metadata import version
    from importlib.util import find_spec

    if find_spec("typst") is None:
        return "Typst peer skipped: the `typst` package is not installed (`pip install -e '.[bench]'`)."
    return Renderer(f"Typst {version('typst')} (`{rel(TYPST_PEER)}`)", [sys.executable, rel(TYPST_PEER)])


def satori_peer() -> Renderer | str:
    """The satori + resvg peer (Node.js), or the line that says why it is left out."""
    node = shutil.which("node")
    modules = SATORI / "node_modules"
    if node is None:
        return "satori + resvg peer skipped: no `node` on PATH."
    if not all((modules / name / "package.json").is_file() for name in ("satori", "@resvg/resvg-js", "yaml")):
        return "satori + resvg peer skipped: its packages are not installed (`npm ci --prefix benchmarks/satori`)."

    def version(name: str) -> str:
        return json.loads((modules / name / "package.json").read_text(encoding="utf-8"))["version"]

    node_version = subprocess.run([node, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    label = (
        f"satori {version('satori')} + resvg-js {version('@resvg/resvg-js')}, "
        f"Node.js {node_version} (`{rel(SATORI_PEER)}`)"
    )
    return Renderer(label, [node, rel(SATORI_PEER)])


def renderers() -> tuple[dict[str, Renderer], list[str]]:
    """cardgen, the floor and each peer that is installed; and a line for each peer left out."""
    found = {
        "cardgen": Renderer("cardgen", [*cardgen_command(), "render"], ("-o",)),
        "floor": Renderer(f"Pillow floor (`{rel(FLOOR)}`)", [sys.executable, rel(FLOOR)]),
    }
    skipped = []
    for name, peer in (("typst", typst_peer()), ("satori", satori_peer())):
        if isinstance(peer, str):
            skipped.append(peer)
        else:
            found[name] = peer
    return found, skipped


def make_long_deck(cards: int, folder: Path = WORK) -> Path:
    """FOLDER/bench-deck-N.yaml (by default in benchmarks/_work, git-ignored): the benchmark deck's
    cover, then its six steps over and over, `cards` cards in all."""
    import yaml  # here: the in-process workers import this file, and cardgen's import must pay for yaml

    deck = yaml.safe_load(DECK.read_text(encoding="utf-8"))
    cover, steps = deck["cards"][0], deck["cards"][1:]
    deck["cards"] = [cover] + [dict(steps[i % len(steps)]) for i in range(cards - 1)]  # copies: no YAML aliases
    path = folder / f"bench-deck-{cards}.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(deck, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def make_deck_folder(decks: int) -> Path:
    """benchmarks/_work/decks-N: N distinct 7-card decks, as benchmarks/batch.py makes them."""
    from batch import make_decks

    folder = WORK / f"decks-{decks}"
    shutil.rmtree(folder, ignore_errors=True)
    make_decks(folder, decks)
    return folder


# ----------------------------------------------------------------------------------------------
# the driver


def one_core(cpu: int | None) -> int | None:
    """The core the one-core figures are pinned to (the last allowed unless --cpu says)."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    allowed = sorted(os.sched_getaffinity(0))
    return cpu if cpu is not None and cpu in allowed else allowed[-1]


def run_measured(command: Command, cpu: int | None = None) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MiB) and CPU seconds (user + system) of one command, from fork to
    reaped exit; pinned to `cpu` when the command says so.

    The figures are os.wait4()'s for that very child, which include those of every process it
    started and reaped: ru_maxrss is then the largest of them (Linux), so a command's worker
    processes count. cardgen keeps parsed hyphenation patterns and file digests in its cache
    folder; the benchmark's own (benchmarks/_work/cache) is filled by the warm-up, as a user's is
    after the first run. `empty_cache`: a new empty cache folder, as on the first run on a machine.
    """
    out = Path(tempfile.mkdtemp(prefix="cardgen-bench-"))
    cache = Path(tempfile.mkdtemp(prefix="cardgen-bench-cache-")) if command.empty_cache else CACHE
    try:
        cmd = [*command.argv, str(out)] if command.pngs else command.argv
        env = {**os.environ, "CARDGEN_CACHE_DIR": str(cache)}
        pin = (lambda: os.sched_setaffinity(0, {cpu})) if command.pinned and cpu is not None else None
        t0 = time.perf_counter()
        # preexec_fn is safe here: run.py starts no threads
        options = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "env": env}
        proc = subprocess.Popen(cmd, cwd=ROOT, preexec_fn=pin, **options)  # noqa: PLW1509
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
        if proc.returncode != 0:
            raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
        written = len(list(out.rglob("*.png")))
        if written != command.pngs:
            raise SystemExit(f"command wrote {written} PNGs, not {command.pngs}: {' '.join(cmd)}")
        # ru_maxrss: KiB on Linux, bytes on macOS
        rss_mib = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        return wall, rss_mib, usage.ru_utime + usage.ru_stime
    finally:
        shutil.rmtree(out, ignore_errors=True)
        if command.empty_cache:
            shutil.rmtree(cache, ignore_errors=True)


def run_rounds(commands: dict[str, Command], runs: int, cpu: int | None, warm_up: bool = True) -> dict[str, dict]:
    """1 untimed warm-up of each command (OS file cache, .pyc files, cardgen's cache folder) unless
    `warm_up` is false, then `runs` rounds of all of them, interleaved, so that machine drift hits
    all alike."""
    for command in commands.values() if warm_up else ():
        run_measured(command, cpu)
    walls: dict[str, list[float]] = {k: [] for k in commands}
    rss: dict[str, list[float]] = {k: [] for k in commands}
    cpus: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(runs):
        for name, command in commands.items():
            wall, peak, cpu_s = run_measured(command, cpu)
            walls[name].append(wall * 1000)
            rss[name].append(peak)
            cpus[name].append(cpu_s * 1000)
    return {
        name: {
            "median_ms": statistics.median(walls[name]),
            "min_ms": min(walls[name]),
            "all_ms": walls[name],
            "cpu_median_ms": statistics.median(cpus[name]),
            "peak_rss_mib": max(rss[name]),
        }
        for name in commands
    }


def paired_ratio(a: dict, b: dict) -> float:
    """The median over the interleaved rounds of a's wall / b's wall in the same round."""
    return statistics.median(x / y for x, y in zip(a["all_ms"], b["all_ms"], strict=True))


def run_worker(kind: str, reps: int, profile: bool = False, cpu: int | None = None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--reps", str(reps)]
    if profile:
        cmd.append("--profile")
    pin = (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, preexec_fn=pin, check=False)
    if done.returncode != 0:
        raise SystemExit(f"worker {kind} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine_info(cpu: int | None) -> dict:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import PackageNotFoundError, version

    import PIL
    from PIL import features

    try:
        cardgen_version = version("cardgen")
    except PackageNotFoundError:
        cardgen_version = "not installed (run from checkout)"
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "pinned_cpu": cpu,
        "python": platform.python_version(),
        "pillow": PIL.__version__,
        "pillow_raqm": bool(features.check("raqm")),
        "platform": platform.platform(),
        "cardgen": cardgen_version,
    }


def use_bytecode_cache(enabled: bool) -> str:
    """Let the children cache compiled modules, as an installed cardgen does.

    With PYTHONDONTWRITEBYTECODE set (common in containers and CI) every start recompiles all of
    cardgen's modules from source. The cache goes to benchmarks/_work/pycache
    (PYTHONPYCACHEPREFIX), so nothing is written next to the sources; the warm-up run fills it.
    """
    if not enabled:
        return (
            "as the environment has it (PYTHONDONTWRITEBYTECODE=" + os.environ.get("PYTHONDONTWRITEBYTECODE", "") + ")"
        )
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    prefix = WORK / "pycache"
    prefix.mkdir(parents=True, exist_ok=True)
    os.environ["PYTHONPYCACHEPREFIX"] = str(prefix)
    return f"cached in {rel(prefix)} (PYTHONPYCACHEPREFIX), filled by the warm-up"


def load_average() -> float | None:
    """The 1-minute load average: how busy the (shared) machine was."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def measure(runs: int, reps: int, cpu: int | None, pyc: bool = True, mem_runs: int = 2) -> dict:
    chosen = one_core(cpu)
    bytecode = use_bytecode_cache(pyc)
    load = {"start": load_average()}
    found, skipped = renderers()
    cards = 7
    commands = {name: renderer.command(DECK, cards) for name, renderer in found.items()}
    commands["cardgen_1core"] = found["cardgen"].command(DECK, cards, pinned=True)
    commands["cardgen_empty_cache"] = found["cardgen"].command(DECK, cards, empty_cache=True)
    # start-up alone: the same interpreter importing what each command imports, rendering nothing
    # (a plain `cardgen render` runs in cardgen.cli.core, without typer: cardgen.cli.fast), set up
    # as cardgen.cli.launch sets the command up (the collector, the compiled dataclass sources and patterns)
    cardgen_imports = (
        "import cardgen.base.process; cardgen.base.process.tune_gc(); "
        "import cardgen.base.dataclass_code; cardgen.base.dataclass_code.install(); "
        "import cardgen.base.pattern_code; cardgen.base.pattern_code.install(); "
        "import cardgen.cli.core, cardgen.run.pipeline, cardgen.paint.draw, cardgen.output.slides"
    )
    commands["cardgen_imports"] = Command([sys.executable, "-c", cardgen_imports])
    commands["floor_imports"] = Command(
        [sys.executable, "-c", "import sys; sys.path.insert(0, 'benchmarks'); import pillow_floor"]
    )
    commands["python"] = Command([sys.executable, "-c", "pass"])
    commands["cardgen_version"] = Command([*cardgen_command(), "--version"])
    commands["cardgen_render_help"] = Command([*cardgen_command(), "render", "--help"])
    shutil.rmtree(CACHE, ignore_errors=True)
    timed = run_rounds(commands, runs, chosen)
    load["after_commands"] = load_average()
    # memory: 70 cards in one deck, and 10 decks of 7 in one cardgen run (default -j, as above)
    long_cards = LONG_DECK_CARDS
    memory_commands = {
        name: renderer.command(make_long_deck(long_cards), long_cards) for name, renderer in found.items()
    }
    decks = long_cards // cards
    memory_commands["cardgen_decks"] = found["cardgen"].command(make_deck_folder(decks), decks * cards)
    memory = run_rounds(memory_commands, mem_runs, chosen, warm_up=False)  # the rounds above warmed up
    load["after_memory"] = load_average()
    run_worker("cardgen", 1)  # the workers' own modules
    # in process: fresh workers in alternation, as the whole commands, so drift hits both alike
    rounds: dict[str, list[dict]] = {"cardgen": [], "floor": []}
    for _ in range(IN_PROCESS_ROUNDS):
        for kind, results in rounds.items():
            results.append(run_worker(kind, reps, cpu=chosen))
    inproc = {kind: merge_rounds(results) for kind, results in rounds.items()}
    load["end"] = load_average()
    result = {
        "machine": machine_info(chosen),
        "load_average": load,
        "bytecode": bytecode,
        "deck": rel(DECK),
        "cards": cards,
        "long_deck_cards": long_cards,
        "decks_in_one_run": decks,
        "runs": runs,
        "mem_runs": mem_runs,
        "renderers": {name: renderer.label for name, renderer in found.items()},
        "skipped": skipped,
        "commands": {name: " ".join(c.argv) + (" TMP" if c.pngs else "") for name, c in commands.items()},
        "command": timed,
        "memory": memory,
        "inproc": inproc,
    }
    result["targets"] = targets(result)
    return result


def targets(r: dict) -> dict:
    """Issue 17's targets, each a value and whether it is met."""
    c, f, mem = r["command"], r["command"]["floor"], r["memory"]
    peak = c["cardgen"]["peak_rss_mib"]
    rows = {
        "ratio": paired_ratio(c["cardgen"], f),
        "ratio_one_core": paired_ratio(c["cardgen_1core"], f),
        "ratio_empty_cache": paired_ratio(c["cardgen_empty_cache"], f),
        "peak_rss_mib": peak,
        "growth_long_deck": mem["cardgen"]["peak_rss_mib"] / peak,
        "growth_decks": mem["cardgen_decks"]["peak_rss_mib"] / peak,
        "version_ms": c["cardgen_version"]["median_ms"],
        "render_help_ms": c["cardgen_render_help"]["median_ms"],
        "warm_ms_per_card": r["inproc"]["cardgen"]["warm_median"]["total"],
    }
    limit = {
        "ratio": TARGET_RATIO,
        "ratio_one_core": TARGET_RATIO,
        "ratio_empty_cache": TARGET_RATIO,
        "peak_rss_mib": TARGET_PEAK_MIB,
        "growth_long_deck": TARGET_GROWTH,
        "growth_decks": TARGET_GROWTH,
        "version_ms": TARGET_STARTUP_MS,
        "render_help_ms": TARGET_STARTUP_MS,
        "warm_ms_per_card": TARGET_MS_PER_CARD,
    }
    return {name: {"value": value, "limit": limit[name], "met": value <= limit[name]} for name, value in rows.items()}


def markdown(r: dict) -> str:
    m, cmd = r["machine"], r["command"]
    c, f = cmd["cardgen"], cmd["floor"]
    ic, fl = r["inproc"]["cardgen"], r["inproc"]["floor"]
    n = r["cards"]
    rows = [
        ("whole command, wall, median (ms)", c["median_ms"], f["median_ms"]),
        ("whole command, wall, min (ms)", c["min_ms"], f["min_ms"]),
        ("whole command, cardgen pinned to one core, median (ms)", cmd["cardgen_1core"]["median_ms"], f["median_ms"]),
        (
            "whole command, empty cache folder (a machine's first run), median (ms)",
            cmd["cardgen_empty_cache"]["median_ms"],
            f["median_ms"],
        ),
        ("whole command, CPU time (user + system), median (ms)", c["cpu_median_ms"], f["cpu_median_ms"]),
        ("whole command, cards/s (median)", n / c["median_ms"] * 1000, n / f["median_ms"] * 1000),
        ("whole command, peak RSS (MiB)", c["peak_rss_mib"], f["peak_rss_mib"]),
        (
            "start-up only: imports, no render, wall median (ms)",
            cmd["cardgen_imports"]["median_ms"],
            cmd["floor_imports"]["median_ms"],
        ),
        ("start-up only: peak RSS (MiB)", cmd["cardgen_imports"]["peak_rss_mib"], cmd["floor_imports"]["peak_rss_mib"]),
        (
            "whole command minus start-up (ms)",
            c["median_ms"] - cmd["cardgen_imports"]["median_ms"],
            f["median_ms"] - cmd["floor_imports"]["median_ms"],
        ),
        ("in process: import (ms)", ic["import_ms"], fl["import_ms"]),
        ("in process: first (cold) render, ms/card", ic["cold"]["total"], fl["cold"]["total"]),
        ("  cold: layout ms/card", ic["cold"]["layout"], fl["cold"]["layout"]),
        ("  cold: paint ms/card", ic["cold"]["paint"], fl["cold"]["paint"]),
        ("  cold: encode ms/card", ic["cold"]["encode"], fl["cold"]["encode"]),
        ("in process: warm median, ms/card", ic["warm_median"]["total"], fl["warm_median"]["total"]),
        ("  warm: layout ms/card", ic["warm_median"]["layout"], fl["warm_median"]["layout"]),
        ("  warm: paint ms/card", ic["warm_median"]["paint"], fl["warm_median"]["paint"]),
        ("  warm: encode ms/card", ic["warm_median"]["encode"], fl["warm_median"]["encode"]),
        ("in process: warm min, ms/card", ic["warm_min"]["total"], fl["warm_min"]["total"]),
        ("in process: warm cards/s", 1000 / ic["warm_median"]["total"], 1000 / fl["warm_median"]["total"]),
    ]
    out = [
        f"## cardgen vs plain-Pillow floor and peers — {n} cards, 1080×1350 (`{r['deck']}`)",
        "",
        (
            f"Whole command: 1 warm-up + {r['runs']} interleaved runs each; in process: {ic['rounds']} fresh worker "
            f"processes per renderer, alternating, each 1 cold render (median over workers) then warm renders "
            f"(median of all {ic['reps']}), PNG encoded to memory, pinned to CPU {m['pinned_cpu']}; "
            f"whole commands on all {m['cores']} cores unless the row says otherwise. "
            f"Bytecode: {r['bytecode']}. {load_line(r['load_average'])}"
        ),
        "",
        "| metric | cardgen | Pillow floor | cardgen / floor |",
        "|---|---:|---:|---:|",
        *(f"| {label} | {a:.1f} | {b:.1f} | {a / b:.2f}× |" for label, a, b in rows),
        "",
        *peers_markdown(r),
        "",
        *memory_markdown(r),
        "",
        *targets_markdown(r),
        "",
        "| machine | |",
        "|---|---|",
        f"| CPU | {m['cpu']} |",
        f"| cores | {m['cores']} (one-core figures pinned to CPU {m['pinned_cpu']}) |",
        f"| Python | {m['python']} |",
        f"| Pillow | {m['pillow']} (raqm: {'yes' if m['pillow_raqm'] else 'no'}) |",
        f"| platform | {m['platform']} |",
        f"| cardgen | {m['cardgen']} |",
        "",
        *(f"{name} command: `{r['commands'][name]}`  " for name in r["renderers"]),
        (
            f"bare interpreter (`python -c pass`): {cmd['python']['median_ms']:.1f} ms median; "
            "start-up only = `python -c 'import …'` of the modules each command loads.  "
        ),
        (
            "Peak RSS: os.wait4()'s ru_maxrss of the command's process, which counts the processes it started and "
            "reaped: the largest process. Max over runs."
        ),
    ]
    if "profile" in r:
        out += ["", *profile_markdown(r["profile"])]
    return "\n".join(out)


def load_line(load: dict) -> str:
    if load["start"] is None:
        return ""
    return (
        f"Load average (1 min): {load['start']:.2f} at the start, {load['after_commands']:.2f} after the "
        f"whole commands, {load['after_memory']:.2f} after the memory runs, {load['end']:.2f} at the end "
        f"({os.cpu_count()} cores)."
    )


def peers_markdown(r: dict) -> list[str]:
    cmd, floor = r["command"], r["command"]["floor"]
    rows = [
        (r["renderers"]["cardgen"], "cardgen"),
        ("cardgen pinned to one core", "cardgen_1core"),
        ("cardgen, empty cache folder", "cardgen_empty_cache"),
        *((label, name) for name, label in r["renderers"].items() if name != "cardgen"),
    ]
    out = [
        f"### Whole command, side by side ({r['cards']} cards, the same interleaved runs)",
        "",
        (
            "| renderer | wall median (ms) | wall min (ms) | / floor (median of paired runs) | CPU median (ms) "
            "| peak RSS (MiB) |"
        ),
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, name in rows:
        x = cmd[name]
        out.append(
            f"| {label} | {x['median_ms']:.1f} | {x['min_ms']:.1f} | {paired_ratio(x, floor):.2f}× "
            f"| {x['cpu_median_ms']:.1f} | {x['peak_rss_mib']:.1f} |"
        )
    return (
        out
        + [""]
        + [f"{line}  " for line in r["skipped"]]
        + ["CPU: user + system time of the command and its children; on a loaded machine it moves less than wall time."]
    )


def memory_markdown(r: dict) -> list[str]:
    cmd, mem, n, long = r["command"], r["memory"], r["cards"], r["long_deck_cards"]
    out = [
        f"### Peak memory, largest process ({long}-card deck: {r['mem_runs']} runs each, interleaved)",
        "",
        f"| renderer | {n} cards (MiB) | {long} cards (MiB) | {long} / {n} | {long} cards, wall median (s) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, label in r["renderers"].items():
        a, b = cmd[name]["peak_rss_mib"], mem[name]["peak_rss_mib"]
        out.append(f"| {label}, one deck | {a:.1f} | {b:.1f} | {b / a:.2f}× | {mem[name]['median_ms'] / 1000:.2f} |")
    a, b = cmd["cardgen"]["peak_rss_mib"], mem["cardgen_decks"]["peak_rss_mib"]
    out.append(
        f"| cardgen, {r['decks_in_one_run']} decks × {n} cards in one run | {a:.1f} | {b:.1f} "
        f"| {b / a:.2f}× | {mem['cardgen_decks']['median_ms'] / 1000:.2f} |"
    )
    return out


def targets_markdown(r: dict) -> list[str]:
    t, cmd, n, long = r["targets"], r["command"], r["cards"], r["long_deck_cards"]
    ratio_of_medians = cmd["cardgen"]["median_ms"] / cmd["floor"]["median_ms"]
    ratio_min = cmd["cardgen"]["min_ms"] / cmd["floor"]["min_ms"]
    rows = [
        (
            "ratio",
            f"1. whole `cardgen render` ≤ {TARGET_RATIO}× the floor (median of paired runs)",
            f"{t['ratio']['value']:.2f}× (medians {ratio_of_medians:.2f}×, min/min {ratio_min:.2f}×)",
        ),
        ("ratio_one_core", "1. the same, cardgen pinned to one core", f"{t['ratio_one_core']['value']:.2f}×"),
        (
            "ratio_empty_cache",
            "1. the same, a machine's first run (empty cache folder)",
            f"{t['ratio_empty_cache']['value']:.2f}×",
        ),
        (
            "peak_rss_mib",
            f"2. peak RSS ≤ {TARGET_PEAK_MIB:.0f} MiB, {n} cards (largest process)",
            f"{t['peak_rss_mib']['value']:.1f} MiB",
        ),
        (
            "growth_long_deck",
            f"2. peak RSS, {long} cards in one deck ≤ {TARGET_GROWTH}× the {n}-card peak",
            f"{t['growth_long_deck']['value']:.2f}× ({r['memory']['cardgen']['peak_rss_mib']:.1f} MiB)",
        ),
        (
            "growth_decks",
            f"2. peak RSS, {r['decks_in_one_run']} decks of {n} in one run ≤ {TARGET_GROWTH}× the {n}-card peak",
            f"{t['growth_decks']['value']:.2f}× ({r['memory']['cardgen_decks']['peak_rss_mib']:.1f} MiB)",
        ),
        (
            "version_ms",
            f"3. `cardgen --version` ≤ {TARGET_STARTUP_MS:.0f} ms (median wall)",
            f"{t['version_ms']['value']:.1f} ms",
        ),
        (
            "render_help_ms",
            f"3. `cardgen render --help` ≤ {TARGET_STARTUP_MS:.0f} ms (median wall)",
            f"{t['render_help_ms']['value']:.1f} ms",
        ),
        (
            "warm_ms_per_card",
            f"5. warm in-process ≤ {TARGET_MS_PER_CARD:.0f} ms/card (one core)",
            f"{t['warm_ms_per_card']['value']:.1f} ms",
        ),
    ]
    out = ["### Targets (issue 17)", "", "| target | value | met |", "|---|---:|:---:|"]
    out += [f"| {label} | {value} | {'yes' if t[name]['met'] else '**no**'} |" for name, label, value in rows]
    return [
        *out,
        "",
        (
            "Target 4 is the side-by-side table above; target 5's `-j 2` speed-up and nothing-changed "
            "run: `python benchmarks/batch.py`."
        ),
    ]


def profile_markdown(p: dict) -> list[str]:
    out = []
    for key, title in (
        ("cold_cumulative", "cold render (first in a fresh process), top 10 by cumulative time"),
        ("cold_own", "cold render, top 10 by own time"),
        ("cold_cardgen", "cold render, top 10 cardgen functions by cumulative time"),
        ("warm_cumulative", f"{p['warm_reps']} warm renders, top 10 by cumulative time"),
        ("warm_own", f"{p['warm_reps']} warm renders, top 10 by own time"),
        ("warm_cardgen", f"{p['warm_reps']} warm renders, top 10 cardgen functions by cumulative time"),
    ):
        out += [
            f"### cProfile: cardgen {title}",
            "",
            "| function | calls | own ms | cumulative ms |",
            "|---|---:|---:|---:|",
        ]
        for row in p[key]:
            out.append(f"| `{row['func']}` | {row['ncalls']} | {row['tottime_ms']:.1f} | {row['cumtime_ms']:.1f} |")
        out.append("")
    out.append("(cProfile adds overhead to every Python call; use it for where, not how much.)")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each whole command (default 15)")
    parser.add_argument("--reps", type=int, default=15, help="warm in-process renders (default 15)")
    parser.add_argument(
        "--mem-runs",
        type=int,
        default=2,
        help=f"runs of each {LONG_DECK_CARDS}-card command for the memory table (default 2)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    parser.add_argument("--profile", action="store_true", help="also cProfile cardgen's in-process render")
    parser.add_argument("--cpu", type=int, default=None, help="CPU to pin to (default: the last allowed)")
    parser.add_argument(
        "--no-pyc-cache",
        action="store_true",
        help="keep PYTHONDONTWRITEBYTECODE as the environment sets it (modules recompiled on every start)",
    )
    parser.add_argument("--worker", choices=("cardgen", "floor"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        if str(ROOT) not in sys.path:  # a checkout without `pip install -e .`
            sys.path.append(str(ROOT))
        work = worker_cardgen if args.worker == "cardgen" else worker_floor
        print(json.dumps(work(args.reps, args.profile) if args.worker == "cardgen" else work(args.reps, False)))
        return
    result = measure(max(1, args.runs), max(1, args.reps), args.cpu, not args.no_pyc_cache, max(1, args.mem_runs))
    if args.profile:
        result["profile"] = run_worker("cardgen", min(args.reps, 5), profile=True)["profile"]
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else markdown(result))


if __name__ == "__main__":
    main()
