"""## What it does
Reports a network whose subnets use less than `min-utilization` (default 25%) of its IPv4
space. The message gives the share and a right-sized prefix: the smallest block that would hold
the same subnets at the minimum share or more.

It only speaks when it knows: every IPv4 block of the network and of its subnets must be
resolved, and at least one subnet must be in scope (a VPC whose subnets live in another
repository is not "empty").

## Why is this bad?
Address space given to a network that does not use it is taken from every future network. A /16
holding two /24 subnets keeps 99% of its space out of reach of the next VPC, the next region,
the next acquisition.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.0.0/24"
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  App:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/24
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/22"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.0.0/24"
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/22
  App:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/24
```

## Options
- `min-utilization` (number between 0 and 1, default `0.25`): the smallest share of the
  network's IPv4 space its subnets must cover.

```toml
[tool.vpclint.rules.VPC104]
min-utilization = 0.5
```

## References
- [Amazon VPC: subnet sizing](https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html)
- [AWS whitepaper: VPC and subnet IP address planning](https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-network-infrastructure/welcome.html)
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import Any

from vpclint.api import Network, Rule, RuleContext, Severity, Topology, Violation, sorted_violations

AWS_NARROWEST = 28


def _resolved_space(network: Network) -> list[Any] | None:
    blocks = [block.network for block in network.ipv4_blocks]
    if not blocks or any(block is None for block in blocks):
        return None
    return blocks


def _used_space(topology: Topology, network: Network) -> list[Any] | None:
    used: list[Any] = []
    for subnet in topology.subnets_of(network):
        for block in subnet.ipv4_blocks:
            if block.network is None:
                return None
            used.append(block.network)
    return used or None


class _Coverage:
    """The addresses the ``used`` blocks cover, merged once into disjoint ranges with running
    totals, so that each block of the network is counted by bisection (overlaps counted once):
    a network with thousands of blocks and thousands of subnets is not compared pair by pair.
    """

    def __init__(self, used: list[Any], version: int) -> None:
        merged: list[list[int]] = []
        for first, last in sorted(
            (int(block.first), int(block.last)) for block in used if block.version == version
        ):
            if merged and first <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        self.firsts = [first for first, _ in merged]
        self.lasts = [last for _, last in merged]
        self.before = [0]  # addresses covered by the ranges before each one
        for first, last in merged:
            self.before.append(self.before[-1] + last - first + 1)

    def covered(self, space: Any) -> int:
        """How many addresses of ``space`` the used blocks cover."""
        low, high = int(space.first), int(space.last)
        start = bisect_left(self.lasts, low)  # the first range that ends inside or after it
        stop = bisect_right(self.firsts, high)  # past the last range that starts inside it
        if start >= stop:
            return 0
        total = self.before[stop] - self.before[start]
        total -= max(low - self.firsts[start], 0)  # the parts outside ``space``, at either end
        total -= max(self.lasts[stop - 1] - high, 0)
        return total


def _right_sized_prefix(network: Network, used: int, min_utilization: float) -> int:
    """The prefix of the largest block that the used addresses still fill to the minimum."""
    exponent = math.floor(math.log2(used / min_utilization))
    prefix = 32 - max(exponent, math.ceil(math.log2(used)))
    if network.provider == "aws":
        prefix = min(prefix, AWS_NARROWEST)
    return prefix


def _percent(share: float) -> str:
    # A /16 holding one /28 is 0.02%: "0.0%" would read as "nothing at all".
    return f"{share:.1%}" if share >= 0.001 else "less than 0.1%"


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    min_utilization = float(context.option("min-utilization"))
    violations: list[Violation] = []
    for network in topology.networks:
        if network.external:
            continue
        space = _resolved_space(network)
        used_blocks = _used_space(topology, network) if space else None
        if space is None or used_blocks is None:
            continue
        total = sum(int(block.size) for block in space)
        coverage = _Coverage(used_blocks, version=4)
        free = sum(int(block.size) - coverage.covered(block) for block in space)
        used = total - free
        share = used / total
        if used == 0 or share >= min_utilization:
            continue
        blocks = ", ".join(str(block.cidr) for block in network.ipv4_blocks)
        prefix = _right_sized_prefix(network, used, min_utilization)
        violations.append(
            Violation(
                message=f"the subnets of {network.address} cover {_percent(share)} of its IPv4 "
                "space "
                f"({used:,} of {total:,} addresses in {blocks}), less than the "
                f"{min_utilization:.0%} minimum; a /{prefix} would hold them",
                location=network.ipv4_blocks[0].location,
                subject=network,
            )
        )
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC104",
    name="underused-network",
    severity=Severity.WARNING,
    summary="A network's subnets use too little of its IPv4 space",
    check=check,
    doc=__doc__,
    options={"min-utilization": 0.25},
)
