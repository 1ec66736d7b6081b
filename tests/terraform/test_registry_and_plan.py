"""The registry VPC module (modelled or downloaded) and plan JSON files."""

from __future__ import annotations

import json
from pathlib import Path

from tests.files import write
from tests.terraform.conftest import FIXTURES, by_address, evaluate_folder


def test_registry_vpc_module_is_modelled_with_real_addresses_and_locations() -> None:
    topology = evaluate_folder(FIXTURES / "registry-vpc")
    networks = by_address(topology.networks)
    vpc = networks["module.vpc.aws_vpc.this[0]"]
    assert [(block.cidr, block.origin) for block in vpc.ipv4_blocks] == [
        ("10.70.0.0/16", "primary"),
        ("100.64.0.0/20", "module.vpc.aws_vpc_ipv4_cidr_block_association.this[0]"),
    ]
    assert vpc.location.file.endswith("registry-vpc/main.tf") and vpc.location.line == 10
    assert vpc.ipv4_blocks[0].location.line == 15  # the `cidr` argument
    assert vpc.ipv6 == "present" and vpc.ipv6_blocks[0].provider_assigned
    assert vpc.name == "main"
    subnets = by_address(topology.subnets)
    public = subnets["module.vpc.aws_subnet.public[1]"]
    assert public.ipv4_blocks[0].cidr == "10.70.1.0/24"
    assert public.ipv4_blocks[0].location.line == 20  # the list item of public_subnets
    assert public.network.key == vpc.key
    assert public.ipv6 == "present" and public.ipv6_blocks[0].cidr is None
    private = subnets["module.vpc.aws_subnet.private[1]"]
    assert private.ipv4_blocks[0].cidr == "10.70.32.0/20"
    database = subnets["module.vpc.aws_subnet.database[0]"]
    assert database.ipv6 == "absent"
    assert set(subnets) == {
        f"module.vpc.aws_subnet.{tier}[{index}]"
        for tier in ("public", "private", "database")
        for index in (0, 1)
    }
    (peering,) = topology.connections
    assert peering.ends[1].key == vpc.key
    # No location may point into vpclint's own model of the module.
    places = [block.location.file for _, block in topology.declared_blocks()]
    places += [
        block.unknown.location.file
        for _, block in topology.declared_blocks()
        if block.unknown and block.unknown.location
    ]
    assert all(place.endswith("registry-vpc/main.tf") for place in places)


def test_downloaded_module_from_modules_json_is_evaluated(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'module "net" {\n  source = "app.terraform.io/acme/net/aws"\n'
            '  cidr   = "10.90.0.0/16"\n}\n'
            'resource "aws_subnet" "extra" {\n  vpc_id     = module.net.vpc_id\n'
            "  cidr_block = cidrsubnet(module.net.cidr, 8, 200)\n}\n",
            ".terraform/modules/modules.json": json.dumps(
                {
                    "Modules": [
                        {"Key": "", "Source": "", "Dir": "."},
                        {
                            "Key": "net",
                            "Source": "app.terraform.io/acme/net/aws",
                            "Version": "1.0.0",
                            "Dir": ".terraform/modules/net",
                        },
                    ]
                }
            ),
            ".terraform/modules/net/main.tf": 'variable "cidr" {}\n'
            'resource "aws_vpc" "this" { cidr_block = var.cidr }\n'
            'output "vpc_id" { value = aws_vpc.this.id }\n'
            'output "cidr" { value = aws_vpc.this.cidr_block }\n',
        },
    )
    topology = evaluate_folder(tmp_path)
    networks = by_address(topology.networks)
    vpc = networks["module.net.aws_vpc.this"]
    (subnet,) = topology.subnets
    assert subnet.ipv4_blocks[0].cidr == "10.90.200.0/24"
    assert subnet.network.key == vpc.key


def test_plan_json_values_and_links_through_configuration_references() -> None:
    topology = evaluate_folder(FIXTURES / "plan")
    assert [(entry.kind, entry.status) for entry in topology.files] == [
        ("terraform-plan", "parsed")
    ]
    networks = by_address(topology.networks)
    main = networks["aws_vpc.main"]
    assert main.ipv4_blocks[0].cidr == "10.80.0.0/16"
    assert main.ipv6 == "present"
    assert main.location.file.endswith("plan.json") and main.location.line == 8
    subnets = by_address(topology.subnets)
    assert subnets["aws_subnet.app[1]"].ipv4_blocks[0].cidr == "10.80.1.0/24"
    assert subnets["aws_subnet.app[1]"].network.key == main.key
    (peering,) = topology.connections
    assert peering.ends[0].key == networks["module.edge.aws_vpc.this"].key
    assert peering.ends[1].external_id == "vpc-0shared0000000000"
