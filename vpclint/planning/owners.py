"""Who holds an address or a block (``vpclint which``): every network block and subnet range in
scope, external networks and imported inventories included, that contains it or lies within it.

A holder is a block with its resource, its file and line and its root (the Terraform root
module, the CloudFormation template, the inventory's repository): a network's block, a subnet's
range, or a claim's (a cluster's service range, the provider's default one included). Blocks
nobody could resolve are listed apart: they may hold the query too, and nothing says they do not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import netaddr

from vpclint.planning.addressmap import GCP_AUTO_MODE_SPACE
from vpclint.planning.subnetting import Block
from vpclint.topology.models import AddressBlock, Claim, Network, SourceLocation, Subnet, Topology

Relation = Literal["equal", "contains", "within"]
HolderKind = Literal["network", "subnet", "claim"]
Holding = Network | Subnet | Claim


@dataclass(frozen=True)
class Holder:
    relation: Relation  # how the holder's block stands to the query
    cidr: str  # the holder's block, canonical
    kind: HolderKind
    resource: str  # address (inventories: repository:address)
    resource_type: str  # aws_vpc, AWS::EC2::Subnet, ...
    provider: str
    origin: str  # primary, secondary, IPv6, a GCP secondary range's name, auto mode
    file: str
    line: int
    root: str
    external: bool


@dataclass(frozen=True)
class Unresolved:
    kind: HolderKind
    resource: str
    file: str
    line: int
    root: str
    reason: str


@dataclass(frozen=True)
class Owners:
    query: Block
    holders: tuple[Holder, ...]
    unresolved: tuple[Unresolved, ...]


def root_of(resource: Holding) -> str:
    """The Terraform root module folder or CloudFormation template a resource was evaluated in
    (the part of its key before ``::``), the repository of an inventory's network, or
    ``external-networks`` for one declared in the configuration."""
    if isinstance(resource, Network) and resource.repository:
        return resource.repository
    return "external-networks" if resource.root == "external" else resource.root


@dataclass(frozen=True)
class _Known:
    resource: Holding
    kind: HolderKind
    network: netaddr.IPNetwork
    origin: str
    location: SourceLocation


def _blocks(topology: Topology, version: int) -> Iterator[tuple[Holding, HolderKind, AddressBlock]]:
    for network in topology.networks:
        for block in network.ipv4_blocks if version == 4 else network.ipv6_blocks:
            yield network, "network", block
    for subnet in topology.subnets:
        for block in subnet.all_ipv4_blocks if version == 4 else subnet.ipv6_blocks:
            yield subnet, "subnet", block
    for claim in topology.claims:
        for block in topology.claim_blocks(claim):
            family = block.version or (6 if block.cidr and ":" in block.cidr else 4)
            if family == version:
                yield claim, "claim", block


def _known_and_unresolved(
    topology: Topology, version: int
) -> tuple[list[_Known], list[Unresolved]]:
    known: list[_Known] = []
    unresolved: list[Unresolved] = []
    for resource, kind, block in _blocks(topology, version):
        if block.network is not None:
            origin = block.name or block.origin
            origin = f"IPv6 {origin}" if version == 6 else origin
            known.append(_Known(resource, kind, block.network.cidr, origin, block.location))
        elif block.cidr is None or (":" in block.cidr) == (version == 6):
            reason = block.unknown.reason if block.unknown else f"{block.cidr!r} is not a CIDR"
            unresolved.append(
                Unresolved(
                    kind,
                    resource.address,
                    block.location.file,
                    block.location.line,
                    root_of(resource),
                    reason,
                )
            )
    if version == 4:
        auto_mode = netaddr.IPNetwork(GCP_AUTO_MODE_SPACE)
        known.extend(
            _Known(network, "network", auto_mode, "auto mode", network.location)
            for network in topology.networks
            if network.auto_mode
        )
    return known, unresolved


def _relation(holder: netaddr.IPNetwork, query: Block) -> Relation | None:
    first, last = int(holder.first), int(holder.last)
    query_first, query_last = int(query.network_address), int(query.broadcast_address)
    if (first, last) == (query_first, query_last):
        return "equal"
    if first <= query_first and query_last <= last:
        return "contains"
    if query_first <= first and last <= query_last:
        return "within"
    return None


def find_owners(topology: Topology, query: Block) -> Owners:
    """Every known block that is, contains or lies within ``query``: those around it first, from
    the widest in (networks before their subnets), then those within it by address."""
    known, unresolved = _known_and_unresolved(topology, query.version)
    holders: list[tuple[tuple[object, ...], Holder]] = []
    for item in known:
        relation = _relation(item.network, query)
        if relation is None:
            continue
        resource = item.resource
        holder = Holder(
            relation=relation,
            cidr=str(item.network),
            kind=item.kind,
            resource=resource.address,
            resource_type=resource.kind,
            provider=resource.provider,
            origin=item.origin,
            file=item.location.file,
            line=item.location.line,
            root=root_of(resource),
            external=isinstance(resource, Network) and resource.external,
        )
        within = relation == "within"
        order = (
            within,
            int(item.network.first) if within else 0,
            item.network.prefixlen,
            item.kind != "network",
            holder.file,
            holder.line,
        )
        holders.append((order, holder))
    holders.sort(key=lambda entry: entry[0])
    return Owners(query, tuple(holder for _, holder in holders), tuple(unresolved))
