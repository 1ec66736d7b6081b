"""## What it does
Reports a subnet without an IPv6 block in a network that has one: a dual-stack gap. Subnets
whose IPv6 state vpclint cannot resolve are not reported.

## Why is this bad?
Instances in the subnet get no IPv6 address, so the network is dual-stack everywhere except where
it matters. IPv6-only peers cannot reach them, and they still need NAT for outbound traffic.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_subnet" "app" {
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
  VpcIpv6:
    Type: AWS::EC2::VPCCidrBlock
    Properties:
      VpcId: !Ref Vpc
      AmazonProvidedIpv6CidrBlock: true
  App:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_subnet" "app" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.0.1.0/24"
  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  VpcIpv6:
    Type: AWS::EC2::VPCCidrBlock
    Properties:
      VpcId: !Ref Vpc
      AmazonProvidedIpv6CidrBlock: true
  App:
    Type: AWS::EC2::Subnet
    DependsOn: VpcIpv6
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
      Ipv6CidrBlock: !Select [1, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 256, 64]]
```

## Options
None.

## References
- [Amazon VPC: add IPv6 to subnets](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-migrate-ipv6.html#vpc-migrate-ipv6-cidr)
- [Amazon VPC: subnet CIDR blocks (IPv6)](https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from vpclint.api import Network, Related, Rule, RuleContext, Severity, Topology, Violation

from ._common import related, sorted_violations


def _has_ipv6(network: Network) -> bool:
    return bool(network.ipv6_blocks) or network.ipv6 == "present"


def _network_ipv6(network: Network) -> tuple[str, tuple[Related, ...]]:
    if network.ipv6_blocks:
        known = [block for block in network.ipv6_blocks if block.cidr is not None]
        if known:
            listed = ", ".join(str(block.cidr) for block in known)
            return f"has {listed}", tuple(related(block, network) for block in known)
        block = network.ipv6_blocks[0]
        return "has one", (related(block, network),)
    return "has one", ()


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    violations: list[Violation] = []
    for subnet in topology.subnets:
        if subnet.ipv6_blocks or subnet.ipv6 != "absent":
            continue
        network = topology.resolve(subnet.network)
        if network is None or not _has_ipv6(network):
            continue
        has, related_blocks = _network_ipv6(network)
        violations.append(
            Violation(
                message=f"{subnet.address} has no IPv6 block, but its network "
                f"{network.address} {has} (dual-stack gap)",
                location=subnet.location,
                subject=subnet,
                related=related_blocks,
            )
        )
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC302",
    name="subnet-missing-ipv6",
    severity=Severity.WARNING,
    summary="A subnet without an IPv6 block in a network that has one",
    check=check,
    doc=__doc__,
)
