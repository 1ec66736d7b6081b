"""Turning evaluated resource instances into Topology objects (AWS, Azure, GCP).

Each builder reads the instance's attributes (evaluated on demand) and records where each value
came from: the object at its block's first line, each address block at its attribute's line.
A value that could not be resolved stays an Unknown block with the reason; nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vpclint.evaluate.terraform.evaluator import Scope, evaluate
from vpclint.evaluate.terraform.modules import Instance
from vpclint.evaluate.terraform.values import (
    AssumedText,
    Identity,
    SetValue,
    UnknownValue,
    first_unknown,
    format_number,
)
from vpclint.parse.terraform import syntax as s
from vpclint.topology.kinds import TERRAFORM, CidrField, ResourceKind, Role
from vpclint.topology.models import (
    AddressBlock,
    Attachment,
    Claim,
    Connection,
    ModuleArgument,
    Network,
    NetworkRef,
    SourceLocation,
    Subnet,
    Unknown,
    UnknownKind,
)

AWS_DEFAULT_VPC_CIDR = "172.31.0.0/16"
_AZURE_ID = re.compile(
    r"/resourceGroups/(?P<group>[^/]+)/providers/Microsoft\.Network/virtualNetworks/(?P<name>[^/]+)",
    re.IGNORECASE,
)


@dataclass
class Collected:
    """What one module instance (or the whole run) contributes to the topology."""

    networks: list[Network] = field(default_factory=list)
    subnets: list[Subnet] = field(default_factory=list)
    connections: list[Connection] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    module_arguments: list[ModuleArgument] = field(default_factory=list)
    associations: list[tuple[NetworkRef, list[AddressBlock], list[AddressBlock]]] = field(
        default_factory=list
    )

    def attach_associations(self) -> None:
        """Add the blocks of association resources (``aws_vpc_ipv4_cidr_block_association``
        ...) to the networks they name; an association whose network is not here adds
        nothing."""
        by_key = {network.key: index for index, network in enumerate(self.networks)}
        for ref, ipv4, ipv6 in self.associations:
            index = by_key.get(ref.key) if ref.key is not None else None
            if index is None:
                continue
            network = self.networks[index]
            ipv6_blocks = network.ipv6_blocks + tuple(ipv6)
            self.networks[index] = network.model_copy(
                update={
                    "ipv4_blocks": network.ipv4_blocks + tuple(ipv4),
                    "ipv6_blocks": ipv6_blocks,
                    "ipv6": "present" if ipv6_blocks else network.ipv6,
                }
            )


def _attribute(instance: Instance, name: str) -> s.Attribute | None:
    return instance.block.attributes.get(name)


def _value(instance: Instance, name: str) -> Any:
    if name not in instance.block.attributes and not instance.block.nested(name):
        return None
    return instance.value.configured_value(name)


def _string(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return None


def _unknown_of(value: Any, location: SourceLocation) -> Unknown:
    found = first_unknown(value)
    if found is None:
        return Unknown(reason="value is not known", location=location)
    info = found.unknown
    return info if info.location is not None else info.model_copy(update={"location": location})


def make_block(
    value: Any,
    location: SourceLocation,
    version: int | None,
    origin: str = "primary",
    origin_location: SourceLocation | None = None,
    name: str | None = None,
) -> AddressBlock:
    """An AddressBlock from an evaluated value: its text as resolved, or Unknown with why."""
    text = _string(value)
    if text is not None:
        block_version = version if version is not None else (6 if ":" in text else 4)
        return AddressBlock(
            cidr=text,
            location=location,
            origin=origin,
            origin_location=origin_location,
            name=name,
            version=block_version,
            assumed=value.assumed if isinstance(value, AssumedText) else None,
        )
    if isinstance(value, UnknownValue | Identity) or first_unknown(value) is not None:
        unknown = _unknown_of(value, location)
    else:
        unknown = Unknown(
            reason=f"expected a CIDR string, got a {type(value).__name__} value",
            kind=UnknownKind.ERROR,
            location=location,
        )
    return AddressBlock(
        cidr=None,
        unknown=unknown,
        location=location,
        origin=origin,
        origin_location=origin_location,
        name=name,
        version=version,
    )


def _single_block(
    instance: Instance, attribute_name: str, version: int, **extra: Any
) -> AddressBlock | None:
    attribute = _attribute(instance, attribute_name)
    if attribute is None:
        return None
    value = instance.value.configured_value(attribute_name)
    # The providers' SDK treats an empty string like an unset attribute (no block at all).
    if value is None or value == "":
        return None
    return make_block(value, instance.location(attribute), version, **extra)


def _list_blocks(
    instance: Instance, attribute_name: str, version: int | None = None
) -> list[AddressBlock]:
    attribute = _attribute(instance, attribute_name)
    if attribute is None:
        return []
    value = instance.value.configured_value(attribute_name)
    location = instance.location(attribute)
    if value is None:
        return []
    if isinstance(value, str):
        return [make_block(value, location, version)]
    if not isinstance(value, list | tuple):
        return [make_block(value, location, version)]
    items = attribute.value.items if isinstance(attribute.value, s.TupleExpr) else ()
    blocks = []
    for position, item in enumerate(value):
        item_location = location
        if len(items) == len(value):
            item_location = instance.location(items[position])
        blocks.append(make_block(item, item_location, version))
    return blocks


def network_ref(instance: Instance, attribute_name: str) -> NetworkRef:
    """How an attribute such as ``vpc_id`` names its network."""
    attribute = _attribute(instance, attribute_name)
    location = instance.location(attribute) if attribute else instance.location()
    if attribute is None:
        return NetworkRef(
            unknown=Unknown(
                reason=f"{instance.address} sets no {attribute_name}", location=location
            ),
            location=location,
        )
    value = instance.value.configured_value(attribute_name)
    if isinstance(value, Identity):
        return NetworkRef(key=value.key, location=location)
    if isinstance(value, str) and value:
        return NetworkRef(external_id=value, location=location)
    return NetworkRef(unknown=_unknown_of(value, location), location=location)


def _flag(instance: Instance, name: str, default: bool = False) -> bool | None:
    """A boolean attribute: None when it cannot be resolved."""
    if name not in instance.block.attributes:
        return default
    value = instance.value.configured_value(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    return None


def _is_set(instance: Instance, name: str) -> bool:
    """Whether the configuration sets an attribute to something other than null."""
    return name in instance.block.attributes and instance.value.configured_value(name) is not None


def _tag_name(instance: Instance) -> str | None:
    tags = _value(instance, "tags")
    if isinstance(tags, dict):
        return _string(tags.get("Name"))
    return None


def _ipv6_state(blocks: list[AddressBlock], flag_unknown: bool) -> str:
    if blocks:
        return "present"
    return "unknown" if flag_unknown else "absent"


def _provider_assigned(location: SourceLocation, reason: str) -> AddressBlock:
    return AddressBlock(
        cidr=None,
        unknown=Unknown(reason=reason, location=location),
        location=location,
        version=6,
        provider_assigned=True,
    )


def _ipv4_ipam_block(instance: Instance, **extra: Any) -> AddressBlock | None:
    """The IPv4 block an IPAM pool allocates at apply, when ``ipv4_ipam_pool_id`` is set."""
    if not _is_set(instance, "ipv4_ipam_pool_id"):
        return None
    location = instance.location(instance.block.attributes["ipv4_ipam_pool_id"])
    return AddressBlock(
        cidr=None,
        unknown=Unknown(reason="allocated from an IPAM pool at apply", location=location),
        location=location,
        version=4,
        provider_assigned=True,
        **extra,
    )


# -- AWS ---------------------------------------------------------------------------------------


def aws_vpc(instance: Instance, out: Collected) -> None:
    default_vpc = instance.block.labels[0] == "aws_default_vpc"
    ipv4: list[AddressBlock] = []
    if default_vpc:
        ipv4.append(
            AddressBlock(cidr=AWS_DEFAULT_VPC_CIDR, location=instance.location(), version=4)
        )
    else:
        block = _single_block(instance, "cidr_block", 4)
        if block is None:
            block = _ipv4_ipam_block(instance)
        if block is not None:
            ipv4.append(block)
    ipv6, flag_unknown = _aws_ipv6_blocks(instance)
    out.networks.append(
        Network(
            key=instance.key,
            address=instance.address,
            kind=instance.block.labels[0],
            provider="aws",
            location=instance.location(),
            name=_tag_name(instance),
            ipv4_blocks=tuple(ipv4),
            ipv6_blocks=tuple(ipv6),
            ipv6=_ipv6_state(ipv6, flag_unknown),
        )
    )


def _aws_ipv6_blocks(instance: Instance, **extra: Any) -> tuple[list[AddressBlock], bool]:
    blocks: list[AddressBlock] = []
    explicit = _single_block(instance, "ipv6_cidr_block", 6, **extra)
    if explicit is not None:
        blocks.append(explicit)
        return blocks, False
    generated = _flag(instance, "assign_generated_ipv6_cidr_block")
    if generated:
        attribute = instance.block.attributes["assign_generated_ipv6_cidr_block"]
        blocks.append(
            _provider_assigned(
                instance.location(attribute),
                "Amazon-provided IPv6 block, assigned by AWS at apply",
            ).model_copy(update=extra)
        )
    elif _is_set(instance, "ipv6_ipam_pool_id"):
        attribute = instance.block.attributes["ipv6_ipam_pool_id"]
        blocks.append(
            _provider_assigned(
                instance.location(attribute), "IPv6 block allocated from an IPAM pool at apply"
            ).model_copy(update=extra)
        )
    return blocks, generated is None


def aws_subnet(instance: Instance, out: Collected) -> None:
    ipv4 = _single_block(instance, "cidr_block", 4)
    ipv6 = _single_block(instance, "ipv6_cidr_block", 6)
    native = _flag(instance, "ipv6_native")
    if ipv4 is None:
        ipv4 = _ipv4_ipam_block(instance)
    out.subnets.append(
        Subnet(
            key=instance.key,
            address=instance.address,
            kind="aws_subnet",
            provider="aws",
            location=instance.location(),
            name=_tag_name(instance),
            network=network_ref(instance, "vpc_id"),
            ipv4_blocks=(ipv4,) if ipv4 is not None else (),
            ipv6_blocks=(ipv6,) if ipv6 is not None else (),
            ipv6="present" if ipv6 is not None else "absent",
            ipv6_native=bool(native),
        )
    )


def aws_ipv4_association(instance: Instance, out: Collected) -> None:
    origin = {"origin": instance.address, "origin_location": instance.location()}
    block = _single_block(instance, "cidr_block", 4, **origin)
    if block is None:
        block = _ipv4_ipam_block(instance, **origin)
    if block is not None:
        block = block.model_copy(update={"origin_kind": "aws_vpc_ipv4_cidr_block_association"})
    if block is not None:
        out.associations.append((network_ref(instance, "vpc_id"), [block], []))


def aws_ipv6_association(instance: Instance, out: Collected) -> None:
    extra = {"origin": instance.address, "origin_location": instance.location()}
    blocks, _ = _aws_ipv6_blocks(instance, **extra)
    if not blocks:
        blocks = [
            _provider_assigned(
                instance.location(), "Amazon-provided IPv6 block, assigned by AWS at apply"
            ).model_copy(update=extra)
        ]
    kind = {"origin_kind": "aws_vpc_ipv6_cidr_block_association"}
    blocks = [block.model_copy(update=kind) for block in blocks]
    out.associations.append((network_ref(instance, "vpc_id"), [], blocks))


def aws_peering(instance: Instance, out: Collected) -> None:
    out.connections.append(
        Connection(
            key=instance.key,
            address=instance.address,
            kind="aws_vpc_peering_connection",
            provider="aws",
            location=instance.location(),
            name=_tag_name(instance),
            connection_kind="vpc-peering",
            ends=(network_ref(instance, "vpc_id"), network_ref(instance, "peer_vpc_id")),
        )
    )


def aws_tgw_attachment(instance: Instance, out: Collected) -> None:
    gateway: str | None = None
    gateway_unknown: Unknown | None = None
    attribute = _attribute(instance, "transit_gateway_id")
    location = instance.location(attribute) if attribute else instance.location()
    value = instance.value.configured_value("transit_gateway_id") if attribute else None
    if isinstance(value, Identity):
        gateway = value.key
    elif isinstance(value, str) and value:
        gateway = value
    else:
        gateway_unknown = _unknown_of(value, location)
    out.attachments.append(
        Attachment(
            key=instance.key,
            address=instance.address,
            kind="aws_ec2_transit_gateway_vpc_attachment",
            provider="aws",
            location=instance.location(),
            name=_tag_name(instance),
            network=network_ref(instance, "vpc_id"),
            gateway=gateway,
            gateway_unknown=gateway_unknown,
        )
    )


# -- Azure -------------------------------------------------------------------------------------


def azure_identity(group: Any, name: Any) -> str | None:
    if isinstance(group, str) and isinstance(name, str):
        return f"azure:{group.lower()}/{name.lower()}"
    return None


def _azure_ref(instance: Instance, name_attribute: str, group_attribute: str) -> NetworkRef:
    attribute = _attribute(instance, name_attribute)
    location = instance.location(attribute) if attribute else instance.location()
    name = _value(instance, name_attribute)
    group = _value(instance, group_attribute)
    identity = azure_identity(group, name)
    if identity is not None:
        return NetworkRef(external_id=identity, location=location)
    missing = name if first_unknown(name) is not None or name is None else group
    return NetworkRef(unknown=_unknown_of(missing, location), location=location)


def _split_versions(blocks: list[AddressBlock]) -> tuple[list[AddressBlock], list[AddressBlock]]:
    ipv4 = [block for block in blocks if block.version != 6]
    ipv6 = [block for block in blocks if block.version == 6]
    return ipv4, ipv6


def _azure_prefixes(
    instance: Instance, holder: Any, location: SourceLocation
) -> list[AddressBlock]:
    """address_prefixes (list) or the older address_prefix of a subnet block or resource."""
    blocks: list[AddressBlock] = []
    if isinstance(holder, dict):
        for key in ("address_prefixes", "address_prefix"):
            value = holder.get(key)
            if value is None:
                continue
            items = value if isinstance(value, list | tuple) else [value]
            blocks.extend(make_block(item, location, None) for item in items)
    return blocks


def azure_vnet(instance: Instance, out: Collected) -> None:
    blocks = _list_blocks(instance, "address_space")
    ipv4, ipv6 = _split_versions(blocks)
    name = _value(instance, "name")
    identity = azure_identity(_value(instance, "resource_group_name"), name)
    out.networks.append(
        Network(
            key=instance.key,
            address=instance.address,
            kind="azurerm_virtual_network",
            provider="azure",
            location=instance.location(),
            name=_string(name),
            ipv4_blocks=tuple(ipv4),
            ipv6_blocks=tuple(ipv6),
            ipv6="present" if ipv6 else "absent",
            identities=(identity,) if identity else (),
        )
    )
    entries, unknown = nested_blocks(instance, "subnet")
    for position, (nested, scope) in enumerate(entries):
        value = {
            key: _evaluate_in(scope, attribute) for key, attribute in nested.attributes.items()
        }
        location = instance.location(nested)
        subnet_name = _string(value.get("name"))
        prefixes_attribute = nested.attributes.get("address_prefixes") or nested.attributes.get(
            "address_prefix"
        )
        prefix_location = instance.location(prefixes_attribute) if prefixes_attribute else location
        sub4, sub6 = _split_versions(_azure_prefixes(instance, value, prefix_location))
        label = subnet_name or str(position)
        out.subnets.append(
            Subnet(
                key=f"{instance.key}/subnet/{label}",
                address=f"{instance.address}.subnet[{label}]",
                kind="azurerm_virtual_network.subnet",
                provider="azure",
                location=location,
                name=subnet_name,
                network=NetworkRef(key=instance.key, location=location),
                ipv4_blocks=tuple(sub4),
                ipv6_blocks=tuple(sub6),
                ipv6="present" if sub6 else "absent",
            )
        )
    if unknown is not None:
        unexpanded(
            TERRAFORM["azurerm_subnet"],
            f"{instance.address}.subnet[*]",
            f"{instance.key}/subnet/*",
            unknown.unknown.location or instance.location(),
            unknown,
            out,
        )


def _evaluate_in(scope: Scope, attribute: s.Attribute) -> Any:
    return evaluate(attribute.value, scope)


def nested_blocks(
    instance: Instance, block_type: str
) -> tuple[list[tuple[s.Block, Scope]], UnknownValue | None]:
    """Nested blocks of a type, static ones and those a ``dynamic`` block generates.

    A dynamic block is expanded like Terraform does: its ``for_each`` elements are offered to
    its ``content`` as ``<iterator>.key`` and ``<iterator>.value``.
    """
    entries = [(nested, instance.scope) for nested in instance.block.nested(block_type)]
    unknown: UnknownValue | None = None
    for dynamic in instance.block.nested("dynamic"):
        if dynamic.labels != (block_type,):
            continue
        contents = dynamic.nested("content")
        for_each = dynamic.attributes.get("for_each")
        if not contents or for_each is None:
            continue
        iterator_attribute = dynamic.attributes.get("iterator")
        iterator = block_type
        if iterator_attribute is not None and isinstance(iterator_attribute.value, s.Name):
            iterator = iterator_attribute.value.name
        collection = evaluate(for_each.value, instance.scope)
        if first_unknown(collection) is not None and not isinstance(collection, dict | list):
            unknown = unknown or _relocated_unknown(collection, instance.location(for_each))
            continue
        if isinstance(collection, dict):
            pairs = [(key, collection[key]) for key in sorted(collection)]
        elif isinstance(collection, list | tuple):
            pairs = [
                (item if isinstance(collection, SetValue) else index, item)
                for index, item in enumerate(collection)
            ]
        else:
            continue
        limit = instance.scope.run.limits.max_expansion
        for key, item in pairs[:limit]:
            scope = instance.scope.with_names({iterator: {"key": key, "value": item}})
            entries.append((contents[0], scope))
    return entries, unknown


def _relocated_unknown(value: Any, location: SourceLocation) -> UnknownValue:
    return UnknownValue(_unknown_of(value, location))


def azure_subnet(instance: Instance, out: Collected) -> None:
    attribute = _attribute(instance, "address_prefixes") or _attribute(instance, "address_prefix")
    blocks: list[AddressBlock] = []
    if attribute is not None:
        blocks = _list_blocks(instance, attribute.name)
    ipv4, ipv6 = _split_versions(blocks)
    out.subnets.append(
        Subnet(
            key=instance.key,
            address=instance.address,
            kind="azurerm_subnet",
            provider="azure",
            location=instance.location(),
            name=_string(_value(instance, "name")),
            network=_azure_ref(instance, "virtual_network_name", "resource_group_name"),
            ipv4_blocks=tuple(ipv4),
            ipv6_blocks=tuple(ipv6),
            ipv6="present" if ipv6 else "absent",
        )
    )


def azure_peering(instance: Instance, out: Collected) -> None:
    local = _azure_ref(instance, "virtual_network_name", "resource_group_name")
    attribute = _attribute(instance, "remote_virtual_network_id")
    location = instance.location(attribute) if attribute else instance.location()
    value = _value(instance, "remote_virtual_network_id")
    if isinstance(value, Identity):
        remote = NetworkRef(key=value.key, location=location)
    elif isinstance(value, str) and (match := _AZURE_ID.search(value)):
        remote = NetworkRef(
            external_id=azure_identity(match["group"], match["name"]), location=location
        )
    elif isinstance(value, str) and value:
        remote = NetworkRef(external_id=value, location=location)
    else:
        remote = NetworkRef(unknown=_unknown_of(value, location), location=location)
    out.connections.append(
        Connection(
            key=instance.key,
            address=instance.address,
            kind="azurerm_virtual_network_peering",
            provider="azure",
            location=instance.location(),
            name=_string(_value(instance, "name")),
            connection_kind="vnet-peering",
            ends=(local, remote),
        )
    )


# -- GCP ---------------------------------------------------------------------------------------


def _gcp_ref(instance: Instance, attribute_name: str) -> NetworkRef:
    ref = network_ref(instance, attribute_name)
    if ref.external_id is not None:
        # A self link or id names the network by its last path segment.
        return ref.model_copy(
            update={"external_id": "gcp:" + ref.external_id.rstrip("/").split("/")[-1]}
        )
    return ref


def gcp_network(instance: Instance, out: Collected) -> None:
    auto = _flag(instance, "auto_create_subnetworks", default=True)
    name = _string(_value(instance, "name"))
    ipv4: list[AddressBlock] = []
    if auto is None:
        attribute = instance.block.attributes["auto_create_subnetworks"]
        location = instance.location(attribute)
        ipv4.append(
            AddressBlock(
                cidr=None,
                unknown=_unknown_of(
                    instance.value.configured_value("auto_create_subnetworks"), location
                ),
                location=location,
                version=4,
            )
        )
    out.networks.append(
        Network(
            key=instance.key,
            address=instance.address,
            kind="google_compute_network",
            provider="gcp",
            location=instance.location(),
            name=name,
            ipv4_blocks=tuple(ipv4),
            ipv6="absent",
            identities=(f"gcp:{name}",) if name else (),
            auto_mode=bool(auto),
        )
    )


def _reserved_range(location: SourceLocation, name: str | None) -> AddressBlock:
    """A GCP range Google allocates at apply from a reserved internal range."""
    return AddressBlock(
        cidr=None,
        unknown=Unknown(
            reason="allocated by Google from its reserved_internal_range", location=location
        ),
        location=location,
        version=4,
        origin="secondary" if name is not None else "primary",
        name=name,
        provider_assigned=True,
    )


def gcp_subnetwork(instance: Instance, out: Collected) -> None:
    primary = _single_block(instance, "ip_cidr_range", 4)
    if primary is None and _is_set(instance, "reserved_internal_range"):
        reserved = instance.block.attributes["reserved_internal_range"]
        primary = _reserved_range(instance.location(reserved), None)
    secondary: list[AddressBlock] = []
    entries, unknown = nested_blocks(instance, "secondary_ip_range")
    if unknown is not None:
        info = unknown.unknown
        location = info.location or instance.location()
        secondary.append(
            AddressBlock(cidr=None, unknown=info, location=location, origin="secondary", version=4)
        )
    for nested, scope in entries:
        attribute = nested.attributes.get("ip_cidr_range")
        reserved_range = nested.attributes.get("reserved_internal_range")
        name_attribute = nested.attributes.get("range_name")
        range_name = _string(_evaluate_in(scope, name_attribute)) if name_attribute else None
        value = _evaluate_in(scope, attribute) if attribute is not None else None
        if attribute is None or value is None or value == "":  # null is unset to the provider
            if reserved_range is not None and _evaluate_in(scope, reserved_range) is not None:
                secondary.append(_reserved_range(instance.location(reserved_range), range_name))
            continue
        secondary.append(
            make_block(
                value,
                instance.location(attribute),
                4,
                origin="secondary",
                name=range_name,
            )
        )
    stack = _value(instance, "stack_type")
    ipv6: list[AddressBlock] = []
    ipv6_state = "absent"
    if isinstance(stack, str) and stack.upper() in ("IPV4_IPV6", "IPV6_ONLY"):
        attribute = instance.block.attributes["stack_type"]
        ipv6.append(
            _provider_assigned(instance.location(attribute), "IPv6 range assigned by Google")
        )
        ipv6_state = "present"
    elif first_unknown(stack) is not None:
        ipv6_state = "unknown"
    out.subnets.append(
        Subnet(
            key=instance.key,
            address=instance.address,
            kind="google_compute_subnetwork",
            provider="gcp",
            location=instance.location(),
            name=_string(_value(instance, "name")),
            network=_gcp_ref(instance, "network"),
            ipv4_blocks=(primary,) if primary is not None else (),
            ipv6_blocks=tuple(ipv6),
            secondary_ranges=tuple(secondary),
            ipv6=ipv6_state,
            ipv6_native=isinstance(stack, str) and stack.upper() == "IPV6_ONLY",
        )
    )


def gcp_peering(instance: Instance, out: Collected) -> None:
    out.connections.append(
        Connection(
            key=instance.key,
            address=instance.address,
            kind="google_compute_network_peering",
            provider="gcp",
            location=instance.location(),
            name=_string(_value(instance, "name")),
            connection_kind="network-peering",
            ends=(_gcp_ref(instance, "network"), _gcp_ref(instance, "peer_network")),
        )
    )


# -- Claims ------------------------------------------------------------------------------------


def _nested_attribute(instance: Instance, path: str) -> tuple[s.Attribute, Scope] | None:
    """The attribute a dotted path names (``block.attribute``), with the scope to evaluate it
    in; the first nested block that sets it wins, as the provider allows only one."""
    *blocks, name = path.split(".")
    if not blocks:
        attribute = _attribute(instance, name)
        return (attribute, instance.scope) if attribute is not None else None
    entries, _ = nested_blocks(instance, blocks[0])
    for nested, scope in entries:
        attribute = nested.attributes.get(name)
        if attribute is not None:
            return attribute, scope
    return None


def _subnet_refs(instance: Instance, path: str) -> tuple[NetworkRef, ...]:
    """The subnets a list attribute such as ``vpc_config.subnet_ids`` names."""
    found = _nested_attribute(instance, path)
    if found is None:
        return ()
    attribute, scope = found
    value = _evaluate_in(scope, attribute)
    location = instance.location(attribute)
    items = value if isinstance(value, list | tuple) else [value]
    refs = []
    for item in items:
        if isinstance(item, Identity):
            refs.append(NetworkRef(key=item.key, location=location))
        elif isinstance(item, str) and item:
            refs.append(NetworkRef(external_id=item, location=location))
        else:
            refs.append(NetworkRef(unknown=_unknown_of(item, location), location=location))
    return tuple(refs)


def _claim_blocks(instance: Instance, fields: tuple[CidrField, ...]) -> list[AddressBlock]:
    """The blocks the fields hold, one per element of a list (AKS ``service_cidrs``)."""
    blocks: list[AddressBlock] = []
    for cidr in fields:
        found = _nested_attribute(instance, cidr.path)
        if found is None:
            continue
        attribute, scope = found
        value = _evaluate_in(scope, attribute)
        location = instance.location(attribute)
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is not None and item != "":
                blocks.append(make_block(item, location, cidr.version))
    return blocks


def add_claims(
    instance: Instance,
    out: Collected,
    network: NetworkRef | None,
    subnets: tuple[NetworkRef, ...] | None = None,
) -> None:
    """One Claim per range the instance's kind declares, in ``network`` or in the network of
    the subnets its declaration names (``subnets`` overrides them)."""
    kind = TERRAFORM[instance.block.labels[0]]
    if not kind.claims:
        raise TypeError(f"{kind.type} names a claim builder but declares no claim")
    for index, spec in enumerate(kind.claims):
        blocks = _claim_blocks(instance, kind.claim_fields(spec))
        addresses = [
            make_block(item, location, None)
            for address in spec.addresses
            for item, location in _address_values(instance, address)
        ]
        if not blocks and spec.default is None:
            continue  # a range left unset that the provider does not fill holds nothing
        placed_in = (
            subnets
            if subnets is not None
            else tuple(
                ref for path in spec.subnet_references for ref in _subnet_refs(instance, path)
            )
        )
        out.claims.append(
            Claim(
                # One resource, several claims: each after the first keyed by its purpose.
                key=instance.key if index == 0 else f"{instance.key}#{spec.purpose}",
                address=instance.address,
                kind=kind.type,
                provider=kind.provider,
                location=instance.location(),
                name=_string(_value(instance, "name")) or _tag_name(instance),
                purpose=spec.purpose,
                blocks=tuple(blocks),
                network=network,
                subnets=placed_in,
                collides_with=spec.collides_with,
                provider_default=not blocks and spec.default is not None,
                addresses=tuple(addresses),
            )
        )


def _address_values(instance: Instance, path: str) -> list[tuple[Any, SourceLocation]]:
    found = _nested_attribute(instance, path)
    if found is None:
        return []
    attribute, scope = found
    value = _evaluate_in(scope, attribute)
    return [(value, instance.location(attribute))] if value is not None and value != "" else []


def claim(instance: Instance, out: Collected) -> None:
    """A resource holding address space (its kind's CIDR attributes) in the network of the
    subnets or network its declaration names."""
    kind = TERRAFORM[instance.block.labels[0]]
    network = network_ref(instance, kind.references[0]) if kind.references else None
    add_claims(instance, out, network)


Builder = Callable[[Instance, Collected], None]


def build(kind: ResourceKind, instance: Instance, out: Collected) -> None:
    """Read one instance with the builder of this module its declaration names."""
    builder: Builder = globals()[kind.builder]
    builder(instance, out)


def unexpanded(
    kind: ResourceKind,
    address: str,
    key: str,
    location: SourceLocation,
    unknown: UnknownValue,
    out: Collected,
) -> None:
    """A resource whose count/for_each is unknown: one object of its role, every block Unknown
    (a claim kind: one Claim per range it declares, in no known network)."""
    info = unknown.unknown
    block = AddressBlock(cidr=None, unknown=info, location=info.location or location, version=4)
    if kind.role is Role.NETWORK:
        out.networks.append(
            Network(
                key=key,
                address=address,
                kind=kind.type,
                provider=kind.provider,
                location=location,
                ipv4_blocks=(block,),
                ipv6="unknown",
            )
        )
    elif kind.role is Role.SUBNET:
        out.subnets.append(
            Subnet(
                key=key,
                address=address,
                kind=kind.type,
                provider=kind.provider,
                location=location,
                network=NetworkRef(unknown=info, location=location),
                ipv4_blocks=(block,),
                ipv6="unknown",
            )
        )
    elif kind.role is Role.CLAIM:
        for index, spec in enumerate(kind.claims):
            out.claims.append(
                Claim(
                    key=key if index == 0 else f"{key}#{spec.purpose}",
                    address=address,
                    kind=kind.type,
                    provider=kind.provider,
                    location=location,
                    purpose=spec.purpose,
                    blocks=(block,),
                    collides_with=spec.collides_with,
                )
            )


def link_by_identity(out: Collected) -> None:
    """References by name (Azure VNet, GCP network) to a network in scope become key references."""
    identities: dict[str, str] = {}
    for network in out.networks:
        for identity in network.identities:
            identities.setdefault(identity, network.key)

    def relink(ref: NetworkRef) -> NetworkRef:
        if ref.external_id is not None and ref.external_id in identities:
            return ref.model_copy(update={"key": identities[ref.external_id], "external_id": None})
        return ref

    # Only what changes is copied: most references are by key already.
    out.subnets[:] = [
        subnet
        if (linked := relink(subnet.network)) is subnet.network
        else subnet.model_copy(update={"network": linked})
        for subnet in out.subnets
    ]
    out.connections[:] = [
        connection
        if (ends := tuple(relink(end) for end in connection.ends)) == connection.ends
        else connection.model_copy(update={"ends": ends})
        for connection in out.connections
    ]
    out.associations[:] = [(relink(ref), ipv4, ipv6) for ref, ipv4, ipv6 in out.associations]
    out.claims[:] = [
        held
        if held.network is None or (linked := relink(held.network)) is held.network
        else held.model_copy(update={"network": linked})
        for held in out.claims
    ]
