from __future__ import annotations

from .conftest import Builder, builtin_rule, messages, run, unresolved

RULE = builtin_rule("vpc003_non_canonical_cidr")


def test_proposes_the_canonical_network_for_ipv4_and_ipv6(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "10.12.3.0/16", ipv6=["2001:db8:0:1::/56"])
    subnet = build.subnet("aws_subnet.a", vpc, "10.12.0.1/24")

    violations = run(RULE, build.topology)

    assert [(v.message, v.location, v.subject) for v in violations] == [
        (
            "10.12.3.0/16 has host bits set; the network is 10.12.0.0/16",
            vpc.ipv4_blocks[0].location,
            vpc,
        ),
        (
            "2001:db8:0:1::/56 has host bits set; the network is 2001:db8::/56",
            vpc.ipv6_blocks[0].location,
            vpc,
        ),
        (
            "10.12.0.1/24 has host bits set; the network is 10.12.0.0/24",
            subnet.ipv4_blocks[0].location,
            subnet,
        ),
    ]


def test_canonical_invalid_and_unknown_blocks_pass(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "10.12.0.0/16", "banana", unresolved())
    build.subnet("aws_subnet.a", vpc, "10.12.0.0/24", ipv6=["2001:db8::/64"])

    assert messages(run(RULE, build.topology)) == []
