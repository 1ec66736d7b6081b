"""## What it does
Reports a network IPv4 block in a range that can never be used for a network: 0.0.0.0/8
("this network"), 127.0.0.0/8 (loopback), 169.254.0.0/16 (link-local, where cloud metadata
services live), 224.0.0.0/4 (multicast) or 240.0.0.0/4 (reserved). A block that merely overlaps
one of them (`0.0.0.0/0`) counts. For GCP the subnetwork ranges are the network's blocks.

## Why is this bad?
Providers refuse these ranges, and where a tool lets them through, hosts cannot route to them:
an instance in 169.254.0.0/16 collides with the instance metadata service, one in 127.0.0.0/8
talks to itself.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "169.254.0.0/16"
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 169.254.0.0/16
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.254.0.0/16"
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.254.0.0/16
```

## Options
None.

## References
- [RFC 6890: Special-Purpose IP Address Registries](https://www.rfc-editor.org/rfc/rfc6890)
- [Amazon VPC: VPC CIDR blocks (restricted ranges)](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html)
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
    network_space,
    overlaps,
    sorted_violations,
)

FORBIDDEN = (
    ("0.0.0.0/8", "'this network'"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),
)


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    forbidden = [(constant_network(cidr), cidr, label) for cidr, label in FORBIDDEN]
    violations: list[Violation] = []
    for network in topology.networks:
        if network.external:
            continue
        for placed in network_space(topology, network):
            hits = [
                f"{cidr} ({label})"
                for space, cidr, label in forbidden
                if overlaps(space, placed.ip)
            ]
            if not hits:
                continue
            violations.append(
                Violation(
                    message=f"{placed.described} is in "
                    f"{', '.join(hits)}, which cannot be used for a network",
                    location=placed.block.location,
                    subject=block_subject(placed.owner, placed.block)[0],
                    related=block_subject(placed.owner, placed.block)[1],
                )
            )
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC402",
    name="forbidden-range",
    severity=Severity.ERROR,
    summary="A network block in a range that can never be used for a network",
    check=check,
    doc=__doc__,
)
