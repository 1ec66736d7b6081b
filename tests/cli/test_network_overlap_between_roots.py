"""VPC204 between two roots or templates is one finding per pair of them, listing the overlapping
blocks; inside one root it stays one finding per pair of networks. Through the real CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.files import write
from vpclint.cli import main

NOT_CONNECTED = "; the networks are not connected, and overlapping networks can never be peered"


def vpcs(*cidrs: str, prefix: str = "net") -> str:
    return "".join(
        f'resource "aws_vpc" "{prefix}{index}" {{\n  cidr_block = "{cidr}"\n}}\n\n'
        for index, cidr in enumerate(cidrs)
    )


def template(*cidrs: str) -> str:
    resources = "".join(
        f"  Vpc{index}:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: {cidr}\n"
        for index, cidr in enumerate(cidrs)
    )
    return f"Resources:\n{resources}"


def findings(*argv: str) -> list[dict[str, Any]]:
    out, err = io.StringIO(), io.StringIO()
    exit_code = main(["--no-cache", "--format", "json", *argv], out, err)
    assert exit_code in (0, 1), err.getvalue()
    return list(json.loads(out.getvalue())["findings"])


def overlaps(*argv: str) -> list[dict[str, Any]]:
    return [f for f in findings("--select", "VPC203,VPC204", *argv) if not f["suppressed"]]


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".vpclint.toml").write_text("", encoding="utf-8")


def test_two_roots_sharing_a_plan_are_one_finding_listing_the_blocks() -> None:
    write(
        Path("."),
        {
            "envs/dev/main.tf": vpcs("10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16"),
            "envs/prod/main.tf": vpcs("10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16"),
        },
    )

    (finding,) = overlaps(".")

    assert finding["code"] == "VPC204"
    assert finding["message"] == (
        "networks of envs/prod and of envs/dev overlap: 10.0.0.0/16 of aws_vpc.net0 overlaps "
        "10.0.0.0/16 of aws_vpc.net0 (and 2 more overlapping block pairs: 10.1.0.0/16 of "
        "aws_vpc.net1 overlaps 10.1.0.0/16 of aws_vpc.net1, 10.2.0.0/16 of aws_vpc.net2 overlaps "
        "10.2.0.0/16 of aws_vpc.net2)" + NOT_CONNECTED
    )
    assert (finding["file"], finding["line"], finding["resource"]) == (
        "envs/prod/main.tf",
        2,
        "aws_vpc.net0",
    )
    # Every other block of both roots that overlaps is a related location, so each is one
    # click away in SARIF; the reported block itself is not repeated.
    assert sorted((r["file"], r["line"]) for r in finding["related"]) == [
        ("envs/dev/main.tf", 2),
        ("envs/dev/main.tf", 6),
        ("envs/dev/main.tf", 10),
        ("envs/prod/main.tf", 6),
        ("envs/prod/main.tf", 10),
    ]


def test_inside_one_root_each_pair_of_networks_keeps_its_finding() -> None:
    write(Path("."), {"envs/dev/main.tf": vpcs("10.0.0.0/16", "10.0.0.0/16", "10.0.0.0/20")})

    assert [(f["resource"], f["message"]) for f in overlaps(".")] == [
        (
            "aws_vpc.net1",
            "10.0.0.0/16 of aws_vpc.net1 overlaps 10.0.0.0/16 of aws_vpc.net0" + NOT_CONNECTED,
        ),
        (
            "aws_vpc.net2",
            "10.0.0.0/20 of aws_vpc.net2 overlaps 10.0.0.0/16 of aws_vpc.net0" + NOT_CONNECTED,
        ),
        (
            "aws_vpc.net2",
            "10.0.0.0/20 of aws_vpc.net2 overlaps 10.0.0.0/16 of aws_vpc.net1" + NOT_CONNECTED,
        ),
    ]


def test_a_template_and_a_root_are_a_pair_and_the_list_is_bounded() -> None:
    cidrs = [f"10.{index}.0.0/16" for index in range(6)]
    write(
        Path("."),
        {
            "network.yaml": template(*cidrs),
            "terraform/main.tf": vpcs(*cidrs),
            "other/main.tf": vpcs("192.168.0.0/16"),
        },
    )

    (finding,) = overlaps(".")

    assert finding["message"] == (
        "networks of terraform and of network.yaml overlap: 10.0.0.0/16 of aws_vpc.net0 overlaps "
        "10.0.0.0/16 of Vpc0 (and 5 more overlapping block pairs: 10.1.0.0/16 of aws_vpc.net1 "
        "overlaps 10.1.0.0/16 of Vpc1, 10.2.0.0/16 of aws_vpc.net2 overlaps 10.2.0.0/16 of Vpc2, "
        "10.3.0.0/16 of aws_vpc.net3 overlaps 10.3.0.0/16 of Vpc3 and 2 more)" + NOT_CONNECTED
    )
    # The blocks it names are related (the first pair's other side and three pairs), not more.
    assert len(finding["related"]) == 7


def test_three_roots_are_three_pairs() -> None:
    write(
        Path("."),
        {f"{name}/main.tf": vpcs("10.0.0.0/16", "10.1.0.0/16") for name in ("a", "b", "c")},
    )

    found = overlaps(".")

    assert [f["message"].split(":")[0] for f in found] == [
        "networks of b and of a overlap",
        "networks of c and of a overlap",
        "networks of c and of b overlap",
    ]


def test_an_ignore_on_a_network_of_the_pair_suppresses_the_pair() -> None:
    write(
        Path("."),
        {
            "sandbox/main.tf": "# vpclint: ignore[VPC204] sandboxes are never connected\n"
            + vpcs("10.0.0.0/16", "10.1.0.0/16"),
            "prod/main.tf": vpcs("10.0.0.0/16", "10.1.0.0/16"),
        },
    )

    (finding,) = [f for f in findings(".") if f["code"] in ("VPC204", "VPC902")]

    assert finding["code"] == "VPC204"
    assert finding["suppressed"] == "sandboxes are never connected"
