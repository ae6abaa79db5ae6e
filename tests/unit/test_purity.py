"""Pure stages import neither Pillow nor a YAML parser (design.md §1): checked on the source."""

import ast
import importlib.util
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "cardgen"
PURE = [
    "cardgen.text.markup",
    "cardgen.text.typograph",
    "cardgen.text.hyphenate",
    "cardgen.text.linebreak",
    "cardgen.text.typeset",
    "cardgen.layout.flow",
    "cardgen.layout.layouts",
    "cardgen.layout.chrome",
    "cardgen.layout.layouts.text",
    "cardgen.layout.layouts.media",
    "cardgen.layout.layouts.data",
    "cardgen.layout.layouts.chat",
    "cardgen.importer.poststructure",
    "cardgen.resolve.cards",
    "cardgen.load.deck",
    "cardgen.load.theme",
    "cardgen.model.page",
    "cardgen.model.color",
    "cardgen.model.source",
    "cardgen.text.shaping",
    "cardgen.review.quality",
    "cardgen.layout.scale",
    "cardgen.layout.split",
    "cardgen.layout.composition",
    "cardgen.layout.ornament",
    "cardgen.text.typograph_rules",
    "cardgen.text.plural",
    "cardgen.publish.platforms",
    "cardgen.resolve.admark",
    "cardgen.publish.caption",
    "cardgen.importer.postparse",
    "cardgen.importer.deckyaml",
    "cardgen.importer.design",
    "cardgen.importer.telegram_export",
]
FORBIDDEN = ("PIL", "yaml")


@pytest.mark.parametrize("module", PURE)
def test_pure_modules_do_not_import_pil_or_yaml(module):
    spec = importlib.util.find_spec(module)
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
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

    drawing = {
        "cardgen." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
        for p in PACKAGE.rglob("*.py")
        if draws(p.read_text(encoding="utf-8"))
    }
    # paint.pictures decodes, orients and scales the pictures paint.draw composites
    assert drawing <= {
        "cardgen.paint.draw",
        "cardgen.paint.pictures",
        "cardgen.output.slides",
        "cardgen.output.sheet",
        "cardgen.output.formats",
    }
