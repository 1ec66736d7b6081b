"""Finding the top-level blocks of a native HCL file without parsing them.

python-hcl2 (Lark) parses about 100 KB of HCL a second, and most of a real configuration
(instances, IAM, security groups) does not matter to the address plan. This scanner reads a file
once at the level of python-hcl2's own lexer (quoted strings with escapes, nested ``${...}`` and
``%{...}`` templates, heredocs, ``#``, ``//`` and ``/* */`` comments, brackets) and reports where
each top-level block starts and ends, its type and its labels, so that only the blocks that matter
are handed to python-hcl2.

Anything it does not recognise with certainty (an unbalanced bracket, an unterminated string,
heredoc or comment, a character HCL does not allow outside strings, a top-level attribute, a
merge-conflict marker) makes it give up: the caller then parses the whole file, so a syntax error
is still reported by python-hcl2 at its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_-]*")
# A label in quotes without escapes or templates (anything else is left to python-hcl2).
_PLAIN_LABEL = re.compile(r'"([^"\\$%\n]*)"')
_INLINE_SPACE = re.compile(r"[ \t]*")
# New lines, spaces and comments between top-level items (python-hcl2's NL_OR_COMMENT).
_GAP = re.compile(r"(?:[ \t\n]+|#[^\n]*\n|//[^\n]*\n|/\*[\s\S]*?\*/)*")
# Characters with no structure of their own inside expressions and bodies: names, numbers,
# operators, punctuation other than brackets, spaces and new lines.
_PLAIN = re.compile(r"[A-Za-z0-9_ \t\n.,=:?!+*%&|>~-]+")
# Inside a quoted string: everything up to a quote, an escape or a possible template start.
_STRING_PLAIN = re.compile(r'[^"\\$%]+')
_ESCAPED_INTERPOLATION = re.compile(r"\$\$\{[^}]*\}")
_ESCAPED_DIRECTIVE = re.compile(r"%%\{[^}]*\}")
# python-hcl2's heredoc terminals (``(?:.|\n)`` written as ``[\s\S]``); the lazy body ends at the
# first line holding only the marker.
HEREDOC = re.compile(
    r"<<(?P<heredoc>[a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:[\s\S]*?\r?\n)??\s*(?P=heredoc)\r?\n"
)
HEREDOC_TRIM = re.compile(
    r"<<-(?P<heredoc_trim>[a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:[\s\S]*?\r?\n)??\s*(?P=heredoc_trim)\r?\n"
)
_CONFLICT_MARKER = re.compile(r"^(?:<{7}|={7}|>{7})", re.MULTILINE)

_CLOSING = {")": "(", "]": "[", "}": "{"}
# Stack entries that a ``}`` closes and that return to the enclosing quoted string.
_TEMPLATE = "t"


class Unrecognised(Exception):
    """The text is not something the scanner can vouch for; parse the whole file instead."""


@dataclass(frozen=True)
class TopLevelBlock:
    type: str
    labels: tuple[str, ...]
    start: int  # offset of the block type's first character
    end: int  # offset just after the closing brace
    line: int  # 1-based line of ``start``
    column: int  # 1-based column of ``start``
    end_line: int  # line of the closing brace


def top_level_blocks(text: str) -> list[TopLevelBlock] | None:
    """The file's top-level blocks in order, or None when the scanner cannot vouch for the text."""
    if _CONFLICT_MARKER.search(text):
        return None
    # python-hcl2 parses the text with a new line appended (a final comment needs one).
    padded = text + "\n"
    try:
        spans = _scan(padded)
    except Unrecognised:
        return None
    blocks: list[TopLevelBlock] = []
    line = 1
    position = 0
    for block_type, labels, start, end in spans:
        line += padded.count("\n", position, start)
        end_line = line + padded.count("\n", start, end)
        column = start - (padded.rfind("\n", 0, start) + 1) + 1
        blocks.append(TopLevelBlock(block_type, labels, start, end, line, column, end_line))
        line, position = end_line, end
    return blocks


def _scan(text: str) -> list[tuple[str, tuple[str, ...], int, int]]:
    spans: list[tuple[str, tuple[str, ...], int, int]] = []
    length = len(text)
    position = _GAP.match(text, 0).end()  # type: ignore[union-attr]
    while position < length:
        name = _NAME.match(text, position)
        if name is None:
            raise Unrecognised
        start = position
        labels: list[str] = []
        position = _INLINE_SPACE.match(text, name.end()).end()  # type: ignore[union-attr]
        while True:
            label = _PLAIN_LABEL.match(text, position) or _NAME.match(text, position)
            if label is None:
                break
            labels.append(label.group(1) if label.re is _PLAIN_LABEL else label.group(0))
            position = _INLINE_SPACE.match(text, label.end()).end()  # type: ignore[union-attr]
        position = _GAP.match(text, position).end()  # type: ignore[union-attr]
        if not text.startswith("{", position):
            raise Unrecognised  # a top-level attribute or something malformed
        end = _skip_body(text, position + 1)
        spans.append((name.group(0), tuple(labels), start, end))
        position = _GAP.match(text, end).end()  # type: ignore[union-attr]
    return spans


def _skip_body(text: str, position: int) -> int:
    """The offset just after the ``}`` closing the block whose ``{`` ends before ``position``."""
    length = len(text)
    stack = ["{"]
    in_string = False
    while True:
        if in_string:
            plain = _STRING_PLAIN.match(text, position)
            if plain is not None:
                position = plain.end()
            if position >= length:
                raise Unrecognised  # unterminated string
            char = text[position]
            if char == '"':
                in_string = False
                position += 1
            elif char == "\\":
                if position + 1 >= length or text[position + 1] == "\n":
                    raise Unrecognised
                position += 2
            elif text.startswith("${", position) or text.startswith("%{", position):
                stack.append(_TEMPLATE)
                in_string = False
                position += 2
            elif text.startswith("$${", position) or text.startswith("%%{", position):
                pattern = _ESCAPED_INTERPOLATION if char == "$" else _ESCAPED_DIRECTIVE
                escaped = pattern.match(text, position)
                if escaped is None:
                    raise Unrecognised
                position = escaped.end()
            else:
                position += 1  # a lone ``$`` or ``%``
            continue
        plain = _PLAIN.match(text, position)
        if plain is not None:
            position = plain.end()
        if position >= length:
            raise Unrecognised  # unbalanced brackets
        char = text[position]
        if char == '"':
            in_string = True
            position += 1
        elif char in "([{":
            stack.append(char)
            position += 1
        elif char in ")]}":
            opener = stack.pop() if stack else None
            if char == "}" and opener == _TEMPLATE:
                in_string = True
            elif opener != _CLOSING[char]:
                raise Unrecognised
            position += 1
            if not stack:
                return position
        elif char == "#":
            position = _line_end(text, position)
        elif char == "/":
            following = text[position + 1 : position + 2]
            if following == "/":
                position = _line_end(text, position)
            elif following == "*":
                close = text.find("*/", position + 2)
                if close < 0:
                    raise Unrecognised
                position = close + 2
            else:
                position += 1  # division
        elif char == "<":
            if text.startswith("<<", position):
                # HCL has no shift operator: ``<<`` starts a heredoc or is an error.
                heredoc = HEREDOC_TRIM.match(text, position) or HEREDOC.match(text, position)
                if heredoc is None:
                    raise Unrecognised
                position = heredoc.end()
            else:
                position += 1  # less than
        else:
            raise Unrecognised  # a character HCL does not allow here (``\``, ``$``, ``@``, ...)


def _line_end(text: str, position: int) -> int:
    newline = text.find("\n", position)
    if newline < 0:
        raise Unrecognised
    return newline + 1
