"""## What it does
Reports a network block that overlaps another block of the same network: a secondary IPv4
association (`aws_vpc_ipv4_cidr_block_association`, `AWS::EC2::VPCCidrBlock`, a second entry of
an Azure VNet's `address_space`) that overlaps the primary block or another association. IPv6
blocks are compared with each other the same way. The finding is at the block listed later.

A block gets at most `max-partners` such findings, for the blocks listed first; the blocks past
that share one summary finding at the block, which counts them and names the first three (related
too). An association with `count = 1000` that repeats one CIDR gives about ten thousand findings,
not half a million.

## Why is this bad?
The provider refuses the association. When blocks are computed (a module adding
`cidrsubnet(var.base, 4, 1)` as secondary to a VPC whose primary is `var.base` itself) the overlap
is invisible in review.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "more" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.128.0/17"
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
      CidrBlock: 10.0.128.0/17
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "more" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.1.0.0/17"
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
      CidrBlock: 10.1.0.0/17
```

## Options
- `max-partners` (integer, default `10`): how many overlapping blocks get a finding of their own
  at one block; the rest are counted in one summary finding there. `0` reports only the summary.

```toml
[tool.vpclint.rules.VPC206]
max-partners = 3
```

## References
- [Amazon VPC: add IPv4 CIDR blocks to a VPC](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html#add-ipv4-cidr)
- [Azure: virtual network address space](https://learn.microsoft.com/azure/virtual-network/manage-virtual-network)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vpclint.api import (
    AddressBlock,
    OverlapIndex,
    Placed,
    PlacedPair,
    ReportedBlock,
    Rule,
    RuleContext,
    Severity,
    Topology,
    Violation,
    beyond_clause,
    beyond_related,
    block_subject,
    capped_partners,
    describe,
    max_partners,
    related,
    sorted_violations,
)


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    limit = max_partners(context.option("max-partners"))
    violations: list[Violation] = []
    for network in topology.networks:
        if network.external:
            continue
        for blocks in (network.ipv4_blocks, network.ipv6_blocks):
            # Ranked by position in the list: a pair is reported at the block listed later.
            placed = {
                position: Placed(network, network, block, block.network)
                for position, block in enumerate(blocks)
                if block.network is not None
            }
            index = OverlapIndex(
                [(entry.span, (position, entry)) for position, entry in placed.items()],
                rank=lambda item: item[0],
                partner=lambda item: item[0],
            )
            for later, later_placed in sorted(index.overlapping(), key=lambda item: item[0]):
                # Each block is its own partner: always countable, never listed in full.
                for reported in (
                    capped_partners(
                        index, (later_placed.span, later_placed), later, limit, lambda item: item[1]
                    )
                    or ()
                ):
                    violations.extend(_pair_violation(found) for _, found in reported.one_by_one)
                    if reported.beyond_count:
                        violations.append(_summary_violation(reported, limit))
    yield from sorted_violations(violations)


def _pair_violation(found: list[PlacedPair]) -> Violation:
    ((earlier, later),) = found
    block, network = later.block, later.network
    subject, others = block_subject(network, block)
    if subject is network:
        message = (
            f"{describe(block, network)} overlaps the {_name(earlier.block)} of the same network"
        )
    else:
        message = (
            f"{subject.address} adds {block.cidr} to {network.address}, overlapping its "
            f"{_name(earlier.block)}"
        )
    return Violation(
        message=message,
        location=block.location,
        subject=subject,
        related=(related(earlier.block, earlier.network), *others),
    )


def _summary_violation(reported: ReportedBlock[Any], limit: int) -> Violation:
    subject, others = block_subject(reported.placed.network, reported.placed.block)
    return Violation(
        message=f"{beyond_clause(reported, limit, noun='block', name=_place)}; all are blocks "
        "of the same network",
        location=reported.placed.block.location,
        subject=subject,
        related=(*beyond_related(reported), *others),
    )


def _name(block: AddressBlock) -> str:
    """``primary block 10.0.0.0/16``, ``block 10.1.0.0/16 (added by ...)``."""
    if block.origin == "primary":
        return f"primary block {block.cidr}"
    if block.origin_location is not None:
        return f"block {block.cidr} (added by {block.origin})"
    return f"block {block.cidr}"


def _place(placed: Placed) -> str:
    """How a summary names a block: the network's name alone does not tell its blocks apart, so
    by the association that adds it, or else by where it is written."""
    block = placed.block
    if block.origin not in ("primary", "secondary"):
        return f"{block.cidr} of {block.origin}"
    return f"{block.cidr} at {block.location}"


RULE = Rule(
    code="VPC206",
    name="association-overlap",
    severity=Severity.ERROR,
    summary="A network's secondary block overlaps its primary or another of its blocks",
    check=check,
    doc=__doc__,
    options={"max-partners": 10},
)
