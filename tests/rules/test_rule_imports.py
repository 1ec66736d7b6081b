"""Built-in rules use what a third-party pack can use: ``vpclint.api`` and the standard library.

Read from the import statements themselves (any depth, inside functions too), so a new rule that
reaches into vpclint's internals fails here instead of working by accident.
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest

# By name, as the registry does: rules/ installs as vpclint.rules, which type checkers do not see.
RULES_FOLDER = Path(importlib.import_module("vpclint.rules").__path__[0])
RULE_MODULES = sorted(RULES_FOLDER.glob("*.py"))


def forbidden_imports(source: str, is_listing: bool) -> list[str]:
    """The imports of a rules module that are neither ``vpclint.api`` nor the standard library.

    The listing (``rules/__init__.py``) may import its own rule modules relatively; a rule
    module may not import a sibling, which would be a helper a pack cannot have.
    """
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if not (is_listing and node.module is None):
                    found.append(f"line {node.lineno}: from {'.' * node.level}{node.module or ''}")
                continue
            modules = [node.module or ""]
        else:
            continue
        for module in modules:
            top = module.partition(".")[0]
            if module != "vpclint.api" and top not in sys.stdlib_module_names:
                found.append(f"line {node.lineno}: {module}")
    return found


def test_every_rule_module_is_checked() -> None:
    names = {path.stem for path in RULE_MODULES}
    assert "__init__" in names
    assert len(names) >= 26, names  # the listing and every built-in rule


@pytest.mark.parametrize("path", RULE_MODULES, ids=lambda path: path.name)
def test_rule_module_imports_only_the_rule_api(path: Path) -> None:
    assert forbidden_imports(path.read_text(encoding="utf-8"), path.name == "__init__.py") == []


@pytest.mark.parametrize(
    ("source", "is_listing", "expected"),
    [
        ("from vpclint.cidr import parse_cidr\n", False, ["line 1: vpclint.cidr"]),
        ("import netaddr\n", False, ["line 1: netaddr"]),
        ("def f():\n    from vpclint.models import Topology\n", False, ["line 2: vpclint.models"]),
        ("from ._common import describe\n", False, ["line 1: from ._common"]),
        ("from . import vpc001_parse_error\n", False, ["line 1: from ."]),
        ("from . import vpc001_parse_error\n", True, []),
        ("from vpclint.api.space import Placed\n", False, ["line 1: vpclint.api.space"]),
        (
            "import bisect\nfrom collections.abc import Iterator\nfrom vpclint.api import Rule\n",
            False,
            [],
        ),
    ],
)
def test_the_check_tells_the_rule_api_from_internals(
    source: str, is_listing: bool, expected: list[str]
) -> None:
    assert forbidden_imports(source, is_listing) == expected
