"""## What it does
Reports a network IPv4 block larger than the policy allows: by default anything wider than a /16
(`max-prefix = 16`). Azure VNet address spaces and AWS VPC blocks are checked. Blocks AWS would
reject anyway (wider than /16) are VPC101's, not reported twice.

## Why is this bad?
Private address space is finite and shared by every network that may one day be connected: other
VPCs, on-premises sites, partners. A VNet that takes a /8 "to never run out" makes every later
network overlap it, and networks that overlap can never be peered.

## Example
With a policy of nothing wider than a /20:

```toml
[rules.VPC103]
max-prefix = 20
```

```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/18"
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/18
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/20"
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/20
```

## Options
- `max-prefix` (integer, default `16`): the widest prefix allowed; a block with a shorter prefix
  (more addresses) is reported.

```toml
[tool.vpclint.rules.VPC103]
max-prefix = 20
```

## References
- [AWS whitepaper: Building a scalable and secure multi-VPC network infrastructure, IP address planning](https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-network-infrastructure/welcome.html)
- [Azure: plan virtual networks](https://learn.microsoft.com/azure/virtual-network/virtual-network-vnet-plan-design-arm)
"""

from __future__ import annotations

from collections.abc import Iterator

from vpclint.api import Rule, RuleContext, Severity, Topology, Violation, sorted_violations

AWS_WIDEST = 16  # anything wider is VPC101's


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    max_prefix = int(context.option("max-prefix"))
    violations: list[Violation] = []
    for network in topology.networks:
        if network.external:
            continue
        for block in network.ipv4_blocks:
            ip = block.network
            if ip is None or ip.prefixlen >= max_prefix:
                continue
            if network.provider == "aws" and ip.prefixlen < AWS_WIDEST:
                continue
            violations.append(
                Violation(
                    message=f"{block.cidr} of {network.address} spans {ip.size:,} addresses, "
                    f"wider than the /{max_prefix} the policy allows",
                    location=block.location,
                    subject=network,
                )
            )
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC103",
    name="oversized-network",
    severity=Severity.WARNING,
    summary="A network's IPv4 space is larger than policy",
    check=check,
    doc=__doc__,
    options={"max-prefix": 16},
)
