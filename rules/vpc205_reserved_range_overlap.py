"""## What it does
Reports a network block that overlaps a range reserved for something else: an entry of
`reserved-ranges` in the configuration (on-premises sites, partners, other clouds; the message
names the label), or 172.17.0.0/16, the default bridge network of Docker, which AWS advises
against because containers on hosts in the VPC could not reach it.

Every block of every network in scope counts (for GCP, the subnetwork ranges). Networks declared
in `external-networks` are not compared with reserved ranges: both live outside the repository.

## Why is this bad?
Traffic from the network to the reserved range goes to the wrong place: a VPC in 10.20.0.0/16
cannot reach the office LAN in 10.20.0.0/16 over a VPN, and a VPC in 172.17.0.0/16 breaks every
Docker host in it, because the host routes that range to its own bridge.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "172.17.0.0/16"
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 172.17.0.0/16
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block = "172.20.0.0/16"
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 172.20.0.0/16
```

## Options
None of its own. Reserved ranges come from the top-level configuration key `reserved-ranges`:

```toml
[tool.vpclint.reserved-ranges]
on-prem = ["10.0.0.0/12", "192.168.0.0/16"]
partner-acme = "172.24.0.0/14"
```

## References
- [Amazon VPC: VPC CIDR blocks (avoid 172.17.0.0/16)](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html)
- [Docker: default bridge network](https://docs.docker.com/engine/network/drivers/bridge/)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vpclint.api import (
    Placed,
    Rule,
    RuleContext,
    Severity,
    Topology,
    Violation,
    block_subject,
    cross_overlaps,
    network_space,
    parse_cidr,
    sorted_violations,
)

DOCKER_BRIDGE = "172.17.0.0/16"
DOCKER_LABEL = "Docker's default bridge network; AWS advises against it"


def _reserved(topology: Topology) -> list[tuple[Any, tuple[str, str]]]:
    """Every reserved range as (network, (label, cidr)); config entries first, then Docker's."""
    ranges: list[tuple[Any, tuple[str, str]]] = []
    for label, cidrs in topology.reserved_ranges.items():
        for cidr in cidrs:
            network = parse_cidr(cidr)
            if network is not None:
                ranges.append((network, (label, cidr)))
    docker = parse_cidr(DOCKER_BRIDGE)
    ranges.append((docker, ("", DOCKER_BRIDGE)))
    return ranges


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    entries = [
        (placed.ip, placed)
        for network in topology.networks
        if not network.external
        for placed in network_space(topology, network)
    ]
    found: dict[tuple[int, str], tuple[Placed, list[str]]] = {}
    for placed, (label, cidr) in cross_overlaps(entries, _reserved(topology)):
        key = (id(placed), label)
        found.setdefault(key, (placed, []))[1].append(cidr)

    violations: list[Violation] = []
    for (_, label), (placed, cidrs) in found.items():
        ranges = ", ".join(cidrs)
        what = f"the reserved range {label} ({ranges})" if label else f"{ranges}, {DOCKER_LABEL}"
        subject, others = block_subject(placed.owner, placed.block)
        added = f" (added by {subject.address})" if subject is not placed.owner else ""
        violations.append(
            Violation(
                message=f"{placed.block.cidr} of {placed.owner.address}{added} overlaps {what}",
                location=placed.block.location,
                subject=subject,
                related=others,
            )
        )
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC205",
    name="reserved-range-overlap",
    severity=Severity.WARNING,
    summary="A network overlaps a reserved range (on-premises, partners, Docker's bridge)",
    check=check,
    doc=__doc__,
)
