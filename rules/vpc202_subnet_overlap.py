"""## What it does
Reports two subnets of one network whose blocks overlap: IPv4 with IPv4, IPv6 with IPv6, GCP
secondary ranges and Azure subnets included. One finding per pair of subnets, at the block of the
subnet declared later, the earlier one related. Overlaps between the ranges of a single subnet are
not this rule's concern, and a block vpclint cannot resolve is never assumed to overlap.

A block gets at most `max-partners` such findings, for the subnets declared first; the subnets
past that share one summary finding at the block, which counts them and names the first three
(related too). A `count = 1000` subnet that repeats one CIDR gives about ten thousand findings,
not half a million.

## Why is this bad?
The provider refuses the second subnet ("The CIDR '10.0.1.0/24' conflicts with another subnet").
With `count` and `cidrsubnet()` the clash is easy to miss: two resources computing their blocks
from the same base with overlapping `netnum` values look different in review and collide at apply.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.0.0/23"
}

resource "aws_subnet" "data" {
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
  App:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/23
  Data:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.0.0/23"
}

resource "aws_subnet" "data" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.2.0/24"
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  App:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/23
  Data:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.2.0/24
```

## Options
- `max-partners` (integer, default `10`): how many overlapping subnets get a finding of their own
  at one block; the rest are counted in one summary finding there. `0` reports only the summary.

```toml
[tool.vpclint.rules.VPC202]
max-partners = 3
```

A summary is suppressed by an ignore on the block's own subnet or on one of the subnets it names.

## References
- [Amazon VPC: subnet CIDR blocks](https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html)
- [Google Cloud: subnet ranges and secondary ranges](https://cloud.google.com/vpc/docs/subnets)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vpclint.api import (
    OverlapIndex,
    Placed,
    PlacedPair,
    ReportedBlock,
    Rule,
    RuleContext,
    Severity,
    Span,
    Topology,
    Violation,
    beyond_clause,
    beyond_related,
    cap_partners,
    capped_partners,
    first_pair,
    max_partners,
    more_pairs,
    sorted_violations,
    source_order,
    unique_related,
)

SubnetRank = tuple[str, int, int, int]


class _Ranks:
    """The order pairs are reported in: at the subnet declared later. Worked out on demand, once
    per subnet: only subnets that overlap something need one."""

    def __init__(self, topology: Topology) -> None:
        self.order = source_order(topology)
        self.known: dict[str, SubnetRank] = {}

    def of(self, placed: Placed) -> SubnetRank:
        rank = self.known.get(placed.owner.key)
        if rank is None:
            rank = self.known[placed.owner.key] = self.order(placed.owner)
        return rank


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    limit = max_partners(context.option("max-partners"))
    ranks = _Ranks(topology)
    violations: list[Violation] = []
    for network in topology.networks:
        blocks_of: dict[str, list[tuple[Span, Placed]]] = {}
        for subnet in topology.subnets_of(network):
            for block in subnet.all_ipv4_blocks + subnet.ipv6_blocks:
                if block.network is not None:
                    placed = Placed(network, subnet, block, block.network)
                    blocks_of.setdefault(subnet.key, []).append((placed.span, placed))
        index = OverlapIndex(
            [entry for entries in blocks_of.values() for entry in entries],
            rank=ranks.of,
            partner=lambda placed: placed.owner.key,
        )
        overlapping = {placed.owner.key: placed.owner for placed in index.overlapping()}
        subnets = f"subnets of {network.address}"
        for key in overlapping:
            for reported in _reported_blocks(blocks_of[key], index, ranks, limit):
                violations.extend(
                    _pair_violation(found, subnets) for _, found in reported.one_by_one
                )
                if reported.beyond_count:
                    violations.append(_summary_violation(reported, limit, subnets))
    yield from sorted_violations(violations)


def _reported_blocks(
    blocks: list[tuple[Span, Placed]], index: OverlapIndex[Placed], ranks: _Ranks, limit: int
) -> list[ReportedBlock[Any]]:
    """The findings of one subnet's blocks: counted where its partners can be counted (one block
    against subnets of one block each), listed otherwise."""
    if len(blocks) == 1:
        counted = capped_partners(
            index, blocks[0], ranks.of(blocks[0][1]), limit, lambda placed: placed
        )
        if counted is not None:
            return counted
    return list(cap_partners(_partners(blocks, index, ranks.known), limit))


def _partners(
    blocks: list[tuple[Span, Placed]], index: OverlapIndex[Placed], ranks: dict[str, SubnetRank]
) -> list[tuple[str, list[PlacedPair]]]:
    """The subnets declared before this one that overlap it, earliest first, with the pairs."""
    partners: dict[str, list[PlacedPair]] = {}
    own = ranks[blocks[0][1].owner.key]
    for span, later in blocks:
        for earlier in index.earlier(span, own):
            found = partners.get(earlier.owner.key)
            if found is None:
                partners[earlier.owner.key] = [(earlier, later)]
            else:
                found.append((earlier, later))
    return [(key, partners[key]) for key in sorted(partners, key=ranks.__getitem__)]


def _pair_violation(found: list[PlacedPair], subnets: str) -> Violation:
    earlier, later = first_pair(found)
    return Violation(
        message=f"{later.described} overlaps "
        f"{earlier.described}; both are {subnets}{more_pairs(len(found))}",
        location=later.block.location,
        subject=later.owner,
        related=tuple(unique_related([pair[0].as_related for pair in found])),
    )


def _summary_violation(reported: ReportedBlock[Any], limit: int, subnets: str) -> Violation:
    return Violation(
        message=f"{beyond_clause(reported, limit, noun='subnet')}; all are {subnets}",
        location=reported.placed.block.location,
        subject=reported.placed.owner,
        related=tuple(beyond_related(reported, with_networks=False)),
    )


RULE = Rule(
    code="VPC202",
    name="subnet-overlap",
    severity=Severity.ERROR,
    summary="Two subnets of one network overlap",
    check=check,
    doc=__doc__,
    options={"max-partners": 10},
)
