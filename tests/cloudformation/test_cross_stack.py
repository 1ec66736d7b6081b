"""Fn::ImportValue resolved against the exports of the other templates in scope."""

from __future__ import annotations

from tests.cloudformation.conftest import cidrs, evaluate, subnet


def test_import_value_links_a_peering_and_a_subnet_to_the_exporting_stack() -> None:
    topology = evaluate("cross-stack/network.yaml", "cross-stack/app.json")
    shared_key = "cross-stack/network.yaml::SharedVpc"
    (peering,) = topology.connections
    assert [end.key for end in peering.ends] == ["cross-stack/app.json::AppVpc", shared_key]
    pairs = [(first.key, second.key) for first, second, _ in topology.connected_pairs()]
    assert pairs == [("cross-stack/app.json::AppVpc", shared_key)]
    shared_subnet = subnet(topology, "SharedSubnet")
    assert shared_subnet.network.key == shared_key
    assert cidrs(shared_subnet.ipv4_blocks) == ["10.110.3.0/24"]


def test_import_of_a_name_nobody_exports_is_unknown() -> None:
    topology = evaluate("cross-stack/network.yaml", "cross-stack/app.json")
    reference = subnet(topology, "ElsewhereSubnet").network
    assert reference.key is None and reference.unknown is not None
    assert "nobody-exports-this" in reference.unknown.reason


def test_without_the_exporting_template_the_import_is_unknown() -> None:
    topology = evaluate("cross-stack/app.json")
    (peering,) = topology.connections
    assert peering.ends[1].unknown is not None
    (block,) = subnet(topology, "SharedSubnet").ipv4_blocks
    assert block.cidr is None and block.unknown is not None
    assert "shared-vpc-cidr" in block.unknown.reason
