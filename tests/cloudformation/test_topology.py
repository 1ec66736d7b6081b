"""Templates become networks, subnets and connections with their CIDRs evaluated."""

from __future__ import annotations

import pytest

from tests.cloudformation.conftest import cidrs, evaluate, network, subnet
from vpclint.topology.models import UnknownKind


@pytest.mark.parametrize("name", ["intrinsics/cidr_select.yaml", "intrinsics/cidr_select.json"])
def test_subnets_carved_with_cidr_and_select_are_resolved(name: str) -> None:
    topology = evaluate(name)
    vpc = network(topology, "Vpc")
    assert cidrs(vpc.ipv4_blocks) == ["10.20.0.0/16"]
    assert cidrs(subnet(topology, "FirstSubnet").ipv4_blocks) == ["10.20.0.0/24"]
    assert cidrs(subnet(topology, "SecondSubnet").ipv4_blocks) == ["10.20.1.0/24"]
    assert subnet(topology, "FirstSubnet").network.key == vpc.key
    assert vpc.key == f"{name}::Vpc"
    assert vpc.ipv6 == "absent"


def test_long_form_intrinsics_and_string_numbers() -> None:
    topology = evaluate("intrinsics/cidr_select.yaml")
    # 10 host bits: /22 blocks; the fourth starts at 10.20.12.0
    assert cidrs(subnet(topology, "LongFormSubnet").ipv4_blocks) == ["10.20.12.0/22"]


def test_locations_point_at_logical_id_and_value_lines() -> None:
    topology = evaluate("intrinsics/cidr_select.yaml")
    vpc = network(topology, "Vpc")
    assert (vpc.location.file, vpc.location.line, vpc.location.column) == (
        "intrinsics/cidr_select.yaml",
        8,
        3,
    )
    assert vpc.ipv4_blocks[0].location.line == 11
    second = subnet(topology, "SecondSubnet")
    assert second.location.line == 20
    assert second.ipv4_blocks[0].location.line == 24
    assert second.network.location is not None and second.network.location.line == 23
    assert vpc.name == "main-vpc"


def test_json_locations() -> None:
    topology = evaluate("intrinsics/cidr_select.json")
    first = subnet(topology, "FirstSubnet")
    assert first.location.line == 12
    assert first.ipv4_blocks[0].location.line == 16


def test_parameter_given_on_the_command_line_wins_over_default() -> None:
    topology = evaluate("intrinsics/cidr_select.yaml", parameters={"VpcCidr": "172.16.0.0/16"})
    assert cidrs(network(topology, "Vpc").ipv4_blocks) == ["172.16.0.0/16"]
    assert cidrs(subnet(topology, "SecondSubnet").ipv4_blocks) == ["172.16.1.0/24"]


def test_ipv6_association_and_subnets() -> None:
    topology = evaluate("intrinsics/ipv6.yaml")
    vpc = network(topology, "Vpc")
    assert vpc.ipv6 == "present"
    (ipv6,) = vpc.ipv6_blocks
    assert ipv6.cidr is None and ipv6.provider_assigned and ipv6.unknown is not None
    assert ipv6.origin == "Ipv6Block" and ipv6.origin_location is not None
    assert ipv6.origin_location.line == 8
    assert ipv6.location.line == 12
    assert cidrs(vpc.ipv4_blocks) == ["10.30.0.0/16", "10.31.0.0/16"]
    assert [block.origin for block in vpc.ipv4_blocks] == ["primary", "SecondaryBlock"]

    dual = subnet(topology, "DualStackSubnet")
    assert dual.ipv6 == "present"
    (derived,) = dual.ipv6_blocks
    assert derived.cidr is None and derived.provider_assigned
    assert derived.unknown is not None and derived.unknown.kind is UnknownKind.UNRESOLVED
    assert "Amazon-provided" in derived.unknown.reason

    native = subnet(topology, "Ipv6OnlySubnet")
    assert native.ipv6_native and native.ipv4_blocks == ()
    assert cidrs(native.ipv6_blocks) == ["2001:db8:1234:1a00::/64", "2001:db8:1234:1a01::/64"]
    assert native.ipv6_blocks[1].origin == "ExtraSubnetBlock"
    assert all(block.version == 6 for block in native.ipv6_blocks)


def test_peering_and_transit_gateway_attachments() -> None:
    name = "intrinsics/peering_tgw.yaml"
    topology = evaluate(name)
    (peering,) = topology.connections
    assert peering.connection_kind == "vpc-peering"
    assert peering.ends[0].key == f"{name}::AppVpc"
    assert peering.ends[1].external_id == "vpc-0a1b2c3d4e5f67890"
    gateways = {item.address: item.gateway for item in topology.attachments}
    assert gateways == {
        "AppAttachment": f"{name}::Gateway",
        "DataAttachment": f"{name}::Gateway",
        "LegacyAttachment": "tgw-0123456789abcdef0",
    }
    pairs = [(first.address, second.address) for first, second, _ in topology.connected_pairs()]
    assert pairs == [("AppVpc", "DataVpc")]


def test_files_are_listed_as_parsed() -> None:
    topology = evaluate("intrinsics/peering_tgw.yaml")
    assert [(item.path, item.kind, item.status) for item in topology.files] == [
        ("intrinsics/peering_tgw.yaml", "cloudformation", "parsed")
    ]
