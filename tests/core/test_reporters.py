"""Each output format, read back as its consumers read it."""

from __future__ import annotations

import json

import pytest

from tests.core.conftest import SAME_CIDR, network, suppression
from vpclint.check.engine import Engine, EngineSettings
from vpclint.report import RENDERERS, Report
from vpclint.topology.models import Topology


@pytest.fixture
def report(twin_topology: Topology) -> Report:
    third = network("c", "10.0.0.0/16", "c.tf", 9)
    twin_topology.networks.append(third)
    twin_topology.suppressions.append(suppression(third.location, "VPC950", reason="known twin"))
    findings = Engine([SAME_CIDR], EngineSettings()).run(twin_topology)
    return Report(
        findings=findings, rules=[SAME_CIDR], files_linted=2, files_failed=1, files_skipped=3
    )


def test_text_lists_active_findings_and_counts_the_rest(report: Report) -> None:
    text = RENDERERS["text"](report)
    lines = text.splitlines()
    assert lines[0] == "b.tf:6:1: VPC950 10.0.0.0/16 of b repeats a [b]"
    assert "known twin" not in text
    assert lines[-1] == (
        "Found 0 errors, 1 warning, 0 infos in 2 files "
        "(1 suppressed, 1 file failed to parse, 3 not infrastructure code)."
    )
    assert "\033[" not in text


def test_text_color_and_statistics(report: Report) -> None:
    colored = RENDERERS["text"](Report(**{**report.__dict__, "color": True, "statistics": True}))
    assert "\033[33mVPC950\033[0m" in colored
    assert "     1  VPC950  same-cidr" in colored


def test_json_document_follows_schema_version_1(report: Report) -> None:
    document = json.loads(RENDERERS["json"](report))
    assert document["version"] == "1"
    assert document["tool"]["name"] == "vpclint"
    first, _ = document["findings"]
    assert set(first) == {
        "code",
        "name",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "resource",
        "related",
        "suppressed",
    }
    assert first["related"] == [{"file": "a.tf", "line": 1, "resource": "a", "cidr": "10.0.0.0/16"}]
    assert [f["suppressed"] for f in document["findings"]] == [None, "known twin"]
    assert document["summary"]["suppressed"] == 1
    assert document["summary"]["files"] == {"linted": 2, "failed": 1, "skipped": 3}


def test_sarif_has_what_github_code_scanning_requires(report: Report) -> None:
    sarif = json.loads(RENDERERS["sarif"](report))
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    [run] = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "vpclint" and driver["version"]
    [rule] = driver["rules"]
    assert rule["id"] == "VPC950" and rule["name"] == "same-cidr"
    assert (
        rule["shortDescription"]["text"]
        and rule["fullDescription"]["text"] == "Finds repeated CIDRs."
    )
    assert rule["helpUri"].startswith("https://")
    assert len(run["results"]) == 2
    for result in run["results"]:
        assert result["ruleId"] == "VPC950" and result["ruleIndex"] == 0
        assert result["level"] in {"error", "warning", "note", "none"}
        assert result["message"]["text"]
        [location] = result["locations"]
        physical = location["physicalLocation"]
        assert not physical["artifactLocation"]["uri"].startswith(("/", "./"))
        assert physical["region"]["startLine"] >= 1
        [related] = result["relatedLocations"]
        assert related["physicalLocation"]["artifactLocation"]["uri"] == "a.tf"
    assert "suppressions" not in run["results"][0]
    assert run["results"][1]["suppressions"] == [
        {"kind": "inSource", "justification": "known twin"}
    ]


def test_github_annotations_escape_their_properties(report: Report) -> None:
    lines = RENDERERS["github"](report).splitlines()
    assert lines == [
        "::warning file=b.tf,line=6,col=1,title=VPC950 same-cidr::"
        "VPC950 10.0.0.0/16 of b repeats a [b]"
    ]
