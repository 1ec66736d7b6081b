"""The next-free-block planner: aligned IPv4 blocks that overlap nothing in scope, and their split.

What counts as taken: every network (in scope, ``external-networks``, imported inventories; a GCP
auto-mode network takes 10.128.0.0/9), every subnet range (a GCP network has no block of its own),
every ``reserved-ranges`` entry and Docker's default bridge 172.17.0.0/16, which VPC205 flags.
Blocks that could not be resolved are reported, never guessed at: a proposal may still collide
with them, and the output says so.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

import netaddr

from vpclint.cidr import parse_cidr
from vpclint.models import AddressBlock, Network, Subnet, Topology
from vpclint.planning.addressmap import DOCKER_BRIDGE, network_space
from vpclint.subnetting import (
    Block,
    PlanError,
    cloudformation_expressions,
    split_block,
    terraform_all,
    terraform_expression,
)

RFC1918 = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")


@dataclass(frozen=True)
class Taken:
    """An IPv4 range a proposal must not overlap, and what holds it."""

    network: netaddr.IPNetwork
    holder: str
    kind: Literal["network", "subnet", "reserved"]


@dataclass(frozen=True)
class Unresolved:
    resource: str
    reason: str


@dataclass(frozen=True)
class PlannedSubnet:
    cidr: Block
    terraform: str  # cidrsubnet("10.0.0.0/20", 2, 0)
    cloudformation: str  # !Select [0, !Cidr ["10.0.0.0/20", 4, 10]]


@dataclass(frozen=True)
class Proposal:
    block: netaddr.IPNetwork
    subnets: tuple[PlannedSubnet, ...] = ()
    terraform_all: str | None = None  # cidrsubnets("10.0.0.0/20", 2, 2, 4, 4)


@dataclass(frozen=True)
class Plan:
    prefix: int
    within: tuple[netaddr.IPNetwork, ...]
    count: int
    proposals: tuple[Proposal, ...]
    taken: tuple[Taken, ...]
    unresolved: tuple[Unresolved, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return len(self.proposals) == self.count


def parse_space(text: str) -> netaddr.IPNetwork:
    network = parse_cidr(text)
    if network is None or network.version != 4:
        raise PlanError(f"{text!r} is not an IPv4 CIDR such as 10.0.0.0/8")
    if network.ip != network.network:
        raise PlanError(f"{text!r} has host bits set; did you mean {network.cidr}?")
    return network


def _known_ipv4(blocks: Sequence[AddressBlock]) -> Iterator[netaddr.IPNetwork]:
    for block in blocks:
        network = block.network
        if network is not None and network.version == 4:
            yield network.cidr


def _unresolved_ipv4(
    resource: Network | Subnet, blocks: Sequence[AddressBlock]
) -> list[Unresolved]:
    found = []
    for block in blocks:
        if block.version == 6 or block.network is not None:
            continue
        if block.cidr is not None and ":" in block.cidr:
            continue
        reason = block.unknown.reason if block.unknown else f"{block.cidr!r} is not a valid CIDR"
        found.append(Unresolved(resource=resource.address, reason=reason))
    return found


def taken_space(topology: Topology) -> tuple[list[Taken], list[Unresolved]]:
    """Everything a new block must avoid, and the blocks nobody can tell about."""
    taken: list[Taken] = []
    unresolved: list[Unresolved] = []
    for network in topology.networks:
        holder = network.address
        if network.repository and not network.address.startswith(f"{network.repository}:"):
            holder = f"{network.repository}:{network.address}"
        taken.extend(Taken(block, holder, "network") for block in network_space(network))
        unresolved.extend(_unresolved_ipv4(network, network.ipv4_blocks))
    for subnet in topology.subnets:
        blocks = subnet.all_ipv4_blocks
        taken.extend(Taken(block, subnet.address, "subnet") for block in _known_ipv4(blocks))
        unresolved.extend(_unresolved_ipv4(subnet, blocks))
    for label, cidrs in topology.reserved_ranges.items():
        for cidr in cidrs:
            reserved = parse_cidr(cidr)
            if reserved is not None and reserved.version == 4:
                taken.append(Taken(reserved.cidr, f"reserved-ranges {label}", "reserved"))
    taken.append(Taken(netaddr.IPNetwork(DOCKER_BRIDGE), "Docker's default bridge", "reserved"))
    return taken, unresolved


def free_aligned(
    spaces: Sequence[netaddr.IPNetwork], taken: Sequence[netaddr.IPNetwork], prefix: int
) -> Iterator[netaddr.IPNetwork]:
    """Aligned /prefix blocks of the spaces, in the spaces' order then by address, that overlap
    nothing taken. Lazy: asking for the first few of 10.0.0.0/8 in /28s costs only those few."""
    occupied = netaddr.IPSet(taken)
    seen: set[netaddr.IPNetwork] = set()
    for space in spaces:
        if space.prefixlen > prefix:
            continue
        for gap in (netaddr.IPSet([space]) - occupied).iter_cidrs():
            if gap.prefixlen > prefix:
                continue
            for block in gap.subnet(prefix):
                if block not in seen:
                    seen.add(block)
                    yield block


def make_plan(
    topology: Topology,
    prefix: int,
    within: Sequence[netaddr.IPNetwork] = (),
    count: int = 1,
    subnet_prefixes: Sequence[int] = (),
) -> Plan:
    spaces = tuple(within) or tuple(netaddr.IPNetwork(cidr) for cidr in RFC1918)
    if subnet_prefixes:
        # Checked once on a block of the size asked for, so a bad split is an error even when no
        # block is free.
        split_block(ipaddress.ip_network(f"0.0.0.0/{prefix}"), subnet_prefixes)
    taken, unresolved = taken_space(topology)
    proposals: list[Proposal] = []
    for block in free_aligned(spaces, [item.network for item in taken], prefix):
        if len(proposals) == count:
            break
        if subnet_prefixes:
            parent = ipaddress.ip_network(str(block))
            subnets = split_block(parent, subnet_prefixes)
            planned = tuple(
                PlannedSubnet(subnet, terraform_expression(parent, subnet), expression)
                for subnet, expression in zip(
                    subnets, cloudformation_expressions(parent, subnets), strict=True
                )
            )
            proposals.append(Proposal(block, planned, terraform_all(parent, subnets)))
        else:
            proposals.append(Proposal(block))
    return Plan(
        prefix=prefix,
        within=spaces,
        count=count,
        proposals=tuple(proposals),
        taken=tuple(taken),
        unresolved=tuple(unresolved),
    )
