"""The rule contract: a rule, what it may know, what it yields, and the order it yields it in."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from vpclint.check.codes import EXAMPLE as CODE_EXAMPLE
from vpclint.check.codes import RULE_CODE
from vpclint.topology.kinds import PROVIDERS, ClaimSpec, ProviderRules, kind_of
from vpclint.topology.models import (
    Claim,
    RelatedLocation,
    Resource,
    Severity,
    SourceLocation,
    Topology,
)


@dataclass(frozen=True)
class Related:
    """The other side of a violation: a resource and the CIDR of it that is involved."""

    location: SourceLocation
    resource: Resource | None = None
    cidr: str | None = None
    message: str | None = None

    def to_location(self) -> RelatedLocation:
        """The form the report carries (the engine calls it; a rule has no need to)."""
        return RelatedLocation(
            file=self.location.file,
            line=self.location.line,
            column=self.location.column,
            resource=self.resource.address if self.resource is not None else None,
            cidr=self.cidr,
            message=self.message,
        )


@dataclass(frozen=True)
class Violation:
    """What a rule yields: the message, where to report it, and the resources involved.

    ``subject`` is the resource the finding is about (its address is reported and a suppression
    on its declaration applies); ``related`` are the other sides of a conflict.
    """

    message: str
    location: SourceLocation
    subject: Resource | None = None
    related: tuple[Related, ...] = ()


@dataclass(frozen=True)
class RuleContext:
    """What a rule may know besides the topology: its options (defaults merged with config)."""

    options: Mapping[str, Any] = field(default_factory=dict)

    def option(self, name: str) -> Any:
        """The option's configured value, or the default the rule declared."""
        return self.options[name]


def claim_spec(claim: Claim) -> ClaimSpec | None:
    """What the provider requires of a claim's kind: collision scope, default, accepted bounds."""
    kind = kind_of(claim.kind)
    return kind.claim_named(claim.purpose) if kind is not None else None


_PROVIDER_RULES: dict[str, ProviderRules] = {name: rules for name, rules in PROVIDERS.items()}


def provider_rules(provider: str) -> ProviderRules | None:
    """What a provider (``network.provider``: aws, azure, gcp) enforces on every network and
    subnet: the sizes it accepts (``network_size(4)``, ``subnet_size(6)``: a ``SizeRule`` or None
    when it sets no limit) and the addresses it reserves in each subnet."""
    return _PROVIDER_RULES.get(provider)


CheckFunction = Callable[[Topology, RuleContext], Iterable[Violation]]


@dataclass(frozen=True)
class Rule:
    """A check with its stable code, kebab-case name, default severity and documentation."""

    code: str
    name: str
    severity: Severity
    summary: str
    check: CheckFunction | None  # None: reported by the engine itself (VPC901, VPC902)
    doc: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)  # option name -> default
    origin: str = "vpclint"

    def __post_init__(self) -> None:
        # A code of another shape could be loaded but never selected, configured or suppressed.
        if not RULE_CODE.match(self.code):
            raise ValueError(f"rule code {self.code!r} is not a rule code: {CODE_EXAMPLE}")

    def run(self, topology: Topology, context: RuleContext) -> Iterable[Violation]:
        """The rule's violations for one topology (none for the engine's own rules)."""
        if self.check is None:
            return ()
        return self.check(topology, context)


def sorted_violations(violations: Iterable[Violation]) -> list[Violation]:
    """Violations in source order (file, line, column, message), so that every run reports
    them in the same order whatever order the rule found them in."""
    return sorted(
        violations,
        key=lambda violation: (
            violation.location.file,
            violation.location.line,
            violation.location.column,
            violation.message,
        ),
    )


def source_order(topology: Topology) -> Callable[[Resource], tuple[str, int, int, int]]:
    """A sort key putting resources in declaration order (instances of one block, which share
    a location, by their position in the topology): "reported at the one declared later"."""
    position: dict[str, int] = {}
    for index, resource in enumerate(
        [*topology.networks, *topology.subnets, *topology.connections, *topology.attachments]
    ):
        position.setdefault(resource.key, index)

    def key(resource: Resource) -> tuple[str, int, int, int]:
        location = resource.location
        return (location.file, location.line, location.column, position.get(resource.key, -1))

    return key
