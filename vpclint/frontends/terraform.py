"""The Terraform front end: ``.tf``, ``.tf.json``, tfvars, and plan JSON files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vpclint.evaluation.terraform.plan import evaluate_plans
from vpclint.evaluation.terraform.project import Project
from vpclint.evaluation.terraform.resources import BUILDERS
from vpclint.frontend import EvaluationSettings, Limits
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

    def evaluate(self, parsed: Sequence[Any], settings: EvaluationSettings) -> Topology:
        files = [item for item in parsed if isinstance(item, TerraformFile)]
        limits = settings.limits

        def parse_on_demand(path: Path) -> TerraformFile | ParseError | None:
            source = read_source(path, display_path(path), limits.max_file_size)
            if isinstance(source, ParseError):
                return source
            return parse_terraform(source, limits, NETWORK_TYPES)

        configuration = [item for item in files if item.kind != "terraform-plan"]
        plans = [item for item in files if item.kind == "terraform-plan"]
        topology = Project(configuration, settings, parse_on_demand).evaluate()
        if plans:
            topology.merge(evaluate_plans(plans))
        return topology
