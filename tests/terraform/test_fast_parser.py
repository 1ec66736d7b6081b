"""The fast HCL path builds exactly python-hcl2's tree or steps aside (python-hcl2: the oracle)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.terraform.conftest import FIXTURES
from vpclint.parse.terraform.hcl import SyntaxProblem
from vpclint.parse.terraform.hcl_fast import parse_fast
from vpclint.parse.terraform.hcl_lark import parse_hcl_with_python_hcl2

ACCEPTED = [
    'x = "10.0.0.0/16"',
    "x = 10",
    "x = -12",
    "x = -1",
    "x = - 1.5",
    "x = 1.0",
    "x = 2.5e3",
    "x = 007",
    "x = true",
    "x = null",
    "x = !var.enabled",
    "x = -var.n",
    "x = var.a-b",
    "x = a - b * c / d % e + f",
    "x = a == b && c != d || e < f && g >= h",
    "x = (a + b) * c",
    "x = (a) + b",
    "x = a ? b : c ? d : e",
    "x = (\n  a\n  ? b\n  : c\n)",
    "x = (a\n  && b\n  || c)",
    "x = a + b\n",
    'x = "a${var.b}c${local.d[0]}"',
    'x = "${var.a}"',
    'x = ""',
    'x = "tab\\there \\"quoted\\" \\u00e9 \\\\ done"',
    'x = "$ and % alone, ${"nested ${var.x}"}"',
    'x = "a\nb"',
    "x = [1, 2, 3,]",
    "x = [\n  1,\n  2\n]",
    "x = []",
    "x = {}",
    "x = { a = 1, b = 2 }",
    'x = {\n  a = 1\n  "b" = 2\n  (c) = 3\n  d.e = 4\n  in = 5\n  true = 6\n  f: 7\n}',
    "x = { a = { b = [{ c = d }] } }",
    "x = cidrsubnet(var.cidr, 8, count.index)",
    "x = f()",
    "x = f(\n  a,\n  b,\n)",
    "x = merge(var.a...)",
    "x = element(var.azs, count.index)",
    "x = aws_subnet.a[*].id",
    "x = aws_subnet.a[*].tags.Name",
    "x = aws_subnet.a.*.id",
    "x = aws_subnet.a.*.id[0]",
    "x = var.list.0.name",
    'x = var.map["key"].value[1]',
    "x = [for s in var.subnets : s.cidr if s.public]",
    "x = [for i, s in var.subnets : cidrsubnet(s, 4, i)]",
    "x = { for k, v in var.m : k => v.cidr }",
    "x = { for k, v in var.m : v.group => k... }",
    "x = {\n  for k, v in var.m :\n  k => v\n  if v != null\n}",
    "x = <<EOT\nplain } text\nEOT\n",
    "x = <<-EOT\n    indented ${var.x}\n  EOT\n",
    'resource "aws_vpc" "main" {\n  cidr_block = var.cidr\n  tags = {\n    Name = "x"\n  }\n}',
    "resource aws_vpc main {\n}",
    'dynamic "subnet" {\n  for_each = var.s\n  content {\n    name = subnet.key\n  }\n}',
    'block "a"\n{\n  x = 1\n}',
    "# comment\n// comment\n/* block\ncomment */\nx = 1 # trailing\n",
    "x = a /* inline */ + b",
    # New lines inside parentheses and brackets are ignored, as Terraform ignores them.
    "x = f(a\n...)",
    "x = (a\n.b)",
    "x = (\n  local.cfg\n  .net\n  .cidr\n)",
    "x = [\n  a # one\n  ,\n  b\n]",
    "x = f(\n  a,\n  // two\n  b\n)",
    "x = (a\n  ? b\n  : c)",
    "x = a[\n  0\n]",
    "x = { a = (1\n  + 2) }",
]

# python-hcl2 rejects these (or the fast path cannot be sure): the fast path must step aside.
REJECTED = [
    "x = ",
    "locals {\n  a = 1\n  a = 2\n}",  # Terraform's "Attribute redefined", worded by the slow path
    "x = [1 2]",
    "x = a\n\n+ b",
    "x = a\n  + b",  # a new line ends the expression outside brackets, as in Terraform
    "x = a.\nb",
    "x = --a",
    "x = !!a",
    "x = a ? b",
    'x = "unterminated',
    "x = { a = 1 b = 2 }",
    "x = provider::aws::arn_parse(a)",
    'x = "%{ if a }b%{ endif }"',
    'x = "$${literal}"',
    'x = "${~ a ~}"',
    "x = <<EOF\nnever closed\n",
    "}",
    "x = @",
    "x = 1 # vpclint: ignore[VPC301] suppressions come from python-hcl2",
]


def _oracle(text: str) -> object:
    try:
        return parse_hcl_with_python_hcl2(text, 200)
    except SyntaxProblem:
        return None


@pytest.mark.parametrize("text", ACCEPTED)
def test_the_fast_path_takes_common_hcl_and_matches_python_hcl2(text: str) -> None:
    fast = parse_fast(text, 200)
    assert fast is not None, "the fast path should take this"
    assert fast == _oracle(text)


@pytest.mark.parametrize("text", REJECTED)
def test_the_fast_path_steps_aside_when_unsure(text: str) -> None:
    assert parse_fast(text, 200) is None


def test_line_offset_and_deep_nesting() -> None:
    text = "x = [\n  a,\n  b\n]\n"
    assert parse_fast(text, 200, line_offset=41) == parse_hcl_with_python_hcl2(text, 200, 41)
    deep = "x = " + "[" * 80 + "]" * 80
    assert parse_fast(deep, 200) is None  # python-hcl2's converter decides the depth error


def test_every_fixture_matches_python_hcl2() -> None:
    taken = 0
    for path in sorted(Path(FIXTURES).rglob("*.tf")):
        text = path.read_text(encoding="utf-8")
        fast = parse_fast(text, 200)
        if fast is not None:
            taken += 1
            assert fast == _oracle(text), path
    assert taken >= 20


_NAMES = st.sampled_from(["a", "var.b", "local.c", "count.index", "x-y", "each.value"])
_ATOMS = st.one_of(
    _NAMES,
    st.integers(min_value=0, max_value=10**6).map(str),
    st.sampled_from(['"s"', '"${a}b"', "true", "null", "1.5", "[]", "{}"]),
)
_OPERATORS = st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||"])
_SPACES = st.sampled_from([" ", "", "\n", " \n  ", " # c\n"])


def _compose(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, _SPACES, _OPERATORS, _SPACES, children).map("".join),
        st.tuples(children, _SPACES, children, children).map(
            lambda t: f"{t[0]} ?{t[1]}{t[2]} : {t[3]}"
        ),
        children.map(lambda inner: f"({inner})"),
        children.map(lambda inner: f"-{inner}"),
        st.lists(children, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(children, max_size=3).map(lambda items: "f(" + ",\n".join(items) + ")"),
        children.map(lambda inner: f"{{ k = {inner}\n}}"),
        children.map(lambda inner: f"{inner}[0]"),
        children.map(lambda inner: f"{inner}.attr"),
        children.map(lambda inner: f"[for v in {inner} : v]"),
        children.map(lambda inner: f'"pre ${{{inner}}} post"'),
    )


@settings(max_examples=300, deadline=None)
@given(st.recursive(_ATOMS, _compose, max_leaves=8), _SPACES)
def test_generated_expressions_match_python_hcl2(expression: str, tail: str) -> None:
    text = f"x = {expression}{tail}"
    fast = parse_fast(text, 200)
    if fast is not None:
        assert fast == _oracle(text)
