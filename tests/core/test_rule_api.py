"""``vpclint.api`` is the whole of what a rule pack may use: every name it exports is documented,
and the helpers the built-in rules share behave as their docstrings say."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import vpclint.api as api
from vpclint.api import (
    SourceLocation,
    Topology,
    Violation,
    constant_network,
    cross_overlaps,
    network_space,
    parse_cidr,
    sorted_violations,
    unique_related,
)
from vpclint.pipeline import RunRequest, build_topology


def _public_functions(name: str) -> list[str]:
    exported = getattr(api, name)
    if inspect.isfunction(exported):
        return [name]
    if not inspect.isclass(exported):
        return []  # a type alias or constant: documented where it is defined
    return [name] + [
        f"{name}.{member}"
        for member, value in vars(exported).items()
        if not member.startswith("_") and inspect.isfunction(value)
    ]


def test_every_exported_class_and_function_has_a_docstring() -> None:
    undocumented = [
        qualified
        for name in api.__all__
        for qualified in _public_functions(name)
        if not (inspect.getdoc(_resolve(qualified)) or "").strip()
    ]
    assert undocumented == []


def _resolve(qualified: str) -> object:
    found: object = api
    for part in qualified.split("."):
        found = getattr(found, part)
    return found


def test_every_exported_name_exists() -> None:
    missing = [name for name in api.__all__ if not hasattr(api, name)]
    assert missing == []


def _topology(tmp_path: Path, terraform: str) -> Topology:
    (tmp_path / "main.tf").write_text(terraform)
    return build_topology(RunRequest(paths=[tmp_path], project_root=tmp_path))


TWO_VPCS = """\
resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "a_more" {
  vpc_id     = aws_vpc.a.id
  cidr_block = "10.9.0.0/16"
}

resource "aws_vpc" "b" {
  cidr_block = "10.0.128.0/17"
}
"""


def test_overlaps_across_two_spaces_name_the_blocks(tmp_path: Path) -> None:
    topology = _topology(tmp_path, TWO_VPCS)
    first, second = topology.networks
    pairs = list(
        cross_overlaps(
            [(placed.ip, placed) for placed in network_space(topology, first)],
            [(placed.ip, placed) for placed in network_space(topology, second)],
        )
    )
    assert [(a.described, b.described, b.block.location.line) for a, b in pairs] == [
        ("10.0.0.0/16 of aws_vpc.a", "10.0.128.0/17 of aws_vpc.b", 11)
    ]
    assert [placed.described for placed in network_space(topology, first)] == [
        "10.0.0.0/16 of aws_vpc.a",
        "10.9.0.0/16 of aws_vpc.a (added by aws_vpc_ipv4_cidr_block_association.a_more)",
    ]


def test_violations_come_out_in_source_order() -> None:
    def at(line: int, message: str) -> Violation:
        return Violation(message=message, location=SourceLocation(file="main.tf", line=line))

    found = sorted_violations([at(9, "b"), at(2, "z"), at(9, "a")])
    assert [(v.location.line, v.message) for v in found] == [(2, "z"), (9, "a"), (9, "b")]


def test_a_related_block_reached_twice_is_related_once(tmp_path: Path) -> None:
    network = _topology(tmp_path, TWO_VPCS).networks[0]
    block = network.ipv4_blocks[0]
    once = api.related(block, network)
    assert unique_related([once, api.related(block, network), once]) == [once]


def test_a_rules_own_constant_must_be_a_cidr_but_input_text_may_not_be() -> None:
    assert str(constant_network("10.0.0.0/8")) == "10.0.0.0/8"
    with pytest.raises(ValueError, match="not a CIDR"):
        constant_network("10.0.0/8")
    assert parse_cidr("10.0.0/8") is None


CONNECTED = """\
resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "b" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc" "c" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_ec2_transit_gateway" "hub" {}

resource "aws_ec2_transit_gateway_vpc_attachment" "a" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.a.id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "b" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.b.id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "a_again" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.a.id
}

resource "aws_vpc_peering_connection" "b_c" {
  vpc_id      = aws_vpc.b.id
  peer_vpc_id = aws_vpc.c.id
}
"""


def test_what_is_connected_to_what(tmp_path: Path) -> None:
    topology = _topology(tmp_path, CONNECTED)
    assert [
        (first.address, second.address, link.address) for first, second, link in topology.peerings()
    ] == [("aws_vpc.b", "aws_vpc.c", "aws_vpc_peering_connection.b_c")]
    # A network attached twice to one gateway is one member, with its first attachment.
    assert [
        [(network.address, attachment.address) for network, attachment in members]
        for members in topology.gateway_members().values()
    ] == [
        [
            ("aws_vpc.a", "aws_ec2_transit_gateway_vpc_attachment.a"),
            ("aws_vpc.b", "aws_ec2_transit_gateway_vpc_attachment.b"),
        ]
    ]
    assert [
        (first.address, second.address, link.address)
        for first, second, link in topology.connected_pairs()
    ] == [
        ("aws_vpc.b", "aws_vpc.c", "aws_vpc_peering_connection.b_c"),
        ("aws_vpc.a", "aws_vpc.b", "aws_ec2_transit_gateway_vpc_attachment.b"),
    ]


@pytest.mark.parametrize("code", ["VPC203", "ACME001", "TFSEC12"])
def test_a_code_is_capital_letters_then_digits(code: str) -> None:
    assert api.Rule(code, "a-name", api.Severity.INFO, "summary", check=None).code == code


@pytest.mark.parametrize("code", ["acme001", "ACME-001", "ACME", "001", "ACME_NET_1", ""])
def test_a_code_no_select_or_suppression_could_name_is_refused(code: str) -> None:
    with pytest.raises(ValueError, match="capital letters then digits"):
        api.Rule(code, "a-name", api.Severity.INFO, "summary", check=None)
