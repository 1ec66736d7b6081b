"""## What it does
Reports an AWS secondary IPv4 block that AWS refuses to associate because of the range of the
VPC's primary block:

| primary block in | secondary blocks not allowed in |
|---|---|
| 10.0.0.0/8 | 172.16.0.0/12, 192.168.0.0/16, 198.19.0.0/16; 10.0.0.0/16 (see below) |
| 172.16.0.0/12 | 10.0.0.0/8, 192.168.0.0/16, 172.31.0.0/16, 198.19.0.0/16 |
| 192.168.0.0/16 | 10.0.0.0/8, 172.16.0.0/12, 198.19.0.0/16 |
| 198.19.0.0/16 | 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 |
| anything else (public, 100.64.0.0/10) | 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 198.19.0.0/16 |

With a primary block in 10.0.0.0/8, a block from 10.0.0.0/16 is also refused when another block
of the VPC is in 10.0.0.0/15. Nothing is reported while the primary block is unresolved.

## Why is this bad?
`AssociateVpcCidrBlock` fails at apply time. Mixing RFC 1918 ranges is a natural idea when a
10.x VPC runs out of space, and AWS does not allow it.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "more" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "172.20.0.0/16"
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
      CidrBlock: 172.20.0.0/16
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "more" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.8.0.0/16"
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
      CidrBlock: 10.8.0.0/16
```

## Options
None: these are AWS's restrictions.

## References
- [Amazon VPC: IPv4 CIDR block association restrictions](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html#add-cidr-block-restrictions)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from vpclint.api import (
    AddressBlock,
    Network,
    Rule,
    RuleContext,
    Severity,
    Topology,
    Violation,
    block_subject,
    constant_network,
    contains,
    describe,
    overlaps,
    related,
    sorted_violations,
)

RFC1918 = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
BENCHMARK = "198.19.0.0/16"

# The primary block's range, and the ranges a secondary block may then not come from.
RESTRICTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("10.0.0.0/8", ("172.16.0.0/12", "192.168.0.0/16", BENCHMARK)),
    ("172.16.0.0/12", ("10.0.0.0/8", "192.168.0.0/16", "172.31.0.0/16", BENCHMARK)),
    ("192.168.0.0/16", ("10.0.0.0/8", "172.16.0.0/12", BENCHMARK)),
    (BENCHMARK, RFC1918),
)
ELSEWHERE = (*RFC1918, BENCHMARK)  # primary public or in 100.64.0.0/10
LOW_TEN = "10.0.0.0/16"
LOW_TEN_NEIGHBOURHOOD = "10.0.0.0/15"


def _restricted_for(primary: AddressBlock) -> tuple[str, tuple[str, ...]]:
    for primary_range, restricted in RESTRICTIONS:
        if contains(constant_network(primary_range), primary.network):
            return f"in {primary_range}", restricted
    return "outside RFC 1918 and 198.19.0.0/16", ELSEWHERE


def _low_ten_conflict(block: AddressBlock, others: Sequence[AddressBlock]) -> AddressBlock | None:
    """Another block in 10.0.0.0/15, which keeps ``block`` out of 10.0.0.0/16."""
    if not overlaps(block.network, constant_network(LOW_TEN)):
        return None
    for other in others:
        if (
            other is not block
            and other.network is not None
            and overlaps(other.network, constant_network(LOW_TEN_NEIGHBOURHOOD))
        ):
            return other
    return None


def _check_network(network: Network) -> Iterator[Violation]:
    primaries = [block for block in network.ipv4_blocks if block.origin == "primary"]
    if not primaries or primaries[0].network is None:
        return
    primary = primaries[0]
    where, restricted = _restricted_for(primary)
    for block in network.ipv4_blocks:
        if block is primary or block.network is None:
            continue
        for cidr in restricted:
            if overlaps(block.network, constant_network(cidr)):
                yield Violation(
                    message=f"secondary block {describe(block, network)} is in {cidr}, "
                    f"which AWS does not allow when the primary block ({primary.cidr}) is "
                    f"{where}",
                    location=block.location,
                    subject=block_subject(network, block)[0],
                    related=(*block_subject(network, block)[1], related(primary, network)),
                )
                break
        else:
            if where == "in 10.0.0.0/8":
                other = _low_ten_conflict(block, network.ipv4_blocks)
                if other is not None:
                    yield Violation(
                        message=f"secondary block {describe(block, network)} is in "
                        f"{LOW_TEN}, which AWS does not allow when another block "
                        f"({other.cidr}) is in {LOW_TEN_NEIGHBOURHOOD}",
                        location=block.location,
                        subject=block_subject(network, block)[0],
                        related=(*block_subject(network, block)[1], related(other, network)),
                    )


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    violations: list[Violation] = []
    for network in topology.networks:
        if network.provider == "aws" and not network.external:
            violations.extend(_check_network(network))
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC207",
    name="secondary-range-restricted",
    severity=Severity.ERROR,
    summary="An AWS secondary IPv4 block breaks AWS's association restrictions",
    check=check,
    doc=__doc__,
)
