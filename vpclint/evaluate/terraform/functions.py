"""Terraform's built-in functions that address plans use, with Terraform's semantics.

Each function takes already evaluated arguments. Unknown arguments make the result Unknown,
except where Terraform itself looks through them (``length`` of a list with unknown elements,
``concat``, ``coalesce`` after a known non-null value...). Anything not listed is Unknown with
a reason, never guessed. ``file()`` and friends are handled by the evaluator, which knows the
project root.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import re
import urllib.parse
import uuid
from collections.abc import Callable, Sequence
from functools import partial
from types import ModuleType
from typing import Any

import re2

from vpclint.evaluate.terraform import cidr_functions, file_functions
from vpclint.evaluate.terraform.values import (
    EvaluationError,
    Identity,
    ResourceInstance,
    SetValue,
    UnknownValue,
    as_mapping,
    as_sequence,
    equal,
    expanded_size,
    first_unknown,
    to_bool,
    to_number,
    to_string,
    to_whole_number,
    type_name,
)

Function = Callable[..., Any]

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # errors become Unknowns; RE2 would also print them to stderr

# Functions that accept unknown arguments (they decide themselves what stays unknown).
UNKNOWN_AWARE = frozenset(
    {
        "length",
        "concat",
        "coalesce",
        "coalescelist",
        "compact",
        "tolist",
        "toset",
        "tomap",
        "element",
        "lookup",
        "merge",
        "keys",
        "values",
        "flatten",
        "slice",
        "zipmap",
        "distinct",
        "contains",
        "index",
        "reverse",
        "one",
        "setunion",
        "try",
        "can",
        "sort",
        "jsonencode",
        "tostring",
        "nonsensitive",
        "sensitive",
        "transpose",
        "chunklist",
        "matchkeys",
    }
)


def identity_result(name: str, arguments: Sequence[Any]) -> Identity | None:
    """The resource identity a string function returns unchanged, when Terraform's result is
    exactly that resource's id whatever the id is: ``join("", aws_vpc.x.*.id)`` of one VPC,
    ``join(",", [id])``, ``format("%s", id)``, ``tostring(id)``. An identity is not a string
    vpclint knows, so any other string made from it (``"vpc/${id}"``, ``lower(id)``) is not
    that id and stays unknown."""
    if name == "tostring" and len(arguments) == 1 and isinstance(arguments[0], Identity):
        return arguments[0]
    if name == "format" and len(arguments) == 2 and arguments[0] in ("%s", "%v"):
        found = arguments[1]
        return found if isinstance(found, Identity) else None
    if name == "join" and len(arguments) >= 2 and isinstance(arguments[0], str):
        items: list[Any] = []
        for value in arguments[1:]:
            if not isinstance(value, list | tuple):
                return None
            items.extend(value)
        identities = [item for item in items if isinstance(item, Identity)]
        if len(identities) != 1:
            return None
        # Only empty strings beside it, and no separator between them: the id alone.
        if len(items) == 1 or (
            arguments[0] == "" and all(item == "" for item in items if item is not identities[0])
        ):
            return identities[0]
    return None


# Terraform's built-in functions vpclint does not evaluate, with the reason a call's VPC004 gives.
# Every other function of Terraform's list is evaluated exactly (docs/terraform-functions.md,
# tests/docs/test_function_list.py keeps the two in step).
NOT_EVALUATED = {
    "timestamp": "its result is the time of the run",
    "plantimestamp": "its result is the time of the plan",
    "uuid": "its result is random",
    "bcrypt": "its result has a random salt",
    "formatdate": "date functions are not implemented (dates hold no address space)",
    "timeadd": "date functions are not implemented (dates hold no address space)",
    "timecmp": "date functions are not implemented (dates hold no address space)",
    "rsadecrypt": "decrypting needs a private key and holds no address space",
    "base64gzip": "its bytes depend on Go's gzip implementation, not reproduced",
    "textencodebase64": "character encodings other than UTF-8 are not implemented",
    "textdecodebase64": "character encodings other than UTF-8 are not implemented",
    "convert": "type constraints are not evaluated",
    "issensitive": "vpclint does not track which values are sensitive",
}


def _known_items(value: Any, what: str) -> list[Any] | UnknownValue:
    """The elements of a list argument, or what makes the result unknown: the list itself or,
    for functions that must see every element (sort, distinct...), its first unknown element."""
    if isinstance(value, UnknownValue):
        return value
    items = as_sequence(value, what)
    unknown = first_unknown(items)
    return unknown if unknown is not None else items


def _cidrsubnet(prefix: Any, newbits: Any, netnum: Any, *, max_bits: int | None = None) -> str:
    return cidr_functions.cidrsubnet(
        to_string(prefix),
        to_whole_number(newbits, "newbits"),
        to_whole_number(netnum, "netnum"),
        max_bits,
    )


def _cidrsubnets(prefix: Any, *newbits: Any) -> list[str]:
    return cidr_functions.cidrsubnets(
        to_string(prefix), [to_whole_number(bits, "newbits") for bits in newbits]
    )


def _cidrhost(prefix: Any, hostnum: Any) -> str:
    return cidr_functions.cidrhost(to_string(prefix), to_whole_number(hostnum, "hostnum"))


def _cidrnetmask(prefix: Any) -> str:
    return cidr_functions.cidrnetmask(to_string(prefix))


def _length(value: Any) -> Any:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list | tuple | dict):
        return len(value)
    if isinstance(value, UnknownValue):
        return value
    if isinstance(value, ResourceInstance):
        raise EvaluationError("length() of a single resource instance")
    raise EvaluationError(f"length() needs a collection or string, not a {type_name(value)}")


def _element(collection: Any, index: Any) -> Any:
    if isinstance(collection, UnknownValue):
        return collection
    items = as_sequence(collection, "element() collection")
    position = to_whole_number(index, "element() index")
    if not items:
        raise EvaluationError("cannot use element() with an empty list")
    if position < 0:
        raise EvaluationError("element() index must not be negative")
    return items[position % len(items)]


def _concat(*lists: Any) -> Any:
    result: list[Any] = []
    for value in lists:
        if isinstance(value, UnknownValue):
            return value
        result.extend(as_sequence(value, "concat() argument"))
    return result


def _flatten(value: Any) -> Any:
    if isinstance(value, UnknownValue):
        return value
    result: list[Any] = []
    stack = [iter(as_sequence(value, "flatten() argument"))]
    while stack:
        try:
            item = next(stack[-1])
        except StopIteration:
            stack.pop()
            continue
        if isinstance(item, list | tuple):
            stack.append(iter(item))
        elif isinstance(item, UnknownValue):
            return item
        else:
            result.append(item)
    return result


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if isinstance(mapping, UnknownValue):
        return mapping
    if isinstance(key, UnknownValue):
        return key
    values = as_mapping(mapping, "lookup() map")
    name = to_string(key)
    if name in values:
        return values[name]
    if default:
        return default[0]
    raise EvaluationError(f"lookup() failed to find key {name!r}")


def _merge(*mappings: Any) -> Any:
    result: dict[str, Any] = {}
    for mapping in mappings:
        if mapping is None:
            continue
        if isinstance(mapping, UnknownValue):
            return mapping
        result.update(as_mapping(mapping, "merge() argument"))
    return result


def _keys(mapping: Any) -> Any:
    if isinstance(mapping, UnknownValue):
        return mapping
    return sorted(as_mapping(mapping, "keys() argument"))


def _values(mapping: Any) -> Any:
    if isinstance(mapping, UnknownValue):
        return mapping
    values = as_mapping(mapping, "values() argument")
    return [values[key] for key in sorted(values)]


def _tolist(value: Any) -> Any:
    if isinstance(value, UnknownValue):
        return value
    return list(as_sequence(value, "tolist() argument"))


def _toset(value: Any) -> Any:
    items = _known_items(value, "toset() argument")
    if isinstance(items, UnknownValue):
        return items
    if any(isinstance(item, int | float) and not isinstance(item, bool) for item in items) and any(
        isinstance(item, str) for item in items
    ):
        items = [to_string(item) for item in items]
    return SetValue.of(items)


def _tomap(value: Any) -> Any:
    if isinstance(value, UnknownValue):
        return value
    return dict(as_mapping(value, "tomap() argument"))


def _format_verb(verb: str, flags: str, value: Any) -> str:
    if verb == "s":
        return to_string(value)
    if verb == "d":
        return str(to_whole_number(value, "format %d value"))
    if verb == "v":
        return to_string(value) if not isinstance(value, list | dict) else json.dumps(value)
    if verb == "f":
        precision = re.search(r"\.(\d+)", flags)
        digits = int(precision.group(1)) if precision else 6
        if digits > _MAX_FORMAT_WIDTH:
            raise _LimitFromFunction(f"format() precision {digits} is over {_MAX_FORMAT_WIDTH}")
        return f"{to_number(value):.{digits}f}"
    if verb == "q":
        return json.dumps(to_string(value))
    if verb == "x":
        return f"{to_whole_number(value):x}"
    if verb == "X":
        return f"{to_whole_number(value):X}"
    if verb == "o":
        return f"{to_whole_number(value):o}"
    if verb == "b":
        return f"{to_whole_number(value):b}"
    if verb == "t":
        return "true" if to_bool(value) else "false"
    raise EvaluationError(f"format() verb %{verb} is not supported")


# Wider fields only come from hostile input ("%0999999999d" would build a gigabyte).
_MAX_FORMAT_WIDTH = 10_000
_FORMAT_VERB = re.compile(r"%([-+# 0]*\d*(?:\.\d+)?)([a-zA-Z%])")


def _format(spec: Any, *arguments: Any, limit: int, function: str = "format") -> str:
    pattern = to_string(spec)
    values = list(arguments)
    position = 0
    pieces: list[str] = []
    last = 0
    # Each piece is counted before it is padded out: a thousand "%9999d" would otherwise build
    # ten million characters before the result could be refused.
    built = 0
    for match in _FORMAT_VERB.finditer(pattern):
        pieces.append(pattern[last : match.start()])
        built += match.start() - last
        last = match.end()
        flags, verb = match.group(1), match.group(2)
        if verb == "%":
            pieces.append("%")
            built += 1
            continue
        if position >= len(values):
            raise EvaluationError("format() has too few arguments for its format string")
        text = _format_verb(verb, flags, values[position])
        position += 1
        width = re.match(r"[-+# 0]*(\d+)", flags)
        size = int(width.group(1)) if width else 0
        if size > _MAX_FORMAT_WIDTH:
            raise _LimitFromFunction(f"format() width {size} is over {_MAX_FORMAT_WIDTH}")
        built += max(len(text), size)
        _refuse_larger(function, built, limit)
        if width:
            if "-" in flags:
                text = text.ljust(size)
            elif "0" in flags.split(width.group(1))[0]:
                text = text.rjust(size, "0")
            else:
                text = text.rjust(size)
        pieces.append(text)
    _refuse_larger(function, built + len(pattern) - last, limit)
    pieces.append(pattern[last:])
    if position < len(values):
        raise EvaluationError("format() has more arguments than its format string uses")
    return "".join(pieces)


def _formatlist(spec: Any, *arguments: Any, limit: int) -> list[str]:
    lengths = {len(value) for value in arguments if isinstance(value, list | tuple)}
    if len(lengths) > 1:
        raise EvaluationError("formatlist() lists must all have the same length")
    count = lengths.pop() if lengths else 1
    # What the format string says outside its verbs is written once per element at least.
    _refuse_larger("formatlist", count * len(_FORMAT_VERB.sub("", to_string(spec))), limit)
    result: list[str] = []
    built = 0
    for index in range(count):
        element = _format(
            spec,
            *(value[index] if isinstance(value, list | tuple) else value for value in arguments),
            limit=limit,
            function="formatlist",
        )
        built += len(element)
        _refuse_larger("formatlist", built, limit)
        result.append(element)
    return result


def _join(separator: Any, *lists: Any, limit: int) -> str:
    items: list[Any] = []
    for value in lists:
        items.extend(as_sequence(value, "join() list"))
    _refuse_larger("join", len(items), limit, "elements")
    sep = to_string(separator)
    texts = [to_string(item) for item in items]
    size = len(sep) * max(len(texts) - 1, 0) + sum(len(text) for text in texts)
    _refuse_larger("join", size, limit)
    return sep.join(texts)


def _split(separator: Any, text: Any) -> list[str]:
    sep = to_string(separator)
    value = to_string(text)
    if sep == "":
        return list(value)
    return value.split(sep)


def _range(*arguments: Any, limit: int) -> list[Any]:
    numbers = [to_number(argument) for argument in arguments]
    start: int | float
    end: int | float
    step: int | float
    if len(numbers) == 1:
        start, end, step = 0, numbers[0], 1
    elif len(numbers) == 2:
        start, end, step = numbers[0], numbers[1], 1 if numbers[1] >= numbers[0] else -1
    elif len(numbers) == 3:
        start, end, step = numbers
    else:
        raise EvaluationError("range() takes one to three arguments")
    if step == 0:
        raise EvaluationError("range() step must not be zero")
    if (end > start and step < 0) or (end < start and step > 0):
        raise EvaluationError("range() step must move towards the end")
    count = max(int(-(-(end - start) // step)), 0)
    if count > limit:
        raise _LimitFromFunction(
            f"range() would create {count:,} elements, over the limit of {limit:,} "
            "(raise `max-expansion` to allow it)"
        )
    result = [start + step * index for index in range(count)]
    return [int(item) if float(item).is_integer() else item for item in result]


class _LimitFromFunction(Exception):
    pass


def _refuse_larger(function: str, size: int, limit: int, unit: str = "characters") -> None:
    """Refuse a result before it is built, from the size it would have: building it first (a
    join() with a huge separator) can take gigabytes before any check after the fact."""
    if size > limit:
        raise _LimitFromFunction(
            f"{function}() would build a value of {size:,} {unit}, over the limit of {limit:,} "
            "(raise `max-steps` to allow it)"
        )


LimitFromFunction = _LimitFromFunction


def _slice(value: Any, start: Any, end: Any, *, limit: int) -> Any:
    for bound in (start, end):
        if isinstance(bound, UnknownValue):
            return bound
    first = to_whole_number(start, "slice() start")
    last = to_whole_number(end, "slice() end")
    if isinstance(value, UnknownValue):
        # `slice(data.aws_availability_zones.x.names, 0, 3)` has three elements whenever it
        # succeeds: the length is known even though the elements are not, so index-based CIDRs
        # (cidrsubnet(cidr, 4, index)) still resolve.
        if first < 0 or first > last:
            raise EvaluationError(f"slice() indices {first}..{last} are not a valid range")
        _refuse_larger("slice", last - first, limit, "elements")
        return [value] * (last - first)
    items = as_sequence(value, "slice() list")
    if first < 0 or last > len(items) or first > last:
        raise EvaluationError(f"slice() indices {first}..{last} out of range for {len(items)}")
    return items[first:last]


def _zipmap(keys: Any, values: Any) -> Any:
    for value in (keys, values):
        if isinstance(value, UnknownValue):
            return value
    names = as_sequence(keys, "zipmap() keys")
    items = as_sequence(values, "zipmap() values")
    if len(names) != len(items):
        raise EvaluationError("zipmap() keys and values must have the same length")
    unknown = first_unknown(names)
    if unknown is not None:
        return unknown
    return {to_string(name): item for name, item in zip(names, items, strict=True)}


def _coalesce(*values: Any) -> Any:
    for value in values:
        if isinstance(value, UnknownValue):
            return value
        if value is not None and value != "":
            return value
    raise EvaluationError("coalesce() got no non-null, non-empty argument")


def _coalescelist(*values: Any) -> Any:
    for value in values:
        if isinstance(value, UnknownValue):
            return value
        if as_sequence(value, "coalescelist() argument"):
            return value
    raise EvaluationError("coalescelist() got no non-empty list")


def _compact(value: Any) -> Any:
    items = _known_items(value, "compact() list")
    if isinstance(items, UnknownValue):
        return items
    return [to_string(item) for item in items if item is not None and item != ""]


def _distinct(value: Any) -> Any:
    items = _known_items(value, "distinct() list")
    if isinstance(items, UnknownValue):
        return items
    result: list[Any] = []
    seen = _Members([])
    for item in items:
        if item not in seen:
            seen.add(item)
            result.append(item)
    return result


class _Members:
    """Membership by Terraform's ``==``: primitives by hash, so that distinct() or
    setsubtract() of thousands of strings is not quadratic; collections one by one."""

    def __init__(self, items: Any) -> None:
        self.primitives: set[tuple[str, Any]] = set()
        self.others: list[Any] = []
        for item in items:
            self.add(item)

    @staticmethod
    def _key(item: Any) -> tuple[str, Any] | None:
        if item is None or isinstance(item, str | bool):
            return (type(item).__name__, item)
        if isinstance(item, int | float):
            return ("number", item)  # 1 == 1.0 in Terraform, and in Python's hashing
        return None

    def add(self, item: Any) -> None:
        key = self._key(item)
        if key is not None:
            self.primitives.add(key)
        else:
            self.others.append(item)

    def __contains__(self, item: Any) -> bool:
        key = self._key(item)
        if key is not None:
            return key in self.primitives
        return any(equal(item, other) for other in self.others)


def _min(*values: Any) -> Any:
    if not values:
        raise EvaluationError("min() needs at least one number")
    return min(to_number(value) for value in values)


def _max(*values: Any) -> Any:
    if not values:
        raise EvaluationError("max() needs at least one number")
    return max(to_number(value) for value in values)


def _contains(collection: Any, value: Any) -> Any:
    if isinstance(collection, UnknownValue):
        return collection
    items = as_sequence(collection, "contains() collection")
    if any(equal(item, value) for item in items):
        return True
    unknown = first_unknown(items)
    return unknown if unknown is not None else False


def _index(collection: Any, value: Any) -> Any:
    items = as_sequence(collection, "index() list")
    for position, item in enumerate(items):
        if equal(item, value):
            return position
    unknown = first_unknown(items)
    if unknown is not None:
        return unknown
    raise EvaluationError("index() item not found")


def _replace(text: Any, search: Any, replacement: Any, *, limit: int) -> str:
    value, pattern, new = to_string(text), to_string(search), to_string(replacement)
    if len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/"):
        compiled = _compile_regex(pattern[1:-1], "replace()")
        go_style = re.sub(r"\$\{?(\w+)\}?", r"\\g<\1>", new)
        matches = sum(1 for _ in compiled.finditer(value))
        _refuse_larger("replace", len(value) + matches * len(new), limit)
        try:
            return str(compiled.sub(go_style, value))
        except (re2.error, IndexError, ValueError) as error:
            raise EvaluationError(f"replace() invalid replacement: {_reason(error)}") from None
    matches = value.count(pattern) if pattern else len(value) + 1
    _refuse_larger("replace", len(value) + matches * max(len(new) - len(pattern), 0), limit)
    return value.replace(pattern, new)


def _substr(text: Any, offset: Any, length: Any) -> str:
    value = to_string(text)
    start = to_whole_number(offset)
    size = to_whole_number(length)
    if start < 0:
        start = max(len(value) + start, 0)
    if start > len(value):
        raise EvaluationError("substr() offset beyond the end of the string")
    return value[start:] if size < 0 else value[start : start + size]


def _jsonencode(value: Any) -> Any:
    unknown = first_unknown(value)
    if unknown is not None:
        return unknown

    def plain(item: Any) -> Any:
        if isinstance(item, dict):
            return {key: plain(item[key]) for key in sorted(item)}
        if isinstance(item, list | tuple):
            return [plain(element) for element in item]
        return item

    return json.dumps(plain(value), separators=(",", ":"), ensure_ascii=False)


def _jsondecode(text: Any) -> Any:
    try:
        decoded = json.loads(to_string(text))
    except (ValueError, RecursionError) as error:
        raise EvaluationError(f"jsondecode() invalid JSON: {error}") from None
    return _normalise_json(decoded)


def _normalise_json(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_normalise_json(item) for item in value]
    if isinstance(value, dict):
        return {key: _normalise_json(item) for key, item in value.items()}
    return value


def _tostring(value: Any) -> Any:
    if isinstance(value, UnknownValue) or value is None:
        return value
    return to_string(value)


def _tonumber(value: Any) -> Any:
    return None if value is None else to_number(value)


def _tobool(value: Any) -> Any:
    return None if value is None else to_bool(value)


def _reverse(value: Any) -> Any:
    if isinstance(value, UnknownValue):
        return value
    return list(reversed(as_sequence(value, "reverse() list")))


def _one(value: Any) -> Any:
    if isinstance(value, UnknownValue):
        return value
    items = as_sequence(value, "one() argument")
    if len(items) > 1:
        raise EvaluationError("one() got a list with more than one element")
    return items[0] if items else None


def _sort(value: Any) -> Any:
    items = _known_items(value, "sort() list")
    if isinstance(items, UnknownValue):
        return items
    return sorted(to_string(item) for item in items)


def _setunion(*sets: Any) -> Any:
    items: list[Any] = []
    for value in sets:
        if isinstance(value, UnknownValue):
            return value
        items.extend(as_sequence(value, "setunion() argument"))
    return SetValue.of(items)


def _chunklist(value: Any, size: Any) -> Any:
    if isinstance(value, UnknownValue):
        return value
    items = as_sequence(value, "chunklist() list")
    step = to_whole_number(size, "chunklist() size")
    if step < 0:
        raise EvaluationError("chunklist() size must not be negative")
    if step == 0:
        return [items]
    return [items[index : index + step] for index in range(0, len(items), step)]


def _pow(base: Any, exponent: Any) -> Any:
    # Terraform calls Go's math.Pow on float64s, whose rounding is its own: ported exactly.
    result = _go_pow(float(to_number(base)), float(to_number(exponent)))
    if not math.isfinite(result):
        raise EvaluationError(f"pow({base}, {exponent}) has no finite value")
    return int(result) if result.is_integer() else result


def _go_pow(x: float, y: float) -> float:
    """Go's math.Pow (src/math/pow.go) for finite arguments."""
    if y == 0 or x == 1:
        return 1.0
    if y == 1:
        return x
    if x == 0:
        return math.inf if y < 0 else 0.0
    if y == 0.5:
        return math.sqrt(x) if x >= 0 else math.nan
    if y == -0.5:
        return 1 / math.sqrt(x) if x > 0 else math.nan
    fraction, whole = math.modf(abs(y))
    if fraction != 0 and x < 0:
        return math.nan
    if whole >= 1 << 63:
        if x == -1:
            return 1.0
        return 0.0 if (abs(x) < 1) == (y > 0) else math.inf
    mantissa, exponent = 1.0, 0
    if fraction != 0:
        if fraction > 0.5:
            fraction -= 1
            whole += 1
        mantissa = math.exp(fraction * _go_log(x))
    x1, xe = math.frexp(x)
    power = int(whole)
    while power != 0:
        if xe < -(1 << 12) or xe > (1 << 12):
            exponent += xe  # overflows or underflows: ldexp decides
            break
        if power & 1:
            mantissa *= x1
            exponent += xe
        x1 *= x1
        xe <<= 1
        if x1 < 0.5:
            x1 += x1
            xe -= 1
        power >>= 1
    if y < 0:
        mantissa, exponent = 1 / mantissa, -exponent
    try:
        return math.ldexp(mantissa, exponent)
    except OverflowError:
        return math.inf


def _log(number: Any, base: Any) -> Any:
    # Go's math.Log(number) / math.Log(base) in float64, as Terraform computes it; a result
    # that is not finite (NaN is an error in Terraform, infinity cannot be stored) is an error.
    numerator, denominator = _go_log(to_number(number)), _go_log(to_number(base))
    if math.isnan(numerator) or math.isnan(denominator) or math.isinf(numerator):
        raise EvaluationError(f"log({number}, {base}) has no finite value")
    if denominator == 0:
        raise EvaluationError(f"log({number}, {base}) has no finite value")
    result = 0.0 if math.isinf(denominator) else numerator / denominator
    return int(result) if result.is_integer() else result


def _go_log(value: float) -> float:
    """Go's math.Log (src/math/log.go, FreeBSD's algorithm; its amd64 assembly computes the
    same): libm's log differs from it in the last bit, which ceil(log(n, 2)) can turn into a
    different subnet size."""
    if value < 0 or math.isnan(value):
        return math.nan
    if value == 0:
        return -math.inf
    if math.isinf(value):
        return value
    fraction, exponent = math.frexp(value)
    if fraction < math.sqrt(2) / 2:
        fraction *= 2
        exponent -= 1
    f = fraction - 1
    k = float(exponent)
    s = f / (2 + f)
    s2 = s * s
    s4 = s2 * s2
    t1 = s2 * (_L1 + s4 * (_L3 + s4 * (_L5 + s4 * _L7)))
    t2 = s4 * (_L2 + s4 * (_L4 + s4 * _L6))
    r = t1 + t2
    hfsq = 0.5 * f * f
    return k * _LN2_HI - ((hfsq - (s * (hfsq + r) + k * _LN2_LO)) - f)


_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_L1 = 6.666666666666735130e-01
_L2 = 3.999999999940941908e-01
_L3 = 2.857142874366239149e-01
_L4 = 2.222219843214978396e-01
_L5 = 1.818357216161805012e-01
_L6 = 1.531383769920937332e-01
_L7 = 1.479819860511658591e-01


def _parseint(text: Any, base: Any) -> int:
    try:
        return int(to_string(text), to_whole_number(base))
    except ValueError:
        raise EvaluationError(f"parseint() cannot parse {text!r}") from None


def _trim(text: Any, characters: Any) -> str:
    return to_string(text).strip(to_string(characters))


def _regex_all(pattern: Any, text: Any) -> Any:
    return _compile_regex(to_string(pattern), "regex()"), to_string(text)


def _compile_regex(pattern: str, function: str) -> Any:
    """RE2, as Terraform uses: its matching time is linear in the text, whatever the pattern,
    where Python's re takes forever on "(a+)+$" against forty a's and a b."""
    try:
        return re2.compile(pattern, _RE2_OPTIONS)
    except re2.error as error:
        raise EvaluationError(f"{function} invalid regular expression: {_reason(error)}") from None


def _reason(error: Exception) -> str:
    reason = error.args[0] if error.args else error
    return reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)


def _regex(pattern: Any, text: Any) -> Any:
    compiled, value = _regex_all(pattern, text)
    match = compiled.search(value)
    if match is None:
        raise EvaluationError("regex() pattern did not match")
    if compiled.groupindex:
        return match.groupdict()
    if compiled.groups:
        return list(match.groups())
    return match.group(0)


def _regexall(pattern: Any, text: Any) -> Any:
    compiled, value = _regex_all(pattern, text)
    results: list[Any] = []
    for match in compiled.finditer(value):
        if compiled.groupindex:
            results.append(match.groupdict())
        elif compiled.groups:
            results.append(list(match.groups()))
        else:
            results.append(match.group(0))
    return results


def _transpose(value: Any) -> Any:
    result: dict[str, list[str]] = {}
    for key, items in sorted(as_mapping(value, "transpose() map").items()):
        for item in as_sequence(items):
            result.setdefault(to_string(item), []).append(key)
    return result


def _matchkeys(values: Any, keys: Any, search: Any) -> Any:
    items = as_sequence(values)
    names = as_sequence(keys)
    wanted = as_sequence(search)
    if len(items) != len(names):
        raise EvaluationError("matchkeys() lists must have the same length")
    return [
        item for item, name in zip(items, names, strict=True) if any(equal(name, w) for w in wanted)
    ]


def _abs(value: Any) -> Any:
    return abs(to_number(value))


def _floor(value: Any) -> Any:
    return math.floor(to_number(value))


def _ceil(value: Any) -> Any:
    return math.ceil(to_number(value))


def _signum(value: Any) -> int:
    # go-cty converts the argument to a Go int first: a fraction or a huge number is an error.
    number = to_number(value)
    if number != int(number) or not -(2**63) <= number < 2**63:
        raise EvaluationError(f"signum(): {value} is not a whole number that fits in an int")
    return (number > 0) - (number < 0)


def _startswith(text: Any, prefix: Any) -> bool:
    return to_string(text).startswith(to_string(prefix))


def _endswith(text: Any, suffix: Any) -> bool:
    return to_string(text).endswith(to_string(suffix))


def _strrev(text: Any) -> str:
    return to_string(text)[::-1]


def _title(text: Any) -> str:
    return re.sub(r"\b(\w)", lambda match: match.group(1).upper(), to_string(text))


def _chomp(text: Any) -> str:
    return re.sub(r"(\r\n|\n|\r)+$", "", to_string(text))


def _identity(value: Any) -> Any:
    return value


def _sum(value: Any) -> Any:
    items = as_sequence(value, "sum() list")
    if not items:
        raise EvaluationError("sum() of an empty list")
    total: int | float = 0
    for item in items:
        total += to_number(item)
    return total


def _alltrue(value: Any) -> bool:
    return all(to_bool(item) for item in as_sequence(value))


def _anytrue(value: Any) -> bool:
    return any(to_bool(item) for item in as_sequence(value))


def _setproduct(*sets: Any, limit: int) -> Any:
    size = 1
    for value in sets:
        size *= len(as_sequence(value))
        if size > limit:
            raise _LimitFromFunction(
                f"setproduct() would create more than {limit:,} elements "
                "(raise `max-expansion` to allow it)"
            )
    result: list[list[Any]] = [[]]
    for value in sets:
        result = [[*prefix, item] for prefix in result for item in as_sequence(value)]
    return result


def _setintersection(first: Any, *others: Any) -> Any:
    members = [_Members(as_sequence(value)) for value in others]
    items = [item for item in as_sequence(first) if all(item in member for member in members)]
    return SetValue.of(items)


def _setsubtract(first: Any, second: Any) -> Any:
    removed = _Members(as_sequence(second))
    return SetValue.of([item for item in as_sequence(first) if item not in removed])


def _base64decode(text: Any) -> str:
    try:
        # Go's decoder skips new lines; anything else outside the alphabet is an error.
        data = base64.b64decode(re.sub("[\r\n]", "", to_string(text)), validate=True)
    except (binascii.Error, ValueError):
        raise EvaluationError("base64decode(): the string is not valid base64") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise EvaluationError("base64decode(): the decoded bytes are not UTF-8") from None


def _digest(algorithm: str, encoding: str) -> Function:
    def digest(text: Any) -> str:
        hashed = hashlib.new(algorithm, to_string(text).encode("utf-8"))
        if encoding == "hex":
            return hashed.hexdigest()
        return base64.b64encode(hashed.digest()).decode("ascii")

    return digest


def _indent(spaces: Any, text: Any) -> str:
    # Every line but the first, as Terraform's indent() does.
    padding = " " * to_whole_number(spaces, "indent() spaces")
    return to_string(text).replace("\n", "\n" + padding)


def _urlencode(text: Any) -> str:
    # Go's url.QueryEscape: a space is "+", and only these characters are kept as they are.
    return urllib.parse.quote_plus(to_string(text), safe="-_.~")


_UUID_NAMESPACES = {
    "dns": uuid.NAMESPACE_DNS,
    "url": uuid.NAMESPACE_URL,
    "oid": uuid.NAMESPACE_OID,
    "x500": uuid.NAMESPACE_X500,
}


def _uuidv5(namespace: Any, name: Any) -> str:
    text = to_string(namespace)
    try:
        space = _UUID_NAMESPACES.get(text) or uuid.UUID(text)
    except ValueError:
        raise EvaluationError(f"uuidv5(): {text!r} is not a namespace or a UUID") from None
    return str(uuid.uuid5(space, to_string(name)))


def _yaml_values() -> ModuleType:
    # Imported on first use: PyYAML costs a run that never decodes YAML tens of milliseconds.
    from vpclint.evaluate.terraform import yaml_values

    return yaml_values


def _base_functions() -> dict[str, Function]:
    return {
        "cidrsubnets": _cidrsubnets,
        "cidrhost": _cidrhost,
        "cidrnetmask": _cidrnetmask,
        "length": _length,
        "element": _element,
        "concat": _concat,
        "flatten": _flatten,
        "lookup": _lookup,
        "merge": _merge,
        "keys": _keys,
        "values": _values,
        "tolist": _tolist,
        "toset": _toset,
        "tomap": _tomap,
        "split": _split,
        "zipmap": _zipmap,
        "coalesce": _coalesce,
        "coalescelist": _coalescelist,
        "compact": _compact,
        "distinct": _distinct,
        "min": _min,
        "max": _max,
        "contains": _contains,
        "index": _index,
        "lower": lambda text: to_string(text).lower(),
        "upper": lambda text: to_string(text).upper(),
        "trimspace": lambda text: to_string(text).strip(),
        "trim": _trim,
        "trimprefix": lambda text, prefix: to_string(text).removeprefix(to_string(prefix)),
        "trimsuffix": lambda text, suffix: to_string(text).removesuffix(to_string(suffix)),
        "substr": _substr,
        "jsonencode": _jsonencode,
        "jsondecode": _jsondecode,
        "tostring": _tostring,
        "tonumber": _tonumber,
        "tobool": _tobool,
        "reverse": _reverse,
        "one": _one,
        "sort": _sort,
        "setunion": _setunion,
        "setintersection": _setintersection,
        "setsubtract": _setsubtract,
        "chunklist": _chunklist,
        "pow": _pow,
        "parseint": _parseint,
        "abs": _abs,
        "floor": _floor,
        "ceil": _ceil,
        "signum": _signum,
        "regex": _regex,
        "regexall": _regexall,
        "transpose": _transpose,
        "matchkeys": _matchkeys,
        "startswith": _startswith,
        "endswith": _endswith,
        "strrev": _strrev,
        "title": _title,
        "chomp": _chomp,
        "sum": _sum,
        "alltrue": _alltrue,
        "anytrue": _anytrue,
        "sensitive": _identity,
        "nonsensitive": _identity,
        "strcontains": lambda text, part: to_string(part) in to_string(text),
        "log": _log,
        "base64encode": lambda text: base64.b64encode(to_string(text).encode()).decode("ascii"),
        "base64decode": _base64decode,
        "md5": _digest("md5", "hex"),
        "sha1": _digest("sha1", "hex"),
        "sha256": _digest("sha256", "hex"),
        "sha512": _digest("sha512", "hex"),
        "base64sha256": _digest("sha256", "base64"),
        "base64sha512": _digest("sha512", "base64"),
        "indent": _indent,
        "urlencode": _urlencode,
        # vpclint never holds an ephemeral value (ephemeral resources are unknown), and
        # ephemeralasnull returns every other value as it is.
        "ephemeralasnull": _identity,
        "uuidv5": _uuidv5,
        "csvdecode": lambda text: _yaml_values().csvdecode(to_string(text)),
        "yamlencode": lambda value: _yaml_values().yamlencode(value),
        "dirname": lambda path: file_functions.go_dir(to_string(path)),
        "basename": lambda path: file_functions.go_base(to_string(path)),
        "pathexpand": lambda path: file_functions.pathexpand(to_string(path)),
    }


def build_functions(
    max_subnet_bits: int, max_expansion: int, max_value_size: int = 1_000_000
) -> dict[str, Function]:
    """The function table for one evaluation, with the limits bound in."""
    functions = _base_functions()

    def writing_out(name: str) -> Function:
        """Functions whose result is their arguments written out in full: a value that holds
        the same list many times over (nested n deep) would be 2**n long."""
        function = functions[name]

        def call(*arguments: Any) -> Any:
            if expanded_size(arguments, max_value_size) > max_value_size:
                raise _LimitFromFunction(
                    f"{name}() would build a value of more than {max_value_size} elements"
                )
            return function(*arguments)

        return call

    sized: dict[str, Function] = {
        "format": _format,
        "formatlist": _formatlist,
        "join": _join,
        "slice": _slice,
        "replace": _replace,
    }
    for name, function in sized.items():
        functions[name] = partial(function, limit=max_value_size)
    for name in ("flatten", "jsonencode", "yamlencode", "format", "formatlist"):
        functions[name] = writing_out(name)
    functions["setproduct"] = lambda *sets: _setproduct(*sets, limit=max_expansion)

    def cidrsubnet(prefix: Any, newbits: Any, netnum: Any) -> str:
        return _cidrsubnet(prefix, newbits, netnum, max_bits=max_subnet_bits)

    def range_(*arguments: Any) -> list[Any]:
        return _range(*arguments, limit=max_expansion)

    functions["cidrsubnet"] = cidrsubnet
    functions["yamldecode"] = lambda text: _yaml_values().yamldecode(
        to_string(text), max_value_size
    )
    functions["range"] = range_
    return functions


__all__ = ["NOT_EVALUATED", "UNKNOWN_AWARE", "Identity", "LimitFromFunction", "build_functions"]
