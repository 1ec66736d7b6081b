"""## What it does
Reports a subnet without an IPv6 block in a network that has one: a dual-stack gap. Subnets
whose IPv6 state vpclint cannot resolve are not reported. When more than `max-per-network`
subnets of one network have the gap, it is one finding for the network (at its declaration),
listing the subnets: giving a network's subnets IPv6 is one decision, not one per subnet.

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
- `max-per-network` (default 3): up to this many subnets of one network are reported one by one
  (each at the subnet to change, where a suppression applies to it alone); more are one finding
  for the network. Three is one subnet per availability zone of one tier in the usual three-zone
  layout: past that the gap is the network's IPv6 plan not being applied, and a finding per
  subnet buries the errors (on the benchmark repository, 2,352 of 4,119 findings).

## References
- [Amazon VPC: add IPv6 to subnets](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-migrate-ipv6.html#vpc-migrate-ipv6-cidr)
- [Amazon VPC: subnet CIDR blocks (IPv6)](https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from vpclint.api import (
    Network,
    Related,
    Rule,
    RuleContext,
    Severity,
    Subnet,
    Topology,
    Violation,
    related,
    sorted_violations,
)

# How many subnet addresses a finding for a whole network names; the rest are counted.
LISTED_SUBNETS = 10


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
    per_network = int(context.options["max-per-network"])
    gaps: dict[str, tuple[Network, list[Subnet]]] = {}
    for subnet in topology.subnets:
        if subnet.ipv6_blocks or subnet.ipv6 != "absent":
            continue
        network = topology.resolve(subnet.network)
        if network is None or not _has_ipv6(network):
            continue
        gaps.setdefault(network.key, (network, []))[1].append(subnet)
    violations: list[Violation] = []
    for network, subnets in gaps.values():
        has, related_blocks = _network_ipv6(network)
        if len(subnets) > per_network:
            violations.append(_one_for_the_network(network, subnets, has, related_blocks))
            continue
        for subnet in subnets:
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


def _one_for_the_network(
    network: Network, subnets: list[Subnet], has: str, related_blocks: tuple[Related, ...]
) -> Violation:
    named = sorted(subnet.address for subnet in subnets)
    listed = ", ".join(named[:LISTED_SUBNETS])
    if len(named) > LISTED_SUBNETS:
        listed += f" and {len(named) - LISTED_SUBNETS} more"
    return Violation(
        message=f"{len(subnets)} subnets of {network.address} have no IPv6 block, but the "
        f"network {has} (dual-stack gap): {listed}",
        location=network.location,
        subject=network,
        related=(
            *related_blocks,
            *(Related(location=subnet.location, resource=subnet) for subnet in subnets),
        ),
    )


RULE = Rule(
    code="VPC302",
    name="subnet-missing-ipv6",
    severity=Severity.WARNING,
    summary="A subnet without an IPv6 block in a network that has one",
    check=check,
    options={"max-per-network": 3},
    doc=__doc__,
)
