"""Fuzz CloudFormation templates, YAML and JSON (chosen by the first character), end to end."""

from __future__ import annotations

from fuzz.harness import Project, main, seed_files


def lint_input(project: Project, data: bytes) -> None:
    name = "template.json" if data.lstrip()[:1] in (b"{", b"[") else "template.yaml"
    project.lint({name: data})


if __name__ == "__main__":
    main(
        "cloudformation",
        lint_input,
        seed_files(["*.yaml", "*.yml", "*.template", "*.json"], "cloudformation"),
    )
