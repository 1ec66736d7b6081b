"""## What it does
Reports a CIDR block written with host bits set, such as `10.12.3.0/16`, and proposes the
canonical network address (`10.12.0.0/16`). IPv4 and IPv6 blocks of networks and subnets, and
the ranges other resources claim (an EKS cluster's service range), are checked.

## Why is this bad?
The block means something other than what it says. AWS silently stores the canonical form (so the
next plan shows a diff that never goes away), other tools reject the value, and a reader of the
code believes the network starts at an address where it does not. Usually the prefix length is
the typo: `10.12.3.0/16` was meant to be `10.12.3.0/24`.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.12.3.0/16"
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.12.3.0/16
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.12.0.0/16"
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.12.0.0/16
```

## Options
None.

## References
- [RFC 4632, section 3.1: prefixes and host bits](https://www.rfc-editor.org/rfc/rfc4632#section-3.1)
- [Amazon VPC: VPC CIDR blocks](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from vpclint.api import (
    ModuleArgument,
    Rule,
    RuleContext,
    Severity,
    Topology,
    Violation,
    block_subject,
    canonical,
    is_canonical,
    sorted_violations,
)


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    violations: list[Violation] = []
    for owner, block in topology.declared_blocks():
        network = block.network
        if network is None or is_canonical(network):
            continue
        if isinstance(owner, ModuleArgument):
            # What a module does with a value is not known: an interface address with its
            # prefix (a BGP peer's 169.254.1.1/30) is as meant there as a network.
            continue
        subject, others = block_subject(owner, block)
        violations.append(
            Violation(
                message=f"{block.cidr} has host bits set; the network is {canonical(network)}",
                location=block.location,
                subject=subject,
                related=others,
            )
        )
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC003",
    name="non-canonical-cidr",
    severity=Severity.WARNING,
    summary="A CIDR block has host bits set",
    check=check,
    doc=__doc__,
)
