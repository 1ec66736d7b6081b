"""A network's address space as placed blocks, and the overlaps among many of them.

A :class:`Placed` block is a resolved block with the resource that declares it and the network
whose space it is (a GCP subnetwork's range is its network's space). :func:`network_space` lists
a network's; :func:`cross_overlaps` and :class:`OverlapIndex` find the overlapping ones among
thousands without comparing every pair; :func:`describe` and :func:`related` word a block the
way every built-in rule does.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import takewhile
from typing import Any, Generic, TypeVar

from vpclint.api.cidr import Interval, IPNetwork, overlapping_pairs
from vpclint.api.rule import Related
from vpclint.topology.models import (
    AddressBlock,
    Network,
    Resource,
    Subnet,
    Topology,
    declaring_resource,
)

T = TypeVar("T")
L = TypeVar("L")
R = TypeVar("R")
Span = tuple[int, int, int]  # (IP version, first address, last address) of a block

GCP_AUTO_MODE_RANGE = "10.128.0.0/9"


def describe(block: AddressBlock, owner: Resource) -> str:
    """``10.0.0.0/16 of aws_vpc.app``; GCP secondary ranges carry their name, and a block an
    association adds names the association too."""
    cidr = block.cidr if block.cidr is not None else "an unresolved block"
    if block.name:
        return f"{cidr} (range {block.name}) of {owner.address}"
    if block.origin_location is not None:
        return f"{cidr} of {owner.address} (added by {block.origin})"
    return f"{cidr} of {owner.address}"


def block_subject(owner: Resource, block: AddressBlock) -> tuple[Resource, tuple[Related, ...]]:
    """What a finding about one block is about: the resource that declared it (an association
    adding it to a network), with the network it adds to related, so that an ignore on either
    applies; the owner alone for a block it declares itself."""
    subject = declaring_resource(owner, block)
    if subject is owner:
        return owner, ()
    return subject, (Related(location=owner.location, resource=owner),)


def related(block: AddressBlock, owner: Resource) -> Related:
    """The block as the other side of a finding: where it is declared, by whom, its CIDR."""
    return Related(location=block.location, resource=owner, cidr=block.cidr)


@dataclass(frozen=True)
class Placed:
    """A resolved block, the resource that declares it, and the network whose space it is."""

    network: Network
    owner: Network | Subnet
    block: AddressBlock
    ip: IPNetwork  # the block's network (never None here)

    @cached_property
    def span(self) -> Span:
        """(IP version, first address, last address): cheap to compare, unlike netaddr objects,
        and worked out once: a block in many overlaps is compared many times."""
        return span_of(self.ip)

    @cached_property
    def described(self) -> str:
        """``describe`` of the block, once: the first networks that copy a CIDR are named in
        the findings of every later copy."""
        return describe(self.block, self.owner)

    @cached_property
    def as_related(self) -> Related:
        """``related`` of the block, once (a Related is immutable, so findings share it)."""
        return related(self.block, self.owner)


PlacedPair = tuple[Placed, Placed]  # (earlier side, reported side) of one overlap


def span_of(ip: IPNetwork) -> Span:
    """The block's ``Span``."""
    return (int(ip.version), int(ip.first), int(ip.last))


def network_space(topology: Topology, network: Network) -> list[Placed]:
    """The resolved blocks that make up a network's address space.

    AWS VPCs and Azure VNets own their blocks. A GCP network has none of its own: its space is its
    subnetworks' primary and secondary ranges, or 10.128.0.0/9 for an auto-mode network.
    """
    placed = [
        Placed(network, network, block, block.network)
        for block in network.ipv4_blocks + network.ipv6_blocks
        if block.network is not None
    ]
    if network.provider == "gcp":
        for subnet in topology.subnets_of(network):
            placed.extend(
                Placed(network, subnet, block, block.network)
                for block in subnet.all_ipv4_blocks + subnet.ipv6_blocks
                if block.network is not None
            )
        if network.auto_mode and not network.ipv4_blocks:
            auto = AddressBlock(
                cidr=GCP_AUTO_MODE_RANGE, location=network.location, origin="auto-mode"
            )
            placed.append(Placed(network, network, auto, auto.network))
    return placed


def _groups(entries: Iterable[tuple[IPNetwork, T]]) -> dict[Span, list[T]]:
    """Items whose blocks cover exactly the same range, together."""
    groups: dict[Span, list[T]] = {}
    for ip, item in entries:
        groups.setdefault(span_of(ip), []).append(item)
    return groups


def cross_overlaps(
    left: Iterable[tuple[IPNetwork, L]], right: Iterable[tuple[IPNetwork, R]]
) -> Iterator[tuple[L, R]]:
    """Every (left, right) pair whose blocks overlap (IPv4 with IPv4, IPv6 with IPv6); pairs
    within one side are never formed. Each item comes with its block's network.

    Items with identical ranges are grouped first and the sweep runs over distinct ranges only,
    so the work beyond O(n log n) is the pairs that are reported.
    """
    left_groups = list(_groups(left).items())
    right_groups = list(_groups(right).items())
    intervals: list[Interval[tuple[int, int]]] = [
        Interval(version, first, last, (0, index))
        for index, ((version, first, last), _) in enumerate(left_groups)
    ]
    intervals += [
        Interval(version, first, last, (1, index))
        for index, ((version, first, last), _) in enumerate(right_groups)
    ]
    for (first_side, first_index), (second_side, second_index) in overlapping_pairs(intervals):
        if first_side == second_side:
            continue
        if first_side == 1:
            first_index, second_index = second_index, first_index
        for left_item in left_groups[first_index][1]:
            for right_item in right_groups[second_index][1]:
                yield left_item, right_item


def first_pair(found: Sequence[tuple[Placed, Placed]]) -> tuple[Placed, Placed]:
    """The pair a message names: the lowest addresses, IPv4 before IPv6."""
    if len(found) == 1:
        return found[0]
    return min(found, key=lambda pair: (pair[1].span, pair[0].span))


def more_pairs(count: int) -> str:
    """The tail of a message that names one overlapping pair out of ``count``."""
    if count <= 1:
        return ""
    extra = count - 1
    return f" (and {extra} more overlapping block pair{'s' if extra > 1 else ''})"


def unique_related(items: Sequence[Related]) -> list[Related]:
    """``items`` in order, each place, resource and block once: the same block reached from
    two pairs is related once."""
    if len(items) < 2:
        return list(items)
    seen: set[tuple[str, int, int, str | None, str | None]] = set()
    result: list[Related] = []
    for item in items:
        resource = item.resource.key if item.resource is not None else None
        marker = (item.location.file, item.location.line, item.location.column, resource, item.cidr)
        if marker not in seen:
            seen.add(marker)
            result.append(item)
    return result


class OverlapIndex(Generic[T]):
    """Blocks grouped by range, each range with the ranges it overlaps, ranked for reporting.

    This is what the sort-and-sweep finds, kept per distinct range instead of per pair: when a
    thousand networks copy one CIDR, it holds one range and a thousand items, not half a million
    pairs. ``earlier`` then lists one block's partners of lower rank, so that each overlapping
    pair is visited once, from the side it is reported at, and never stored. Only the items that
    overlap something are ranked (``rank`` gives a sortable key): in a large estate, few do.

    ``partner`` names the thing an item belongs to (a network, a subnet). In a range where every
    item is the only one of its partner, items and partners are one to one, so the partners of
    lower rank can be counted by bisection instead of being listed (see ``capped_partners``).
    """

    def __init__(
        self,
        entries: Iterable[tuple[Span, T]],
        rank: Callable[[T], Any],
        partner: Callable[[T], Hashable],
    ) -> None:
        self.rank = rank
        self.partner = partner
        groups: dict[Span, list[T]] = {}
        for span, item in entries:
            groups.setdefault(span, []).append(item)
        ranges = list(groups)
        self._neighbours: dict[Span, list[Span]] = {}
        intervals = [Interval(*span, index) for index, span in enumerate(ranges)]
        for first, second in overlapping_pairs(intervals):
            self._neighbours.setdefault(ranges[first], []).append(ranges[second])
            self._neighbours.setdefault(ranges[second], []).append(ranges[first])
        self._ranked: dict[Span, list[tuple[Any, T]]] = {}
        self._ranks: dict[Span, list[Any]] = {}
        for span, items in groups.items():
            if len(items) > 1 or span in self._neighbours:
                ranked = [(rank(item), item) for item in items]
                ranked.sort(key=lambda entry: entry[0])
                self._ranked[span] = ranked
                self._ranks[span] = [item_rank for item_rank, _ in ranked]
        items_of: Counter[Hashable] = Counter(
            partner(item) for ranked in self._ranked.values() for _, item in ranked
        )
        self._one_to_one = {
            span
            for span, ranked in self._ranked.items()
            if all(items_of[partner(item)] == 1 for _, item in ranked)
        }
        self._place = {
            partner(item): (span, item_rank)
            for span in self._one_to_one
            for item_rank, item in self._ranked[span]
        }

    def overlapping(self) -> Iterator[T]:
        """The items whose block overlaps at least one other item's: the only ones with partners."""
        for ranked in self._ranked.values():
            for _, item in ranked:
                yield item

    def earlier(self, own: Span, rank: Any) -> Iterator[T]:
        """The items whose block overlaps the range ``own``, of lower rank than ``rank``."""
        for span in self._touched(own):
            for item_rank, item in self._ranked.get(span, ()):
                if item_rank >= rank:
                    break
                yield item

    def _touched(self, own: Span) -> tuple[Span, ...]:
        return (own, *self._neighbours.get(own, ()))

    def countable(self, own: Span) -> bool:
        """Whether every item overlapping ``own`` is its partner's only one."""
        return all(span in self._one_to_one for span in self._touched(own) if span in self._ranked)

    def earliest_first(self, own: Span, rank: Any) -> Iterator[T]:
        """``earlier``, lowest rank first across ranges: stopping early keeps the first ones."""
        streams = [
            takewhile(lambda entry: entry[0] < rank, self._ranked[span])
            for span in self._touched(own)
            if span in self._ranked
        ]
        for _, item in heapq.merge(*streams, key=lambda entry: entry[0]):
            yield item

    def count_earlier(self, own: Span, rank: Any) -> int:
        """How many items ``earlier`` would list, without listing them."""
        return sum(
            bisect_left(self._ranks[span], rank)
            for span in self._touched(own)
            if span in self._ranks
        )

    def is_earlier(self, key: Hashable, own: Span, rank: Any) -> bool:
        """Whether the partner ``key`` (one item, in a one-to-one range) is among ``earlier``."""
        place = self._place.get(key)
        return place is not None and place[1] < rank and place[0] in self._touched(own)
