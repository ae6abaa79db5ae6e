"""Helpers for the many-decks tests: small decks in temporary folders, and the real command.

Every run gets its own manifest cache (CARDGEN_CACHE_DIR inside the test's folder), so tests
never see each other's manifests nor the user's.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

SMALL = "400x500"  # a small canvas renders in a fraction of the time; layout rules are the same


def deck_text(title: str, cards: int = 2, *, size: str = SMALL, theme: str | None = None, extra: str = "") -> str:
    lines = [f"title: {title}", f"size: {size}"]
    if theme:
        lines.append(f"theme: {theme}")
    lines.append("cards:")
    lines.append(f"  - layout: cover\n    title: {title}")
    for i in range(2, cards + 1):
        lines.append(f"  - title: Карточка {i}\n    text: Немного текста для карточки {i}.{extra}")
    return "\n".join(lines) + "\n"


def write_deck(path: Path, title: str = "Пост", cards: int = 2, **kwargs: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(deck_text(title, cards, **kwargs), encoding="utf-8")
    return path


def cardgen(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONUTF8": "1", "CARDGEN_CACHE_DIR": str(cwd / ".cardgen-cache"), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "cardgen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env=environment,
    )


def cardgen_json(*args: str, cwd: Path) -> tuple[int, dict[str, Any], str]:
    result = cardgen(*args, "--json", cwd=cwd)
    return result.returncode, json.loads(result.stdout), result.stderr


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.png"))
    }


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
