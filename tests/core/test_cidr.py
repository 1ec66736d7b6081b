from __future__ import annotations

import random

import netaddr
from hypothesis import given
from hypothesis import strategies as st

from vpclint.topology.cidr import Interval, cidr_problem, free_blocks, overlapping_pairs, parse_cidr


def test_parse_cidr_accepts_full_forms_only() -> None:
    assert str(parse_cidr("10.12.3.0/16")) == "10.12.3.0/16"
    assert parse_cidr("2001:db8::/56") is not None
    for bad in ("10/8", "10.0.0.0", "10.0.0.256/24", "10.0.0.0/33", "010.0.0.0/8", "banana", ""):
        assert parse_cidr(bad) is None, bad
        assert cidr_problem(bad)


def _netaddr_reading(text: str) -> netaddr.IPNetwork | None:
    """netaddr's own parse of a dotted quad, with our full-form rules (no shorthand, no
    leading zeros): what parse_cidr must agree with."""
    address, slash, prefix = text.strip().partition("/")
    octets = address.split(".")
    if not slash or len(octets) != 4 or not prefix.isascii() or not prefix.isdigit():
        return None
    if any(not octet.isascii() or not octet.isdigit() or len(octet) > 3 for octet in octets):
        return None
    if len(prefix) > 2 or any(len(octet) > 1 and octet[0] == "0" for octet in octets):
        return None
    try:
        return netaddr.IPNetwork(text.strip(), version=4)
    except (netaddr.AddrFormatError, ValueError):
        return None


dotted_quads = st.builds(
    "{}.{}.{}.{}/{}{}".format,
    *[st.sampled_from(["0", "1", "10", "255", "256", "999", "01", "1000", "\u0661", " 1"])] * 4,
    st.sampled_from(["0", "8", "24", "32", "33", "99", "07", "", "\u0663"]),
    st.sampled_from(["", " ", "\n", "x"]),
)


@given(dotted_quads | st.text(alphabet="0123456789./ x:", max_size=20))
def test_parse_cidr_reads_ipv4_as_netaddr_does(text: str) -> None:
    expected = _netaddr_reading(text)
    found = parse_cidr(text)
    if found is not None and found.version == 6:
        # The alphabet holds ":", so some texts are IPv6 (``::/0``): not this test's subject.
        assert ":" in text and expected is None, text
        return
    assert (found is None) == (expected is None), text
    if found is not None and expected is not None:
        assert (found.value, found.prefixlen, found.version) == (
            expected.value,
            expected.prefixlen,
            4,
        )


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
