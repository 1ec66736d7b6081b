"""What an intrinsic function evaluates to when it is not a plain value."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from vpclint.parse.cloudformation.nodes import Mark
from vpclint.topology.models import UnknownKind


@dataclass(frozen=True)
class Unresolved:
    """A value known only after deployment, or one whose expression is wrong (``kind``)."""

    reason: str
    kind: UnknownKind = UnknownKind.UNRESOLVED
    mark: Mark | None = None
    provider_assigned: bool = False  # derived from an Amazon-provided or IPAM-allocated block


@dataclass(frozen=True)
class ResourceIdentity:
    """``Ref`` to a resource: its physical ID is unknown, but which resource it is, is known."""

    key: str
    logical_id: str
    resource_type: str


class _NoValue:
    """``AWS::NoValue``: the property is removed."""

    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()


def error(reason: str, mark: Mark | None = None) -> Unresolved:
    return Unresolved(reason, UnknownKind.ERROR, mark)


def as_text(value: Any) -> str | Unresolved:
    """A value as CloudFormation turns it into a string (``true``, ``5``), or why it cannot be."""
    if isinstance(value, Unresolved):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, ResourceIdentity):
        return Unresolved(
            f"the ID of {value.logical_id} ({value.resource_type}) is only known after deployment"
        )
    if value is NO_VALUE:
        return error("AWS::NoValue used where a string is needed")
    if value is None:
        return error("a null value where a string is needed")
    return error(f"a {type(value).__name__} where a string is needed")


def as_integer(value: Any, what: str) -> int | Unresolved:
    if isinstance(value, Unresolved):
        return value
    if isinstance(value, bool):
        return error(f"{what} must be a number, not {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        try:
            return int(value.strip())
        except ValueError:  # "²" is a digit to isdigit() but not to int(), nor are 4300 digits
            pass
    shown = value if not isinstance(value, str) or len(value) <= 40 else value[:40] + "..."
    return error(f"{what} must be a number, not {shown!r}")
