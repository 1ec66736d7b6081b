"""Human output: ``path:line:col: CODE message [resource]``, what the run could analyse, and a
one-line verdict."""

from __future__ import annotations

from collections import Counter

from vpclint.report.base import Report
from vpclint.topology.coverage import Coverage

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD = "\033[1m"
_RESET = "\033[0m"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _coverage_line(coverage: Coverage) -> str:
    parts = [f"{coverage.resolved} of {_plural(coverage.blocks, 'CIDR block')} resolved"]
    if coverage.unresolved_total:
        reasons = ", ".join(f"{count} {reason}" for reason, count in coverage.unresolved.items())
        parts.append(f"{coverage.unresolved_total} unresolved (VPC004: {reasons})")
    if coverage.invalid:
        parts.append(f"{coverage.invalid} invalid (VPC002)")
    if coverage.provider_assigned:
        parts.append(f"{coverage.provider_assigned} assigned by the provider at apply")
    analysed = [_plural(coverage.networks, "network"), _plural(coverage.subnets, "subnet")]
    if coverage.claims:
        analysed.append(_plural(coverage.claims, "other address claim"))
    if coverage.module_arguments:
        given = "CIDR" if coverage.module_arguments == 1 else "CIDRs"
        analysed.append(f"{coverage.module_arguments} {given} given to modules not analysed")
    line = f"Analysed {', '.join(analysed[:-1])} and {analysed[-1]}: {', '.join(parts)}"
    if coverage.not_analysed:
        line += f"; {_left_out(coverage)[0]}"
    return line + "."


def _left_out(coverage: Coverage | None) -> list[str]:
    """What a clean verdict must not hide: what vpclint could not look into or resolve."""
    if coverage is None:
        return []
    left_out = []
    if coverage.not_analysed:
        items = "module or file" if coverage.not_analysed == 1 else "modules or files"
        left_out.append(f"{coverage.not_analysed} {items} not analysed (VPC005)")
    if coverage.unresolved_total:
        left_out.append(f"{_plural(coverage.unresolved_total, 'block')} unresolved (VPC004)")
    return left_out


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
    if report.coverage is not None:
        lines.append(_coverage_line(report.coverage))
    left_out = _left_out(report.coverage)
    if report.active:
        headline = "Found " + ", ".join(parts) + tail
    elif left_out:
        headline = "No problems found in what could be analysed: " + ", ".join(left_out) + tail
    else:
        headline = "No problems found" + tail
    lines.append(headline + (f" ({', '.join(extras)})" if extras else "") + ".")
    return "\n".join(lines) + "\n"
