"""Parsing Terraform files (``.tf``, ``.tf.json``, tfvars, plan JSON) into picklable results.

``parse_terraform`` is a pure function of a file's content: the result holds the syntax tree of
every top-level block with its lines, the file's suppression comments already attached to their
blocks, and any parse error. Top-level blocks are kept separate so that a later pass can skip
blocks irrelevant to the address plan without changing the evaluator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from vpclint.models import ParseError, Suppression

FileKind = Literal["terraform", "terraform-json", "tfvars", "tfvars-json", "terraform-plan"]


@dataclass(frozen=True)
class TerraformFile:
    """One parsed file; ``body`` is None when the file failed to parse."""

    path: str  # the real path on disk (module folders are grouped by it)
    display: str  # the path users see in findings
    kind: FileKind
    body: Any = None  # syntax.Body for terraform/tfvars files
    values: dict[str, Any] | None = None  # tfvars.json values
    plan: Any = None  # plan.PlanData for plan JSON
    error: ParseError | None = None
    suppressions: tuple[Suppression, ...] = field(default_factory=tuple)

    @property
    def is_configuration(self) -> bool:
        return self.kind in ("terraform", "terraform-json")
