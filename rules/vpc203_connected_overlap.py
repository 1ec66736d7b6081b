"""## What it does
Reports two connected networks whose address space overlaps. Networks are connected by a VPC
peering, an Azure VNet peering, a GCP network peering, by attachments to the same transit
gateway, or by attachments to two peered transit gateways (a CloudFormation
`AWS::EC2::TransitGatewayPeeringAttachment`; a gateway is one gateway whether it is named by
`!Ref`, `!GetAtt Tgw.Id`, an import or the same ID in two templates). Every block counts:
primary and secondary blocks, IPv6 blocks, and for GCP the subnetworks' primary and secondary
ranges (an auto-mode network occupies 10.128.0.0/9).

One finding per connection, reported at the connection (for a transit gateway: once per pair of
networks, at the later attachment), naming the overlapping blocks of both networks; both networks
are related, so an ignore on either of them, or on the connection, suppresses it. A network
declared in another file than the finding's is named with its file.

A transit gateway with many attachments can join hundreds of copies of one CIDR: there, a block
of the later attachment's network gets at most `max-partners` findings, for the networks attached
first, and one summary finding for the rest that counts them and names the first three. Peerings
are never summarised: each finding is a connection declared in the code, that will fail on its own.

Networks declared outside the repository (`external-networks` in the configuration) take part
when the other end is in scope. A block vpclint cannot resolve is never assumed to overlap.

## Why is this bad?
AWS refuses a peering between overlapping VPCs; Azure and GCP refuse the peering or drop the
overlapping routes. On a transit gateway the attachment succeeds, but traffic to the overlapping
range goes to only one of the networks, so the other silently becomes unreachable.

## Example
```hcl
resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_vpc" "shared" {
  cidr_block = "10.10.128.0/20"
}

resource "aws_vpc_peering_connection" "app_shared" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.shared.id
  auto_accept = true
}
```

```yaml
Resources:
  App:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.10.0.0/16
  Shared:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.10.128.0/20
  AppShared:
    Type: AWS::EC2::VPCPeeringConnection
    Properties:
      VpcId: !Ref App
      PeerVpcId: !Ref Shared
```

## Use instead
```hcl
resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_vpc" "shared" {
  cidr_block = "10.11.0.0/20"
}

resource "aws_vpc_peering_connection" "app_shared" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.shared.id
  auto_accept = true
}
```

```yaml
Resources:
  App:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.10.0.0/16
  Shared:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.11.0.0/20
  AppShared:
    Type: AWS::EC2::VPCPeeringConnection
    Properties:
      VpcId: !Ref App
      PeerVpcId: !Ref Shared
```

## Options
- `max-partners` (integer, default `10`): on a transit gateway, how many overlapping networks get
  a finding of their own at one block of a later attachment's network; the rest are counted in
  one summary finding. `0` reports only the summary.

```toml
[tool.vpclint.rules.VPC203]
max-partners = 3
```

Peer networks that live in other repositories are declared in the configuration:

```toml
[tool.vpclint.external-networks]
vpc-0a1b2c3d4e5f67890 = ["10.50.0.0/16"]
```

## References
- [Amazon VPC peering: limitations (overlapping CIDR blocks)](https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-limitations)
- [AWS Transit Gateway: route tables and overlapping CIDRs](https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html)
- [Azure virtual network peering requirements](https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview)
- [GCP VPC Network Peering: restrictions](https://cloud.google.com/vpc/docs/vpc-peering#restrictions)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from vpclint.api import (
    NAMED_PARTNERS,
    Attachment,
    Connection,
    Network,
    OverlapIndex,
    Placed,
    PlacedPair,
    Related,
    ReportedBlock,
    Rule,
    RuleContext,
    Severity,
    Topology,
    Violation,
    beyond_clause,
    beyond_related,
    cap_partners,
    capped_partners,
    cross_overlaps,
    describe,
    first_pair,
    max_partners,
    more_pairs,
    network_space,
    related,
    sorted_violations,
    unique_related,
)


class _Spaces:
    """Each network's resolved space, computed once however many connections it has."""

    def __init__(self, topology: Topology) -> None:
        self.topology = topology
        self.cache: dict[str, list[Placed]] = {}

    def of(self, network: Network) -> list[Placed]:
        if network.key not in self.cache:
            self.cache[network.key] = network_space(self.topology, network)
        return self.cache[network.key]


def _related_sides(found: Sequence[PlacedPair]) -> list[Related]:
    """Both networks' overlapping blocks, and the networks themselves where a subnet holds them."""
    entries: list[Related] = []
    for side in (0, 1):
        for pair in found:
            placed = pair[side]
            entries.append(related(placed.block, placed.owner))
            if placed.owner is not placed.network:
                entries.append(Related(location=placed.network.location, resource=placed.network))
    return unique_related(entries)


def _clause(found: list[PlacedPair], here: str) -> str:
    """The first overlapping pair; ``here`` is the file the finding is reported in."""
    earlier, later = first_pair(found)
    return (
        f"{_described(later, earlier, here)} overlaps {_described(earlier, later, here)}"
        f"{more_pairs(len(found))}"
    )


def _described(placed: Placed, other: Placed, here: str) -> str:
    """The block and its owner, with the owner's file when it is not the finding's or the other
    side is in another one (two templates, a module and its caller): `Vpc` alone would not
    say which."""
    text = describe(placed.block, placed.owner)
    file = placed.owner.location.file
    return text + (f" (in {file})" if file != other.owner.location.file or file != here else "")


def _in_file(file: str, other_file: str) -> str:
    return f" (in {file})" if file != other_file else ""


def _peerings(topology: Topology, spaces: _Spaces) -> Iterator[Violation]:
    for first, second, connection in topology.peerings():
        if first.external and second.external:
            continue
        found = list(
            cross_overlaps(
                [(placed.ip, placed) for placed in spaces.of(first)],
                [(placed.ip, placed) for placed in spaces.of(second)],
            )
        )
        if found:
            yield _peering_violation(connection, found)


def _peering_violation(connection: Connection, found: list[PlacedPair]) -> Violation:
    return Violation(
        message=f"{_clause(found, connection.location.file)}; they are peered by "
        f"{connection.address}",
        location=connection.location,
        subject=connection,
        related=tuple(_related_sides(found)),
    )


def _transit_gateways(topology: Topology, spaces: _Spaces, limit: int) -> Iterator[Violation]:
    for members in topology.gateway_members().values():
        index = OverlapIndex(
            [
                (placed.span, (position, placed))
                for position, (network, _) in enumerate(members)
                for placed in spaces.of(network)
            ],
            rank=lambda entry: entry[0],
            partner=lambda entry: entry[0],
        )
        for later, (later_network, later_attachment) in enumerate(members):
            for reported in _reported_blocks(index, later, spaces.of(later_network), limit):
                for earlier, found in reported.one_by_one:
                    yield _gateway_violation(members[earlier][1], later_attachment, found)
                if reported.beyond_count:
                    yield _gateway_summary(members, later_attachment, reported, limit)


def _reported_blocks(
    index: OverlapIndex[tuple[int, Placed]], later: int, space: list[Placed], limit: int
) -> list[ReportedBlock[Any]]:
    """The findings of the ``later``-th attached network's blocks: counted where its partners
    can be counted (one block against networks of one block each), listed otherwise."""
    if len(space) == 1 and not space[0].network.external:
        own = space[0]
        counted = capped_partners(index, (own.span, own), later, limit, lambda entry: entry[1])
        if counted is not None:
            return counted
    partners: dict[int, list[PlacedPair]] = {}
    for later_placed in space:
        for earlier, earlier_placed in index.earlier(later_placed.span, later):
            if earlier_placed.network.external and later_placed.network.external:
                continue
            partners.setdefault(earlier, []).append((earlier_placed, later_placed))
    return list(cap_partners(sorted(partners.items()), limit))


def _gateway_violation(
    earlier_attachment: Attachment, later_attachment: Attachment, found: list[PlacedPair]
) -> Violation:
    return Violation(
        # The gateway's identity is an internal key or an id; the attachments name it.
        message=f"{_clause(found, later_attachment.location.file)}; both are attached to the "
        "same transit gateway "
        f"(by {earlier_attachment.address}"
        f"{_in_file(earlier_attachment.location.file, later_attachment.location.file)} "
        f"and {later_attachment.address})",
        location=later_attachment.location,
        subject=later_attachment,
        related=(
            *_related_sides(found),
            Related(location=earlier_attachment.location, resource=earlier_attachment),
        ),
    )


def _gateway_summary(
    members: list[tuple[Network, Attachment]],
    later_attachment: Attachment,
    reported: ReportedBlock[Any],
    limit: int,
) -> Violation:
    named = [members[earlier][1] for earlier, _ in reported.beyond[:NAMED_PARTNERS]]
    return Violation(
        message=f"{beyond_clause(reported, limit)}; all are attached to the same transit gateway "
        f"as {later_attachment.address}",
        location=later_attachment.location,
        subject=later_attachment,
        related=(
            related(reported.placed.block, reported.placed.owner),
            *beyond_related(reported),
            *(Related(location=attachment.location, resource=attachment) for attachment in named),
        ),
    )


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    limit = max_partners(context.option("max-partners"))
    spaces = _Spaces(topology)
    violations = [*_peerings(topology, spaces), *_transit_gateways(topology, spaces, limit)]
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC203",
    name="connected-overlap",
    severity=Severity.ERROR,
    summary="Two connected networks have overlapping blocks",
    check=check,
    doc=__doc__,
    options={"max-partners": 10},
)
