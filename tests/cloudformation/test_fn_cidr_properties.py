"""Fn::Cidr against netaddr's subnet enumeration, IPv4 and IPv6 (AWS: count 1-256, host bits)."""

from __future__ import annotations

from itertools import islice

import netaddr
from hypothesis import given
from hypothesis import strategies as st

from vpclint.evaluate.cloudformation.cidr_function import fn_cidr


@st.composite
def requests(draw: st.DrawFn, version: int) -> tuple[str, int, int]:
    width = 32 if version == 4 else 128
    address = draw(st.integers(min_value=0, max_value=(1 << width) - 1))
    prefix = draw(st.integers(min_value=0, max_value=width))
    host_bits = draw(st.integers(min_value=0, max_value=width - prefix))
    count = draw(st.integers(min_value=1, max_value=256))
    block = str(netaddr.IPNetwork((address, prefix), version=version))
    return block, count, host_bits


def expected(block: str, count: int, host_bits: int) -> list[str] | None:
    network = netaddr.IPNetwork(block)
    prefix = (32 if network.version == 4 else 128) - host_bits
    available = 1 << (prefix - network.prefixlen)
    if count > available:
        return None
    return [str(subnet) for subnet in islice(network.subnet(prefix), count)]


@given(requests(4))
def test_ipv4_matches_netaddr(request: tuple[str, int, int]) -> None:
    block, count, host_bits = request
    result = fn_cidr(block, count, host_bits)
    wanted = expected(block, count, host_bits)
    if wanted is None:
        assert isinstance(result, str) and "only" in result
    else:
        assert result == wanted


@given(requests(6))
def test_ipv6_matches_netaddr(request: tuple[str, int, int]) -> None:
    block, count, host_bits = request
    result = fn_cidr(block, count, host_bits)
    wanted = expected(block, count, host_bits)
    if wanted is None:
        assert isinstance(result, str) and "only" in result
    else:
        assert result == wanted


@given(
    st.sampled_from(["10.0.0.0/16", "2001:db8::/56"]),
    st.one_of(st.integers(max_value=0), st.integers(min_value=257)),
)
def test_count_outside_1_to_256_is_refused(block: str, count: int) -> None:
    result = fn_cidr(block, count, 8)
    assert isinstance(result, str) and "between 1 and 256" in result


@given(st.integers(min_value=17, max_value=200))
def test_more_host_bits_than_the_block_has_are_refused(host_bits: int) -> None:
    result = fn_cidr("10.0.0.0/16", 1, host_bits)
    assert isinstance(result, str) and "do not fit" in result


def test_aws_documentation_examples() -> None:
    # "!Cidr [ 192.168.0.0/24, 6, 5 ]" gives six /27s; IPv6 "!Cidr [..., 4, 64]" gives /64s.
    assert fn_cidr("192.168.0.0/24", 6, 5) == [
        "192.168.0.0/27",
        "192.168.0.32/27",
        "192.168.0.64/27",
        "192.168.0.96/27",
        "192.168.0.128/27",
        "192.168.0.160/27",
    ]
    assert fn_cidr("2600:1f14:ab:cd00::/56", 2, 64) == [
        "2600:1f14:ab:cd00::/64",
        "2600:1f14:ab:cd01::/64",
    ]


def test_host_bits_in_the_block_are_ignored() -> None:
    # The blocks are counted from the network the address lies in, as netaddr does.
    assert fn_cidr("10.0.3.7/16", 2, 8) == ["10.0.0.0/24", "10.0.1.0/24"]
