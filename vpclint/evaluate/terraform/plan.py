"""Plan JSON to Topology: values from ``planned_values``, links from the configuration's references.

Values such as ``vpc_id`` are unknown at plan time, so a subnet is linked to its VPC through the
``configuration`` section's expression references (``aws_vpc.main.id``, or a module output that
refers to one). The same builders as for ``.tf`` files are used, on a block synthesised from the
planned values, so every resource type behaves the same in both inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vpclint.evaluate.terraform.evaluator import Run, Scope
from vpclint.evaluate.terraform.modules import Instance
from vpclint.evaluate.terraform.resources import Collected, build, link_by_identity
from vpclint.evaluate.terraform.values import Identity, ResourceInstance, UnknownValue
from vpclint.limits import Limits
from vpclint.parse.terraform import TerraformFile
from vpclint.parse.terraform import syntax as s
from vpclint.parse.terraform.plan import PlanData, PlannedResource
from vpclint.topology.kinds import TERRAFORM
from vpclint.topology.models import SourceFile, Topology

# Planned values hold nested blocks as lists of objects; references to other resources by id
# are unknown at plan time and followed through the configuration instead.
_NESTED = tuple(dict.fromkeys(name for kind in TERRAFORM.values() for name in kind.nested_blocks))
_LINKS = frozenset(name for kind in TERRAFORM.values() for name in kind.references)


def evaluate_plans(files: Sequence[TerraformFile]) -> Topology:
    topology = Topology()
    for parsed in files:
        topology.files.append(SourceFile(path=parsed.display, kind="terraform-plan"))
        if parsed.error is not None:
            topology.parse_errors.append(parsed.error)
            topology.files[-1] = SourceFile(
                path=parsed.display, kind="terraform-plan", status="failed"
            )
            continue
        if isinstance(parsed.plan, PlanData):
            _PlanTopology(parsed, parsed.plan).build(topology)
    return topology


def _base_address(address: str) -> str:
    return address[: address.index("[")] if address.endswith("]") and "[" in address else address


class _PlanTopology:
    def __init__(self, parsed: TerraformFile, plan: PlanData) -> None:
        self.parsed = parsed
        self.plan = plan
        self.by_address = {resource.address: resource for resource in plan.resources}
        self.by_base: dict[str, list[PlannedResource]] = {}
        for resource in plan.resources:
            self.by_base.setdefault(_base_address(resource.address), []).append(resource)
        self.scope = Scope(Run(limits=Limits(), project_root=_dummy_root()), None, parsed.display)

    def key(self, address: str) -> str:
        return f"{self.parsed.display}::{address}"

    def build(self, topology: Topology) -> None:
        out = Collected()
        for resource in self.plan.resources:
            kind = TERRAFORM.get(resource.type)
            if resource.mode != "managed" or kind is None:
                continue
            build(kind, self.instance(resource), out)
        link_by_identity(out)
        out.attach_associations()
        topology.networks.extend(out.networks)
        topology.subnets.extend(out.subnets)
        topology.connections.extend(out.connections)
        topology.attachments.extend(out.attachments)
        topology.claims.extend(out.claims)

    def instance(self, resource: PlannedResource) -> Instance:
        line = resource.line
        values = dict(resource.values)
        attributes = {
            name: s.Attribute(name, s.Literal(line, 1, None), line)
            for name, value in values.items()
            if name not in _NESTED or not isinstance(value, list)
        }
        for name in _LINKS:
            if name not in attributes and self.references(resource, name):
                attributes[name] = s.Attribute(name, s.Literal(line, 1, None), line)
        nested = tuple(
            s.Block(
                type=name,
                labels=(),
                attributes={
                    key: s.Attribute(key, _expression(item, line), line)
                    for key, item in entry.items()
                },
                blocks=(),
                line=line,
                end_line=line,
            )
            for name in _NESTED
            if isinstance(values.get(name), list)
            for entry in values[name]
            if isinstance(entry, dict)
        )
        block = s.Block(
            type="resource",
            labels=(resource.type, resource.name),
            attributes=attributes,
            blocks=nested,
            line=line,
            end_line=line,
        )

        def evaluate_attribute(name: str) -> Any:
            if name in _LINKS and not isinstance(values.get(name), str):
                return self.link(resource, name)
            if name in values:
                value = values[name]
                if name in _NESTED and isinstance(value, list):
                    return value
                return value
            return UnknownValue.make(f"{resource.address}.{name} is only known after apply")

        value = ResourceInstance(
            address=resource.address,
            key=self.key(resource.address),
            resource_type=resource.type,
            evaluate_attribute=evaluate_attribute,
            configured=frozenset(attributes) | {nested_block.type for nested_block in nested},
        )
        return Instance(resource.address, value.key, block, self.parsed.display, self.scope, value)

    def references(self, resource: PlannedResource, attribute: str) -> tuple[str, ...]:
        table = self.plan.references.get(resource.module_address, {})
        local_address = resource.address
        if resource.module_address:
            local_address = resource.address[len(resource.module_address) + 1 :]
        expressions = table.get(_base_address(local_address)) or table.get(local_address) or {}
        return expressions.get(attribute, ())

    def link(self, resource: PlannedResource, attribute: str) -> Any:
        """The network (or gateway) an attribute refers to, through configuration references."""
        target = self._follow(resource.module_address, self.references(resource, attribute), 0)
        if target is not None:
            return Identity(self.key(target.address), target.address)
        return UnknownValue.make(f"{resource.address}.{attribute} is only known after apply")

    def _follow(
        self, module: str, references: tuple[str, ...], depth: int
    ) -> PlannedResource | None:
        """The planned resource a list of references names, through module outputs."""
        if depth > 20:
            return None
        prefix = f"{module}." if module else ""
        for reference in references:
            parts = reference.split(".")
            if parts[0] == "module" and len(parts) >= 3:
                child = f"{prefix}module.{parts[1]}"
                output = self.plan.outputs.get(child, {}).get(parts[2])
                if output:
                    found = self._follow(child, output, depth + 1)
                    if found is not None:
                        return found
                continue
            target = self._target(prefix, reference)
            if target is not None:
                return target
        return None

    def _target(self, prefix: str, reference: str) -> PlannedResource | None:
        parts = reference.split(".")
        if parts and parts[-1] in ("id", "arn", "self_link", "name"):
            parts = parts[:-1]
        candidate = prefix + ".".join(parts)
        if candidate in self.by_address:
            return self.by_address[candidate]
        matches = self.by_base.get(candidate, [])
        return matches[0] if len(matches) == 1 else None


def _expression(value: Any, line: int) -> s.Expression:
    """A planned JSON value as a constant expression (for nested blocks' attributes)."""
    if isinstance(value, list):
        return s.TupleExpr(line, 1, tuple(_expression(item, line) for item in value))
    if isinstance(value, dict):
        return s.ObjectExpr(
            line,
            1,
            tuple(
                (s.Literal(line, 1, str(key)), _expression(item, line))
                for key, item in value.items()
            ),
        )
    if isinstance(value, str | int | float | bool) or value is None:
        return s.Literal(line, 1, value)
    return s.Literal(line, 1, None)


def _dummy_root() -> Any:
    from pathlib import Path

    return Path(".")
