from __future__ import annotations

import random

import netaddr
from hypothesis import given
from hypothesis import strategies as st

from vpclint.cidr import Interval, cidr_problem, free_blocks, overlapping_pairs, parse_cidr


def test_parse_cidr_accepts_full_forms_only() -> None:
    assert str(parse_cidr("10.12.3.0/16")) == "10.12.3.0/16"
    assert parse_cidr("2001:db8::/56") is not None
    for bad in ("10/8", "10.0.0.0", "10.0.0.256/24", "10.0.0.0/33", "010.0.0.0/8", "banana", ""):
        assert parse_cidr(bad) is None, bad
        assert cidr_problem(bad)


networks = st.builds(
    lambda value, prefix: netaddr.IPNetwork((value, prefix)).cidr,
    st.integers(0, 2**32 - 1),
    st.integers(8, 28),
)


@given(st.lists(networks, max_size=40))
def test_sweep_finds_exactly_the_overlapping_pairs(blocks: list[netaddr.IPNetwork]) -> None:
    expected = {
        (i, j)
        for i in range(len(blocks))
        for j in range(i + 1, len(blocks))
        if blocks[i].first <= blocks[j].last and blocks[j].first <= blocks[i].last
    }
    found = {
        tuple(sorted(pair))
        for pair in overlapping_pairs(Interval.of(b, i) for i, b in enumerate(blocks))
    }
    assert found == expected


def test_free_blocks_are_largest_aligned_gaps() -> None:
    used = [netaddr.IPNetwork("10.0.0.0/24"), netaddr.IPNetwork("10.0.2.0/24")]
    assert [str(b) for b in free_blocks(netaddr.IPNetwork("10.0.0.0/22"), used)] == [
        "10.0.1.0/24",
        "10.0.3.0/24",
    ]


def test_sweep_never_pairs_ipv4_with_ipv6() -> None:
    rng = random.Random(1)
    items = [
        Interval.of(netaddr.IPNetwork("::/96"), "v6"),
        Interval.of(netaddr.IPNetwork("0.0.0.0/0"), "v4"),
    ]
    rng.shuffle(items)
    assert list(overlapping_pairs(items)) == []
