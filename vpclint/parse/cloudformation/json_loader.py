"""A JSON reader that marks every node with its line and column and never recurses.

The standard library's decoder keeps no positions and recurses once per nesting level; this one
walks the text with an explicit stack, so depth is checked as it reads.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from vpclint.parse.cloudformation.errors import LoadError
from vpclint.parse.cloudformation.nodes import (
    Mark,
    MarkedDict,
    MarkedList,
    marked_dict,
    marked_list,
    marked_str,
)

_TOKEN = re.compile(
    r"""[ \t\n\r]*(?:
      (?P<open>[{\[])
    | (?P<string>"(?P<plain>[^"\\\x00-\x1f]*)")
    | (?P<escaped>")
    | (?P<number>-?(?:0|[1-9][0-9]*)(?P<fraction>\.[0-9]+)?(?P<exponent>[eE][-+]?[0-9]+)?)
    | (?P<literal>true|false|null|NaN|Infinity|-Infinity)
    )""",
    re.VERBOSE,
)
_PUNCTUATION = re.compile(r"[ \t\n\r]*(.?)")
_LITERALS: dict[str, Any] = {
    "true": True,
    "false": False,
    "null": None,
    "NaN": float("nan"),
    "Infinity": float("inf"),
    "-Infinity": float("-inf"),
}


class _Positions:
    def __init__(self, text: str) -> None:
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def mark(self, index: int) -> Mark:
        line = bisect.bisect_right(self.line_starts, index)
        return (line, index - self.line_starts[line - 1] + 1)


def load_json(text: str, max_depth: int) -> Any:
    """Decode one JSON document; raises :class:`LoadError` with the failing line."""
    positions = _Positions(text)

    def fail(message: str, index: int) -> LoadError:
        return LoadError(f"invalid JSON: {message}", *positions.mark(index))

    def read_string(index: int) -> tuple[str, int]:
        """The string whose opening quote is at ``index`` and the index after it."""
        try:
            value, end = json.decoder.scanstring(text, index + 1, True)  # type: ignore[attr-defined]
        except json.JSONDecodeError as error:
            raise fail(error.msg.lower(), error.pos) from None
        return value, end

    def punctuation(index: int) -> tuple[str, int, int]:
        match = _PUNCTUATION.match(text, index)
        assert match is not None
        return match.group(1), match.start(1), match.end(1)

    def read_key(index: int) -> tuple[Any, int]:
        char, start, end = punctuation(index)
        if char != '"':
            raise fail("expected a quoted property name", start)
        key, end = read_string(start)
        char, colon, end = punctuation(end)
        if char != ":":
            raise fail("expected ':' after a property name", colon)
        return marked_str(key, positions.mark(start)), end

    stack: list[tuple[MarkedDict | MarkedList, Any]] = []  # container, key awaiting its value
    index = 0
    while True:
        match = _TOKEN.match(text, index)
        if match is None:
            _, start, _ = punctuation(index)
            raise fail("expected a value", start)
        index = match.end()
        kind = match.lastgroup
        value: Any
        if match.group("open") is not None:
            start = match.start("open")
            if len(stack) >= max_depth:
                raise LoadError(
                    f"the document is nested deeper than {max_depth} levels "
                    "(raise `max-depth` in the config to read it)",
                    *positions.mark(start),
                    problem="limit",
                )
            char, _, end = punctuation(index)
            if match.group("open") == "{":
                container: MarkedDict | MarkedList = marked_dict(positions.mark(start))
                if char == "}":
                    value, index = container, end
                else:
                    key, index = read_key(index)
                    stack.append((container, key))
                    continue
            else:
                container = marked_list(positions.mark(start))
                if char == "]":
                    value, index = container, end
                else:
                    stack.append((container, None))
                    continue
        elif match.group("string") is not None:
            value = marked_str(match.group("plain"), positions.mark(match.start("string")))
        elif kind == "escaped" or match.group("escaped") is not None:
            start = match.start("escaped")
            decoded, index = read_string(start)
            value = marked_str(decoded, positions.mark(start))
        elif match.group("number") is not None:
            number = match.group("number")
            try:
                if match.group("fraction") or match.group("exponent"):
                    value = float(number)
                else:
                    value = int(number)
            except ValueError as error:
                raise fail(
                    f"number {number[:20]}... cannot be read: {error}", match.start()
                ) from None
        else:
            value = _LITERALS[match.group("literal")]

        # A value is complete: hand it to its container, closing containers as they end.
        while True:
            if not stack:
                char, start, _ = punctuation(index)
                if char:
                    raise fail("extra data after the document", start)
                return value
            container, key = stack[-1]
            if isinstance(container, MarkedDict):
                if key in container:
                    raise LoadError(f"duplicate key {key!r} in an object", *key.mark)
                container[key] = value
                char, start, index = punctuation(index)
                if char == ",":
                    next_key, index = read_key(index)
                    stack[-1] = (container, next_key)
                    break
                if char != "}":
                    raise fail("expected ',' or '}' after an object member", start)
            else:
                container.append(value)
                char, start, index = punctuation(index)
                if char == ",":
                    break
                if char != "]":
                    raise fail("expected ',' or ']' after an array element", start)
            stack.pop()
            value = container
