"""Evaluating one expression of the syntax tree in a scope, as Terraform would.

References are resolved lazily through the module context (``var.``, ``local.``, resources,
``module.``), so only what a CIDR actually depends on is ever computed. Errors become Unknown
values of kind ERROR at the failing node; bounds become kind LIMIT; nothing here reads files
outside the project or runs anything.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from vpclint.evaluate.terraform import file_functions
from vpclint.evaluate.terraform.cidr_functions import TooManyBits
from vpclint.evaluate.terraform.functions import (
    NOT_EVALUATED,
    UNKNOWN_AWARE,
    Function,
    LimitFromFunction,
    build_functions,
    identity_result,
)
from vpclint.evaluate.terraform.values import (
    MAX_NUMBER_BITS,
    AssumedText,
    EvaluationError,
    Identity,
    LimitReached,
    ResourceInstance,
    SetValue,
    UnknownValue,
    assumed_in,
    equal,
    first_unknown,
    to_bool,
    to_number,
    to_string,
    to_whole_number,
    type_name,
)
from vpclint.limits import Limits
from vpclint.parse.terraform import syntax as s
from vpclint.parse.terraform.hcl import parse_template
from vpclint.topology.models import SourceLocation, UnknownKind

# Evaluated here rather than from the function table: they need the scope, not only values.
_SCOPED_FUNCTIONS = frozenset({"try", "can", "templatestring", *file_functions.READING})
_IDENTIFIER = re.compile(r"[^\W\d][\w-]*")
# One run may take this many times the steps one file of a module instance may take.
RUN_STEP_FACTOR = 5


class ModuleContext(Protocol):
    """What an expression may refer to; implemented by a module instance."""

    def variable(self, name: str) -> Any: ...

    def local(self, name: str) -> Any: ...

    def resource(self, resource_type: str, name: str) -> Any: ...

    def data(self, resource_type: str, name: str) -> Any: ...

    def module_call(self, name: str) -> Any: ...

    def path_value(self, name: str) -> Any: ...

    def count_step(self, file: str) -> None: ...

    @property
    def directory(self) -> Path: ...


@dataclass
class Run:
    """Settings shared by every module instance of one evaluation."""

    limits: Limits
    project_root: Path
    functions: dict[str, Function] = field(default_factory=dict)
    # Across every module instance: a module that calls itself with count = 4 would otherwise
    # make 4**20 instances, each with its own step budget.
    module_instances: int = 0
    steps: int = 0

    @property
    def max_total_steps(self) -> int:
        return self.limits.max_steps * RUN_STEP_FACTOR

    def __post_init__(self) -> None:
        if not self.functions:
            self.functions = build_functions(
                self.limits.max_subnet_bits, self.limits.max_expansion, self.limits.max_steps
            )


@dataclass(frozen=True)
class Scope:
    run: Run
    module: ModuleContext | None  # None: constant context (tfvars, variable defaults)
    file: str
    names: dict[str, Any] = field(default_factory=dict)
    count_index: int | None = None
    each: tuple[Any, Any] | None = None  # (each.key, each.value)

    def with_names(self, names: dict[str, Any]) -> Scope:
        return Scope(
            self.run, self.module, self.file, {**self.names, **names}, self.count_index, self.each
        )

    def location(self, node: s.Node | s.Attribute) -> SourceLocation:
        return SourceLocation(file=self.file, line=node.line, column=node.column)


class Namespace:
    """A reference root such as ``var`` or ``aws_subnet``: attributes are looked up lazily."""

    def __init__(self, description: str, lookup: Callable[[str], Any]) -> None:
        self.description = description
        self.lookup = lookup

    def get(self, name: str) -> Any:
        return self.lookup(name)


class ModuleOutputs:
    """``module.NAME`` (one instance): its outputs are evaluated when referred to."""

    def __init__(self, address: str, lookup: Callable[[str], Any]) -> None:
        self.address = address
        self.lookup = lookup

    def get(self, name: str) -> Any:
        return self.lookup(name)


def function_statuses() -> dict[str, str | None]:
    """Every Terraform function vpclint knows of: None for those it evaluates as Terraform
    does, else the reason a call is Unknown (what docs/terraform-functions.md lists)."""
    evaluated = set(build_functions(Limits().max_subnet_bits, 1, 1)) | _SCOPED_FUNCTIONS
    return {name: None for name in evaluated} | dict(NOT_EVALUATED)


def evaluate(expression: s.Expression, scope: Scope) -> Any:
    """The value of an expression; errors and limits become Unknown values, never exceptions."""
    try:
        return _eval(expression, scope)
    except EvaluationError as error:
        return UnknownValue.make(str(error), UnknownKind.ERROR, scope.location(expression))
    except LimitReached as error:
        return UnknownValue.make(str(error), UnknownKind.LIMIT, scope.location(expression))
    except RecursionError:
        return UnknownValue.make(
            "expression nesting or reference chain is too deep to evaluate",
            UnknownKind.LIMIT,
            scope.location(expression),
        )


def _eval(node: s.Expression, scope: Scope) -> Any:
    if isinstance(node, s.Literal):
        # What a literal says is known however much of the budget the rest of the project used.
        return node.value
    if scope.module is not None:
        scope.module.count_step(scope.file)
    handler = _HANDLERS.get(type(node))
    if handler is None:
        raise EvaluationError(f"cannot evaluate {type(node).__name__}")
    return _bounded(handler(node, scope), scope.run.limits.max_steps)


def _bounded(value: Any, limit: int) -> Any:
    """Refuse values that grow without bound (a string doubled in each of 30 locals, a list
    concatenated with itself): building one is at least as much work as the step limit allows."""
    if isinstance(value, str | list | tuple | dict) and len(value) > limit:
        raise LimitReached(
            f"a value of {len(value)} characters or elements is over the limit of {limit} "
            "(raise `limits.max-steps` to allow it)"
        )
    if isinstance(value, int) and value.bit_length() > MAX_NUMBER_BITS:
        raise LimitReached(f"a number of more than {MAX_NUMBER_BITS} bits is not evaluated")
    return value


def _invalid(node: s.Invalid, scope: Scope) -> Any:
    raise EvaluationError(node.reason)


def _template(node: s.Template, scope: Scope) -> Any:
    if len(node.parts) == 1 and not isinstance(node.parts[0], str | s.TemplateIf | s.TemplateFor):
        # "${expr}" alone keeps the value's own type, as in Terraform.
        return _eval(node.parts[0], scope)
    pieces = _Pieces(scope.run.limits.max_steps)
    unknown = _render(node.parts, scope, pieces)
    if unknown is not None:
        return unknown
    text = "".join(pieces.parts)
    assumed = assumed_in(pieces.parts)
    return text if assumed is None else AssumedText(text, assumed)


class _Pieces:
    """A template's output so far; a template ``for`` cannot make it longer than the limit."""

    def __init__(self, limit: int) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.limit = limit

    def append(self, text: str) -> None:
        self.size += len(text)
        if self.size > self.limit:
            raise LimitReached(
                f"the template renders more than {self.limit} characters "
                "(raise `limits.max-steps` to allow it)"
            )
        self.parts.append(text)


def _render(parts: tuple[s.TemplatePart, ...], scope: Scope, out: _Pieces) -> Any:
    unknown: UnknownValue | None = None
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, s.TemplateIf):
            condition = _eval(part.condition, scope)
            found = first_unknown(condition)
            if found is not None:
                unknown = unknown or found
                continue
            chosen = part.then_parts if to_bool(condition) else part.else_parts
            unknown = _render(chosen, scope, out) or unknown
        elif isinstance(part, s.TemplateFor):
            collection = _eval(part.collection, scope)
            found = first_unknown(collection) if not isinstance(collection, dict | list) else None
            if found is not None:
                unknown = unknown or found
                continue
            for key, value in _iterate(collection):
                names = {part.value_name: value}
                if part.key_name:
                    names[part.key_name] = key
                unknown = _render(part.body, scope.with_names(names), out) or unknown
        else:
            value = _eval(part, scope)
            found = first_unknown(value)
            if found is not None:
                unknown = unknown or found
                continue
            out.append(to_string(value))
    return unknown


def _tuple(node: s.TupleExpr, scope: Scope) -> Any:
    return [_eval(item, scope) for item in node.items]


def _object(node: s.ObjectExpr, scope: Scope) -> Any:
    result: dict[str, Any] = {}
    for key_node, value_node in node.items:
        key = _eval(key_node, scope)
        if isinstance(key, UnknownValue):
            return key
        if isinstance(key, Identity):
            return first_unknown(key)
        result[to_string(key)] = _eval(value_node, scope)
    return result


def _name(node: s.Name, scope: Scope) -> Any:
    name = node.name
    if name in scope.names:
        return scope.names[name]
    module = scope.module
    if module is None:
        raise EvaluationError(
            f"{name} cannot be referred to here: only constant values are allowed"
        )
    if name == "var":
        return Namespace("var", module.variable)
    if name == "local":
        return Namespace("local", module.local)
    if name == "module":
        return Namespace("module", module.module_call)
    if name == "path":
        return Namespace("path", module.path_value)
    if name == "terraform":
        return Namespace("terraform", _terraform_value)
    if name == "data":
        return Namespace(
            "data", lambda kind: Namespace(f"data.{kind}", lambda n: module.data(kind, n))
        )
    if name == "count":
        return Namespace("count", lambda attribute: _count(attribute, scope))
    if name == "each":
        return Namespace("each", lambda attribute: _each(attribute, scope))
    if name == "self":
        return UnknownValue.make("self is only available in provisioners and connections")
    return Namespace(name, lambda resource_name: module.resource(name, resource_name))


def _terraform_value(name: str) -> Any:
    if name == "workspace":
        return "default"
    raise EvaluationError(f"unknown attribute terraform.{name}")


def _count(attribute: str, scope: Scope) -> Any:
    if attribute != "index":
        raise EvaluationError(f"count has no attribute {attribute!r}")
    if scope.count_index is None:
        raise EvaluationError("count.index is only available in a block that sets count")
    return scope.count_index


def _each(attribute: str, scope: Scope) -> Any:
    if scope.each is None:
        raise EvaluationError("each is only available in a block that sets for_each")
    if attribute == "key":
        return scope.each[0]
    if attribute == "value":
        return scope.each[1]
    raise EvaluationError(f"each has no attribute {attribute!r}")


def get_attribute(target: Any, name: str) -> Any:
    if isinstance(target, UnknownValue):
        return target
    if isinstance(target, Namespace | ModuleOutputs | ResourceInstance):
        return target.get(name)
    if isinstance(target, dict):
        if name in target:
            return target[name]
        raise EvaluationError(f"object has no attribute {name!r}")
    if target is None:
        raise EvaluationError(f"cannot read attribute {name!r} of a null value")
    if isinstance(target, Identity):
        raise EvaluationError(f"{target.address}.id has no attribute {name!r}")
    raise EvaluationError(f"a {type_name(target)} value has no attribute {name!r}")


def _get_attr(node: s.GetAttr, scope: Scope) -> Any:
    return get_attribute(_eval(node.target, scope), node.name)


def index_value(target: Any, key: Any) -> Any:
    if isinstance(target, UnknownValue):
        return target
    if isinstance(key, UnknownValue):
        return key
    if isinstance(target, Namespace | ModuleOutputs | ResourceInstance):
        return target.get(to_string(key))
    if isinstance(target, dict):
        name = to_string(key)
        if name in target:
            return target[name]
        raise EvaluationError(f"key {name!r} not found in map")
    if isinstance(target, list | tuple):
        if isinstance(target, SetValue):
            raise EvaluationError("elements of a set cannot be accessed by index")
        position = to_whole_number(key, "index")
        if 0 <= position < len(target):
            return target[position]
        raise EvaluationError(f"index {position} out of range for a list of {len(target)}")
    if target is None:
        raise EvaluationError("cannot index a null value")
    raise EvaluationError(f"a {type_name(target)} value cannot be indexed")


def _index(node: s.Index, scope: Scope) -> Any:
    return index_value(_eval(node.target, scope), _eval(node.key, scope))


def _splat(node: s.Splat, scope: Scope) -> Any:
    target = _eval(node.target, scope)
    if isinstance(target, UnknownValue):
        return target
    if target is None:
        return []
    items = list(target) if isinstance(target, list | tuple) else [target]
    results = []
    for item in items:
        value = item
        for step in node.traversal:
            if isinstance(step, s.SplatAttr):
                value = get_attribute(value, step.name)
            else:
                value = index_value(value, _eval(step.key, scope))
        results.append(value)
    return results


def _call(node: s.Call, scope: Scope) -> Any:
    name = node.name.removeprefix("core::")  # Terraform's own functions by their full name
    if name != node.name:
        node = s.Call(node.line, node.column, name, node.arguments, node.expand_final)
    if name in ("try", "can"):
        return _try_or_can(node, scope)
    if "::" in name:
        return UnknownValue.make(f"provider function {name}() is not evaluated by vpclint")
    if name in NOT_EVALUATED:
        return UnknownValue.make(f"{name}() is not evaluated by vpclint: {NOT_EVALUATED[name]}")
    if name in _SCOPED_FUNCTIONS and name not in ("try", "can"):
        return _file_function(node, scope)
    function = scope.run.functions.get(name)
    if function is None:
        return UnknownValue.make(f"function {name}() is not evaluated by vpclint")
    arguments = [_eval(argument, scope) for argument in node.arguments]
    if node.expand_final:
        if not arguments:
            raise EvaluationError(f"{name}(): nothing to expand with ...")
        last = arguments.pop()
        if isinstance(last, UnknownValue):
            return last
        if not isinstance(last, list | tuple):
            raise EvaluationError(f"{name}(): the argument expanded with ... must be a list")
        arguments.extend(last)
    kept = identity_result(name, arguments)
    if kept is not None:
        return kept
    if name not in UNKNOWN_AWARE:
        unknown = first_unknown(arguments)
        if unknown is not None:
            return unknown
    limit = scope.run.limits.max_steps
    if (
        sum(len(value) for value in arguments if isinstance(value, str | list | tuple | dict))
        > limit
    ):
        # concat(), merge(), join() ... of many large values: refused before they are built
        raise LimitReached(
            f"the arguments of {name}() hold more than {limit:,} elements "
            "(raise `max-steps` to allow it)"
        )
    try:
        result = function(*arguments)
    except (EvaluationError, LimitReached):
        raise
    except TooManyBits as error:
        raise LimitReached(str(error)) from None
    except LimitFromFunction as error:
        raise LimitReached(str(error)) from None
    except (TypeError, ValueError, OverflowError, ZeroDivisionError, IndexError, KeyError) as error:
        raise EvaluationError(f"{name}(): invalid arguments ({error})") from None
    if isinstance(result, str) and not isinstance(result, AssumedText):
        assumed = assumed_in(arguments)
        if assumed is not None:
            return AssumedText(result, assumed)
    return result


def _try_or_can(node: s.Call, scope: Scope) -> Any:
    if not node.arguments:
        raise EvaluationError(f"{node.name}() needs at least one argument")
    if node.name == "can":
        try:
            value = _eval(node.arguments[0], scope)
        except EvaluationError:
            return False
        found = first_unknown(value)
        return (
            found
            if found is not None and found.unknown.kind != UnknownKind.ERROR
            else (found is None)
        )
    for argument in node.arguments:
        try:
            value = _eval(argument, scope)
        except EvaluationError:
            continue
        if isinstance(value, UnknownValue) and value.unknown.kind == UnknownKind.ERROR:
            continue
        return value
    raise EvaluationError("try(): no argument could be evaluated without an error")


def _file_function(node: s.Call, scope: Scope) -> Any:
    """Functions that read the project's files (or name its paths), from the root module's
    folder as Terraform's working directory; a template's own scope has none."""
    if scope.module is None:
        return UnknownValue.make(f"{node.name}() is not evaluated here (no module folder)")
    if node.name == "templatestring" and isinstance(
        node.arguments[0] if node.arguments else None, s.Template | s.Literal
    ):
        raise EvaluationError(
            "templatestring(): the template must be a reference to a string, not a literal"
        )
    arguments = [_eval(argument, scope) for argument in node.arguments]
    found = first_unknown(arguments)
    if found is not None:
        return found
    limits = scope.run.limits
    files = file_functions.ProjectFiles(
        scope.module.directory, scope.run.project_root, limits.max_file_size, limits.max_expansion
    )
    if node.name not in ("templatefile", "templatestring"):
        return file_functions.call(node.name, arguments, files)
    if len(arguments) != 2:
        raise EvaluationError(f"{node.name}() takes a template and a map of variables")
    if node.name == "templatestring":
        text = to_string(arguments[0])
    else:
        requested = to_string(arguments[0])
        data = files.read(requested, node.name)
        if isinstance(data, UnknownValue):
            return data
        text = file_functions.text_of(data, requested, node.name)
    return _render_template_text(node.name, text, arguments[1], scope)


def _render_template_text(function: str, text: str, variables: Any, scope: Scope) -> Any:
    """A template file's text evaluated with only ``variables`` in scope, as Terraform does."""
    if not isinstance(variables, dict):
        raise EvaluationError(f"{function}(): the variables must be a map or an object")
    for name in variables:
        if not _IDENTIFIER.fullmatch(name):
            raise EvaluationError(f"{function}(): invalid template variable name {name!r}")
    template = parse_template(text, scope.run.limits.max_depth)
    if isinstance(template, s.Invalid):
        raise EvaluationError(f"{function}(): {template.reason}")
    own_scope = Scope(scope.run, None, scope.file, dict(variables))
    return _eval(template, own_scope)


def _conditional(node: s.Conditional, scope: Scope) -> Any:
    condition = _eval(node.condition, scope)
    found = first_unknown(condition)
    if found is not None:
        return found
    return _eval(node.then_value if to_bool(condition) else node.else_value, scope)


def _arithmetic(operator: str, left: Any, right: Any) -> Any:
    a, b = to_number(left), to_number(right)
    if operator == "+":
        result = a + b
    elif operator == "-":
        result = a - b
    elif operator == "*":
        result = a * b
    elif operator == "/":
        if b == 0:
            raise EvaluationError("division by zero")
        result = a // b if isinstance(a, int) and isinstance(b, int) and a % b == 0 else a / b
    else:
        if b == 0:
            raise EvaluationError("modulo by zero")
        result = math.fmod(a, b)
    if isinstance(result, float) and result.is_integer() and abs(result) < 2**53:
        return int(result)
    return result


def _binary(node: s.BinaryOp, scope: Scope) -> Any:
    operator = node.operator
    left = _eval(node.left, scope)
    if operator in ("&&", "||"):
        if not isinstance(left, UnknownValue):
            known = to_bool(left)
            if operator == "&&" and not known:
                return False
            if operator == "||" and known:
                return True
        right = _eval(node.right, scope)
        for value in (left, right):
            if isinstance(value, UnknownValue):
                return value
        return to_bool(right)
    right = _eval(node.right, scope)
    if operator in ("==", "!="):
        for value in (left, right):
            found = first_unknown(value)
            if found is not None and not isinstance(value, Identity):
                return found
        if isinstance(left, Identity) or isinstance(right, Identity):
            same = isinstance(left, Identity) and isinstance(right, Identity) and left == right
            if not same:
                return first_unknown(left if isinstance(left, Identity) else right)
            return operator == "=="
        result = equal(left, right)
        return result if operator == "==" else not result
    for value in (left, right):
        found = first_unknown(value)
        if found is not None:
            return found
    if operator in ("<", ">", "<=", ">="):
        a, b = to_number(left), to_number(right)
        return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[operator]
    return _arithmetic(operator, left, right)


def _unary(node: s.UnaryOp, scope: Scope) -> Any:
    value = _eval(node.operand, scope)
    found = first_unknown(value)
    if found is not None:
        return found
    if node.operator == "!":
        return not to_bool(value)
    number = to_number(value)
    return -number


def _iterate(collection: Any) -> list[tuple[Any, Any]]:
    if isinstance(collection, dict):
        return [(key, collection[key]) for key in sorted(collection)]
    if isinstance(collection, SetValue):
        return [(item, item) for item in collection]
    if isinstance(collection, list | tuple):
        return list(enumerate(collection))
    raise EvaluationError(f"a for expression needs a collection, not a {type_name(collection)}")


def _for(node: s.ForExpr, scope: Scope) -> Any:
    collection = _eval(node.collection, scope)
    if isinstance(collection, UnknownValue):
        return collection
    if collection is None:
        raise EvaluationError("a for expression cannot iterate over a null value")
    entries = _iterate(collection)
    limit = scope.run.limits.max_expansion * 10
    if len(entries) > limit:
        raise LimitReached(f"for expression over {len(entries)} elements (limit {limit})")
    as_object = node.key is not None
    items: list[Any] = []
    mapping: dict[str, Any] = {}
    for key, value in entries:
        names = {node.value_name: value}
        if node.key_name:
            names[node.key_name] = key
        inner = scope.with_names(names)
        if node.condition is not None:
            keep = _eval(node.condition, inner)
            found = first_unknown(keep)
            if found is not None:
                return found
            if not to_bool(keep):
                continue
        result = _eval(node.value, inner)
        if not as_object:
            items.append(result)
            continue
        assert node.key is not None
        key_value = _eval(node.key, inner)
        found = first_unknown(key_value)
        if found is not None:
            return found
        name = to_string(key_value)
        if node.grouping:
            mapping.setdefault(name, []).append(result)
        elif name in mapping:
            raise EvaluationError(
                f"duplicate key {name!r} in a for expression (use ... to group values)"
            )
        else:
            mapping[name] = result
    return mapping if as_object else items


_HANDLERS: dict[type, Callable[[Any, Scope], Any]] = {
    s.Template: _template,
    s.TupleExpr: _tuple,
    s.ObjectExpr: _object,
    s.Name: _name,
    s.GetAttr: _get_attr,
    s.Index: _index,
    s.Splat: _splat,
    s.Call: _call,
    s.Conditional: _conditional,
    s.BinaryOp: _binary,
    s.UnaryOp: _unary,
    s.ForExpr: _for,
    s.Invalid: _invalid,
}
