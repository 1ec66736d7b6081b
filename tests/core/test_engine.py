from __future__ import annotations

from collections.abc import Iterator

from tests.core.conftest import SAME_CIDR, network, suppression
from vpclint.api import Rule, RuleContext, Severity, Violation
from vpclint.check.engine import Engine, EngineSettings, Selection
from vpclint.check.registry import builtin_rules
from vpclint.topology.models import Network, SourceLocation, Topology


def test_engine_stamps_code_name_severity_and_related(twin_topology: Topology) -> None:
    [finding] = Engine([SAME_CIDR], EngineSettings()).run(twin_topology)
    assert (finding.code, finding.name, finding.severity) == (
        "VPC950",
        "same-cidr",
        Severity.WARNING,
    )
    assert (finding.file, finding.line, finding.resource) == ("b.tf", 6, "b")
    assert finding.message == "10.0.0.0/16 of b repeats a"
    assert [(r.file, r.line, r.resource, r.cidr) for r in finding.related] == [
        ("a.tf", 1, "a", "10.0.0.0/16")
    ]
    assert finding.suppressed is None


def test_configured_severity_beats_the_default(twin_topology: Topology) -> None:
    settings = EngineSettings(severities={"VPC950": Severity.ERROR})
    [finding] = Engine([SAME_CIDR], settings).run(twin_topology)
    assert finding.severity is Severity.ERROR


def test_selection_prefixes_most_specific_wins() -> None:
    selection = Selection(select=("VPC2", "VPC301"), ignore=("VPC20",))
    assert not selection.enabled("VPC203")
    assert selection.enabled("VPC210")
    assert selection.enabled("VPC301")
    assert not selection.enabled("VPC302")
    assert not Selection(select=("ALL",), ignore=("VPC203",)).enabled("VPC203")
    assert Selection(select=("VPC203",), ignore=("VPC2",)).enabled("VPC203")


def _crashing(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    for net in topology.networks:
        if net.address == "b":
            raise ZeroDivisionError("boom")
    yield from ()


def test_crashing_rule_becomes_vpc901_naming_rule_and_resource(twin_topology: Topology) -> None:
    crashing = Rule("VPC951", "crashes", Severity.ERROR, "crashes", _crashing)
    findings = Engine([crashing, SAME_CIDR, *builtin_rules()], EngineSettings()).run(twin_topology)
    codes = sorted(finding.code for finding in findings)
    assert "VPC950" in codes, "the other rules still run"
    [crash] = [finding for finding in findings if finding.code == "VPC901"]
    assert "VPC951 (crashes)" in crash.message and "ZeroDivisionError: boom" in crash.message
    assert crash.resource == "b" and (crash.file, crash.line) == ("b.tf", 5)


def test_suppression_on_either_side_marks_the_finding(twin_topology: Topology) -> None:
    first: Network = twin_topology.networks[0]
    twin_topology.suppressions.append(
        suppression(first.location, "VPC950", reason="shared by design")
    )
    [finding] = Engine([SAME_CIDR], EngineSettings()).run(twin_topology)
    assert finding.suppressed == "shared by design"


def test_unused_unknown_and_malformed_suppressions_are_vpc902(twin_topology: Topology) -> None:
    location = SourceLocation(file="c.tf", line=3)
    twin_topology.networks.append(network("c", "10.9.0.0/16", "c.tf", 3))
    twin_topology.suppressions.extend(
        [
            suppression(location, "VPC950"),
            suppression(location, "VPC999"),
            suppression(location).model_copy(update={"problem": "malformed suppression"}),
        ]
    )
    findings = Engine([SAME_CIDR, *builtin_rules()], EngineSettings()).run(twin_topology)
    messages = sorted(f.message for f in findings if f.code == "VPC902")
    assert messages == [
        "malformed suppression",
        "suppression names unknown code VPC999",
        "unused suppression: no VPC950 finding here",
    ]


def test_per_file_ignores_mark_findings_by_glob(twin_topology: Topology) -> None:
    settings = EngineSettings(per_file_ignores={"b.*": ["VPC9"]})
    [finding] = Engine([SAME_CIDR], settings).run(twin_topology)
    assert finding.suppressed == "per-file-ignores: b.*"
