"""A safe YAML loader for CloudFormation: short-form tags, marks on every node, bounded work.

libyaml (through PyYAML's C parser) turns the text into events; the values are built here from
those events with an explicit stack, so that

* no Python object is ever constructed from a tag: CloudFormation's short forms (``!Ref``,
  ``!GetAtt``...) become their long-form mappings, unknown local tags (``!Rain::Module``) become
  opaque :class:`TaggedValue`, and global tags other than YAML's own types are refused;
* nesting depth is checked while reading, so a document nested 100,000 deep stops at the limit
  instead of exhausting the stack;
* aliases are counted with everything they expand to, so billion-laughs documents stop early;
* every mapping, sequence and string carries its line and column.

Scalars are typed exactly as PyYAML's SafeLoader types them (YAML 1.1: ``yes`` is a boolean,
``2010-09-09`` a date), which is also what cfn-lint and the AWS CLI see.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from vpclint.parse.cloudformation.errors import LoadError
from vpclint.parse.cloudformation.nodes import (
    Mark,
    MarkedDict,
    MarkedList,
    TaggedValue,
    marked_dict,
    marked_list,
    marked_str,
)

# Only the event parser of these loaders is used; their constructors never run.
ArgumentParser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

YAML_TAG = "tag:yaml.org,2002:"

# CloudFormation's intrinsic functions (and the Rules-section functions) that have a short form.
# cfn-lint and the AWS CLI turn ``!Name`` into ``Fn::Name`` except for these two.
_UNPREFIXED = {"Ref", "Condition"}
KNOWN_FUNCTIONS = frozenset(
    {
        "Ref",
        "Condition",
        "And",
        "Base64",
        "Cidr",
        "Contains",
        "EachMemberEquals",
        "EachMemberIn",
        "Equals",
        "FindInMap",
        "ForEach",
        "GetAtt",
        "GetAZs",
        "If",
        "ImportValue",
        "Join",
        "Length",
        "Not",
        "Or",
        "RefAll",
        "Select",
        "Split",
        "Sub",
        "ToJsonString",
        "Transform",
        "ValueOf",
        "ValueOfAll",
    }
)

_SCALAR_TYPES = {"str", "null", "bool", "int", "float", "timestamp", "binary"}

_resolver = Resolver()
_constructor = SafeConstructor()


def function_key(tag_name: str) -> str:
    """The long-form key of a short-form tag: ``Sub`` -> ``Fn::Sub``, ``Ref`` -> ``Ref``."""
    return tag_name if tag_name in _UNPREFIXED else f"Fn::{tag_name}"


_resolved: dict[tuple[str, tuple[bool, bool]], str] = {}


def _resolve(value: str, implicit: tuple[bool, bool]) -> str:
    """The implicit type of a scalar; templates repeat the same keys and values a lot."""
    key = (value, implicit)
    tag = _resolved.get(key)
    if tag is None:
        tag = _resolver.resolve(ScalarNode, value, implicit)  # type: ignore[no-untyped-call]
        if len(_resolved) > 50_000:
            _resolved.clear()
        _resolved[key] = tag
    return tag


def _mark(event: Any) -> Mark:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


_STR_TAG = YAML_TAG + "str"


def _scalar(event: ScalarEvent) -> Any:
    """A scalar as SafeLoader types it, or a short form's long-form mapping."""
    tag = event.tag
    if tag is None or tag == "!":
        tag = _resolved.get((event.value, event.implicit)) or _resolve(event.value, event.implicit)
    mark = _mark(event)
    if tag == _STR_TAG:  # most scalars: skip the general path below
        return marked_str(event.value, mark)
    if tag.startswith(YAML_TAG):
        kind = tag[len(YAML_TAG) :]
        if kind == "str":
            return marked_str(event.value, mark)
        if kind in _SCALAR_TYPES:
            try:
                return _constructor.yaml_constructors[tag](
                    _constructor, ScalarNode(tag, event.value)
                )
            except (ConstructorError, ValueError) as error:
                raise LoadError(f"invalid !!{kind} value {event.value!r}: {error}", *mark) from None
        if kind == "merge":
            return _MERGE
        raise _unsupported_tag(tag, mark)
    if tag.startswith("!") and not tag.startswith("!!"):
        return _local_tag(tag[1:], marked_str(event.value, mark), mark, scalar=True)
    raise _unsupported_tag(tag, mark)


def _unsupported_tag(tag: str, mark: Mark) -> LoadError:
    shown = f"!!{tag[len(YAML_TAG) :]}" if tag.startswith(YAML_TAG) else tag
    return LoadError(
        f"YAML tag {shown} is not allowed: only YAML's plain types and CloudFormation's short "
        "forms such as !Ref are accepted, and nothing is ever constructed from a tag",
        *mark,
        problem="unsafe",
    )


def _local_tag(name: str, value: Any, mark: Mark, scalar: bool) -> Any:
    if name not in KNOWN_FUNCTIONS:
        return TaggedValue(name, value, mark)
    if name == "GetAtt" and scalar:
        parts = marked_list(mark)
        parts.extend(marked_str(part, mark) for part in str(value).split(".", 1))
        value = parts
    node = marked_dict(mark)
    node[marked_str(function_key(name), mark)] = value
    return node


class _Merge:
    """The ``<<`` merge key."""


_MERGE = _Merge()


class _Frame:
    __slots__ = (
        "anchor",
        "container",
        "duplicate",
        "is_list",
        "key",
        "merges",
        "start_expansions",
        "tag",
    )

    def __init__(self, container: MarkedDict | MarkedList, tag: str | None, anchor: str | None):
        self.container = container
        self.is_list = isinstance(container, MarkedList)
        self.tag = tag
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.merges: list[Any] | None = None
        self.duplicate: Any = None  # the first repeated key: an error unless the map merges
        self.start_expansions = 0


_NO_KEY = object()


class _Builder:
    def __init__(self, max_depth: int, max_aliases: int) -> None:
        self.max_depth = max_depth
        self.max_aliases = max_aliases
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}  # value, alias expansions inside it
        self.expansions = 0
        self.root: Any = None
        self.done = False

    def start(self, event: MappingStartEvent | SequenceStartEvent) -> None:
        mark = _mark(event)
        if len(self.stack) >= self.max_depth:
            raise LoadError(
                f"the document is nested deeper than {self.max_depth} levels "
                "(raise `max-depth` in the config to read it)",
                *mark,
                problem="limit",
            )
        tag = event.tag
        if tag in (None, "!", YAML_TAG + "map", YAML_TAG + "seq"):
            tag = None
        elif not (tag.startswith("!") and not tag.startswith("!!")):
            raise _unsupported_tag(tag, mark)
        container: MarkedDict | MarkedList = (
            marked_dict(mark) if isinstance(event, MappingStartEvent) else marked_list(mark)
        )
        frame = _Frame(container, tag, event.anchor)
        frame.start_expansions = self.expansions
        self.stack.append(frame)

    def end(self) -> None:
        frame = self.stack.pop()
        value: Any = frame.container
        if frame.duplicate is not None and frame.merges is None:
            key = frame.duplicate
            line, column = getattr(key, "mark", frame.container.mark)
            raise LoadError(f"duplicate key {key!r} in a mapping", line, column)
        if frame.merges and isinstance(frame.container, MarkedDict):
            value = self._merged(frame.container, frame.merges)
        if frame.tag is not None:
            value = _local_tag(frame.tag[1:], value, frame.container.mark, scalar=False)
        self._remember(frame.anchor, value, self.expansions - frame.start_expansions)
        self.add(value)

    def scalar(self, event: ScalarEvent) -> None:
        value = _scalar(event)
        self._remember(event.anchor, value, 0)
        self.add(value)

    def alias(self, event: AliasEvent) -> None:
        mark = _mark(event)
        if event.anchor not in self.anchors:
            raise LoadError(f"alias *{event.anchor} refers to no anchor defined before it", *mark)
        value, inside = self.anchors[event.anchor]
        self.expansions += 1 + inside
        if self.expansions > self.max_aliases:
            raise LoadError(
                f"YAML aliases expand to more than {self.max_aliases} copies "
                "(an alias bomb?); raise `max-aliases` in the config to read it",
                *mark,
                problem="limit",
            )
        self.add(value)

    def _remember(self, anchor: str | None, value: Any, expansions: int) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, expansions)

    def add(self, value: Any) -> None:
        if not self.stack:
            self.root = value
            self.done = True
            return
        frame = self.stack[-1]
        container = frame.container
        if frame.is_list:
            container.append(value)  # type: ignore[union-attr]
            return
        if frame.key is _NO_KEY:
            self._check_key(value, container.mark)
            frame.key = value
            return
        key, frame.key = frame.key, _NO_KEY
        if key is _MERGE:
            if frame.merges is None:
                frame.merges = []
            frame.merges.append(value)
            return
        if frame.duplicate is None and key in container:
            frame.duplicate = key
        container[key] = value

    @staticmethod
    def _check_key(key: Any, mark: Mark) -> None:
        if key is None:
            raise LoadError("a mapping key is empty (null keys are not supported)", *mark)
        if isinstance(key, (dict, list, TaggedValue)):
            line, column = getattr(key, "mark", mark)
            raise LoadError("a mapping key is itself a mapping or sequence", line, column)

    @staticmethod
    def _merged(explicit: MarkedDict, merges: list[Any]) -> MarkedDict:
        # SafeLoader semantics: explicit keys win, then earlier merged mappings over later ones.
        sources: list[dict[Any, Any]] = []
        for merge in merges:
            items = merge if isinstance(merge, list) else [merge]
            for item in items:
                if not isinstance(item, dict):
                    line, column = getattr(item, "mark", explicit.mark)
                    raise LoadError(
                        "a `<<` merge key needs a mapping or list of mappings", line, column
                    )
                sources.append(item)
        merged = marked_dict(explicit.mark)
        for source in reversed(sources):
            merged.update(source)
        merged.update(explicit)
        return merged


def load_yaml(text: str, max_depth: int, max_aliases: int) -> Any:
    """Decode one YAML document; raises :class:`LoadError` with the failing line."""
    parser = ArgumentParser(text)
    builder = _Builder(max_depth, max_aliases)
    documents = 0
    get_event = parser.get_event
    scalar, start, end = builder.scalar, builder.start, builder.end
    try:
        while True:
            event = get_event()
            kind = type(event)
            # The events libyaml sends most, by their exact class (it never subclasses them).
            if kind is ScalarEvent:
                scalar(event)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                start(event)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                end()
            elif isinstance(event, AliasEvent):
                builder.alias(event)
            elif isinstance(event, DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise LoadError(
                        "the file holds more than one YAML document",
                        *_mark(event),
                        problem="multiple-documents",
                    )
            elif isinstance(event, StreamEndEvent):
                break
    except yaml.MarkedYAMLError as error:
        raise _yaml_error(error, text) from None
    except yaml.reader.ReaderError as error:
        raise _character_error(error, text) from None
    except yaml.YAMLError as error:
        raise LoadError(f"invalid YAML: {error}") from None
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()
    return builder.root


def _yaml_error(error: yaml.MarkedYAMLError, text: str) -> LoadError:
    mark = error.problem_mark or error.context_mark
    if mark is None:
        line, column = 1, 1
    else:
        line, column = _inside_text(text, mark.line + 1, mark.column + 1)
    if "maximum nesting depth" in str(error.problem):
        # libyaml's own bound (1000 levels of flow collections) can trip before ours does
        return LoadError(
            "the document is nested deeper than the YAML parser allows (1000 levels)",
            line,
            column,
            problem="limit",
        )
    parts = [part for part in (error.context, error.problem) if part]
    message = "invalid YAML: " + ", ".join(parts) if parts else "invalid YAML"
    return LoadError(message, line, column)


def _character_error(error: yaml.reader.ReaderError, text: str) -> LoadError:
    """A character YAML does not allow (a NUL, a control character), at its own line and column:
    the reader gives only an offset, which libyaml counts in bytes of the UTF-8 text."""
    before = text[: error.position]
    if ArgumentParser is not yaml.SafeLoader:
        before = text.encode("utf-8")[: error.position].decode("utf-8", errors="replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    character = error.character if isinstance(error.character, int) else ord(error.character)
    return LoadError(
        f"invalid YAML: character U+{character:04X} is not allowed ({error.reason})", line, column
    )


def _inside_text(text: str, line: int, column: int) -> tuple[int, int]:
    """libyaml adds a line break at the end of a file that lacks one and may report an error at
    the start of the line after it, which no editor can show: such errors go to the end of the
    last line instead."""
    last_line = text.count("\n") + 1
    if line <= last_line:
        return line, column
    return last_line, len(text) - (text.rfind("\n") + 1) + 1
