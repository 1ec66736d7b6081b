"""Parsing Terraform files (``.tf``, ``.tf.json``, tfvars, plan JSON) into picklable results.

``parse_terraform`` is a pure function of a file's content: the result holds the syntax tree of
every top-level block with its lines, the file's suppression comments already attached to their
blocks, and any parse error. Top-level blocks are kept separate so that a later pass can skip
blocks irrelevant to the address plan without changing the evaluator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from vpclint.topology.models import ParseError, Suppression

FileKind = Literal[
    "terraform",
    "terraform-json",
    "tfvars",
    "tfvars-json",
    "terraform-plan",
    "terragrunt",  # terragrunt.hcl, and any configuration it includes or reads
    "terragrunt-json",  # terragrunt.hcl.json
    "terragrunt-stack",  # terragrunt.stack.hcl: reported as not analysed
]


@dataclass(frozen=True)
class TerraformFile:
    """One parsed file; ``body`` is None when the file failed to parse."""

    display: str  # the path users see; no absolute path, so results can be cached by content
    kind: FileKind
    body: Any = None  # syntax.Body for terraform/tfvars files
    values: dict[str, Any] | None = None  # tfvars.json values
    plan: Any = None  # plan.PlanData for plan JSON
    error: ParseError | None = None
    suppressions: tuple[Suppression, ...] = field(default_factory=tuple)

    @property
    def real_path(self) -> Path:
        """The file on disk: the display path is relative to the working directory of the run."""
        return Path(self.display).resolve()

    @property
    def is_configuration(self) -> bool:
        return self.kind in ("terraform", "terraform-json")
