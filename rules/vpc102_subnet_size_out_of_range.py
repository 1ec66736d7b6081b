"""## What it does
Reports a subnet block whose size the provider rejects:

- AWS subnets: IPv4 from /16 to /28; IPv6 /64. IPAM-managed VPCs may also use IPv6 subnets of
  /44 to /60 in steps of 4; since the code does not tell which VPCs those are, these sizes are
  accepted and every other IPv6 size is reported.
- Azure subnets: IPv4 from /2 to /29; IPv6 exactly /64.
- GCP subnetworks: primary IPv4 range /29 or larger (secondary ranges are not checked).

## Why is this bad?
The subnet fails at apply time. A /29 or /30 "for a single instance" is a common mistake on AWS,
which reserves five addresses in every subnet and refuses anything smaller than a /28.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "tiny" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.0.0/29"
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Tiny:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/29
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "tiny" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.0.0/28"
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Tiny:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/28
```

## Options
None: these are the providers' limits.

## References
- [Amazon VPC: subnet sizing](https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html)
- [Azure virtual network FAQ: subnet sizes](https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq)
- [Google Cloud: subnet ranges](https://cloud.google.com/vpc/docs/subnets#valid-ranges)
"""

from __future__ import annotations

from collections.abc import Iterator

from vpclint.api import (
    AddressBlock,
    Rule,
    RuleContext,
    Severity,
    Subnet,
    Topology,
    Violation,
    block_subject,
    describe,
    provider_rules,
    sorted_violations,
)


def _check_block(subnet: Subnet, block: AddressBlock) -> Violation | None:
    ip = block.network
    if ip is None:
        return None
    provider = provider_rules(subnet.provider)
    sizes = provider.subnet_size(ip.version) if provider is not None else None
    if sizes is None or sizes.accepts(ip.prefixlen):
        return None
    subject, others = block_subject(subnet, block)
    return Violation(
        message=f"{describe(block, subnet)} is a /{ip.prefixlen}; {sizes.says}",
        location=block.location,
        subject=subject,
        related=others,
    )


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    violations: list[Violation] = []
    for subnet in topology.subnets:
        for block in subnet.ipv4_blocks + subnet.ipv6_blocks:
            violation = _check_block(subnet, block)
            if violation is not None:
                violations.append(violation)
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC102",
    name="subnet-size-out-of-range",
    severity=Severity.ERROR,
    summary="The provider would reject the subnet block's size",
    check=check,
    doc=__doc__,
)
