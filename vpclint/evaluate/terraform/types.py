"""Variable type constraints: converting a given value the way Terraform does before use."""

from __future__ import annotations

from typing import Any

from vpclint.evaluate.terraform.values import (
    EvaluationError,
    Identity,
    SetValue,
    UnknownValue,
    to_bool,
    to_number,
    to_string,
)
from vpclint.parse.terraform import syntax as s

_PRIMITIVES = ("string", "number", "bool")


def type_keyword(type_expression: s.Expression | None) -> str:
    """The outermost type name: string, number, bool, any, list, set, map, tuple, object."""
    if type_expression is None:
        return "any"
    if isinstance(type_expression, s.Name):
        return type_expression.name
    if isinstance(type_expression, s.Literal) and isinstance(type_expression.value, str):
        return type_expression.value  # Terraform 0.11 quoted types
    if isinstance(type_expression, s.Call):
        return type_expression.name
    return "any"


def is_primitive(type_expression: s.Expression | None) -> bool:
    """Whether ``--var``/``TF_VAR_`` values are taken literally (not parsed as HCL)."""
    return type_keyword(type_expression) in (*_PRIMITIVES, "any")


def convert(value: Any, type_expression: s.Expression | None, default_of: Any = None) -> Any:
    """``value`` converted to the constraint; EvaluationError when Terraform would reject it.

    ``default_of`` evaluates ``optional(type, default)`` defaults (constant expressions).
    """
    if value is None or isinstance(value, UnknownValue | Identity) or type_expression is None:
        return value
    keyword = type_keyword(type_expression)
    arguments = type_expression.arguments if isinstance(type_expression, s.Call) else ()
    if keyword == "string":
        return to_string(value)
    if keyword == "number":
        return to_number(value)
    if keyword == "bool":
        return to_bool(value)
    if keyword in ("list", "set", "tuple"):
        if not isinstance(value, list | tuple):
            raise EvaluationError(f"a {keyword} is required")
        if keyword == "tuple":
            element_types = (
                arguments[0].items if arguments and isinstance(arguments[0], s.TupleExpr) else ()
            )
            if element_types and len(element_types) != len(value):
                raise EvaluationError(f"a tuple of {len(element_types)} elements is required")
            return [
                convert(item, element_types[index] if element_types else None, default_of)
                for index, item in enumerate(value)
            ]
        element = arguments[0] if arguments else None
        items = [convert(item, element, default_of) for item in value]
        return SetValue.of(items) if keyword == "set" else items
    if keyword == "map":
        if not isinstance(value, dict):
            raise EvaluationError("a map is required")
        element = arguments[0] if arguments else None
        return {key: convert(item, element, default_of) for key, item in value.items()}
    if keyword == "object":
        if not isinstance(value, dict):
            raise EvaluationError("an object is required")
        if not arguments or not isinstance(arguments[0], s.ObjectExpr):
            return value
        result: dict[str, Any] = {}
        for key_node, attribute_type in arguments[0].items:
            name = key_node.value if isinstance(key_node, s.Literal) else None
            if not isinstance(name, str):
                continue
            optional = isinstance(attribute_type, s.Call) and attribute_type.name == "optional"
            inner = (
                attribute_type.arguments[0]
                if optional and isinstance(attribute_type, s.Call) and attribute_type.arguments
                else attribute_type
            )
            if name in value and value[name] is not None:
                result[name] = convert(value[name], inner, default_of)
            elif optional:
                default = None
                if isinstance(attribute_type, s.Call) and len(attribute_type.arguments) > 1:
                    default = default_of(attribute_type.arguments[1]) if default_of else None
                result[name] = convert(default, inner, default_of)
            elif name in value:
                result[name] = None
            else:
                raise EvaluationError(f"attribute {name!r} is required")
        return result
    return value
