"""``Fn::Cidr`` with CloudFormation's semantics."""

from __future__ import annotations

import netaddr

from vpclint.topology.cidr import parse_cidr

MAX_COUNT = 256


def fn_cidr(ip_block: str, count: int, host_bits: int) -> list[str] | str:
    """The first ``count`` blocks of ``ip_block`` with ``host_bits`` host bits each
    (8 gives /24s from an IPv4 block, 64 gives /64s from IPv6), or why CloudFormation refuses.
    """
    network = parse_cidr(ip_block)
    if network is None:
        return f"Fn::Cidr: {ip_block!r} is not a CIDR block"
    if not 1 <= count <= MAX_COUNT:
        return f"Fn::Cidr: the count must be between 1 and {MAX_COUNT}, not {count}"
    width = 32 if network.version == 4 else 128
    if not 0 <= host_bits <= width - network.prefixlen:
        return (
            f"Fn::Cidr: {host_bits} host bits do not fit in {ip_block} "
            f"(at most {width - network.prefixlen})"
        )
    prefix = width - host_bits
    available = 1 << (prefix - network.prefixlen)
    if count > available:
        return (
            f"Fn::Cidr: {ip_block} holds only {available} blocks of /{prefix}, "
            f"but {count} were asked for"
        )
    first = network.first
    size = 1 << host_bits
    return [
        str(netaddr.IPNetwork((first + index * size, prefix), version=network.version))
        for index in range(count)
    ]
