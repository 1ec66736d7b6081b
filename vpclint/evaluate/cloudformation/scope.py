"""Every template of the run together: exports and imports, and lookups across templates."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from vpclint.evaluate.cloudformation.evaluator import Guard, StackInstance, TemplateEvaluator
from vpclint.evaluate.cloudformation.nested import (
    NESTED_STACK_TYPES,
    child_display,
    is_remote,
    literal_children,
)
from vpclint.evaluate.cloudformation.parameters import ParameterFiles, matching_patterns
from vpclint.evaluate.cloudformation.values import ResourceIdentity, Unresolved, as_text, error
from vpclint.evaluate.contract import EvaluationSettings
from vpclint.parse.cloudformation.nodes import Mark, mark_of
from vpclint.parse.cloudformation.template import ParsedTemplate


class _Passed(Mapping[str, Any]):
    """A stack's parameter values: parameter files and --parameter, then what its parent
    passes, evaluated in the parent when first asked for (a value may import an export, which
    needs every template's evaluator to exist first)."""

    def __init__(
        self,
        given: Mapping[str, Any],
        parent: TemplateEvaluator | None = None,
        nodes: Mapping[Any, Any] | None = None,
    ) -> None:
        self.given = given
        self.parent = parent
        self.nodes = {str(key): value for key, value in (nodes or {}).items()}

    def __contains__(self, name: object) -> bool:
        return name in self.nodes or name in self.given

    def __getitem__(self, name: str) -> Any:
        if name in self.nodes and self.parent is not None:
            node = self.nodes[name]
            return self.parent.evaluate(node, mark_of(node))
        return self.given[name]

    def __iter__(self) -> Iterator[str]:
        return iter({*self.given, *self.nodes})

    def __len__(self) -> int:
        return len({*self.given, *self.nodes})


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
        self._exports: dict[str, list[tuple[TemplateEvaluator, Any]]] | None = None
        self._ipv6_blocks: dict[str, Any] = {}
        self._associations: dict[str, list[tuple[TemplateEvaluator, str]]] | None = None
        # Problems found while nesting stacks: (the parent, where, what), reported as VPC005.
        self.not_analysed: list[tuple[TemplateEvaluator, Mark, str]] = []
        self._children: dict[str, TemplateEvaluator] = {}  # by the parent's key of the stack
        self._unread_children: dict[str, str] = {}  # the stack's key -> why it is not read
        self._instances = 0
        by_display = {parsed.display: parsed for parsed in templates if parsed.template is not None}
        nested = {
            child
            for parsed in by_display.values()
            if parsed.template is not None
            for child in literal_children(parsed.template, parsed.display)
        }
        # A template another one nests is evaluated as that stack's child, once per parent
        # resource; only the others are stacks of their own. A child left over (its parents
        # nest each other, or none creates it) is evaluated on its own as well, so that every
        # template is looked at.
        for parsed in by_display.values():
            if parsed.display not in nested:
                self._nest_children(self._evaluator(parsed), by_display)
        for parsed in by_display.values():
            if all(evaluator.parsed is not parsed for evaluator in self.evaluators):
                self._nest_children(self._evaluator(parsed), by_display)
        # Looked up while stacks were nested, exports may have missed a later template's.
        self._exports = None

    def _evaluator(
        self,
        parsed: ParsedTemplate,
        instance: StackInstance | None = None,
        parent: TemplateEvaluator | None = None,
        passed: Mapping[Any, Any] | None = None,
    ) -> TemplateEvaluator:
        values: dict[str, Any] = dict(self.parameter_files.values_for(parsed.display))
        if instance is None:
            names = self.settings.stack_names
            patterns = matching_patterns(parsed.display, self.settings.project_root, names)
            if patterns:
                values["AWS::StackName"] = names[patterns[0]]
        values.update(self.settings.parameters)
        if instance is not None:
            # CloudFormation names a nested stack itself (parent-Child-RANDOM).
            values.pop("AWS::StackName", None)
        limits = self.settings.limits
        evaluator = TemplateEvaluator(
            parsed,
            self,
            _Passed(values, parent, passed),
            limits.max_steps,
            limits.max_expansion,
            instance,
        )
        self.evaluators.append(evaluator)
        return evaluator

    # -- nested stacks --------------------------------------------------------------------

    def _nest_children(
        self, parent: TemplateEvaluator, by_display: Mapping[str, ParsedTemplate]
    ) -> None:
        pending = [parent]
        while pending:
            evaluator = pending.pop()
            for logical_id in list(evaluator.resources):
                kind = evaluator.resource_type(str(logical_id))
                if kind not in NESTED_STACK_TYPES or not self.exists(evaluator, str(logical_id)):
                    continue
                child = self._child(evaluator, str(logical_id), kind, by_display)
                if isinstance(child, str):
                    stack_key = evaluator.key(str(logical_id))
                    self._unread_children[stack_key] = child
                    self.not_analysed.append((evaluator, mark_of(logical_id), child))
                else:
                    pending.append(child)

    def _child(
        self,
        parent: TemplateEvaluator,
        logical_id: str,
        kind: str,
        by_display: Mapping[str, ParsedTemplate],
    ) -> TemplateEvaluator | str:
        """The child stack's evaluator, or why its template is not read."""
        name = NESTED_STACK_TYPES[kind]
        properties = parent.properties(logical_id)
        where = f"nested stack {parent.address(logical_id)}"
        if name not in properties:
            return f"{where} has no {name}"
        location = parent.evaluate(properties[name], mark_of(properties[name]))
        if isinstance(location, dict) and "ApplicationId" in location:
            application = as_text(location["ApplicationId"])
            shown = application if isinstance(application, str) else "(computed)"
            return (
                f"{where} is the Serverless Application Repository application {shown}, "
                "whose template vpclint does not fetch; its networks and subnets are not checked"
            )
        if isinstance(location, Unresolved):
            return f"the {name} of {where} is unknown ({location.reason}); its template is not read"
        if not isinstance(location, str):
            return f"the {name} of {where} is not a path or URL"
        if is_remote(location):
            return (
                f"{where} nests the remote template {location}, which vpclint does not fetch; "
                "lint the local template before packaging, or lint that template on its own"
            )
        display = child_display(parent.parsed.display, location)
        if display not in by_display:
            return f"{where} nests {display}, which is not among the linted templates"
        chain = parent.instance.chain if parent.instance is not None else (parent.parsed.display,)
        if display in chain:
            cycle = " -> ".join((*chain, display))
            return f"{where} nests a template that nests itself ({cycle}); it is not read again"
        limits = self.settings.limits
        if len(chain) > limits.max_module_depth:
            return (
                f"{where} is nested more than {limits.max_module_depth} deep "
                "(raise `max-module-depth` in the config)"
            )
        self._instances += 1
        if self._instances > limits.max_expansion:
            return (
                f"{where} is one nested stack more than {limits.max_expansion:,} "
                "(raise `max-expansion` in the config)"
            )
        parameters = properties.get("Parameters")
        passed = parameters if isinstance(parameters, dict) else {}
        instance = StackInstance(
            parent.key(logical_id), parent.address(logical_id), (*chain, display)
        )
        child = self._evaluator(by_display[display], instance, parent, passed)
        self._children[parent.key(logical_id)] = child
        return child

    def nested_output(
        self, parent: TemplateEvaluator, logical_id: str, name: str, mark: Mark
    ) -> Any:
        """``Fn::GetAtt Child.Outputs.Name``: the value of the child stack's output."""
        stack_key = parent.key(logical_id)
        child = self._children.get(stack_key)
        if child is None:
            why = self._unread_children.get(stack_key, f"{logical_id} is not created")
            return Unresolved(f"output {name} of {logical_id} is not known: {why}", mark=mark)
        outputs = child.template.get("Outputs")
        output = outputs.get(name) if isinstance(outputs, dict) else None
        if not isinstance(output, dict) or "Value" not in output:
            return error(f"{child.parsed.display} has no output {name}", mark)
        with Guard(self.in_progress, ("Output", stack_key, name), mark) as cycle:
            if cycle is not None:
                return cycle
            value = output["Value"]
            return child.evaluate(value, mark_of(value, mark_of(output)))

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
