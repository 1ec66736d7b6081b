"""Splitting a block into aligned pieces, and the Terraform and CloudFormation expressions that
produce each piece, for IPv4 and IPv6.

Shared by ``vpclint plan`` and ``vpclint cidr divide``. It uses the standard library's ipaddress
only (no netaddr, no pydantic), so that ``vpclint cidr`` starts in the time of ``--version``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence

Block = ipaddress.IPv4Network | ipaddress.IPv6Network

# Fn::Cidr creates at most 256 blocks per call.
FN_CIDR_MAX_COUNT = 256
# More pieces than this is no longer a plan anyone reads (a /8 in /28s is a million lines).
MAX_PIECES = 65536


class PlanError(ValueError):
    """A split or plan that cannot be made as asked (bad prefix, pieces larger than the block)."""


def width(version: int) -> int:
    """Address bits of an IP version."""
    return 32 if version == 4 else 128


def parse_prefix(text: str, version: int = 4) -> int:
    """``/20`` or ``20`` as a prefix length of the given IP version."""
    match = re.fullmatch(r"/?(\d{1,3})", text.strip())
    if not match or int(match.group(1)) > width(version):
        example = "/20" if version == 4 else "/64"
        raise PlanError(f"{text!r} is not an IPv{version} prefix length such as {example}")
    return int(match.group(1))


def parse_subnet_spec(text: str, version: int = 4) -> list[int]:
    """``4x/22,2x/24`` (or ``/24``) as one prefix length per subnet."""
    prefixes: list[int] = []
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        match = re.fullmatch(r"(?:(\d+)\s*[xX*]\s*)?/?(\d{1,3})", part)
        if not match:
            raise PlanError(f"{part!r} is not COUNTx/PREFIX (e.g. 4x/22)")
        count = int(match.group(1) or 1)
        prefix = int(match.group(2))
        if count < 1 or prefix > width(version):
            raise PlanError(f"{part!r} is not COUNTx/PREFIX (e.g. 4x/22)")
        if count > MAX_PIECES:
            raise PlanError(f"{part!r}: at most {MAX_PIECES} subnets of one size")
        prefixes.extend([prefix] * count)
    if not prefixes:
        raise PlanError(f"{text!r} names no subnets (e.g. 4x/22,2x/24)")
    if len(prefixes) > MAX_PIECES:
        raise PlanError(f"{text!r} names {len(prefixes):,} subnets; at most {MAX_PIECES}")
    return prefixes


def _network(version: int, first: int, prefix: int) -> Block:
    if version == 4:
        return ipaddress.IPv4Network((first, prefix))
    return ipaddress.IPv6Network((first, prefix))


def split_block(block: Block, prefixes: Sequence[int]) -> list[Block]:
    """Subnets of the given sizes, largest first, packed from the start of the block.

    Placing sizes in decreasing order keeps every subnet aligned with no gap before it (each
    start is a sum of larger powers of two), which is also what Terraform's cidrsubnets() does.
    """
    bits = width(block.version)
    ordered = sorted(prefixes)
    too_big = [prefix for prefix in ordered if prefix < block.prefixlen]
    if too_big:
        raise PlanError(f"a /{too_big[0]} subnet does not fit in a /{block.prefixlen} block")
    needed = sum(1 << (bits - prefix) for prefix in ordered)
    if needed > block.num_addresses:
        raise PlanError(
            f"the subnets need {needed:,} addresses; "
            f"a /{block.prefixlen} block has {block.num_addresses:,}"
        )
    subnets = []
    start = int(block.network_address)
    for prefix in ordered:
        subnets.append(_network(block.version, start, prefix))
        start += 1 << (bits - prefix)
    return subnets


def equal_pieces(block: Block, prefix: int, count: int | None = None) -> list[Block]:
    """The first ``count`` aligned /prefix pieces of the block (all of them without a count)."""
    if not block.prefixlen <= prefix <= width(block.version):
        raise PlanError(
            f"/{prefix} is not a piece of a /{block.prefixlen}: "
            f"the prefix must be between /{block.prefixlen} and /{width(block.version)}"
        )
    available = 1 << (prefix - block.prefixlen)
    if count is None and available > MAX_PIECES:
        raise PlanError(
            f"{block} holds {available:,} /{prefix} pieces; "
            f"ask for the first few with --into K (at most {MAX_PIECES})"
        )
    wanted = available if count is None else count
    if wanted > available:
        raise PlanError(
            f"{block} holds only {available:,} /{prefix} piece{'s' if available != 1 else ''}, "
            f"not {wanted:,}"
        )
    size = 1 << (width(block.version) - prefix)
    first = int(block.network_address)
    return [_network(block.version, first + index * size, prefix) for index in range(wanted)]


def prefix_for_count(block: Block, count: int) -> int:
    """The longest prefix whose pieces still number ``count`` in the block (``--into K``)."""
    prefix = block.prefixlen + (count - 1).bit_length()
    if prefix > width(block.version):
        raise PlanError(f"{block} cannot be divided into {count:,} pieces")
    return prefix


def _index(parent: Block, subnet: Block) -> int:
    host_bits = width(subnet.version) - subnet.prefixlen
    return (int(subnet.network_address) - int(parent.network_address)) >> host_bits


def terraform_expression(block: Block, subnet: Block) -> str:
    """``cidrsubnet("10.0.0.0/20", 2, 1)``: the subnet as Terraform computes it from the block."""
    return f'cidrsubnet("{block}", {subnet.prefixlen - block.prefixlen}, {_index(block, subnet)})'


def cidrsubnets_refusal(block: Block, subnets: Sequence[Block]) -> str | None:
    """Why Terraform's cidrsubnets() cannot give these subnets in one call, or None when it can.

    Terraform refuses to extend a prefix by more than 32 bits in cidrsubnets() (cidrsubnet()
    takes more), and fails on any block that starts at address zero: it steps back from the
    first subnet, wraps around to the end of the address space and reports no room.
    """
    if int(block.network_address) == 0:
        return f"Terraform's cidrsubnets() fails on a block that starts at {block.network_address}"
    if any(subnet.prefixlen - block.prefixlen > 32 for subnet in subnets):
        return "Terraform's cidrsubnets() extends a prefix by at most 32 bits"
    return None


def terraform_all(block: Block, subnets: Sequence[Block]) -> str | None:
    """``cidrsubnets("10.0.0.0/20", 2, 2, 4)``: every subnet in one call (they must be packed
    from the start of the block, largest first, as :func:`split_block` places them); None when
    Terraform cannot (:func:`cidrsubnets_refusal`)."""
    if cidrsubnets_refusal(block, subnets) is not None:
        return None
    newbits = ", ".join(str(subnet.prefixlen - block.prefixlen) for subnet in subnets)
    return f'cidrsubnets("{block}", {newbits})'


def cloudformation_expressions(block: Block, subnets: Sequence[Block]) -> list[str]:
    """``!Select [i, !Cidr [block, count, hostbits]]`` per subnet; subnets of one size share one
    Fn::Cidr call. Fn::Cidr makes at most 256 blocks, so a subnet further in than that is
    selected from its own aligned parent block instead."""
    bits = width(block.version)
    last_index: dict[int, int] = {}
    for subnet in subnets:
        index = _index(block, subnet)
        last_index[subnet.prefixlen] = max(last_index.get(subnet.prefixlen, 0), index)
    expressions = []
    for subnet in subnets:
        host_bits = bits - subnet.prefixlen
        parent = block
        count = last_index[subnet.prefixlen] + 1
        if count > FN_CIDR_MAX_COUNT:
            parent = subnet.supernet(new_prefix=max(subnet.prefixlen - 8, block.prefixlen))
            count = 1 << (subnet.prefixlen - parent.prefixlen)
        expressions.append(
            f'!Select [{_index(parent, subnet)}, !Cidr ["{parent}", {count}, {host_bits}]]'
        )
    return expressions


def cloudformation_all(block: Block, subnets: Sequence[Block]) -> str | None:
    """``!Cidr [block, count, hostbits]`` when one Fn::Cidr call gives exactly these subnets:
    all of one size, packed from the start, at most 256 of them."""
    if not subnets or len(subnets) > FN_CIDR_MAX_COUNT:
        return None
    prefix = subnets[0].prefixlen
    if any(
        subnet.prefixlen != prefix or _index(block, subnet) != position
        for position, subnet in enumerate(subnets)
    ):
        return None
    return f'!Cidr ["{block}", {len(subnets)}, {width(block.version) - prefix}]'
