"""Helpers shared by the built-in rules (not a rule): wording, source order, block overlap.

Everything here works on the public rule API only, so that a third-party rule pack could do the
same with what ``vpclint.api`` and ``vpclint.topology.cidr`` give it.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations, takewhile
from typing import Any, Generic, TypeVar

from vpclint.api import (
    AddressBlock,
    Network,
    Related,
    Resource,
    Subnet,
    Topology,
    Violation,
)
from vpclint.topology.cidr import Interval, overlapping_pairs, parse_cidr

T = TypeVar("T")
K = TypeVar("K")
L = TypeVar("L")
R = TypeVar("R")
Span = tuple[int, int, int]

GCP_AUTO_MODE_RANGE = "10.128.0.0/9"


def constant_network(text: str) -> Any:
    """A built-in range such as ``10.0.0.0/8`` as a network (the text is ours, so it is valid)."""
    network = parse_cidr(text)
    if network is None:
        raise ValueError(f"not a CIDR: {text}")
    return network


def describe(block: AddressBlock, owner: Resource) -> str:
    """``10.0.0.0/16 of aws_vpc.app``; GCP secondary ranges carry their name."""
    cidr = block.cidr if block.cidr is not None else "an unresolved block"
    if block.name:
        return f"{cidr} (range {block.name}) of {owner.address}"
    return f"{cidr} of {owner.address}"


def related(block: AddressBlock, owner: Resource) -> Related:
    return Related(location=block.location, resource=owner, cidr=block.cidr)


def sorted_violations(violations: Iterable[Violation]) -> list[Violation]:
    """Violations in source order, so that every run reports them in the same order."""
    return sorted(
        violations,
        key=lambda violation: (
            violation.location.file,
            violation.location.line,
            violation.location.column,
            violation.message,
        ),
    )


def source_order(topology: Topology) -> Callable[[Resource], tuple[str, int, int, int]]:
    """A sort key putting resources in declaration order (instances of one block by position)."""
    position: dict[str, int] = {}
    for index, resource in enumerate(
        [*topology.networks, *topology.subnets, *topology.connections, *topology.attachments]
    ):
        position.setdefault(resource.key, index)

    def key(resource: Resource) -> tuple[str, int, int, int]:
        location = resource.location
        return (location.file, location.line, location.column, position.get(resource.key, -1))

    return key


@dataclass(frozen=True)
class Placed:
    """A resolved block, the resource that declares it, and the network whose space it is."""

    network: Network
    owner: Network | Subnet
    block: AddressBlock
    ip: Any  # netaddr.IPNetwork of the block (never None here)

    @cached_property
    def span(self) -> tuple[int, int, int]:
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


def spans(space: Iterable[Placed]) -> list[tuple[Span, Placed]]:
    """Each block with its range, worked out once: netaddr's attributes are slow to read."""
    return [(span_of(placed.ip), placed) for placed in space]


def span_of(ip: Any) -> tuple[int, int, int]:
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


@dataclass
class _Group(Generic[T]):
    """Items whose blocks cover exactly the same range."""

    side: int
    items: list[T]


def _groups(entries: Iterable[tuple[Any, T]], side: int) -> dict[tuple[int, int, int], _Group[T]]:
    groups: dict[tuple[int, int, int], _Group[T]] = {}
    for ip, item in entries:
        groups.setdefault(span_of(ip), _Group(side, [])).items.append(item)
    return groups


def self_overlaps(entries: Iterable[tuple[Any, T]]) -> Iterator[tuple[T, T]]:
    """Every pair of items whose blocks overlap (IPv4 with IPv4, IPv6 with IPv6).

    Items with identical ranges are grouped first and the sweep runs over distinct ranges only.
    Distinct CIDR blocks overlap only when one contains the other, so the sweep finds at most
    (prefix bits + 1) pairs per range; the work beyond O(n log n) is the pairs that are reported.
    """
    groups = list(_groups(entries, 0).items())
    for _, group in groups:
        yield from combinations(group.items, 2)
    intervals = [
        Interval(version, first, last, index)
        for index, ((version, first, last), _) in enumerate(groups)
    ]
    for first_index, second_index in overlapping_pairs(intervals):
        for first in groups[first_index][1].items:
            for second in groups[second_index][1].items:
                yield first, second


def cross_overlaps(
    left: Iterable[tuple[Any, L]], right: Iterable[tuple[Any, R]]
) -> Iterator[tuple[L, R]]:
    """Every (left, right) pair whose blocks overlap; pairs within one side are never formed."""
    left_groups = list(_groups(left, 0).items())
    right_groups = list(_groups(right, 1).items())
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
        for left_item in left_groups[first_index][1].items:
            for right_item in right_groups[second_index][1].items:
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


def id_of(item: Related) -> tuple[str, int, int, str | None, str | None]:
    """What makes two related entries the same: place, resource and block."""
    resource = item.resource.key if item.resource is not None else None
    return (item.location.file, item.location.line, item.location.column, resource, item.cidr)


def unique(items: Sequence[T], key: Callable[[T], Any]) -> list[T]:
    if len(items) < 2:
        return list(items)
    seen: set[Any] = set()
    result: list[T] = []
    for item in items:
        marker = key(item)
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


NAMED_PARTNERS = 3  # partners a summary names (and relates); the rest are only counted


@dataclass
class ReportedBlock(Generic[K]):
    """One block of the reported side, its partners split at the ``max-partners`` cap.

    ``one_by_one`` get a finding each; the ``beyond_count`` partners past them share a single
    summary finding, which names the first of them: ``beyond`` lists at least those. Each
    partner is a key the rule chooses (a network, an attachment) with its overlapping block
    pairs.
    """

    placed: Placed
    one_by_one: list[tuple[K, list[PlacedPair]]]
    beyond: list[tuple[K, list[PlacedPair]]]
    beyond_count: int = 0


def max_partners(value: Any) -> int:
    """The ``max-partners`` option, checked: a whole number, 0 or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"option max-partners must be a whole number >= 0, not {value!r}")
    return value


def cap_partners(
    partners: Iterable[tuple[K, list[PlacedPair]]], limit: int
) -> list[ReportedBlock[K]]:
    """Partners grouped by the block of the reported side that their finding names.

    ``partners`` come in the order they are to be reported (earliest declared first); each block
    keeps the first ``limit`` of its partners for findings of their own.
    """
    blocks: dict[int, ReportedBlock[K]] = {}  # by identity: a block object is one declaration
    for key, found in partners:
        if len(found) > 1:
            found.sort(key=lambda pair: (pair[1].span, pair[0].span))
        reported = found[0][1]  # the first pair once sorted: the one the finding names
        entry = blocks.get(id(reported.block))
        if entry is None:
            entry = blocks[id(reported.block)] = ReportedBlock(reported, [], [])
        if len(entry.one_by_one) < limit:
            entry.one_by_one.append((key, found))
        else:
            entry.beyond.append((key, found))
            entry.beyond_count += 1
    return list(blocks.values())


def capped_partners(
    index: OverlapIndex[T],
    own: tuple[Span, Placed],
    rank: Any,
    limit: int,
    placed: Callable[[T], Placed],
    connected: Callable[[Any], bool] | None = None,
    connected_earlier: int = 0,
) -> list[ReportedBlock[Any]] | None:
    """What ``cap_partners`` makes of a single block's partners, without listing them all.

    When a thousand networks copy one CIDR, listing every earlier partner of every copy is
    quadratic although only ``limit`` of them get findings and a few more are named. Where the
    partners are one item each (``OverlapIndex.countable``), the first ones are taken in rank
    order and the rest are counted by bisection. Partners that are ``connected`` are left out of
    both: the caller says how many of the earlier ones are (``connected_earlier``). None when
    the partners cannot be counted that way: the caller lists them.
    """
    span, later = own
    if not index.countable(span):
        return None
    chosen: list[tuple[Any, list[PlacedPair]]] = []
    for item in index.earliest_first(span, rank):
        key = index.partner(item)
        if connected is None or not connected(key):
            chosen.append((key, [(placed(item), later)]))
            if len(chosen) == limit + NAMED_PARTNERS:
                break
    if not chosen:
        return []
    total = index.count_earlier(span, rank) - connected_earlier
    one_by_one = chosen[:limit]
    return [ReportedBlock(later, one_by_one, chosen[limit:], total - len(one_by_one))]


def beyond_clause(
    reported: ReportedBlock[K],
    limit: int,
    noun: str = "network",
    name: Callable[[Placed], str] | None = None,
) -> str:
    """``10.0.0.0/16 of aws_vpc.x also overlaps 989 more networks besides ...: A, B, C and 986
    more``: the summary of the partners past the cap, naming the first few.

    ``noun`` is what a partner is (network, subnet, block); ``name`` says how to name a partner's
    block (by default its CIDR and the resource that declares it).
    """
    count = reported.beyond_count
    nouns = noun if count == 1 else f"{noun}s"
    names = []
    for _, found in reported.beyond[:NAMED_PARTNERS]:
        earlier = first_pair(found)[0]
        names.append(name(earlier) if name is not None else earlier.described)
    rest = count - len(names)
    listed = ", ".join(names) + (f" and {rest:,} more" if rest else "")
    subject = reported.placed.described
    if limit == 0:
        return f"{subject} overlaps {count:,} {nouns}: {listed}"
    return (
        f"{subject} also overlaps {count:,} more {nouns} besides the {limit} reported one by one "
        f"(max-partners): {listed}"
    )


def beyond_related(reported: ReportedBlock[K], with_networks: bool = True) -> list[Related]:
    """The named partners' blocks, and their networks where a subnet holds the block (unless
    ``with_networks`` is off: VPC202's partners are the subnets themselves)."""
    entries: list[Related] = []
    for _, found in reported.beyond[:NAMED_PARTNERS]:
        earlier = first_pair(found)[0]
        entries.append(earlier.as_related)
        if with_networks and earlier.owner is not earlier.network:
            entries.append(Related(location=earlier.network.location, resource=earlier.network))
    return unique(entries, key=id_of)
