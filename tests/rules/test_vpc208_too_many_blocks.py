from __future__ import annotations

from .conftest import Builder, builtin_rule, messages, run, unresolved

RULE = builtin_rule("vpc208_too_many_blocks")


def test_reports_at_the_first_block_over_the_quota(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", *(f"10.{index}.0.0/16" for index in range(5)), unresolved())

    (violation,) = run(RULE, build.topology)

    assert violation.message == "aws_vpc.main has 6 IPv4 blocks, more than the quota of 5 per VPC"
    assert violation.location == vpc.ipv4_blocks[5].location
    assert violation.subject == vpc


def test_quota_option_ipv6_and_other_providers(build: Builder) -> None:
    build.network("aws_vpc.main", "10.0.0.0/16", "10.1.0.0/16", ipv6=["fd00::/56"] * 3)
    build.network(
        "azurerm_virtual_network.hub", *(f"10.{i}.0.0/16" for i in range(9)), provider="azure"
    )

    assert run(RULE, build.topology) == []
    assert messages(run(RULE, build.topology, max_blocks=2)) == [
        "aws_vpc.main has 3 IPv6 blocks, more than the quota of 2 per VPC"
    ]
