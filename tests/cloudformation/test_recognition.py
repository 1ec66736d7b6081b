"""Which YAML/JSON files are templates; the rest are skipped without a word."""

from __future__ import annotations

import pickle

import pytest

from tests.cloudformation.conftest import parse_file, parse_text


@pytest.mark.parametrize(
    "name",
    ["not-templates/workflow.yml", "not-templates/deployment.yaml", "not-templates/package.json"],
)
def test_other_yaml_and_json_is_not_ours(name: str) -> None:
    assert parse_file(name) is None


@pytest.mark.parametrize(
    "text",
    [
        "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n",
        "AWSTemplateFormatVersion: '2010-09-09'\n",
        "Transform: AWS::Serverless-2016-10-31\nResources: {}\n",
        '{"Resources": {"Queue": {"Type": "Custom::Thing"}}}',
    ],
)
def test_templates_are_recognised_by_content(text: str) -> None:
    parsed = parse_text(text)
    assert parsed is not None and parsed.error is None


def test_parse_result_survives_pickling() -> None:
    parsed = parse_file("intrinsics/cidr_select.yaml")
    assert parsed is not None and parsed.template is not None
    copy = pickle.loads(pickle.dumps(parsed))
    assert copy == parsed
    vpc_key = next(key for key in copy.template["Resources"] if key == "Vpc")
    assert vpc_key.mark == (8, 3)


def test_broken_template_is_a_parse_error_at_its_line() -> None:
    parsed = parse_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Vpc: [unclosed\n")
    assert parsed is not None and parsed.error is not None
    assert parsed.error.location.line >= 3
    assert "invalid YAML" in parsed.error.message


def test_broken_yaml_that_is_no_template_is_skipped() -> None:
    assert parse_text("name: ci\non: [push\n", name=".github/workflows/ci.yml") is None
