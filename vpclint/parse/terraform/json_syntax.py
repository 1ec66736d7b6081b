"""Terraform's JSON syntax (``.tf.json``) into the same syntax tree as native HCL.

``json`` gives the values and a small position scanner gives each value's line, so findings in a
``.tf.json`` file point at the right line. Strings are templates (``"${var.cidr}"``) and are parsed
with the HCL template grammar; ``variable`` defaults and ``type`` follow Terraform's JSON rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from vpclint.parse.terraform import syntax as s
from vpclint.parse.terraform.hcl import SyntaxProblem, parse_hcl
from vpclint.parse.terraform.hcl_tree import redefined
from vpclint.topology.kinds import TERRAFORM

Path = tuple[Any, ...]

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+|\s+', re.DOTALL)
# Nested blocks that vpclint reads (Terraform's own, and those the resource kinds declare); in
# JSON anything else with an object value is an attribute.
NESTED_BLOCKS = frozenset(
    {"lifecycle", "dynamic", "provisioner", "connection"}
    | {name for kind in TERRAFORM.values() for name in kind.nested_blocks}
)
# Block types whose body holds one more level of labels (type, then name).
_TWO_LABELS = frozenset({"resource", "data"})
_ONE_LABEL = frozenset({"variable", "output", "module", "provider"})
# terragrunt.hcl.json: Terragrunt's blocks, those of them with a name, and every other top-level
# key an attribute (inputs, download_dir, ...).
_TERRAGRUNT_BLOCKS = frozenset(
    {"terraform", "remote_state", "locals", "dependencies", "feature", "exclude", "errors"}
)
_TERRAGRUNT_LABELLED = frozenset({"include", "dependency", "generate"})


Position = tuple[int, int]
# A key given twice in one object, by the key's path: where it was first given and again.
Repeated = dict[Path, tuple[Position, Position]]


def value_lines(text: str) -> tuple[dict[Path, Position], Repeated]:
    """The (line, column) where each value starts, keyed by its path of keys and indexes, and
    the keys given more than once in an object (``json`` keeps only the last of them)."""
    positions: dict[Path, Position] = {}
    repeated: Repeated = {}
    stack: list[list[Any]] = []  # frames: [kind, path, pending key, next index, key positions]
    line, line_start = 1, 0
    expecting_key = False
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        start = match.start()
        if token.isspace() or token in (",", ":"):
            if token == ",":
                expecting_key = bool(stack) and stack[-1][0] == "object"
            newlines = token.count("\n")
            if newlines:
                line += newlines
                line_start = match.start() + token.rindex("\n") + 1
            continue
        column = start - line_start + 1
        if token in ("}", "]"):
            if stack:
                stack.pop()
            expecting_key = False
            continue
        if stack and stack[-1][0] == "object" and expecting_key and token.startswith('"'):
            frame = stack[-1]
            try:
                key = json.loads(token)
            except ValueError:
                key = token
            seen = frame[4].get(key)
            if seen is None:
                frame[4][key] = [(line, column), 0]
                frame[2] = key
            else:
                seen[1] += 1
                repeated.setdefault((*frame[1], key), (seen[0], (line, column)))
                frame[2] = Again(key, seen[1])
            expecting_key = False
            continue
        if stack:
            frame = stack[-1]
            if frame[0] == "object":
                path = (*frame[1], frame[2])
            else:
                path = (*frame[1], frame[3])
                frame[3] += 1
        else:
            path = ()
        positions.setdefault(path, (line, column))
        if token == "{":
            stack.append(["object", path, None, 0, {}])
            expecting_key = True
        elif token == "[":
            stack.append(["array", path, None, 0, None])
        if '"' in token and "\n" in token:
            line += token.count("\n")
            line_start = start + token.rindex("\n") + 1
    return positions, repeated


class Again(NamedTuple):
    """The path element of a key's value given again in the same object (``occurrence`` >= 1),
    so that each block of a repeated block type or label keeps its own position."""

    key: str
    occurrence: int


class _Object(dict[str, Any]):
    """A JSON object whose keys may repeat: ``json``'s last-wins mapping, and every pair in
    order, since HCL's JSON syntax gives a repeated block type or label one block each."""

    pairs: list[tuple[str, Any]]


def _object_with_pairs(pairs: list[tuple[str, Any]]) -> _Object:
    found = _Object(pairs)
    found.pairs = pairs
    return found


def _entries(content: dict[str, Any], path: Path) -> Iterator[tuple[str, Any, Path]]:
    """Each key of an object with its value and the value's path, repeated keys included."""
    if not isinstance(content, _Object):
        for key, value in content.items():
            yield key, value, (*path, key)
        return
    occurrences: dict[str, int] = {}
    for key, value in content.pairs:
        occurrence = occurrences.get(key, 0)
        occurrences[key] = occurrence + 1
        yield key, value, (*path, Again(key, occurrence) if occurrence else key)


def _load(text: str, repeated: Repeated) -> Any:
    # Objects keep their pairs only when some key repeats: the hook costs a call per object.
    return json.loads(text, object_pairs_hook=_object_with_pairs if repeated else None)


class JsonConverter:
    def __init__(
        self, positions: dict[Path, Position], max_depth: int, repeated: Repeated | None = None
    ) -> None:
        self.positions = positions
        self.max_depth = max_depth
        self.repeated = repeated or {}

    def where(self, path: Path) -> tuple[int, int]:
        return self.positions.get(path, (1, 1))

    def document(self, data: Any) -> s.Body:
        if not isinstance(data, dict):
            raise SyntaxProblem("a .tf.json file must contain a JSON object")
        blocks: list[s.Block] = []
        for block_type, content, path in _entries(data, ()):
            if block_type.startswith("//"):
                continue
            if block_type == "locals":
                for index, (locals_path, item) in enumerate(self._each_object(content, path)):
                    del index
                    blocks.append(self.block("locals", (), item, locals_path, expressions=True))
            elif block_type in _TWO_LABELS:
                for type_path, by_type in self._each_object(content, path):
                    for resource_type, by_name, by_name_path in _entries(by_type, type_path):
                        for name_path, named in self._each_object(by_name, by_name_path):
                            for name, body, body_at in _entries(named, name_path):
                                for body_path, item in self._each_object(body, body_at):
                                    blocks.append(
                                        self.block(
                                            block_type, (resource_type, name), item, body_path
                                        )
                                    )
            elif block_type in _ONE_LABEL:
                for named_path, named in self._each_object(content, path):
                    for name, body, body_at in _entries(named, named_path):
                        for body_path, item in self._each_object(body, body_at):
                            blocks.append(self.block(block_type, (name,), item, body_path))
            else:
                for body_path, item in self._each_object(content, path):
                    blocks.append(self.block(block_type, (), item, body_path))
        return s.Body(blocks=tuple(blocks))

    def terragrunt_document(self, data: Any) -> s.Body:
        if not isinstance(data, dict):
            raise SyntaxProblem("a terragrunt.hcl.json file must contain a JSON object")
        blocks: list[s.Block] = []
        attributes: dict[str, s.Attribute] = {}
        for name, content, path in _entries(data, ()):
            if name.startswith("//"):
                continue
            if name in _TERRAGRUNT_LABELLED:
                for named_path, named in self._each_object(content, path):
                    if name == "include" and "path" in named:  # a bare include, without a name
                        blocks.append(self.block(name, (), named, named_path))
                        continue
                    for label, body, body_at in _entries(named, named_path):
                        for body_path, item in self._each_object(body, body_at):
                            blocks.append(self.block(name, (label,), item, body_path))
            elif name in _TERRAGRUNT_BLOCKS:
                for body_path, item in self._each_object(content, path):
                    blocks.append(self.block(name, (), item, body_path))
            else:
                line, column = self.where(path)
                expression = self.expression(content, path, 0)
                attributes[name] = s.Attribute(name, expression, line, column)
        return s.Body(attributes=attributes, blocks=tuple(blocks))

    def _each_object(self, value: Any, path: Path) -> list[tuple[Path, dict[str, Any]]]:
        """A block body may be an object or an array of objects (repeated blocks)."""
        if isinstance(value, dict):
            return [(path, value)]
        if isinstance(value, list):
            return [
                ((*path, index), item) for index, item in enumerate(value) if isinstance(item, dict)
            ]
        return []

    def block(
        self,
        block_type: str,
        labels: tuple[str, ...],
        content: dict[str, Any],
        path: Path,
        expressions: bool = True,
    ) -> s.Block:
        line, column = self.where(path)
        attributes: dict[str, s.Attribute] = {}
        nested: list[s.Block] = []
        for name, value, value_path in _entries(content, path):
            if name.startswith("//"):
                continue
            value_line, value_column = self.where(value_path)
            if name in NESTED_BLOCKS and isinstance(value, dict | list):
                for item_path, item in self._each_object(value, value_path):
                    nested.append(self.block(name, (), item, item_path))
                continue
            if name in attributes:
                raise self.redefined((*path, name))
            if block_type == "variable" and name == "default":
                expression = self.literal(value, value_path, 0)
            elif block_type == "variable" and name == "type" and isinstance(value, str):
                expression = self.type_expression(value, value_line, value_column)
            elif block_type == "module" and name == "source":
                expression = s.Literal(
                    value_line, value_column, value if isinstance(value, str) else None
                )
            else:
                expression = self.expression(value, value_path, 0)
            attributes[name] = s.Attribute(name, expression, value_line, value_column)
        return s.Block(
            type=block_type,
            labels=labels,
            attributes=attributes,
            blocks=tuple(nested),
            line=line,
            column=column,
            end_line=line,
        )

    def redefined(self, path: Path) -> SyntaxProblem:
        """Terraform's "Duplicate argument": an attribute given twice in one block."""
        where = self.where(path)
        (first_line, first_column), (line, column) = self.repeated.get(path, (where, where))
        return SyntaxProblem(redefined(str(path[-1]), first_line, first_column), line, column)

    def _depth(self, depth: int, path: Path) -> None:
        if depth > self.max_depth:
            line, column = self.where(path)
            raise SyntaxProblem(f"nesting is deeper than {self.max_depth} levels", line, column)

    def literal(self, value: Any, path: Path, depth: int) -> s.Expression:
        self._depth(depth, path)
        line, column = self.where(path)
        if isinstance(value, list):
            return s.TupleExpr(
                line,
                column,
                tuple(
                    self.literal(item, (*path, index), depth + 1)
                    for index, item in enumerate(value)
                ),
            )
        if isinstance(value, dict):
            return s.ObjectExpr(
                line,
                column,
                tuple(
                    (s.Literal(line, column, key), self.literal(item, (*path, key), depth + 1))
                    for key, item in value.items()
                ),
            )
        return s.Literal(line, column, _number(value))

    def expression(self, value: Any, path: Path, depth: int) -> s.Expression:
        self._depth(depth, path)
        line, column = self.where(path)
        if isinstance(value, str):
            return self.template(value, line, column)
        if isinstance(value, list):
            return s.TupleExpr(
                line,
                column,
                tuple(
                    self.expression(item, (*path, index), depth + 1)
                    for index, item in enumerate(value)
                ),
            )
        if isinstance(value, dict):
            return s.ObjectExpr(
                line,
                column,
                tuple(
                    (
                        self.template(key, line, column),
                        self.expression(item, (*path, key), depth + 1),
                    )
                    for key, item in value.items()
                ),
            )
        return s.Literal(line, column, _number(value))

    def template(self, text: str, line: int, column: int) -> s.Expression:
        if "${" not in text and "%{" not in text:
            return s.Literal(line, column, text)
        try:
            body = parse_hcl(
                f"x = {json.dumps(text, ensure_ascii=False)}\n", self.max_depth, line - 1
            )
        except SyntaxProblem as problem:
            return s.Invalid(line, column, f"invalid template: {problem.message}")
        return _relocate(body.attributes["x"].value, line, column)

    def type_expression(self, text: str, line: int, column: int) -> s.Expression:
        try:
            body = parse_hcl(f"x = {text}\n", self.max_depth)
        except SyntaxProblem:
            return s.Literal(line, column, text)
        return body.attributes["x"].value


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _relocate(expression: s.Expression, line: int, column: int) -> s.Expression:
    """Templates parsed on their own start at line 1; findings should point at the JSON line."""
    from dataclasses import replace

    try:
        return replace(expression, line=line, column=column)
    except TypeError:
        return expression


_LONG_NUMBER = re.compile(r"\d{1000,}")


def json_problem(error: ValueError, text: str) -> SyntaxProblem:
    """JSON that cannot be read: a syntax error, or a number longer than Python converts."""
    if isinstance(error, json.JSONDecodeError):
        return SyntaxProblem(f"invalid JSON: {error.msg}", error.lineno, error.colno)
    found = _LONG_NUMBER.search(text)
    start = found.start() if found else 0
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return SyntaxProblem("invalid JSON: a number has too many digits to read", line, column)


def parse_tf_json(text: str, max_depth: int, terragrunt: bool = False) -> s.Body:
    positions, repeated = value_lines(text)
    try:
        data = _load(text, repeated)
    except RecursionError:
        raise SyntaxProblem(f"nesting is deeper than {max_depth} levels") from None
    except ValueError as error:
        raise json_problem(error, text) from None
    converter = JsonConverter(positions, max_depth, repeated)
    return converter.terragrunt_document(data) if terragrunt else converter.document(data)


def parse_tfvars_json(text: str, max_depth: int) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except RecursionError:
        raise SyntaxProblem(f"nesting is deeper than {max_depth} levels") from None
    except ValueError as error:
        raise json_problem(error, text) from None
    if not isinstance(data, dict):
        raise SyntaxProblem("a .tfvars.json file must contain a JSON object")
    # A variable given twice is Terraform's "Duplicate argument" (``json`` keeps the last).
    _, repeated = value_lines(text)
    for path, ((first_line, first_column), (line, column)) in repeated.items():
        if len(path) == 1:
            raise SyntaxProblem(redefined(str(path[0]), first_line, first_column), line, column)
    return {key: _plain(value) for key, value in data.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return _number(value)
