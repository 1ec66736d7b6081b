"""A finding's identity across commits: what a baseline matches and SARIF's
``partialFingerprints`` carry.

It is the finding's code, the set of resources involved (each named by its address and the
folder of its root, module or template) and the set of CIDRs in its message and related
locations — never a line number, nor the file of a resource that has an address, nor which of
two overlapping resources the rule happened to report at (that follows source order). Moving a
resource to another file of its folder, or code around it, keeps the finding the same one. A
finding about no resource (a parse error) is its code, file and message. Paths are relative to
the repository root, so the identity does not depend on the folder vpclint was run from.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from pathlib import Path

from vpclint.topology.models import Finding

_CIDR = re.compile(
    r"\b\d{1,3}(?:\.\d{1,3}){3}/\d{1,2}\b|[0-9A-Fa-f]*:[0-9A-Fa-f:]*:[0-9A-Fa-f]*/\d{1,3}"
)


def repository_root(start: Path) -> Path:
    """The git top level above ``start`` (the folder holding ``.git``), else ``start`` itself."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def repository_path(file: str, root: Path | None) -> str:
    """``file`` (relative to the current folder, as findings carry it) relative to ``root``, as a
    POSIX path; unchanged when there is no root or the file lies outside it."""
    if root is None:
        return file
    relative = os.path.relpath(os.path.abspath(file), root)
    if relative == ".." or relative.startswith(".." + os.sep):
        return file
    return relative.replace(os.sep, "/")


def _named(file: str, resource: str | None, root: Path | None) -> str:
    path = repository_path(file, root)
    return f"{posixpath.dirname(path)}:{resource}" if resource is not None else path


def finding_identity(finding: Finding, root: Path | None) -> str:
    resources = {
        _named(item.file, item.resource, root) for item in finding.related if item.resource
    }
    if finding.resource is not None:
        resources.add(_named(finding.file, finding.resource, root))
    cidrs = set(_CIDR.findall(finding.message))
    cidrs.update(item.cidr for item in finding.related if item.cidr)
    if resources:
        parts = [finding.code, *sorted(resources), "", *sorted(cidrs)]
    else:
        parts = [finding.code, repository_path(finding.file, root), finding.message]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]
