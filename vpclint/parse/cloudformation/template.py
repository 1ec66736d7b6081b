"""Reading one file into a decoded CloudFormation template, or deciding it is not one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from vpclint.discover.sources import SourceText
from vpclint.limits import Limits
from vpclint.parse.cloudformation.errors import LoadError
from vpclint.parse.cloudformation.json_loader import load_json
from vpclint.parse.cloudformation.nodes import MarkedDict
from vpclint.topology.models import ParseError, SourceLocation

TemplateFormat = Literal["yaml", "json"]

# Found in the text of a file that failed to parse, these make it worth a VPC001 rather than a
# silent skip: a broken template is a problem, a broken Kubernetes manifest is not ours.
_TEMPLATE_MARKERS = re.compile(
    r"AWSTemplateFormatVersion|AWS::Serverless-2016-10-31"
    r"|[\"']?Type[\"']?\s*:\s*[\"']?(?:AWS|Custom)::[A-Za-z0-9]",
)
_COMMENT = re.compile(r"(?:^|[ \t])#(?P<text>[^\n]*vpclint[^\n]*)", re.IGNORECASE | re.MULTILINE)
_SERVERLESS = "AWS::Serverless-2016-10-31"


@dataclass(frozen=True)
class DirectiveComment:
    """A ``# vpclint: ...`` comment; which resource it belongs to is decided at evaluation."""

    line: int
    column: int
    text: str


@dataclass(frozen=True)
class ParsedTemplate:
    """One file's parse result: the decoded template, or the reason it could not be read."""

    display: str  # the path as reported; parse results are cached by content and this name
    format: TemplateFormat
    template: MarkedDict | None = None
    error: ParseError | None = None
    comments: tuple[DirectiveComment, ...] = ()
    # Only when comments matter (directive comments are placed by them); otherwise a comment
    # added anywhere would change the parse result, and evaluate the template again.
    filler_lines: frozenset[int] = frozenset()  # blank or comment-only lines
    text_lines: int = 0

    def location(self, line: int = 1, column: int = 1) -> SourceLocation:
        return SourceLocation(file=self.display, line=line, column=column)


def is_template(document: Any) -> bool:
    """Whether a decoded document is a CloudFormation (or SAM, or CDK output) template."""
    if not isinstance(document, dict):
        return False
    if "AWSTemplateFormatVersion" in document:
        return True
    transform = document.get("Transform")
    transforms = transform if isinstance(transform, list) else [transform]
    if any(item == _SERVERLESS for item in transforms):
        return True
    resources = document.get("Resources")
    if not isinstance(resources, dict):
        return False
    for resource in resources.values():
        if isinstance(resource, dict):
            kind = resource.get("Type")
            if isinstance(kind, str) and kind.startswith(("AWS::", "Custom::", "Alexa::")):
                return True
    return False


def looks_like_template(text: str) -> bool:
    return _TEMPLATE_MARKERS.search(text) is not None


def _decode(text: str, limits: Limits) -> tuple[Any, TemplateFormat]:
    """Decode JSON-looking text as JSON (falling back to YAML, which reads JSON with trailing
    commas or comments too), anything else as YAML."""
    # PyYAML is imported when a file is decoded, not with the front end: a warm run that
    # reads no template from its text needs none of it.
    from vpclint.parse.cloudformation.yaml_loader import load_yaml

    if text.lstrip()[:1] in ("{", "["):
        try:
            return load_json(text, limits.max_depth), "json"
        except LoadError as json_error:
            if json_error.problem != "syntax":
                raise
            try:
                return load_yaml(text, limits.max_depth, limits.max_aliases), "yaml"
            except LoadError as yaml_error:
                if yaml_error.problem != "syntax":
                    raise
                raise json_error from None
    return load_yaml(text, limits.max_depth, limits.max_aliases), "yaml"


def _directive_comments(text: str) -> tuple[DirectiveComment, ...]:
    found: list[DirectiveComment] = []
    for match in _COMMENT.finditer(text):
        start = match.start("text") - 1
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        found.append(DirectiveComment(line, column, match.group("text")))
    return tuple(found)


def _filler_lines(text: str) -> frozenset[int]:
    return frozenset(
        number
        for number, line in enumerate(text.split("\n"), start=1)
        if not line.strip() or line.lstrip().startswith("#")
    )


def parse_template(source: SourceText, limits: Limits) -> ParsedTemplate | None:
    """The decoded template, a ParsedTemplate carrying a ParseError, or None when not ours."""
    text = source.text.removeprefix("\ufeff")
    json_like = text.lstrip()[:1] in ("{", "[")
    display = source.display
    try:
        document, template_format = _decode(text, limits)
    except LoadError as error:
        hostile = error.problem in ("limit", "unsafe")
        if not hostile and not looks_like_template(text):
            return None
        return ParsedTemplate(
            display=display,
            format="json" if json_like else "yaml",
            error=ParseError(
                location=source.location(error.line, error.column), message=error.message
            ),
        )
    if not is_template(document):
        return None
    comments = _directive_comments(text) if template_format == "yaml" else ()
    return ParsedTemplate(
        display=display,
        format=template_format,
        template=document,
        comments=comments,
        filler_lines=_filler_lines(text) if comments else frozenset(),
        text_lines=text.count("\n") + 1 if comments else 0,
    )
