"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers."""

from __future__ import annotations

import json
from typing import Any

from vpclint.api import Rule
from vpclint.docs import doc_sections, rule_doc
from vpclint.report.base import Report
from vpclint.topology.models import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
HELP_URI = "https://github.com/vpclint/vpclint/blob/main/docs/rules.md#{code}"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    doc = rule_doc(rule)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": doc_sections(rule).get("What it does") or rule.summary},
        "help": {"text": doc, "markdown": doc},
        "helpUri": HELP_URI.format(code=rule.code.lower()),
        "defaultConfiguration": {"level": _LEVELS[rule.severity.value]},
        "properties": {"tags": ["network", "cidr"]},
    }


def _physical(report: Report, file: str, line: int, column: int = 1) -> dict[str, Any]:
    artifact: dict[str, str] = {"uri": report.repository_path(file)}
    if report.repository_root is not None:
        artifact["uriBaseId"] = "%SRCROOT%"
    return {
        "physicalLocation": {
            "artifactLocation": artifact,
            "region": {"startLine": max(line, 1), "startColumn": max(column, 1)},
        }
    }


def _result(report: Report, finding: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    location = _physical(report, finding.file, finding.line, finding.column)
    if finding.end_line is not None:
        location["physicalLocation"]["region"]["endLine"] = finding.end_line
    if finding.end_column is not None:
        location["physicalLocation"]["region"]["endColumn"] = finding.end_column
    if finding.resource:
        location["logicalLocations"] = [
            {"fullyQualifiedName": finding.resource, "kind": "resource"}
        ]
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": _LEVELS[finding.severity.value],
        "message": {"text": finding.message},
        "locations": [location],
        # GitHub tracks a result across commits by it; without it, results on one line merge.
        "partialFingerprints": {"vpclintIdentity/v1": report.identity(finding)},
    }
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    if finding.related:
        result["relatedLocations"] = [
            {
                "id": index,
                **_physical(report, related.file, related.line, related.column),
                "message": {
                    "text": " ".join(part for part in (related.resource, related.cidr) if part)
                    or "related"
                },
            }
            for index, related in enumerate(finding.related, start=1)
        ]
    if finding.suppressed is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": finding.suppressed}]
    return result


def render_sarif(report: Report) -> str:
    rules = sorted(report.rules, key=lambda rule: rule.code)
    rule_index = {rule.code: index for index, rule in enumerate(rules)}
    document: dict[str, Any] = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vpclint",
                        "version": report.version,
                        "semanticVersion": report.version,
                        "informationUri": "https://github.com/vpclint/vpclint",
                        "rules": [_rule_descriptor(rule) for rule in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(report, finding, rule_index) for finding in report.findings],
            }
        ],
    }
    if report.repository_root is not None:
        root_uri = report.repository_root.as_uri().rstrip("/") + "/"
        document["runs"][0]["originalUriBaseIds"] = {"%SRCROOT%": {"uri": root_uri}}
    return json.dumps(document, indent=2) + "\n"
