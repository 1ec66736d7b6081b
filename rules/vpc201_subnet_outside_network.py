"""## What it does
Reports a subnet block that is not inside any block of its network, primary or secondary, of the
same IP version; and an IPv6 subnet block in a network that has no IPv6 block at all. When the
network has a block vpclint cannot resolve, the subnet may lie in it and nothing is reported.

A secondary block counts only when it is associated with the network in scope: a subnet in
`10.1.0.0/24` needs the `10.1.0.0/16` association, not just a plan to add it.

## Why is this bad?
The provider rejects the subnet ("The CIDR '10.1.0.0/24' is invalid for this VPC"). With
computed CIDRs (`cidrsubnet(var.base, 8, count.index)`) the mistake hides until the values meet,
often in one environment only.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.1.0.0/24"
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
      CidrBlock: 10.1.0.0/24
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "more" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.1.0.0/24"
  depends_on = [aws_vpc_ipv4_cidr_block_association.more]
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  More:
    Type: AWS::EC2::VPCCidrBlock
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.1.0.0/16
  App:
    Type: AWS::EC2::Subnet
    DependsOn: More
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.1.0.0/24
```

## Options
None.

## References
- [Amazon VPC: subnet CIDR blocks](https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html)
- [Amazon VPC: add IPv4 CIDR blocks to a VPC](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html)
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from typing import Any

from vpclint.api import (
    AddressBlock,
    Network,
    Rule,
    RuleContext,
    Severity,
    Subnet,
    Topology,
    Violation,
    block_subject,
    describe,
    related,
    sorted_violations,
)


class _Space:
    """A network's resolved blocks of one IP version, sorted, with the furthest end reached so
    far: whether one contains a subnet block is a bisection, not a scan of every block (a
    network with thousands of associations and thousands of subnets)."""

    def __init__(self, networks: list[Any], version: int) -> None:
        ranges = sorted((int(ip.first), int(ip.last)) for ip in networks if ip.version == version)
        self.firsts = [first for first, _ in ranges]
        self.reach: list[int] = []
        for _, last in ranges:
            self.reach.append(max(last, self.reach[-1]) if self.reach else last)

    def contains(self, ip: Any) -> bool:
        # Some block starting at or before the subnet's first address ends at or after its last.
        before = bisect_right(self.firsts, int(ip.first))
        return before > 0 and self.reach[before - 1] >= int(ip.last)


class _Spaces:
    """Each network's ``_Space`` per IP version, built once; None while a block is unresolved
    (the subnet may lie in the block vpclint cannot see)."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, int], _Space | None] = {}

    def of(self, network: Network, version: int, blocks: Sequence[AddressBlock]) -> _Space | None:
        key = (network.key, version)
        if key not in self.known:
            networks = [block.network for block in blocks]
            resolved = all(ip is not None for ip in networks)
            self.known[key] = _Space(networks, version) if resolved else None
        return self.known[key]


def _outside(
    subnet: Subnet, block: AddressBlock, network: Network, spaces: _Spaces
) -> Violation | None:
    ip = block.network
    if ip is None:
        return None
    version = ip.version
    network_blocks = network.ipv4_blocks if version == 4 else network.ipv6_blocks
    space = spaces.of(network, version, network_blocks)
    subject, others = block_subject(subnet, block)
    if space is None:
        return None  # it may lie in the block we cannot see
    if not network_blocks:
        if version == 4 or network.ipv6 != "absent":
            return None  # GCP networks own no blocks; an unknown IPv6 state proves nothing
        return Violation(
            message=f"{describe(block, subnet)} is an IPv6 block, but {network.address} has no "
            "IPv6 block",
            location=block.location,
            subject=subject,
            related=others,
        )
    if space.contains(ip):
        return None
    listed = ", ".join(str(candidate.cidr) for candidate in network_blocks)
    plural = "any IPv4 block" if version == 4 else "any IPv6 block"
    return Violation(
        message=f"{describe(block, subnet)} is not inside {plural} of {network.address} ({listed})",
        location=block.location,
        subject=subject,
        related=others + tuple(related(candidate, network) for candidate in network_blocks),
    )


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    violations: list[Violation] = []
    spaces = _Spaces()
    for subnet in topology.subnets:
        network = topology.resolve(subnet.network)
        if network is None:
            continue
        for block in subnet.ipv4_blocks + subnet.ipv6_blocks:
            violation = _outside(subnet, block, network, spaces)
            if violation is not None:
                violations.append(violation)
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC201",
    name="subnet-outside-network",
    severity=Severity.ERROR,
    summary="A subnet block is not inside any block of its network",
    check=check,
    doc=__doc__,
)
