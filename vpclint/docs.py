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
