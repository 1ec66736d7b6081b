"""What every reporter gets: the findings, the rules that ran, and the file counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from vpclint import __version__
from vpclint.api import Rule
from vpclint.models import Finding


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
    version: str = __version__

    @property
    def active(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.suppressed is None]

    @property
    def suppressed(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.suppressed is not None]

    def summary(self) -> dict[str, Any]:
        by_severity = Counter(finding.severity.value for finding in self.active)
        return {
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

    def rule_for(self, code: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.code == code), None)
