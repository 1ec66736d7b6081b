"""What a run could analyse, for the verdict: a clean report means little when half the address
plan was out of sight.

Counted from the Topology, whatever rules are selected: ignoring VPC004 hides its findings, not
the blocks vpclint could not resolve.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from vpclint.topology.models import Topology, UnknownKind

# Why a block is unresolved, in the words of the summary (VPC004's two cases).
UNRESOLVED_REASONS = {
    UnknownKind.UNRESOLVED: "known only at apply",
    UnknownKind.LIMIT: "evaluation limit hit",
}


@dataclass(frozen=True)
class Coverage:
    networks: int = 0
    subnets: int = 0
    claims: int = 0  # address space held by other resources (an EKS service range)
    module_arguments: int = 0  # CIDRs written into calls of modules not read (VPC005)
    blocks: int = 0
    resolved: int = 0
    # VPC004's blocks by reason; blocks the provider assigns by design are expected unknowns.
    unresolved: dict[str, int] = field(default_factory=dict)
    invalid: int = 0  # VPC002's: the expression is wrong, not merely unknown
    provider_assigned: int = 0
    not_analysed: int = 0  # VPC005's modules, files and folders

    @property
    def unresolved_total(self) -> int:
        return sum(self.unresolved.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "networks": self.networks,
            "subnets": self.subnets,
            "claims": self.claims,
            "module_arguments": self.module_arguments,
            "blocks": self.blocks,
            "resolved": self.resolved,
            "unresolved": self.unresolved_total,
            "unresolved_by_reason": dict(self.unresolved),
            "invalid": self.invalid,
            "provider_assigned": self.provider_assigned,
            "not_analysed": self.not_analysed,
        }


def coverage_of(topology: Topology) -> Coverage:
    """What ``topology`` holds of the project's own address plan (external networks, from
    configuration or inventories, are not the project's)."""
    networks = [network for network in topology.networks if not network.external]
    blocks = [block for _, block in topology.declared_blocks()]
    unresolved: Counter[str] = Counter()
    provider_assigned = invalid = 0
    for block in blocks:
        unknown = block.unknown
        if unknown is None:
            continue
        if block.provider_assigned:
            provider_assigned += 1
        elif unknown.kind in UNRESOLVED_REASONS:
            unresolved[UNRESOLVED_REASONS[unknown.kind]] += 1
        else:
            invalid += 1
    # Discovery and a module call can both meet the same symlink, as VPC005 counts it.
    not_analysed = {(item.location, item.message) for item in topology.not_analysed}
    return Coverage(
        networks=len(networks),
        subnets=len(topology.subnets),
        claims=len(topology.claims),
        module_arguments=sum(len(call.blocks) for call in topology.module_arguments),
        blocks=len(blocks),
        resolved=sum(1 for block in blocks if block.cidr is not None),
        unresolved=dict(sorted(unresolved.items())),
        invalid=invalid,
        provider_assigned=provider_assigned,
        not_analysed=len(not_analysed),
    )
