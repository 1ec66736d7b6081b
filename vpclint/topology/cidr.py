"""Address math shared by front ends and rules; netaddr does the arithmetic."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, TypeVar

import netaddr

T = TypeVar("T")

# netaddr accepts shorthand such as "10/8" or "10.1" and bare addresses; a CIDR in an address
# plan must be written out in full, so the shape is checked first.
_IPV4_CIDR = re.compile(r"^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$", re.ASCII)
_IPV6_CIDR = re.compile(r"^[0-9A-Fa-f:.]+/\d{1,3}$")


def parse_cidr(text: str) -> netaddr.IPNetwork | None:
    """A valid CIDR (IPv4 dotted quad or IPv6 with a prefix length) as a network, else None.

    The result keeps host bits exactly as written; use :func:`canonical` for the network address.
    """
    # Rules and front ends parse the same few thousand CIDRs again and again; a copy of a parsed
    # network costs a tenth of parsing it (and callers may change their copy).
    if text in _parsed:
        found = _parsed[text]
        return netaddr.IPNetwork(found) if found is not None else None
    network = _parse_cidr(text)
    if len(_parsed) >= 100_000:
        _parsed.clear()
    _parsed[text] = network
    return netaddr.IPNetwork(network) if network is not None else None


_parsed: dict[str, netaddr.IPNetwork | None] = {}


def _parse_cidr(text: str) -> netaddr.IPNetwork | None:
    text = text.strip()
    if _IPV4_CIDR.match(text):
        address, _, prefix = text.partition("/")
        octets = address.split(".")
        if any(len(octet) > 1 and octet[0] == "0" for octet in octets):
            return None
        values = [int(octet) for octet in octets]
        length = int(prefix)
        if length > 32 or any(value > 255 for value in values):
            return None
        # From the integer: netaddr's own text parsing is most of a warm run's rules' time.
        number = (values[0] << 24) | (values[1] << 16) | (values[2] << 8) | values[3]
        return netaddr.IPNetwork((number, length), version=4)
    if ":" in text and _IPV6_CIDR.match(text):
        version = 6
    else:
        return None
    try:
        network = netaddr.IPNetwork(text, version=version)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return None
    return network


def cidr_problem(text: str) -> str | None:
    """Why ``text`` is not a valid CIDR, in plain words; None when it is one."""
    if parse_cidr(text) is not None:
        return None
    stripped = text.strip()
    if "/" not in stripped:
        return f"{text!r} has no prefix length (expected an address/prefix such as 10.0.0.0/16)"
    address, _, prefix = stripped.partition("/")
    if not prefix.isdigit():
        return f"{text!r} has a prefix length that is not a number"
    limit = 128 if ":" in address else 32
    if int(prefix) > limit:
        return f"{text!r} has a prefix length over /{limit}"
    return f"{text!r} is not a valid IPv4 or IPv6 CIDR"


def canonical(network: netaddr.IPNetwork) -> netaddr.IPNetwork:
    """The same block with its host bits cleared."""
    return network.cidr


def is_canonical(network: netaddr.IPNetwork) -> bool:
    """Whether the block is written with its host bits clear (10.0.0.0/16, not 10.0.0.1/16)."""
    return bool(network.value == network.first)


def overlaps(first: netaddr.IPNetwork, second: netaddr.IPNetwork) -> bool:
    """Whether the blocks share an address; blocks of different IP versions never do."""
    if first.version != second.version:
        return False
    return bool(first.first <= second.last) and bool(second.first <= first.last)


def contains(outer: netaddr.IPNetwork, inner: netaddr.IPNetwork) -> bool:
    """Whether every address of ``inner`` is in ``outer`` (of the same IP version)."""
    if outer.version != inner.version:
        return False
    return bool(outer.first <= inner.first and inner.last <= outer.last)


class Interval(Generic[T]):
    """A closed address range [first, last] of one IP version, carrying what it belongs to."""

    __slots__ = ("first", "item", "last", "version")

    def __init__(self, version: int, first: int, last: int, item: T) -> None:
        self.version = version
        self.first = first
        self.last = last
        self.item = item

    @classmethod
    def of(cls, network: netaddr.IPNetwork, item: T) -> Interval[T]:
        return cls(network.version, int(network.first), int(network.last), item)


def overlapping_pairs(intervals: Iterable[Interval[T]]) -> Iterator[tuple[T, T]]:
    """Every pair of overlapping intervals, by sort and sweep: O(n log n + k) for k pairs.

    Intervals of different IP versions never overlap. Pairs come out in a deterministic order
    (by start address, then by input order).
    """
    ordered = sorted(
        enumerate(intervals), key=lambda entry: (entry[1].version, entry[1].first, entry[0])
    )
    active: list[Interval[T]] = []
    current_version = None
    for _, interval in ordered:
        if interval.version != current_version:
            active = []
            current_version = interval.version
        # Drop intervals that end before this one starts; CIDR blocks nest or are disjoint, and
        # the active list stays small (the nesting depth), so a linear filter is cheap.
        active = [open_ for open_ in active if open_.last >= interval.first]
        for open_ in active:
            yield open_.item, interval.item
        active.append(interval)


def free_blocks(
    space: netaddr.IPNetwork, used: Sequence[netaddr.IPNetwork]
) -> list[netaddr.IPNetwork]:
    """The parts of ``space`` not covered by ``used``, as the largest aligned CIDRs, in order.

    The same list as ``(IPSet([space]) - IPSet(used)).iter_cidrs()`` (the minimal CIDR cover of
    the free addresses is unique), computed on integers: netaddr's IPSet costs a millisecond
    a call, and rules ask for every network's free space."""
    version = space.version
    bits = 32 if version == 4 else 128
    first, last = space.first, space.last
    spans = sorted(
        (block.first, block.last)
        for block in used
        if block.version == version and block.last >= first and block.first <= last
    )
    if not spans:
        return [netaddr.IPNetwork(space)]  # as IPSet gives it back: host bits as written
    gaps: list[tuple[int, int]] = []
    cursor = first
    for start, end in spans:
        if start > cursor:
            gaps.append((cursor, start - 1))
        cursor = max(cursor, end + 1)
        if cursor > last:
            break
    if cursor <= last:
        gaps.append((cursor, last))
    blocks: list[netaddr.IPNetwork] = []
    for start, end in gaps:
        while start <= end:
            size = start & -start if start else 1 << bits
            while size > end - start + 1:
                size >>= 1
            blocks.append(netaddr.IPNetwork((start, bits - size.bit_length() + 1), version=version))
            start += size
    return blocks


def usable_hosts(network: netaddr.IPNetwork, reserved: int) -> int:
    return max(int(network.size) - reserved, 0)
