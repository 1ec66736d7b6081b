"""## What it does
Reports an AWS VPC block whose size AWS rejects. IPv4 blocks, the primary one and every
secondary association alike, must be between /16 (65,536 addresses) and /28 (16 addresses).
IPv6 blocks are /56 when Amazon provides them; a block given as a value (BYOIP or an IPAM pool)
must be /44 to /60 in steps of 4.

## Why is this bad?
`CreateVpc` or `AssociateVpcCidrBlock` fails at apply time, often halfway through a change that
already created other resources. A /8 or /12 "to be safe" is a common mistake: AWS does not
allow it, and secondary blocks are the way to grow a VPC.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/12"
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/12
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
```

## Options
None: these are AWS's limits. A stricter policy on size is VPC103 (`oversized-network`).

## References
- [Amazon VPC: VPC CIDR blocks (size limits)](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html)
- [Amazon VPC: IPv6 VPC CIDR blocks](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html#vpc-sizing-ipv6)
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
    describe,
    provider_rules,
    sorted_violations,
)


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    violations: list[Violation] = []
    for network in topology.networks:
        provider = provider_rules(network.provider)
        if network.external or provider is None:
            continue
        for block in network.ipv4_blocks + network.ipv6_blocks:
            ip = block.network
            sizes = provider.network_size(ip.version) if ip is not None else None
            if ip is None or sizes is None or sizes.accepts(ip.prefixlen):
                continue
            subject, others = block_subject(network, block)
            violations.append(
                Violation(
                    message=f"{describe(block, network)} is a /{ip.prefixlen}; {sizes.says}",
                    location=block.location,
                    subject=subject,
                    related=others,
                )
            )
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC101",
    name="network-size-out-of-range",
    severity=Severity.ERROR,
    summary="The provider would reject the network block's size",
    check=check,
    doc=__doc__,
)
