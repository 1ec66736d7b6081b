"""Native HCL (``.tf``, ``.tfvars``) to the syntax tree.

The fast path (:mod:`hcl_fast`) parses the HCL it is sure of; python-hcl2's Lark tree
(:mod:`hcl_lark`, imported only when needed: Lark costs a tenth of a warm run's start-up) parses
the rest and words every error.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from vpclint.parse.terraform import syntax as s
from vpclint.parse.terraform.hcl_fast import parse_fast
from vpclint.parse.terraform.scanner import top_level_blocks


class SyntaxProblem(Exception):
    """A file python-hcl2 cannot parse, or nesting too deep: becomes one VPC001."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def redefined(name: str, line: int, column: int) -> str:
    """Terraform's "Attribute redefined", which rejects the whole configuration."""
    return (
        f'the argument "{name}" was already set at line {line}, column {column} '
        "(each argument may be set only once)"
    )


_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def parse_hcl(text: str, max_depth: int, line_offset: int = 0) -> s.Body:
    """Parse HCL text into a Body; raises SyntaxProblem for anything python-hcl2 rejects.

    The fast path (:mod:`hcl_fast`) gives the same Body for the HCL it is sure of, several times
    faster; python-hcl2 parses the rest and words every error.
    """
    body = parse_fast(text, max_depth, line_offset)
    if body is not None:
        return body
    from vpclint.parse.terraform.hcl_lark import parse_hcl_with_python_hcl2

    return parse_hcl_with_python_hcl2(text, max_depth, line_offset)


def parse_template(text: str, max_depth: int) -> s.Expression:
    """A template's text (``templatefile()``, ``templatestring()``) as one expression; what
    cannot be parsed is an :class:`~syntax.Invalid` node with the reason."""
    from vpclint.parse.terraform.hcl_lark import template_from_text

    return template_from_text(text, max_depth)


def parse_hcl_selectively(
    text: str, max_depth: int, deferrable: Callable[[str, tuple[str, ...]], bool]
) -> s.Body:
    """Like :func:`parse_hcl`, but top-level blocks that ``deferrable(type, labels)`` accepts are
    kept as text (:class:`~syntax.DeferredBlock`) instead of being parsed.

    The other blocks are parsed in runs between the deferred ones, each at its own line and
    column, so every node keeps the position a whole-file parse gives it. A block whose text
    mentions vpclint (a suppression comment) is always parsed. Whenever the scanner cannot vouch
    for the file, or a run fails to parse, the whole file is parsed, so a syntax error is reported
    exactly as without deferring.
    """
    found = top_level_blocks(text)
    if not found:
        return parse_hcl(text, max_depth)
    lowered = text.lower() if "vpclint" in text.lower() else ""
    deferred = [
        block
        for block in found
        if deferrable(block.type, block.labels)
        and not (lowered and "vpclint" in lowered[block.start : block.end])
    ]
    if not deferred:
        return parse_hcl(text, max_depth)
    blocks: list[s.Block] = []
    comments: list[s.Comment] = []
    start, start_line = 0, 1
    deferred_starts = {block.start for block in deferred}
    kept = iter(block for block in found if block.start not in deferred_starts)
    next_kept = next(kept, None)
    try:
        for end, following in [(block.start, block) for block in deferred] + [(len(text), None)]:
            has_blocks = next_kept is not None and next_kept.start < end
            while next_kept is not None and next_kept.start < end:
                next_kept = next(kept, None)
            if has_blocks or (lowered and "vpclint" in lowered[start:end]):
                column = start - (text.rfind("\n", 0, start) + 1)
                body = parse_hcl(" " * column + text[start:end], max_depth, start_line - 1)
                if body.attributes:
                    return parse_hcl(text, max_depth)
                blocks.extend(body.blocks)
                comments.extend(body.comments)
            if following is not None:
                start, start_line = following.end, following.end_line
    except SyntaxProblem:
        return parse_hcl(text, max_depth)
    return s.Body(
        blocks=tuple(blocks),
        comments=tuple(comments),
        deferred=tuple(
            s.DeferredBlock(
                type=block.type,
                labels=block.labels,
                line=block.line,
                column=block.column,
                end_line=block.end_line,
                text=" " * (block.column - 1) + text[block.start : block.end],
                max_depth=max_depth,
            )
            for block in deferred
        ),
    )


def parse_deferred(deferred: s.DeferredBlock) -> s.Block:
    """The syntax tree of a deferred block, as a whole-file parse would have given it."""
    offset = deferred.line - 1
    try:
        body = parse_hcl(deferred.text, deferred.max_depth, offset)
    except SyntaxProblem as problem:
        raise SyntaxProblem(problem.message, problem.line + offset, problem.column) from None
    if len(body.blocks) != 1 or body.attributes:
        raise SyntaxProblem("cannot parse this block on its own", deferred.line, deferred.column)
    return body.blocks[0]


def unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[code]
        if code[0] in "uU" and len(code) > 1:
            return chr(min(int(code[1:], 16), 0x10FFFF))
        return match.group(0)

    return _ESCAPE.sub(replace, text)
