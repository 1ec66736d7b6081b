"""Narrowing a run's findings to the files given on the command line (pre-commit's staged set):
the whole project is analysed, and what touches those files reported."""

from __future__ import annotations

from collections.abc import Sequence

from vpclint.topology.models import Finding


def touching(findings: Sequence[Finding], files: set[str], folders: Sequence[str]) -> list[Finding]:
    """The findings at or related to one of ``files`` or anywhere below one of ``folders``."""
    if any(folder in (".", "") for folder in folders):
        return list(findings)
    below = tuple(folder.rstrip("/") + "/" for folder in folders)
    return [finding for finding in findings if _touches(finding, files, below)]


def _touches(finding: Finding, files: set[str], below: tuple[str, ...]) -> bool:
    if finding.file in files or finding.file.startswith(below):
        return True
    for related in finding.related:  # a loop, not any(): no generator for each of 4,000 findings
        if related.file in files or related.file.startswith(below):
            return True
    return False
