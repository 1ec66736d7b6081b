from __future__ import annotations

from .conftest import Builder, builtin_rule, messages, run

RULE = builtin_rule("vpc103_oversized_network")


def test_reports_blocks_wider_than_the_policy(build: Builder) -> None:
    vnet = build.network(
        "azurerm_virtual_network.hub", "10.0.0.0/8", "192.168.0.0/16", provider="azure"
    )

    (violation,) = run(RULE, build.topology)

    assert violation.message == (
        "10.0.0.0/8 of azurerm_virtual_network.hub spans 16,777,216 addresses, "
        "wider than the /16 the policy allows"
    )
    assert violation.location == vnet.ipv4_blocks[0].location
    assert violation.subject == vnet


def test_max_prefix_option(build: Builder) -> None:
    build.network("aws_vpc.main", "10.0.0.0/18", "10.1.0.0/20")

    assert messages(run(RULE, build.topology, max_prefix=20)) == [
        "10.0.0.0/18 of aws_vpc.main spans 16,384 addresses, wider than the /20 the policy allows",
    ]


def test_aws_blocks_that_aws_rejects_are_left_to_vpc101(build: Builder) -> None:
    build.network("aws_vpc.main", "10.0.0.0/12")
    assert run(RULE, build.topology, max_prefix=20) == []


def test_ipv6_and_external_blocks_are_not_checked(build: Builder) -> None:
    build.network("aws_vpc.main", "10.0.0.0/16", ipv6=["2600:1f18::/44"])
    build.network("vpc-0abc", "10.0.0.0/8", external=True, provider="azure")
    assert run(RULE, build.topology) == []
