"""A third-party rule pack: two company policies (one under the company's own code prefix)
and one rule that breaks."""

from __future__ import annotations

from collections.abc import Iterator

from vpclint.api import Rule, RuleContext, Severity, Topology, Violation


def _check_no_172(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    for network in topology.networks:
        for block in network.ipv4_blocks:
            if block.cidr is not None and block.cidr.startswith("172."):
                yield Violation(
                    message=f"{block.cidr} of {network.address}: 172.16.0.0/12 belongs to "
                    "the corporate WAN",
                    location=block.location,
                    subject=network,
                )


def _check_that_breaks(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    for network in topology.networks:
        if network.name == "crash-me":
            raise RuntimeError("policy service unavailable")
    yield from ()


def _check_legacy_name(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    for network in topology.networks:
        if network.name is not None and network.name.startswith("legacy-"):
            yield Violation(
                message=f"{network.address} is named {network.name}: legacy networks are retired",
                location=network.location,
                subject=network,
            )


RULES = [
    Rule(
        code="VPC801",
        name="corporate-wan-range",
        severity=Severity.ERROR,
        summary="A network in the corporate WAN's 172.16.0.0/12",
        check=_check_no_172,
        doc="## What it does\nReserves 172.16.0.0/12 for the corporate WAN.\n",
    ),
    Rule(
        code="VPC802",
        name="breaks-on-purpose",
        severity=Severity.WARNING,
        summary="Raises on a network named crash-me",
        check=_check_that_breaks,
    ),
    Rule(
        code="ACME001",
        name="legacy-network-name",
        severity=Severity.WARNING,
        summary="A network named legacy-*",
        check=_check_legacy_name,
    ),
]
