"""Pure stages import neither Pillow nor a YAML parser (design.md §1): checked on the source."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cardgen"
PURE = ["markup", "typograph", "hyphenate", "linebreak", "typeset", "layout", "layouts/__init__", "layouts/chrome",
        "layouts/text", "layouts/media", "layouts/data", "layouts/chat", "poststructure", "resolve", "deck", "theme",
        "page", "color", "source_types", "shaping", "quality", "scale", "split", "composition", "layouts/ornament", "typograph_rules"]
FORBIDDEN = ("PIL", "yaml")


@pytest.mark.parametrize("module", PURE)
def test_pure_modules_do_not_import_pil_or_yaml(module):
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    imported = []
    for node in tree.body:  # module level: a function may import lazily at the edge
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.append(node.module)
    bad = [name for name in imported if name.split(".")[0] in FORBIDDEN]
    assert not bad, f"{module} imports {bad}"


def test_only_paint_and_export_draw():
    """Pillow's ImageColor reads color names (color.py, when a value is parsed): it draws nothing."""
    def draws(text: str) -> bool:
        return any("from PIL" in line and "import ImageColor" not in line for line in text.splitlines())

    drawing = {p.stem for p in PACKAGE.rglob("*.py") if draws(p.read_text(encoding="utf-8"))}
    assert drawing <= {"paint", "export", "sheet", "formats"}
