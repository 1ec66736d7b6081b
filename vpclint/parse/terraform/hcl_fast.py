"""The fast path of native HCL: python-hcl2's syntax tree, several times faster, or None.

python-hcl2's Lark parser reads about 100 KB of HCL a second, and parsing is most of a cold run.
This module tokenises the common subset of HCL and parses it by recursive descent into exactly
the tree python-hcl2's path (:mod:`hcl_lark`) gives, positions, end lines and python-hcl2's
quirks included. Both build their nodes through :mod:`hcl_tree`; this module never imports
python-hcl2 or Lark. Tests compare both paths on every file they have, and both with Terraform's
own parser.

**What it takes.** Attributes and blocks (labels as names or quoted strings without
interpolations, the ``{`` on the header's line or the next); ``#``, ``//`` and ``/* */``
comments; new lines inside parentheses, brackets, interpolations and a ``for`` expression's
braces, which Terraform ignores. Numbers, ``true``/``false``/``null``, names, ``.attr``,
``.0``, ``[key]``, ``.*`` and ``[*]`` splats, calls (a trailing comma, ``...`` expansion),
parentheses, unary ``-`` and ``!``, the binary operators by precedence, conditionals, tuples,
objects (``=`` or ``:``, items on new lines or after commas), ``for`` expressions of both kinds
(``if``, grouping ``...``). Quoted strings with escapes and ``${...}`` interpolations, nested;
heredocs (``<<EOT``, ``<<-EOT``), plain or with interpolations, read as python-hcl2 reads them:
re-quoted as a one-line string, their inner quotes escaped (:func:`hcl_tree.as_quoted_attribute`).

**Why it steps aside** (returns None, and the caller asks python-hcl2, whose answer or error
message is then the one reported):

- the text mentions vpclint: suppression comments are collected from python-hcl2's tokens;
- a template directive (``%{ if }``, ``%{ for }``), an escaped template (``$${``, ``%%{``) or a
  strip marker (``~``), in a string or a heredoc: python-hcl2 assembles those;
- a provider function (``provider::aws::arn_parse``), a keyword (``for``, ``in``, ``if``, ...)
  where a name would be, ``--a`` or ``!!a``, and a ``-`` right before a number where
  python-hcl2's lexer reads a negative literal (``a -10``, ``-10[0]``): python-hcl2's grammar
  has quirks there this parser does not copy;
- nesting deeper than a quarter of ``max-depth``: python-hcl2's path words the depth error;
- anything that is not valid HCL (a character outside its tokens, a missing separator,
  something after an attribute's value on its line, an unterminated string, heredoc or
  bracket) and an argument set twice: python-hcl2's path words every error, at its line.
"""

from __future__ import annotations

import re
from typing import Any

from vpclint.parse.terraform import hcl_tree
from vpclint.parse.terraform import syntax as s
from vpclint.parse.terraform.hcl_tree import SyntaxProblem, unescape
from vpclint.parse.terraform.scanner import HEREDOC, HEREDOC_TRIM

# (kind, value, line, column, end_line)
Token = tuple[str, Any, int, int, int]

_TOKEN = re.compile(
    # A /* */ comment is white space to Terraform, even over several lines.
    r"(?P<ws>[ \t\r]+|/\*[\s\S]*?\*/)"
    r"|(?P<nl>\n[ \t]*|\#[^\n]*\n|//[^\n]*\n)"
    r"|(?P<float>\d+(?:\.\d+(?:[eE][+-]?\d+)?|[eE][+-]?\d+))"
    r"|(?P<int>\d+)"
    r"|(?P<name>[a-zA-Z_][a-zA-Z0-9_-]*)"
    r"|(?P<heredoc><<)"
    r"|(?P<op>==|!=|<=|>=|&&|\|\||=>|\.\.\.|::|\.\*|\[\*\]|[-+*/%<>!?:=.,(){}\[\]])"
    r"|(?P<quote>\")"
)
_INT = re.compile(r"\d+")
# A string in a heredoc's interpolation, as python-hcl2's TEMPLATE_STRING reads it: the heredoc
# is re-quoted (hcl_tree.as_quoted_attribute), so its quotes arrive escaped.
_ESCAPED_QUOTE_STRING = re.compile(r'\\"(?:[^"\\]|\\\\.)*\\"')
# "{" opening a for expression: "for" is its first word, after any spaces, new lines, comments.
_FOR_AHEAD = re.compile(r"(?:[ \t\r\n]|\#[^\n]*\n|//[^\n]*\n|/\*[\s\S]*?\*/)*for(?![\w-])")
# A run of plain characters in a quoted string (python-hcl2's STRING_CHARS without the
# escaped-template forms, which are left to python-hcl2).
_STRING_CHUNK = re.compile(r"(?:[^\"\\$%]|\\.|\$(?!\$?\{)|%(?!%?\{))+")

_POSTFIX_STARTS = frozenset({("op", "."), ("op", "["), ("op", ".*"), ("op", "[*]")})
_KEYWORDS = frozenset({"for", "in", "if", "else", "endif", "endfor", "for_each"})
_LITERALS = {"true": True, "false": False, "null": None}
_LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"||"}),
    frozenset({"&&"}),
    frozenset({"==", "!="}),
    frozenset({"<", ">", "<=", ">="}),
    frozenset({"+", "-"}),
    frozenset({"*", "/", "%"}),
)


class _Bail(Exception):
    """Not certain to match python-hcl2: let it parse the text."""


def parse_fast(text: str, max_depth: int, line_offset: int = 0) -> s.Body | None:
    """The Body python-hcl2 and the converter would give for ``text``, or None."""
    if "vpclint" in text.lower():
        return None  # suppression comments are collected from python-hcl2's tokens
    try:
        tokens = _Lexer(text + "\n", line_offset).tokens()
        parser = _Parser(tokens, max(max_depth // 4, 1), max_depth)
        body = parser.body(top=True)
    except (_Bail, SyntaxProblem, RecursionError, ValueError, IndexError):
        return None
    return body


class _Lexer:
    def __init__(self, text: str, line_offset: int, requoted: bool = False) -> None:
        self.text = text
        self.position = 0
        self.line = 1 + line_offset
        self.line_start = 0
        self.requoted = requoted  # a heredoc's re-quoted text: \"...\" is a string

    def tokens(self) -> list[Token]:
        found = self._expression_tokens(in_template=False)
        found.append(("eof", None, self.line, self._column(self.position), self.line))
        return found

    def _column(self, position: int) -> int:
        return position - self.line_start + 1

    def _advance(self, end: int) -> None:
        """Move to ``end``, counting the new lines on the way."""
        newlines = self.text.count("\n", self.position, end)
        if newlines:
            self.line += newlines
            self.line_start = self.text.rfind("\n", self.position, end) + 1
        self.position = end

    def _expression_tokens(self, in_template: bool) -> list[Token]:
        text = self.text
        found: list[Token] = []
        braces = 0
        after_dot = False
        # Whether new lines are ignored at each open bracket, as in Terraform (and python-hcl2
        # with vpclint's post-lexer): inside (), [], an interpolation and a for expression's {}.
        ignoring = [in_template]
        while self.position < len(text):
            position = self.position
            if after_dot and text[position].isdigit():
                match = _INT.match(text, position)
                assert match is not None
                kind = "int"
            else:
                match = _TOKEN.match(text, position)
                if match is None:
                    escaped = _ESCAPED_QUOTE_STRING.match(text, position) if self.requoted else None
                    if escaped is None:
                        raise _Bail
                    line, column = self.line, self._column(position)
                    self._advance(escaped.end())
                    found.append(("str", [escaped.group(0)[2:-2]], line, column, self.line))
                    after_dot = False
                    continue
                kind = match.lastgroup or ""
            line, column = self.line, self._column(position)
            value = match.group(0)
            after_dot = False
            if kind == "ws":
                self._advance(match.end())
                continue
            if kind == "quote":
                self._advance(match.end())
                parts = self._string_parts()
                found.append(("str", parts, line, column, self.line))
                continue
            if kind == "heredoc":
                heredoc = HEREDOC_TRIM.match(text, position) or HEREDOC.match(text, position)
                if heredoc is None:
                    raise _Bail
                self._advance(heredoc.end())
                found.append(("heredoc", heredoc.group(0), line, column, self.line - 1))
                continue
            self._advance(match.end())
            if kind == "nl":
                if not ignoring[-1]:
                    found.append((kind, value, line, column, line))
                continue
            if kind == "op":
                if value == "{":
                    braces += 1
                    ignoring.append(_FOR_AHEAD.match(text, self.position) is not None)
                elif value == "}":
                    if in_template and braces == 0:
                        return found
                    braces -= 1
                    if len(ignoring) > 1:
                        ignoring.pop()
                elif value in ("(", "["):
                    ignoring.append(True)
                elif value in (")", "]") and len(ignoring) > 1:
                    ignoring.pop()
                after_dot = value == "."
            found.append((kind, value, line, column, self.line))
        if in_template:
            raise _Bail
        return found

    def _string_parts(self) -> list[Any]:
        """The parts of a quoted string after its opening quote: text pieces (raw, escapes
        still in) and ("interpolation", tokens) entries; the closing quote is consumed."""
        text = self.text
        parts: list[Any] = []
        while True:
            chunk = _STRING_CHUNK.match(text, self.position)
            if chunk is not None:
                parts.append(chunk.group(0))
                self._advance(chunk.end())
            position = self.position
            if position >= len(text):
                raise _Bail
            if text[position] == '"':
                self._advance(position + 1)
                return parts
            if text.startswith("${", position):
                self._advance(position + 2)
                inner = self._expression_tokens(in_template=True)  # up to its closing brace
                line, column = self.line, self._column(self.position)
                inner.append(("eof", None, line, column, line))
                parts.append(("interpolation", inner))
                continue
            raise _Bail  # a directive, an escaped template, a strip marker, a bad escape


class _Parser:
    def __init__(self, tokens: list[Token], depth_limit: int, max_depth: int) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.depth_limit = depth_limit
        self.max_depth = max_depth
        self.last_end = 0  # end line of the last token consumed

    # -- tokens ------------------------------------------------------------------------------

    def peek(self, offset: int = 0) -> Token:
        return self.tokens[self.index + offset]

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        if token[0] != "nl":
            self.last_end = token[4]
        return token

    def is_op(self, value: str, offset: int = 0) -> bool:
        token = self.tokens[self.index + offset]
        return token[0] == "op" and token[1] == value

    def expect_op(self, value: str) -> Token:
        if not self.is_op(value):
            raise _Bail
        return self.take()

    def skip_newlines(self) -> None:
        while self.tokens[self.index][0] == "nl":
            self.index += 1

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > self.depth_limit:
            raise _Bail

    # -- structure ---------------------------------------------------------------------------

    def body(self, top: bool = False) -> s.Body:
        builder = hcl_tree.BodyBuilder()
        while True:
            self.skip_newlines()
            token = self.peek()
            if token[0] == "eof":
                if not top:
                    raise _Bail
                break
            if token[0] == "op" and token[1] == "}":
                if top:
                    raise _Bail
                break
            if token[0] != "name":
                raise _Bail
            if self.is_op("=", 1):
                self.take()
                self.take()
                value = self.expression()
                builder.add_attribute(
                    hcl_tree.attribute(token[1], value, token[2], token[3], self.last_end)
                )
            else:
                builder.add_block(self.block())
            following = self.peek()
            ended_by_heredoc = self.tokens[self.index - 1][0] == "heredoc"  # ate its new line
            if (
                following[0] not in ("nl", "eof")
                and following[:2] != ("op", "}")
                and not ended_by_heredoc
            ):
                raise _Bail
        return builder.body()

    def block(self) -> s.Block:
        self._enter()
        head = self.take()
        labels: list[str] = []
        while True:
            token = self.peek()
            if token[0] == "name":
                labels.append(token[1])
            elif token[0] == "str":
                labels.append(self._plain_string(token))
            else:
                break
            self.take()
        self.skip_newlines()
        self.expect_op("{")
        inner = self.body()
        close = self.expect_op("}")
        self.depth -= 1
        return hcl_tree.block(head[1], tuple(labels), inner, head[2], head[3], close[2])

    @staticmethod
    def _plain_string(token: Token) -> str:
        if any(not isinstance(part, str) for part in token[1]):
            raise _Bail
        return "".join(unescape(part) for part in token[1])

    # -- expressions -------------------------------------------------------------------------

    def expression(self) -> s.Expression:
        self._enter()
        start = self.peek()
        condition = self.binary(0)
        if self._continues_with("?"):
            self.take()
            self.skip_newlines()
            then_value = self.expression()
            self.skip_newlines()
            self.expect_op(":")
            self.skip_newlines()
            else_value = self.expression()
            result: s.Expression = s.Conditional(
                start[2], start[3], condition, then_value, else_value
            )
        else:
            result = condition
        self.depth -= 1
        return result

    def _continues_with(self, operator: str | frozenset[str]) -> bool:
        """Whether the next token is ``operator``: a new line ends the expression, as in
        Terraform (inside brackets, where Terraform ignores new lines, the lexer dropped them)."""
        token = self.peek()
        if token[0] != "op":
            return False
        return token[1] == operator if isinstance(operator, str) else token[1] in operator

    def binary(self, level: int) -> s.Expression:
        if level == len(_LEVELS):
            return self.unary()
        start = self.peek()
        left = self.binary(level + 1)
        operators = _LEVELS[level]
        while self._continues_with(operators):
            token = self.take()
            operator = token[1]
            following = self.peek()
            if (
                operator == "-"
                and following[0] in ("int", "float")
                and following[2:4]
                == (
                    token[2],
                    token[3] + 1,
                )
            ):
                raise _Bail  # python-hcl2 may read ``-10`` as a literal here (``a -10`` fails)
            self.skip_newlines()
            right = self.binary(level + 1)
            left = s.BinaryOp(start[2], start[3], operator, left, right)
        return left

    def unary(self) -> s.Expression:
        token = self.peek()
        if token[0] == "op" and token[1] in ("-", "!"):
            self.take()
            following = self.peek()
            if following[0] == "op" and following[1] in ("-", "!"):
                raise _Bail
            after = self.peek(1)
            if following[0] in ("int", "float") and after[:2] in _POSTFIX_STARTS:
                raise _Bail  # python-hcl2 reads ``-10`` as one literal, then ``[0]`` applies
            return hcl_tree.unary(token[1], self.postfix(), token[2], token[3])
        return self.postfix()

    def postfix(self) -> s.Expression:
        start = self.peek()
        node = self.primary()
        line, column = start[2], start[3]
        while True:
            token = self.peek()
            if token[0] != "op":
                return node
            if token[1] == ".":
                dot = self.take()
                step = self.take()
                if step[0] == "name":
                    node = s.GetAttr(line, column, node, step[1])
                elif step[0] == "int":
                    node = s.Index(line, column, node, self._legacy_index(dot, step))
                else:
                    raise _Bail
            elif token[1] == "[":
                node = s.Index(line, column, node, self._bracket_key())
            elif token[1] == ".*":
                self.take()
                node = hcl_tree.attribute_splat(node, self._splat_steps(), line, column)
            elif token[1] == "[*]":
                self.take()
                node = hcl_tree.full_splat(node, self._splat_steps(), line, column)
            else:
                return node

    @staticmethod
    def _legacy_index(dot: Token, digits: Token) -> s.Expression:
        """``.0``: an index whose key sits at the dot."""
        return hcl_tree.whole_number(digits[1], dot[2], dot[3])

    def _bracket_key(self) -> s.Expression:
        self.take()  # [
        self.skip_newlines()
        key = self.expression()
        self.skip_newlines()
        self.expect_op("]")
        return key

    def _splat_steps(self) -> list[hcl_tree.SplatStep]:
        steps: list[hcl_tree.SplatStep] = []
        while True:
            if self.is_op(".") and self.peek(1)[0] in ("name", "int"):
                dot = self.take()
                step = self.take()
                if step[0] == "name":
                    steps.append(s.SplatAttr(step[1]))
                else:
                    steps.append(s.SplatIndex(self._legacy_index(dot, step)))
            elif self.is_op("["):
                steps.append(s.SplatIndex(self._bracket_key()))
            else:
                return steps

    def primary(self) -> s.Expression:
        token = self.take()
        kind, value, line, column = token[0], token[1], token[2], token[3]
        if kind == "int":
            return hcl_tree.whole_number(value, line, column)
        if kind == "float":
            return hcl_tree.decimal_number(value, line, column)
        if kind == "str":
            return self._template(value, line, column)
        if kind == "heredoc":
            return self._heredoc(value, line, column)
        if kind == "name":
            if value in _LITERALS:
                return s.Literal(line, column, _LITERALS[value])
            if value in _KEYWORDS:
                raise _Bail
            if self.is_op("("):
                return self._call(value, line, column)
            if self.is_op("::"):
                raise _Bail
            return s.Name(line, column, value)
        if kind == "op":
            if value == "(":
                self.skip_newlines()
                inner = self.expression()
                self.skip_newlines()
                self.expect_op(")")
                return inner
            if value == "[":
                return self._tuple(line, column)
            if value == "{":
                return self._object(line, column)
        raise _Bail

    def _template(self, parts: list[Any], line: int, column: int) -> s.Expression:
        collected: list[s.TemplatePart] = []
        for part in parts:
            if isinstance(part, str):
                collected.append(unescape(part))
                continue
            inner = _Parser(part[1], self.depth_limit - self.depth, self.max_depth)
            expression = inner.expression()
            if inner.peek()[0] != "eof":
                raise _Bail
            collected.append(expression)
        return hcl_tree.template(collected, line, column)

    def _heredoc(self, text: str, line: int, column: int) -> s.Expression:
        """A heredoc's body is read as python-hcl2's path reads it: as the string of a quoted
        one-line attribute, lexed at the heredoc's line."""
        body = hcl_tree.heredoc_body(text)
        if body is None:
            raise _Bail
        if not hcl_tree.has_template_syntax(body):
            return s.Literal(line, column, body)
        tokens = _Lexer(hcl_tree.as_quoted_attribute(body) + "\n", line, requoted=True).tokens()
        if [token[0] for token in tokens] != ["name", "op", "str", "nl", "eof"]:
            raise _Bail
        return self._template(tokens[2][1], line, column)

    def _call(self, name: str, line: int, column: int) -> s.Expression:
        self.take()  # (
        self.skip_newlines()
        arguments: list[s.Expression] = []
        expand = False
        if not self.is_op(")"):
            arguments.append(self.expression())
            while True:
                if self.is_op("..."):  # right after the last argument, as python-hcl2 wants
                    self.take()
                    expand = True
                    self.skip_newlines()
                    break
                self.skip_newlines()
                if self.is_op(","):
                    self.take()
                    self.skip_newlines()
                    if self.is_op(")"):
                        break
                    arguments.append(self.expression())
                    continue
                break
        self.expect_op(")")
        return s.Call(line, column, name, tuple(arguments), expand)

    def _tuple(self, line: int, column: int) -> s.Expression:
        self.skip_newlines()
        if self.peek()[:2] == ("name", "for"):
            return self._for(line, column, closing="]")
        items: list[s.Expression] = []
        while not self.is_op("]"):
            items.append(self.expression())
            self.skip_newlines()
            if self.is_op(","):
                self.take()
                self.skip_newlines()
            elif not self.is_op("]"):
                raise _Bail
        self.take()
        return s.TupleExpr(line, column, tuple(items))

    def _object(self, line: int, column: int) -> s.Expression:
        self.skip_newlines()
        if self.peek()[:2] == ("name", "for"):
            return self._for(line, column, closing="}")
        items: list[tuple[s.Expression, s.Expression]] = []
        while not self.is_op("}"):
            key = self._object_key()
            if not (self.is_op("=") or self.is_op(":")):
                raise _Bail
            self.take()
            value = self.expression()
            items.append((key, value))
            separated = False
            if self.peek()[0] == "nl":
                separated = True
                self.skip_newlines()
            if self.is_op(","):
                self.take()
                separated = True
                self.skip_newlines()
            if not separated and not self.is_op("}"):
                raise _Bail
        self.take()
        return s.ObjectExpr(line, column, tuple(items))

    def _object_key(self) -> s.Expression:
        token = self.peek()
        if token[0] == "name":
            following = self.peek(1)
            bare = following[0] == "op" and following[1] in ("=", ":")
            if bare and token[1] not in _LITERALS:
                self.take()
                return s.Literal(token[2], token[3], token[1])
            if token[1] in _KEYWORDS:
                raise _Bail
        return self.expression()

    def _for(self, line: int, column: int, closing: str) -> s.Expression:
        self.take()  # for
        self.skip_newlines()
        names = [self._name()]
        if self.is_op(","):
            self.take()
            names.append(self._name())
            self.skip_newlines()
        self.skip_newlines()
        if self.peek()[:2] != ("name", "in"):
            raise _Bail
        self.take()
        self.skip_newlines()
        collection = self.expression()
        self.skip_newlines()
        self.expect_op(":")
        self.skip_newlines()
        key: s.Expression | None = None
        grouping = False
        first = self.expression()
        if closing == "}":
            if not self.is_op("=>"):
                raise _Bail
            self.take()
            self.skip_newlines()
            key, value = first, self.expression()
            self.skip_newlines()
            if self.is_op("..."):
                self.take()
                grouping = True
        else:
            value = first
        self.skip_newlines()
        condition: s.Expression | None = None
        if self.peek()[:2] == ("name", "if"):
            self.take()
            self.skip_newlines()
            condition = self.expression()
        self.skip_newlines()
        self.expect_op(closing)
        key_name, value_name = hcl_tree.for_names(names)
        return s.ForExpr(
            line, column, key_name, value_name, collection, value, key, condition, grouping
        )

    def _name(self) -> str:
        token = self.take()
        if token[0] != "name" or token[1] in _KEYWORDS or token[1] in _LITERALS:
            raise _Bail
        return str(token[1])
