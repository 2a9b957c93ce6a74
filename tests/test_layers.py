"""Imports run one way: every pipeline module imports only from its own layer or lower ones, and
no modules import each other in a circle. Module-level and function-level imports both count."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PIPELINE = Path(__file__).resolve().parents[1] / "pipeline"

# Lowest first. A module belongs to the layer of its longest listed prefix ("pipeline" itself is
# only the package's __init__).
LAYERS: list[tuple[str, ...]] = [
    ("pipeline", "pipeline.records", "pipeline.resources", "pipeline.schema", "pipeline.dates.calendar",
     "pipeline.batches", "pipeline.native", "pipeline.native_build"),  # pure
    ("pipeline.io",),  # inputs, structure
    ("pipeline.numbers", "pipeline.dates", "pipeline.councils", "pipeline.meaning"),  # rules
    ("pipeline.tokenizer", "pipeline.extensions", "pipeline.components", "pipeline.nlp"),  # spaCy
    ("pipeline.tables",),
    ("pipeline.processing", "pipeline.cache", "pipeline.unchanged", "pipeline.extract", "pipeline.explain"),
    ("pipeline.review",),
    ("pipeline.report",),
    ("pipeline.bench", "pipeline.cli"),
]


def layer_of(module: str) -> int:
    best, found = -1, None
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            inside = module == prefix or (prefix != "pipeline" and module.startswith(prefix + "."))
            if inside and len(prefix) > best:
                best, found = len(prefix), number
    if found is None:
        raise LookupError(f"{module} is in no layer; add it to LAYERS in tests/test_layers.py")
    return found


def imported_modules(module: str, source: str, known: set[str]) -> list[tuple[int, str]]:
    """(line, module) for every pipeline module `source` imports, anywhere in it. "from pipeline
    import extensions" names the module pipeline.extensions; "from pipeline.x import name" the
    module pipeline.x."""
    package = module if _is_package(module) else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        found += [(node.lineno, name) for name in names if name == "pipeline" or name.startswith("pipeline.")]
    return found


def _is_package(module: str) -> bool:
    return (PIPELINE.parent / module.replace(".", "/") / "__init__.py").exists()


def violations(module: str, source: str, known: set[str]) -> list[str]:
    """Imports of `module` that reach a higher layer."""
    own = layer_of(module)
    return [f"{module}:{line} imports {name} (layer {layer_of(name)} > {own})"
            for line, name in imported_modules(module, source, known) if layer_of(name) > own]


def pipeline_modules() -> dict[str, str]:
    modules = {}
    for path in sorted(PIPELINE.rglob("*.py")):
        parts = path.relative_to(PIPELINE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path.read_text(encoding="utf-8")
    return modules


MODULES = pipeline_modules()
KNOWN = set(MODULES)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_imports_only_its_own_layer_or_lower(module):
    assert violations(module, MODULES[module], KNOWN) == []


def test_no_import_cycles():
    graph = {m: {name for _, name in imported_modules(m, s, KNOWN) if name != m} for m, s in MODULES.items()}
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(module: str, path: list[str]) -> list[str] | None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if target not in graph:
                continue
            if state.get(target) == 1:
                return path + [module, target]
            if state.get(target) is None and (cycle := visit(target, path + [module])):
                return cycle
        state[module] = 2
        return None

    for module in sorted(graph):
        if state.get(module) is None:
            cycle = visit(module, [])
            assert cycle is None, " -> ".join(cycle[cycle.index(cycle[-1]):])


@pytest.mark.parametrize("module,source,bad", [
    # module level, from a higher layer
    ("pipeline.tables.finalize", "from pipeline.review.session import run_review\n", "pipeline.review.session"),
    # function level counts too
    ("pipeline.tables.decisions", "def load():\n    from pipeline.cli import main\n    return main\n", "pipeline.cli"),
    ("pipeline.records", "import pipeline.tables.files\n", "pipeline.tables.files"),
    ("pipeline.io.inputs", "from pipeline import extensions\n", "pipeline.extensions"),
])
def test_a_violation_is_caught(module, source, bad):
    found = violations(module, source, KNOWN)
    assert len(found) == 1 and bad in found[0]


@pytest.mark.parametrize("module,source", [
    ("pipeline.report.terminal", "from pipeline.tables.files import read_claims\n"),  # lower layer
    ("pipeline.tables.finalize", "from pipeline.tables.consistency import check_consistency\n"),  # own layer
    ("pipeline.components.claim_builder", "import json\nfrom pipeline.records import ClaimRow\n"),
])
def test_allowed_imports_pass(module, source):
    assert violations(module, source, KNOWN) == []


def test_a_module_outside_every_layer_is_named():
    with pytest.raises(LookupError, match="pipeline.newstage is in no layer"):
        layer_of("pipeline.newstage")
