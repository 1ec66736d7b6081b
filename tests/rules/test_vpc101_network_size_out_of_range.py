from __future__ import annotations

from .conftest import Builder, builtin_rule, messages, run, unresolved

RULE = builtin_rule("vpc101_network_size_out_of_range")


def test_reports_aws_ipv4_blocks_outside_16_to_28_primary_and_secondary(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "10.0.0.0/12", "10.16.0.0/16", "10.17.0.0/29")

    violations = run(RULE, build.topology)

    assert [(v.message, v.location, v.subject) for v in violations] == [
        (
            "10.0.0.0/12 of aws_vpc.main is a /12; AWS only accepts VPC IPv4 blocks from /16 "
            "to /28",
            vpc.ipv4_blocks[0].location,
            vpc,
        ),
        (
            "10.17.0.0/29 of aws_vpc.main is a /29; AWS only accepts VPC IPv4 blocks from /16 "
            "to /28",
            vpc.ipv4_blocks[2].location,
            vpc,
        ),
    ]


def test_boundaries_are_accepted(build: Builder) -> None:
    build.network("aws_vpc.wide", "10.0.0.0/16")
    build.network("aws_vpc.narrow", "10.1.0.0/28")
    assert run(RULE, build.topology) == []


def test_ipv6_blocks_must_be_ipam_sizes(build: Builder) -> None:
    build.network("aws_vpc.ok", "10.0.0.0/16", ipv6=["2600:1f18:1::/56", "2600:1f18:2::/44"])
    bad = build.network("aws_vpc.bad", "10.1.0.0/16", ipv6=["2600:1f18:3::/64"])

    (violation,) = run(RULE, build.topology)

    assert violation.message == (
        "2600:1f18:3::/64 of aws_vpc.bad is a /64; AWS only accepts VPC IPv6 blocks of /56 "
        "(Amazon-provided) or /44 to /60 in steps of 4 (IPAM, BYOIP)"
    )
    assert violation.location == bad.ipv6_blocks[0].location


def test_other_providers_unknown_and_external_blocks_are_skipped(build: Builder) -> None:
    build.network("azurerm_virtual_network.hub", "10.0.0.0/8", provider="azure")
    build.network("aws_vpc.computed", unresolved())
    build.network("vpc-0abc", "10.0.0.0/8", external=True)
    assert messages(run(RULE, build.topology)) == []
