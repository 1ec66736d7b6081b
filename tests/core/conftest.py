"""Shared builders for core tests: a small real topology and a real rule over it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from vpclint.api import Related, Rule, RuleContext, Severity, Violation
from vpclint.topology.models import AddressBlock, Network, SourceLocation, Suppression, Topology


def network(key: str, cidr: str, file: str = "net.tf", line: int = 1) -> Network:
    location = SourceLocation(file=file, line=line)
    return Network(
        key=key,
        address=key,
        kind="aws_vpc",
        provider="aws",
        location=location,
        ipv4_blocks=(
            AddressBlock(cidr=cidr, location=location.model_copy(update={"line": line + 1})),
        ),
    )


def same_cidr_check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    """Flag each network whose first block repeats an earlier one's: enough to drive the engine."""
    seen: dict[str, Network] = {}
    for net in topology.networks:
        cidr = net.ipv4_blocks[0].cidr or ""
        if cidr in seen:
            first = seen[cidr]
            yield Violation(
                message=f"{cidr} of {net.address} repeats {first.address}",
                location=net.ipv4_blocks[0].location,
                subject=net,
                related=(Related(first.location, first, cidr),),
            )
        seen.setdefault(cidr, net)


SAME_CIDR = Rule(
    code="VPC950",
    name="same-cidr",
    severity=Severity.WARNING,
    summary="Two networks with one CIDR",
    check=same_cidr_check,
    doc="## What it does\nFinds repeated CIDRs.\n",
)


@pytest.fixture
def twin_topology() -> Topology:
    return Topology(
        networks=[network("a", "10.0.0.0/16", "a.tf"), network("b", "10.0.0.0/16", "b.tf", 5)]
    )


def suppression(target: SourceLocation, *codes: str, reason: str | None = None) -> Suppression:
    return Suppression(
        location=target.model_copy(update={"line": max(target.line - 1, 1)}),
        target=target,
        codes=codes,
        reason=reason,
    )
