"""## What it does
Reports a network IPv4 block outside private address space: RFC 1918 (10.0.0.0/8,
172.16.0.0/12, 192.168.0.0/16) and RFC 6598 shared address space (100.64.0.0/10). Ranges that
can never be used (VPC402, `forbidden-range`) are reported there instead. For GCP the subnetwork
ranges are the network's blocks.

## Why is this bad?
Addresses outside private space belong to someone on the internet. Hosts in the network can no
longer reach that someone, and traffic meant for the owner's services may be routed into the
VPC. It is usually a typo (`11.0.0.0/16` for `10.0.0.0/16`) or an old habit; if the range is
really yours (BYOIP), suppress the finding with a reason.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "11.0.0.0/16"
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 11.0.0.0/16
```

## Use instead
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

## Options
None.

## References
- [RFC 1918: Address Allocation for Private Internets](https://www.rfc-editor.org/rfc/rfc1918)
- [RFC 6598: Shared Address Space (100.64.0.0/10)](https://www.rfc-editor.org/rfc/rfc6598)
- [Amazon VPC: VPC CIDR blocks](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html)
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
    constant_network,
    contains,
    network_space,
    overlaps,
    sorted_violations,
)

PRIVATE = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
# VPC402's ranges, repeated here so that the two rules never report one block twice.
FORBIDDEN = ("0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4")


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    private = [constant_network(cidr) for cidr in PRIVATE]
    forbidden = [constant_network(cidr) for cidr in FORBIDDEN]
    violations: list[Violation] = []
    for network in topology.networks:
        if network.external:
            continue
        for placed in network_space(topology, network):
            ip = placed.ip
            if ip.version != 4 or any(contains(space, ip) for space in private):
                continue
            if any(overlaps(space, ip) for space in forbidden):
                continue
            violations.append(
                Violation(
                    message=f"{placed.described} is public address "
                    "space (outside RFC 1918 and 100.64.0.0/10)",
                    location=placed.block.location,
                    subject=block_subject(placed.owner, placed.block)[0],
                    related=block_subject(placed.owner, placed.block)[1],
                )
            )
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC401",
    name="public-range",
    severity=Severity.WARNING,
    summary="A network block outside RFC 1918 and RFC 6598 space",
    check=check,
    doc=__doc__,
)
