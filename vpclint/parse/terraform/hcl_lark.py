"""Native HCL (``.tf``, ``.tfvars``) to the syntax tree, through python-hcl2's Lark parse tree.

python-hcl2's dictionary output turns every expression back into an opaque string and drops line
numbers; its Lark tree keeps both, so this module walks that tree, building its nodes through
:mod:`hcl_tree` as the fast path (:mod:`hcl_fast`) does. It parses whatever the fast path does not
take, and words every syntax error. The grammar's quirks are handled here: ``.*`` splats only take
attribute steps, template directives arrive as flat markers to assemble, and heredoc bodies arrive
as one token whose interpolations are parsed in a second pass.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Iterator
from typing import Any

import lark
from hcl2.parser import parser as python_hcl2_parser
from lark import Token, Tree
from lark.parser_frontends import PostLexConnector

from vpclint.parse.terraform import hcl_tree
from vpclint.parse.terraform import syntax as s
from vpclint.parse.terraform.hcl_tree import SyntaxProblem, unescape

LTree = Tree[Any]
Child = LTree | Token

_OPERATORS = ("==", "!=", "<=", ">=", "&&", "||", "<", ">", "+", "-", "*", "/", "%")

_TOKEN_WORDS = {
    "$END": "end of file",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LSQB": "'['",
    "RSQB": "']'",
    "LPAR": "'('",
    "RPAR": "')'",
    "EQ": "'='",
    "COLON": "':'",
    "COMMA": "','",
    "DOT": "'.'",
    "QMARK": "'?'",
    "DBLQUOTE": "a quote",
    "NAME": "a name",
    "NL_OR_COMMENT": "a new line",
    "INTERP_START": "'${'",
    "DIRECTIVE_START": "'%{'",
    "FOR_OBJECT_ARROW": "'=>'",
}
_VALUE_STARTS = {
    "FLOAT_LITERAL",
    "INT_LITERAL",
    "HEREDOC_TEMPLATE",
    "HEREDOC_TEMPLATE_TRIM",
    "TEMPLATE_STRING",
    "NOT",
    "MINUS",
    "NULL",
    "TRUE",
    "FALSE",
}


def describe_parse_failure(error: Exception) -> SyntaxProblem:
    """Lark's exception as one sentence a user can act on, at the failing line."""
    line = max(int(getattr(error, "line", 1) or 1), 1)
    column = max(int(getattr(error, "column", 1) or 1), 1)
    if isinstance(error, lark.exceptions.UnexpectedToken):
        token = error.token
        if token.type == "$END":
            found = "unexpected end of file"
        else:
            text = str(token.value).strip().splitlines()[0] if str(token.value).strip() else ""
            if text.startswith(("<<<<<<<", "=======", ">>>>>>>")):
                found = f"merge-conflict marker {text[:20]!r}"
            elif token.type == "STRING_CHARS":
                found = f"unexpected text {text[:40]!r}"
            else:
                found = f"unexpected {_TOKEN_WORDS.get(token.type, token.type.lower())}"
                if text:
                    found += f" {text[:40]!r}"
        names = set(error.expected)
        if names & _VALUE_STARTS:
            # Everything that can start a value is summarised as one word.
            names -= _VALUE_STARTS | {"LPAR", "LSQB", "LBRACE", "NAME", "DBLQUOTE"}
            names.add("an expression")
        expected = sorted(
            name if name == "an expression" else _TOKEN_WORDS.get(name, name.lower())
            for name in names
        )
        message = found
        if expected and len(expected) <= 8:
            message += f" (expected {', '.join(expected)})"
        return SyntaxProblem(message, line, column)
    if isinstance(error, lark.exceptions.UnexpectedCharacters):
        return SyntaxProblem(f"unexpected character {error.char!r}", line, column)
    if isinstance(error, lark.exceptions.UnexpectedEOF):
        return SyntaxProblem("unexpected end of file", line, column)
    return SyntaxProblem(f"cannot parse: {error}", line, column)


# What opens a part of an expression in which HCL ignores new lines (hclsyntax's
# PushIncludeNewlines(false)): parentheses, brackets, template interpolations and directives,
# and a for expression's braces. An object's braces keep them: they separate its items.
_IGNORING_NEW_LINES = frozenset({"LPAR", "LSQB", "INTERP_START", "DIRECTIVE_START"})
_CLOSING = frozenset({"RPAR", "RSQB", "RBRACE"})


class _TerraformPostLexer:
    """Instead of python-hcl2's post-lexer, which joins a new line to the operator after it
    (``a\n+ b``, which Terraform rejects outside brackets): drops the new lines (and comments)
    that Terraform ignores inside parentheses and brackets, most of which python-hcl2's grammar
    rejects (``cidr_block = (\n local.net\n .cidr\n )``)."""

    always_accept: tuple[str, ...] = ()  # Lark's post-lexer interface: no extra terminals

    def process(self, stream: Iterable[Token]) -> Iterator[Token]:
        yield from self._drop_ignored_new_lines(stream)

    @staticmethod
    def _drop_ignored_new_lines(stream: Iterable[Token]) -> Iterator[Token]:
        # Tokens cannot be held back for long: Lark's contextual lexer reads the next one in
        # the state the parser is in. Only the new lines after "{" wait, to see if "for" follows.
        ignoring: list[bool] = []
        after_brace: list[Token] | None = None
        for token in stream:
            if after_brace is not None:
                if token.type == "NL_OR_COMMENT":
                    after_brace.append(token)
                    continue
                is_for = token.type == "FOR"
                ignoring.append(is_for)
                if not is_for:
                    yield from after_brace
                after_brace = None
            if token.type == "NL_OR_COMMENT" and (
                (ignoring and ignoring[-1]) or token.startswith("/*")  # /* */ is white space
            ):
                continue
            if token.type == "LBRACE":
                after_brace = []
            elif token.type in _IGNORING_NEW_LINES:
                ignoring.append(True)
            elif token.type in _CLOSING and ignoring:
                ignoring.pop()
            yield token
        yield from after_brace or ()


@functools.lru_cache(maxsize=1)
def _terraform_parser() -> lark.Lark:
    """python-hcl2's parser (its grammar and parse tables) with :class:`_TerraformPostLexer`."""
    base = python_hcl2_parser()
    frontend = copy.copy(base.parser)
    connector = frontend.lexer
    assert isinstance(connector, PostLexConnector)
    frontend.lexer = PostLexConnector(connector.lexer, _TerraformPostLexer())  # type: ignore[no-untyped-call]
    parser = copy.copy(base)
    parser.parser = frontend
    return parser


def parses_to_tree(text: str) -> LTree:
    # The final new line: Lark has no end-of-file token, and the grammar ends lines with one.
    return _terraform_parser().parse(text + "\n")


def parse_hcl_with_python_hcl2(text: str, max_depth: int, line_offset: int = 0) -> s.Body:
    """Parse HCL text through python-hcl2's Lark tree (the reference for the fast path)."""
    try:
        tree = parses_to_tree(text)
    except lark.exceptions.LarkError as error:
        raise describe_parse_failure(error) from None
    except RecursionError:
        raise SyntaxProblem(f"nesting is deeper than {max_depth} levels") from None
    converter = _Converter(max_depth, line_offset)
    try:
        body = converter.body(_meaningful(tree)[0], 0)
    except RecursionError:
        raise SyntaxProblem(f"nesting is deeper than {max_depth} levels") from None
    # Comments matter only as suppression directives; most files have none, so skip the walk.
    comments = tuple(_comments(tree, line_offset)) if "vpclint" in text.lower() else ()
    return s.Body(attributes=body.attributes, blocks=body.blocks, comments=comments)


def _comments(tree: LTree, line_offset: int) -> Iterator[s.Comment]:
    for token in tree.scan_values(
        lambda value: isinstance(value, Token) and value.type == "NL_OR_COMMENT"
    ):
        text = str(token).strip()
        if text.startswith(("#", "//", "/*")) and "vpclint" in text.lower():
            line = (token.line or 1) + line_offset
            yield s.Comment(line=line, column=token.column or 1, text=text)


def _position(node: Child) -> tuple[int, int]:
    if isinstance(node, Token):
        return node.line or 1, node.column or 1
    meta = node.meta
    if getattr(meta, "empty", True):
        for child in node.children:
            if isinstance(child, Tree | Token):
                return _position(child)
        return 1, 1
    return meta.line, meta.column


def _end_line(node: LTree) -> int:
    """The line of the node's last real token (trailing new lines and comments excluded)."""
    current: Child = node
    while isinstance(current, Tree):
        children = [
            child
            for child in current.children
            if not (isinstance(child, Tree) and child.data == "new_line_or_comment")
            and not (isinstance(child, Token) and child.type == "NL_OR_COMMENT")
        ]
        if not children:
            return int(getattr(current.meta, "end_line", 0) or 0)
        current = children[-1]
    end = int(current.end_line or current.line or 0)
    # A heredoc token swallows its final newline: it then "ends" at column 1 of the next line.
    if current.end_column == 1 and end > (current.line or end):
        end -= 1
    return end


def _meaningful(tree: LTree) -> list[LTree]:
    """Children without punctuation tokens and new lines/comments."""
    return [
        child
        for child in tree.children
        if isinstance(child, Tree) and child.data != "new_line_or_comment"
    ]


class _Converter:
    def __init__(self, max_depth: int, line_offset: int = 0) -> None:
        self.max_depth = max_depth
        self.line_offset = line_offset

    def _pos(self, node: Child) -> tuple[int, int]:
        line, column = _position(node)
        return line + self.line_offset, column

    def _check(self, depth: int, node: Child) -> None:
        if depth > self.max_depth:
            line, column = self._pos(node)
            raise SyntaxProblem(
                f"nesting is deeper than {self.max_depth} levels (raise `max-depth` to allow it)",
                line,
                column,
            )

    # -- structure ---------------------------------------------------------------------------

    def body(self, node: LTree, depth: int) -> s.Body:
        builder = hcl_tree.BodyBuilder()
        for child in _meaningful(node):
            if child.data == "attribute":
                builder.add_attribute(self.attribute(child, depth + 1))
            elif child.data == "block":
                builder.add_block(self.block(child, depth + 1))
        return builder.body()

    def attribute(self, node: LTree, depth: int) -> s.Attribute:
        self._check(depth, node)
        name_node, value_node = _meaningful(node)
        line, column = self._pos(node)
        return hcl_tree.attribute(
            self.name_text(name_node),
            self.expression(value_node, depth + 1),
            line,
            column,
            _end_line(node) + self.line_offset,
        )

    def block(self, node: LTree, depth: int) -> s.Block:
        self._check(depth, node)
        parts = _meaningful(node)
        body_node = parts[-1]
        header = parts[:-1]
        labels = tuple(
            self.string_text(label) if label.data == "string" else self.name_text(label)
            for label in header[1:]
        )
        inner = self.body(body_node, depth + 1)
        line, column = self._pos(node)
        return hcl_tree.block(
            self.name_text(header[0]),
            labels,
            inner,
            line,
            column,
            _end_line(node) + self.line_offset,
        )

    def name_text(self, node: Child) -> str:
        if isinstance(node, Token):
            return str(node)
        tokens = [child for child in node.children if isinstance(child, Token)]
        return str(tokens[0]) if tokens else ""

    def string_text(self, node: LTree) -> str:
        text = []
        for part in node.children:
            if isinstance(part, Tree) and part.data == "string_part":
                content = part.children[0]
                if isinstance(content, Token):
                    text.append(self.literal_piece(content))
        return "".join(text)

    def literal_piece(self, token: Token) -> str:
        if token.type == "ESCAPED_INTERPOLATION":
            return str(token)[1:]
        if token.type == "ESCAPED_DIRECTIVE":
            return str(token)[1:]
        return unescape(str(token))

    # -- expressions -------------------------------------------------------------------------

    def expression(self, node: Child, depth: int) -> s.Expression:
        self._check(depth, node)
        line, column = self._pos(node)
        if isinstance(node, Token):
            return s.Invalid(line, column, f"unexpected token {node.type}")
        kind = node.data
        handler = getattr(self, f"_x_{kind}", None)
        if handler is None:
            return s.Invalid(line, column, f"unsupported syntax {kind}")
        result: s.Expression = handler(node, depth + 1, line, column)
        return result

    def _x_expr_term(self, node: LTree, depth: int, line: int, column: int) -> s.Expression:
        inner = _meaningful(node)
        if inner:
            return self.expression(inner[0], depth)
        return s.Invalid(line, column, "empty expression")

    def _x_conditional(self, node: LTree, depth: int, line: int, column: int) -> s.Expression:
        condition, then_value, else_value = _meaningful(node)
        return s.Conditional(
            line,
            column,
            self.expression(condition, depth),
            self.expression(then_value, depth),
            self.expression(else_value, depth),
        )

    def _x_binary_op(self, node: LTree, depth: int, line: int, column: int) -> s.Expression:
        left, term = _meaningful(node)[:2]
        operator_node, right = _meaningful(term)[:2]
        raw = str(operator_node.children[0]).strip()
        operator = next((op for op in _OPERATORS if raw.endswith(op)), raw)
        return s.BinaryOp(
            line, column, operator, self.expression(left, depth), self.expression(right, depth)
        )

    def _x_unary_op(self, node: LTree, depth: int, line: int, column: int) -> s.Expression:
        operand = self.expression(node.children[1], depth)
        return hcl_tree.unary(str(node.children[0]), operand, line, column)

    def _x_int_lit(self, node: LTree, depth: int, line: int, column: int) -> s.Expression:
        return hcl_tree.whole_number(str(node.children[0]), line, column)

    def _x_float_lit(self, node: LTree, depth: int, line: int, column: int) -> s.Expression:
        return hcl_tree.decimal_number(str(node.children[0]), line, column)

    def _x_literal_value(self, node: LTree, depth: int, line: int, column: int) -> s.Expression:
        text = str(node.children[0])
        return s.Literal(line, column, {"true": True, "false": False}.get(text))

    def _x_identifier(self, node: LTree, depth: int, line: int, column: int) -> s.Expression:
        return s.Name(line, column, str(node.children[0]))

    def _x_keyword(self, node: LTree, depth: int, line: int, column: int) -> s.Expression:
        return s.Name(line, column, str(node.children[0]))

    def _x_string(self, node: LTree, depth: int, line: int, column: int) -> s.Expression:
        parts = [part for part in node.children if isinstance(part, Tree)]
        return self.template(parts, depth, line, column)

    def _x_template_string(self, node: LTree, depth: int, line: int, column: int) -> s.Expression:
        text = str(node.children[0])
        return s.Literal(line, column, unescape(text[2:-2]))

    def _x_heredoc_template(self, node: LTree, depth: int, line: int, column: int) -> s.Expression:
        return self.heredoc(str(node.children[0]), depth, line, column)

    def _x_heredoc_template_trim(
        self, node: LTree, depth: int, line: int, column: int
    ) -> s.Expression:
        return self.heredoc(str(node.children[0]), depth, line, column)

    def _x_tuple(self, node: LTree, depth: int, line: int, column: int) -> s.Expression:
        return s.TupleExpr(
            line, column, tuple(self.expression(item, depth) for item in _meaningful(node))
        )

    def _x_object(self, node: LTree, depth: int, line: int, column: int) -> s.Expression:
        previous: Child | None = None
        for child in node.children:
            # python-hcl2's grammar takes "{ a = 1 b = 2 }"; Terraform wants a comma or new line.
            is_element = isinstance(child, Tree) and child.data == "object_elem"
            if is_element and isinstance(previous, Tree) and previous.data == "object_elem":
                element_line, element_column = self._pos(child)
                raise SyntaxProblem(
                    "missing a comma or new line between object items",
                    element_line,
                    element_column,
                )
            previous = child
        items = []
        for element in _meaningful(node):
            key_node, value_node = _meaningful(element)[:2]
            items.append((self.object_key(key_node, depth), self.expression(value_node, depth)))
        return s.ObjectExpr(line, column, tuple(items))

    def object_key(self, node: LTree, depth: int) -> s.Expression:
        line, column = self._pos(node)
        inner = node.children[0]
        if isinstance(inner, Tree) and inner.data == "keyword":
            return s.Literal(line, column, str(inner.children[0]))
        # A bare name is the key itself; only a parenthesised expression is evaluated.
        if isinstance(inner, Tree) and inner.data == "expr_term":
            meaningful = _meaningful(inner)
            if len(meaningful) == 1 and meaningful[0].data == "identifier":
                return s.Literal(line, column, str(meaningful[0].children[0]))
        if isinstance(inner, Tree) and inner.data == "identifier":
            return s.Literal(line, column, str(inner.children[0]))
        return self.expression(inner, depth)

    def _x_function_call(self, node: LTree, depth: int, line: int, column: int) -> s.Expression:
        names = [
            str(child.children[0])
            for child in node.children
            if isinstance(child, Tree) and child.data == "identifier"
        ]
        arguments: list[s.Expression] = []
        expand = False
        for child in node.children:
            if isinstance(child, Tree) and child.data == "arguments":
                for argument in child.children:
                    if isinstance(argument, Token):
                        expand = expand or argument.type == "ELLIPSIS"
                    elif argument.data != "new_line_or_comment":
                        arguments.append(self.expression(argument, depth))
        return s.Call(line, column, "::".join(names), tuple(arguments), expand)

    def _x_index_expr_term(self, node: LTree, depth: int, line: int, column: int) -> s.Expression:
        target, index = _meaningful(node)
        return s.Index(line, column, self.expression(target, depth), self.index_key(index, depth))

    def index_key(self, index: LTree, depth: int) -> s.Expression:
        line, column = self._pos(index)
        if index.data == "short_index":
            literal = [child for child in index.children if isinstance(child, Token)][-1]
            return hcl_tree.whole_number(str(literal), line, column)
        return self.expression(_meaningful(index)[0], depth)

    def _x_get_attr_expr_term(
        self, node: LTree, depth: int, line: int, column: int
    ) -> s.Expression:
        target, get_attr = _meaningful(node)
        return s.GetAttr(line, column, self.expression(target, depth), self.attr_name(get_attr))

    def attr_name(self, get_attr: LTree) -> str:
        return self.name_text(_meaningful(get_attr)[0])

    def _x_attr_splat_expr_term(
        self, node: LTree, depth: int, line: int, column: int
    ) -> s.Expression:
        target, splat = _meaningful(node)
        # Target first, then the steps' keys: the order decides which of two nodes nested too
        # deep the error names.
        converted_target = self.expression(target, depth)
        return hcl_tree.attribute_splat(
            converted_target, self.splat_steps(splat, depth), line, column
        )

    def _x_full_splat_expr_term(
        self, node: LTree, depth: int, line: int, column: int
    ) -> s.Expression:
        target, splat = _meaningful(node)
        steps = self.splat_steps(splat, depth)  # keys first here (see above)
        return hcl_tree.full_splat(self.expression(target, depth), steps, line, column)

    def splat_steps(self, splat: LTree, depth: int) -> list[hcl_tree.SplatStep]:
        return [
            s.SplatAttr(self.attr_name(step))
            if step.data == "get_attr"
            else s.SplatIndex(self.index_key(step, depth))
            for step in _meaningful(splat)
        ]

    def _for_intro(self, intro: LTree, depth: int) -> tuple[str | None, str, s.Expression]:
        """The names and collection of a ``for`` (in an expression or a template directive)."""
        names = [
            str(child.children[0]) for child in _meaningful(intro) if child.data == "identifier"
        ]
        collection = next(child for child in _meaningful(intro) if child.data != "identifier")
        key_name, value_name = hcl_tree.for_names(names)
        return key_name, value_name, self.expression(collection, depth)

    def _for_condition(self, node: LTree, depth: int) -> s.Expression | None:
        for child in _meaningful(node):
            if child.data == "for_cond":
                return self.expression(_meaningful(child)[0], depth)
        return None

    def _x_for_tuple_expr(self, node: LTree, depth: int, line: int, column: int) -> s.Expression:
        parts = _meaningful(node)
        key_name, value_name, collection = self._for_intro(parts[0], depth)
        return s.ForExpr(
            line,
            column,
            key_name,
            value_name,
            collection,
            self.expression(parts[1], depth),
            None,
            self._for_condition(node, depth),
        )

    def _x_for_object_expr(self, node: LTree, depth: int, line: int, column: int) -> s.Expression:
        parts = _meaningful(node)
        key_name, value_name, collection = self._for_intro(parts[0], depth)
        grouping = any(
            isinstance(child, Token) and child.type == "ELLIPSIS" for child in node.children
        )
        return s.ForExpr(
            line,
            column,
            key_name,
            value_name,
            collection,
            self.expression(parts[2], depth),
            self.expression(parts[1], depth),
            self._for_condition(node, depth),
            grouping,
        )

    # -- templates ---------------------------------------------------------------------------

    def template(self, parts: list[LTree], depth: int, line: int, column: int) -> s.Expression:
        """Assemble string parts (flat directive markers in the grammar) into a template."""
        root = _Frame("root", None)
        stack = [root]
        strip_next = False
        for part in parts:
            content = part.children[0]
            frame = stack[-1]
            if isinstance(content, Token):
                text = self.literal_piece(content)
                if strip_next:
                    text = text.lstrip()
                    strip_next = False
                frame.current.append(text)
                continue
            strip_before, strip_after = _strip_markers(content)
            if strip_before and frame.current and isinstance(frame.current[-1], str):
                frame.current[-1] = frame.current[-1].rstrip()
            strip_next = strip_after
            kind = content.data
            if kind == "interpolation":
                frame.current.append(self.expression(_meaningful(content)[0], depth))
            elif kind in ("template_if_start", "template_for_start"):
                stack.append(_Frame(kind, content))
            elif (
                kind == "template_else" and frame.kind == "template_if_start" and not frame.in_else
            ):
                frame.in_else = True
            elif kind == "template_endif" and frame.kind == "template_if_start":
                stack.pop()
                assert frame.opening is not None
                condition = self.expression(_meaningful(frame.opening)[0], depth)
                stack[-1].current.append(
                    s.TemplateIf(condition, tuple(frame.then_parts), tuple(frame.else_parts))
                )
            elif kind == "template_endfor" and frame.kind == "template_for_start":
                stack.pop()
                assert frame.opening is not None
                key_name, value_name, collection = self._for_intro(frame.opening, depth)
                stack[-1].current.append(
                    s.TemplateFor(key_name, value_name, collection, tuple(frame.then_parts))
                )
            else:
                return s.Invalid(line, column, f"unbalanced template directive {kind}")
        if len(stack) != 1:
            return s.Invalid(line, column, "template directive without its end")
        return hcl_tree.template(root.then_parts, line, column)

    def heredoc(self, text: str, depth: int, line: int, column: int) -> s.Expression:
        body = hcl_tree.heredoc_body(text)
        if body is None:
            return s.Invalid(line, column, "malformed heredoc")
        return self.template_text(body, depth, line, column)

    def template_text(self, body: str, depth: int, line: int, column: int) -> s.Expression:
        """Template text (a heredoc's body, a template file) as one expression."""
        if not hcl_tree.has_template_syntax(body):
            return s.Literal(line, column, body)
        try:
            parsed = parses_to_tree(hcl_tree.as_quoted_attribute(body))
        except lark.exceptions.LarkError as error:
            problem = describe_parse_failure(error)
            return s.Invalid(line, column, f"cannot parse heredoc template: {problem.message}")
        string = next(parsed.find_data("string"))
        inner = _Converter(self.max_depth, line_offset=line)
        parts = [part for part in string.children if isinstance(part, Tree)]
        return inner.template(parts, depth, line, column)


def template_from_text(text: str, max_depth: int) -> s.Expression:
    return _Converter(max_depth).template_text(text, 1, 1, 1)


class _Frame:
    """A template directive being assembled: its parts before and after ``%{ else }``."""

    def __init__(self, kind: str, opening: LTree | None) -> None:
        self.kind = kind
        self.opening = opening
        self.then_parts: list[s.TemplatePart] = []
        self.else_parts: list[s.TemplatePart] = []
        self.in_else = False

    @property
    def current(self) -> list[s.TemplatePart]:
        return self.else_parts if self.in_else else self.then_parts


def _strip_markers(directive: LTree) -> tuple[bool, bool]:
    tokens = [child for child in directive.children if isinstance(child, Token)]
    if len(tokens) < 2:
        return False, False
    before = len(tokens) > 1 and tokens[1].type == "STRIP_MARKER"
    after = len(tokens) > 1 and tokens[-2].type == "STRIP_MARKER"
    return before, after
