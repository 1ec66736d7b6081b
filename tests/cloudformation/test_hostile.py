"""Hostile and broken input: bounded work, nothing executed, a ParseError at the right line."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cloudformation.conftest import FIXTURES, evaluate_text, network, parse_text
from vpclint.discover.sources import SourceText, read_source
from vpclint.evaluate.cloudformation.frontend import CloudFormationFrontEnd
from vpclint.evaluate.contract import EvaluationSettings
from vpclint.limits import Limits
from vpclint.topology.models import ParseError, UnknownKind

HEADER = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"


def parse_error(text: str, name: str = "template.yaml") -> ParseError:
    parsed = parse_text(text, name)
    assert parsed is not None and parsed.error is not None, parsed
    return parsed.error


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        aliases = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    return HEADER + "  Vpc:\n    Type: AWS::EC2::VPC\n" + "\n".join(lines) + "\n"


def test_alias_bomb_stops_at_the_alias_limit() -> None:
    error = parse_error(billion_laughs())
    assert "aliases expand to more than 1000" in error.message
    assert error.location.line > 4


def test_alias_limit_can_be_raised_and_modest_aliases_work() -> None:
    text = billion_laughs(levels=2)  # 9 + 9 * 10 expansions
    assert parse_text(text) is not None and parse_text(text).error is None  # type: ignore[union-attr]
    strict = parse_text(text, limits=Limits(max_aliases=50))
    assert strict is not None and strict.error is not None


def test_aliases_keep_their_value() -> None:
    text = HEADER + (
        "  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: &cidr 10.9.0.0/16\n"
        "  Other:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: *cidr\n"
    )
    topology = evaluate_text(text)
    assert network(topology, "Other").ipv4_blocks[0].cidr == "10.9.0.0/16"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (HEADER + "  Deep: " + "[" * 100_000 + "]" * 100_000 + "\n", "flow.yaml"),
        (HEADER + "  Deep: " + "{a: " * 100_000 + "1" + "}" * 100_000 + "\n", "map.yaml"),
        ('{"Resources": ' + "[" * 100_000 + "]" * 100_000 + "}", "deep.json"),
        ('{"Resources": ' + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}", "deep-map.json"),
    ],
)
def test_deep_nesting_stops_at_the_depth_limit(text: str, name: str) -> None:
    error = parse_error(text, name)
    assert "nested deeper than" in error.message
    assert error.location.line == (3 if name.endswith(".yaml") else 1)


def test_nesting_within_the_limit_is_read() -> None:
    text = HEADER + "  Vpc:\n    Type: AWS::EC2::VPC\n    Metadata: " + "[" * 150 + "]" * 150
    parsed = parse_text(text + "\n")
    assert parsed is not None and parsed.error is None


@pytest.mark.parametrize(
    "payload",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
        "!<tag:example.com,2024:widget> {{size: 1}}",
    ],
)
def test_global_tags_are_refused_and_nothing_runs(payload: str, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    text = HEADER + "  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: "
    error = parse_error(text + payload.format(marker=marker) + "\n")
    assert "is not allowed" in error.message
    assert error.location.line == 6
    assert not marker.exists()


def test_python_tag_in_a_file_that_is_no_template_is_still_reported(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    error = parse_error(f"!!python/object/apply:os.system ['touch {marker}']\n", "evil.yml")
    assert "not allowed" in error.message and not marker.exists()


@pytest.mark.parametrize(
    ("text", "words", "line"),
    [
        (
            HEADER + "  Vpc:\n    Type: AWS::EC2::VPC\n  Vpc:\n    Type: AWS::EC2::VPC\n",
            "duplicate",
            5,
        ),
        (HEADER + "  Vpc: *nowhere\n", "refers to no anchor", 3),
        (HEADER + "  Vpc:\n    Type: AWS::EC2::VPC\n---\nkind: x\n", "more than one", 5),
        (HEADER + "  Vpc:\n\tType: AWS::EC2::VPC\n", "invalid YAML", 4),
        (HEADER + "  ? [a, b]\n  : 1\n", "mapping key", 3),
        ('{"AWSTemplateFormatVersion": "2010-09-09",\n "Resources": {,}}', "invalid JSON", 2),
        ('{"AWSTemplateFormatVersion": "2010-09-09",\n "A": 1,\n "A": 2}', "duplicate", 3),
    ],
)
def test_broken_templates_report_the_line(text: str, words: str, line: int) -> None:
    error = parse_error(text, "broken.json" if text.startswith("{") else "broken.yaml")
    assert words in error.message
    assert error.location.line == line


def write_encoded(tmp_path: Path, name: str, data: bytes) -> SourceText | ParseError:
    path = tmp_path / name
    path.write_bytes(data)
    return read_source(path, name)


TEMPLATE = (
    HEADER + "  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.7.0.0/16\n"
)


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: codecs.BOM_UTF8 + text.encode(),
        lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        lambda text: text.replace("\n", "\r\n").encode(),
        lambda text: codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode(),
    ],
    ids=["utf8-bom", "utf16-le", "utf16-be", "crlf", "bom-crlf"],
)
def test_encodings_and_line_endings_keep_lines(encode: object, tmp_path: Path) -> None:
    source = write_encoded(tmp_path, "vpc.yaml", encode(TEMPLATE))  # type: ignore[operator]
    assert isinstance(source, SourceText)
    frontend = CloudFormationFrontEnd()
    parsed = frontend.parse(source, Limits())
    assert parsed is not None and parsed.error is None and parsed.template is not None
    vpc = next(key for key in parsed.template["Resources"] if key == "Vpc")
    assert vpc.mark == (3, 3)


def test_binary_file_never_reaches_the_parser_as_text(tmp_path: Path) -> None:
    source = write_encoded(tmp_path, "blob.template", b"\x00\x01\x02PK\x03\x04" * 100)
    assert isinstance(source, ParseError)


def test_latin1_bytes_are_read_with_replacement_characters(tmp_path: Path) -> None:
    source = write_encoded(tmp_path, "vpc.yaml", TEMPLATE.encode() + b"# caf\xe9\n")
    assert isinstance(source, SourceText)
    parsed = CloudFormationFrontEnd().parse(source, Limits())
    assert parsed is not None and parsed.error is None


def test_circular_references_are_errors_not_hangs() -> None:
    text = HEADER + (
        "  First:\n    Type: AWS::EC2::VPC\n    Properties:\n"
        "      CidrBlock: !GetAtt Second.CidrBlock\n"
        "  Second:\n    Type: AWS::EC2::VPC\n    Properties:\n"
        "      CidrBlock: !GetAtt First.CidrBlock\n"
        "  Third:\n    Type: AWS::EC2::VPC\n    Condition: Loop\n    Properties:\n"
        "      CidrBlock: 10.0.0.0/16\n"
        "Conditions:\n  Loop: !Condition Loop\n"
    )
    topology = evaluate_text(text)
    (block,) = network(topology, "First").ipv4_blocks
    assert block.unknown is not None and block.unknown.kind is UnknownKind.ERROR
    assert "circular" in block.unknown.reason
    assert network(topology, "Third").ipv4_blocks[0].cidr == "10.0.0.0/16"  # unknown: kept


def test_step_limit_turns_into_a_limit_unknown() -> None:
    items = ", ".join(["a"] * 50)
    text = HEADER + (
        "  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n"
        f"      CidrBlock: !Join ['', [{items}]]\n"
    )
    parsed = parse_text(text)
    assert parsed is not None
    topology = CloudFormationFrontEnd().evaluate(
        [parsed], EvaluationSettings(project_root=Path("."), limits=Limits(max_steps=20))
    )
    (block,) = network(topology, "Vpc").ipv4_blocks
    assert block.unknown is not None and block.unknown.kind is UnknownKind.LIMIT


FIXTURE_TEXTS = [
    path.read_text() for path in sorted(FIXTURES.rglob("*")) if path.suffix in (".yaml", ".json")
]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_random_text_never_raises(text: str) -> None:
    for name in ("random.yaml", "random.json"):
        parsed = parse_text(text, name)
        if parsed is not None and parsed.template is not None:
            CloudFormationFrontEnd().evaluate([parsed], _settings())


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(FIXTURE_TEXTS),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=40),
    st.text(max_size=20),
)
def test_mutated_fixtures_never_raise(text: str, start: int, length: int, insert: str) -> None:
    start %= max(len(text), 1)
    mutated = text[:start] + insert + text[start + length :]
    for name in ("mutated.yaml", "mutated.json"):
        parsed = parse_text(mutated, name)
        if parsed is not None and parsed.template is not None:
            CloudFormationFrontEnd().evaluate([parsed], _settings())


def _settings() -> EvaluationSettings:
    return EvaluationSettings(project_root=Path("."))
