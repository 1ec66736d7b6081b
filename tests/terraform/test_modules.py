"""Module calls: per count instance, nested, recursive, outside the project, depth limit."""

from __future__ import annotations

from pathlib import Path

from tests.files import write
from tests.terraform.conftest import by_address, evaluate_folder
from vpclint.limits import Limits
from vpclint.topology.models import UnknownKind

_NETWORK_MODULE = """
variable "cidr" {}
variable "name" { default = "net" }
resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = { Name = var.name }
}
output "vpc_id" { value = aws_vpc.this.id }
output "cidr" { value = aws_vpc.this.cidr_block }
"""


def test_module_with_count_and_nested_calls(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "live/main.tf": """
module "regions" {
  count  = 2
  source = "../modules/region"
  base   = cidrsubnet("10.0.0.0/8", 4, count.index)
}
resource "aws_vpc_peering_connection" "regions" {
  vpc_id      = module.regions[0].vpc_id
  peer_vpc_id = module.regions[1].vpc_id
}
""",
            "modules/region/main.tf": """
variable "base" {}
module "vpc" {
  source = "../network"
  cidr   = var.base
  name   = "region"
}
output "vpc_id" { value = module.vpc.vpc_id }
""",
            "modules/network/main.tf": _NETWORK_MODULE,
        },
    )
    topology = evaluate_folder(tmp_path)
    networks = by_address(topology.networks)
    assert set(networks) == {
        "module.regions[0].module.vpc.aws_vpc.this",
        "module.regions[1].module.vpc.aws_vpc.this",
    }
    second = networks["module.regions[1].module.vpc.aws_vpc.this"]
    assert second.ipv4_blocks[0].cidr == "10.16.0.0/12"
    assert second.name == "region"
    assert second.key.startswith("live::") or second.key.split("::")[0].endswith("live")
    (peering,) = topology.connections
    assert peering.ends[1].key == second.key


def test_module_calling_itself_is_evaluated_once_and_the_cycle_reported(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'module "again" {\n  source = "./"\n}\n'
            'resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }\n'
        },
    )
    # Nothing else calls the folder: it is evaluated as a root, and the call into itself is not.
    topology = evaluate_folder(tmp_path)
    assert [network.address for network in topology.networks] == ["aws_vpc.v"]
    [cycle] = topology.parse_errors
    assert "module call cycle" in cycle.message and cycle.location.line == 1
    write(tmp_path, {"root/main.tf": 'module "loop" {\n  source = "../"\n}\n'})
    topology = evaluate_folder(tmp_path, limits=Limits(max_module_depth=3))
    assert [network.address for network in topology.networks] == ["module.loop.aws_vpc.v"]
    assert len(topology.parse_errors) == 1


def test_module_outside_the_project_is_not_read(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write(tmp_path, {"outside/main.tf": _NETWORK_MODULE})
    write(
        project,
        {
            "main.tf": 'module "x" {\n  source = "../outside"\n  cidr = "10.0.0.0/16"\n}\n'
            'resource "aws_subnet" "s" {\n  vpc_id = module.x.vpc_id\n'
            "  cidr_block = module.x.cidr\n}\n"
        },
    )
    (subnet,) = evaluate_folder(project).subnets
    assert subnet.ipv4_blocks[0].unknown is not None
    assert "outside the project" in subnet.ipv4_blocks[0].unknown.reason


def test_reference_cycle_and_step_limit_become_unknowns(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
locals {
  a = local.b
  b = local.a
  big = [for x in range(5000) : [for y in range(5000) : x * y]]
}
resource "aws_vpc" "cycle" { cidr_block = local.a }
resource "aws_vpc" "work" { cidr_block = length(local.big) > 0 ? "10.0.0.0/16" : "" }
"""
        },
    )
    networks = by_address(evaluate_folder(tmp_path, limits=Limits(max_steps=50_000)).networks)
    cycle = networks["aws_vpc.cycle"].ipv4_blocks[0].unknown
    assert cycle is not None and cycle.kind == UnknownKind.ERROR and "cycle" in cycle.reason
    work = networks["aws_vpc.work"].ipv4_blocks[0].unknown
    assert work is not None and work.kind == UnknownKind.LIMIT
    assert "steps" in work.reason
