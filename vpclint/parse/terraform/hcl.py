"""Native HCL (``.tf``, ``.tfvars``) to the syntax tree: which parser reads what.

The fast path (:mod:`hcl_fast`) parses the HCL it is sure of (its docstring lists what that is);
python-hcl2's Lark tree (:mod:`hcl_lark`, imported only when needed: Lark costs a tenth of a warm
run's start-up) parses the rest and words every error. Both build their nodes through
:mod:`hcl_tree`, which also holds the error both raise, :class:`SyntaxProblem`.

Module layers, each importing only those below it: this dispatch; ``hcl_fast`` and ``hcl_lark``
(neither imports the other); ``hcl_tree`` and ``scanner``; ``syntax``.
"""

from __future__ import annotations

from collections.abc import Callable

from vpclint.parse.terraform import syntax as s
from vpclint.parse.terraform.hcl_fast import parse_fast
from vpclint.parse.terraform.hcl_tree import SyntaxProblem
from vpclint.parse.terraform.scanner import top_level_blocks

__all__ = [
    "SyntaxProblem",
    "parse_deferred",
    "parse_hcl",
    "parse_hcl_selectively",
    "parse_template",
]


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
