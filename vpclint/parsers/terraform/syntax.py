"""The Terraform syntax tree vpclint evaluates: small, picklable, with a line for every node.

Both native HCL (``.tf``, via python-hcl2's Lark parse tree) and the JSON syntax (``.tf.json``)
are turned into these nodes, so the evaluator has one input shape. Nodes are frozen dataclasses
of plain values, so a parse result can be cached by content and sent between processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

Scalar = None | bool | int | float | str


@dataclass(frozen=True)
class Node:
    line: int
    column: int


@dataclass(frozen=True)
class Literal(Node):
    value: Scalar


@dataclass(frozen=True)
class TemplateIf:
    condition: Expression
    then_parts: tuple[TemplatePart, ...]
    else_parts: tuple[TemplatePart, ...]


@dataclass(frozen=True)
class TemplateFor:
    key_name: str | None
    value_name: str
    collection: Expression
    body: tuple[TemplatePart, ...]


TemplatePart = Union[str, "Expression", TemplateIf, TemplateFor]


@dataclass(frozen=True)
class Template(Node):
    """A string with interpolations or directives; plain strings are Literals."""

    parts: tuple[TemplatePart, ...]


@dataclass(frozen=True)
class TupleExpr(Node):
    items: tuple[Expression, ...]


@dataclass(frozen=True)
class ObjectExpr(Node):
    items: tuple[tuple[Expression, Expression], ...]


@dataclass(frozen=True)
class Name(Node):
    """A bare identifier: the root of a reference (var, local, aws_vpc, count, each, ...)."""

    name: str


@dataclass(frozen=True)
class GetAttr(Node):
    target: Expression
    name: str


@dataclass(frozen=True)
class Index(Node):
    target: Expression
    key: Expression


@dataclass(frozen=True)
class SplatAttr:
    name: str


@dataclass(frozen=True)
class SplatIndex:
    key: Expression


@dataclass(frozen=True)
class Splat(Node):
    """``target[*].a.b`` or ``target.*.a``: apply the traversal to every element."""

    target: Expression
    traversal: tuple[SplatAttr | SplatIndex, ...]


@dataclass(frozen=True)
class Call(Node):
    name: str
    arguments: tuple[Expression, ...]
    expand_final: bool = False


@dataclass(frozen=True)
class Conditional(Node):
    condition: Expression
    then_value: Expression
    else_value: Expression


@dataclass(frozen=True)
class BinaryOp(Node):
    operator: str
    left: Expression
    right: Expression


@dataclass(frozen=True)
class UnaryOp(Node):
    operator: str
    operand: Expression


@dataclass(frozen=True)
class ForExpr(Node):
    key_name: str | None
    value_name: str
    collection: Expression
    value: Expression
    key: Expression | None = None  # set for object results: {for k, v in x : key => value}
    condition: Expression | None = None
    grouping: bool = False


@dataclass(frozen=True)
class Invalid(Node):
    """An expression the front end cannot represent; evaluates to an error Unknown."""

    reason: str


Expression = (
    Literal
    | Template
    | TupleExpr
    | ObjectExpr
    | Name
    | GetAttr
    | Index
    | Splat
    | Call
    | Conditional
    | BinaryOp
    | UnaryOp
    | ForExpr
    | Invalid
)


@dataclass(frozen=True)
class Attribute:
    name: str
    value: Expression
    line: int
    column: int = 1
    end_line: int = 0


@dataclass(frozen=True)
class Block:
    type: str
    labels: tuple[str, ...]
    attributes: dict[str, Attribute]
    blocks: tuple[Block, ...]
    line: int
    column: int = 1
    end_line: int = 0

    def nested(self, block_type: str) -> tuple[Block, ...]:
        return tuple(block for block in self.blocks if block.type == block_type)


@dataclass(frozen=True)
class Comment:
    line: int
    column: int
    text: str


@dataclass(frozen=True)
class Body:
    """A file's top-level content: attributes (tfvars) and blocks (everything else)."""

    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()
    comments: tuple[Comment, ...] = ()  # only those that mention vpclint (suppressions)
