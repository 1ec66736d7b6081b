"""Reading a rule's documentation: its module docstring with ruff-style ``## `` headings."""

from __future__ import annotations

import inspect

from vpclint.api import Rule

SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Options", "References")


def rule_doc(rule: Rule) -> str:
    return inspect.cleandoc(rule.doc) if rule.doc else rule.summary


def doc_sections(rule: Rule) -> dict[str, str]:
    """The text under each ``## heading`` of the rule's documentation."""
    sections: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in rule_doc(rule).splitlines():
        if line.startswith("## "):
            if current is not None:
                sections[current] = "\n".join(lines).strip()
            current = line[3:].strip()
            lines = []
        elif current is not None:
            lines.append(line)
    if current is not None:
        sections[current] = "\n".join(lines).strip()
    return sections


def explain(rule: Rule) -> str:
    header = f"# {rule.code} {rule.name} ({rule.severity.value})"
    origin = "" if rule.origin == "vpclint" else f"\n\nFrom the rule pack `{rule.origin}`."
    return f"{header}\n\n{rule_doc(rule)}{origin}\n"


def rules_table(rules: list[Rule]) -> str:
    """The README's rule table (markdown)."""
    lines = ["| code | name | severity | what it reports |", "|---|---|---|---|"]
    for rule in rules:
        lines.append(f"| {rule.code} | `{rule.name}` | {rule.severity.value} | {rule.summary} |")
    return "\n".join(lines)


def rules_reference(rules: list[Rule]) -> str:
    """docs/rules.md: every rule's documentation, the page SARIF's helpUri points at."""
    parts = [
        "# vpclint rules\n",
        "Generated from the rules' docstrings by `python -m vpclint.docs`; do not edit by hand.\n",
    ]
    for rule in rules:
        body = "\n".join(
            "#" + line if line.startswith("## ") else line for line in rule_doc(rule).splitlines()
        )
        parts.append(f'<a id="{rule.code.lower()}"></a>\n')
        parts.append(f"## {rule.code} {rule.name} ({rule.severity.value})\n\n{body}\n")
    return "\n".join(parts)


TABLE_START = "<!-- rules-table:start -->"
TABLE_END = "<!-- rules-table:end -->"


def update_readme(readme: str, rules: list[Rule]) -> str:
    head, _, rest = readme.partition(TABLE_START)
    _, _, tail = rest.partition(TABLE_END)
    return f"{head}{TABLE_START}\n{rules_table(rules)}\n{TABLE_END}{tail}"


def main() -> None:
    """Regenerate the README's rule table and docs/rules.md from the rules themselves."""
    from pathlib import Path

    from vpclint.check.registry import builtin_rules

    rules = sorted(builtin_rules(), key=lambda rule: rule.code)
    readme = Path("README.md")
    readme.write_text(update_readme(readme.read_text(encoding="utf-8"), rules), encoding="utf-8")
    Path("docs").mkdir(exist_ok=True)
    Path("docs/rules.md").write_text(rules_reference(rules), encoding="utf-8")


if __name__ == "__main__":
    main()
