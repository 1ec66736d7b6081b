"""CloudFormation resources to Topology objects: VPCs, subnets, their CIDR associations,
peerings and transit gateway attachments, across every template in scope.

Templates reach into one another only through exports and ``Fn::ImportValue``, so the templates
linked that way are evaluated together, as one unit of :mod:`vpclint.incremental`, and every
other template on its own: after an edit, only the edited template's group is evaluated again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from vpclint.evaluation.cloudformation.evaluator import TemplateEvaluator
from vpclint.evaluation.cloudformation.parameters import ParameterFiles
from vpclint.evaluation.cloudformation.scope import Scope
from vpclint.evaluation.cloudformation.suppressions import template_suppressions
from vpclint.evaluation.cloudformation.values import NO_VALUE, ResourceIdentity, Unresolved, as_text
from vpclint.frontend import EvaluationSettings
from vpclint.incremental import EvaluatedPart, ParsedInput, UnitMemo, part_digest, resolve, state_of
from vpclint.models import (
    AddressBlock,
    Attachment,
    Connection,
    Network,
    NetworkRef,
    ParseError,
    SourceFile,
    SourceLocation,
    Subnet,
    Suppression,
    Topology,
    Unknown,
    UnknownKind,
)
from vpclint.parsers.cloudformation.nodes import Mark, MarkedDict, mark_of, marked_dict
from vpclint.parsers.cloudformation.template import ParsedTemplate

VPC = "AWS::EC2::VPC"
SUBNET = "AWS::EC2::Subnet"
VPC_CIDR_BLOCK = "AWS::EC2::VPCCidrBlock"
SUBNET_CIDR_BLOCK = "AWS::EC2::SubnetCidrBlock"
PEERING = "AWS::EC2::VPCPeeringConnection"
TGW_ATTACHMENTS = ("AWS::EC2::TransitGatewayAttachment", "AWS::EC2::TransitGatewayVpcAttachment")
# The resource types whose properties evaluation reads (here, in the evaluator's Fn::GetAtt and
# in the scope's IPv6 associations). Of any other resource only its type (Ref, Fn::GetAtt), its
# condition (whether it exists) and its metadata (suppressions) are ever read.
PROPERTIES_READ = frozenset(
    {VPC, SUBNET, VPC_CIDR_BLOCK, SUBNET_CIDR_BLOCK, PEERING, *TGW_ATTACHMENTS}
)
_ALWAYS_READ = ("Type", "Condition", "Metadata")


@dataclass
class _Draft:
    """A network or subnet being assembled; associations in any template may add blocks."""

    fields: dict[str, Any]
    ipv4: list[AddressBlock] = field(default_factory=list)
    ipv6: list[AddressBlock] = field(default_factory=list)


class _Resource:
    """One resource of one template, with helpers to read its properties as topology values."""

    def __init__(self, evaluator: TemplateEvaluator, logical_id: str, mark: Mark) -> None:
        self.evaluator = evaluator
        self.logical_id = logical_id
        self.mark = mark
        self.kind = evaluator.resource_type(logical_id) or ""
        self.properties = evaluator.properties(logical_id)
        self.key = evaluator.key(logical_id)
        self.location = self.at(mark)

    def at(self, mark: Mark) -> SourceLocation:
        return self.evaluator.parsed.location(*mark)

    def common(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "address": self.logical_id,
            "kind": self.kind,
            "provider": "aws",
            "location": self.location,
            "name": self.tag_name(),
        }

    def property_mark(self, name: str) -> Mark:
        """Where a property's value is written (its key's place for unmarked scalars)."""
        for key in self.properties:
            if key == name:
                return mark_of(self.properties[key], mark_of(key, self.mark))
        return self.mark

    def value(self, name: str) -> Any:
        if name not in self.properties:
            return NO_VALUE
        return self.evaluator.evaluate(self.properties[name], self.property_mark(name))

    def tag_name(self) -> str | None:
        tags = self.properties.get("Tags")
        if not isinstance(tags, list):
            return None
        for tag in tags:
            if isinstance(tag, dict) and tag.get("Key") == "Name":
                name = self.evaluator.evaluate(tag.get("Value"), mark_of(tag))
                return str(name) if isinstance(name, str) else None
        return None

    def blocks(
        self,
        name: str,
        version: int,
        origin: str = "primary",
        origin_location: SourceLocation | None = None,
    ) -> list[AddressBlock]:
        value = self.value(name)
        if value is NO_VALUE:
            return []
        values = value if isinstance(value, list) and name.endswith("Blocks") else [value]
        return [
            self.block(item, self.property_mark(name), name, version, origin, origin_location)
            for item in values
        ]

    def block(
        self,
        value: Any,
        mark: Mark,
        name: str,
        version: int,
        origin: str = "primary",
        origin_location: SourceLocation | None = None,
    ) -> AddressBlock:
        location = self.at(mark)
        common: dict[str, Any] = {
            "location": location,
            "version": version,
            "origin": origin,
            "origin_location": origin_location,
        }
        if isinstance(value, str):
            return AddressBlock(cidr=str(value), **common)
        if isinstance(value, Unresolved):
            unknown = Unknown(reason=value.reason, kind=value.kind, location=location)
            return AddressBlock(
                unknown=unknown, provider_assigned=value.provider_assigned, **common
            )
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return AddressBlock(cidr=str(value), **common)
        if isinstance(value, ResourceIdentity):
            reason = (
                f"{name} refers to {value.logical_id} ({value.resource_type}), "
                "whose ID is not a CIDR"
            )
        elif isinstance(value, list):
            reason = f"{name} is a list, not a CIDR"
        elif isinstance(value, dict):
            reason = f"{name} is a mapping, not a CIDR"
        else:
            reason = f"{name} is {as_text(value)!r}, not a CIDR"
        unknown = Unknown(reason=reason, kind=UnknownKind.ERROR, location=location)
        return AddressBlock(unknown=unknown, **common)

    def pool_block(self, pool_property: str, version: int, **extra: Any) -> AddressBlock:
        location = self.at(self.property_mark(pool_property))
        family = "IPv4" if version == 4 else "IPv6"
        unknown = Unknown(
            reason=f"the {family} block of {self.logical_id} is allocated from an IPAM pool "
            "at deployment",
            location=location,
        )
        return AddressBlock(
            location=location, version=version, unknown=unknown, provider_assigned=True, **extra
        )

    def reference(self, name: str) -> NetworkRef:
        """A property naming a network (or gateway, subnet) as a NetworkRef."""
        location = self.at(self.property_mark(name))
        value = self.value(name)
        if value is NO_VALUE:
            unknown = Unknown(
                reason=f"{self.logical_id} has no {name}", kind=UnknownKind.ERROR, location=location
            )
            return NetworkRef(unknown=unknown, location=location)
        if isinstance(value, ResourceIdentity):
            return NetworkRef(key=value.key, location=location)
        if isinstance(value, str):
            return NetworkRef(external_id=str(value), location=location)
        if isinstance(value, Unresolved):
            unknown = Unknown(reason=value.reason, kind=value.kind, location=location)
        else:
            unknown = Unknown(
                reason=f"{name} is not an ID or a Ref", kind=UnknownKind.ERROR, location=location
            )
        return NetworkRef(unknown=unknown, location=location)

    def flag(self, name: str) -> bool:
        value = self.value(name)
        return value is True or (isinstance(value, str) and value.lower() == "true")


class _Builder:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.networks: dict[str, _Draft] = {}
        self.subnets: dict[str, _Draft] = {}
        self.connections: list[Connection] = []
        self.attachments: list[Attachment] = []

    def resources(self, kinds: Sequence[str]) -> list[_Resource]:
        found: list[_Resource] = []
        for evaluator in self.scope.evaluators:
            for logical_id in evaluator.resources:
                if (
                    not isinstance(logical_id, str)
                    or evaluator.resource_type(logical_id) not in kinds
                ):
                    continue
                if self.scope.exists(evaluator, str(logical_id)):
                    found.append(_Resource(evaluator, str(logical_id), mark_of(logical_id)))
        return found

    def build(self) -> None:
        for resource in self.resources([VPC]):
            self.add_vpc(resource)
        for resource in self.resources([SUBNET]):
            self.add_subnet(resource)
        for resource in self.resources([VPC_CIDR_BLOCK]):
            self.add_vpc_block(resource)
        for resource in self.resources([SUBNET_CIDR_BLOCK]):
            self.add_subnet_block(resource)
        for resource in self.resources([PEERING]):
            self.connections.append(
                Connection(
                    **resource.common(),
                    connection_kind="vpc-peering",
                    ends=(resource.reference("VpcId"), resource.reference("PeerVpcId")),
                )
            )
        for resource in self.resources(TGW_ATTACHMENTS):
            self.add_attachment(resource)

    def add_vpc(self, resource: _Resource) -> None:
        draft = _Draft(resource.common())
        if "CidrBlock" in resource.properties:
            draft.ipv4.extend(resource.blocks("CidrBlock", 4))
        elif "Ipv4IpamPoolId" in resource.properties:
            draft.ipv4.append(resource.pool_block("Ipv4IpamPoolId", 4))
        self.networks[resource.key] = draft

    def add_subnet(self, resource: _Resource) -> None:
        draft = _Draft({**resource.common(), "network": resource.reference("VpcId")})
        draft.fields["ipv6_native"] = resource.flag("Ipv6Native")
        if "CidrBlock" in resource.properties:
            draft.ipv4.extend(resource.blocks("CidrBlock", 4))
        elif "Ipv4IpamPoolId" in resource.properties:
            draft.ipv4.append(resource.pool_block("Ipv4IpamPoolId", 4))
        draft.ipv6.extend(resource.blocks("Ipv6CidrBlock", 6))
        draft.ipv6.extend(resource.blocks("Ipv6CidrBlocks", 6))
        if "Ipv6IpamPoolId" in resource.properties and not draft.ipv6:
            draft.ipv6.append(resource.pool_block("Ipv6IpamPoolId", 6))
        self.subnets[resource.key] = draft

    def _owner(self, resource: _Resource, name: str, drafts: dict[str, _Draft]) -> _Draft | None:
        reference = resource.reference(name)
        return drafts.get(reference.key) if reference.key is not None else None

    def add_vpc_block(self, resource: _Resource) -> None:
        draft = self._owner(resource, "VpcId", self.networks)
        if draft is None:
            return  # a VPC outside the repository: its blocks come from external-networks
        origin: dict[str, Any] = {
            "origin": resource.logical_id,
            "origin_location": resource.location,
        }
        properties = resource.properties
        if "CidrBlock" in properties:
            draft.ipv4.extend(resource.blocks("CidrBlock", 4, **origin))
        elif "Ipv4IpamPoolId" in properties:
            draft.ipv4.append(resource.pool_block("Ipv4IpamPoolId", 4, **origin))
        if "Ipv6CidrBlock" in properties:
            draft.ipv6.extend(resource.blocks("Ipv6CidrBlock", 6, **origin))
        elif "Ipv6IpamPoolId" in properties:
            draft.ipv6.append(resource.pool_block("Ipv6IpamPoolId", 6, **origin))
        elif "AmazonProvidedIpv6CidrBlock" in properties:
            value = resource.value("AmazonProvidedIpv6CidrBlock")
            if value is True or isinstance(value, Unresolved) or str(value).lower() == "true":
                mark = resource.property_mark("AmazonProvidedIpv6CidrBlock")
                location = resource.at(mark)
                reason = (
                    value.reason
                    if isinstance(value, Unresolved)
                    else f"the Amazon-provided IPv6 block of {resource.logical_id} is assigned "
                    "at deployment"
                )
                draft.ipv6.append(
                    AddressBlock(
                        location=location,
                        version=6,
                        unknown=Unknown(reason=reason, location=location),
                        provider_assigned=not isinstance(value, Unresolved),
                        **origin,
                    )
                )

    def add_subnet_block(self, resource: _Resource) -> None:
        draft = self._owner(resource, "SubnetId", self.subnets)
        if draft is None:
            return
        origin: dict[str, Any] = {
            "origin": resource.logical_id,
            "origin_location": resource.location,
        }
        if "Ipv6CidrBlock" in resource.properties:
            draft.ipv6.extend(resource.blocks("Ipv6CidrBlock", 6, **origin))
        elif "Ipv6IpamPoolId" in resource.properties:
            draft.ipv6.append(resource.pool_block("Ipv6IpamPoolId", 6, **origin))

    def add_attachment(self, resource: _Resource) -> None:
        gateway = resource.reference("TransitGatewayId")
        identity = gateway.key or gateway.external_id
        self.attachments.append(
            Attachment(
                **resource.common(),
                network=resource.reference("VpcId"),
                gateway=identity,
                gateway_unknown=gateway.unknown if identity is None else None,
            )
        )

    def finish(self, topology: Topology) -> None:
        for draft in self.networks.values():
            topology.networks.append(
                Network(
                    **draft.fields,
                    ipv4_blocks=tuple(draft.ipv4),
                    ipv6_blocks=tuple(draft.ipv6),
                    ipv6="present" if draft.ipv6 else "absent",
                )
            )
        for draft in self.subnets.values():
            topology.subnets.append(
                Subnet(
                    **draft.fields,
                    ipv4_blocks=tuple(draft.ipv4),
                    ipv6_blocks=tuple(draft.ipv6),
                    ipv6="present" if draft.ipv6 else "absent",
                )
            )
        topology.connections.extend(self.connections)
        topology.attachments.extend(self.attachments)


def without_unread_parts(parsed: ParsedTemplate) -> ParsedTemplate:
    """The parse result with what evaluation never reads left out: the properties of resources
    of other types than PROPERTIES_READ (instances, IAM, security groups are most of a template).
    Results then cross process boundaries and the cache at a fraction of the size; the topology
    built from them is the same."""
    template = parsed.template
    resources = template.get("Resources") if template is not None else None
    if template is None or not isinstance(resources, MarkedDict):
        return parsed
    kept = marked_dict(resources.mark)
    changed = False
    for logical_id, resource in resources.items():
        kind = resource.get("Type") if isinstance(resource, MarkedDict) else None
        if isinstance(kind, str) and kind not in PROPERTIES_READ:
            slim = marked_dict(resource.mark)
            for key, value in resource.items():
                if key in _ALWAYS_READ:
                    slim[key] = value
            changed = changed or len(slim) != len(resource)
            resource = slim
        kept[logical_id] = resource
    if not changed:
        return parsed
    slimmed = marked_dict(template.mark)
    for key, value in template.items():
        slimmed[key] = kept if value is resources else value
    return replace(parsed, template=slimmed)


@dataclass(frozen=True)
class TemplateSummary:
    """What the run needs of a template before evaluating it: how it is reported, and the
    export names that link it to other templates (None: a name is computed)."""

    error: ParseError | None
    decoded: bool
    suppressions: tuple[Suppression, ...]
    # Sorted tuples: sets would pickle in another order with each hash seed.
    exports: tuple[str, ...] | None = ()
    imports: tuple[str, ...] | None = ()

    @classmethod
    def of(cls, parsed: ParsedTemplate) -> TemplateSummary:
        template = parsed.template
        if template is None:
            return cls(parsed.error, False, ())
        return cls(
            parsed.error,
            True,
            tuple(template_suppressions(parsed)),
            _export_names(template),
            _import_names(template),
        )

    @property
    def linked(self) -> bool:
        return self.exports != () or self.imports != ()


def _export_names(template: MarkedDict) -> tuple[str, ...] | None:
    outputs = template.get("Outputs")
    names: set[str] = set()
    for output in outputs.values() if isinstance(outputs, dict) else ():
        export = output.get("Export") if isinstance(output, dict) else None
        if isinstance(export, dict):
            name = export.get("Name")
            if not isinstance(name, str):
                return None
            names.add(str(name))
    return tuple(sorted(names))


def _import_names(template: MarkedDict) -> tuple[str, ...] | None:
    names: set[str] = set()
    pending: list[Any] = [template]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "Fn::ImportValue":
                    if not isinstance(item, str):
                        return None
                    names.add(str(item))
                else:
                    pending.append(item)
        elif isinstance(value, list):
            pending.extend(value)
    return tuple(sorted(names))


def linked_groups(templates: Sequence[ParsedInput]) -> list[list[ParsedInput]]:
    """The templates that exports link, together (in the run's order); every other template
    alone. A computed export or import name could be any name: all linked templates then form
    one group."""
    parent = list(range(len(templates)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    def join(first: int, second: int) -> None:
        parent[root(first)] = root(second)

    exporters_or_importers: dict[str, int] = {}
    linked = [index for index, parsed in enumerate(templates) if parsed.summary.linked]
    for index in linked:
        summary: TemplateSummary = templates[index].summary
        for name in (*(summary.exports or ()), *(summary.imports or ())):
            join(index, exporters_or_importers.setdefault(name, index))
    if any(
        templates[index].summary.exports is None or templates[index].summary.imports is None
        for index in linked
    ):
        for index in linked:
            join(index, linked[0])
    groups: dict[int, list[ParsedInput]] = {}
    for index, parsed in enumerate(templates):
        groups.setdefault(root(index), []).append(parsed)
    return list(groups.values())


def build_topology(
    templates: Sequence[ParsedInput], settings: EvaluationSettings, memo: UnitMemo
) -> EvaluatedPart:
    """The part of the topology the CloudFormation templates of the run declare."""
    topology = Topology()
    for parsed in templates:
        summary: TemplateSummary = parsed.summary
        status = "failed" if summary.error is not None else "parsed"
        topology.files.append(SourceFile(path=parsed.display, kind="cloudformation", status=status))
        if summary.error is not None:
            topology.parse_errors.append(summary.error)
    # Parameter files are read once for the whole run, before any unit: their content is part
    # of the settings every unit depends on.
    parameter_files = ParameterFiles(settings.parameter_files, settings.project_root)
    parameter_files.read_all()
    decoded = [parsed for parsed in templates if parsed.summary.decoded]
    outputs = [
        memo.unit(
            "templates:" + state_of([parsed.display for parsed in group]),
            partial(_evaluate_group, group, settings, parameter_files),
            lambda _dependency: None,
        )
        for group in linked_groups(decoded)
    ]
    suppressions = [item for parsed in decoded for item in parsed.summary.suppressions]
    errors = list(parameter_files.errors)

    def assemble() -> Topology:
        for output in outputs:
            topology.merge(resolve(output))
        topology.suppressions.extend(suppressions)
        topology.parse_errors.extend(errors)
        return topology

    return EvaluatedPart(part_digest(memo, topology, suppressions, errors), assemble)


def _evaluate_group(
    group: Sequence[ParsedInput], settings: EvaluationSettings, parameter_files: ParameterFiles
) -> Topology:
    part = Topology()
    builder = _Builder(Scope([parsed.result for parsed in group], settings, parameter_files))
    builder.build()
    builder.finish(part)
    return part
