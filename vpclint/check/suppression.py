"""Suppression comments: ``# vpclint: ignore[VPC204,VPC301] optional reason``.

Front ends find the comments (``#`` or ``//`` in HCL, ``#`` in YAML) and attach them to the
resource they belong to; this module only reads one comment's text, the same way for all of them.
A code list is required: a bare ``vpclint: ignore`` is malformed (VPC902), never a blanket ignore.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vpclint.check.codes import RULE_CODE

_MARKER = re.compile(r"vpclint\s*:\s*ignore", re.IGNORECASE)
_DIRECTIVE = re.compile(r"vpclint:\s*ignore\[(?P<codes>[^\]]*)\](?P<reason>.*)$")


@dataclass(frozen=True)
class SuppressionComment:
    codes: tuple[str, ...]
    reason: str | None
    problem: str | None  # set when the comment is malformed; codes is then empty


def parse_suppression_comment(comment: str) -> SuppressionComment | None:
    """Read one comment's text (with or without its ``#``/``//``); None when it is no directive."""
    body = comment.strip().lstrip("#/").strip()
    if not _MARKER.match(body):
        return None
    match = _DIRECTIVE.match(body)
    if match is None:
        return SuppressionComment(
            (), None, "malformed suppression: expected `vpclint: ignore[CODE,...] reason`"
        )
    codes = tuple(code.strip().upper() for code in match["codes"].split(",") if code.strip())
    if not codes:
        return SuppressionComment((), None, "suppression names no code: list the codes to ignore")
    # Only the shape: whether the code names a loaded rule (a pack's ACME001 too) is the
    # engine's check, reported as VPC902 like any other unusable suppression.
    bad = [code for code in codes if not RULE_CODE.match(code)]
    if bad:
        return SuppressionComment(
            (),
            None,
            f"malformed code in suppression: {', '.join(bad)} (expected a code like VPC203)",
        )
    reason = match["reason"].strip() or None
    return SuppressionComment(codes, reason, None)
