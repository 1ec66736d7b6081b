"""Stack names and pseudo parameters given by the configuration and --parameter, and the
parameters that match nothing, which stop the run instead of being ignored."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from tests.cloudformation.conftest import FIXTURES
from vpclint.cli import main

CASE = FIXTURES / "rules" / "vpc201" / "bad-stack-names"


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(CASE, tmp_path / "case")
    return tmp_path / "case"


def _findings(project: Path, *options: str) -> list[dict[str, str]]:
    code, out, err = run_cli(str(project), "--no-cache", "--format", "json", *options)
    assert code in (0, 1), err
    findings: list[dict[str, str]] = json.loads(out)["findings"]
    return findings


def test_exports_named_after_the_stack_link_once_the_stack_is_named(project: Path) -> None:
    (finding,) = [item for item in _findings(project) if item["code"] == "VPC201"]
    assert finding["resource"] == "AppSubnet" and "10.60.0.0/16" in finding["message"]
    # Without the stack name the export is named after an unknown, and nothing links.
    config = project / ".vpclint.toml"
    config.write_text(config.read_text().replace('"network.yaml" = "prod-network"\n', ""))
    assert not [item for item in _findings(project) if item["code"] == "VPC201"]


def test_the_region_is_set_by_parameter_and_picks_the_mapping_entry(project: Path) -> None:
    findings = _findings(project, "--parameter", "AWS::Region=us-east-1")
    assert not [item for item in findings if item["code"] in ("VPC201", "VPC004")]


def test_without_a_region_the_block_is_unknown_and_says_how_to_give_it(project: Path) -> None:
    config = project / ".vpclint.toml"
    config.write_text(config.read_text().replace('"AWS::Region" = "eu-west-1"\n', ""))
    (unknown,) = [item for item in _findings(project) if item["code"] == "VPC004"]
    assert "AWS::Region" in unknown["message"] and "--parameter AWS::Region=" in unknown["message"]


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("SubnetCidrr=10.0.0.0/24", "parameter SubnetCidrr matches no parameter"),
        ("SubnetCidrr=10.0.0.0/24", "did you mean SubnetCidr?"),
        ("AWS::Regoin=eu-west-1", "AWS::Regoin is not a pseudo parameter vpclint can set"),
        ("AWS::Regoin=eu-west-1", "did you mean AWS::Region?"),
        ("AWS::StackId=x", "AWS::StackId is not a pseudo parameter"),
    ],
)
def test_a_parameter_that_matches_nothing_exits_2_naming_it(
    project: Path, option: str, expected: str
) -> None:
    code, out, err = run_cli(str(project), "--no-cache", "--parameter", option)
    assert code == 2 and out == ""
    assert expected in err and err.count("\n") == 1


def test_a_configured_parameter_that_matches_nothing_exits_2(project: Path) -> None:
    config = project / ".vpclint.toml"
    config.write_text(config.read_text() + 'VpcCidr = "10.0.0.0/16"\n')
    code, _, err = run_cli(str(project), "--no-cache")
    assert code == 2 and "parameter VpcCidr matches no parameter" in err


def test_a_parameter_with_no_template_linted_exits_2(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_vpc" "a" {\n  cidr_block = "10.0.0.0/16"\n}\n')
    code, _, err = run_cli(str(tmp_path), "--no-cache", "--parameter", "VpcCidr=10.1.0.0/16")
    assert code == 2 and "--parameter VpcCidr: no CloudFormation template is linted" in err


def test_a_stacks_entry_is_checked_like_the_rest_of_the_configuration(project: Path) -> None:
    config = project / ".vpclint.toml"
    config.write_text(config.read_text().replace("app-params.json", "missing.json"))
    code, _, err = run_cli(str(project), "--no-cache")
    assert code == 2 and "missing.json" in err
    config.write_text('[stacks]\n"app.yaml" = { nme = "x" }\n')
    code, _, err = run_cli(str(project), "--no-cache")
    assert code == 2 and "stacks" in err
