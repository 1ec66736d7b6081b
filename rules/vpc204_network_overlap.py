"""## What it does
Reports two networks whose address space overlaps although nothing connects them (yet): no
peering, no shared transit gateway. One finding per pair of networks, at the block of the network
declared later, the other network related. Pairs that are connected are VPC203's
(`connected-overlap`), never reported twice.

Between two roots (Terraform root modules, CloudFormation templates) the finding is one per pair
of roots instead: two environments or templates copied from one plan overlap block for block,
and what a user changes is the plan of one of them. It names the roots, the first overlapping
block pair and the next three (related too), and counts the rest; it is reported like a pair of
networks, at the block of the network declared later.

A block gets at most `max-partners` such findings, for the networks declared first; the networks
past that share one summary finding at the block, which counts them and names the first three
(related too). A thousand VPCs that all copied `10.0.0.0/16` give about eleven thousand findings,
not half a million.

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
- `max-partners` (integer, default `10`): how many overlapping networks get a finding of their
  own at one block; the rest are counted in one summary finding there. `0` reports only the
  summary.

```toml
[tool.vpclint.rules.VPC204]
max-partners = 3
```

When an overlap is deliberate (isolated sandboxes that share one plan), suppress it on either
network: `# vpclint: ignore[VPC204] sandboxes are never connected`. A summary is suppressed by an
ignore on the block's own network or on one of the networks it names, and the finding of two
roots by an ignore on any network it names. Roots that never share an address plan (a module
repository's examples, separate organisations) are told apart once, in the configuration:
networks of different `scopes` are never compared (see the README, "Scopes").

```toml
[tool.vpclint.scopes]
"examples/*" = "{root}"
```

## References
- [Amazon VPC peering: overlapping CIDR blocks](https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-limitations)
- [AWS whitepaper: IP address planning for multi-VPC networks](https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-network-infrastructure/welcome.html)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from vpclint.api import (
    Network,
    OverlapIndex,
    Placed,
    PlacedPair,
    Related,
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
    network_space,
    sorted_violations,
    source_order,
    unique_related,
)

NOT_CONNECTED = "the networks are not connected, and overlapping networks can never be peered"
NAMED_PAIRS = 3  # block pairs of two roots a finding names besides its first; the rest are counted


class _Connectivity:
    """Which pairs of networks are connected, looked up in constant time per pair."""

    def __init__(self, topology: Topology) -> None:
        self.peered: dict[str, set[str]] = {}
        for first, second, _ in topology.peerings():
            self.peered.setdefault(first.key, set()).add(second.key)
            self.peered.setdefault(second.key, set()).add(first.key)
        self.gateways: dict[str, set[str]] = {}
        self.attached: dict[str, set[str]] = {}
        for gateway, members in topology.gateway_members().items():
            for network, _ in members:
                self.gateways.setdefault(network.key, set()).add(gateway)
                self.attached.setdefault(gateway, set()).add(network.key)

    def test_for(self, network: Network) -> Callable[[str], bool]:
        """Whether the network with a given key is connected to ``network``."""
        peers = self.peered.get(network.key, set())
        gateways = self.gateways.get(network.key)
        if gateways is None:
            return peers.__contains__
        return lambda key: key in peers or not gateways.isdisjoint(self.gateways.get(key, ()))


Rank = tuple[bool, tuple[str, int, int, int], str]


class _Ranks:
    """The order pairs are reported in: at the network declared later. An external network is
    never that side (it has no code here), so externals rank first. Worked out on demand: only
    networks that overlap something need one."""

    def __init__(self, topology: Topology) -> None:
        self.order = source_order(topology)
        self.known: dict[str, Rank] = {}

    def of(self, network: Network) -> Rank:
        rank = self.known.get(network.key)
        if rank is None:
            rank = (not network.external, self.order(network), network.key)
            self.known[network.key] = rank
        return rank


class _Partners:
    """Each network's earlier partners, reported with the cap: counted where that is exact,
    listed otherwise."""

    def __init__(
        self,
        spaces: dict[str, list[tuple[Span, Placed]]],
        index: OverlapIndex[Placed],
        ranks: _Ranks,
        connectivity: _Connectivity,
        members: set[str],
    ) -> None:
        self.spaces = spaces
        self.index = index
        self.ranks = ranks
        self.connectivity = connectivity
        self.members = members  # the keys of the networks ``index`` holds: one scope's
        self.on_gateway: dict[str, OverlapIndex[Placed]] = {}

    def gateway_index(self, gateway: str) -> OverlapIndex[Placed]:
        """The blocks of the scope's networks attached to one gateway: all connected to each
        other."""
        if gateway not in self.on_gateway:
            self.on_gateway[gateway] = OverlapIndex(
                [
                    entry
                    for key in sorted(self.connectivity.attached[gateway] & self.members)
                    for entry in self.spaces.get(key, ())
                ],
                rank=self.index.rank,
                partner=self.index.partner,
            )
        return self.on_gateway[gateway]

    def reported_blocks(self, network: Network, limit: int) -> list[ReportedBlock[Any]]:
        counted = self._counted(network, limit)
        if counted is not None:
            return counted
        partners = _partners(
            network, self.spaces[network.key], self.index, self.ranks, self.connectivity
        )
        ordered = [
            (key, partners[key]) for key in sorted(partners, key=self.ranks.known.__getitem__)
        ]
        return cap_partners(ordered, limit)

    def _counted(self, network: Network, limit: int) -> list[ReportedBlock[Any]] | None:
        """One block against networks of one block each, connected through at most one gateway
        (else None)."""
        space = self.spaces[network.key]
        gateways = self.connectivity.gateways.get(network.key, set())
        if len(space) != 1 or len(gateways) > 1:
            return None
        span = space[0][0]
        rank = self.ranks.of(network)
        connected_earlier = 0
        if gateways:
            (gateway,) = gateways
            on_gateway = self.gateway_index(gateway)
            if not on_gateway.countable(span):
                return None
            connected_earlier = on_gateway.count_earlier(span, rank)
        for peer in self.connectivity.peered.get(network.key, ()):
            shares_gateway = not gateways.isdisjoint(self.connectivity.gateways.get(peer, ()))
            if not shares_gateway and self.index.is_earlier(peer, span, rank):
                connected_earlier += 1
        return capped_partners(
            self.index,
            space[0],
            rank,
            limit,
            lambda placed: placed,
            self.connectivity.test_for(network),
            connected_earlier,
        )


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    limit = max_partners(context.option("max-partners"))
    connectivity = _Connectivity(topology)
    ranks = _Ranks(topology)
    spaces = {
        network.key: [(placed.span, placed) for placed in network_space(topology, network)]
        for network in topology.networks
    }
    # Networks of different scopes (address plans) are never compared; external networks are
    # real networks of the organisation, compared with every scope.
    external = [network for network in topology.networks if network.external]
    scopes: dict[str, list[Network]] = {}
    for network in topology.networks:
        if not network.external:
            scopes.setdefault(topology.scope_of(network), []).append(network)
    violations: list[Violation] = []
    for members in scopes.values():
        violations.extend(_in_scope([*external, *members], spaces, limit, ranks, connectivity))
    yield from sorted_violations(violations)


def _in_scope(
    networks: list[Network],
    spaces: dict[str, list[tuple[Span, Placed]]],
    limit: int,
    ranks: _Ranks,
    connectivity: _Connectivity,
) -> list[Violation]:
    """The findings between the networks of one scope."""
    index = OverlapIndex(
        [entry for network in networks for entry in spaces[network.key]],
        rank=lambda placed: ranks.of(placed.network),
        partner=lambda placed: placed.network.key,
    )
    members = {network.key for network in networks}
    partners = _Partners(spaces, index, ranks, connectivity, members)

    # Networks that overlap nothing have no partners: most of a large estate is skipped here.
    overlapping = {placed.network.key: placed.network for placed in index.overlapping()}
    violations: list[Violation] = []
    between_roots: dict[tuple[str, str], list[PlacedPair]] = {}
    for later_network in overlapping.values():
        if later_network.external:
            continue
        for reported in partners.reported_blocks(later_network, limit):
            for _, found in reported.one_by_one:
                roots = _roots_apart(found[0])
                if roots is None:
                    violations.append(_pair_violation(found))
                else:
                    between_roots.setdefault(roots, []).extend(found)
            if reported.beyond_count:
                violations.append(_summary_violation(reported, limit))
    violations.extend(_roots_violation(found) for found in between_roots.values())
    return violations


def _roots_apart(pair: PlacedPair) -> tuple[str, str] | None:
    """The two roots (Terraform roots, CloudFormation templates) of a pair of networks in
    different ones, in a fixed order; None when both are in one root or one is external: those
    pairs are reported network by network."""
    earlier, later = pair[0].network, pair[1].network
    if earlier.external or earlier.root == later.root:
        return None
    return (min(earlier.root, later.root), max(earlier.root, later.root))


def _partners(
    later_network: Network,
    space: list[tuple[Span, Placed]],
    index: OverlapIndex[Placed],
    ranks: _Ranks,
    connectivity: _Connectivity,
) -> dict[str, list[PlacedPair]]:
    """The unconnected networks declared earlier that overlap this one, with the block pairs."""
    partners: dict[str, list[PlacedPair]] = {}
    connected: set[str] = set()
    is_connected = connectivity.test_for(later_network)
    rank = ranks.of(later_network)
    for span, later in space:
        for earlier in index.earlier(span, rank):
            key = earlier.network.key
            if key in partners:
                partners[key].append((earlier, later))
            elif key not in connected:
                if is_connected(key):
                    connected.add(key)
                else:
                    partners[key] = [(earlier, later)]
    return partners


def _pair_violation(found: list[PlacedPair]) -> Violation:
    earlier, later = first_pair(found)
    others: list[Related] = [pair[0].as_related for pair in found]
    if earlier.owner is not earlier.network:
        others.append(Related(location=earlier.network.location, resource=earlier.network))
    return Violation(
        message=f"{later.described} overlaps "
        f"{earlier.described}{more_pairs(len(found))}; {NOT_CONNECTED}",
        location=later.block.location,
        subject=later.network,
        related=tuple(unique_related(others)),
    )


def _roots_violation(found: list[PlacedPair]) -> Violation:
    """One finding for every overlapping block pair of two roots: a user fixes (or scopes) the
    plan of a root, not one network at a time. Reported like the first pair, at the block of
    the network declared later; every pair's named side in the root that block is in first."""
    earlier, later = first_pair(found)
    root = later.network.root
    pairs = sorted(
        (
            (pair[1], pair[0]) if pair[1].network.root == root else (pair[0], pair[1])
            for pair in found
        ),
        key=lambda pair: (pair[0].span, pair[1].span),
    )
    pairs = [pair for pair in pairs if pair[0] is not later or pair[1] is not earlier]
    named = [f"{ours.described} overlaps {theirs.described}" for ours, theirs in pairs]
    message = (
        f"networks of {root} and of {earlier.network.root} overlap: "
        f"{later.described} overlaps {earlier.described}"
    )
    if pairs:
        extra = len(pairs)
        listed = ", ".join(named[:NAMED_PAIRS])
        rest = extra - NAMED_PAIRS
        listed += f" and {rest:,} more" if rest > 0 else ""
        message += (
            f" (and {extra:,} more overlapping block pair{'s' if extra > 1 else ''}: {listed})"
        )
    others: list[Related] = [earlier.as_related]
    for ours, theirs in pairs[:NAMED_PAIRS]:
        if ours.block is not later.block:
            others.append(ours.as_related)
        others.append(theirs.as_related)
    for placed in (later, earlier, *(side for pair in pairs[:NAMED_PAIRS] for side in pair)):
        if placed.owner is not placed.network:
            others.append(Related(location=placed.network.location, resource=placed.network))
    return Violation(
        message=f"{message}; {NOT_CONNECTED}",
        location=later.block.location,
        subject=later.network,
        related=tuple(unique_related(others)),
    )


def _summary_violation(reported: ReportedBlock[Any], limit: int) -> Violation:
    return Violation(
        message=f"{beyond_clause(reported, limit)}; {NOT_CONNECTED}",
        location=reported.placed.block.location,
        subject=reported.placed.network,
        related=tuple(beyond_related(reported)),
    )


RULE = Rule(
    code="VPC204",
    name="network-overlap",
    severity=Severity.WARNING,
    summary="Two networks in scope overlap but are not connected",
    check=check,
    doc=__doc__,
    options={"max-partners": 10},
)
