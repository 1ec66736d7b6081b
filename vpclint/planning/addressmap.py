"""The address map: per network its blocks, subnets in address order, utilisation and free space.

Built from a topology and the findings of a lint run; the terminal, JSON and HTML renderers all
draw this one model, and its pydantic classes are the documented JSON schema
(``docs/map.schema.json``). Only IPv4 is measured (utilisation, free gaps): IPv6 blocks are
listed, but a /56 cut into /64s has no shortage worth drawing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any, Literal

import netaddr
from pydantic import BaseModel, ConfigDict, Field

from vpclint import __version__
from vpclint.topology.cidr import (
    Interval,
    contains,
    free_blocks,
    overlapping_pairs,
    parse_cidr,
    usable_hosts,
)
from vpclint.topology.kinds import PROVIDERS
from vpclint.topology.models import AddressBlock, Finding, Network, Subnet, Topology

MAP_VERSION: Literal["1"] = "1"
# Overlaps listed per subnet range and per network; the rest are counted (``more_overlaps``), as
# VPC202 and VPC204 cap their findings: a thousand copies of one CIDR would list a million pairs.
OVERLAPS_LISTED = 10

GCP_AUTO_MODE_SPACE = "10.128.0.0/9"
# VPC205 flags it too: containers on a host in such a network cannot reach it.
DOCKER_BRIDGE = "172.17.0.0/16"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MapFinding(_Out):
    """An unsuppressed finding of the lint run that involves this network or subnet."""

    code: str
    severity: Literal["error", "warning", "info"]
    message: str


class MapBlock(_Out):
    """One address block of a network (primary or associated)."""

    cidr: str | None = Field(description="The block, canonical; null when unresolved")
    version: Literal[4, 6]
    origin: str = Field(description="primary, secondary, or the association resource's address")
    size: int | None = Field(description="Number of addresses; null when unresolved")
    file: str
    line: int
    unknown: str | None = Field(None, description="Why the block could not be resolved")


class MapSubnet(_Out):
    """A subnet range: a subnet's IPv4 block or a GCP secondary range, in address order."""

    address: str = Field(description="Terraform address or CloudFormation logical ID")
    name: str | None
    range: str | None = Field(None, description="GCP secondary range name; null for the primary")
    cidr: str | None = Field(description="Canonical CIDR; null when unresolved")
    size: int | None = Field(description="Number of addresses")
    usable: int | None = Field(
        description="Addresses left for hosts after the provider's reserved ones "
        "(AWS and Azure 5, GCP 4, GCP secondary ranges 0)"
    )
    ipv6: list[str] = Field(default_factory=list, description="The subnet's IPv6 blocks")
    file: str
    line: int
    inside: bool | None = Field(
        description="Whether the range lies inside one of the network's blocks; null when "
        "unresolved or when the network has no blocks (GCP custom mode)"
    )
    overlaps: list[str] = Field(
        default_factory=list,
        description="Addresses of other subnet ranges of the network it overlaps (at most 10, in "
        "address order)",
    )
    more_overlaps: int = Field(
        0, description="How many more subnet ranges it overlaps than `overlaps` lists"
    )
    findings: list[MapFinding] = Field(default_factory=list)
    unknown: str | None = Field(None, description="Why the range could not be resolved")


class MapClaim(_Out):
    """Address space a resource of the network holds without being a subnet: a Kubernetes
    service range, a VPN client pool."""

    address: str = Field(description="Terraform address or CloudFormation logical ID")
    kind: str = Field(description="Resource type, e.g. aws_eks_cluster")
    purpose: str = Field(description="What the space is for, e.g. Kubernetes service range")
    cidr: str | None = Field(description="The block as resolved; null when unresolved")
    provider_default: bool = Field(
        False, description="The resource sets no range: this is the provider's default"
    )
    file: str
    line: int
    unknown: str | None = Field(None, description="Why the block could not be resolved")


class MapFree(_Out):
    """A free gap: the largest aligned CIDR not covered by any subnet range."""

    cidr: str
    size: int
    block: str = Field(description="The network block the gap belongs to")


class MapNetworkOverlap(_Out):
    """Another network (in scope, external or from an inventory) or a reserved range that shares
    addresses with this network."""

    cidr: str = Field(description="This network's block")
    other: str = Field(
        description="The other network's address, or the reserved range's label (the "
        "reserved-ranges key, or Docker's default bridge)"
    )
    reserved: bool = Field(False, description="Whether `other` is a reserved range")
    other_cidr: str
    other_file: str | None = Field(None, description="Where the other network is declared")
    other_repository: str | None = None


class MapNetwork(_Out):
    address: str = Field(description="Terraform address or CloudFormation logical ID")
    name: str | None
    kind: str
    provider: Literal["aws", "azure", "gcp"]
    file: str
    line: int
    external: bool = Field(description="From external-networks or an imported inventory")
    repository: str | None = Field(description="For imported networks: their repository")
    ipv4: list[MapBlock]
    ipv6: list[MapBlock]
    size: int = Field(description="IPv4 addresses in the network's resolved blocks")
    used: int = Field(description="Of those, addresses covered by subnet ranges")
    utilization: float | None = Field(description="used / size; null when size is 0")
    subnets: list[MapSubnet] = Field(description="Subnet ranges in address order, unresolved last")
    free: list[MapFree] = Field(description="Free gaps in address order, as largest aligned CIDRs")
    claims: list[MapClaim] = Field(
        default_factory=list, description="Address space held by the network's other resources"
    )
    overlaps: list[MapNetworkOverlap] = Field(
        default_factory=list, description="Overlapping networks and reserved ranges (at most 10)"
    )
    more_overlaps: int = Field(0, description="How many more overlaps there are than listed")
    findings: list[MapFinding] = Field(default_factory=list)


class MapSummary(_Out):
    networks: int
    subnets: int
    unresolved: int = Field(description="Blocks and subnet ranges that could not be resolved")
    findings: dict[str, int] = Field(description="Unsuppressed findings per code")


class MapTool(_Out):
    name: Literal["vpclint"] = "vpclint"
    version: str


class AddressMap(_Out):
    """The address map of a project (``vpclint map --format json``)."""

    version: Literal["1"] = Field(MAP_VERSION, description="Schema version of this document")
    tool: MapTool = Field(default_factory=lambda: MapTool(version=__version__))
    networks: list[MapNetwork]
    summary: MapSummary


def map_schema() -> dict[str, Any]:
    """The JSON Schema of ``vpclint map --format json`` (published as docs/map.schema.json)."""
    schema = AddressMap.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://github.com/vpclint/vpclint/blob/main/docs/map.schema.json"
    return schema


# ---------------------------------------------------------------------------------------------


class _FindingIndex:
    """Which unsuppressed findings name a resource, as subject or as a related party.

    Findings carry addresses, not objects; an address is unique within a file, so the file
    decides only when several resources share one address (two root modules, two templates).
    """

    def __init__(
        self,
        findings: Iterable[Finding],
        resources: Iterable[Network | Subnet],
        topology: Topology,
    ) -> None:
        self._topology = topology
        self._by_address: dict[str, list[tuple[Finding, str]]] = {}
        for finding in findings:
            if finding.suppressed is not None:
                continue
            if finding.resource is not None:
                self._by_address.setdefault(finding.resource, []).append((finding, finding.file))
            for related in finding.related:
                if related.resource is not None:
                    self._by_address.setdefault(related.resource, []).append(
                        (finding, related.file)
                    )
        self._shared: set[str] = set()
        seen: set[str] = set()
        for resource in resources:
            address = topology.display_address(resource)
            if address in seen:
                self._shared.add(address)
            seen.add(address)

    def display_address(self, resource: Network | Subnet) -> str:
        return self._topology.display_address(resource)

    def of(self, resource: Network | Subnet) -> list[MapFinding]:
        files = {resource.location.file}
        files.update(block.location.file for block in _blocks(resource))
        marks: dict[tuple[str, str], MapFinding] = {}
        address = self._topology.display_address(resource)
        for finding, file in self._by_address.get(address, []):
            if address in self._shared and file not in files:
                continue
            marks.setdefault(
                (finding.code, finding.message),
                MapFinding(
                    code=finding.code, severity=finding.severity.value, message=finding.message
                ),
            )
        return sorted(marks.values(), key=lambda mark: (mark.code, mark.message))


def _blocks(resource: Network | Subnet) -> tuple[AddressBlock, ...]:
    if isinstance(resource, Subnet):
        return resource.ipv4_blocks + resource.ipv6_blocks + resource.secondary_ranges
    return resource.ipv4_blocks + resource.ipv6_blocks


def _canonical(block: AddressBlock) -> netaddr.IPNetwork | None:
    network = block.network
    return network.cidr if network is not None else None


def _unknown_reason(block: AddressBlock) -> str:
    if block.unknown is not None:
        return block.unknown.reason
    return f"{block.cidr!r} is not a valid CIDR"


def _map_block(block: AddressBlock, version: Literal[4, 6]) -> MapBlock:
    network = _canonical(block)
    return MapBlock(
        cidr=str(network) if network is not None else None,
        version=version,
        origin=block.origin,
        size=int(network.size) if network is not None else None,
        file=block.location.file,
        line=block.location.line,
        unknown=None if network is not None else _unknown_reason(block),
    )


def network_space(network: Network) -> list[netaddr.IPNetwork]:
    """The IPv4 space a network occupies: its resolved blocks, or 10.128.0.0/9 in GCP auto mode."""
    space = [block for block in map(_canonical, network.ipv4_blocks) if block is not None]
    if network.auto_mode:
        space.append(netaddr.IPNetwork(GCP_AUTO_MODE_SPACE))
    return space


Span = tuple[int, int, int]  # IP version, first address, last address


def _span(network: netaddr.IPNetwork) -> Span:
    return (int(network.version), int(network.first), int(network.last))


class _Sweep:
    """Which inputs overlap which, kept per distinct range rather than per pair.

    A sweep over a thousand copies of one CIDR finds half a million pairs; grouped by range, it
    runs over distinct ranges only (CIDRs that nest or are disjoint). An input's partners, itself
    included, come in sweep order (by address, then input order), as ``overlapping_pairs`` pairs
    them, so that the listed ones are the same as when every pair was listed."""

    def __init__(self, spans: Sequence[Span]) -> None:
        self.spans = spans
        order = sorted(range(len(spans)), key=lambda index: (*spans[index][:2], index))
        self.position = [0] * len(spans)
        self.groups: dict[Span, list[int]] = {}
        for position, index in enumerate(order):
            self.position[index] = position
            self.groups.setdefault(spans[index], []).append(index)
        self.neighbours: dict[Span, list[Span]] = {span: [span] for span in self.groups}
        intervals = [Interval(*span, span) for span in self.groups]
        for first, second in overlapping_pairs(intervals):
            self.neighbours[first].append(second)
            self.neighbours[second].append(first)
        self.merged: dict[Span, list[int]] = {}

    def partners(self, index: int) -> list[int]:
        """The inputs that overlap input ``index``, itself included, in sweep order."""
        span = self.spans[index]
        merged = self.merged.get(span)
        if merged is None:
            merged = [member for other in self.neighbours[span] for member in self.groups[other]]
            merged.sort(key=self.position.__getitem__)
            self.merged[span] = merged
        return merged

    def overlap(self, first: int, second: int) -> bool:
        mine, theirs = self.spans[first], self.spans[second]
        return mine[0] == theirs[0] and mine[1] <= theirs[2] and theirs[1] <= mine[2]

    def pair_order(self, first: int, second: int) -> tuple[int, int]:
        """Where the sweep finds a pair: at its later input, then by the earlier one."""
        positions = self.position[first], self.position[second]
        return max(positions), min(positions)


class _Range:
    """One subnet range while the map is built."""

    def __init__(self, subnet: Subnet, block: AddressBlock, secondary: bool) -> None:
        self.subnet = subnet
        self.block = block
        self.secondary = secondary
        self.network = _canonical(block)
        self.overlaps: list[str] = []
        self.more_overlaps = 0

    @property
    def version(self) -> int:
        if self.network is not None:
            return int(self.network.version)
        return self.block.version or 4

    @property
    def label(self) -> str:
        if self.secondary and self.block.name:
            return f"{self.subnet.address} ({self.block.name})"
        return self.subnet.address


def _ranges(subnets: Sequence[Subnet]) -> list[_Range]:
    ranges = [
        _Range(subnet, block, secondary)
        for subnet in subnets
        # An IPv6-only subnet's range is its IPv6 block: otherwise it would not be shown at all.
        for blocks, secondary in (
            (subnet.ipv4_blocks or subnet.ipv6_blocks, False),
            (subnet.secondary_ranges, True),
        )
        for block in blocks
    ]
    located = [(entry.network, entry) for entry in ranges if entry.network is not None]
    located.sort(key=lambda pair: (int(pair[0].first), int(pair[0].prefixlen)))
    known = [entry for _, entry in located]
    unknown = [entry for entry in ranges if entry.network is None]
    unknown.sort(key=lambda entry: (entry.subnet.address, entry.block.name or ""))
    sweep = _Sweep([_span(network) for network, _ in located])
    for position, entry in enumerate(known):
        partners = sweep.partners(position)
        listed = 0
        for other in partners:
            if other != position:
                entry.overlaps.append(known[other].label)
                listed += 1
                if listed == OVERLAPS_LISTED:
                    break
        entry.more_overlaps = len(partners) - 1 - listed
    return known + unknown


def _map_subnet(
    entry: _Range, space: Sequence[netaddr.IPNetwork], index: _FindingIndex
) -> MapSubnet:
    subnet, block, network = entry.subnet, entry.block, entry.network
    # GCP secondary ranges reserve nothing.
    reserved = 0 if entry.secondary else PROVIDERS[subnet.provider].reserved_per_subnet
    return MapSubnet(
        address=index.display_address(subnet),
        name=subnet.name,
        range=block.name if entry.secondary else None,
        cidr=str(network) if network is not None else None,
        size=int(network.size) if network is not None else None,
        usable=usable_hosts(network, reserved) if network is not None else None,
        ipv6=[] if entry.secondary else [str(b.cidr) for b in subnet.ipv6_blocks if b.cidr],
        file=subnet.location.file,
        line=subnet.location.line,
        inside=any(contains(outer, network) for outer in space)
        if network is not None and space
        else None,
        overlaps=entry.overlaps,
        more_overlaps=entry.more_overlaps,
        findings=index.of(subnet),
        unknown=None if network is not None else _unknown_reason(block),
    )


def _reserved(topology: Topology) -> list[tuple[str, netaddr.IPNetwork]]:
    reserved = [
        (label, network.cidr)
        for label, cidrs in topology.reserved_ranges.items()
        for network in map(parse_cidr, cidrs)
        if network is not None and network.version == 4
    ]
    reserved.append(("Docker's default bridge", netaddr.IPNetwork(DOCKER_BRIDGE)))
    return reserved


Owner = tuple[Network | str, netaddr.IPNetwork]  # a network's block, or a reserved range


def _network_overlaps(topology: Topology) -> dict[str, tuple[list[MapNetworkOverlap], int]]:
    """Per network, its first ``OVERLAPS_LISTED`` overlaps and how many more there are.

    Listed in the order a sweep over every block finds the pairs: by the block of the pair that
    comes later in address order, then by the earlier one."""
    owners: list[Owner] = [
        (network, block) for network in topology.networks for block in network_space(network)
    ]
    owners.extend(_reserved(topology))
    sweep = _Sweep([_span(block) for _, block in owners])
    own_blocks: dict[str, list[int]] = {}
    for index, (owner, _) in enumerate(owners):
        if isinstance(owner, Network):
            own_blocks.setdefault(owner.key, []).append(index)
    found: dict[str, tuple[list[MapNetworkOverlap], int]] = {}
    for indices in own_blocks.values():
        ranked: list[tuple[tuple[int, int], int, int]] = []
        count = 0
        for mine in indices:
            partners = sweep.partners(mine)
            # A network's own blocks that overlap each other are VPC206's, not an overlap here.
            count += len(partners) - sum(1 for own in indices if sweep.overlap(mine, own))
            others = (other for other in partners if other not in indices)
            ranked.extend(
                (sweep.pair_order(mine, other), mine, other)
                for other in islice(others, OVERLAPS_LISTED)
            )
        if count:
            ranked.sort()
            listed = [_overlap(owners, mine, other) for _, mine, other in ranked[:OVERLAPS_LISTED]]
            network = owners[indices[0]][0]
            assert isinstance(network, Network)
            found[network.key] = (listed, count - len(listed))
    return found


def _overlap(owners: Sequence[Owner], mine: int, other: int) -> MapNetworkOverlap:
    block = owners[mine][1]
    owner, other_block = owners[other]
    if isinstance(owner, str):
        return MapNetworkOverlap(
            cidr=str(block), other=owner, other_cidr=str(other_block), reserved=True
        )
    return MapNetworkOverlap(
        cidr=str(block),
        other=owner.address,
        other_cidr=str(other_block),
        other_file=owner.location.file,
        other_repository=owner.repository,
    )


def _free(space: Sequence[netaddr.IPNetwork], used: Sequence[netaddr.IPNetwork]) -> list[MapFree]:
    gaps: dict[str, MapFree] = {}
    for block in sorted(space, key=lambda item: (int(item.first), int(item.prefixlen))):
        for gap in free_blocks(block, used):
            # Blocks that overlap each other (VPC206) would list their shared gaps twice.
            gaps.setdefault(str(gap), MapFree(cidr=str(gap), size=int(gap.size), block=str(block)))
    return sorted(gaps.values(), key=lambda gap: int(netaddr.IPNetwork(gap.cidr).first))


def _map_claims(topology: Topology, network: Network) -> list[MapClaim]:
    return [
        MapClaim(
            address=claim.address,
            kind=claim.kind,
            purpose=claim.purpose,
            cidr=block.cidr,
            provider_default=claim.provider_default,
            file=block.location.file,
            line=block.location.line,
            unknown=_unknown_reason(block) if block.cidr is None else None,
        )
        for claim in topology.claims_of(network)
        for block in topology.claim_blocks(claim)
    ]


def build_map(
    topology: Topology, findings: Sequence[Finding] = (), include_external: bool = False
) -> AddressMap:
    """The map of every network in scope (and external ones when asked), in declaration order.

    External and imported networks always count for overlaps; they are drawn only on request,
    since an organisation's inventory can hold hundreds of them.
    """
    index = _FindingIndex(findings, [*topology.networks, *topology.subnets], topology)
    overlaps = _network_overlaps(topology)
    no_overlaps: tuple[list[MapNetworkOverlap], int] = ([], 0)
    networks: list[MapNetwork] = []
    unresolved = 0
    subnet_count = 0
    shown = [network for network in topology.networks if include_external or not network.external]
    for network in shown:
        space = network_space(network)
        ranges = _ranges(topology.subnets_of(network))
        subnet_count += len(ranges)
        unresolved += sum(1 for entry in ranges if entry.network is None)
        unresolved += sum(1 for block in network.ipv4_blocks if _canonical(block) is None)
        covered = netaddr.IPSet(space) & netaddr.IPSet(
            [entry.network for entry in ranges if entry.network is not None]
        )
        size = int(netaddr.IPSet(space).size)
        used = int(covered.size)
        free = _free(
            space,
            [entry.network for entry in ranges if entry.network is not None and entry.version == 4],
        )
        ipv6_space = [block for block in map(_canonical, network.ipv6_blocks) if block is not None]
        subnets = [
            _map_subnet(entry, space if entry.version == 4 else ipv6_space, index)
            for entry in ranges
        ]
        # A subnet's finding that names the network as the other party shows on the subnet.
        on_subnets = {finding for subnet in subnets for finding in subnet.findings}
        networks.append(
            MapNetwork(
                address=index.display_address(network),
                name=network.name,
                kind=network.kind,
                provider=network.provider,
                file=network.location.file,
                line=network.location.line,
                external=network.external,
                repository=network.repository,
                ipv4=[_map_block(block, 4) for block in network.ipv4_blocks],
                ipv6=[_map_block(block, 6) for block in network.ipv6_blocks],
                size=size,
                used=used,
                utilization=round(used / size, 4) if size else None,
                subnets=subnets,
                free=free,
                claims=_map_claims(topology, network),
                overlaps=overlaps.get(network.key, no_overlaps)[0],
                more_overlaps=overlaps.get(network.key, no_overlaps)[1],
                findings=[finding for finding in index.of(network) if finding not in on_subnets],
            )
        )
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.suppressed is None:
            counts[finding.code] = counts.get(finding.code, 0) + 1
    return AddressMap(
        networks=networks,
        summary=MapSummary(
            networks=len(networks),
            subnets=subnet_count,
            unresolved=unresolved,
            findings=dict(sorted(counts.items())),
        ),
    )
