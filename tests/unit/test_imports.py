"""Imports go one way, down the pipeline: every `import` of every module under cardgen/ (those
inside functions too) is parsed with `ast` and checked against the stage order below.

This file is the one place the rules are written (ARCHITECTURE.md describes them):

- `STAGES`: a module may import its own stage and the stages before it, never one after it.
- `LAZY`: the only imports allowed inside functions, each for a stated reason (start-up time of
  the command line, the "nothing changed" path of `render` that loads no image library, YAML kept
  at the edge of the loaders). Any other import belongs at the top of its module.
- No cycles between modules, counting the imports inside functions.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "cardgen"

# The pipeline, first to last: values shared by all, then the stages in the order data flows.
STAGES: tuple[str, ...] = (
    "model",  # values every stage shares: problems, limits, pages, colours, source places, names
    "base",  # process, files, caches, PNG chunks: no knowledge of decks
    "load",  # files → deck, theme, fonts, config (validated, located)
    "text",  # markup, typograph, hyphenation, line breaking, shaping, typesetting
    "resolve",  # deck + theme → one CardSpec per card (styles, fonts, ad marking)
    "layout",  # cards → pages (every position decided), fitted on the deck's type scale
    "paint",  # pages → images (Pillow)
    "review",  # laid-out pages and pictures → warnings (contrast, quality, glyphs)
    "output",  # images → files (formats, marks, the slides folder, sheets, HTML)
    "publish",  # platform limits, albums, captions, alt text, the post plan
    "importer",  # a Telegram post or export → a deck YAML
    "run",  # the pipeline in order, batches, manifests, watch, the report, the gallery
    "cli",  # the typer app and the process set-up
)

_CLI_COMMANDS = frozenset(
    {
        "cardgen.cli.starter",
        "cardgen.importer.design",
        "cardgen.importer.telegram_export",
        "cardgen.load.config",
        "cardgen.load.schema",
        "cardgen.load.theme",
        "cardgen.output.formats",
        "cardgen.output.html",
        "cardgen.output.sheet",
        "cardgen.output.slides",
        "cardgen.paint.draw",
        "cardgen.review.quality",
        "cardgen.run.batch",
        "cardgen.run.console",
        "cardgen.run.discover",
        "cardgen.run.gallery",
        "cardgen.run.manifest",
        "cardgen.run.pipeline",
        "cardgen.run.watch",
        "cardgen.text.typograph",
    }
)

# importer → what it may import inside a function, and why.
LAZY: dict[str, frozenset[str]] = {
    # `cardgen --help`, completion and a usage error start in well under a second: each command
    # loads its stages when it runs.
    "cardgen.cli.app": _CLI_COMMANDS,
    # The same for the run around every command and the bodies of `render` and `check`, which a
    # plain command line reaches without typer (test_fastpath).
    "cardgen.cli.core": frozenset(
        {
            "cardgen.load.config",
            "cardgen.load.deck",
            "cardgen.load.theme",
            "cardgen.run.batch",
            "cardgen.run.console",
            "cardgen.run.discover",
        }
    ),
    # The process is set up (GC, fork or spawn, signals) before typer and the stages load.
    # `cardgen --version` is answered before anything else loads, and typer (cardgen.cli.app)
    # only for a command line the fast path does not take (test_startup).
    "cardgen.cli.launch": frozenset(
        {
            "cardgen",
            "cardgen.base.dataclass_code",
            "cardgen.base.pattern_code",
            "cardgen.base.process",
            "cardgen.cli.core",
            "cardgen.cli.app",
        }
    ),
    # The generated dataclass sources load only on the Python they were written from; writing
    # them walks the whole package.
    "cardgen.base.dataclass_code": frozenset({"cardgen.base._dataclass_code_311", "cardgen"}),
    # The compiled patterns load when the first pattern is asked for (or the command installs
    # them); writing them walks the whole package and renders the example decks.
    "cardgen.base.pattern_code": frozenset({"cardgen.base._pattern_code"}),
    "cardgen.cli.patterntable": frozenset(
        {"cardgen", "cardgen.cli.launch", "cardgen.load.fonts", "cardgen.text.typograph_rules"}
    ),
    # `render` of decks that did not change loads no pydantic, Pillow or HarfBuzz (test_incremental).
    "cardgen.run.batch": frozenset({"cardgen.run.pipeline", "cardgen.run.report"}),
    "cardgen.run.manifest": frozenset({"cardgen.load.fonts", "cardgen.load.reader", "cardgen.load.theme"}),
    "cardgen.run.gallery": frozenset({"cardgen.output.sheet", "cardgen.paint.draw", "cardgen.run.pipeline"}),
    # YAML stays at the edge of the loaders: the models and the config import no parser.
    # pydantic loads only for a deck or theme the lean check (`load.records`) hands over: an
    # error to word, or a value pydantic converts.
    "cardgen.load.deck": frozenset({"cardgen.load.reader", "cardgen.load.validation"}),
    "cardgen.load.theme": frozenset(
        {"cardgen.load.reader", "cardgen.load.config", "cardgen.load.brandfonts", "cardgen.load.validation"}
    ),
    # The JSON Schema is made from the models (pydantic) only when asked for.
    "cardgen.load.schema": frozenset({"cardgen.load.deck", "cardgen.load.theme", "cardgen.load.validation"}),
    # fontTools loads only for a theme with its own font files.
    "cardgen.resolve.cards": frozenset({"cardgen.load.brandfonts"}),
    # `cardgen import` turns text into a deck without the layout, unless a continuation is measured.
    "cardgen.importer.design": frozenset({"cardgen.importer.measure"}),
    # The importer asks the layout (the built-in theme, fonts, HarfBuzz) only whether a continuation
    # fits back into the card it continues; parsing and structure stay pure.
    "cardgen.importer.measure": frozenset(
        {
            "cardgen.layout.layouts",
            "cardgen.layout.scale",
            "cardgen.load.deck",
            "cardgen.load.theme",
            "cardgen.load.validation",
            "cardgen.model.limits",
            "cardgen.model.problems",
            "cardgen.resolve.cards",
        }
    ),
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the module imported (for `from package import module`, that module)
    line: int
    lazy: bool  # inside a function


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


@cache  # parsed once for the module's tests
def _imports() -> tuple[Import, ...]:
    modules = _modules()
    found: list[Import] = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]

        def visit(node: ast.AST, lazy: bool, name: str = name, package: str = package) -> None:
            for child in ast.iter_child_nodes(node):
                inner = lazy or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
                if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                    continue  # for the type checker only: never run
                if isinstance(child, ast.Import):
                    targets = [alias.name for alias in child.names]
                elif isinstance(child, ast.ImportFrom):
                    base = child.module or ""
                    if child.level:
                        up = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                        base = ".".join([*up, base] if base else up)
                    # `from cardgen.run import batch` imports the module cardgen.run.batch
                    targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in child.names]
                else:
                    visit(child, inner)
                    continue
                found.extend(
                    Import(name, t, child.lineno, lazy)
                    for t in dict.fromkeys(targets)
                    if t == "cardgen" or t.startswith("cardgen.")
                )

        visit(tree, False)
    return tuple(found)


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_every_package_is_a_stage_in_the_order() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert packages == set(STAGES)


def test_imports_go_down_the_pipeline_only() -> None:
    rank = {stage: i for i, stage in enumerate(STAGES)}
    upward = []
    for imp in _imports():
        here, there = _stage(imp.module), _stage(imp.target)
        if here and there and rank[there] > rank[here]:
            upward.append(f"{imp.module}:{imp.line} imports {imp.target} ({there} comes after {here})")
    assert upward == []


def test_imports_inside_functions_are_the_allowed_ones() -> None:
    unlisted = [
        f"{imp.module}:{imp.line} imports {imp.target} inside a function"
        for imp in _imports()
        if imp.lazy and imp.target not in LAZY.get(imp.module, frozenset())
    ]
    assert unlisted == []


def test_the_allow_list_names_only_imports_that_exist() -> None:
    lazy = {(imp.module, imp.target) for imp in _imports() if imp.lazy}
    stale = [(module, target) for module, targets in LAZY.items() for target in targets if (module, target) not in lazy]
    assert stale == []


def test_no_module_imports_itself_back_through_others() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for imp in _imports():
        if imp.target not in (imp.module, "cardgen"):  # `cardgen` itself holds the version only
            graph[imp.module].add(imp.target)
    cycles = []
    done: set[str] = set()
    path: list[str] = []

    def walk(node: str) -> None:
        if node in path:
            cycles.append(" → ".join([*path[path.index(node) :], node]))
            return
        if node in done:
            return
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            walk(nxt)
        path.pop()
        done.add(node)

    for module in sorted(graph):
        walk(module)
    assert cycles == []


def test_the_checker_sees_imports_inside_functions_and_relative_ones(tmp_path: Path) -> None:
    """The parser itself: an upward import hidden in a function is found."""
    imports = _imports()
    assert any(imp.lazy for imp in imports) and any(not imp.lazy for imp in imports)
    assert any(imp.module == "cardgen.cli.launch" and imp.target == "cardgen.cli.app" and imp.lazy for imp in imports)
    assert any(imp.module == "cardgen.cli.core" and imp.target == "cardgen.run.batch" and imp.lazy for imp in imports)
    from cardgen.run import batch  # noqa: F401 - the form `from package import module`

    assert any(imp.target == "cardgen.run.batch" for imp in imports if imp.module == "cardgen.cli.app")


def test_the_public_entry_points_are_importable_from_cardgen() -> None:
    import cardgen
    from cardgen.load.deck import load_deck
    from cardgen.run.pipeline import render_deck

    assert cardgen.render_deck is render_deck and cardgen.load_deck is load_deck
    assert set(cardgen.__all__) >= {"render_deck", "check_deck", "layout_deck", "load_deck", "CardgenError"}
    assert all(getattr(cardgen, name) is not None for name in cardgen.__all__)
    assert cardgen.__all__[1:] == list(cardgen._PUBLIC)  # the two lists agree
