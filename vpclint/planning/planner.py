"""The next-free-block planner: aligned blocks that overlap nothing in scope, and their split.

A plan is of one IP version, that of the spaces searched (default the RFC 1918 ranges). What
counts as taken: every network block of that version (in scope, ``external-networks``, imported
inventories; in IPv4 a GCP auto-mode network takes 10.128.0.0/9), every subnet range (a GCP
network has no IPv4 block of its own), every ``reserved-ranges`` entry, and in IPv4 Docker's
default bridge 172.17.0.0/16, which VPC205 flags. Blocks that could not be resolved are reported,
never guessed at: a proposal may still collide with them, and the output says so.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

import netaddr

from vpclint.planning.addressmap import DOCKER_BRIDGE, network_space
from vpclint.planning.subnetting import (
    Block,
    PlanError,
    cloudformation_expressions,
    split_block,
    terraform_all,
    terraform_expression,
    width,
)
from vpclint.topology.cidr import parse_cidr
from vpclint.topology.models import AddressBlock, Network, Subnet, Topology

RFC1918 = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")


@dataclass(frozen=True)
class Taken:
    """A range a proposal must not overlap, and what holds it."""

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
    inside: tuple[Taken, ...] = ()  # the networks holding a searched space: their subnets go there

    @property
    def complete(self) -> bool:
        return len(self.proposals) == self.count

    @property
    def version(self) -> int:
        return int(self.within[0].version)


def parse_space(text: str) -> netaddr.IPNetwork:
    network = parse_cidr(text)
    if network is None:
        raise PlanError(f"{text!r} is not a CIDR such as 10.0.0.0/8 or fd12:3456:789a::/48")
    if network.ip != network.network:
        raise PlanError(f"{text!r} has host bits set; did you mean {network.cidr}?")
    return network


def plan_version(within: Sequence[netaddr.IPNetwork]) -> int:
    """The IP version of a plan: that of its spaces, which must agree (IPv4 without any)."""
    versions = {int(space.version) for space in within} or {4}
    if len(versions) > 1:
        raise PlanError("--within mixes IPv4 and IPv6 spaces; plan one IP version at a time")
    return versions.pop()


def _known(blocks: Sequence[AddressBlock], version: int) -> Iterator[netaddr.IPNetwork]:
    for block in blocks:
        network = block.network
        if network is not None and network.version == version:
            yield network.cidr


def _unresolved(
    resource: Network | Subnet, blocks: Sequence[AddressBlock], version: int
) -> list[Unresolved]:
    found = []
    for block in blocks:
        if block.network is not None or block.version not in (None, version):
            continue
        if block.cidr is not None and (":" in block.cidr) != (version == 6):
            continue
        reason = block.unknown.reason if block.unknown else f"{block.cidr!r} is not a valid CIDR"
        found.append(Unresolved(resource=resource.address, reason=reason))
    return found


def taken_space(topology: Topology, version: int = 4) -> tuple[list[Taken], list[Unresolved]]:
    """Everything a new block of that IP version must avoid, and the blocks nobody can tell
    about."""
    taken: list[Taken] = []
    unresolved: list[Unresolved] = []
    for network in topology.networks:
        holder = network.address
        if network.repository and not network.address.startswith(f"{network.repository}:"):
            holder = f"{network.repository}:{network.address}"
        blocks = network.ipv4_blocks if version == 4 else network.ipv6_blocks
        space = network_space(network) if version == 4 else _known(blocks, 6)
        taken.extend(Taken(block, holder, "network") for block in space)
        unresolved.extend(_unresolved(network, blocks, version))
    for subnet in topology.subnets:
        blocks = subnet.all_ipv4_blocks if version == 4 else subnet.ipv6_blocks
        taken.extend(Taken(block, subnet.address, "subnet") for block in _known(blocks, version))
        unresolved.extend(_unresolved(subnet, blocks, version))
    for label, cidrs in topology.reserved_ranges.items():
        for cidr in cidrs:
            reserved = parse_cidr(cidr)
            if reserved is not None and reserved.version == version:
                taken.append(Taken(reserved.cidr, f"reserved-ranges {label}", "reserved"))
    if version == 4:
        bridge = netaddr.IPNetwork(DOCKER_BRIDGE)
        taken.append(Taken(bridge, "Docker's default bridge", "reserved"))
    return taken, unresolved


def hosts_of(space: netaddr.IPNetwork, taken: Sequence[Taken]) -> list[Taken]:
    """The network blocks that hold a searched space: searching inside a network places its
    subnets, so its own block is where they go, not an obstacle (its subnets still are)."""
    return [
        item
        for item in taken
        if item.kind == "network"
        and item.network.first <= space.first <= space.last <= item.network.last
    ]


def free_aligned(
    spaces: Sequence[netaddr.IPNetwork], taken: Sequence[Taken], prefix: int, inside: bool
) -> Iterator[netaddr.IPNetwork]:
    """Aligned /prefix blocks of the spaces, in the spaces' order then by address, that overlap
    nothing taken (with ``inside``, nothing but the networks holding the space). Lazy: asking
    for the first few of 10.0.0.0/8 in /28s costs only those few."""
    everything = netaddr.IPSet(item.network for item in taken)
    seen: set[netaddr.IPNetwork] = set()
    for space in spaces:
        if space.prefixlen > prefix:
            continue
        hosts = hosts_of(space, taken) if inside else []
        occupied = everything
        if hosts:
            occupied = netaddr.IPSet(item.network for item in taken if item not in hosts)
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
    version = plan_version(spaces)
    if prefix > width(version):
        raise PlanError(f"/{prefix} is longer than an IPv{version} address")
    if subnet_prefixes:
        # Checked once on a block of the size asked for, so a bad split is an error even when no
        # block is free.
        zero = "0.0.0.0" if version == 4 else "::"
        split_block(ipaddress.ip_network(f"{zero}/{prefix}"), subnet_prefixes)
    taken, unresolved = taken_space(topology, version)
    proposals: list[Proposal] = []
    # Only a space named with --within is searched inside the networks holding it: the default
    # RFC 1918 spaces are where new networks go.
    inside = bool(within)
    for block in free_aligned(spaces, taken, prefix, inside):
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
        inside=tuple(host for space in within for host in hosts_of(space, taken)),
    )
