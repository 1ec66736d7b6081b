"""Decoded template values that remember where they were written.

Mappings, sequences and strings are subclasses of ``dict``, ``list`` and ``str`` so that they
compare equal to plain values (and to cfn-lint's decoded nodes), and carry ``mark``: the 1-based
(line, column) of their first character. Numbers, booleans and nulls carry no mark; evaluation
reports them at the enclosing node. Everything here pickles, so parse results can be cached and
computed in worker processes.
"""

from __future__ import annotations

from typing import Any

Mark = tuple[int, int]  # 1-based line, column

NO_MARK: Mark = (1, 1)


class MarkedDict(dict[Any, Any]):
    mark: Mark = NO_MARK


class MarkedList(list[Any]):
    mark: Mark = NO_MARK


class MarkedStr(str):
    mark: Mark = NO_MARK


def marked_dict(mark: Mark) -> MarkedDict:
    node = MarkedDict()
    node.mark = mark
    return node


def marked_list(mark: Mark) -> MarkedList:
    node = MarkedList()
    node.mark = mark
    return node


def marked_str(value: str, mark: Mark) -> MarkedStr:
    node = MarkedStr(value)
    node.mark = mark
    return node


class TaggedValue:
    """A value under a YAML tag we do not know (``!Rain::Module``): kept, never interpreted.

    Pre-processors (Rain, cfn-include) use such tags; CloudFormation never sees them, so their
    value is opaque and evaluates to Unknown.
    """

    __slots__ = ("mark", "tag", "value")

    def __init__(self, tag: str, value: Any, mark: Mark) -> None:
        self.tag = tag
        self.value = value
        self.mark = mark

    def __getstate__(self) -> tuple[str, Any, Mark]:
        return (self.tag, self.value, self.mark)

    def __setstate__(self, state: tuple[str, Any, Mark]) -> None:
        self.tag, self.value, self.mark = state

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, TaggedValue) and other.tag == self.tag and other.value == self.value
        )

    def __hash__(self) -> int:
        return hash(self.tag)

    def __repr__(self) -> str:
        return f"TaggedValue(!{self.tag}, {self.value!r})"


def mark_of(value: object, default: Mark = NO_MARK) -> Mark:
    """Where a decoded value was written, or ``default`` for unmarked scalars."""
    mark = getattr(value, "mark", None)
    return mark if isinstance(mark, tuple) else default
