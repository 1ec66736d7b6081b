from __future__ import annotations

from .conftest import Builder, builtin_rule, messages, run, unresolved

RULE = builtin_rule("vpc104_underused_network")


def test_reports_the_share_and_a_right_sized_prefix(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "10.0.0.0/16")
    build.subnet("aws_subnet.a", vpc, "10.0.0.0/24")
    build.subnet("aws_subnet.b", vpc, "10.0.1.0/24")

    (violation,) = run(RULE, build.topology)

    assert violation.message == (
        "the subnets of aws_vpc.main cover 0.8% of its IPv4 space (512 of 65,536 addresses in "
        "10.0.0.0/16), less than the 25% minimum; a /21 would hold them"
    )
    assert violation.location == vpc.ipv4_blocks[0].location
    assert violation.subject == vpc


def test_secondary_blocks_count_as_space_and_overlapping_subnets_count_once(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "10.0.0.0/20", "10.1.0.0/20")
    build.subnet("aws_subnet.a", vpc, "10.0.0.0/21")
    build.subnet("aws_subnet.b", vpc, "10.0.0.0/22")  # inside a: the same addresses

    assert messages(run(RULE, build.topology)) == []  # 2048 of 8192 = 25%

    assert messages(run(RULE, build.topology, min_utilization=0.5)) == [
        "the subnets of aws_vpc.main cover 25.0% of its IPv4 space (2,048 of 8,192 addresses in "
        "10.0.0.0/20, 10.1.0.0/20), less than the 50% minimum; a /20 would hold them",
    ]


def test_silent_unless_everything_is_known_and_a_subnet_is_in_scope(build: Builder) -> None:
    build.network("aws_vpc.no_subnets", "10.0.0.0/16")
    computed = build.network("aws_vpc.computed", unresolved())
    build.subnet("aws_subnet.c", computed, "10.1.0.0/24")
    partly = build.network("aws_vpc.partly", "10.2.0.0/16")
    build.subnet("aws_subnet.known", partly, "10.2.0.0/24")
    build.subnet("aws_subnet.unknown", partly, unresolved())
    ipv6_only = build.network("aws_vpc.v6", "10.3.0.0/16", ipv6=["2600:1f18::/56"])
    build.subnet("aws_subnet.v6", ipv6_only, ipv6=["2600:1f18::/64"])

    assert messages(run(RULE, build.topology)) == []


def test_a_tiny_share_is_not_rounded_to_nothing(build: Builder) -> None:
    vnet = build.network("azurerm_virtual_network.hub", "10.0.0.0/16", provider="azure")
    build.subnet("azurerm_subnet.gateway", vnet, "10.0.0.0/28")

    assert messages(run(RULE, build.topology)) == [
        "the subnets of azurerm_virtual_network.hub cover less than 0.1% of its IPv4 space "
        "(16 of 65,536 addresses in 10.0.0.0/16), less than the 25% minimum; a /26 would hold them"
    ]
