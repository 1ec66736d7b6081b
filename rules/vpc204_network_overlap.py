"""## What it does
Reports two networks whose address space overlaps although nothing connects them (yet): no
peering, no shared transit gateway. One finding per pair of networks, at the block of the network
declared later, the other network related. Pairs that are connected are VPC203's
(`connected-overlap`), never reported twice.

All blocks count, as for VPC203: secondary and IPv6 blocks, GCP subnetwork ranges, the
10.128.0.0/9 of a GCP auto-mode network. Networks declared in the configuration
(`external-networks`) are compared with the networks in scope, not with each other. A block
vpclint cannot resolve is never assumed to overlap.

## Why is this bad?
Overlapping networks can never be peered or routed to each other. The day two teams need to
talk, one of the networks has to be renumbered: every subnet, instance and database moved.
Choosing disjoint blocks now is free.

## Example
```hcl
resource "aws_vpc" "billing" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "search" {
  cidr_block = "10.0.0.0/16"
}
```

```yaml
Resources:
  Billing:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Search:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
```

## Use instead
```hcl
resource "aws_vpc" "billing" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "search" {
  cidr_block = "10.1.0.0/16"
}
```

```yaml
Resources:
  Billing:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Search:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.1.0.0/16
```

## Options
None. When an overlap is deliberate (isolated sandboxes that share one plan), suppress it on
either network: `# vpclint: ignore[VPC204] sandboxes are never connected`.

## References
- [Amazon VPC peering: overlapping CIDR blocks](https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-limitations)
- [AWS whitepaper: IP address planning for multi-VPC networks](https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-network-infrastructure/welcome.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from vpclint.api import Network, Related, Rule, RuleContext, Severity, Topology, Violation

from ._common import (
    Placed,
    describe,
    first_pair,
    id_of,
    more_pairs,
    network_space,
    related,
    self_overlaps,
    sorted_violations,
    source_order,
    unique,
)


class _Connectivity:
    """Which pairs of networks are connected, looked up in constant time per pair."""

    def __init__(self, topology: Topology) -> None:
        self.peered: set[frozenset[str]] = set()
        for connection in topology.connections:
            first, second = (topology.resolve(end) for end in connection.ends)
            if first is not None and second is not None:
                self.peered.add(frozenset((first.key, second.key)))
        self.gateways: dict[str, set[str]] = {}
        for attachment in topology.attachments:
            network = topology.resolve(attachment.network)
            if network is not None and attachment.gateway is not None:
                self.gateways.setdefault(network.key, set()).add(attachment.gateway)

    def connected(self, first: Network, second: Network) -> bool:
        if frozenset((first.key, second.key)) in self.peered:
            return True
        shared = self.gateways.get(first.key, set()) & self.gateways.get(second.key, set())
        return bool(shared)


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    order = source_order(topology)
    connectivity = _Connectivity(topology)

    def reported_last(placed: Placed) -> tuple[bool, tuple[str, int, int, int]]:
        # An external network is never the side a finding is reported at: it has no code here.
        return (not placed.network.external, order(placed.network))

    entries = [
        (placed.ip, placed)
        for network in topology.networks
        for placed in network_space(topology, network)
    ]
    pairs: dict[tuple[str, str], list[tuple[Placed, Placed]]] = {}
    for first, second in self_overlaps(entries):
        if first.network.key == second.network.key:
            continue
        if first.network.external and second.network.external:
            continue
        earlier, later = sorted((first, second), key=reported_last)
        key = (earlier.network.key, later.network.key)
        if connectivity.connected(earlier.network, later.network):
            continue
        pairs.setdefault(key, []).append((earlier, later))

    violations: list[Violation] = []
    for found in pairs.values():
        earlier, later = first_pair(found)
        others: list[Related] = [related(pair[0].block, pair[0].owner) for pair in found]
        if earlier.owner is not earlier.network:
            others.append(Related(location=earlier.network.location, resource=earlier.network))
        violations.append(
            Violation(
                message=f"{describe(later.block, later.owner)} overlaps "
                f"{describe(earlier.block, earlier.owner)}{more_pairs(len(found))}; the networks "
                "are not connected, and overlapping networks can never be peered",
                location=later.block.location,
                subject=later.network,
                related=tuple(unique(others, key=id_of)),
            )
        )
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC204",
    name="network-overlap",
    severity=Severity.WARNING,
    summary="Two networks in scope overlap but are not connected",
    check=check,
    doc=__doc__,
)
