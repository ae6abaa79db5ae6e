"""cardgen vs the plain-Pillow floor, side by side, in one run.

    python benchmarks/run.py [--runs N] [--reps N] [--json] [--profile] [--cpu K]

Measures, for the 7-card deck benchmarks/bench-deck.yaml:

* whole-command wall time of `cardgen render DECK -o TMP` and of
  `python benchmarks/pillow_floor.py DECK TMP`: 1 warm-up, then N runs each (interleaved), median
  and min, and the ratio cardgen / floor (target: <= 1.3);
* peak memory of each command: the child's own ru_maxrss, read with os.wait4() on that very child
  (exact per process, no wrapper process, no /usr/bin/time needed);
* in-process time per card, in fresh worker processes (3 per renderer, alternating): import
  time, the first (cold) render, then the median of warm renders, split into layout / paint / encode (PNG to memory, no
  disk), and cards per second (target: warm total <= 45 ms per 1080x1350 card);
* optionally (--profile) a cProfile of cardgen's in-process render: top 10 by cumulative and by own
  time, for the cold render and for warm renders.

The in-process figures run pinned to one CPU core (os.sched_setaffinity). Whole commands run on
every core the machine gives (cardgen encodes PNGs on worker threads; the floor cannot), and once
more with cardgen pinned to one core, so both figures are on the table.
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
CACHE = HERE / "_work" / "cache"  # cardgen's cache folder during the benchmark (CARDGEN_CACHE_DIR)
TARGET_RATIO = 1.3
TARGET_MS_PER_CARD = 45.0
IN_PROCESS_ROUNDS = 3  # fresh worker processes per renderer, alternating


# ----------------------------------------------------------------------------------------------
# in-process workers (run as `run.py --worker cardgen|floor` in a fresh interpreter)


def worker_cardgen(reps: int, profile: bool) -> dict:
    t0 = time.perf_counter()
    from cardgen.export import encode_png
    from cardgen.paint import paint_page
    from cardgen.render import layout_deck

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
        cards = floor.load_cards(DECK)
        laid = [floor.layout_card(card, i, len(cards)) for i, card in enumerate(cards)]
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
        return {"layout": run[0] / cards, "paint": run[1] / cards, "encode": run[2] / cards,
                "total": sum(run[:3]) / cards}

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
            cc, nc, tt, ct, _ = stats.stats[func]
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
# the driver


def one_core(cpu: int | None) -> int | None:
    """The core the one-core figures are pinned to (the last allowed unless --cpu says)."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    allowed = sorted(os.sched_getaffinity(0))
    return cpu if cpu is not None and cpu in allowed else allowed[-1]


def cardgen_command() -> list[str]:
    exe = Path(sys.executable).with_name("cardgen")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "cardgen"]


def run_measured(argv: list[str], cpu: int | None = None, empty_cache: bool = False) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one command, from fork to reaped exit.

    cardgen keeps parsed hyphenation patterns and file digests in its cache folder; the
    benchmark's own (benchmarks/_work/cache) is filled by the warm-up, as a user's is after the
    first run. `empty_cache`: a new empty cache folder, as on the first run on a machine.
    """
    out = Path(tempfile.mkdtemp(prefix="cardgen-bench-"))
    cache = Path(tempfile.mkdtemp(prefix="cardgen-bench-cache-")) if empty_cache else CACHE
    try:
        cmd = [*argv, str(out)]
        env = {**os.environ, "CARDGEN_CACHE_DIR": str(cache)}
        t0 = time.perf_counter()
        pin = (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=pin, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
        if proc.returncode != 0:
            raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
        if argv[1:2] != ["-c"] and not list(out.rglob("*.png")):
            raise SystemExit(f"command wrote no PNG: {' '.join(cmd)}")
        # ru_maxrss: KiB on Linux, bytes on macOS
        rss_mib = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        return wall, rss_mib
    finally:
        shutil.rmtree(out, ignore_errors=True)
        if empty_cache:
            shutil.rmtree(cache, ignore_errors=True)


def run_worker(kind: str, reps: int, profile: bool = False, cpu: int | None = None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--reps", str(reps)]
    if profile:
        cmd.append("--profile")
    pin = (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, preexec_fn=pin)
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
    import PIL
    from PIL import features

    try:
        from importlib.metadata import version

        cardgen_version = version("cardgen")
    except Exception:
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
        return "as the environment has it (PYTHONDONTWRITEBYTECODE=" + os.environ.get("PYTHONDONTWRITEBYTECODE", "") + ")"
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    prefix = HERE / "_work" / "pycache"
    prefix.mkdir(parents=True, exist_ok=True)
    os.environ["PYTHONPYCACHEPREFIX"] = str(prefix)
    return f"cached in {prefix.relative_to(ROOT)} (PYTHONPYCACHEPREFIX), filled by the warm-up"


def measure(runs: int, reps: int, cpu: int | None, pyc: bool = True) -> dict:
    chosen = one_core(cpu)
    bytecode = use_bytecode_cache(pyc)
    deck = str(DECK.relative_to(ROOT))
    commands = {
        "cardgen": [*cardgen_command(), "render", deck, "-o"],
        "floor": [sys.executable, str(FLOOR.relative_to(ROOT)), deck],
    }
    # start-up alone: the same interpreter importing what each command imports, rendering nothing
    # (the third argument, an output folder, is ignored by `-c`)
    commands["cardgen_imports"] = [sys.executable, "-c", "import cardgen.launch; cardgen.launch.tune_gc(); "
                                   "import cardgen.cli, cardgen.render, cardgen.paint, cardgen.export"]
    commands["floor_imports"] = [sys.executable, "-c", "import yaml, PIL.Image, PIL.ImageDraw, PIL.ImageFont"]
    commands["python"] = [sys.executable, "-c", "pass"]
    pinned = {"cardgen_1core": chosen}
    commands["cardgen_1core"] = commands["cardgen"]
    commands["cardgen_empty_cache"] = commands["cardgen"]
    walls: dict[str, list[float]] = {k: [] for k in commands}
    rss: dict[str, list[float]] = {k: [] for k in commands}
    shutil.rmtree(CACHE, ignore_errors=True)
    for name, argv in commands.items():  # warm-up: OS file cache, .pyc files, cardgen's cache folder
        run_measured(argv, pinned.get(name), name == "cardgen_empty_cache")
    run_worker("cardgen", 1)  # and the workers' own modules
    for _ in range(runs):  # interleaved, so drift hits both alike
        for name, argv in commands.items():
            wall, peak = run_measured(argv, pinned.get(name), name == "cardgen_empty_cache")
            walls[name].append(wall * 1000)
            rss[name].append(peak)
    # in process: fresh workers in alternation, as the whole commands, so drift hits both alike
    rounds: dict[str, list[dict]] = {"cardgen": [], "floor": []}
    for _ in range(IN_PROCESS_ROUNDS):
        for kind in rounds:
            rounds[kind].append(run_worker(kind, reps, cpu=chosen))
    inproc = {kind: merge_rounds(results) for kind, results in rounds.items()}
    result = {
        "machine": machine_info(chosen),
        "bytecode": bytecode,
        "deck": deck,
        "cards": inproc["cardgen"]["cards"],
        "runs": runs,
        "commands": {k: " ".join(v) + " TMP" for k, v in commands.items() if k in ("cardgen", "floor")},
        "command": {
            name: {
                "median_ms": statistics.median(walls[name]),
                "min_ms": min(walls[name]),
                "all_ms": walls[name],
                "peak_rss_mib": max(rss[name]),
            }
            for name in commands
        },
        "inproc": inproc,
    }
    c, f = result["command"]["cardgen"], result["command"]["floor"]
    ratio = c["median_ms"] / f["median_ms"]
    warm = inproc["cardgen"]["warm_median"]["total"]
    result["targets"] = {
        "ratio": ratio,
        "ratio_min": c["min_ms"] / f["min_ms"],
        "ratio_one_core": result["command"]["cardgen_1core"]["median_ms"] / f["median_ms"],
        "ratio_empty_cache": result["command"]["cardgen_empty_cache"]["median_ms"] / f["median_ms"],
        "ratio_ok": ratio <= TARGET_RATIO,
        "warm_ms_per_card": warm,
        "ms_per_card_ok": warm <= TARGET_MS_PER_CARD,
    }
    return result


def markdown(r: dict) -> str:
    m, c, f = r["machine"], r["command"]["cardgen"], r["command"]["floor"]
    ic, fl = r["inproc"]["cardgen"], r["inproc"]["floor"]
    n = r["cards"]
    t = r["targets"]

    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}×" if b else "–"

    rows = [
        ("whole command, wall, median (ms)", c["median_ms"], f["median_ms"]),
        ("whole command, wall, min (ms)", c["min_ms"], f["min_ms"]),
        ("whole command, cardgen pinned to one core, median (ms)", r["command"]["cardgen_1core"]["median_ms"],
         f["median_ms"]),
        ("whole command, empty cache folder (a machine's first run), median (ms)",
         r["command"]["cardgen_empty_cache"]["median_ms"], f["median_ms"]),
        ("whole command, cards/s (median)", n / c["median_ms"] * 1000, n / f["median_ms"] * 1000),
        ("whole command, peak RSS (MiB)", c["peak_rss_mib"], f["peak_rss_mib"]),
        ("start-up only: imports, no render, wall median (ms)", r["command"]["cardgen_imports"]["median_ms"],
         r["command"]["floor_imports"]["median_ms"]),
        ("start-up only: peak RSS (MiB)", r["command"]["cardgen_imports"]["peak_rss_mib"],
         r["command"]["floor_imports"]["peak_rss_mib"]),
        ("whole command minus start-up (ms)", c["median_ms"] - r["command"]["cardgen_imports"]["median_ms"],
         f["median_ms"] - r["command"]["floor_imports"]["median_ms"]),
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
        f"## cardgen vs plain-Pillow floor — {n} cards, 1080×1350 (`{r['deck']}`)",
        "",
        f"Whole command: 1 warm-up + {r['runs']} interleaved runs each; in process: {ic['rounds']} fresh worker "
        f"processes per renderer, alternating, each 1 cold render (median over workers) then warm renders "
        f"(median of all {ic['reps']}), PNG encoded to memory, pinned to CPU {m['pinned_cpu']}; "
        f"whole commands on all {m['cores']} cores unless the row says otherwise. "
        f"Bytecode: {r['bytecode']}.",
        "",
        "| metric | cardgen | Pillow floor | cardgen / floor |",
        "|---|---:|---:|---:|",
    ]
    for label, a, b in rows:
        out.append(f"| {label} | {a:.1f} | {b:.1f} | {ratio(a, b)} |")
    out += [
        "",
        "| target | value | met |",
        "|---|---:|:---:|",
        f"| whole command ≤ {TARGET_RATIO}× floor (median wall) | {t['ratio']:.2f}× (min/min {t['ratio_min']:.2f}×) "
        f"| {'yes' if t['ratio_ok'] else '**no**'} |",
        f"| the same, cardgen pinned to one core | {t['ratio_one_core']:.2f}× "
        f"| {'yes' if t['ratio_one_core'] <= TARGET_RATIO else '**no**'} |",
        f"| the same, a machine's first run (empty cache folder) | {t['ratio_empty_cache']:.2f}× "
        f"| {'yes' if t['ratio_empty_cache'] <= TARGET_RATIO else '**no**'} |",
        f"| warm in-process ≤ {TARGET_MS_PER_CARD:.0f} ms/card (one core) | {t['warm_ms_per_card']:.1f} ms "
        f"| {'yes' if t['ms_per_card_ok'] else '**no**'} |",
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
        f"cardgen command: `{r['commands']['cardgen']}`  ",
        f"floor command: `{r['commands']['floor']}`  ",
        f"bare interpreter (`python -c pass`): {r['command']['python']['median_ms']:.1f} ms median; "
        "start-up only = `python -c 'import …'` of the modules each command loads.  ",
        "Peak RSS: the child's own ru_maxrss from os.wait4(), max over runs.",
    ]
    if "profile" in r:
        out += ["", *profile_markdown(r["profile"])]
    return "\n".join(out)


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
        out += [f"### cProfile: cardgen {title}", "", "| function | calls | own ms | cumulative ms |", "|---|---:|---:|---:|"]
        for row in p[key]:
            out.append(f"| `{row['func']}` | {row['ncalls']} | {row['tottime_ms']:.1f} | {row['cumtime_ms']:.1f} |")
        out.append("")
    out.append("(cProfile adds overhead to every Python call; use it for where, not how much.)")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each whole command (default 15)")
    parser.add_argument("--reps", type=int, default=15, help="warm in-process renders (default 15)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    parser.add_argument("--profile", action="store_true", help="also cProfile cardgen's in-process render")
    parser.add_argument("--cpu", type=int, default=None, help="CPU to pin to (default: the last allowed)")
    parser.add_argument("--no-pyc-cache", action="store_true",
                        help="keep PYTHONDONTWRITEBYTECODE as the environment sets it (modules recompiled on every start)")
    parser.add_argument("--worker", choices=("cardgen", "floor"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        if str(ROOT) not in sys.path:  # a checkout without `pip install -e .`
            sys.path.append(str(ROOT))
        work = worker_cardgen if args.worker == "cardgen" else worker_floor
        print(json.dumps(work(args.reps, args.profile) if args.worker == "cardgen" else work(args.reps, False)))
        return
    result = measure(max(1, args.runs), max(1, args.reps), args.cpu, not args.no_pyc_cache)
    if args.profile:
        result["profile"] = run_worker("cardgen", min(args.reps, 5), profile=True)["profile"]
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else markdown(result))


if __name__ == "__main__":
    main()
