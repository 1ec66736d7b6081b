"""The tree builder both native HCL paths feed: what each piece of HCL is in :mod:`syntax`.

The fast path (:mod:`hcl_fast`, recursive descent over tokens of its own) and python-hcl2's path
(:mod:`hcl_lark`, a walk of its Lark parse tree) find the pieces of a file their own way; the
nodes those pieces become are made here, once, so the two paths cannot drift apart: numbers (and
the number too long to read), a negated number folded into its literal, a string without
interpolations as a plain literal, which steps of a splat go into its traversal, a ``for``'s
names, a heredoc's body (its indentation trimmed, its text re-quoted for the template parser),
an argument set twice, the end line of an attribute or block.

Both paths raise :class:`SyntaxProblem` for what Terraform rejects; the fast path takes it as a
reason to let python-hcl2 parse the file and word the error.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vpclint.parse.terraform import syntax as s


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


def unescape(text: str) -> str:
    """A quoted string's text with its backslash escapes replaced (an unknown one is kept)."""

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[code]
        if code[0] in "uU" and len(code) > 1:
            return chr(min(int(code[1:], 16), 0x10FFFF))
        return match.group(0)

    return _ESCAPE.sub(replace, text)


# -- structure -------------------------------------------------------------------------------


class BodyBuilder:
    """A body's attributes and blocks in file order; an argument set twice is Terraform's error."""

    __slots__ = ("attributes", "blocks")

    def __init__(self) -> None:
        self.attributes: dict[str, s.Attribute] = {}
        self.blocks: list[s.Block] = []

    def add_attribute(self, attribute: s.Attribute) -> None:
        first = self.attributes.get(attribute.name)
        if first is not None:
            raise SyntaxProblem(
                redefined(attribute.name, first.line, first.column),
                attribute.line,
                attribute.column,
            )
        self.attributes[attribute.name] = attribute

    def add_block(self, block: s.Block) -> None:
        self.blocks.append(block)

    def body(self) -> s.Body:
        return s.Body(attributes=self.attributes, blocks=tuple(self.blocks))


def attribute(name: str, value: s.Expression, line: int, column: int, end_line: int) -> s.Attribute:
    """``end_line`` is the line of the value's last token; 0 when unknown (then its first line)."""
    return s.Attribute(name=name, value=value, line=line, column=column, end_line=end_line or line)


def block(
    block_type: str,
    labels: tuple[str, ...],
    inner: s.Body,
    line: int,
    column: int,
    end_line: int,
) -> s.Block:
    """``end_line`` is the line of the closing brace; 0 when unknown (then its first line)."""
    return s.Block(
        type=block_type,
        labels=labels,
        attributes=inner.attributes,
        blocks=inner.blocks,
        line=line,
        column=column,
        end_line=end_line or line,
    )


# -- expressions -----------------------------------------------------------------------------


def whole_number(digits: str, line: int, column: int) -> s.Expression:
    try:
        return s.Literal(line, column, int(digits))
    except ValueError:  # more digits than Python converts (4300): no network number is that long
        return s.Invalid(line, column, f"a number of {len(digits)} digits is too long to read")


def decimal_number(text: str, line: int, column: int) -> s.Literal:
    """A number with a fraction or an exponent; a whole value is an int, as Terraform prints it."""
    value = float(text)
    return s.Literal(line, column, int(value) if value.is_integer() else value)


def unary(operator: str, operand: s.Expression, line: int, column: int) -> s.Expression:
    """``-`` before a number is part of the number (``-1`` is a literal); otherwise an operator."""
    value = operand.value if isinstance(operand, s.Literal) else None
    if operator == "-" and isinstance(value, int | float) and not isinstance(value, bool):
        return s.Literal(line, column, -value)
    return s.UnaryOp(line, column, operator, operand)


def template(parts: Sequence[s.TemplatePart], line: int, column: int) -> s.Expression:
    """A string's parts, literal text already unescaped: without an interpolation or directive
    it is one plain literal."""
    if all(isinstance(part, str) for part in parts):
        return s.Literal(line, column, "".join(str(part) for part in parts))
    return s.Template(line, column, tuple(parts))


SplatStep = s.SplatAttr | s.SplatIndex


def attribute_splat(
    target: s.Expression, steps: Sequence[SplatStep], line: int, column: int
) -> s.Expression:
    """``target.*.a.b[0]``: the attribute steps right after ``.*`` apply to every element; the
    first index and everything after it apply to the resulting list, as in HCL."""
    rest = next(
        (position for position, step in enumerate(steps) if isinstance(step, s.SplatIndex)),
        len(steps),
    )
    result: s.Expression = s.Splat(line, column, target, tuple(steps[:rest]))
    for step in steps[rest:]:
        if isinstance(step, s.SplatAttr):
            result = s.GetAttr(line, column, result, step.name)
        else:
            result = s.Index(line, column, result, step.key)
    return result


def full_splat(
    target: s.Expression, steps: Sequence[SplatStep], line: int, column: int
) -> s.Expression:
    """``target[*].a[0].b``: every step applies to every element."""
    return s.Splat(line, column, target, tuple(steps))


def for_names(names: Sequence[str]) -> tuple[str | None, str]:
    """The key and value names of ``for k, v in`` (``for v in`` has no key name)."""
    if len(names) == 2:
        return names[0], names[1]
    return None, names[0]


# -- heredocs --------------------------------------------------------------------------------

_HEREDOC_OPENING = re.compile(r"<<(-?)([A-Za-z][A-Za-z0-9._-]*)\r?\n")


def heredoc_body(text: str) -> str | None:
    """The text of a heredoc (the whole token, ``<<EOT`` to the closing marker's new line), its
    indentation trimmed for ``<<-``; None when the token is not a heredoc."""
    opening = _HEREDOC_OPENING.match(text)
    if opening is None:
        return None
    lines = text[opening.end() :].split("\n")
    # The last two entries are the closing marker line and the empty tail after its newline.
    body_lines = [entry.rstrip("\r") for entry in lines[:-2]]
    if opening.group(1) == "-":
        indents = [len(entry) - len(entry.lstrip()) for entry in body_lines if entry.strip()]
        common = min(indents, default=0)
        body_lines = [entry[common:] for entry in body_lines]
    return "\n".join(body_lines) + ("\n" if body_lines else "")


def has_template_syntax(body: str) -> bool:
    """Whether template text has an interpolation or directive (else it is a plain literal)."""
    return "${" in body or "%{" in body


def as_quoted_attribute(body: str) -> str:
    """Template text as the one-line file ``x = "..."`` whose string a parser's template reading
    takes: heredocs and template files do not interpret backslash escapes, so they are quoted.
    Parsed with the template's line as line offset, its interpolations keep their lines."""
    quoted = body.replace("\\", "\\\\").replace('"', '\\"')
    return f'x = "{quoted}"'
