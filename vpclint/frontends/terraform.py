"""The Terraform front end: ``.tf``, ``.tf.json``, tfvars, and plan JSON files."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from vpclint.evaluation.terraform.plan import evaluate_plans
from vpclint.evaluation.terraform.project import Project, TerraformSummary, eager_inputs
from vpclint.evaluation.terraform.resources import BUILDERS
from vpclint.frontend import EvaluationSettings, Limits
from vpclint.incremental import EvaluatedPart, ParsedInput, UnitMemo, part_digest, resolve
from vpclint.models import ParseError, Topology
from vpclint.parsers.terraform import TerraformFile
from vpclint.parsers.terraform.files import file_kind, parse_terraform
from vpclint.sources import SourceText, display_path, read_source

# The resource types the evaluator turns into networks, subnets and connections; blocks of other
# types are parsed only when an expression refers to them.
NETWORK_TYPES = frozenset(BUILDERS)


class TerraformFrontEnd:
    name = "terraform"

    def claims(self, path: Path) -> bool:
        return file_kind(path.name) is not None

    def parse(self, source: SourceText, limits: Limits) -> TerraformFile | None:
        return parse_terraform(source, limits, NETWORK_TYPES)

    def summarize(self, parsed: TerraformFile) -> TerraformSummary:
        return TerraformSummary.of(parsed)

    def evaluate(self, parsed: Sequence[Any], settings: EvaluationSettings) -> Topology:
        files = [item for item in parsed if isinstance(item, TerraformFile)]
        return self.evaluate_files(eager_inputs(files), settings, UnitMemo.disabled()).assemble()

    def evaluate_files(
        self, files: Sequence[ParsedInput], settings: EvaluationSettings, memo: UnitMemo
    ) -> EvaluatedPart:
        limits = settings.limits

        def parse_on_demand(path: Path) -> TerraformFile | ParseError | None:
            source = read_source(path, display_path(path), limits.max_file_size)
            if isinstance(source, ParseError):
                return source
            return parse_terraform(source, limits, NETWORK_TYPES)

        configuration = [item for item in files if item.summary.kind != "terraform-plan"]
        plans = [item for item in files if item.summary.kind == "terraform-plan"]
        project = Project(configuration, settings, parse_on_demand, memo)
        roots = project.evaluate_units()
        # A plan is complete in itself: one unit each.
        plan_outputs = [
            memo.unit(f"plan:{plan.display}", partial(_evaluate_plan, plan), lambda _: None)
            for plan in plans
        ]
        # What no unit gave (files, their errors and suppressions) is complete by now.
        digest = part_digest(memo, project.topology)

        def assemble() -> Topology:
            topology = project.assemble(roots)
            for output in plan_outputs:
                topology.merge(resolve(output))
            return topology

        return EvaluatedPart(digest, assemble)


def _evaluate_plan(plan: ParsedInput) -> Topology:
    return evaluate_plans([plan.result])
