"""Fuzz native HCL (``.tf``, and ``.tfvars`` when the input has no blocks) through the pipeline."""

from __future__ import annotations

from fuzz.harness import VARIABLES_TF, Project, main, seed_files


def lint_input(project: Project, data: bytes) -> None:
    project.lint({"main.tf": data})
    if b"{" not in data:
        # No block can be in it, so it may be a tfvars file: feed its values to variables.
        project.lint({"main.tf": VARIABLES_TF, "terraform.tfvars": data})


if __name__ == "__main__":
    main("hcl", lint_input, seed_files(["*.tf", "*.tfvars"], "hcl"))
