"""``yamldecode``/``yamlencode`` as Terraform's go-cty-yaml (v1.1/v1.2) does them, and ``csvdecode``
as Go's encoding/csv reads.

libyaml (through PyYAML's C parser, the library go-cty-yaml is a port of) only scans and composes;
every scalar is resolved here with go-cty-yaml's rules, not PyYAML's: YAML 1.1 booleans
(``yes``/``on``/``y`` are true), 1.2 integers (``012`` is twelve, ``0o12`` is ten, no ``1_000``),
timestamps as RFC 3339 strings, merge keys applied in order, aliases shared (never copied, so
nested aliases cannot multiply the work), and nothing is ever constructed from a tag.
"""

from __future__ import annotations

import calendar
import re
from decimal import Decimal
from typing import Any

import yaml
from yaml.nodes import Node, ScalarNode, SequenceNode

from vpclint.evaluate.terraform.values import EvaluationError, format_number

_TAG = "tag:yaml.org,2002:"
_MAX_EXPONENT = 300  # beyond a double's range: refused rather than built as a huge integer
_PLAIN = "vpclint:plain"  # a scalar without a tag, resolved by go-cty-yaml's rules below
_BOOLEANS = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE"), True),
    **dict.fromkeys(("on", "On", "ON"), True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE"), False),
    **dict.fromkeys(("off", "Off", "OFF"), False),
}
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_INFINITIES = frozenset({".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf"})
_INTEGER = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:([Tt]|[ ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?)?"
)
_ANCHOR = re.compile(r"\A&\S+\s+")
_RESOLVED_TAGS = frozenset(
    _TAG + name for name in ("str", "bool", "int", "float", "null", "timestamp", "binary")
)


class _Loader(yaml.CParser if hasattr(yaml, "CParser") else yaml.Loader):  # type: ignore[misc]
    """libyaml's parser and composer; tags are left as written (or :data:`_PLAIN`)."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                return _PLAIN
            return _TAG + "str"  # quoted, or the non-specific "!"
        return _TAG + ("seq" if kind is SequenceNode else "map")


def yamldecode(text: str, max_nodes: int) -> Any:
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as error:
        raise EvaluationError(f"yamldecode(): {_first_line(error)}") from None
    finally:
        loader.dispose()
    if root is None:
        raise EvaluationError("yamldecode(): missing start of document (the text has none)")
    return _Converter(text, max_nodes).value(root)


def _first_line(error: Exception) -> str:
    return " ".join(str(error).split())


class _Converter:
    def __init__(self, text: str, max_nodes: int) -> None:
        self.text = text
        self.done: dict[int, Any] = {}  # aliases: a node already converted is the same value
        self.open: set[int] = set()
        self.budget = max_nodes

    def value(self, node: Node) -> Any:
        key = id(node)
        if key in self.done:
            return self.done[key]
        if key in self.open:
            raise EvaluationError("yamldecode(): an alias refers to its own anchor's value")
        self.budget -= 1
        if self.budget < 0:
            raise EvaluationError("yamldecode(): the document has too many values")
        self.open.add(key)
        if isinstance(node, ScalarNode):
            result = self.scalar(node)
        elif isinstance(node, SequenceNode):
            if node.tag != _TAG + "seq":
                raise EvaluationError(f"yamldecode(): can't interpret sequence as {node.tag}")
            result = [self.value(item) for item in node.value]
        else:
            result = self._mapping(node)
        self.open.discard(key)
        self.done[key] = result
        return result

    def _mapping(self, node: Node) -> dict[str, Any]:
        if node.tag != _TAG + "map":
            raise EvaluationError(f"yamldecode(): can't interpret mapping as {node.tag}")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and (
                (key_node.tag == _PLAIN and key_node.value == "<<")
                or key_node.tag == _TAG + "merge"
            ):
                merged = self.value(value_node)
                # Terraform's go-cty-yaml (v1.1) merges one mapping, not a list of them.
                if not isinstance(merged, dict):
                    raise EvaluationError("yamldecode(): can only merge a mapping")
                result.update(merged)
                continue
            if not isinstance(key_node, ScalarNode):
                raise EvaluationError("yamldecode(): only strings are allowed as mapping keys")
            key = self.scalar(key_node)
            if key is None:
                raise EvaluationError("yamldecode(): mapping key cannot be null")
            if isinstance(key, bool):
                key = "true" if key else "false"
            elif isinstance(key, int | float):
                negative_zero = key == 0 and key_node.value.startswith("-")
                key = "-0" if negative_zero else format_number(key)
            result[key] = self.value(value_node)
        return result

    def scalar(self, node: ScalarNode) -> Any:
        if node.tag == _PLAIN and node.start_mark is not None:
            written = self.text[node.start_mark.index : node.end_mark.index]
            if _ANCHOR.sub("", written).startswith("!"):
                # libyaml reads the non-specific tag "!" as no tag; go-cty-yaml refuses it.
                raise EvaluationError("yamldecode(): unsupported tag '!'")
        return _scalar(node)


def _scalar(node: ScalarNode) -> Any:
    tag, text, plain = node.tag, node.value, node.style is None
    if tag == _PLAIN:
        return _plain(text)
    if tag not in _RESOLVED_TAGS:
        raise EvaluationError(f"yamldecode(): unsupported tag {tag.replace(_TAG, '!!')!r}")
    name = tag.removeprefix(_TAG)
    if name == "binary":
        _check_base64(text)
        return text
    if name == "str" or not plain:
        return text
    if name == "null":
        return None
    if name == "bool":
        if text not in _BOOLEANS:
            raise EvaluationError(f"yamldecode(): cannot parse {text!r} as !!bool")
        return _BOOLEANS[text]
    if name == "timestamp":
        stamp = _timestamp(text)
        if stamp is None:
            raise EvaluationError(f"yamldecode(): cannot parse {text!r} as !!timestamp")
        return stamp
    return _number(text.replace("_", ""), name)


def _plain(text: str) -> Any:
    if text in _NULLS:
        return None
    if text in _BOOLEANS:
        return _BOOLEANS[text]
    if text in _INFINITIES or text in (".nan", ".NaN", ".NAN"):
        raise EvaluationError(f"yamldecode(): {text} is not a number Terraform can hold")
    if text[:1] == "." or text[:1].isdigit() or text[:1] in "+-":
        if text[:1] != ".":
            stamp = _timestamp(text)
            if stamp is not None:
                return stamp
            if _INTEGER.fullmatch(text):
                return _number(text, "int")
        if _FLOAT.fullmatch(text):
            return _number(text, "float")
    return text


def _number(text: str, name: str) -> int | float:
    if _FLOAT.fullmatch(text):
        # cty numbers are exact decimals: 6.02e23 is that integer, not the nearest double.
        exact = Decimal(text)
        if abs(exact.adjusted()) > _MAX_EXPONENT:
            raise EvaluationError(f"yamldecode(): {text} is too large a number to evaluate")
        if exact == exact.to_integral_value():
            return int(exact)
        return float(exact)
    # Go's strconv.ParseInt(text, 0, 64) then ParseUint: 0x, 0o, 0b and leading-0 octal.
    match = re.fullmatch(r"([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]+)", text)
    if match:
        digits = match.group(2)
        base = {"x": 16, "o": 8, "b": 2}.get(digits[1:2].lower(), 8)
        value = int(digits[2:] if base != 8 or digits[1:2] in "oO" else digits[1:], base)
        value = -value if match.group(1) == "-" else value
        if -(2**63) <= value < 2**64 and not (match.group(1) == "-" and value < -(2**63)):
            return value
    raise EvaluationError(f"yamldecode(): cannot parse {text!r} as !!{name}")


def _timestamp(text: str) -> str | None:
    """go-cty-yaml's timestamp forms, written back as Go's time.RFC3339 (no fraction)."""
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return None
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    separator, zone = match.group(4), match.group(8)
    if separator is None:
        hour = minute = second = 0
    else:
        if (separator == " ") == (zone is not None):
            return None  # "T" needs a zone and a space takes none, as Go's layouts say
        hour, minute, second = int(match.group(5)), int(match.group(6)), int(match.group(7))
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    if hour > 23 or minute > 59 or second > 59:
        return None
    offset = "Z" if zone in (None, "Z", "+00:00") else zone
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{offset}"


def _check_base64(text: str) -> None:
    import base64
    import binascii

    try:
        base64.b64decode(re.sub("[\r\n]", "", text), validate=True)  # as Go's decoder
    except (binascii.Error, ValueError):
        raise EvaluationError(f"yamldecode(): {text!r} is not valid base64 (!!binary)") from None


def yamlencode(value: Any) -> str:
    """go-cty-yaml's Marshal: libyaml's emitter, strings double-quoted (literal when they
    hold a new line), numbers in full, block style."""
    events: list[yaml.Event] = [
        yaml.StreamStartEvent(encoding="utf-8"),
        yaml.DocumentStartEvent(explicit=False),
    ]
    _emit(value, events)
    events += [yaml.DocumentEndEvent(explicit=False), yaml.StreamEndEvent()]
    dumper = yaml.CDumper if hasattr(yaml, "CDumper") else yaml.Dumper
    # The libyaml go-cty-yaml ports ends a document with "..." only when its root is a plain
    # scalar; today's libyaml does so only after a literal that keeps its final new lines.
    text = str(yaml.emit(events, Dumper=dumper, allow_unicode=True)).removesuffix("...\n")
    return text + "...\n" if value is None or isinstance(value, bool | int | float) else text


def _emit(value: Any, events: list[yaml.Event]) -> None:
    if value is None:
        events.append(yaml.ScalarEvent(None, None, (True, True), "null", style=None))
    elif isinstance(value, bool):
        events.append(
            yaml.ScalarEvent(None, None, (True, True), "true" if value else "false", style=None)
        )
    elif isinstance(value, int | float):
        events.append(yaml.ScalarEvent(None, None, (True, True), _full_number(value)))
    elif isinstance(value, str):
        style = "|" if "\n" in value else '"'
        events.append(yaml.ScalarEvent(None, None, (True, True), value, style=style))
    elif isinstance(value, dict):
        events.append(yaml.MappingStartEvent(None, None, True, flow_style=False))
        for key in sorted(value):
            _emit(key, events)
            _emit(value[key], events)
        events.append(yaml.MappingEndEvent())
    elif isinstance(value, list | tuple):
        events.append(yaml.SequenceStartEvent(None, None, True, flow_style=False))
        for item in value:
            _emit(item, events)
        events.append(yaml.SequenceEndEvent())
    else:
        raise EvaluationError(f"yamlencode() cannot write a {type(value).__name__}")


def _full_number(value: int | float) -> str:
    """big.Float.Text('f', -1): every digit, never an exponent."""
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def csvdecode(text: str) -> list[dict[str, str]]:
    """Go's encoding/csv with Terraform's settings: a header row, every row as long as it,
    RFC 4180 quotes (no bare quote in an unquoted field), blank lines skipped."""
    records = _csv_records(text)
    if not records:
        raise EvaluationError("csvdecode(): missing header line")
    header = records[0]
    if len(set(header)) != len(header):
        raise EvaluationError("csvdecode(): the header line names a column twice")
    rows: list[dict[str, str]] = []
    for number, record in enumerate(records[1:], start=2):
        if len(record) != len(header):
            raise EvaluationError(f"csvdecode(): record {number} has the wrong number of fields")
        rows.append(dict(zip(header, record, strict=True)))
    return rows


def _csv_records(text: str) -> list[list[str]]:
    records: list[list[str]] = []
    position, line, size = 0, 1, len(text)
    while position < size:
        if text[position] in "\r\n" and (
            text[position] == "\n" or text[position : position + 2] == "\r\n"
        ):
            position += 2 if text[position] == "\r" else 1  # a blank line
            line += 1
            continue
        record: list[str] = []
        while True:
            if position < size and text[position] == '"':
                field, position, line = _quoted_field(text, position + 1, line)
            else:
                end = position
                while end < size and text[end] not in ",\n" and text[end : end + 2] != "\r\n":
                    if text[end] == '"':
                        raise EvaluationError(f'csvdecode(): line {line}: bare " in a field')
                    end += 1
                field, position = text[position:end], end
            record.append(field)
            if position < size and text[position] == ",":
                position += 1
                continue
            if text[position : position + 2] == "\r\n":
                position += 2
            elif position < size:
                position += 1
            line += 1
            break
        records.append(record)
    return records


def _quoted_field(text: str, position: int, line: int) -> tuple[str, int, int]:
    pieces: list[str] = []
    size = len(text)
    while True:
        end = text.find('"', position)
        if end < 0:
            raise EvaluationError(f'csvdecode(): line {line}: extraneous or missing " in field')
        pieces.append(text[position:end])
        line += text.count("\n", position, end)
        if text[end + 1 : end + 2] == '"':
            pieces.append('"')
            position = end + 2
            continue
        after = end + 1
        if (
            after < size
            and text[after] != ","
            and text[after] != "\n"
            and text[after : after + 2] != "\r\n"
        ):
            raise EvaluationError(f'csvdecode(): line {line}: extraneous or missing " in field')
        return "".join(pieces).replace("\r\n", "\n"), after, line
