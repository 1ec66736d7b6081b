"""free_blocks on integers gives netaddr IPSet's answer (the oracle), for IPv4 and IPv6."""

from __future__ import annotations

import netaddr
from hypothesis import given, settings
from hypothesis import strategies as st

from vpclint.topology.cidr import free_blocks


def _oracle(space: netaddr.IPNetwork, used: list[netaddr.IPNetwork]) -> list[str]:
    remaining = netaddr.IPSet([space]) - netaddr.IPSet(
        [block for block in used if block.version == space.version]
    )
    return [str(block) for block in remaining.iter_cidrs()]


def _network(version: int) -> st.SearchStrategy[netaddr.IPNetwork]:
    bits = 32 if version == 4 else 128
    return st.builds(
        lambda value, prefix: netaddr.IPNetwork((value, prefix), version=version),
        st.integers(min_value=0, max_value=(1 << bits) - 1),
        st.integers(min_value=0, max_value=bits),
    )


def _case(version: int) -> st.SearchStrategy[tuple[netaddr.IPNetwork, list[netaddr.IPNetwork]]]:
    def around(space: netaddr.IPNetwork) -> st.SearchStrategy[list[netaddr.IPNetwork]]:
        bits = 32 if version == 4 else 128
        inside = st.builds(
            lambda offset, prefix: netaddr.IPNetwork(
                (space.first + offset % space.size, max(prefix, space.prefixlen)), version=version
            ),
            st.integers(min_value=0, max_value=(1 << bits) - 1),
            st.integers(min_value=0, max_value=bits),
        )
        return st.lists(st.one_of(inside, _network(version), _network(10 - version)), max_size=8)

    return _network(version).flatmap(lambda space: st.tuples(st.just(space), around(space)))


@settings(max_examples=200, deadline=None)
@given(st.one_of(_case(4), _case(6)))
def test_free_blocks_match_netaddr_ipset(
    case: tuple[netaddr.IPNetwork, list[netaddr.IPNetwork]],
) -> None:
    space, used = case
    assert [str(block) for block in free_blocks(space, used)] == _oracle(space, used)


def test_host_bits_and_whole_space() -> None:
    space = netaddr.IPNetwork("10.0.0.7/22")
    used = [netaddr.IPNetwork("10.0.1.9/24"), netaddr.IPNetwork("192.168.0.0/16")]
    assert [str(block) for block in free_blocks(space, used)] == ["10.0.0.0/24", "10.0.2.0/23"]
    assert [str(block) for block in free_blocks(space, used[1:])] == ["10.0.0.7/22"]
    everything = netaddr.IPNetwork("0.0.0.0/0")
    assert [str(block) for block in free_blocks(everything, [])] == ["0.0.0.0/0"]
    assert free_blocks(everything, [everything]) == []
