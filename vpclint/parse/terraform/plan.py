"""Plan JSON (``terraform show -json PLANFILE``), recognised by content in any ``.json`` file."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

from vpclint.parse.terraform.hcl import SyntaxProblem
from vpclint.parse.terraform.json_syntax import json_problem

_ADDRESS = '"address"'


@dataclass(frozen=True)
class PlannedResource:
    address: str
    module_address: str  # "" for the root module
    mode: str  # managed or data
    type: str
    name: str
    index: Any
    values: dict[str, Any]
    line: int


@dataclass(frozen=True)
class PlanData:
    resources: tuple[PlannedResource, ...] = ()
    # module address ("" for root) -> resource address (without module) -> attribute -> refs
    references: dict[str, dict[str, dict[str, tuple[str, ...]]]] = field(default_factory=dict)
    # module address ("" for root) -> output name -> references of its value expression
    outputs: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)


def plan_marker_present(text: str) -> bool:
    head = text[:4096]
    return '"terraform_version"' in head or (
        '"format_version"' in head and "planned_values" in text
    )


def _address_lines(text: str) -> dict[str, int]:
    """The first line where each ``"address": "..."`` appears, for findings in the plan file."""
    lines: dict[str, int] = {}
    line = 1
    position = 0
    while True:
        found = text.find(_ADDRESS, position)
        if found < 0:
            break
        line += text.count("\n", position, found)
        position = found
        start = text.find('"', found + len(_ADDRESS) + 1)
        end = start + 1
        while start > 0 and end < len(text):
            if text[end] == "\\":
                end += 2
                continue
            if text[end] == '"':
                break
            end += 1
        if start > 0:
            with contextlib.suppress(ValueError):
                lines.setdefault(json.loads(text[start : end + 1]), line)
        position = found + len(_ADDRESS)
    return lines


def parse_plan(text: str, display: str, max_depth: int) -> PlanData | None:
    try:
        data = json.loads(text)
    except RecursionError:
        raise SyntaxProblem(f"nesting is deeper than {max_depth} levels") from None
    except ValueError as error:
        raise json_problem(error, text) from None
    if not isinstance(data, dict) or "terraform_version" not in data:
        return None
    if not any(key in data for key in ("planned_values", "resource_changes", "configuration")):
        return None
    lines = _address_lines(text)
    resources: list[PlannedResource] = []
    planned = data.get("planned_values")
    root = planned.get("root_module") if isinstance(planned, dict) else None
    stack = [root] if isinstance(root, dict) else []
    while stack:
        module = stack.pop()
        for resource in _list(module.get("resources")):
            if not isinstance(resource, dict) or not isinstance(resource.get("address"), str):
                continue
            values = resource.get("values")
            address = resource["address"]
            resources.append(
                PlannedResource(
                    address=address,
                    module_address=str(module.get("address") or ""),
                    mode=str(resource.get("mode") or "managed"),
                    type=str(resource.get("type") or ""),
                    name=str(resource.get("name") or ""),
                    index=resource.get("index"),
                    values=values if isinstance(values, dict) else {},
                    line=lines.get(address, 1),
                )
            )
        stack.extend(
            child
            for child in reversed(_list(module.get("child_modules")))
            if isinstance(child, dict)
        )
    references, outputs = _references(data.get("configuration"))
    return PlanData(resources=tuple(resources), references=references, outputs=outputs)


def _refs(expression: Any) -> tuple[str, ...]:
    if isinstance(expression, dict) and isinstance(expression.get("references"), list):
        return tuple(str(ref) for ref in expression["references"] if isinstance(ref, str))
    return ()


def _list(value: Any) -> list[Any]:
    """A list where the plan format has one; anything else (a hand-edited or broken plan) is
    treated as empty rather than iterated."""
    return value if isinstance(value, list) else []


def _references(
    configuration: Any,
) -> tuple[dict[str, dict[str, dict[str, tuple[str, ...]]]], dict[str, dict[str, tuple[str, ...]]]]:
    """Each resource's attribute references and each output's references, per module path."""
    found: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {}
    outputs: dict[str, dict[str, tuple[str, ...]]] = {}
    if not isinstance(configuration, dict):
        return found, outputs
    stack: list[tuple[str, Any]] = [("", configuration.get("root_module"))]
    while stack:
        prefix, module = stack.pop()
        if not isinstance(module, dict):
            continue
        table = found.setdefault(prefix, {})
        declared_outputs = module.get("outputs")
        if isinstance(declared_outputs, dict):
            outputs[prefix] = {
                name: _refs(output.get("expression"))
                for name, output in declared_outputs.items()
                if isinstance(output, dict)
            }
        for resource in _list(module.get("resources")):
            if not isinstance(resource, dict) or not isinstance(resource.get("address"), str):
                continue
            expressions = resource.get("expressions")
            attributes: dict[str, tuple[str, ...]] = {}
            if isinstance(expressions, dict):
                for name, expression in expressions.items():
                    references = _refs(expression)
                    if references:
                        attributes[name] = references
            table[resource["address"]] = attributes
        calls = module.get("module_calls")
        if isinstance(calls, dict):
            for name, call in calls.items():
                if isinstance(call, dict):
                    child_prefix = (
                        f"{prefix}module.{name}" if not prefix else f"{prefix}.module.{name}"
                    )
                    stack.append((child_prefix, call.get("module")))
    return found, outputs
