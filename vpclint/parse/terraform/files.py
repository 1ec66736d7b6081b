"""One file's parse: which kind of Terraform file it is, its syntax tree, its suppressions."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import replace

from vpclint.check.suppression import parse_suppression_comment
from vpclint.discover.sources import SourceText
from vpclint.limits import Limits
from vpclint.parse.terraform import FileKind, TerraformFile
from vpclint.parse.terraform import syntax as s
from vpclint.parse.terraform.hcl import SyntaxProblem, parse_hcl, parse_hcl_selectively
from vpclint.parse.terraform.json_syntax import parse_tf_json, parse_tfvars_json
from vpclint.parse.terraform.plan import parse_plan, plan_marker_present
from vpclint.topology.models import ParseError, SourceLocation, Suppression

# Blocks a suppression comment can belong to.
_SUPPRESSIBLE = frozenset({"resource", "module", "data"})


# OpenTofu reads its own extensions too, and prefers them: main.tofu hides main.tf.
OPENTOFU_SUFFIXES = {".tofu": ".tf", ".tofu.json": ".tf.json"}


TERRAGRUNT_NAMES: dict[str, FileKind] = {
    "terragrunt.hcl": "terragrunt",
    "terragrunt.hcl.json": "terragrunt-json",
    "terragrunt.stack.hcl": "terragrunt-stack",
}


TERRAGRUNT_KINDS = frozenset(TERRAGRUNT_NAMES.values())


def file_kind(name: str) -> FileKind | None:
    terragrunt = TERRAGRUNT_NAMES.get(name)
    if terragrunt is not None:
        return terragrunt
    if name.endswith((".tf.json", ".tofu.json")):
        return "terraform-json"
    if name.endswith(".tfvars.json"):
        return "tfvars-json"
    if name.endswith((".tf", ".tofu")):
        return "terraform"
    if name.endswith(".tfvars"):
        return "tfvars"
    if name.endswith(".json"):
        return "terraform-plan"
    return None


def var_file_kind(name: str) -> FileKind:
    """How Terraform reads a ``-var-file``: JSON if its name ends in ``.json``, else HCL, whatever
    the rest of the name says (``prod.vars``, ``env`` are read as tfvars)."""
    return "tfvars-json" if name.endswith(".json") else "tfvars"


def hidden_by_opentofu(name: str) -> str | None:
    """The Terraform file an OpenTofu file of this name takes the place of, if it is one."""
    for suffix, terraform in OPENTOFU_SUFFIXES.items():
        if name.endswith(suffix):
            return name.removesuffix(suffix) + terraform
    return None


def parse_terraform(
    source: SourceText,
    limits: Limits,
    network_types: Collection[str] | None = None,
    kind: FileKind | None = None,
) -> TerraformFile | None:
    """The parse result of one file, of ``kind`` or else the kind its name says; None for a
    ``.json`` file that is not a Terraform plan.

    With ``network_types``, the resource and data blocks of other types in ``.tf`` files are
    deferred (kept as text, parsed only if referred to): most of a configuration is instances,
    IAM and security groups, which the address plan never reads.
    """
    kind = kind or file_kind(source.path.name)
    if kind is None:
        return None
    text = source.text
    try:
        if kind == "terraform-plan":
            if not plan_marker_present(text):
                return None
            plan = parse_plan(text, source.display, limits.max_depth)
            if plan is None:
                return None
            return TerraformFile(display=source.display, kind=kind, plan=plan)
        if kind == "tfvars-json":
            values = parse_tfvars_json(text, limits.max_depth)
            return TerraformFile(display=source.display, kind=kind, values=values)
        if kind in ("terraform-json", "terragrunt-json"):
            body = parse_tf_json(text, limits.max_depth, terragrunt=kind == "terragrunt-json")
        elif network_types is not None and kind == "terraform":
            body = parse_hcl_selectively(text, limits.max_depth, _deferrable(network_types))
            # What the module needs to know which deferred blocks to parse, worked out here.
            body = replace(body, referenced=tuple(sorted(s.referenced_names(body.blocks))))
        else:
            body = parse_hcl(text, limits.max_depth)
    except SyntaxProblem as problem:
        error = ParseError(
            location=source.location(problem.line, problem.column), message=problem.message
        )
        return TerraformFile(display=source.display, kind=kind, error=error)
    return TerraformFile(
        display=source.display,
        kind=kind,
        body=body,
        suppressions=suppressions(body, source.display, whole_file=kind in TERRAGRUNT_KINDS),
    )


def _deferrable(network_types: Collection[str]) -> Callable[[str, tuple[str, ...]], bool]:
    def deferrable(block_type: str, labels: tuple[str, ...]) -> bool:
        return (
            block_type in ("resource", "data")
            and len(labels) == 2
            and labels[0] not in network_types
        )

    return deferrable


def suppressions(body: s.Body, display: str, whole_file: bool = False) -> tuple[Suppression, ...]:
    """Every ``vpclint: ignore[...]`` comment, attached to the block it is above, on or inside;
    with ``whole_file`` (a Terragrunt unit's file) to the file, whose first line stands for the
    unit's resources."""
    candidates: list[s.Block | s.DeferredBlock] = [*body.blocks, *body.deferred]
    blocks = [block for block in candidates if block.type in _SUPPRESSIBLE]
    if body.deferred:
        blocks.sort(key=lambda block: (block.line, block.column))
    found: list[Suppression] = []
    for comment in body.comments:
        directive = parse_suppression_comment(comment.text)
        if directive is None:
            continue
        target = SourceLocation(file=display, line=1) if whole_file else None
        for block in () if whole_file else blocks:
            end = block.end_line or block.line
            if comment.line == block.line - 1 or block.line <= comment.line <= end:
                target = SourceLocation(file=display, line=block.line, column=block.column)
                break
        found.append(
            Suppression(
                location=SourceLocation(file=display, line=comment.line, column=comment.column),
                target=target,
                codes=directive.codes,
                reason=directive.reason,
                problem=directive.problem,
            )
        )
    return tuple(found)


__all__ = ["file_kind", "json", "parse_terraform", "suppressions", "var_file_kind"]
