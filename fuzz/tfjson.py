"""Fuzz Terraform's JSON files end to end: ``.tf.json``, ``.tfvars.json`` and plan JSON.

The kind is chosen from the content, the way a user's files differ: a plan names its
``terraform_version``, configuration has top-level block keywords, anything else is tfvars.
"""

from __future__ import annotations

from fuzz.harness import VARIABLES_TF, Project, main, seed_files

_BLOCK_KEYS = (b'"resource"', b'"variable"', b'"module"', b'"locals"', b'"output"', b'"data"')


def lint_input(project: Project, data: bytes) -> None:
    if b'"terraform_version"' in data:
        project.lint({"plan.json": data})
    elif any(key in data for key in _BLOCK_KEYS):
        project.lint({"main.tf.json": data})
    else:
        project.lint({"main.tf": VARIABLES_TF, "terraform.tfvars.json": data})


if __name__ == "__main__":
    main("tfjson", lint_input, seed_files(["*.tf.json", "*.tfvars.json"], "tfjson"))
