"""The test lanes hold: every test file is in a lane's folder, the unit lane starts no process,
and no test reads outside the repository (a clone of the project alone runs every test)."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
LANES = ("unit", "layout", "paint", "e2e")


def test_every_test_file_is_in_a_lane() -> None:
    outside = [
        str(p.relative_to(TESTS)) for p in TESTS.rglob("test_*.py") if p.relative_to(TESTS).parts[0] not in LANES
    ]
    assert outside == []


def test_the_unit_lane_starts_no_process() -> None:
    spawns = re.compile(r"\bsubprocess\b|sys\.executable|os\.fork|multiprocessing")
    found = [
        p.name
        for p in (TESTS / "unit").glob("test_*.py")
        if p != Path(__file__) and spawns.search(p.read_text("utf-8"))
    ]
    assert found == []


def test_no_test_reads_the_shared_folder_beside_the_checkout() -> None:
    beside = re.compile(r"""["']shared["']\s*/\s*["']content|shared/content|ROOT\.parent\b""")
    found = [
        str(p.relative_to(TESTS))
        for p in TESTS.rglob("*.py")
        if p != Path(__file__) and beside.search(p.read_text("utf-8"))
    ]
    assert found == []
