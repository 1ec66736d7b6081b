"""The native HCL parser's modules are layers (issue 14): the dispatch (``hcl``) on top, the fast
path and python-hcl2's path side by side below it, the tree builder both feed and the scanner
below them, the syntax tree at the bottom. Each imports only layers below it, lazily or not, so
neither path leans on the other's internals and the Terraform parser package has no import
cycle; and a file the fast path takes is parsed without loading Lark."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from vpclint.parse.terraform import hcl

PACKAGE = hcl.__name__.rpartition(".")[0]
FOLDER = Path(hcl.__file__).parent
LAYERS = [{"hcl"}, {"hcl_fast", "hcl_lark"}, {"hcl_tree", "scanner"}, {"syntax"}]


def imported_siblings(module: str) -> set[str]:
    """The package's modules that ``module`` imports anywhere (inside functions too)."""
    found: set[str] = set()
    tree = ast.parse((FOLDER / f"{module}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.module is None:
            continue
        if node.module == PACKAGE:
            found.update(alias.name for alias in node.names)
        elif node.module.startswith(PACKAGE + "."):
            found.add(node.module.removeprefix(PACKAGE + ".").partition(".")[0])
    return found - {module, "__init__"}


def test_each_hcl_module_imports_only_layers_below_it() -> None:
    for level, layer in enumerate(LAYERS):
        below = set().union(*LAYERS[level + 1 :])
        for module in sorted(layer):
            layered = imported_siblings(module) & set().union(*LAYERS)
            assert layered <= below, f"{module} imports {sorted(layered - below)}"


def test_the_terraform_parser_package_has_no_import_cycle() -> None:
    graph = {path.stem: imported_siblings(path.stem) for path in FOLDER.glob("*.py")}
    finished: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, "import cycle: " + " -> ".join((*path, module))
        if module in finished:
            return
        for imported in sorted(graph.get(module, ())):
            visit(imported, (*path, module))
        finished.add(module)

    for module in sorted(graph):
        visit(module, ())


def test_the_fast_path_parses_without_loading_lark() -> None:
    text = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n  user_data = <<-EOT\n'
    text += '    host ${aws_instance.web["one"].private_ip}\n  EOT\n}\n'
    script = (
        f"import sys\nfrom {PACKAGE}.hcl import parse_hcl\n"
        f"body = parse_hcl({text!r}, 200)\n"
        "assert body.blocks[0].attributes['user_data'].value.parts, body\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('lark', 'hcl2')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
