"""The whole `cardgen render` of the benchmark deck at several commits, in paired rounds.

    python benchmarks/commits.py REV [REV…] [--rounds N] [--cpu K] [--json]

Each REV (a commit, branch or tag) is checked out once into benchmarks/_work/commits/<sha> (`git
worktree add --detach`, left there for the next run; `git worktree prune` after deleting the
folder) and run from its own tree with this virtual environment's packages (`PYTHONPATH=<tree>
python -m cardgen render benchmarks/bench-deck.yaml -o TMP --force`), so the figures differ by
cardgen's code alone (each commit keeps its own cache folder, benchmarks/_work/cache-<sha>,
warmed by its warm-up run, as a user's would be). The plain-Pillow floor runs in the same
rounds. One warm-up per command (it also fills the bytecode cache, benchmarks/_work/pycache),
then N rounds (default 10), every command once per round in turn; for each: the median wall
time, CPU time (user + system) and peak RSS (ru_maxrss of the command's own process, read with
os.wait4), and the median over rounds of its wall time divided by the floor's in the same round.

This is how the README's "each change, before and after" tables are made: pass the commit
before a change and the commit of the change.
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
ROOT = HERE.parent
WORK = HERE / "_work"
TREES = WORK / "commits"
DECK = HERE / "bench-deck.yaml"
FLOOR = HERE / "pillow_floor.py"


def tree(rev: str) -> tuple[str, Path]:
    """A checkout of `rev` → (its short sha, its folder)."""
    sha = subprocess.run(
        ["git", "rev-parse", "--short=10", rev], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    folder = TREES / sha
    if not (folder / "cardgen").is_dir():
        TREES.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=True)
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(folder), sha], cwd=ROOT, check=True, capture_output=True
        )
    return sha, folder


def run_once(command: list[str], env: dict[str, str], cpu: int | None) -> tuple[float, float, float]:
    """One run → (wall s, CPU s, peak RSS MiB) of the command's own process."""
    out = Path(tempfile.mkdtemp(prefix="cardgen-commits-"))
    try:
        pinned = ["taskset", "-c", str(cpu)] if cpu is not None else []  # taskset execs the command: same process
        started = time.perf_counter()
        # Not from the repository root: `python -m` puts the working folder first on sys.path, and
        # the checkout's own `cardgen` must win (PYTHONPATH).
        process = subprocess.Popen([*pinned, *command, str(out)], cwd=out, env=env, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0 or not list(out.rglob("*.png")):  # 7 slides (or 7 floor PNGs)
            raise SystemExit(f"failed: {' '.join(command)}")
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revs", nargs="+")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--cpu", type=int, default=None, help="pin every command to this CPU")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    env |= {"PYTHONPYCACHEPREFIX": str(WORK / "pycache"), "CARDGEN_CACHE_DIR": str(WORK / "cache")}
    commands: dict[str, tuple[list[str], dict[str, str]]] = {"floor": ([sys.executable, str(FLOOR), str(DECK)], env)}
    for rev in args.revs:
        sha, folder = tree(rev)
        commands[sha] = (  # each commit its own cache folder: what one commit keeps there is not another's
            [sys.executable, "-m", "cardgen", "render", str(DECK), "--force", "-q", "-o"],
            {**env, "PYTHONPATH": str(folder), "CARDGEN_CACHE_DIR": str(WORK / f"cache-{sha}")},
        )
    for command, command_env in commands.values():  # warm-up: bytecode, hyphenation patterns, file hashes
        run_once(command, command_env, args.cpu)
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    for _ in range(args.rounds):
        for name, (command, command_env) in commands.items():
            results[name].append(run_once(command, command_env, args.cpu))
    floor = [wall for wall, _, _ in results["floor"]]
    table = {
        name: {
            "wall_ms": round(statistics.median(w for w, _, _ in runs) * 1000, 1),
            "cpu_ms": round(statistics.median(c for _, c, _ in runs) * 1000, 1),
            "peak_mib": round(statistics.median(m for _, _, m in runs), 1),
            "ratio": round(statistics.median(w / f for (w, _, _), f in zip(runs, floor, strict=True)), 3),
        }
        for name, runs in results.items()
    }
    load = os.getloadavg()[0]
    if args.json:
        print(json.dumps({"rounds": args.rounds, "load": load, "results": table}, indent=2))
        return
    print(f"{args.rounds} rounds, 1-minute load {load:.2f} at the end")
    print(f"{'command':12} {'wall ms':>8} {'CPU ms':>8} {'MiB':>6} {'/ floor':>8}")
    for name, row in table.items():
        print(f"{name:12} {row['wall_ms']:8.1f} {row['cpu_ms']:8.1f} {row['peak_mib']:6.1f} {row['ratio']:7.2f}×")


if __name__ == "__main__":
    main()
