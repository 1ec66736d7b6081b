"""The next-free-block planner: aligned IPv4 blocks that overlap nothing in scope, and their split.

What counts as taken: every network (in scope, ``external-networks``, imported inventories; a GCP
auto-mode network takes 10.128.0.0/9), every subnet range (a GCP network has no block of its own),
every ``reserved-ranges`` entry and Docker's default bridge 172.17.0.0/16, which VPC205 flags.
Blocks that could not be resolved are reported, never guessed at: a proposal may still collide
with them, and the output says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

import netaddr

from vpclint.cidr import parse_cidr
from vpclint.models import AddressBlock, Network, Subnet, Topology
from vpclint.planning.addressmap import DOCKER_BRIDGE, network_space

RFC1918 = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
# Fn::Cidr creates at most 256 blocks per call.
FN_CIDR_MAX_COUNT = 256


class PlanError(ValueError):
    """A request the planner cannot meet as asked (bad prefix, subnets larger than the block)."""


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
    cidr: netaddr.IPNetwork
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


def parse_prefix(text: str) -> int:
    """``/20`` or ``20`` as a prefix length."""
    match = re.fullmatch(r"/?(\d{1,2})", text.strip())
    if not match or int(match.group(1)) > 32:
        raise PlanError(f"{text!r} is not an IPv4 prefix length such as /20")
    return int(match.group(1))


def parse_space(text: str) -> netaddr.IPNetwork:
    network = parse_cidr(text)
    if network is None or network.version != 4:
        raise PlanError(f"{text!r} is not an IPv4 CIDR such as 10.0.0.0/8")
    if network.ip != network.network:
        raise PlanError(f"{text!r} has host bits set; did you mean {network.cidr}?")
    return network


def parse_subnet_spec(text: str) -> list[int]:
    """``4x/22,2x/24`` (or ``/24``) as one prefix length per subnet."""
    prefixes: list[int] = []
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        match = re.fullmatch(r"(?:(\d+)\s*[xX*]\s*)?/?(\d{1,2})", part)
        if not match:
            raise PlanError(f"{part!r} is not COUNTx/PREFIX (e.g. 4x/22)")
        count = int(match.group(1) or 1)
        prefix = int(match.group(2))
        if count < 1 or prefix > 32:
            raise PlanError(f"{part!r} is not COUNTx/PREFIX (e.g. 4x/22)")
        if count > 65536:
            raise PlanError(f"{part!r}: at most 65536 subnets of one size")
        prefixes.extend([prefix] * count)
    if not prefixes:
        raise PlanError(f"{text!r} names no subnets (e.g. 4x/22,2x/24)")
    return prefixes


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


def split_block(block: netaddr.IPNetwork, prefixes: Sequence[int]) -> list[netaddr.IPNetwork]:
    """Subnets of the given sizes, largest first, packed from the start of the block.

    Placing sizes in decreasing order keeps every subnet aligned with no gap before it (each
    start is a sum of larger powers of two), which is also what Terraform's cidrsubnets() does.
    """
    ordered = sorted(prefixes)
    too_big = [prefix for prefix in ordered if prefix < block.prefixlen]
    if too_big:
        raise PlanError(f"a /{too_big[0]} subnet does not fit in a /{block.prefixlen} block")
    needed = sum(2 ** (32 - prefix) for prefix in ordered)
    if needed > block.size:
        raise PlanError(
            f"the subnets need {needed:,} addresses; a /{block.prefixlen} block has {block.size:,}"
        )
    subnets = []
    start = int(block.first)
    for prefix in ordered:
        subnets.append(netaddr.IPNetwork(f"{netaddr.IPAddress(start)}/{prefix}"))
        start += 2 ** (32 - prefix)
    return subnets


def terraform_expression(block: netaddr.IPNetwork, subnet: netaddr.IPNetwork) -> str:
    newbits = subnet.prefixlen - block.prefixlen
    netnum = (int(subnet.first) - int(block.first)) >> (32 - subnet.prefixlen)
    return f'cidrsubnet("{block}", {newbits}, {netnum})'


def terraform_all(block: netaddr.IPNetwork, subnets: Sequence[netaddr.IPNetwork]) -> str:
    newbits = ", ".join(str(subnet.prefixlen - block.prefixlen) for subnet in subnets)
    return f'cidrsubnets("{block}", {newbits})'


def cloudformation_expressions(
    block: netaddr.IPNetwork, subnets: Sequence[netaddr.IPNetwork]
) -> list[str]:
    """``!Select [i, !Cidr [block, count, hostbits]]`` per subnet; subnets of one size share one
    Fn::Cidr call. Fn::Cidr makes at most 256 blocks, so a subnet further in than that is
    selected from its own aligned parent block instead."""
    last_index: dict[int, int] = {}
    for subnet in subnets:
        index = (int(subnet.first) - int(block.first)) >> (32 - subnet.prefixlen)
        last_index[subnet.prefixlen] = max(last_index.get(subnet.prefixlen, 0), index)
    expressions = []
    for subnet in subnets:
        host_bits = 32 - subnet.prefixlen
        parent = block
        count = last_index[subnet.prefixlen] + 1
        if count > FN_CIDR_MAX_COUNT:
            parent = subnet.supernet(max(subnet.prefixlen - 8, block.prefixlen))[0]
            count = 2 ** (subnet.prefixlen - parent.prefixlen)
        index = (int(subnet.first) - int(parent.first)) >> host_bits
        expressions.append(f'!Select [{index}, !Cidr ["{parent}", {count}, {host_bits}]]')
    return expressions


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
        split_block(netaddr.IPNetwork(f"0.0.0.0/{prefix}"), subnet_prefixes)
    taken, unresolved = taken_space(topology)
    proposals: list[Proposal] = []
    for block in free_aligned(spaces, [item.network for item in taken], prefix):
        if len(proposals) == count:
            break
        if subnet_prefixes:
            subnets = split_block(block, subnet_prefixes)
            planned = tuple(
                PlannedSubnet(subnet, terraform_expression(block, subnet), expression)
                for subnet, expression in zip(
                    subnets, cloudformation_expressions(block, subnets), strict=True
                )
            )
            proposals.append(Proposal(block, planned, terraform_all(block, subnets)))
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
