"""Suppressions written in a template: resource Metadata and ``# vpclint:`` comments.

``Metadata: {vpclint: {ignore: [VPC204], reason: ...}}`` works in YAML and JSON. A comment
``# vpclint: ignore[VPC204] reason`` belongs to the resource whose logical-ID line it is on or
directly above (blank and comment lines may lie between), or else to the resource it sits in.
A directive that belongs to no resource is kept with no target, so that it can be reported.
"""

from __future__ import annotations

import bisect
from typing import Any

from vpclint.check.suppression import parse_suppression_comment
from vpclint.parse.cloudformation.nodes import mark_of
from vpclint.parse.cloudformation.template import ParsedTemplate
from vpclint.topology.models import SourceLocation, Suppression


def template_suppressions(parsed: ParsedTemplate) -> list[Suppression]:
    template = parsed.template
    if template is None:
        return []
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        resources = {}
    declarations: dict[int, SourceLocation] = {}
    found: list[Suppression] = []
    for logical_id, resource in resources.items():
        target = parsed.location(*mark_of(logical_id))
        declarations[target.line] = target
        if isinstance(resource, dict):
            found.extend(_metadata_suppressions(parsed, resource, target))
    found.extend(_comment_suppressions(parsed, declarations, _section_end(parsed, resources)))
    return found


def _metadata_suppressions(
    parsed: ParsedTemplate, resource: dict[Any, Any], target: SourceLocation
) -> list[Suppression]:
    metadata = resource.get("Metadata")
    if not isinstance(metadata, dict) or "vpclint" not in metadata:
        return []
    settings = metadata["vpclint"]
    location = parsed.location(*mark_of(settings, mark_of(metadata)))
    if not isinstance(settings, dict) or "ignore" not in settings:
        return [_malformed(location, target, "Metadata vpclint needs `ignore: [CODE, ...]`")]
    ignore = settings["ignore"]
    location = parsed.location(*mark_of(ignore, (location.line, location.column)))
    if isinstance(ignore, str):
        codes = ignore.split(",")
    elif isinstance(ignore, list) and all(isinstance(code, str) for code in ignore):
        codes = [str(code) for code in ignore]
    else:
        return [_malformed(location, target, "Metadata vpclint ignore must be a list of codes")]
    reason = settings.get("reason")
    text = f"vpclint: ignore[{','.join(codes)}] {reason if isinstance(reason, str) else ''}"
    directive = parse_suppression_comment(text)
    assert directive is not None
    return [
        Suppression(
            location=location,
            target=target,
            codes=directive.codes,
            reason=directive.reason,
            problem=directive.problem,
        )
    ]


def _malformed(location: SourceLocation, target: SourceLocation, problem: str) -> Suppression:
    return Suppression(location=location, target=target, problem=problem)


def _section_end(parsed: ParsedTemplate, resources: dict[Any, Any]) -> int:
    """The last line of the Resources section: up to the next top-level key, or the end."""
    template: dict[Any, Any] = parsed.template or {}
    start = mark_of(next((key for key in template if key == "Resources"), None), (0, 0))[0]
    following = [mark_of(key)[0] for key in template if mark_of(key, (0, 0))[0] > start]
    return min(following) - 1 if following else max(parsed.text_lines, start)


def _comment_suppressions(
    parsed: ParsedTemplate, declarations: dict[int, SourceLocation], section_end: int
) -> list[Suppression]:
    if not parsed.comments:
        return []
    lines = sorted(declarations)
    found: list[Suppression] = []
    for comment in parsed.comments:
        directive = parse_suppression_comment(comment.text)
        if directive is None:
            continue
        target = _comment_target(
            comment.line, lines, declarations, parsed.filler_lines, section_end
        )
        found.append(
            Suppression(
                location=parsed.location(comment.line, comment.column),
                target=target,
                codes=directive.codes,
                reason=directive.reason,
                problem=directive.problem,
            )
        )
    return found


def _comment_target(
    line: int,
    lines: list[int],
    declarations: dict[int, SourceLocation],
    filler_lines: frozenset[int],
    section_end: int,
) -> SourceLocation | None:
    if line in declarations:
        return declarations[line]
    index = bisect.bisect_right(lines, line)
    following = lines[index] if index < len(lines) else None
    if following is not None and all(other in filler_lines for other in range(line + 1, following)):
        return declarations[following]
    if index > 0:
        # Inside the previous resource's body, if still within the Resources section.
        limit = following - 1 if following is not None else section_end
        if line <= limit:
            return declarations[lines[index - 1]]
    return None
