"""CloudFormation resources to Topology objects: VPCs, subnets, their CIDR associations,
peerings and transit gateway attachments, across the templates of one group.

This module and the evaluator behind it are loaded only when a group of templates is evaluated
(see :mod:`vpclint.evaluate.cloudformation.templates`, which finds the groups).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from vpclint.evaluate.cloudformation.evaluator import TemplateEvaluator
from vpclint.evaluate.cloudformation.parameters import ParameterFiles
from vpclint.evaluate.cloudformation.scope import Scope
from vpclint.evaluate.cloudformation.values import NO_VALUE, ResourceIdentity, Unresolved, as_text
from vpclint.evaluate.contract import EvaluationSettings, ParsedInput
from vpclint.parse.cloudformation.nodes import Mark, mark_of
from vpclint.topology.kinds import CLOUDFORMATION, Role, types_with_role
from vpclint.topology.models import (
    AddressBlock,
    Attachment,
    Claim,
    Connection,
    Network,
    NetworkRef,
    NotAnalysed,
    SourceLocation,
    Subnet,
    Topology,
    Unknown,
    UnknownKind,
)


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
            "address": self.evaluator.address(self.logical_id),
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
        origin_kind: str | None = None,
    ) -> list[AddressBlock]:
        value = self.value(name)
        if value is NO_VALUE:
            return []
        values = value if isinstance(value, list) and name.endswith("Blocks") else [value]
        mark = self.property_mark(name)
        return [
            self.block(item, mark, name, version, origin, origin_location, origin_kind)
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
        origin_kind: str | None = None,
    ) -> AddressBlock:
        location = self.at(mark)
        common: dict[str, Any] = {
            "location": location,
            "version": version,
            "origin": origin,
            "origin_location": origin_location,
            "origin_kind": origin_kind,
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

    def nested(self, path: str) -> tuple[Any, Mark]:
        """The value a dotted property path names (``KubernetesNetworkConfig.ServiceIpv4Cidr``)
        and where it is written; NO_VALUE when a part of the path is not set."""
        names = path.split(".")
        if names[0] not in self.properties:
            return NO_VALUE, self.mark
        node: Any = self.properties[names[0]]
        mark = self.property_mark(names[0])
        depth = 1
        # Walk the written mappings; one that is computed as a whole (Fn::If, Ref) is evaluated
        # first and the rest of the path looked up in its value.
        while depth < len(names) and isinstance(node, dict) and not _is_intrinsic(node):
            keys = [key for key in node if key == names[depth]]
            if not keys:
                return NO_VALUE, mark
            node = node[keys[0]]
            mark = mark_of(node, mark_of(keys[0], mark))
            depth += 1
        value = self.evaluator.evaluate(node, mark)
        for name in names[depth:]:
            value = value.get(name, NO_VALUE) if isinstance(value, dict) else NO_VALUE
        return value, mark

    def subnet_references(self, path: str) -> tuple[NetworkRef, ...]:
        """The subnets a list property such as ``ResourcesVpcConfig.SubnetIds`` names."""
        value, mark = self.nested(path)
        if value is NO_VALUE:
            return ()
        location = self.at(mark)
        refs = []
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, ResourceIdentity):
                refs.append(NetworkRef(key=item.key, location=location))
            elif isinstance(item, str):
                refs.append(NetworkRef(external_id=str(item), location=location))
            else:
                reason = item.reason if isinstance(item, Unresolved) else "not a subnet ID"
                refs.append(NetworkRef(unknown=Unknown(reason=reason, location=location)))
        return tuple(refs)

    def flag(self, name: str) -> bool:
        value = self.value(name)
        return value is True or (isinstance(value, str) and value.lower() == "true")


def _gateway_identity(reference: NetworkRef) -> str | None:
    """A transit gateway's identity: its key in scope, or the ID written (tgw-...)."""
    return reference.key or reference.external_id


def _is_intrinsic(node: dict[Any, Any]) -> bool:
    if len(node) != 1:
        return False
    (name,) = node
    return isinstance(name, str) and (name == "Ref" or name.startswith("Fn::"))


class _Builder:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.networks: dict[str, _Draft] = {}
        self.subnets: dict[str, _Draft] = {}
        self.connections: list[Connection] = []
        self.attachments: list[Attachment] = []
        self.claims: list[Claim] = []
        # (the peering, its gateway, the peer gateway), by their identities
        self.gateway_peerings: list[tuple[_Resource, str | None, str | None]] = []

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
        # Networks and subnets first: the blocks that associations add need their drafts.
        for role in Role:
            for resource in self.resources(types_with_role(CLOUDFORMATION, role)):
                getattr(self, CLOUDFORMATION[resource.kind].builder)(resource)

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
            "origin_kind": "AWS::EC2::VPCCidrBlock",
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
            "origin_kind": "AWS::EC2::SubnetCidrBlock",
        }
        if "Ipv6CidrBlock" in resource.properties:
            draft.ipv6.extend(resource.blocks("Ipv6CidrBlock", 6, **origin))
        elif "Ipv6IpamPoolId" in resource.properties:
            draft.ipv6.append(resource.pool_block("Ipv6IpamPoolId", 6, **origin))

    def add_peering(self, resource: _Resource) -> None:
        self.connections.append(
            Connection(
                **resource.common(),
                connection_kind="vpc-peering",
                ends=(resource.reference("VpcId"), resource.reference("PeerVpcId")),
            )
        )

    def add_attachment(self, resource: _Resource) -> None:
        gateway = resource.reference("TransitGatewayId")
        identity = _gateway_identity(gateway)
        self.attachments.append(
            Attachment(
                **resource.common(),
                network=resource.reference("VpcId"),
                gateway=identity,
                gateway_unknown=gateway.unknown if identity is None else None,
            )
        )

    def add_gateway_peering(self, resource: _Resource) -> None:
        self.gateway_peerings.append(
            (
                resource,
                _gateway_identity(resource.reference("TransitGatewayId")),
                _gateway_identity(resource.reference("PeerTransitGatewayId")),
            )
        )

    def _peered_gateways(self) -> list[Connection]:
        """A transit gateway peering connects each network attached to one gateway with each
        attached to the other (a pair once): the connections VPC203 and the map read."""
        attached: dict[str, list[NetworkRef]] = {}
        for attachment in self.attachments:
            if attachment.gateway is not None:
                attached.setdefault(attachment.gateway, []).append(attachment.network)
        connections: list[Connection] = []
        budget = self.scope.settings.limits.max_expansion
        for resource, first, second in self.gateway_peerings:
            if first is None or second is None or first == second:
                continue
            pairs = [
                (one, other)
                for one in attached.get(first, [])
                for other in attached.get(second, [])
                if one.key is None or one.key != other.key
            ]
            if len(pairs) > budget:
                self.scope.not_analysed.append(
                    (
                        resource.evaluator,
                        resource.mark,
                        f"{resource.evaluator.address(resource.logical_id)} connects "
                        f"{len(pairs):,} pairs of networks, more than {budget:,} "
                        "(raise `max-expansion` in the config); they are not checked",
                    )
                )
                continue
            budget -= len(pairs)
            for one, other in pairs:
                connections.append(
                    Connection(
                        **resource.common(),
                        connection_kind="transit-gateway",
                        ends=(one, other),
                    )
                )
        return connections

    def add_claim(self, resource: _Resource) -> None:
        kind = CLOUDFORMATION[resource.kind]
        if not kind.claims:
            raise TypeError(f"{kind.type} names the claim builder but declares no claim")
        for index, spec in enumerate(kind.claims):
            blocks = []
            for cidr in kind.claim_fields(spec):
                value, mark = resource.nested(cidr.path)
                if value is not NO_VALUE and value != "":
                    version = cidr.version if cidr.version is not None else 4
                    blocks.append(resource.block(value, mark, cidr.path, version))
            if not blocks and spec.default is None:
                continue  # a range left unset that the provider does not fill holds nothing
            subnets = tuple(
                ref for path in spec.subnet_references for ref in resource.subnet_references(path)
            )
            common = resource.common()
            if index > 0:  # one resource, several claims: each after the first keyed by purpose
                common["key"] = f"{common['key']}#{spec.purpose}"
            self.claims.append(
                Claim(
                    **common,
                    purpose=spec.purpose,
                    blocks=tuple(blocks),
                    network=resource.reference(kind.references[0]) if kind.references else None,
                    subnets=subnets,
                    collides_with=spec.collides_with,
                    provider_default=not blocks and spec.default is not None,
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
        topology.connections.extend(self._peered_gateways())
        topology.attachments.extend(self.attachments)
        topology.claims.extend(self.claims)


def evaluate_group(
    group: Sequence[ParsedInput], settings: EvaluationSettings, parameter_files: ParameterFiles
) -> Topology:
    """The part of the topology one group of templates declares (one unit's evaluation)."""
    part = Topology()
    builder = _Builder(Scope([parsed.result for parsed in group], settings, parameter_files))
    builder.build()
    builder.finish(part)
    for evaluator, mark, message in builder.scope.not_analysed:
        part.not_analysed.append(
            NotAnalysed(location=evaluator.parsed.location(*mark), message=message)
        )
    for evaluator in builder.scope.evaluators:
        for loop in evaluator.skipped_loops:
            if loop.holds_addresses:
                part.not_analysed.append(
                    NotAnalysed(
                        location=evaluator.parsed.location(*loop.mark),
                        message=f"{loop.name} in {loop.section} is not expanded: {loop.reason}; "
                        "the networks and subnets it declares are not checked",
                    )
                )
    return part
