"""Micro-benchmark: pairwise overlap detection must scale as O(n log n + k), not O(n^2).

Builds topologies of up to 200,000 networks with random IPv4 blocks (a quarter also with an IPv6
block; 2% reuse an earlier block, so there are overlaps to find), then times the raw sweep
(vpclint.topology.cidr.overlapping_pairs) and the rules that use it (VPC204 network-overlap, VPC205
reserved-range-overlap). CPU time is measured, so other processes on the machine matter less.
Doubling n should roughly double the time; a quadratic algorithm would quadruple it (and 200,000
networks would take hours).

Run: python benchmarks/overlap_sweep.py [--max 200000] [--seed 7]
Not part of pytest: timings belong here, not in unit tests.
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from collections.abc import Callable
from functools import partial

from vpclint.api import AddressBlock, Network, Rule, RuleContext, SourceLocation, Topology
from vpclint.rules.vpc204_network_overlap import RULE as NETWORK_OVERLAP
from vpclint.rules.vpc205_reserved_range_overlap import RULE as RESERVED_OVERLAP
from vpclint.topology.cidr import Interval, overlapping_pairs

SLOT_PREFIX = 20  # every network gets its own /20 slot of the IPv4 space...
REUSE_SHARE = 0.02  # ...except 2% that copy an earlier network's block (deliberate overlaps)


def _dotted(value: int) -> str:
    return ".".join(str((value >> shift) & 255) for shift in (24, 16, 8, 0))


def random_topology(count: int, rng: random.Random) -> Topology:
    """Networks like a large organisation's: mostly disjoint, some reused or nested blocks.

    Overlaps then grow with the number of networks, not with its square, so the timing shows
    the algorithm's cost rather than the size of its output.
    """
    topology = Topology(reserved_ranges={"on-prem": ("10.20.0.0/16", "192.168.0.0/16")})
    slots = rng.sample(range(1 << SLOT_PREFIX), count)
    blocks: list[str] = []
    for index in range(count):
        location = SourceLocation(file=f"net{index % 500}.tf", line=index + 1)
        if blocks and rng.random() < REUSE_SHARE:
            cidr = rng.choice(blocks)
        else:
            prefix = rng.randint(SLOT_PREFIX, 28)
            inside = rng.getrandbits(prefix - SLOT_PREFIX) << (32 - prefix)
            cidr = f"{_dotted((slots[index] << (32 - SLOT_PREFIX)) + inside)}/{prefix}"
        blocks.append(cidr)
        ipv4 = (AddressBlock(cidr=cidr, location=location, version=4),)
        ipv6: tuple[AddressBlock, ...] = ()
        if index % 4 == 0:
            ipv6 = (
                AddressBlock(
                    cidr=f"fd{index >> 16:02x}:{index & 0xFFFF:x}::/56",
                    location=location,
                    version=6,
                ),
            )
        topology.networks.append(
            Network(
                key=f"aws_vpc.n{index}",
                address=f"aws_vpc.n{index}",
                kind="aws_vpc",
                provider="aws",
                location=location,
                ipv4_blocks=ipv4,
                ipv6_blocks=ipv6,
                ipv6="present" if ipv6 else "absent",
            )
        )
    return topology


def timed(action: Callable[[], int]) -> tuple[float, int]:
    start = time.process_time()
    result = action()
    return time.process_time() - start, result


def count_pairs(intervals: list[Interval[str]]) -> int:
    return sum(1 for _ in overlapping_pairs(intervals))


def count_violations(rule: Rule, topology: Topology) -> int:
    return len(list(rule.run(topology, RuleContext(options=dict(rule.options)))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=200_000, help="largest number of networks")
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()

    sizes = []
    size = arguments.max
    while size >= 12_500:
        sizes.append(size)
        size //= 2
    sizes.reverse()

    header = ("networks", "pairs", "sweep s", "VPC204 s", "VPC205 s", "x prev")
    print("{:>9} {:>8} {:>8} {:>9} {:>9} {:>7}".format(*header))
    previous: float | None = None
    for count in sizes:
        topology = random_topology(count, random.Random(arguments.seed))
        intervals = [
            Interval.of(block.network, network.key)
            for network in topology.networks
            for block in network.ipv4_blocks + network.ipv6_blocks
            if block.network is not None
        ]
        gc.collect()
        # As in a vpclint run (cli.py): the cyclic collector is off while the rules run, since
        # they make many objects and no cycles; its passes would be most of the time measured.
        gc.disable()
        sweep_time, pairs = timed(partial(count_pairs, intervals))
        network_time, _ = timed(partial(count_violations, NETWORK_OVERLAP, topology))
        reserved_time, _ = timed(partial(count_violations, RESERVED_OVERLAP, topology))
        gc.enable()
        total = sweep_time + network_time + reserved_time
        growth = f"{total / previous:6.2f}x" if previous else "      -"
        previous = total
        print(
            f"{count:>9,} {pairs:>8,} {sweep_time:>8.2f} {network_time:>9.2f} "
            f"{reserved_time:>9.2f} {growth:>7}"
        )
    print("Doubling the networks should roughly double the time (quadratic would be 4x).")


if __name__ == "__main__":
    main()
