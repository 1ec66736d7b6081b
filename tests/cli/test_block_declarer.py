"""A finding about one block is about the resource that declared it (issue 22): an association
that adds a block to a VPC is the finding's resource and is named in its message, the VPC stays
related, and an ignore on either applies. Terraform and CloudFormation, through the CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.files import write
from vpclint.cli import main


def terraform(vpc_ignore: str = "", association_ignore: str = "") -> str:
    return (
        f'{vpc_ignore}resource "aws_vpc" "a" {{\n  cidr_block = "10.1.0.0/16"\n}}\n\n'
        f'{association_ignore}resource "aws_vpc_ipv4_cidr_block_association" "extra" {{\n'
        "  vpc_id     = aws_vpc.a.id\n"
        '  cidr_block = "10.1.128.0/17"\n}\n'
    )


def cloudformation(vpc_ignore: str = "", association_ignore: str = "") -> str:
    return (
        "Resources:\n"
        f"  A:\n    Type: AWS::EC2::VPC\n{vpc_ignore}"
        "    Properties:\n      CidrBlock: 10.1.0.0/16\n"
        f"  Extra:\n    Type: AWS::EC2::VPCCidrBlock\n{association_ignore}"
        "    Properties:\n      VpcId: !Ref A\n      CidrBlock: 10.1.128.0/17\n"
    )


TF_IGNORE = "# vpclint: ignore[VPC206] {reason}\n"
CFN_IGNORE = "    Metadata:\n      vpclint:\n        ignore: [VPC206]\n"


def findings(*argv: str) -> list[dict[str, Any]]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--no-cache", "--format", "json", "--select", "VPC206,VPC902", *argv], out, err)
    assert code in (0, 1), err.getvalue()
    return list(json.loads(out.getvalue())["findings"])


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".vpclint.toml").write_text("", encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "text", "association", "vpc", "vpc_line"),
    [
        ("main.tf", terraform(), "aws_vpc_ipv4_cidr_block_association.extra", "aws_vpc.a", 1),
        ("template.yaml", cloudformation(), "Extra", "A", 2),
    ],
)
def test_the_association_is_the_subject_and_the_vpc_is_related(
    name: str, text: str, association: str, vpc: str, vpc_line: int
) -> None:
    write(Path("."), {name: text})

    (finding,) = findings(".")

    assert finding["resource"] == association
    assert finding["message"] == (
        f"{association} adds 10.1.128.0/17 to {vpc}, overlapping its primary block 10.1.0.0/16"
    )
    assert (name, vpc_line, vpc, None) in [
        (r["file"], r["line"], r["resource"], r["cidr"]) for r in finding["related"]
    ]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("main.tf", terraform(association_ignore=TF_IGNORE.format(reason="on the association"))),
        ("main.tf", terraform(vpc_ignore=TF_IGNORE.format(reason="on the vpc"))),
        ("template.yaml", cloudformation(association_ignore=CFN_IGNORE)),
        ("template.yaml", cloudformation(vpc_ignore=CFN_IGNORE)),
    ],
    ids=["terraform-association", "terraform-vpc", "cfn-association", "cfn-vpc"],
)
def test_an_ignore_on_the_association_or_on_the_vpc_applies(name: str, text: str) -> None:
    write(Path("."), {name: text})

    # One finding, suppressed, and no VPC902: the ignore was used.
    (finding,) = findings(".")

    assert finding["code"] == "VPC206"
    assert finding["suppressed"]
