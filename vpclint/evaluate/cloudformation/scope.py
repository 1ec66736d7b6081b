"""Every template of the run together: exports and imports, and lookups across templates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vpclint.evaluate.cloudformation.evaluator import Guard, TemplateEvaluator
from vpclint.evaluate.cloudformation.parameters import ParameterFiles
from vpclint.evaluate.cloudformation.values import ResourceIdentity, Unresolved, error
from vpclint.evaluate.contract import EvaluationSettings
from vpclint.parse.cloudformation.nodes import Mark, mark_of
from vpclint.parse.cloudformation.template import ParsedTemplate


class Scope:
    def __init__(
        self,
        templates: Sequence[ParsedTemplate],
        settings: EvaluationSettings,
        parameter_files: ParameterFiles | None = None,
    ) -> None:
        self.settings = settings
        self.in_progress: set[tuple[str, ...]] = set()
        self.parameter_files = (
            parameter_files
            if parameter_files is not None
            else ParameterFiles(
                settings.parameter_files, settings.project_root, settings.limits.max_file_size
            )
        )
        self.evaluators: list[TemplateEvaluator] = []
        for parsed in templates:
            if parsed.template is None:
                continue
            values: dict[str, Any] = dict(self.parameter_files.values_for(parsed.display))
            values.update(settings.parameters)
            self.evaluators.append(
                TemplateEvaluator(
                    parsed,
                    self,
                    values,
                    settings.limits.max_steps,
                    settings.limits.max_expansion,
                )
            )
        self._exports: dict[str, list[tuple[TemplateEvaluator, Any]]] | None = None
        self._ipv6_blocks: dict[str, Any] = {}
        self._associations: dict[str, list[tuple[TemplateEvaluator, str]]] | None = None

    def exists(self, evaluator: TemplateEvaluator, logical_id: str) -> bool:
        """False when the resource's Condition is false (it is then never created)."""
        resource = evaluator.resources.get(logical_id)
        if not isinstance(resource, dict) or "Condition" not in resource:
            return True
        name = resource["Condition"]
        if not isinstance(name, str):
            return True
        return evaluator.condition(str(name), mark_of(name)) is not False

    # -- exports --------------------------------------------------------------------------

    def exports(self) -> dict[str, list[tuple[TemplateEvaluator, Any]]]:
        if self._exports is None:
            self._exports = {}
            for evaluator in self.evaluators:
                outputs = evaluator.template.get("Outputs")
                if not isinstance(outputs, dict):
                    continue
                for output in outputs.values():
                    if not isinstance(output, dict) or not isinstance(output.get("Export"), dict):
                        continue
                    condition = output.get("Condition")
                    if isinstance(condition, str) and evaluator.condition(str(condition)) is False:
                        continue
                    name = evaluator.evaluate(output["Export"].get("Name"), mark_of(output))
                    if isinstance(name, str) and "Value" in output:
                        self._exports.setdefault(str(name), []).append((evaluator, output["Value"]))
        return self._exports

    def import_value(self, name: str, mark: Mark, importer: TemplateEvaluator) -> Any:
        with Guard(self.in_progress, ("ImportValue", name), mark) as cycle:
            if cycle is not None:
                return cycle
            exporters = self.exports().get(name, [])
            if not exporters:
                return Unresolved(f"no template in scope exports {name!r}", mark=mark)
            if len(exporters) > 1:
                files = ", ".join(sorted({evaluator.parsed.display for evaluator, _ in exporters}))
                return Unresolved(
                    f"{name!r} is exported by more than one template ({files})", mark=mark
                )
            evaluator, value = exporters[0]
            result = evaluator.evaluate(value, mark_of(value))
            if isinstance(result, Unresolved) and evaluator is not importer:
                return Unresolved(
                    f"export {name!r} of {evaluator.parsed.display}: {result.reason}",
                    result.kind,
                    mark,
                    result.provider_assigned,
                )
            return result

    # -- VPC IPv6 blocks ------------------------------------------------------------------

    def vpc_ipv6_blocks(self, owner: TemplateEvaluator, logical_id: str, mark: Mark) -> Any:
        """``Fn::GetAtt Vpc.Ipv6CidrBlocks``: the IPv6 blocks its associations give it."""
        vpc_key = owner.key(logical_id)
        if vpc_key not in self._ipv6_blocks:
            self._ipv6_blocks[vpc_key] = self._vpc_ipv6_blocks(vpc_key, logical_id, mark)
        return self._ipv6_blocks[vpc_key]

    def _associations_by_vpc(self) -> dict[str, list[tuple[TemplateEvaluator, str]]]:
        """Every existing AWS::EC2::VPCCidrBlock by the VPC it names, found once per scope: a
        scan of every template for each VPC asked about was quadratic (2,500 VPCs: 68 s)."""
        if self._associations is None:
            # Set before evaluating: a VpcId that itself asks for a VPC's IPv6 blocks (a
            # pathological template) sees none rather than recursing.
            found: dict[str, list[tuple[TemplateEvaluator, str]]] = {}
            self._associations = found
            for evaluator in self.evaluators:
                for association_id, resource in evaluator.resources.items():
                    if evaluator.resource_type(association_id) != "AWS::EC2::VPCCidrBlock":
                        continue
                    if not self.exists(evaluator, association_id):
                        continue
                    properties = evaluator.properties(association_id)
                    vpc = evaluator.evaluate(properties.get("VpcId"), mark_of(resource))
                    if isinstance(vpc, ResourceIdentity) and vpc.key is not None:
                        found.setdefault(vpc.key, []).append((evaluator, association_id))
        return self._associations

    def _vpc_ipv6_blocks(self, vpc_key: str, logical_id: str, mark: Mark) -> Any:
        blocks: list[Any] = []
        for evaluator, association_id in self._associations_by_vpc().get(vpc_key, []):
            block = self.association_ipv6(evaluator, association_id)
            if block is not None:
                blocks.append(block)
        if not blocks:
            return error(
                f"{logical_id} has no IPv6 block (no AWS::EC2::VPCCidrBlock gives it one)", mark
            )
        return blocks

    @staticmethod
    def association_ipv6(evaluator: TemplateEvaluator, association_id: str) -> Any | None:
        """The IPv6 block an AWS::EC2::VPCCidrBlock adds, Unresolved when AWS assigns it."""
        properties = evaluator.properties(association_id)
        mark = mark_of(evaluator.resources.get(association_id))
        if "Ipv6CidrBlock" in properties:
            return evaluator.evaluate(properties["Ipv6CidrBlock"], mark)
        if "Ipv6IpamPoolId" in properties:
            return Unresolved(
                f"the IPv6 block of {association_id} is allocated from an IPAM pool at deployment",
                mark=mark,
                provider_assigned=True,
            )
        amazon = evaluator.evaluate(properties.get("AmazonProvidedIpv6CidrBlock"), mark)
        if amazon is True or (isinstance(amazon, str) and amazon.lower() == "true"):
            return Unresolved(
                f"the Amazon-provided IPv6 block of {association_id} is assigned at deployment",
                mark=mark,
                provider_assigned=True,
            )
        if isinstance(amazon, Unresolved):
            return amazon
        return None
