"""The Terraform front end: ``.tf``, ``.tf.json``, tfvars, plan JSON files, and Terragrunt's
``terragrunt.hcl`` units (evaluated as roots: :mod:`vpclint.evaluate.terragrunt`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vpclint.discover.sources import SourceText, display_path, read_source
from vpclint.evaluate.contract import EvaluationSettings, ParsedInput, Unit, Units, evaluate_parsed
from vpclint.evaluate.terraform.layout import ProjectLayout, TerraformSummary
from vpclint.limits import Limits
from vpclint.parse.terraform import FileKind, TerraformFile
from vpclint.parse.terraform.files import file_kind, parse_terraform
from vpclint.topology.kinds import TERRAFORM
from vpclint.topology.models import ParseError, Topology

if TYPE_CHECKING:
    from vpclint.evaluate.terraform.project import Project, RootOutput
    from vpclint.evaluate.terragrunt.stack import TerragruntStack

# Parsing keeps the blocks of the kinds vpclint reads; blocks of other types are parsed only when
# an expression refers to them.
NETWORK_TYPES = frozenset(TERRAFORM)


class TerraformFrontEnd:
    name = "terraform"

    def claims(self, path: Path) -> bool:
        return file_kind(path.name) is not None

    def parse(self, source: SourceText, limits: Limits) -> TerraformFile | None:
        return parse_terraform(source, limits, NETWORK_TYPES)

    def summarize(self, parsed: TerraformFile) -> TerraformSummary:
        return TerraformSummary.of(parsed)

    def evaluate(self, parsed: Sequence[Any], settings: EvaluationSettings) -> Topology:
        """The part of the topology of parse results in hand (tests, scripts)."""
        files = [item for item in parsed if isinstance(item, TerraformFile)]
        return evaluate_parsed(self, files, settings)

    def units(self, files: Sequence[ParsedInput], settings: EvaluationSettings) -> Units:
        """A unit per root module (with every module it calls), per Terragrunt unit and per
        plan file."""
        limits = settings.limits

        def parse_on_demand(path: Path, kind: FileKind | None) -> TerraformFile | ParseError | None:
            source = read_source(path, display_path(path), limits.max_file_size)
            if isinstance(source, ParseError):
                return source
            return parse_terraform(source, limits, NETWORK_TYPES, kind)

        configuration = [item for item in files if item.summary.kind != "terraform-plan"]
        plans = [item for item in files if item.summary.kind == "terraform-plan"]
        layout = ProjectLayout(configuration, settings, parse_on_demand)
        layout.read_var_files()
        evaluation = _Evaluation(layout)
        stack = evaluation.terragrunt() if layout.terragrunt else None
        run_by_units = stack.folders_run_by_units() if stack is not None else []
        roots = [
            Unit(f"root:{directory}", partial(evaluation.root, directory))
            for directory in layout.roots(run_by_units)
        ]
        if stack is not None:
            roots += [
                Unit(f"terragrunt:{unit}", partial(stack.evaluate_unit, unit))
                for unit in stack.units()
            ]
        # A plan is complete in itself: one unit each.
        plan_units = [
            Unit(f"plan:{plan.display}", partial(evaluation.plan, plan)) for plan in plans
        ]

        def assemble(outputs: Sequence[Any]) -> Topology:
            topology = evaluation.project().assemble(outputs[: len(roots)])
            for output in outputs[len(roots) :]:
                topology.merge(output)
            return topology

        # What no unit gives (the files, their errors and suppressions) is known by now.
        return Units([*roots, *plan_units], assemble, layout.topology, layout.state)


class _Evaluation:
    """The evaluating half of the front end: the evaluator, the functions, the resource
    builders, loaded when the run first evaluates a unit or assembles the topology. A run that
    reuses every unit and the last findings (a comment edited, say) never loads them."""

    def __init__(self, layout: ProjectLayout) -> None:
        self.layout = layout
        self._project: Project | None = None

    def project(self) -> Project:
        if self._project is None:
            from vpclint.evaluate.terraform.project import Project

            self._project = Project(self.layout)
        return self._project

    def terragrunt(self) -> TerragruntStack:
        from vpclint.evaluate.terragrunt.stack import TerragruntStack

        return TerragruntStack(self.project())

    def root(self, directory: Path) -> RootOutput | None:
        return self.project().evaluate_root(directory)

    def plan(self, plan: ParsedInput) -> Topology:
        from vpclint.evaluate.terraform.plan import evaluate_plans

        return evaluate_plans([plan.result])
