"""The front end resolves CIDRs the way Terraform would, and links objects to their networks."""

from __future__ import annotations

from pathlib import Path

from tests.files import write
from tests.terraform.conftest import FIXTURES, by_address, evaluate_folder
from vpclint.limits import Limits
from vpclint.topology.models import UnknownKind


def test_tfvars_value_flows_into_cidrsubnet_with_count_and_for_each() -> None:
    topology = evaluate_folder(FIXTURES / "basic")
    subnets = by_address(topology.subnets)
    assert [subnets[f"aws_subnet.public[{i}]"].ipv4_blocks[0].cidr for i in range(3)] == [
        "10.20.0.0/24",
        "10.20.1.0/24",
        "10.20.2.0/24",
    ]
    private = subnets['aws_subnet.private["eu-west-1b"]']
    assert private.ipv4_blocks[0].cidr == "10.20.33.0/24"
    assert private.ipv4_blocks[0].location.line == 36
    assert private.location.line == 32
    vpc_key = by_address(topology.networks)["aws_vpc.main"].key
    assert private.network.key == vpc_key


def test_secondary_block_and_peering_and_literal_vpc_id() -> None:
    topology = evaluate_folder(FIXTURES / "basic")
    networks = by_address(topology.networks)
    main = networks["aws_vpc.main"]
    assert [(block.cidr, block.origin) for block in main.ipv4_blocks] == [
        ("10.20.0.0/16", "primary"),
        ("100.64.0.0/16", "aws_vpc_ipv4_cidr_block_association.secondary"),
    ]
    assert main.ipv4_blocks[1].origin_location is not None
    assert main.ipv4_blocks[1].origin_location.line == 39
    peer = networks["aws_vpc.peer"]
    assert peer.ipv6 == "present"
    assert peer.ipv6_blocks[0].provider_assigned and peer.ipv6_blocks[0].cidr is None
    (peering,) = topology.connections
    assert [end.key for end in peering.ends] == [main.key, peer.key]
    external = by_address(topology.subnets)["aws_subnet.external"]
    assert external.network.external_id == "vpc-0abc1234"


def test_suppression_comment_targets_the_block_below() -> None:
    topology = evaluate_folder(FIXTURES / "basic")
    (suppression,) = topology.suppressions
    assert suppression.codes == ("VPC301",)
    assert suppression.reason == "IPv6 comes later"
    assert suppression.location.line == 16
    assert suppression.target is not None and suppression.target.line == 17


def test_module_calls_are_evaluated_per_instance_and_outputs_link_networks() -> None:
    topology = evaluate_folder(FIXTURES / "modules")
    networks = by_address(topology.networks)
    assert networks["module.prod.aws_vpc.this"].ipv4_blocks[0].cidr == "10.10.0.0/16"
    assert networks['module.envs["test"].aws_vpc.this'].ipv4_blocks[0].cidr == "10.31.0.0/16"
    subnets = by_address(topology.subnets)
    assert subnets["module.prod.aws_subnet.this[1]"].ipv4_blocks[0].cidr == "10.10.16.0/20"
    assert "module.prod.aws_subnet.this[2]" not in subnets
    (peering,) = topology.connections
    assert peering.ends[0].key == networks["module.prod.aws_vpc.this"].key
    (attachment,) = topology.attachments
    assert attachment.network.key == networks['module.envs["dev"].aws_vpc.this'].key
    assert attachment.gateway is not None and attachment.gateway.endswith(
        "aws_ec2_transit_gateway.hub"
    )


def test_variable_precedence_env_tfvars_var_file_and_var(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'variable "cidr" {}\nresource "aws_vpc" "v" { cidr_block = var.cidr }\n',
            "terraform.tfvars": 'cidr = "10.1.0.0/16"\n',
            "b.auto.tfvars": 'cidr = "10.3.0.0/16"\n',
            "a.auto.tfvars.json": '{"cidr": "10.2.0.0/16"}',
            "prod.tfvars": 'cidr = "10.4.0.0/16"\n',
        },
    )

    def cidr(**settings: object) -> str | None:
        topology = evaluate_folder(tmp_path, **settings)  # type: ignore[arg-type]
        return topology.networks[0].ipv4_blocks[0].cidr

    environment = {"TF_VAR_cidr": "10.0.0.0/16"}
    assert cidr(environment=environment) == "10.3.0.0/16"
    assert cidr(environment=environment, var_files=[tmp_path / "prod.tfvars"]) == "10.4.0.0/16"
    assert (
        cidr(var_files=[tmp_path / "prod.tfvars"], variables={"cidr": "10.5.0.0/16"})
        == "10.5.0.0/16"
    )
    (tmp_path / "terraform.tfvars").unlink()
    (tmp_path / "b.auto.tfvars").unlink()
    (tmp_path / "a.auto.tfvars.json").unlink()
    assert cidr(environment=environment) == "10.0.0.0/16"


def test_variable_without_value_is_unresolved_with_reason(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"main.tf": 'variable "cidr" {}\nresource "aws_vpc" "v" {\n  cidr_block = var.cidr\n}\n'},
    )
    block = evaluate_folder(tmp_path).networks[0].ipv4_blocks[0]
    assert block.cidr is None and block.unknown is not None
    assert block.unknown.kind == UnknownKind.UNRESOLVED
    assert "has no value" in block.unknown.reason
    assert block.location.line == 3


def test_cidr_function_error_is_an_error_unknown_at_the_call(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'resource "aws_vpc" "v" {\n'
            '  cidr_block = cidrsubnet("10.0.0.0/8", 30, 5)\n'
            "}\n"
        },
    )
    block = evaluate_folder(tmp_path).networks[0].ipv4_blocks[0]
    assert block.unknown is not None and block.unknown.kind == UnknownKind.ERROR
    assert "insufficient address space to extend prefix of 8 by 30" in block.unknown.reason
    assert block.unknown.location is not None and block.unknown.location.line == 2


def test_huge_count_is_a_limit_not_a_hang(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'resource "aws_subnet" "s" {\n  count = 100000000\n'
            '  vpc_id = "vpc-1"\n  cidr_block = cidrsubnet("10.0.0.0/8", 24, count.index)\n}\n'
        },
    )
    (subnet,) = evaluate_folder(tmp_path, limits=Limits(max_expansion=1000)).subnets
    unknown = subnet.ipv4_blocks[0].unknown
    assert unknown is not None and unknown.kind == UnknownKind.LIMIT
    assert "100000000" in unknown.reason and unknown.location is not None
    assert unknown.location.line == 2


def test_data_sources_and_remote_modules_stay_unknown_with_reasons(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'data "aws_vpc" "shared" {}\n'
            'module "remote" {\n  source = "git::https://example.com/net.git"\n}\n'
            'resource "aws_subnet" "a" {\n  vpc_id = data.aws_vpc.shared.id\n'
            "  cidr_block = cidrsubnet(data.aws_vpc.shared.cidr_block, 8, 1)\n}\n"
            'resource "aws_subnet" "b" {\n  vpc_id = module.remote.vpc_id\n'
            "  cidr_block = module.remote.cidr\n}\n"
        },
    )
    subnets = by_address(evaluate_folder(tmp_path).subnets)
    a = subnets["aws_subnet.a"]
    assert a.network.unknown is not None and "data source" in a.network.unknown.reason
    assert a.ipv4_blocks[0].unknown is not None
    assert "data.aws_vpc.shared" in a.ipv4_blocks[0].unknown.reason
    b = subnets["aws_subnet.b"]
    assert b.ipv4_blocks[0].unknown is not None
    assert "git::https://example.com/net.git" in b.ipv4_blocks[0].unknown.reason


def test_host_bits_and_garbage_are_kept_as_written(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'resource "aws_vpc" "a" { cidr_block = "10.12.3.0/16" }\n'
            'resource "aws_vpc" "b" { cidr_block = "banana" }\n'
        },
    )
    networks = by_address(evaluate_folder(tmp_path).networks)
    assert networks["aws_vpc.a"].ipv4_blocks[0].cidr == "10.12.3.0/16"
    assert networks["aws_vpc.b"].ipv4_blocks[0].cidr == "banana"
    assert networks["aws_vpc.b"].ipv4_blocks[0].version == 4


def test_slice_of_a_data_source_has_a_known_length(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'data "aws_availability_zones" "available" {}\n'
            "locals {\n  azs = slice(data.aws_availability_zones.available.names, 0, 3)\n}\n"
            'resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }\n'
            'resource "aws_subnet" "s" {\n  count = length(local.azs)\n'
            "  vpc_id = aws_vpc.v.id\n"
            "  availability_zone = local.azs[count.index]\n"
            "  cidr_block = [\n"
            '    for k, v in local.azs : cidrsubnet("10.0.0.0/16", 4, k)\n'
            "  ][count.index]\n"
            "}\n"
        },
    )
    subnets = evaluate_folder(tmp_path).subnets
    assert [subnet.ipv4_blocks[0].cidr for subnet in subnets] == [
        "10.0.0.0/20",
        "10.0.16.0/20",
        "10.0.32.0/20",
    ]


def test_null_and_empty_attributes_are_unset(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'variable "pool" {\n  default = null\n}\n'
            'resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n'
            "  ipv6_ipam_pool_id = var.pool\n  ipv6_cidr_block = null\n}\n"
            'resource "aws_subnet" "s" {\n  vpc_id = aws_vpc.v.id\n  cidr_block = ""\n'
            "  ipv6_cidr_block = null\n}\n"
        },
    )
    topology = evaluate_folder(tmp_path)
    (network,) = topology.networks
    assert network.ipv6 == "absent" and network.ipv6_blocks == ()
    (subnet,) = topology.subnets
    assert subnet.ipv4_blocks == () and subnet.ipv6 == "absent"
