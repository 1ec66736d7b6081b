"""## What it does
Reports an AWS VPC with more IPv4 blocks (primary and secondary associations), or more IPv6
blocks, than the default quota of 5 per VPC (`max-blocks`). Blocks count even when their value is
unresolved. The finding is at the first block over the quota.

## Why is this bad?
The association over the quota fails at apply time unless a quota increase was requested for the
account and region first. A VPC that keeps growing by secondary blocks is also a sign that it
should have been planned larger, or split.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "more" {
  count      = 5
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet("10.0.0.0/8", 8, count.index + 1)
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  More1:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.1.0.0/16}
  More2:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.2.0.0/16}
  More3:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.3.0.0/16}
  More4:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.4.0.0/16}
  More5:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.5.0.0/16}
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "more" {
  count      = 4
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet("10.0.0.0/8", 8, count.index + 1)
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  More1:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.1.0.0/16}
  More2:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.2.0.0/16}
```

## Options
- `max-blocks` (integer, default `5`): the number of IPv4 (and of IPv6) blocks a VPC may have.
  Raise it when the account's quota "IPv4 CIDR blocks per VPC" was increased.

```toml
[tool.vpclint.rules.VPC208]
max-blocks = 10
```

## References
- [Amazon VPC quotas: VPC and subnets](https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from vpclint.api import (
    Rule,
    RuleContext,
    Severity,
    Topology,
    Violation,
    block_subject,
    sorted_violations,
)


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    max_blocks = int(context.option("max-blocks"))
    violations: list[Violation] = []
    for network in topology.networks:
        if network.provider != "aws" or network.external:
            continue
        for family, blocks in (("IPv4", network.ipv4_blocks), ("IPv6", network.ipv6_blocks)):
            if len(blocks) <= max_blocks:
                continue
            first_over = blocks[max_blocks]
            subject, others = block_subject(network, first_over)
            added = f"; {subject.address} adds the first past it" if subject is not network else ""
            violations.append(
                Violation(
                    message=f"{network.address} has {len(blocks)} {family} blocks, more than "
                    f"the quota of {max_blocks} per VPC{added}",
                    location=first_over.location,
                    subject=subject,
                    related=others,
                )
            )
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC208",
    name="too-many-blocks",
    severity=Severity.WARNING,
    summary="More blocks on one VPC than the quota",
    check=check,
    doc=__doc__,
    options={"max-blocks": 5},
)
