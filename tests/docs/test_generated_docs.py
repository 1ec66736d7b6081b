"""The README's rule table and docs/rules.md are generated from the rules and must be current."""

from __future__ import annotations

from pathlib import Path

from vpclint.check.registry import builtin_rules
from vpclint.docs import rules_reference, update_readme

ROOT = Path(__file__).resolve().parents[2]


def test_readme_rule_table_matches_the_rules() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rules = sorted(builtin_rules(), key=lambda rule: rule.code)
    assert update_readme(readme, rules) == readme, (
        "run `python -m vpclint.docs` to update README.md"
    )
    for rule in rules:
        assert f"| {rule.code} | `{rule.name}` |" in readme


def test_rules_reference_page_matches_the_rules() -> None:
    rules = sorted(builtin_rules(), key=lambda rule: rule.code)
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page == rules_reference(rules), "run `python -m vpclint.docs` to update docs/rules.md"
    assert all(f'<a id="{rule.code.lower()}"></a>' in page for rule in rules)


def test_readme_configuration_example_is_a_valid_config(tmp_path: Path) -> None:
    from vpclint.config import load_config

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n[tool.vpclint]\n", 1)[1].split("```", 1)[0]
    (tmp_path / "pyproject.toml").write_text("[tool.vpclint]\n" + example)
    config = load_config(tmp_path / "pyproject.toml")
    assert config.reserved_ranges["on-premises"] == ("10.200.0.0/16",)
    assert config.inventories == ["../network-core/inventory.json"]
    assert config.rules["VPC103"].options() == {"max-prefix": 18}
