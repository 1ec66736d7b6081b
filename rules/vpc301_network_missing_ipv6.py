"""## What it does
Reports an AWS VPC or an Azure VNet without any IPv6 block. A VPC whose IPv6 block is
Amazon-provided (`assign_generated_ipv6_cidr_block = true`, an `AWS::EC2::VPCCidrBlock` with
`AmazonProvidedIpv6CidrBlock: true`) has one, even though its value is only known after apply.
When vpclint cannot tell whether IPv6 is enabled (an unresolved flag), nothing is reported.

## Why is this bad?
IPv4-only networks keep every workload behind NAT and public IPv4 addresses, which AWS bills per
address and hour. Adding IPv6 later means touching every subnet and route table; adding it when
the network is created costs nothing.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
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
```

## Options
None. Teams that stay IPv4-only on purpose turn the rule off: `ignore = ["VPC301", "VPC302"]`.

## References
- [Amazon VPC: IPv6 support for your VPC](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-migrate-ipv6.html)
- [Azure: IPv6 for virtual networks](https://learn.microsoft.com/azure/virtual-network/ip-services/ipv6-overview)
"""

from __future__ import annotations

from collections.abc import Iterator

from vpclint.api import Rule, RuleContext, Severity, Topology, Violation, sorted_violations

CHECKED_PROVIDERS = ("aws", "azure")


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    violations: list[Violation] = []
    for network in topology.networks:
        if network.external or network.provider not in CHECKED_PROVIDERS:
            continue
        if network.ipv6_blocks or network.ipv6 != "absent":
            continue
        violations.append(
            Violation(
                message=f"{network.address} has no IPv6 block",
                location=network.location,
                subject=network,
            )
        )
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC301",
    name="network-missing-ipv6",
    severity=Severity.WARNING,
    summary="An AWS VPC or Azure VNet without any IPv6 block",
    check=check,
    doc=__doc__,
)
