"""A resource's id reached through a string function links as the reference itself does, where
Terraform's result is exactly that id, and only there."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.files import write

ROOT = Path(__file__).resolve().parents[2]


def findings(folder: Path) -> list[dict[str, Any]]:
    completed = subprocess.run(
        [sys.executable, "-m", "vpclint", "--no-cache", "--format", "json", "."],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    found: list[dict[str, Any]] = json.loads(completed.stdout)["findings"]
    return found


VPCS = """resource "aws_vpc" "x" {
  count      = 2
  cidr_block = "10.${count.index}.0.0/16"
}
"""


def subnet(vpc_id: str) -> str:
    """Two VPCs, and a subnet outside both in the one ``vpc_id`` names."""
    block = f'  vpc_id     = {vpc_id}\n  cidr_block = "192.168.0.0/24"\n'
    return f'{VPCS}\nresource "aws_subnet" "s" {{\n{block}}}\n'


@pytest.mark.parametrize(
    ("vpc_id", "network"),
    [
        ('join("", [aws_vpc.x[1].id])', "aws_vpc.x[1]"),
        ('join("-", [aws_vpc.x[0].id])', "aws_vpc.x[0]"),
        ('join("", ["", aws_vpc.x[1].id], [""])', "aws_vpc.x[1]"),
        ('format("%v", aws_vpc.x[1].id)', "aws_vpc.x[1]"),
        ("tostring(aws_vpc.x[0].id)", "aws_vpc.x[0]"),
        ('"${join("", [aws_vpc.x[1].id])}"', "aws_vpc.x[1]"),
    ],
)
def test_a_function_whose_result_is_the_id_places_the_subnet_in_that_network(
    tmp_path: Path, vpc_id: str, network: str
) -> None:
    (outside,) = [
        item
        for item in findings(write(tmp_path, {"main.tf": subnet(vpc_id)}))
        if item["code"] == "VPC201"
    ]
    assert [item["resource"] for item in outside["related"]] == [network]


@pytest.mark.parametrize(
    "vpc_id",
    [
        'join(",", aws_vpc.x.*.id)',  # two ids: "vpc-a,vpc-b" is neither
        'join("/", [aws_vpc.x[0].id, ""])',  # "vpc-a/" is not vpc-a
        'format("%s-peer", aws_vpc.x[0].id)',
        "lower(aws_vpc.x[0].id)",  # the id as the provider spells it is not known
    ],
)
def test_a_string_merely_made_from_an_id_is_not_that_id(tmp_path: Path, vpc_id: str) -> None:
    reported = findings(write(tmp_path, {"main.tf": subnet(vpc_id)}))
    assert not [item for item in reported if item["code"] == "VPC201"]


def test_a_peering_that_looks_its_networks_up_by_self_link_is_a_connection() -> None:
    """The Fabric way: networks from a module per entry, a context map of their self_links
    (a module output made with format()), and the peering's lookup() by key: connected, so the
    overlap is VPC203 (an error), not VPC204 (unconnected networks, a warning)."""
    case = ROOT / "fixtures/terraform/rules/vpc203/bad-lookup-self-link"
    codes = [item["code"] for item in findings(case)]
    assert codes.count("VPC203") == 1
    assert "VPC204" not in codes
