"""A user acts per network, not per subnet: a dual-stack gap across a network's subnets, or
subnets carved from one unknown block, are one finding each, through the CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.files import write
from vpclint.cli import main


def dual_stack_network(subnets: int) -> str:
    text = (
        'resource "aws_vpc" "main" {\n  cidr_block                       = "10.0.0.0/16"\n'
        "  assign_generated_ipv6_cidr_block = true\n}\n"
    )
    for index in range(subnets):
        text += (
            f'\nresource "aws_subnet" "s{index}" {{\n  vpc_id     = aws_vpc.main.id\n'
            f'  cidr_block = "10.0.{index}.0/24"\n}}\n'
        )
    return text


CARVED_FROM_UNKNOWN = (
    'variable "vpc_cidr" {\n  type = string\n}\n\n'
    'resource "aws_vpc" "main" {\n  cidr_block = var.vpc_cidr\n}\n\n'
    'resource "aws_subnet" "private" {\n  count      = 6\n  vpc_id     = aws_vpc.main.id\n'
    "  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)\n}\n"
)


def findings(code: str, *argv: str) -> list[dict[str, Any]]:
    out, err = io.StringIO(), io.StringIO()
    exit_code = main(["--no-cache", "--format", "json", "--select", code, *argv], out, err)
    assert exit_code in (0, 1), err.getvalue()
    return list(json.loads(out.getvalue())["findings"])


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_up_to_three_subnets_without_ipv6_are_reported_one_by_one(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": dual_stack_network(3)})
    reported = findings("VPC302", ".")
    assert [(f["resource"], f["line"]) for f in reported] == [
        ("aws_subnet.s0", 6),
        ("aws_subnet.s1", 11),
        ("aws_subnet.s2", 16),
    ]


def test_more_subnets_without_ipv6_are_one_finding_for_the_network(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": dual_stack_network(12)})
    [gap] = findings("VPC302", ".")
    assert (gap["resource"], gap["line"]) == ("aws_vpc.main", 1)
    assert gap["message"] == (
        "12 subnets of aws_vpc.main have no IPv6 block, but the network has one (dual-stack "
        "gap): aws_subnet.s0, aws_subnet.s1, aws_subnet.s10, aws_subnet.s11, aws_subnet.s2, "
        "aws_subnet.s3, aws_subnet.s4, aws_subnet.s5, aws_subnet.s6, aws_subnet.s7 and 2 more"
    )
    subnets = [r["resource"] for r in gap["related"] if r["resource"] != "aws_vpc.main"]
    assert subnets == [f"aws_subnet.s{index}" for index in range(12)]
    (tmp_path / ".vpclint.toml").write_text("[rules.VPC302]\nmax-per-network = 20\n")
    assert len(findings("VPC302", ".")) == 12


def test_subnets_carved_from_one_unknown_block_are_one_vpc004(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": CARVED_FROM_UNKNOWN})
    [unresolved] = findings("VPC004", ".")
    assert (unresolved["resource"], unresolved["line"]) == ("aws_vpc.main", 6)
    assert unresolved["message"].startswith(
        "CIDR cannot be resolved statically: variable 'vpc_cidr' has no value"
    )
    assert unresolved["message"].endswith(
        ", for 7 blocks: aws_vpc.main, aws_subnet.private[0], aws_subnet.private[1], "
        "aws_subnet.private[2], aws_subnet.private[3], aws_subnet.private[4], "
        "aws_subnet.private[5]"
    )
    out = io.StringIO()
    main(["--no-cache", "--select", "VPC004", "."], out, io.StringIO())
    assert "7 unresolved (VPC004: 7 known only at apply)" in out.getvalue()
