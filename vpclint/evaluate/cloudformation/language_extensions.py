"""The ``AWS::LanguageExtensions`` transform's ``Fn::ForEach``, expanded before evaluation.

``'Fn::ForEach::Name': [Identifier, Collection, {OutputKey: OutputValue}]`` in Conditions,
Outputs, Resources (and any mapping inside a resource) stands for one copy of the fragment per
item of the collection, with ``${Identifier}`` and ``&{Identifier}`` (the item without its
non-alphanumeric characters) replaced in the fragment's keys and ``Fn::Sub`` strings, and
``Ref: Identifier`` replaced by the item. Loops nest: an inner loop's collection may use the
outer identifier. What is replaced is what cfn-lint's own transform replaces
(``cfnlint/template/transforms/_language_extensions.py``); the tests compare the two.

A generated entry keeps the marks of the fragment it comes from, so a generated subnet is
reported on the line of its ``OutputKey`` in the loop, under its generated logical ID. A loop
that cannot be expanded (its collection is unknown, it is malformed, it would exceed
``max-expansion``) is left out and reported: the address space it may declare is not analysed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vpclint.evaluate.cloudformation.values import Unresolved, as_text
from vpclint.parse.cloudformation.nodes import (
    Mark,
    MarkedDict,
    MarkedList,
    mark_of,
    marked_dict,
    marked_list,
    marked_str,
)
from vpclint.topology.kinds import CLOUDFORMATION

TRANSFORM = "AWS::LanguageExtensions"
SECTIONS = ("Conditions", "Resources", "Outputs")  # the order matters: Resources use Conditions
_LOOP = re.compile(r"^Fn::ForEach::[A-Za-z0-9]+$")
_NOT_ALPHANUMERIC = re.compile(r"[^0-9A-Za-z]+")
_VARIABLE = re.compile(r"[$&]\{[^}]*\}")


@dataclass(frozen=True)
class SkippedLoop:
    """A loop left out of the template, and why."""

    name: str
    section: str
    mark: Mark
    reason: str
    holds_addresses: bool  # its fragment declares a network kind, an export or a condition


def uses_transform(template: MarkedDict) -> bool:
    transform = template.get("Transform")
    transforms = transform if isinstance(transform, list) else [transform]
    return any(item == TRANSFORM for item in transforms)


def has_loops(template: MarkedDict) -> bool:
    """Whether a section holds a ``Fn::ForEach`` at its top (the cheap test for every template)."""
    for section in SECTIONS:
        body = template.get(section)
        if isinstance(body, dict) and any(_is_loop_key(key) for key in body):
            return True
    return False


def _is_loop_key(key: Any) -> bool:
    return isinstance(key, str) and key.startswith("Fn::ForEach")


class Expander:
    """Expands the loops of one template. ``collection`` evaluates a loop's collection (the
    evaluator's ``evaluate``: a Ref to a CommaDelimitedList parameter, a Fn::FindInMap)."""

    def __init__(
        self, collection: Callable[[Any, Mark], Any], max_entries: int, max_nodes: int
    ) -> None:
        self.collection = collection
        self.budget = max_entries
        self.max_entries = max_entries
        # Copies of a large fragment grow with its size times the items: bounded by max-steps.
        self.nodes = _NodeBudget(max_nodes)
        self.skipped: list[SkippedLoop] = []
        self.section = ""

    def expand_section(self, section: str, body: MarkedDict) -> Any:
        self.section = section
        return self.expand(body)

    def expand(self, node: Any) -> Any:
        """The node with every loop in it replaced by its copies."""
        if isinstance(node, dict):
            result = marked_dict(mark_of(node))
            for key, value in node.items():
                if _is_loop_key(key):
                    for generated_key, generated in self._loop(str(key), value, mark_of(key)):
                        if generated_key in result or generated_key in node:
                            self._skip(
                                str(key),
                                mark_of(generated_key),
                                f"it generates {generated_key}, which is already declared",
                                generated,
                            )
                            continue
                        result[generated_key] = generated
                else:
                    result[key] = self.expand(value)
            return result
        if isinstance(node, list):
            items = marked_list(mark_of(node))
            items.extend(self.expand(item) for item in node)
            return items
        return node

    def _loop(self, key: str, value: Any, mark: Mark) -> list[tuple[Any, Any]]:
        if not _LOOP.match(key):
            self._skip(key, mark, "a loop's name is Fn::ForEach:: and letters or digits", value)
            return []
        if not isinstance(value, list) or len(value) != 3:
            self._skip(key, mark, "it needs [Identifier, Collection, {OutputKey: Value}]", value)
            return []
        identifier, collection, fragment = value
        if not isinstance(identifier, str) or not isinstance(fragment, dict):
            self._skip(key, mark, "it needs [Identifier, Collection, {OutputKey: Value}]", value)
            return []
        items = self._items(collection, mark_of(collection, mark))
        if isinstance(items, Unresolved):
            self._skip(key, mark, f"its collection is unknown: {items.reason}", fragment)
            return []
        if len(items) * len(fragment) > self.budget:
            self._skip(
                key,
                mark,
                f"it would generate more than {self.max_entries:,} entries "
                "(raise `max-expansion` in the config)",
                fragment,
            )
            return []
        self.budget -= len(items) * len(fragment)
        generated: list[tuple[Any, Any]] = []
        try:
            for item in items:
                bound = _Substitution(str(identifier), item, self.nodes)
                copy = self.expand(bound.apply(fragment))
                generated.extend(copy.items())
        except _TooLarge:
            self._skip(
                key,
                mark,
                f"its copies would hold more than {self.nodes.limit:,} values "
                "(raise `max-steps` in the config)",
                fragment,
            )
            return []
        return generated

    def _items(self, collection: Any, mark: Mark) -> list[str] | Unresolved:
        value = self.collection(collection, mark)
        if isinstance(value, Unresolved):
            return value
        if not isinstance(value, list):
            return Unresolved("it is not a list")
        items: list[str] = []
        for item in value:
            if isinstance(item, (dict, list)):
                return Unresolved("its items must be strings")
            text = as_text(item)
            if isinstance(text, Unresolved):
                return text
            items.append(text)
        return items

    def _skip(self, key: str, mark: Mark, reason: str, fragment: Any) -> None:
        holds = self.section == "Conditions" or _holds_addresses(fragment)
        self.skipped.append(SkippedLoop(key, self.section, mark, reason, holds))


class _TooLarge(Exception):
    pass


class _NodeBudget:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.left = limit

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise _TooLarge


class _Substitution:
    """One loop item bound to its identifier, applied to a copy of the fragment."""

    def __init__(self, identifier: str, item: str, nodes: _NodeBudget) -> None:
        self.nodes = nodes
        self.identifier = identifier
        self.item = item
        self.plain = "${" + identifier + "}"
        self.alphanumeric = "&{" + identifier + "}"
        self.alphanumeric_item = _NOT_ALPHANUMERIC.sub("", item)

    def text(self, value: Any) -> Any:
        if not isinstance(value, str) or ("{" + self.identifier + "}") not in value:
            return value
        replaced = value.replace(self.plain, self.item).replace(
            self.alphanumeric, self.alphanumeric_item
        )
        return marked_str(replaced, mark_of(value))

    def apply(self, node: Any) -> Any:
        self.nodes.spend()
        if isinstance(node, dict):
            if len(node) == 1:
                ((name, argument),) = node.items()
                if name == "Ref" and argument == self.identifier:
                    return marked_str(self.item, mark_of(argument, mark_of(node)))
                if name == "Fn::Sub":
                    return self._sub(node, argument)
                if name == "Fn::If" and isinstance(argument, list) and len(argument) == 3:
                    # The condition's name is not replaced (CloudFormation does not either).
                    return self._copy(node, name, [argument[0], *map(self.apply, argument[1:])])
            result = marked_dict(mark_of(node))
            for key, value in node.items():
                result[self.text(key)] = self.apply(value)
            return result
        if isinstance(node, list):
            items = marked_list(mark_of(node))
            items.extend(self.apply(item) for item in node)
            return items
        return node

    def _sub(self, node: dict[Any, Any], argument: Any) -> Any:
        """The Fn::Sub with the item in its string; a string left without variables is that
        string (as cfn-lint does: ``Condition: !Sub Is${Zone}`` names one condition per item)."""
        if isinstance(argument, list) and argument:
            text = self.text(argument[0])
            if len(argument) == 1 and _no_variables(text):
                return text
            rest = [self.apply(item) for item in argument[1:]]
            return self._copy(node, "Fn::Sub", [text, *rest])
        text = self.text(argument)
        return text if _no_variables(text) else self._copy(node, "Fn::Sub", text)

    @staticmethod
    def _copy(node: dict[Any, Any], name: Any, argument: Any) -> MarkedDict:
        result = marked_dict(mark_of(node))
        if isinstance(argument, list) and not isinstance(argument, MarkedList):
            marked = marked_list(mark_of(node[name], mark_of(node)))
            marked.extend(argument)
            argument = marked
        result[name] = argument
        return result


def _no_variables(text: Any) -> bool:
    return isinstance(text, str) and _VARIABLE.search(text) is None


def _holds_addresses(fragment: Any) -> bool:
    """Whether a fragment may declare address space: a resource of a declared kind (or of a
    type not written out), an export, or a nested loop that may."""
    pending = [fragment]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            kind = node.get("Type")
            if "Type" in node and (not isinstance(kind, str) or kind in CLOUDFORMATION):
                return True
            if "Export" in node:
                return True
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return False
