"""No import cycles among vpclint's modules: the packages follow the pipeline, and a module
imports only what comes before it (a lazy import inside a function, to keep a warm run from
loading an evaluator, counts too: it must go down the pipeline, not back up)."""

from __future__ import annotations

import ast
from pathlib import Path

import vpclint

PACKAGE = Path(vpclint.__file__).parent

# No cycle is allowed: the last ones (HCL, cli/commands) were removed in issue 14.
KNOWN_CYCLES: list[set[str]] = []


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.Module, module: str, is_package: bool) -> set[str]:
    """Every name an import anywhere in the module (functions and TYPE_CHECKING blocks
    included) names: a module, and for ``from X import Y`` both X and X.Y."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = module.split(".")
                parent = parent[: len(parent) - node.level + (1 if is_package else 0)]
                base = ".".join([*parent, *([base] if base else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph(package: Path) -> dict[str, set[str]]:
    root = package.parent
    paths = {module_name(path, root): path for path in package.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = imported(tree, module, path.name == "__init__.py")
        graph[module] = {name for name in names if name in paths and name != module}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def test_no_module_imports_one_that_imports_it_back() -> None:
    new = [
        sorted(component)
        for component in cycles(import_graph(PACKAGE))
        if not any(component <= known for known in KNOWN_CYCLES)
    ]
    assert new == []


def test_a_lazy_import_back_up_the_pipeline_is_a_cycle(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "evaluate").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "cache.py").write_text("from pkg.evaluate import contract\n")
    (package / "evaluate" / "__init__.py").write_text("")
    (package / "evaluate" / "contract.py").write_text("X = 1\n")
    (package / "evaluate" / "frontend.py").write_text(
        "from . import contract\n\ndef run():\n    from pkg import cache\n"
    )
    assert cycles(import_graph(package)) == []
    (package / "evaluate" / "contract.py").write_text(
        "def digest():\n    from pkg.cache import unit\n"
    )
    assert cycles(import_graph(package)) == [{"pkg.cache", "pkg.evaluate.contract"}]
