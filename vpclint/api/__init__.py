"""The public rule API: what built-in rules and third-party rule packs use, and nothing else.

A rule is a pure function of the :class:`Topology` that yields :class:`Violation` objects. The
engine stamps the rule's code, name and (configured) severity onto each violation to make a
finding, applies suppressions, and turns a rule that raises into VPC901.

A rule module looks like this::

    \"\"\"## What it does ... (the module docstring is the rule's documentation)\"\"\"

    from vpclint.api import Rule, RuleContext, Severity, Topology, Violation, sorted_violations

    def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
        ...

    RULE = Rule(code="ACME001", name="my-check", severity=Severity.WARNING,
                summary="One line", check=check, doc=__doc__)

A code is capital letters then digits (``VPC203``, ``ACME001``); its letters are the prefix
that ``--select ACME`` picks. Third-party packs expose ``Rule`` objects (or lists of them) under
the entry-point group ``vpclint.rules``.

Everything below is importable from ``vpclint.api`` itself; the submodules group it:

- the contract (:mod:`vpclint.api.rule`): ``Rule``, ``RuleContext``, ``Violation``, ``Related``,
  ``sorted_violations`` (source order, so runs agree), ``source_order`` (a sort key by
  declaration), ``claim_spec`` (what the provider requires of a claim), ``provider_rules``
  (the sizes a provider accepts and the addresses it reserves: ``ProviderRules``, ``SizeRule``);
- the Topology and its objects (``vpclint.topology.models``, re-exported): ``Network``, ``Subnet``,
  ``AddressBlock``, ``Claim``, ``Connection``, ``Attachment``, ``Unknown`` ...;
- CIDR math (:mod:`vpclint.api.cidr`): ``parse_cidr``, ``cidr_problem``, ``canonical``,
  ``is_canonical``, ``overlaps``, ``contains``, ``constant_network``, ``Interval`` and
  ``overlapping_pairs``. A parsed CIDR is a ``netaddr.IPNetwork`` (``IPNetwork``): documented
  API, see that module;
- a network's space and its overlaps (:mod:`vpclint.api.space`): ``Placed``,
  ``network_space``, ``describe``, ``block_subject`` (a finding about one block is about the
  resource that declared it), ``related``, ``cross_overlaps``, ``OverlapIndex``,
  ``first_pair``, ``more_pairs``, ``unique_related``;
- the partner cap that keeps output bounded (:mod:`vpclint.api.partners`): ``max_partners``,
  ``cap_partners``, ``capped_partners``, ``ReportedBlock``, ``beyond_clause``,
  ``beyond_related``.
"""

from __future__ import annotations

from vpclint.api.cidr import (
    Interval,
    IPNetwork,
    canonical,
    cidr_problem,
    constant_network,
    contains,
    is_canonical,
    overlapping_pairs,
    overlaps,
    parse_cidr,
)
from vpclint.api.partners import (
    NAMED_PARTNERS,
    ReportedBlock,
    beyond_clause,
    beyond_related,
    cap_partners,
    capped_partners,
    max_partners,
)
from vpclint.api.rule import (
    CheckFunction,
    Related,
    Rule,
    RuleContext,
    Violation,
    claim_spec,
    provider_rules,
    sorted_violations,
    source_order,
)
from vpclint.api.space import (
    OverlapIndex,
    Placed,
    PlacedPair,
    Span,
    block_subject,
    cross_overlaps,
    describe,
    first_pair,
    more_pairs,
    network_space,
    related,
    span_of,
    unique_related,
)
from vpclint.topology.kinds import ClaimScope, ClaimSpec, ProviderRules, SizeRule
from vpclint.topology.models import (
    AddressBlock,
    Attachment,
    BlockDeclaration,
    Claim,
    Connection,
    ModuleArgument,
    Network,
    NetworkRef,
    Resource,
    Severity,
    SourceLocation,
    Subnet,
    Topology,
    Unknown,
    UnknownKind,
    declaring_resource,
)

__all__ = [
    "NAMED_PARTNERS",
    "AddressBlock",
    "Attachment",
    "BlockDeclaration",
    "CheckFunction",
    "Claim",
    "ClaimScope",
    "ClaimSpec",
    "Connection",
    "IPNetwork",
    "Interval",
    "ModuleArgument",
    "Network",
    "NetworkRef",
    "OverlapIndex",
    "Placed",
    "PlacedPair",
    "ProviderRules",
    "Related",
    "ReportedBlock",
    "Resource",
    "Rule",
    "RuleContext",
    "Severity",
    "SizeRule",
    "SourceLocation",
    "Span",
    "Subnet",
    "Topology",
    "Unknown",
    "UnknownKind",
    "Violation",
    "beyond_clause",
    "beyond_related",
    "block_subject",
    "canonical",
    "cap_partners",
    "capped_partners",
    "cidr_problem",
    "claim_spec",
    "constant_network",
    "contains",
    "cross_overlaps",
    "declaring_resource",
    "describe",
    "first_pair",
    "is_canonical",
    "max_partners",
    "more_pairs",
    "network_space",
    "overlapping_pairs",
    "overlaps",
    "parse_cidr",
    "provider_rules",
    "related",
    "sorted_violations",
    "source_order",
    "span_of",
    "unique_related",
]
