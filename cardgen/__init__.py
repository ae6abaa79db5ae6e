"""cardgen: a YAML deck file → numbered PNG carousel slides for VK and Telegram.

The pipeline (see ARCHITECTURE.md): load → resolve → layout → review → paint → output → publish,
one package a stage. `render_deck` in `cardgen.run.pipeline` runs it; the CLI in `cardgen.cli.app`
is a thin layer over it.

The public entry points are importable from here too (`from cardgen import render_deck`); each
is loaded when first asked for, so `import cardgen` (the CLI's version check) stays light.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# name → the module that defines it
_PUBLIC = {
    "render_deck": "cardgen.run.pipeline",
    "check_deck": "cardgen.run.pipeline",
    "layout_deck": "cardgen.run.pipeline",
    "RenderResult": "cardgen.run.pipeline",
    "load_deck": "cardgen.load.deck",
    "load_theme": "cardgen.load.theme",
    "CardgenError": "cardgen.model.problems",
    "Problem": "cardgen.model.problems",
    "Limits": "cardgen.model.limits",
    "Publish": "cardgen.publish.options",
}
__all__ = [  # noqa: RUF022 - in the order of _PUBLIC
    "__version__",
    "render_deck",
    "check_deck",
    "layout_deck",
    "RenderResult",
    "load_deck",
    "load_theme",
    "CardgenError",
    "Problem",
    "Limits",
    "Publish",
]


def __getattr__(name: str) -> object:  # no typing import: `import cardgen` stays light
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'cardgen' has no attribute {name!r}")
