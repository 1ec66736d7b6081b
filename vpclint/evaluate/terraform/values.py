"""Runtime values of the Terraform evaluator.

Terraform values map onto plain Python: null is None, bool, number (int, or float when
fractional), string, list/tuple (``list``), set (:class:`SetValue`), map/object (``dict``).
Three extra kinds exist only here: :class:`UnknownValue` (known only after apply, or failed),
:class:`Identity` (the ``id`` of a resource in scope, which links subnets to their network), and
:class:`ResourceInstance` (a resource reference whose attributes are evaluated on demand).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vpclint.topology.models import SourceLocation, Unknown, UnknownKind

# Terraform's numbers are 512-bit floats and no address has more than 128 bits: larger numbers
# only come from hostile input (a squared number squared again 30 times).
MAX_NUMBER_BITS = 1024


class EvaluationError(Exception):
    """The expression is wrong (Terraform would fail): becomes an Unknown of kind ERROR."""


class LimitReached(Exception):
    """An evaluation bound was hit; never swallowed by ``try()``/``can()``."""


@dataclass(frozen=True)
class UnknownValue:
    unknown: Unknown

    @classmethod
    def make(
        cls,
        reason: str,
        kind: UnknownKind = UnknownKind.UNRESOLVED,
        location: SourceLocation | None = None,
    ) -> UnknownValue:
        return cls(Unknown(reason=reason, kind=kind, location=location))

    @property
    def reason(self) -> str:
        return self.unknown.reason


@dataclass(frozen=True)
class Identity:
    """The identity of a resource instance in scope: ``aws_vpc.main.id`` evaluates to this."""

    key: str  # the topology key of the resource instance
    address: str


class AssumedText(str):
    """A string that stands in for a value vpclint cannot evaluate (a Terragrunt dependency's
    ``mock_outputs``): used as the text it is, with why it is only assumed, so that a finding
    about a block made from it says so. A string computed from one (``cidrsubnet()``, a
    template) is assumed too."""

    assumed: str

    def __new__(cls, text: str, assumed: str) -> AssumedText:
        made = super().__new__(cls, text)
        made.assumed = assumed
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (AssumedText, (str(self), self.assumed))


def assumed_in(values: Any) -> str | None:
    """Why the first assumed string among ``values`` (not looking into collections) is assumed."""
    for value in values:
        if isinstance(value, AssumedText):
            return value.assumed
    return None


class SetValue(tuple[Any, ...]):
    """A Terraform set: unique elements; strings iterate in lexical order, as in Terraform."""

    @classmethod
    def of(cls, items: list[Any]) -> SetValue:
        unique: list[Any] = []
        seen_primitives: set[tuple[type, Any]] = set()
        seen_collections: list[Any] = []
        for item in items:
            # Primitives by hash, so that a set of thousands of strings is not quadratic.
            if item is None or isinstance(item, str | int | float):
                key = (type(item), item)
                if key in seen_primitives:
                    continue
                seen_primitives.add(key)
            elif any(_same(item, seen) for seen in seen_collections):
                continue
            else:
                seen_collections.append(item)
            unique.append(item)
        if all(isinstance(item, str) for item in unique):
            unique.sort()
        return cls(unique)


def _same(first: Any, second: Any) -> bool:
    return type(first) is type(second) and bool(first == second)


@dataclass
class ResourceInstance:
    """One instance of a resource; configured attributes evaluate lazily, the rest are computed."""

    address: str
    key: str
    resource_type: str
    evaluate_attribute: Callable[[str], Any]
    configured: frozenset[str]
    cache: dict[str, Any] = field(default_factory=dict)

    def configured_value(self, name: str) -> Any:
        """The attribute as the configuration sets it (null when unset), for building objects."""
        if name not in self.configured:
            return None
        if name not in self.cache:
            self.cache[name] = self.evaluate_attribute(name)
        return self.cache[name]

    def get(self, name: str) -> Any:
        """The attribute as a reference sees it: unset or null means the provider computes it."""
        if name in self.configured:
            value = self.configured_value(name)
            if value is not None:
                return value
        return self._computed(name)

    def _computed(self, name: str) -> Any:
        if name in ("id", "arn", "self_link"):
            return Identity(self.key, self.address)
        return UnknownValue.make(
            f"{self.address}.{name} is computed by the provider (only known after apply)"
        )


def first_unknown(values: Any) -> UnknownValue | None:
    """The first UnknownValue anywhere inside ``values`` (a value or nested collections)."""
    stack = [values]
    visited: set[int] = set()  # a value may hold the same collection many times: look once
    while stack:
        value = stack.pop()
        if isinstance(value, UnknownValue):
            return value
        if isinstance(value, Identity):
            return UnknownValue.make(f"{value.address}.id is only known after apply")
        if isinstance(value, ResourceInstance):
            continue
        if isinstance(value, dict | list | tuple):
            if id(value) in visited:
                continue
            visited.add(id(value))
        if isinstance(value, dict):
            stack.extend(reversed(list(value.values())))
        elif isinstance(value, list | tuple):
            stack.extend(reversed(value))
    return None


def expanded_size(value: Any, limit: int) -> int:
    """Characters and elements in ``value`` as written out in full (a part held twice counts
    twice), counted up to just past ``limit``: what serialising or flattening it would build."""
    total = 0
    stack = [value]
    while stack and total <= limit:
        item = stack.pop()
        total += 1
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, dict):
            total += sum(len(key) for key in item)
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return total


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, SetValue):
        return "set"
    if isinstance(value, list | tuple):
        return "tuple"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, Identity):
        return "string"
    if isinstance(value, ResourceInstance):
        return "object"
    return "unknown"


def format_number(value: int | float) -> str:
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    return str(value)


def to_string(value: Any) -> str:
    """Terraform's automatic conversion to string (numbers and bools convert, others fail)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format_number(value)
    if value is None:
        raise EvaluationError("a null value cannot be used as a string")
    raise EvaluationError(f"a {type_name(value)} value cannot be used as a string")


def to_number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise EvaluationError("a bool value cannot be used as a number")
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            raise EvaluationError(f"{value!r} is not a number") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise EvaluationError(f"{value!r} is not a number")
        return int(number) if number.is_integer() else number
    if value is None:
        raise EvaluationError("a null value cannot be used as a number")
    raise EvaluationError(f"a {type_name(value)} value cannot be used as a number")


def to_whole_number(value: Any, what: str = "value") -> int:
    number = to_number(value)
    if isinstance(number, float):
        if not number.is_integer():
            raise EvaluationError(f"{what} must be a whole number, not {format_number(number)}")
        return int(number)
    return number


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value == "true":
        return True
    if value == "false":
        return False
    if value is None:
        raise EvaluationError("a null value cannot be used as a condition")
    raise EvaluationError(f"a {type_name(value)} value cannot be used as a bool")


def as_sequence(value: Any, what: str = "value") -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    raise EvaluationError(f"{what} must be a list, not a {type_name(value)}")


def as_mapping(value: Any, what: str = "value") -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise EvaluationError(f"{what} must be a map or object, not a {type_name(value)}")


def equal(first: Any, second: Any, _known_equal: set[tuple[int, int]] | None = None) -> bool:
    """Terraform's ``==``: no conversion between types (1 != "1")."""
    if isinstance(first, bool) or isinstance(second, bool):
        return type(first) is type(second) and first == second
    if isinstance(first, int | float) and isinstance(second, int | float):
        return bool(first == second)
    both_sequences = isinstance(first, list | tuple) and isinstance(second, list | tuple)
    if both_sequences or (isinstance(first, dict) and isinstance(second, dict)):
        # Values built from shared parts ([x, x] nested n times) are compared once per pair of
        # parts, not once per path to them, which would take 2**n steps.
        known = set() if _known_equal is None else _known_equal
        pair = (id(first), id(second))
        if first is second or pair in known:
            return True
        if both_sequences:
            same = len(first) == len(second) and all(
                equal(a, b, known) for a, b in zip(first, second, strict=True)
            )
        else:
            same = first.keys() == second.keys() and all(
                equal(first[k], second[k], known) for k in first
            )
        if same:
            known.add(pair)
        return same
    return type(first) is type(second) and bool(first == second)
