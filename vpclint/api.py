"""The public rule API: what built-in rules and third-party rule packs use, and nothing else.

A rule is a pure function of the :class:`Topology` that yields :class:`Violation` objects. The
engine stamps the rule's code, name and (configured) severity onto each violation to make a
:class:`~vpclint.topology.models.Finding`,
applies suppressions, and turns a rule that raises into VPC901.

A rule module looks like this::

    \"\"\"## What it does ... (the module docstring is the rule's documentation)\"\"\"

    from vpclint.api import Rule, RuleContext, Severity, Topology, Violation

    def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
        ...

    RULE = Rule(code="VPC999", name="my-check", severity=Severity.WARNING,
                summary="One line", check=check, doc=__doc__)

Third-party packs expose ``Rule`` objects (or lists of them) under the entry-point group
``vpclint.rules``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from vpclint.topology.cidr import Interval, contains, overlapping_pairs, overlaps
from vpclint.topology.kinds import ClaimScope, ClaimSpec, kind_of
from vpclint.topology.models import (
    AddressBlock,
    Attachment,
    Claim,
    Connection,
    Network,
    NetworkRef,
    RelatedLocation,
    Resource,
    Severity,
    SourceLocation,
    Subnet,
    Topology,
    Unknown,
    UnknownKind,
)

__all__ = [
    "AddressBlock",
    "Attachment",
    "Claim",
    "ClaimScope",
    "ClaimSpec",
    "Connection",
    "Interval",
    "Network",
    "NetworkRef",
    "Related",
    "Resource",
    "Rule",
    "RuleContext",
    "Severity",
    "SourceLocation",
    "Subnet",
    "Topology",
    "Unknown",
    "UnknownKind",
    "Violation",
    "claim_spec",
    "contains",
    "overlapping_pairs",
    "overlaps",
]


@dataclass(frozen=True)
class Related:
    """The other side of a violation: a resource and the CIDR of it that is involved."""

    location: SourceLocation
    resource: Resource | None = None
    cidr: str | None = None
    message: str | None = None

    def to_location(self) -> RelatedLocation:
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
        return self.options[name]


def claim_spec(claim: Claim) -> ClaimSpec | None:
    """What the provider requires of a claim's kind: collision scope, default, accepted bounds."""
    kind = kind_of(claim.kind)
    return kind.claim if kind is not None else None


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

    def run(self, topology: Topology, context: RuleContext) -> Iterable[Violation]:
        if self.check is None:
            return ()
        return self.check(topology, context)
