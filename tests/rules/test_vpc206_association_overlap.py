from __future__ import annotations

from vpclint.api import Related

from .conftest import Builder, builtin_rule, messages, run, unresolved

RULE = builtin_rule("vpc206_association_overlap")


def test_secondary_overlapping_the_primary(build: Builder) -> None:
    vpc = build.network(
        "aws_vpc.main",
        "10.0.0.0/16",
        "10.0.128.0/17",
        origins=["primary", "aws_vpc_ipv4_cidr_block_association.more"],
    )

    (violation,) = run(RULE, build.topology)

    assert violation.message == (
        "10.0.128.0/17 of aws_vpc.main overlaps the primary block 10.0.0.0/16 of the same network"
    )
    assert violation.location == vpc.ipv4_blocks[1].location
    assert violation.related == (Related(vpc.ipv4_blocks[0].location, vpc, "10.0.0.0/16"),)


def test_secondaries_overlapping_each_other_and_ipv6(build: Builder) -> None:
    build.network(
        "azurerm_virtual_network.hub",
        "10.0.0.0/16",
        "10.1.0.0/16",
        "10.1.0.0/24",
        ipv6=["fd00::/48", "fd00::/56"],
        provider="azure",
    )

    assert messages(run(RULE, build.topology)) == [
        "10.1.0.0/24 of azurerm_virtual_network.hub overlaps the block 10.1.0.0/16 of the "
        "same network",
        "fd00::/56 of azurerm_virtual_network.hub overlaps the primary block fd00::/48 of the "
        "same network",
    ]


def test_disjoint_unknown_and_other_networks(build: Builder) -> None:
    build.network("aws_vpc.a", "10.0.0.0/16", "10.1.0.0/16", unresolved())
    build.network("aws_vpc.b", "10.0.0.0/16")
    assert run(RULE, build.topology) == []
