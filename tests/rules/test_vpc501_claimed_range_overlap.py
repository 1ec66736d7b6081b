"""EKS service ranges as claims, through the real CLI: VPC501 and VPC502, the provider's default,
the map and the inventory, in Terraform, CloudFormation and plan JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.files import write
from tests.hostile.conftest import run_vpclint

VPC_AND_NODES = """\
resource "aws_vpc" "main" {
  cidr_block = var.vpc_cidr
}

variable "vpc_cidr" {
  default = "10.0.0.0/16"
}

resource "aws_subnet" "nodes" {
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, 1)
}
"""


def _cluster(name: str, service_cidr: str | None = None) -> str:
    network_config = (
        f"  kubernetes_network_config {{\n    service_ipv4_cidr = {service_cidr}\n  }}\n"
        if service_cidr is not None
        else ""
    )
    return (
        f'resource "aws_eks_cluster" "{name}" {{\n'
        f'  name     = "{name}"\n'
        '  role_arn = "arn:aws:iam::123456789012:role/eks"\n'
        "  vpc_config {\n"
        "    subnet_ids = [aws_subnet.nodes.id]\n"
        "  }\n"
        f"{network_config}"
        "}\n"
    )


def _findings(project: Path, *args: str) -> list[dict[str, Any]]:
    outcome = run_vpclint("--format", "json", *args, ".", cwd=project)
    assert outcome.returncode in (0, 1), outcome.stderr
    findings: list[dict[str, Any]] = outcome.document["findings"]
    return [finding for finding in findings if finding["code"] in ("VPC501", "VPC502")]


def test_a_service_range_inside_its_own_vpc_is_reported_at_the_range(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": VPC_AND_NODES + _cluster("main", '"10.0.128.0/20"')})
    (finding,) = _findings(tmp_path)
    assert finding["code"] == "VPC501"
    assert (finding["file"], finding["line"]) == ("main.tf", 20)
    assert finding["resource"] == "aws_eks_cluster.main"
    assert finding["message"] == (
        "Kubernetes service range 10.0.128.0/20 of aws_eks_cluster.main overlaps 10.0.0.0/16 "
        "of aws_vpc.main (its own network)"
    )
    assert [related["resource"] for related in finding["related"]] == ["aws_vpc.main"]


def test_the_default_range_follows_the_vpc_and_meets_a_peered_network(tmp_path: Path) -> None:
    peer = """\
resource "aws_vpc" "peer" {
  cidr_block = "172.20.0.0/16"
}

resource "aws_vpc_peering_connection" "main_peer" {
  vpc_id      = aws_vpc.main.id
  peer_vpc_id = aws_vpc.peer.id
}
"""
    write(tmp_path, {"main.tf": VPC_AND_NODES + _cluster("main"), "peer.tf": peer})
    (finding,) = _findings(tmp_path)
    assert finding["message"] == (
        "the provider's default Kubernetes service range 172.20.0.0/16 of aws_eks_cluster.main "
        "overlaps 172.20.0.0/16 of aws_vpc.peer (connected through "
        "aws_vpc_peering_connection.main_peer)"
    )
    assert finding["line"] == 13  # the cluster itself: no attribute holds a default
    # Outside 10.0.0.0/8 the default is 10.100.0.0/16: clear of the peer.
    assert _findings(tmp_path, "--var", "vpc_cidr=192.168.0.0/16") == []


def test_a_range_on_an_unconnected_network_is_no_collision(tmp_path: Path) -> None:
    other = 'resource "aws_vpc" "other" {\n  cidr_block = "172.20.0.0/16"\n}\n'
    write(tmp_path, {"main.tf": VPC_AND_NODES + _cluster("main"), "other.tf": other})
    assert _findings(tmp_path) == []


def test_ranges_eks_refuses(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": VPC_AND_NODES
            + _cluster("public", '"100.64.0.0/16"')
            + _cluster("tiny", '"192.168.0.0/26"')
            + _cluster("fine", '"192.168.0.0/24"')
        },
    )
    messages = [finding["message"] for finding in _findings(tmp_path)]
    assert messages == [
        "the provider refuses Kubernetes service range 100.64.0.0/16 of aws_eks_cluster.public: "
        "it is not inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
        "the provider refuses Kubernetes service range 192.168.0.0/26 of aws_eks_cluster.tiny: "
        "a /26, where /12 to /24 is accepted",
    ]


def test_a_claim_is_checked_like_every_block(tmp_path: Path) -> None:
    clusters = (
        _cluster("invalid", '"10.200.0.0/33"')
        + _cluster("host_bits", '"172.20.1.0/16"')
        + _cluster("unresolved", "var.service_cidr")
        + 'variable "service_cidr" {}\n'
    )
    write(tmp_path, {"main.tf": VPC_AND_NODES + clusters})
    outcome = run_vpclint("--format", "json", ".", cwd=tmp_path)
    found = {
        (finding["code"], finding["resource"])
        for finding in outcome.document["findings"]
        if finding["code"] in ("VPC002", "VPC003", "VPC004")
    }
    assert found == {
        ("VPC002", "aws_eks_cluster.invalid"),
        ("VPC003", "aws_eks_cluster.host_bits"),
        ("VPC004", "aws_eks_cluster.unresolved"),
    }


def test_a_terraform_json_cluster_reads_its_nested_blocks(tmp_path: Path) -> None:
    configuration = {
        "resource": {
            "aws_vpc": {"main": {"cidr_block": "10.0.0.0/16"}},
            "aws_subnet": {"a": {"vpc_id": "${aws_vpc.main.id}", "cidr_block": "10.0.1.0/24"}},
            "aws_eks_cluster": {
                "main": {
                    "name": "main",
                    "vpc_config": {"subnet_ids": ["${aws_subnet.a.id}"]},
                    "kubernetes_network_config": {"service_ipv4_cidr": "10.0.16.0/20"},
                },
                "odd": {"vpc_config": "not a block", "kubernetes_network_config": [1]},
            },
        }
    }
    write(tmp_path, {"main.tf.json": json.dumps(configuration)})
    (finding,) = _findings(tmp_path)
    assert (finding["code"], finding["resource"]) == ("VPC501", "aws_eks_cluster.main")


def test_a_cloudformation_cluster_in_its_vpc(tmp_path: Path) -> None:
    template = """\
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Nodes:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      ResourcesVpcConfig:
        SubnetIds: [!Ref Nodes]
      KubernetesNetworkConfig:
        ServiceIpv4Cidr: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 2, 12]]
  Broken:
    Type: AWS::EKS::Cluster
    Properties:
      ResourcesVpcConfig: not a mapping
      KubernetesNetworkConfig: [1, 2]
"""
    write(tmp_path, {"template.yaml": template})
    (finding,) = _findings(tmp_path)
    assert (finding["code"], finding["resource"], finding["line"]) == ("VPC501", "Cluster", 17)
    assert "10.0.0.0/20 of Cluster overlaps 10.0.0.0/16 of Vpc" in finding["message"]


def test_a_plan_reads_the_service_range(tmp_path: Path) -> None:
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "planned_values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_eks_cluster.main",
                        "mode": "managed",
                        "type": "aws_eks_cluster",
                        "name": "main",
                        "values": {
                            "name": "main",
                            "kubernetes_network_config": [{"service_ipv4_cidr": "10.0.0.0/33"}],
                            "vpc_config": [{"subnet_ids": None}],
                        },
                    }
                ]
            }
        },
    }
    write(tmp_path, {"plan.json": json.dumps(plan)})
    outcome = run_vpclint("--format", "json", ".", cwd=tmp_path)
    codes = [(finding["code"], finding["resource"]) for finding in outcome.document["findings"]]
    assert ("VPC002", "aws_eks_cluster.main") in codes


def test_the_map_and_the_inventory_show_claims_under_their_network(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"main.tf": VPC_AND_NODES + _cluster("set", '"172.20.0.0/16"') + _cluster("unset")},
    )
    # A sub-command takes --no-cache after its name.
    text = run_vpclint("map", "--no-cache", ".", cwd=tmp_path, cache=True).stdout
    assert "claims   172.20.0.0/16 Kubernetes service range of aws_eks_cluster.set\n" in text
    assert "172.20.0.0/16 Kubernetes service range of aws_eks_cluster.unset" in text
    assert "(provider default)" in text

    inventory = run_vpclint(
        "inventory", "--no-cache", "--repository", "acme/network", ".", cwd=tmp_path, cache=True
    )
    (network,) = inventory.document["networks"]
    assert [
        (claim["address"], claim["blocks"][0]["cidr"], claim["provider_default"])
        for claim in network["claims"]
    ] == [
        ("aws_eks_cluster.set", "172.20.0.0/16", False),
        ("aws_eks_cluster.unset", "172.20.0.0/16", True),
    ]
