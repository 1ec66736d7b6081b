"""## What it does
Reports a network block that overlaps another block of the same network: a secondary IPv4
association (`aws_vpc_ipv4_cidr_block_association`, `AWS::EC2::VPCCidrBlock`, a second entry of
an Azure VNet's `address_space`) that overlaps the primary block or another association. IPv6
blocks are compared with each other the same way. The finding is at the block listed later.

## Why is this bad?
The provider refuses the association. When blocks are computed (a module adding
`cidrsubnet(var.base, 4, 1)` as secondary to a VPC whose primary is `var.base` itself) the overlap
is invisible in review.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "more" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.128.0/17"
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
      CidrBlock: 10.0.128.0/17
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "more" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.1.0.0/17"
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
      CidrBlock: 10.1.0.0/17
```

## Options
None.

## References
- [Amazon VPC: add IPv4 CIDR blocks to a VPC](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html#add-ipv4-cidr)
- [Azure: virtual network address space](https://learn.microsoft.com/azure/virtual-network/manage-virtual-network)
"""

from __future__ import annotations

from collections.abc import Iterator

from vpclint.api import Rule, RuleContext, Severity, Topology, Violation

from ._common import describe, related, self_overlaps, sorted_violations


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    violations: list[Violation] = []
    for network in topology.networks:
        if network.external:
            continue
        for blocks in (network.ipv4_blocks, network.ipv6_blocks):
            entries = [
                (block.network, index)
                for index, block in enumerate(blocks)
                if block.network is not None
            ]
            for first, second in sorted(tuple(sorted(pair)) for pair in self_overlaps(entries)):
                earlier, later = blocks[first], blocks[second]
                kind = "the primary block" if earlier.origin == "primary" else "the block"
                violations.append(
                    Violation(
                        message=f"{describe(later, network)} overlaps {kind} {earlier.cidr} of "
                        "the same network",
                        location=later.location,
                        subject=network,
                        related=(related(earlier, network),),
                    )
                )
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC206",
    name="association-overlap",
    severity=Severity.ERROR,
    summary="A network's secondary block overlaps its primary or another of its blocks",
    check=check,
    doc=__doc__,
)
