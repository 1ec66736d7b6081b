"""``vpclint which``: who holds an address or block, across Terraform, CloudFormation and an
imported inventory, through the real CLI on real files."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.files import write
from vpclint.cli import main

TERRAFORM = """\
variable "batch_cidr" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block      = "10.20.0.0/16"
  ipv6_cidr_block = "2600:1f14:ab:cd00::/56"
}

resource "aws_subnet" "app" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = cidrsubnet(aws_vpc.main.cidr_block, 8, 3)
  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
}

resource "aws_subnet" "batch" {
  vpc_id     = aws_vpc.main.id
  cidr_block = var.batch_cidr
}
"""

CLOUDFORMATION = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.30.0.0/16
  Web:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [1, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]
"""

CORE = """\
resource "aws_vpc" "shared" {
  cidr_block = "10.40.0.0/16"
}
"""


def run(cwd: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["which", *argv, "--no-cache", "--no-config"], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(
        tmp_path,
        {
            "project/infra/main.tf": TERRAFORM,
            "project/cfn/network.yaml": CLOUDFORMATION,
            "core/main.tf": CORE,
        },
    )
    monkeypatch.chdir(tmp_path)
    exported = io.StringIO()
    assert (
        main(
            ["inventory", "core", "--no-cache", "--no-config", "--repository", "acme/core"],
            stdout=exported,
        )
        == 0
    )
    (tmp_path / "core.json").write_text(exported.getvalue(), encoding="utf-8")
    return tmp_path


def holders(document: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    return [
        (
            item["relation"],
            item["cidr"],
            item["resource"],
            f"{item['file']}:{item['line']}",
            item["root"],
        )
        for item in document["holders"]
    ]


def test_an_address_is_held_by_the_vpc_and_its_subnet_with_file_line_and_root(
    project: Path,
) -> None:
    code, out, err = run(project, "10.20.3.7", "project")
    assert (code, err) == (0, "")
    assert out.splitlines()[:3] == [
        "10.20.3.7: 2 blocks in scope",
        "  project/infra/main.tf:6: 10.20.0.0/16 holds it: network aws_vpc.main (primary), "
        "root project/infra",
        "  project/infra/main.tf:12: 10.20.3.0/24 holds it: subnet aws_subnet.app (primary), "
        "root project/infra",
    ]
    # The subnet whose CIDR is a variable without a value may hold it too; it is not guessed.
    assert out.splitlines()[3] == "Note: 1 IPv4 block is unresolved and may hold it too:"
    assert "project/infra/main.tf:18: subnet aws_subnet.batch:" in out.splitlines()[4]


def test_a_block_lists_what_is_it_and_what_lies_within_it(project: Path) -> None:
    code, out, _ = run(project, "10.30.0.0/16", "project", "--format", "json")
    document = json.loads(out)
    assert code == 0
    assert document["query"] == {"input": "10.30.0.0/16", "cidr": "10.30.0.0/16"}
    assert holders(document) == [
        ("equal", "10.30.0.0/16", "Vpc", "project/cfn/network.yaml:6", "project/cfn/network.yaml"),
        (
            "within",
            "10.30.1.0/24",
            "Web",
            "project/cfn/network.yaml:11",
            "project/cfn/network.yaml",
        ),
    ]
    assert document["holders"][1]["type"] == "AWS::EC2::Subnet"


def test_ipv6_holders_and_no_ipv4_noise(project: Path) -> None:
    code, out, _ = run(project, "2600:1f14:ab:cd01::53", "project", "--format", "json")
    document = json.loads(out)
    assert code == 0
    assert [(item["cidr"], item["origin"]) for item in document["holders"]] == [
        ("2600:1f14:ab:cd00::/56", "IPv6 primary"),
        ("2600:1f14:ab:cd01::/64", "IPv6 primary"),
    ]
    assert document["unresolved"] == []


def test_an_imported_inventory_names_its_repository(project: Path) -> None:
    code, out, _ = run(
        project, "10.40.8.0/21", "project", "--inventory", "core.json", "--format", "json"
    )
    document = json.loads(out)
    assert code == 0
    (holder,) = document["holders"]
    assert (holder["resource"], holder["root"], holder["external"]) == (
        "acme/core:aws_vpc.shared",
        "acme/core",
        True,
    )
    assert holder["file"] == "core.json"


def test_nothing_holds_it_exits_1_and_still_names_the_unresolved(project: Path) -> None:
    code, out, err = run(project, "192.168.1.1", "project")
    assert (code, err) == (1, "")
    first_line = "192.168.1.1: no known network, subnet or claim holds or overlaps it"
    assert out.splitlines()[0] == first_line
    assert "aws_subnet.batch" in out


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("10.20/16", "'10.20/16': '10.20' is not an IPv4 or IPv6 address"),
        (
            "banana",
            "'banana' is not an IPv4 or IPv6 CIDR or address (e.g. 10.0.0.0/16, 10.0.3.7, "
            "fd00::/48)",
        ),
    ],
)
def test_a_bad_query_is_one_line_and_exit_2(project: Path, query: str, message: str) -> None:
    code, out, err = run(project, query, "project")
    assert (code, out) == (2, "")
    assert err == f"vpclint: error: {message}\n"


def test_a_missing_path_is_one_line_and_exit_2(project: Path) -> None:
    code, _, err = run(project, "10.0.0.1", "nowhere")
    assert code == 2
    assert err == "vpclint: error: no such file or folder: nowhere\n"


CLUSTERS = """\
resource "aws_vpc" "apps" {
  cidr_block = "10.50.0.0/16"
}

resource "aws_subnet" "nodes" {
  vpc_id     = aws_vpc.apps.id
  cidr_block = "10.50.1.0/24"
}

resource "aws_eks_cluster" "set" {
  name     = "set"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.nodes.id]
  }
  kubernetes_network_config {
    service_ipv4_cidr = "172.16.0.0/16"
  }
}

resource "aws_eks_cluster" "unset" {
  name     = "unset"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.nodes.id]
  }
}
"""


def test_a_clusters_service_range_and_the_providers_default_are_claims_that_hold_it(
    tmp_path: Path,
) -> None:
    write(tmp_path, {"clusters.tf": CLUSTERS})
    code, out, _ = run(tmp_path, "172.16.0.10", "--format", "json", str(tmp_path))
    assert code == 0
    holders = {(h["resource"], h["kind"], h["cidr"]) for h in json.loads(out)["holders"]}
    assert holders == {("aws_eks_cluster.set", "claim", "172.16.0.0/16")}
    # The unset cluster's range is AWS's default: 172.20.0.0/16, its VPC being in 10.0.0.0/8.
    code, out, _ = run(tmp_path, "172.20.0.0/12", str(tmp_path))
    assert code == 0
    assert "claim aws_eks_cluster.unset (provider default)" in out
    assert "claim aws_eks_cluster.set (primary)" in out
