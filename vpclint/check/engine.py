"""Running rules over a Topology: selection, severities, crashes, suppressions.

The engine turns each :class:`~vpclint.api.Violation` into a
:class:`~vpclint.topology.models.Finding` stamped with the rule's code, name and configured
severity. A rule that raises becomes one VPC901 finding and the other rules still run.
Suppressions never hide a finding from JSON or SARIF: they mark it with the reason.
"""

from __future__ import annotations

import fnmatch
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any

from vpclint.api import Rule, RuleContext, Violation
from vpclint.topology.models import (
    Attachment,
    Connection,
    Finding,
    Network,
    RelatedLocation,
    Severity,
    SourceLocation,
    Subnet,
    Suppression,
    Topology,
)

if TYPE_CHECKING:
    from vpclint.config import Config

RULE_CRASHED = "VPC901"
INVALID_SUPPRESSION = "VPC902"


@dataclass(frozen=True)
class Selection:
    """Which codes are enabled: prefixes, the most specific match wins, ignore wins a tie."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()

    @staticmethod
    def _specificity(code: str, prefixes: Iterable[str]) -> int:
        best = -1
        for prefix in prefixes:
            if prefix == "ALL":
                best = max(best, 0)
            elif code.startswith(prefix):
                best = max(best, len(prefix))
        return best

    def enabled(self, code: str) -> bool:
        selected = self._specificity(code, self.select)
        return selected >= 0 and selected > self._specificity(code, self.ignore)


@dataclass(frozen=True)
class EngineSettings:
    selection: Selection = field(default_factory=Selection)
    severities: Mapping[str, Severity] = field(default_factory=dict)
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    per_file_ignores: Mapping[str, Sequence[str]] = field(default_factory=dict)


def settings_from_config(
    config: Config,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> EngineSettings:
    """The engine's settings from the configuration, with the command line's selection: its
    ``select`` replaces the configuration's, its ``extend_select`` and ``ignore`` add to them."""
    chosen = tuple(select) if select is not None else tuple(config.select or ["ALL"])
    extend = (*config.extend_select, *extend_select)
    ignored = (*config.ignore, *ignore)
    severities = {
        code: Severity(rule.severity) for code, rule in config.rules.items() if rule.severity
    }
    options = {code: rule.options() for code, rule in config.rules.items()}
    return EngineSettings(
        selection=Selection(select=chosen + extend, ignore=ignored),
        severities=severities,
        rule_options=options,
        per_file_ignores=config.per_file_ignores,
    )


def _declaration(resource: Any) -> tuple[str, int] | None:
    location = getattr(resource, "location", None)
    if isinstance(location, SourceLocation):
        return (location.file, location.line)
    return None


class Engine:
    def __init__(self, rules: Sequence[Rule], settings: EngineSettings) -> None:
        self.rules = list(rules)
        self.settings = settings
        self.rules_by_code = {rule.code: rule for rule in self.rules}
        self._any_assumed = True  # until run() has looked at the topology

    def enabled_rules(self) -> list[Rule]:
        return [rule for rule in self.rules if self.settings.selection.enabled(rule.code)]

    def run(self, topology: Topology) -> list[Finding]:
        findings: list[tuple[Finding, Violation | None]] = []
        # Only a Terragrunt mock output makes a block assumed; without one, no message needs the
        # note, and looking for it in each of 200,000 findings costs seconds.
        self._any_assumed = any(
            block.assumed is not None for _, block in topology.declared_blocks()
        )
        for rule in self.enabled_rules():
            if rule.check is None:
                continue
            context = RuleContext(
                options={**rule.options, **self.settings.rule_options.get(rule.code, {})}
            )
            try:
                for violation in rule.run(topology, context):
                    findings.append((self._finding(rule, violation, topology), violation))
            except Exception as error:  # a broken rule must not take the others down
                findings.append((self._crash(rule, error, topology), None))
        marked = self._apply_suppressions(findings, topology)
        return sorted(marked, key=lambda finding: finding.sort_key)

    def _severity(self, rule: Rule) -> Severity:
        return self.settings.severities.get(rule.code, rule.severity)

    def _finding(self, rule: Rule, violation: Violation, topology: Topology) -> Finding:
        location = violation.location
        subject = violation.subject
        related = [item.to_location() for item in violation.related]
        if topology.callers:
            related = [
                place.model_copy(update={"resource": topology.display_address(item.resource)})
                if item.resource is not None
                else place
                for item, place in zip(violation.related, related, strict=True)
            ]
            related.extend(_caller_locations(violation, topology))
        return Finding(
            code=rule.code,
            name=rule.name,
            severity=self._severity(rule),
            message=violation.message + (_assumed_note(violation) if self._any_assumed else ""),
            file=location.file,
            line=location.line,
            column=location.column,
            end_line=location.end_line,
            end_column=location.end_column,
            resource=topology.display_address(subject) if subject is not None else None,
            related=tuple(related),
        )

    def _crash(self, rule: Rule, error: Exception, topology: Topology) -> Finding:
        resource = _resource_in_traceback(error.__traceback__)
        if resource is not None:
            location = resource.location
            where = f" while checking {resource.address}"
        else:
            location = SourceLocation(file=topology.files[0].path if topology.files else ".")
            where = ""
        crashed = self.rules_by_code.get(RULE_CRASHED)
        return Finding(
            code=RULE_CRASHED,
            name=crashed.name if crashed else "rule-crashed",
            severity=self._severity(crashed) if crashed else Severity.ERROR,
            message=f"rule {rule.code} ({rule.name}) crashed{where}: "
            f"{type(error).__name__}: {error}",
            file=location.file,
            line=location.line,
            column=location.column,
            resource=resource.address if resource is not None else None,
        )

    def _apply_suppressions(
        self, findings: list[tuple[Finding, Violation | None]], topology: Topology
    ) -> list[Finding]:
        by_target: dict[tuple[str, int], list[Suppression]] = {}
        for suppression in topology.suppressions:
            if suppression.target is not None and suppression.codes:
                key = (suppression.target.file, suppression.target.line)
                by_target.setdefault(key, []).append(suppression)
        used: set[int] = set()
        result: list[Finding] = []
        for finding, violation in findings:
            reason = self._suppressed_by_comment(finding, violation, by_target, used, topology)
            if reason is None:
                reason = self._suppressed_by_file(finding)
            result.append(finding.model_copy(update={"suppressed": reason}) if reason else finding)
        result.extend(self._suppression_problems(topology, used))
        return result

    def _suppressed_by_comment(
        self,
        finding: Finding,
        violation: Violation | None,
        by_target: Mapping[tuple[str, int], list[Suppression]],
        used: set[int],
        topology: Topology,
    ) -> str | None:
        if violation is None or not by_target:
            return None
        resources = [violation.subject, *(related.resource for related in violation.related)]
        keys = [_declaration(resource) for resource in resources]
        # A suppression on the line that runs shared code (a Terragrunt unit's terragrunt.hcl, a
        # root's module call) covers what that line runs, and no other root's copy of it.
        for resource in resources:
            found = topology.caller_of(resource)
            if found is not None:
                target = found[1].suppression_target
                keys.append((target.file, target.line))
        reason: str | None = None
        for key in keys:
            if key is None:
                continue
            for suppression in by_target.get(key, []):
                if finding.code in suppression.codes:
                    used.add(id(suppression))
                    reason = reason or suppression.reason or f"ignored at {suppression.location}"
        return reason

    def _suppressed_by_file(self, finding: Finding) -> str | None:
        for pattern, codes in self.settings.per_file_ignores.items():
            if fnmatch.fnmatch(finding.file, pattern) and any(
                code == "ALL" or finding.code.startswith(code) for code in codes
            ):
                return f"per-file-ignores: {pattern}"
        return None

    def _suppression_problems(self, topology: Topology, used: set[int]) -> list[Finding]:
        if not self.settings.selection.enabled(INVALID_SUPPRESSION):
            return []
        rule = self.rules_by_code.get(INVALID_SUPPRESSION)
        problems: list[Finding] = []
        for suppression in topology.suppressions:
            message = suppression.problem
            if message is None:
                unknown = [code for code in suppression.codes if code not in self.rules_by_code]
                if unknown:
                    message = f"suppression names unknown code {', '.join(unknown)}"
                elif id(suppression) not in used and all(
                    self.settings.selection.enabled(code) for code in suppression.codes
                ):
                    message = f"unused suppression: no {', '.join(suppression.codes)} finding here"
            if message is None:
                continue
            location = suppression.location
            problems.append(
                Finding(
                    code=INVALID_SUPPRESSION,
                    name=rule.name if rule else "invalid-suppression",
                    severity=self._severity(rule) if rule else Severity.WARNING,
                    message=message,
                    file=location.file,
                    line=location.line,
                    column=location.column,
                )
            )
        return problems


def _resource_in_traceback(
    trace: TracebackType | None,
) -> Network | Subnet | Connection | Attachment | None:
    """The innermost resource a crashing rule was looking at, to name it in VPC901."""
    frames = [frame for frame, _ in traceback.walk_tb(trace)]
    for frame in reversed(frames):
        for value in frame.f_locals.values():
            if isinstance(value, Network | Subnet | Connection | Attachment):
                return value
    return None


def _caller_locations(violation: Violation, topology: Topology) -> list[RelatedLocation]:
    """The line of each root that runs the shared code the finding is about (a Terragrunt
    unit's terragrunt.hcl, a root's module call): a finding in a shared module is also that
    root's, and a staged terragrunt.hcl or root file finds it."""
    found: list[RelatedLocation] = []
    for resource in [violation.subject, *(related.resource for related in violation.related)]:
        caller = topology.caller_of(resource)
        if caller is None:
            continue
        location = caller[1].location
        place = RelatedLocation(
            file=location.file,
            line=location.line,
            column=location.column,
            message=caller[1].description,
        )
        if place not in found:
            found.append(place)
    return found


def _assumed_note(violation: Violation) -> str:
    """What the finding's message must add when a block it names is only assumed (a Terragrunt
    mock output stands in for it): a finding about an assumed range is not about a real one."""
    notes: list[str] = []
    resources = [violation.subject, *(related.resource for related in violation.related)]
    for resource in resources:
        for name in ("ipv4_blocks", "ipv6_blocks", "secondary_ranges"):
            for block in getattr(resource, name, ()):
                if block.assumed is None or block.cidr is None:
                    continue
                note = f"{block.cidr} is {block.assumed}"
                if block.cidr in violation.message and note not in notes:
                    notes.append(note)
    return f" ({'; '.join(notes)})" if notes else ""
