"""GitLab Code Quality report: a JSON array of issues, shown on the merge request."""

from __future__ import annotations

import json
from collections import Counter

from vpclint.report.base import Report

# GitLab's scale is info, minor, major, critical, blocker; an error blocks nothing by itself.
_SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def render_gitlab(report: Report) -> str:
    issues = []
    seen: Counter[str] = Counter()
    for finding in report.active:
        identity = report.identity(finding)
        # GitLab keeps one issue per fingerprint: twin findings (the same overlap declared
        # twice in one folder) stay two issues.
        seen[identity] += 1
        fingerprint = identity if seen[identity] == 1 else f"{identity}-{seen[identity]}"
        resource = f" [{finding.resource}]" if finding.resource else ""
        issues.append(
            {
                "description": f"{finding.code} {finding.message}{resource}",
                "check_name": finding.code,
                "fingerprint": fingerprint,
                "severity": _SEVERITIES[finding.severity.value],
                "location": {
                    "path": report.repository_path(finding.file),
                    "lines": {"begin": max(finding.line, 1)},
                },
            }
        )
    return json.dumps(issues, indent=2) + "\n"
