"""Scopes: parts of a repository that do not share one address plan are never compared by VPC204;
connections between them are still checked (VPC203). Through the real CLI, with the README's
configuration as written."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.files import write
from vpclint.cli import main

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")

MODULE = (
    'variable "cidr" {\n  type = string\n}\n\n'
    'resource "aws_vpc" "this" {\n  cidr_block = var.cidr\n}\n'
)


def example(cidr: str = "10.0.0.0/16") -> str:
    return f'module "vpc" {{\n  source = "../../modules/vpc"\n  cidr   = "{cidr}"\n}}\n'


def vpc(cidr: str, name: str = "main") -> str:
    return f'resource "aws_vpc" "{name}" {{\n  cidr_block = "{cidr}"\n}}\n'


def lint(*argv: str) -> tuple[int, list[dict[str, Any]], str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--no-cache", "--format", "json", *argv], out, err)
    found = json.loads(out.getvalue())["findings"] if code in (0, 1) else []
    return code, found, err.getvalue()


def overlaps(*argv: str) -> list[tuple[str, str]]:
    code, found, err = lint("--select", "VPC203,VPC204", *argv)
    assert code in (0, 1), err
    return [(f["code"], f["file"]) for f in found if not f["suppressed"]]


def readme_scopes_snippet() -> str:
    section = README.split("\n### Scopes", 1)[1]
    match = re.search(r"```toml\n(.*?)```", section, re.S)
    assert match is not None
    return match.group(1)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def module_repository() -> None:
    write(
        Path("."),
        {
            "modules/vpc/main.tf": MODULE,
            "examples/complete/main.tf": example(),
            "examples/simple/main.tf": example(),
            "examples/ipv6/main.tf": example("10.0.0.0/20"),
        },
    )


def test_the_readme_module_repository_recipe_keeps_examples_apart() -> None:
    module_repository()
    (Path(".") / "pyproject.toml").write_text('[project]\nname = "terraform-aws-vpc"\n')
    # Without scopes every example is compared with every other.
    assert [code for code, _ in overlaps(".")] == ["VPC204"] * 3

    with (Path(".") / "pyproject.toml").open("a", encoding="utf-8") as config:
        config.write("\n" + readme_scopes_snippet())
    code, found, err = lint(".")

    assert (code, err) == (0, "")
    assert [f for f in found if f["code"] == "VPC204"] == []


def test_a_named_scope_compares_its_roots_with_each_other_only() -> None:
    write(
        Path("."),
        {
            ".vpclint.toml": '[scopes]\n"live/prod/*" = "prod"\n"live/dev/*" = "dev"\n',
            "live/prod/vpc/main.tf": vpc("10.0.0.0/16"),
            "live/prod/data/main.tf": vpc("10.0.0.0/20"),
            "live/dev/vpc/main.tf": vpc("10.0.0.0/16"),
        },
    )

    assert overlaps(".") == [("VPC204", "live/prod/vpc/main.tf")]


def test_the_first_matching_entry_wins_and_unmatched_roots_share_the_default() -> None:
    write(
        Path("."),
        {
            ".vpclint.toml": '[scopes]\n"sandbox/lab" = "lab"\n"sandbox/*" = "{root}"\n',
            "sandbox/lab/main.tf": vpc("10.0.0.0/16"),
            "sandbox/other/main.tf": vpc("10.0.0.0/16"),
            "prod/main.tf": vpc("10.1.0.0/16"),
            "shared/main.tf": vpc("10.1.0.0/16"),
        },
    )

    assert overlaps(".") == [("VPC204", "shared/main.tf")]


def test_a_peering_across_scopes_is_still_checked() -> None:
    write(
        Path("."),
        {
            ".vpclint.toml": '[scopes]\n"network.yaml" = "core"\n"app.yaml" = "app"\n',
            "network.yaml": "Resources:\n  SharedVpc:\n    Type: AWS::EC2::VPC\n"
            "    Properties:\n      CidrBlock: 10.110.0.0/16\n"
            "Outputs:\n  VpcId:\n    Value: !Ref SharedVpc\n"
            "    Export:\n      Name: shared-vpc-id\n",
            "app.yaml": "Resources:\n  AppVpc:\n    Type: AWS::EC2::VPC\n"
            "    Properties:\n      CidrBlock: 10.110.128.0/20\n"
            "  Peering:\n    Type: AWS::EC2::VPCPeeringConnection\n    Properties:\n"
            "      VpcId: !Ref AppVpc\n      PeerVpcId: !ImportValue shared-vpc-id\n"
            "  OtherVpc:\n    Type: AWS::EC2::VPC\n"
            "    Properties:\n      CidrBlock: 10.110.128.0/24\n",
        },
    )

    # The peered pair is VPC203 although its templates are different scopes; OtherVpc, in the
    # app scope and not connected, is not compared with the core network (only with AppVpc).
    assert sorted(overlaps(".")) == [("VPC203", "app.yaml"), ("VPC204", "app.yaml")]
    _, found, _ = lint("--select", "VPC204", ".")
    assert [f["related"][0]["resource"] for f in found] == ["AppVpc"]


def test_external_networks_are_compared_with_every_scope() -> None:
    write(
        Path("."),
        {
            ".vpclint.toml": '[scopes]\n"*" = "{root}"\n\n'
            '[external-networks]\n"vpc-0a1b2c3d4e5f67890" = "10.50.0.0/16"\n',
            "one/main.tf": vpc("10.50.0.0/20"),
            "two/main.tf": vpc("10.50.16.0/20"),
        },
    )

    assert overlaps(".") == [("VPC204", "one/main.tf"), ("VPC204", "two/main.tf")]


def test_a_glob_that_matches_nothing_is_a_warning_when_the_whole_project_is_linted() -> None:
    module_repository()
    write(Path("."), {".vpclint.toml": '[scopes]\n"exmaples/*" = "{root}"\n'})

    code, found, err = lint(".")

    assert code == 0  # the overlaps are warnings; the typo changes no exit code
    assert err == (
        "vpclint: warning: .vpclint.toml: `scopes` glob 'exmaples/*' matches no file or folder "
        "of the project\n"
    )
    # The roots it missed are compared as without scopes: nothing is hidden.
    assert len([f for f in found if f["code"] == "VPC204"]) == 3
    # A run on one folder sees part of the project only: no warning for the others' globs.
    assert lint("examples/complete")[2] == ""


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            '"examples/*" = "{name}"',
            "bad value for `scopes`: 'examples/*': scope name '{name}' may use only the "
            "placeholder {root}",
        ),
        ('"examples/*" = " "', "bad value for `scopes`: 'examples/*': a scope needs a name"),
        ('"examples/[" = "x"', "bad value for `scopes`: 'examples/[' is not a valid glob"),
        ('"examples/*" = 3', "bad value for `scopes.examples/*`: Input should be a valid string"),
    ],
)
def test_a_bad_scope_entry_stops_the_run_naming_the_key(table: str, message: str) -> None:
    module_repository()
    write(Path("."), {".vpclint.toml": f"[scopes]\n{table}\n"})

    code, _, err = lint(".")

    assert code == 2
    assert message in err
