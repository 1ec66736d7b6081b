"""The partner cap: a block that overlaps a thousand others gets a bounded number of findings.

A rule that reports overlapping pairs reports each pair at its later side. When one block has
many earlier partners (a thousand networks copying 10.0.0.0/16), the first max-partners (a rule
option) of them get a finding each and the rest share one summary finding that names the first
:data:`NAMED_PARTNERS` and counts the others: the output stays bounded and the work too
(:func:`capped_partners` counts instead of listing where it can).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from vpclint.api.rule import Related
from vpclint.api.space import (
    OverlapIndex,
    Placed,
    PlacedPair,
    Span,
    first_pair,
    unique_related,
)

T = TypeVar("T")
K = TypeVar("K")

NAMED_PARTNERS = 3  # partners a summary names (and relates); the rest are only counted


@dataclass
class ReportedBlock(Generic[K]):
    """One block of the reported side, its partners split at the max-partners cap.

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
    """The rule option max-partners, checked: a whole number, 0 or more."""
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
    return unique_related(entries)
