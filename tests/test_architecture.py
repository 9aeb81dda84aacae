"""The package map holds: each stage imports only the stages below it, no two modules import
each other (directly or round a loop, lazy imports included), and the library never imports
the faces. The layers are the ones each package's ``__init__`` docstring states."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# package -> the packages of ``advisor`` it may import (besides itself)
BASE = {"config", "schemas"}
ALLOWED: dict[str, set[str]] = {
    "config": set(),
    "schemas": set(),
    "text": set(),
    "decision": {"schemas"},
    "extraction": {"schemas", "decision"},
    "knowledge": BASE | {"text", "extraction"},
    "search": BASE | {"text", "knowledge", "extraction"},
    "answer": BASE | {"text", "knowledge", "search", "decision", "extraction"},
    "llm": BASE | {"decision", "extraction", "answer"},
    "service": BASE | {"text", "knowledge", "search", "decision", "extraction", "answer", "llm"},
    "api": BASE | {"text", "knowledge", "search", "decision", "extraction", "answer", "llm", "service"},
}
TOP_MODULES = {"__init__", "config", "service", "cli"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sources(*roots: str) -> dict[str, Path]:
    return {module_name(p): p for root in roots for p in sorted((REPO / root).rglob("*.py"))}


def imports(path: Path, known: set[str]) -> set[str]:
    """Every first-party module a file imports, at module level or inside a function."""
    found: set[str] = set()
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


def graph(*roots: str) -> dict[str, set[str]]:
    files = sources(*roots)
    known = set(files)
    return {name: imports(path, known) - {name} for name, path in files.items()}


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_package_states_what_it_owns_and_may_import() -> None:
    for init in sorted((REPO / "advisor").glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text())) or ""
        assert "May import" in doc, f"{init.relative_to(REPO)} does not say what it may import"
        assert init.parent.name in ALLOWED, f"{init.parent.name} is not in the layer table"


def test_only_the_entry_points_sit_at_the_top_of_advisor() -> None:
    top = {p.stem for p in (REPO / "advisor").glob("*.py")}
    assert top == TOP_MODULES, f"modules outside a stage package: {sorted(top - TOP_MODULES)}"


def test_each_stage_imports_only_the_stages_below_it() -> None:
    wrong = []
    for module, targets in graph("advisor").items():
        source = stage(module)
        if source in {"__init__", "cli"}:
            continue  # the package marker, and the composition root that wires everything
        for target in targets:
            if target.startswith("advisor.") and stage(target) not in ALLOWED[source] | {source}:
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports against the layers:\n" + "\n".join(sorted(wrong))


def test_the_library_never_imports_the_faces() -> None:
    wrong = [
        f"{module} -> {target}"
        for module, targets in graph("advisor", "ui", "evals").items()
        if module.startswith("advisor") and module != "advisor.cli"
        for target in targets
        if target.split(".")[0] in {"ui", "evals"}
    ]
    assert not wrong, "\n".join(wrong)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


@pytest.mark.parametrize("roots", [("advisor",), ("evals",), ("ui",)])
def test_no_modules_import_each_other(roots: tuple[str, ...]) -> None:
    edges = graph("advisor", "ui", "evals")
    edges = {m: {t for t in ts if t.split(".")[0] == roots[0]} for m, ts in edges.items() if m.split(".")[0] == roots[0]}
    assert cycles(edges) == []


def test_the_cycle_check_finds_a_loop() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
