from __future__ import annotations

from vpclint.api import SourceLocation
from vpclint.topology.models import ParseError

from .conftest import Builder, builtin_rule, run

RULE = builtin_rule("vpc001_parse_error")


def test_reports_every_parse_error_at_its_line_in_source_order(build: Builder) -> None:
    late = SourceLocation(file="b.tf", line=7, column=3)
    early = SourceLocation(file="a.yaml", line=2)
    build.topology.parse_errors.extend(
        [
            ParseError(location=late, message="unexpected end of file, expected '}'"),
            ParseError(location=early, message="unknown YAML tag !Banana"),
        ]
    )

    violations = run(RULE, build.topology)

    assert [(v.location, v.message) for v in violations] == [
        (early, "unknown YAML tag !Banana"),
        (late, "unexpected end of file, expected '}'"),
    ]
    assert all(v.subject is None for v in violations)


def test_silent_when_everything_parsed(build: Builder) -> None:
    build.network("aws_vpc.main", "10.0.0.0/16")
    assert run(RULE, build.topology) == []
