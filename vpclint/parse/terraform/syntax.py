"""The Terraform syntax tree vpclint evaluates: small, picklable, with a line for every node.

Both native HCL (``.tf``, through :mod:`hcl_tree`) and the JSON syntax (``.tf.json``)
are turned into these nodes, so the evaluator has one input shape. Nodes are frozen dataclasses
of plain values, so a parse result can be cached by content and sent between processes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
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
class DeferredBlock:
    """A top-level block left unparsed because the address plan does not need it (an instance,
    an IAM role): its header and its text, parsed only if an expression refers to its type."""

    type: str
    labels: tuple[str, ...]
    line: int
    column: int
    end_line: int
    text: str  # the block's text, indented to its column, to parse with ``line - 1`` as offset
    max_depth: int


@dataclass(frozen=True)
class Body:
    """A file's top-level content: attributes (tfvars) and blocks (everything else)."""

    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()
    comments: tuple[Comment, ...] = ()  # only those that mention vpclint (suppressions)
    deferred: tuple[DeferredBlock, ...] = ()  # in file order, interleaved with ``blocks`` by line
    # sorted(referenced_names(blocks)), worked out when parsing (in parallel, cached) when known;
    # a tuple, as a set would pickle in another order with each hash seed
    referenced: tuple[str, ...] | None = None


def referenced_names(blocks: Iterable[Block]) -> set[str]:
    """Every name and attribute name the blocks' expressions use (``aws_vpc`` and ``main`` in
    ``aws_vpc.main.id``): a superset of the resource types they can refer to."""
    found: set[str] = set()
    pending: list[object] = list(blocks)
    while pending:
        node = pending.pop()
        if isinstance(node, Name):
            found.add(node.name)
        elif isinstance(node, GetAttr):
            found.add(node.name)
            pending.append(node.target)
        elif isinstance(node, tuple | list):
            pending.extend(node)
        elif isinstance(node, Block):
            pending.extend(node.attributes.values())
            pending.extend(node.blocks)
        elif isinstance(node, Attribute):
            pending.append(node.value)
        elif isinstance(node, str | SplatAttr) or node is None:
            continue
        else:
            pending.extend(getattr(node, name) for name in _FIELDS_OF.get(type(node), ()))
    return found


_FIELDS_OF: dict[type, tuple[str, ...]] = {
    kind: tuple(item.name for item in fields(kind) if item.name not in ("line", "column"))
    for kind in (
        Literal,
        Template,
        TemplateIf,
        TemplateFor,
        TupleExpr,
        ObjectExpr,
        Index,
        SplatIndex,
        Splat,
        Call,
        Conditional,
        BinaryOp,
        UnaryOp,
        ForExpr,
        Invalid,
    )
}
