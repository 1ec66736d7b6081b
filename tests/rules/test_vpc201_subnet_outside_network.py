from __future__ import annotations

from vpclint.api import Related

from .conftest import Builder, builtin_rule, messages, run, unresolved

RULE = builtin_rule("vpc201_subnet_outside_network")


def test_reports_a_subnet_outside_every_block(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "10.0.0.0/16", "10.2.0.0/16")
    subnet = build.subnet("aws_subnet.app", vpc, "10.1.0.0/24")

    (violation,) = run(RULE, build.topology)

    assert violation.message == (
        "10.1.0.0/24 of aws_subnet.app is not inside any IPv4 block of aws_vpc.main "
        "(10.0.0.0/16, 10.2.0.0/16)"
    )
    assert violation.location == subnet.ipv4_blocks[0].location
    assert violation.subject == subnet
    assert violation.related == (
        Related(vpc.ipv4_blocks[0].location, vpc, "10.0.0.0/16"),
        Related(vpc.ipv4_blocks[1].location, vpc, "10.2.0.0/16"),
    )


def test_a_subnet_straddling_two_blocks_is_outside(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "10.0.0.0/24", "10.0.1.0/24")
    build.subnet("aws_subnet.app", vpc, "10.0.0.0/23")

    assert messages(run(RULE, build.topology)) == [
        "10.0.0.0/23 of aws_subnet.app is not inside any IPv4 block of aws_vpc.main "
        "(10.0.0.0/24, 10.0.1.0/24)"
    ]


def test_secondary_block_and_ipv6_inside(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "10.0.0.0/16", "10.1.0.0/16", ipv6=["2600:1f18::/56"])
    build.subnet("aws_subnet.app", vpc, "10.1.4.0/24", ipv6=["2600:1f18:0:1::/64"])
    assert run(RULE, build.topology) == []


def test_ipv6_outside_and_ipv6_in_an_ipv4_only_network(build: Builder) -> None:
    dual = build.network("aws_vpc.dual", "10.0.0.0/16", ipv6=["2600:1f18::/56"])
    build.subnet("aws_subnet.a", dual, "10.0.1.0/24", ipv6=["2600:1f19::/64"])
    v4 = build.network("aws_vpc.v4", "10.1.0.0/16")
    build.subnet("aws_subnet.b", v4, "10.1.1.0/24", ipv6=["2600:1f18::/64"])

    assert messages(run(RULE, build.topology)) == [
        "2600:1f19::/64 of aws_subnet.a is not inside any IPv6 block of aws_vpc.dual "
        "(2600:1f18::/56)",
        "2600:1f18::/64 of aws_subnet.b is an IPv6 block, but aws_vpc.v4 has no IPv6 block",
    ]


def test_unknown_blocks_prove_nothing(build: Builder) -> None:
    vpc = build.network(
        "aws_vpc.main",
        "10.0.0.0/16",
        unresolved(),
        ipv6=[unresolved("Amazon-provided", provider_assigned=True)],
    )
    build.subnet("aws_subnet.maybe", vpc, "10.9.0.0/24", ipv6=["2600:1f18::/64"])
    build.subnet("aws_subnet.unknown", vpc, unresolved())
    unknown_v6 = build.network("aws_vpc.flag", "10.1.0.0/16", ipv6_state="unknown")
    build.subnet("aws_subnet.flag", unknown_v6, "10.1.0.0/24", ipv6=["2600:1f18::/64"])
    build.subnet("aws_subnet.orphan", "vpc-not-in-scope", "192.168.0.0/24")

    assert run(RULE, build.topology) == []


def test_subnet_of_an_external_network(build: Builder) -> None:
    build.network("vpc-0abc", "10.50.0.0/16", external=True, identities=["vpc-0abc"])
    build.subnet("aws_subnet.inside", "vpc-0abc", "10.50.1.0/24")
    build.subnet("aws_subnet.outside", "vpc-0abc", "10.51.1.0/24")

    assert messages(run(RULE, build.topology)) == [
        "10.51.1.0/24 of aws_subnet.outside is not inside any IPv4 block of vpc-0abc (10.50.0.0/16)"
    ]


def test_gcp_networks_own_no_blocks(build: Builder) -> None:
    network = build.network("google_compute_network.main", provider="gcp")
    build.subnet("google_compute_subnetwork.a", network, "10.0.0.0/24")
    assert run(RULE, build.topology) == []
