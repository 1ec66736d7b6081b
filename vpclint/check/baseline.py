"""A baseline: today's findings recorded, so that a repository adopting vpclint fails only on new
ones (``vpclint baseline -o FILE``, then ``--baseline FILE`` or config ``baseline = FILE``).

A finding matches an entry by its identity (:mod:`vpclint.topology.identity`:
code, resources, CIDRs,
never a line number), so moving code keeps it matched. A matched finding is reported as
suppressed with the reason "baseline"; an entry no finding matches any more is reported as
VPC902 at its line of the baseline file, like an unused suppression, so the baseline shrinks as
the old problems are fixed. Applied after the run, outside the cached stages: editing the
baseline re-runs nothing.
"""

from __future__ import annotations

import json
import posixpath
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vpclint import __version__
from vpclint.topology.identity import finding_identity, repository_path
from vpclint.topology.models import Finding, Severity

BASELINE_VERSION = "1"
BASELINE_REASON = "baseline"
DEFAULT_BASELINE_FILE = ".vpclint-baseline.json"
STALE_ENTRY_CODE = "VPC902"


class BaselineError(Exception):
    """A baseline file that cannot be read; its text names the file."""


@dataclass(frozen=True)
class BaselineEntry:
    identity: str
    code: str
    file: str  # relative to the repository root
    message: str
    line: int  # of this entry in the baseline file, where a stale entry is reported


def render_baseline(findings: Sequence[Finding], root: Path | None) -> str:
    """The baseline of ``findings`` (the unsuppressed ones), one entry per line to diff well."""
    entries = sorted(
        (
            {
                "identity": finding_identity(finding, root),
                "code": finding.code,
                "file": repository_path(finding.file, root),
                "resource": finding.resource,
                "message": finding.message,
            }
            for finding in findings
            if finding.suppressed is None
        ),
        key=lambda entry: (entry["file"] or "", entry["code"] or "", entry["identity"] or ""),
    )
    listed = (
        "[\n    " + ",\n    ".join(json.dumps(e) for e in entries) + "\n  ]" if entries else "[]"
    )
    return (
        "{\n"
        f'  "version": {json.dumps(BASELINE_VERSION)},\n'
        f'  "tool": {json.dumps({"name": "vpclint", "version": __version__})},\n'
        f'  "findings": {listed}\n'
        "}\n"
    )


def load_baseline(path: Path) -> list[BaselineEntry]:
    try:
        text = path.read_text(encoding="utf-8")
        document = json.loads(text)
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"{path}: cannot read baseline: {error}") from error
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}:{error.lineno}: invalid baseline JSON: {error.msg}") from None
    if not isinstance(document, dict) or document.get("version") != BASELINE_VERSION:
        raise BaselineError(f"{path}: not a vpclint baseline (version {BASELINE_VERSION})")
    items = document.get("findings")
    if not isinstance(items, list):
        raise BaselineError(f"{path}: `findings` must be a list")
    # Each entry's line, where a stale entry is reported: the lines naming an identity, in order.
    lines = [number for number, line in enumerate(text.splitlines(), 1) if '"identity"' in line]
    entries = []
    for index, item in enumerate(items):
        fields = item if isinstance(item, dict) else {}
        identity, code = fields.get("identity"), fields.get("code")
        if not isinstance(identity, str) or not isinstance(code, str):
            raise BaselineError(f"{path}: entry {index + 1} has no `identity` and `code`")
        entries.append(
            BaselineEntry(
                identity=identity,
                code=code,
                file=str(fields.get("file") or ""),
                message=str(fields.get("message") or ""),
                line=lines[index] if len(lines) == len(items) else 1,
            )
        )
    return entries


def apply_baseline(
    findings: Sequence[Finding],
    entries: Sequence[BaselineEntry],
    *,
    root: Path | None,
    baseline_file: str,
    linted: Sequence[str],
    stale_severity: Severity | None,
) -> list[Finding]:
    """``findings`` with the baselined ones suppressed, and a VPC902 for each stale entry of
    the files below ``linted`` (repository paths; ``.`` for everything), at
    ``stale_severity`` (None: VPC902 is not selected)."""
    remaining = Counter(entry.identity for entry in entries)
    marked = []
    for finding in findings:
        identity = finding_identity(finding, root) if finding.suppressed is None else None
        if identity is not None and remaining[identity] > 0:
            remaining[identity] -= 1
            finding = finding.model_copy(update={"suppressed": BASELINE_REASON})
        marked.append(finding)
    if stale_severity is None:
        return marked
    for entry in entries:
        if remaining[entry.identity] <= 0 or not _below(entry.file, linted):
            continue
        remaining[entry.identity] -= 1
        marked.append(
            Finding(
                code=STALE_ENTRY_CODE,
                name="invalid-suppression",
                severity=stale_severity,
                message=f"baseline entry matches no finding any more ({entry.code} in "
                f"{entry.file}: {entry.message}); remove it, or record the baseline again",
                file=baseline_file,
                line=entry.line,
                column=5,
            )
        )
    return marked


def _below(file: str, linted: Sequence[str]) -> bool:
    for path in linted:
        if path in (".", "") or file == path or file.startswith(posixpath.join(path, "")):
            return True
    return False
