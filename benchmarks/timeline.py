"""Where the time of a many-deck run goes: each deck's start and end in each process, -j 1 and -j 2.

    python benchmarks/timeline.py [--decks 50] [--runs 5] [--json]

Makes the same 50 decks as benchmarks/batch.py, then runs the real command (`cardgen render
DECKS -o OUT -q`, an empty cache folder each time) with `-j 1` and with `-j 2`, alternating, in a
wrapper that records when each deck starts and ends in each process (`cardgen.run.batch.run_job`
timed, nothing else changed). For each run it prints the whole command's wall time and, per
process: when its first deck started, its first deck's time (cold caches), its other decks'
median, and when its last deck ended. `-j 2`'s ratio then reads against its parts: the start-up
before the work splits, each worker's cold first deck, how fast each worker's core was (a core
the host slows shows as one worker's median above the other's), and the gap between the
workers' ends. batch.py gives the target figures; this says why a run lands where it does.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from batch import make_decks, use_bytecode_cache  # noqa: E402

# Runs `cardgen` as its command does, with `run_job` timed into the file named by argv[1].
WRAPPER = """
import os, sys, time
log = sys.argv.pop(1)
from cardgen.base import dataclass_code, pattern_code, process
process.tune_gc()  # the command's own set-up first (cardgen.cli.launch does it again: no-ops)
dataclass_code.install()
pattern_code.install()
from cardgen.run import batch
job = batch.run_job
def timed(*args, **kwargs):
    started = time.time()
    try:
        return job(*args, **kwargs)
    finally:
        with open(log, "a") as out:
            out.write(f"{os.getpid()} {started} {time.time()}\\n")
batch.run_job = timed
from cardgen.cli.launch import main
main()
"""


def one_run(decks: Path, jobs: int, work: Path) -> dict:
    log = work / f"log-{jobs}.txt"
    log.write_text("")
    out, cache = work / f"out-{jobs}", work / f"cache-{jobs}"
    for folder in (out, cache):
        shutil.rmtree(folder, ignore_errors=True)
    env = {**os.environ, "CARDGEN_CACHE_DIR": str(cache)}
    argv = [sys.executable, "-c", WRAPPER, str(log), "render", str(decks), "-o", str(out), "-j", str(jobs), "-q"]
    started = time.time()
    subprocess.run(argv, check=True, env=env)
    wall = time.time() - started
    by_process: dict[str, list[tuple[float, float]]] = {}
    for line in log.read_text().splitlines():
        pid, start, end = line.split()
        by_process.setdefault(pid, []).append((float(start) - started, float(end) - started))
    workers = []
    for spans in sorted(by_process.values(), key=min):
        spans.sort()
        times = [end - start for start, end in spans]
        workers.append(
            {
                "decks": len(spans),
                "first_start": round(spans[0][0], 3),
                "first_deck": round(times[0], 3),
                "median_deck": round(statistics.median(times[1:] or times), 4),
                "last_end": round(spans[-1][1], 3),
            }
        )
    return {"jobs": jobs, "wall": round(wall, 3), "workers": workers}


def _spans(worker: dict) -> str:
    return f"{worker['first_start']:.3f} / {worker['first_deck']:.3f} / {worker['median_deck']:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--decks", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    use_bytecode_cache(True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="cardgen-timeline-") as folder:
        work = Path(folder)
        decks = work / "decks"
        make_decks(decks, args.decks)
        one_run(decks, 2, work)  # warm-up: the bytecode cache; not reported
        for _ in range(args.runs):
            one, two = one_run(decks, 1, work), one_run(decks, 2, work)
            medians = [w["median_deck"] for w in two["workers"]]
            ends = [w["last_end"] for w in two["workers"]]
            rows.append(
                {
                    "ratio": round(one["wall"] / two["wall"], 3),
                    "j1": one,
                    "j2": two,
                    "core_skew": round(max(medians) / min(medians), 3),
                    "end_gap": round(max(ends) - min(ends), 3),
                }
            )
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(
        "| run | -j 1 (s) | -j 2 (s) | ratio | -j 1: first deck starts / takes / then each (s) "
        "| -j 2, each worker: the same | the slower worker's decks | gap between the workers' ends |"
    )
    print("|---:|---:|---:|---:|---|---|---:|---:|")
    for n, row in enumerate(rows, 1):
        (lone,) = row["j1"]["workers"]
        pair = "; ".join(_spans(w) for w in row["j2"]["workers"])
        print(
            f"| {n} | {row['j1']['wall']:.2f} | {row['j2']['wall']:.2f} | {row['ratio']:.2f}× | {_spans(lone)} | "
            f"{pair} | +{(row['core_skew'] - 1) * 100:.0f} % | {row['end_gap']:.2f} s |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
