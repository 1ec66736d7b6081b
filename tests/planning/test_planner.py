"""The planner: exact blocks proposed, what they avoid, and the split with its expressions."""

from __future__ import annotations

import ipaddress
import itertools

import netaddr
import pytest

from tests.planning.conftest import subnet, topology, vpc
from vpclint.planning.planner import make_plan, parse_space
from vpclint.planning.render import plan_to_dict, render_plan_text
from vpclint.planning.subnetting import (
    PlanError,
    cloudformation_expressions,
    parse_prefix,
    parse_subnet_spec,
    split_block,
)
from vpclint.topology.models import Topology


def _blocks(plan_topology: Topology, prefix: int, *within: str, count: int = 1) -> list[str]:
    spaces = [netaddr.IPNetwork(space) for space in within]
    plan = make_plan(plan_topology, prefix, spaces, count)
    return [str(proposal.block) for proposal in plan.proposals]


def test_first_free_blocks_skip_every_network_in_scope() -> None:
    scope = topology(vpc("a", "10.0.0.0/16"), vpc("b", "10.1.0.0/20"), vpc("c", "10.1.32.0/19"))
    assert _blocks(scope, 20, count=4) == [
        "10.1.16.0/20",
        "10.1.64.0/20",
        "10.1.80.0/20",
        "10.1.96.0/20",
    ]


def test_default_space_is_rfc1918_in_order_and_docker_bridge_is_avoided() -> None:
    scope = topology(vpc("ten", "10.0.0.0/8"), vpc("first", "172.16.0.0/16"))
    assert _blocks(scope, 16, count=2) == ["172.18.0.0/16", "172.19.0.0/16"]
    full = topology(vpc("ten", "10.0.0.0/8"), vpc("one72", "172.16.0.0/12"))
    assert _blocks(full, 20) == ["192.168.0.0/20"]


def test_reserved_ranges_external_networks_and_subnet_ranges_are_taken() -> None:
    gcp = vpc("google_compute_network.main", provider="gcp")
    scope = topology(
        gcp,
        vpc("vpc-0peer", "10.0.16.0/20").model_copy(update={"external": True}),
        subnets=(subnet(gcp, "google_compute_subnetwork.eu", "10.0.0.0/22"),),
    )
    scope.reserved_ranges = {"on-premises": ("10.0.32.0/19",)}
    assert _blocks(scope, 20, "10.0.0.0/16", count=2) == ["10.0.64.0/20", "10.0.80.0/20"]
    holders = {item.holder for item in make_plan(scope, 20, [parse_space("10.0.0.0/16")]).taken}
    assert {"google_compute_subnetwork.eu", "vpc-0peer", "reserved-ranges on-premises"} <= holders


def test_gcp_auto_mode_occupies_its_whole_range() -> None:
    auto = vpc("google_compute_network.auto", provider="gcp").model_copy(update={"auto_mode": True})
    assert _blocks(topology(auto), 9, "10.0.0.0/8", count=3) == ["10.0.0.0/9"]


def test_none_or_too_few_fit() -> None:
    scope = topology(vpc("a", "192.168.0.0/17"))
    plan = make_plan(scope, 17, [parse_space("192.168.0.0/16")], count=2)
    assert [str(p.block) for p in plan.proposals] == ["192.168.128.0/17"]
    assert not plan.complete
    assert "Only 1 of 2 /17 blocks fit." in render_plan_text(plan)
    empty = make_plan(scope, 8, [parse_space("192.168.0.0/16")])
    assert empty.proposals == ()
    assert "No free /8 block fits." in render_plan_text(empty)


def test_unresolved_blocks_are_reported_not_guessed() -> None:
    scope = topology(vpc("aws_vpc.dynamic", None), vpc("aws_vpc.a", "10.0.0.0/16"))
    plan = make_plan(scope, 16, [parse_space("10.0.0.0/8")])
    assert [str(p.block) for p in plan.proposals] == ["10.1.0.0/16"]
    assert plan_to_dict(plan)["unresolved"] == [
        {"resource": "aws_vpc.dynamic", "reason": "data source"}
    ]
    assert "Note: 1 IPv4 block is unresolved" in render_plan_text(plan)


def test_split_is_largest_first_aligned_without_gaps() -> None:
    block = ipaddress.ip_network("10.0.0.0/20")
    subnets = split_block(block, parse_subnet_spec("2x/24,2x/22,1x/23"))
    assert [str(s) for s in subnets] == [
        "10.0.0.0/22",
        "10.0.4.0/22",
        "10.0.8.0/23",
        "10.0.10.0/24",
        "10.0.11.0/24",
    ]
    for previous, current in itertools.pairwise(subnets):
        assert current.network_address == previous.broadcast_address + 1


def test_split_expressions() -> None:
    scope = topology(vpc("a", "10.0.0.0/20"))
    plan = make_plan(scope, 20, [parse_space("10.0.0.0/16")], 1, parse_subnet_spec("2x/22,2x/24"))
    (proposal,) = plan.proposals
    assert str(proposal.block) == "10.0.16.0/20"
    assert [(str(s.cidr), s.terraform, s.cloudformation) for s in proposal.subnets] == [
        (
            "10.0.16.0/22",
            'cidrsubnet("10.0.16.0/20", 2, 0)',
            '!Select [0, !Cidr ["10.0.16.0/20", 2, 10]]',
        ),
        (
            "10.0.20.0/22",
            'cidrsubnet("10.0.16.0/20", 2, 1)',
            '!Select [1, !Cidr ["10.0.16.0/20", 2, 10]]',
        ),
        (
            "10.0.24.0/24",
            'cidrsubnet("10.0.16.0/20", 4, 8)',
            '!Select [8, !Cidr ["10.0.16.0/20", 10, 8]]',
        ),
        (
            "10.0.25.0/24",
            'cidrsubnet("10.0.16.0/20", 4, 9)',
            '!Select [9, !Cidr ["10.0.16.0/20", 10, 8]]',
        ),
    ]
    assert proposal.terraform_all == 'cidrsubnets("10.0.16.0/20", 2, 2, 4, 4)'


def test_fn_cidr_over_256_blocks_selects_from_an_aligned_parent() -> None:
    block = ipaddress.ip_network("10.0.0.0/16")
    subnets = split_block(block, [24] * 200 + [28] * 500)
    expressions = cloudformation_expressions(block, subnets)
    assert expressions[0] == '!Select [0, !Cidr ["10.0.0.0/16", 200, 8]]'
    # The last /28 is the 3,700th /28 of the /16, beyond Fn::Cidr's 256: it is picked from the
    # /20 around it instead.
    assert str(subnets[-1]) == "10.0.231.48/28"
    assert expressions[-1] == '!Select [115, !Cidr ["10.0.224.0/20", 256, 4]]'


@pytest.mark.parametrize(
    ("spec", "message"),
    [("4x/22,2x/24", None), ("x/22", "is not COUNTx/PREFIX"), ("", "names no subnets")],
)
def test_subnet_spec_parsing(spec: str, message: str | None) -> None:
    if message is None:
        assert parse_subnet_spec(spec) == [22, 22, 22, 22, 24, 24]
    else:
        with pytest.raises(PlanError, match=message):
            parse_subnet_spec(spec)


def test_bad_requests() -> None:
    assert parse_prefix("/20") == parse_prefix("20") == 20
    with pytest.raises(PlanError, match="not an IPv4 prefix length"):
        parse_prefix("/33")
    with pytest.raises(PlanError, match=r"did you mean 10\.0\.0\.0/8"):
        parse_space("10.1.0.0/8")
    with pytest.raises(PlanError, match="the subnets need 8,192 addresses; a /20 block has 4,096"):
        make_plan(topology(), 20, (), 1, parse_subnet_spec("2x/20"))
    with pytest.raises(PlanError, match="a /19 subnet does not fit in a /20 block"):
        make_plan(topology(), 20, (), 1, parse_subnet_spec("/19"))
