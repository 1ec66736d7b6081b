"""## What it does
Reports two subnets of one network whose blocks overlap: IPv4 with IPv4, IPv6 with IPv6, GCP
secondary ranges and Azure subnets included. One finding per pair of subnets, at the block of the
subnet declared later, the earlier one related. Overlaps between the ranges of a single subnet are
not this rule's concern, and a block vpclint cannot resolve is never assumed to overlap.

## Why is this bad?
The provider refuses the second subnet ("The CIDR '10.0.1.0/24' conflicts with another subnet").
With `count` and `cidrsubnet()` the clash is easy to miss: two resources computing their blocks
from the same base with overlapping `netnum` values look different in review and collide at apply.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.0.0/23"
}

resource "aws_subnet" "data" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
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
      CidrBlock: 10.0.0.0/23
  Data:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.0.0/23"
}

resource "aws_subnet" "data" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.2.0/24"
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
      CidrBlock: 10.0.0.0/23
  Data:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.2.0/24
```

## Options
None.

## References
- [Amazon VPC: subnet CIDR blocks](https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html)
- [Google Cloud: subnet ranges and secondary ranges](https://cloud.google.com/vpc/docs/subnets)
"""

from __future__ import annotations

from collections.abc import Iterator

from vpclint.api import Rule, RuleContext, Severity, Topology, Violation

from ._common import (
    Placed,
    describe,
    first_pair,
    id_of,
    more_pairs,
    related,
    self_overlaps,
    sorted_violations,
    source_order,
    unique,
)


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    order = source_order(topology)
    violations: list[Violation] = []
    for network in topology.networks:
        entries = [
            (block.network, Placed(network, subnet, block, block.network))
            for subnet in topology.subnets_of(network)
            for block in subnet.all_ipv4_blocks + subnet.ipv6_blocks
            if block.network is not None
        ]
        pairs: dict[tuple[str, str], list[tuple[Placed, Placed]]] = {}
        for first, second in self_overlaps(entries):
            if first.owner.key == second.owner.key:
                continue
            earlier, later = sorted((first, second), key=lambda placed: order(placed.owner))
            pairs.setdefault((earlier.owner.key, later.owner.key), []).append((earlier, later))
        for found in pairs.values():
            earlier, later = first_pair(found)
            violations.append(
                Violation(
                    message=f"{describe(later.block, later.owner)} overlaps "
                    f"{describe(earlier.block, earlier.owner)}; both are subnets of "
                    f"{network.address}{more_pairs(len(found))}",
                    location=later.block.location,
                    subject=later.owner,
                    related=tuple(
                        unique([related(pair[0].block, pair[0].owner) for pair in found], key=id_of)
                    ),
                )
            )
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC202",
    name="subnet-overlap",
    severity=Severity.ERROR,
    summary="Two subnets of one network overlap",
    check=check,
    doc=__doc__,
)
