"""The CIDR calculator behind ``vpclint cidr``: what a block is, whether blocks overlap or
contain each other, and how to divide one. It reads no project.

Standard library only (ipaddress), and records are NamedTuples rather than dataclasses, whose
import costs more than the rest of the command: ``vpclint cidr`` answers in the start-up time
of ``vpclint --version``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from typing import NamedTuple

from vpclint.planning.subnetting import (
    MAX_PIECES,
    Block,
    PlanError,
    cloudformation_all,
    cloudformation_expressions,
    equal_pieces,
    prefix_for_count,
    split_block,
    terraform_all,
    terraform_expression,
    width,
)
from vpclint.topology.kinds import PROVIDERS, Provider


class SpecialRange(NamedTuple):
    block: Block
    name: str
    reference: str


def _ranges(*rows: tuple[str, str, str]) -> tuple[SpecialRange, ...]:
    return tuple(SpecialRange(ipaddress.ip_network(cidr), name, ref) for cidr, name, ref in rows)


# The IANA special-purpose registries' entries a cloud address plan meets, by start address.
SPECIAL_RANGES = _ranges(
    ("0.0.0.0/8", '"this network"', "RFC 791"),
    ("10.0.0.0/8", "private", "RFC 1918"),
    ("100.64.0.0/10", "shared address space (carrier-grade NAT)", "RFC 6598"),
    ("127.0.0.0/8", "loopback", "RFC 1122"),
    ("169.254.0.0/16", "link-local", "RFC 3927"),
    ("172.16.0.0/12", "private", "RFC 1918"),
    ("192.0.0.0/24", "IETF protocol assignments", "RFC 6890"),
    ("192.0.2.0/24", "documentation (TEST-NET-1)", "RFC 5737"),
    ("192.88.99.0/24", "deprecated 6to4 relay anycast", "RFC 7526"),
    ("192.168.0.0/16", "private", "RFC 1918"),
    ("198.18.0.0/15", "benchmarking", "RFC 2544"),
    ("198.51.100.0/24", "documentation (TEST-NET-2)", "RFC 5737"),
    ("203.0.113.0/24", "documentation (TEST-NET-3)", "RFC 5737"),
    ("224.0.0.0/4", "multicast", "RFC 5771"),
    ("240.0.0.0/4", "reserved for future use", "RFC 1112"),
    ("::/128", "unspecified address", "RFC 4291"),
    ("::1/128", "loopback", "RFC 4291"),
    ("::ffff:0:0/96", "IPv4-mapped addresses", "RFC 4291"),
    ("64:ff9b::/96", "NAT64 well-known prefix", "RFC 6052"),
    ("64:ff9b:1::/48", "local-use NAT64", "RFC 8215"),
    ("100::/64", "discard-only", "RFC 6666"),
    ("2001::/32", "Teredo", "RFC 4380"),
    ("2001:db8::/32", "documentation", "RFC 3849"),
    ("2002::/16", "6to4", "RFC 3056"),
    ("3fff::/20", "documentation", "RFC 9637"),
    ("fc00::/7", "unique local addresses (ULA)", "RFC 4193"),
    ("fe80::/10", "link-local", "RFC 4291"),
    ("ff00::/8", "multicast", "RFC 4291"),
)
GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")

# A CIDR or a bare address written out in full: no "10/8" shorthand, no netmask after the slash,
# no IPv6 zone. ipaddress itself refuses leading zeros in IPv4 octets.
_SHAPE = re.compile(r"[0-9A-Fa-f:.]+(/\d{1,3})?", re.ASCII)


class CidrInputError(ValueError):
    """A command-line argument that is not a CIDR or an address."""


class Written(NamedTuple):
    """A block as the user wrote it: the text, the block it denotes, and whether it was an address
    (``10.0.3.7``) or a CIDR with host bits set (``10.0.3.7/16``)."""

    text: str
    block: Block
    is_address: bool
    host_bits_set: bool

    @property
    def label(self) -> str:
        return self.text if self.is_address else str(self.block)


def parse_written(text: str) -> Written:
    """A CIDR (``10.0.0.0/16``, ``2600:1f14::/56``) or an address (``10.0.3.7``)."""
    stripped = text.strip()
    if not _SHAPE.fullmatch(stripped):
        raise CidrInputError(
            f"{text!r} is not an IPv4 or IPv6 CIDR or address "
            "(e.g. 10.0.0.0/16, 10.0.3.7, fd00::/48)"
        )
    address, slash, prefix = stripped.partition("/")
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        raise CidrInputError(f"{text!r}: {address!r} is not an IPv4 or IPv6 address") from None
    bits = width(ip.version)
    if slash and int(prefix) > bits:
        raise CidrInputError(f"{text!r} has a prefix length over /{bits}")
    length = int(prefix) if slash else bits
    block = ipaddress.ip_network((ip, length), strict=False)
    return Written(stripped, block, not slash, block.network_address != ip)


def parse_block(text: str) -> Block:
    """A CIDR to divide or plan in: an address alone or host bits set are refused, with the fix."""
    written = parse_written(text)
    if written.is_address:
        raise CidrInputError(f"{text!r} is an address, not a block (e.g. {written.block})")
    if written.host_bits_set:
        raise CidrInputError(f"{text!r} has host bits set; did you mean {written.block}?")
    return written.block


class RangeMatch(NamedTuple):
    """Where a block lies among the special-purpose ranges."""

    category: str  # the range's name, "public", "not assigned" or "mixed"
    ranges: tuple[SpecialRange, ...]  # the range holding the block, or those inside a mixed one


def holds(outer: Block, inner: Block) -> bool:
    """Whether ``inner`` lies within ``outer`` (never across IP versions)."""
    return outer.version == inner.version and (
        int(outer.network_address) <= int(inner.network_address)
        and int(inner.broadcast_address) <= int(outer.broadcast_address)
    )


def share(first: Block, second: Block) -> Block | None:
    """The range two blocks share: the smaller one, as CIDRs nest or are disjoint."""
    if holds(first, second):
        return second
    if holds(second, first):
        return first
    return None


def classify(block: Block) -> RangeMatch:
    family = [item for item in SPECIAL_RANGES if item.block.version == block.version]
    for item in family:
        if holds(item.block, block):
            return RangeMatch(item.name, (item,))
    inside = tuple(item for item in family if holds(block, item.block))
    if inside:
        return RangeMatch("mixed", inside)
    if block.version == 6 and not holds(GLOBAL_UNICAST, block):
        return RangeMatch("not assigned", ())
    return RangeMatch("public", ())


def range_text(match: RangeMatch) -> str:
    """``RFC 1918 private (10.0.0.0/8)``, ``public ...``, ``mixed: public addresses and ...``."""
    if match.category == "public":
        return "public (no special-purpose range)"
    if match.category == "not assigned":
        return "not assigned by IANA (outside the global unicast 2000::/3)"
    described = ", ".join(f"{item.reference} {item.name} ({item.block})" for item in match.ranges)
    if match.category == "mixed":
        return f"mixed: public addresses and {described}"
    return described


class Explanation(NamedTuple):
    written: Written
    last: ipaddress.IPv4Address | ipaddress.IPv6Address
    netmask: str | None  # IPv4 only
    wildcard: str | None
    addresses: int
    usable: dict[Provider, int | None]  # per provider, when the block is a subnet there
    range: RangeMatch


def explain(written: Written) -> Explanation:
    block = written.block
    usable: dict[Provider, int | None] = {}
    for provider, rules in PROVIDERS.items():
        keeps = rules.reserved_per_subnet if block.version == 4 else rules.reserved_per_ipv6_subnet
        usable[provider] = None if keeps is None else max(block.num_addresses - keeps, 0)
    return Explanation(
        written=written,
        last=block.broadcast_address,
        netmask=str(block.netmask) if block.version == 4 else None,
        wildcard=str(block.hostmask) if block.version == 4 else None,
        addresses=block.num_addresses,
        usable=usable,
        range=classify(block),
    )


class Comparison(NamedTuple):
    """Two blocks side by side: the range they share (the smaller one, as CIDRs nest or are
    disjoint) and whether the first holds the second."""

    first: Written
    second: Written
    shared: Block | None
    first_contains_second: bool


def compare(first: Written, second: Written) -> Comparison:
    return Comparison(
        first, second, share(first.block, second.block), holds(first.block, second.block)
    )


def overlap_sentence(comparison: Comparison) -> str:
    a, b = comparison.first.label, comparison.second.label
    if comparison.first.block.version != comparison.second.block.version:
        return f"{a} and {b} do not overlap: one is IPv4, the other IPv6"
    if comparison.shared is None:
        return f"{a} and {b} do not overlap"
    return f"{a} overlaps {b}: they share {_sized(comparison.shared)}"


def containment_sentence(comparison: Comparison) -> str:
    outer, inner = comparison.first.label, comparison.second.label
    if comparison.first.block.version != comparison.second.block.version:
        return f"{outer} does not contain {inner}: one is IPv4, the other IPv6"
    if comparison.first_contains_second:
        return f"{outer} contains {inner}"
    if comparison.shared is not None:
        return (
            f"{outer} does not contain {inner}: {inner} is larger and contains it; "
            f"they share {_sized(comparison.shared)}"
        )
    return f"{outer} does not contain {inner}: they share no address"


def _sized(block: Block) -> str:
    count = block.num_addresses
    return f"{block} ({count:,} address{'es' if count != 1 else ''})"


class Piece(NamedTuple):
    block: Block
    terraform: str
    cloudformation: str


class Division(NamedTuple):
    block: Block
    pieces: tuple[Piece, ...]
    terraform_all: str | None  # cidrsubnets(...), when Terraform can make them in one call
    cloudformation_all: str | None  # !Cidr [...] when one call gives exactly these pieces
    free: tuple[Block, ...]  # what is left of the block


def divide(
    block: Block,
    *,
    prefix: int | None = None,
    into: int | None = None,
    sizes: Sequence[int] = (),
) -> Division:
    """``--prefix /N`` (every /N, or the first ``into``), ``--into K`` (K equal pieces, as large
    as they can be) or ``--sizes`` (largest first, packed from the start)."""
    if sizes:
        pieces = split_block(block, sizes)
    else:
        if into is not None and not 1 <= into <= MAX_PIECES:
            raise PlanError(f"--into must be between 1 and {MAX_PIECES}")
        if prefix is None:
            if into is None:
                raise PlanError("say how to divide: --prefix /N, --into K or --sizes 2x/22,4x/24")
            prefix = prefix_for_count(block, into)
        pieces = equal_pieces(block, prefix, into)
    expressions = cloudformation_expressions(block, pieces)
    return Division(
        block=block,
        pieces=tuple(
            Piece(piece, terraform_expression(block, piece), expression)
            for piece, expression in zip(pieces, expressions, strict=True)
        ),
        terraform_all=terraform_all(block, pieces),
        cloudformation_all=cloudformation_all(block, pieces),
        free=tuple(_remainder(block, pieces)),
    )


def _remainder(block: Block, pieces: Sequence[Block]) -> list[Block]:
    """The block's addresses after the pieces (which are packed from its start), as CIDRs."""
    after = pieces[-1].broadcast_address
    if after == block.broadcast_address:
        return []
    return list(ipaddress.summarize_address_range(after + 1, block.broadcast_address))
