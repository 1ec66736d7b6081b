"""The catalogue as a whole: codes and names are a contract with users' configs."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

from tests.rules import TERRAFORM_ONLY_RULES
from vpclint.api import Rule, Severity
from vpclint.check.registry import builtin_rules
from vpclint.docs import SECTIONS, doc_sections

# By name, as the registry does: rules/ installs as vpclint.rules, which type checkers do not see.
RULES_PACKAGE = importlib.import_module("vpclint.rules")
BUILTIN_RULES = builtin_rules()

# The table of the rule catalogue issue; users write these codes and names in configs.
CATALOGUE = [
    ("VPC001", "parse-error", "error"),
    ("VPC002", "invalid-cidr", "error"),
    ("VPC003", "non-canonical-cidr", "warning"),
    ("VPC004", "unresolved-cidr", "info"),
    ("VPC005", "not-analysed", "warning"),
    ("VPC101", "network-size-out-of-range", "error"),
    ("VPC102", "subnet-size-out-of-range", "error"),
    ("VPC103", "oversized-network", "warning"),
    ("VPC104", "underused-network", "warning"),
    ("VPC201", "subnet-outside-network", "error"),
    ("VPC202", "subnet-overlap", "error"),
    ("VPC203", "connected-overlap", "error"),
    ("VPC204", "network-overlap", "warning"),
    ("VPC205", "reserved-range-overlap", "warning"),
    ("VPC206", "association-overlap", "error"),
    ("VPC207", "secondary-range-restricted", "error"),
    ("VPC208", "too-many-blocks", "warning"),
    ("VPC301", "network-missing-ipv6", "warning"),
    ("VPC302", "subnet-missing-ipv6", "warning"),
    ("VPC401", "public-range", "warning"),
    ("VPC402", "forbidden-range", "error"),
    ("VPC501", "claimed-range-overlap", "error"),
    ("VPC502", "claimed-range-not-accepted", "error"),
    ("VPC503", "claimed-address-misplaced", "error"),
    ("VPC901", "rule-crashed", "error"),
    ("VPC902", "invalid-suppression", "warning"),
]
ENGINE_REPORTED = {"VPC901", "VPC902"}
# Rules about the file system around the code: a CloudFormation template is one file, which
# a doc example cannot make a symlink out of the project.
FILE_SYSTEM_CAUSES = {"VPC005"}


def test_builtin_rules_match_the_catalogue_in_code_order() -> None:
    assert [(rule.code, rule.name, rule.severity.value) for rule in BUILTIN_RULES] == CATALOGUE


def test_every_rule_module_is_listed_and_named_after_its_rule() -> None:
    modules = sorted(
        info.name for info in pkgutil.iter_modules(RULES_PACKAGE.__path__) if info.name[:3] == "vpc"
    )
    expected = [f"{code.lower()}_{name.replace('-', '_')}" for code, name, _ in CATALOGUE]
    assert modules == expected
    for module_name, rule in zip(modules, BUILTIN_RULES, strict=True):
        module = importlib.import_module(f"vpclint.rules.{module_name}")
        assert module.RULE is rule
        assert rule.doc == module.__doc__


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=lambda rule: rule.code)
def test_doc_has_exactly_the_six_sections(rule: Rule) -> None:
    assert rule.doc is not None
    headings = re.findall(r"^## (.+)$", rule.doc, flags=re.MULTILINE)
    assert tuple(headings) == SECTIONS
    sections = doc_sections(rule)
    assert all(sections[heading] for heading in SECTIONS)


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=lambda rule: rule.code)
def test_examples_carry_terraform_and_cloudformation(rule: Rule) -> None:
    if rule.code == "VPC901":
        pytest.skip("a crash cannot be shown in infrastructure code; the doc shows a rule pack")
    if rule.code in FILE_SYSTEM_CAUSES:
        pytest.skip("what leaves the project is a path, not a template; the doc shows a listing")
    sections = doc_sections(rule)
    for heading in ("Example", "Use instead"):
        assert "```hcl\n" in sections[heading], heading
        if rule.code not in TERRAFORM_ONLY_RULES:
            assert "```yaml\n" in sections[heading], heading


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=lambda rule: rule.code)
def test_options_are_documented_and_engine_rules_have_no_check(rule: Rule) -> None:
    options_doc = doc_sections(rule)["Options"]
    for option in rule.options:
        assert f"`{option}`" in options_doc
    assert (rule.check is None) == (rule.code in ENGINE_REPORTED)
    assert isinstance(rule.severity, Severity)
    assert rule.summary and not rule.summary.endswith(".")
