"""Human output: ``path:line:col: CODE message [resource]`` and a one-line summary."""

from __future__ import annotations

from collections import Counter

from vpclint.reporters.base import Report

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD = "\033[1m"
_RESET = "\033[0m"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render_text(report: Report) -> str:
    lines: list[str] = []
    for finding in report.active:
        code = finding.code
        where = f"{finding.file}:{finding.line}:{finding.column}:"
        if report.color:
            code = f"{_COLORS[finding.severity.value]}{code}{_RESET}"
            where = f"{_BOLD}{where}{_RESET}"
        resource = f" [{finding.resource}]" if finding.resource else ""
        lines.append(f"{where} {code} {finding.message}{resource}")
    if report.statistics and report.active:
        if lines:
            lines.append("")
        counts = Counter((finding.code, finding.name) for finding in report.active)
        for (code, name), count in sorted(counts.items(), key=lambda item: (-item[1], item[0][0])):
            lines.append(f"{count:>6}  {code}  {name}")
    if report.quiet:
        return "".join(line + "\n" for line in lines)
    summary = report.summary()
    parts = [
        _plural(summary["errors"], "error"),
        _plural(summary["warnings"], "warning"),
        _plural(summary["infos"], "info"),
    ]
    files = summary["files"]
    tail = f" in {_plural(files['linted'], 'file')}"
    extras = []
    if summary["suppressed"]:
        extras.append(f"{summary['suppressed']} suppressed")
    if files["failed"]:
        extras.append(f"{_plural(files['failed'], 'file')} failed to parse")
    if files["skipped"]:
        extras.append(f"{files['skipped']} not infrastructure code")
    if lines:
        lines.append("")
    headline = "Found " + ", ".join(parts) + tail if report.active else "No problems found" + tail
    lines.append(headline + (f" ({', '.join(extras)})" if extras else "") + ".")
    return "\n".join(lines) + "\n"
