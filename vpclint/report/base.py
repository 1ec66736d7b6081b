"""What every reporter gets: the findings, the rules that ran, and the file counts."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vpclint import __version__
from vpclint.api import Rule
from vpclint.topology.coverage import Coverage
from vpclint.topology.identity import finding_identity, repository_path
from vpclint.topology.models import Finding

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _escaped(match: re.Match[str]) -> str:
    point = ord(match.group())
    if 0xDC80 <= point <= 0xDCFF:  # a byte that is not UTF-8, as surrogateescape keeps it
        return f"\\x{point - 0xDC00:02x}"
    return f"\\u{point:04x}"


def printable(text: str) -> str:
    """``text`` with every lone surrogate written as an escape: ``\\xff`` for the undecodable
    byte of a file name (what Python's ``backslashreplace`` writes for it), ``\\ud800`` and the
    like for a lone surrogate a JSON string escaped. No output (UTF-8 file, pipe, JSON or SARIF
    reader) can take a lone surrogate."""
    return _LONE_SURROGATE.sub(_escaped, text)


def _printable_finding(finding: Finding) -> Finding:
    texts = [finding.file, finding.message, finding.resource or "", finding.suppressed or ""]
    for related in finding.related:
        texts.extend((related.file, related.resource or "", related.message or ""))
    joined = "".join(texts)
    if joined.isascii() or _LONE_SURROGATE.search(joined) is None:
        return finding
    return finding.model_copy(
        update={
            "file": printable(finding.file),
            "message": printable(finding.message),
            "resource": finding.resource and printable(finding.resource),
            "suppressed": finding.suppressed and printable(finding.suppressed),
            "related": tuple(
                related.model_copy(
                    update={
                        "file": printable(related.file),
                        "resource": related.resource and printable(related.resource),
                        "message": related.message and printable(related.message),
                    }
                )
                for related in finding.related
            ),
        }
    )


@dataclass(frozen=True)
class Report:
    findings: list[Finding]
    rules: list[Rule]
    files_linted: int = 0
    files_failed: int = 0
    files_skipped: int = 0
    color: bool = False
    statistics: bool = False
    quiet: bool = False
    coverage: Coverage | None = None  # what the run could analyse; None: not known
    # Where SARIF and GitLab paths start (code scanning resolves them against the checkout),
    # and what a finding's identity is relative to; None: the current folder.
    repository_root: Path | None = None
    version: str = __version__

    def __post_init__(self) -> None:
        # Every format writes the findings as given here, so none meets an unencodable name.
        object.__setattr__(self, "findings", [_printable_finding(f) for f in self.findings])

    @property
    def active(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.suppressed is None]

    @property
    def suppressed(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.suppressed is not None]

    def summary(self) -> dict[str, Any]:
        by_severity = Counter(finding.severity.value for finding in self.active)
        summary: dict[str, Any] = {
            "findings": len(self.active),
            "errors": by_severity.get("error", 0),
            "warnings": by_severity.get("warning", 0),
            "infos": by_severity.get("info", 0),
            "suppressed": len(self.suppressed),
            "files": {
                "linted": self.files_linted,
                "failed": self.files_failed,
                "skipped": self.files_skipped,
            },
        }
        if self.coverage is not None:
            summary["coverage"] = self.coverage.to_dict()
        return summary

    def repository_path(self, file: str) -> str:
        return repository_path(file, self.repository_root)

    def identity(self, finding: Finding) -> str:
        return finding_identity(finding, self.repository_root)
