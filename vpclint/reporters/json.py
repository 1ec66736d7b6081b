"""Machine output, schema version 1 (documented in the README)."""

from __future__ import annotations

import json
from typing import Any

from vpclint.models import Finding
from vpclint.reporters.base import Report

SCHEMA_VERSION = "1"


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "resource": finding.resource,
        "related": [
            {
                "file": related.file,
                "line": related.line,
                "resource": related.resource,
                "cidr": related.cidr,
            }
            for related in finding.related
        ],
        "suppressed": finding.suppressed,
    }


def render_json(report: Report) -> str:
    document = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "vpclint", "version": report.version},
        "findings": [finding_to_dict(finding) for finding in report.findings],
        "summary": report.summary(),
    }
    return json.dumps(document, indent=2) + "\n"
