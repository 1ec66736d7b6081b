"""GitHub Actions workflow commands: annotations on the pull request's files."""

from __future__ import annotations

from vpclint.report.base import Report

_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    lines = []
    for finding in report.active:
        properties = ",".join(
            [
                f"file={_escape_property(finding.file)}",
                f"line={finding.line}",
                f"col={finding.column}",
                f"title={_escape_property(f'{finding.code} {finding.name}')}",
            ]
        )
        resource = f" [{finding.resource}]" if finding.resource else ""
        message = _escape_data(f"{finding.code} {finding.message}{resource}")
        lines.append(f"::{_LEVELS[finding.severity.value]} {properties}::{message}")
    return "".join(line + "\n" for line in lines)
