from __future__ import annotations

import pytest

from vpclint.api import Related

from .conftest import Builder, builtin_rule, messages, run, unresolved

RULE = builtin_rule("vpc207_secondary_range_restricted")


def test_rfc1918_mix_is_refused(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "10.0.0.0/16", "172.20.0.0/16")

    (violation,) = run(RULE, build.topology)

    assert violation.message == (
        "secondary block 172.20.0.0/16 of aws_vpc.main is in 172.16.0.0/12, which AWS does not "
        "allow when the primary block (10.0.0.0/16) is in 10.0.0.0/8"
    )
    assert violation.location == vpc.ipv4_blocks[1].location
    assert violation.related == (Related(vpc.ipv4_blocks[0].location, vpc, "10.0.0.0/16"),)


@pytest.mark.parametrize(
    ("primary", "secondary", "restricted"),
    [
        ("10.0.0.0/16", "192.168.0.0/16", "192.168.0.0/16"),
        ("10.0.0.0/16", "198.19.0.0/16", "198.19.0.0/16"),
        ("172.16.0.0/16", "10.0.0.0/16", "10.0.0.0/8"),
        ("172.16.0.0/16", "172.31.0.0/16", "172.31.0.0/16"),
        ("192.168.0.0/16", "172.16.0.0/16", "172.16.0.0/12"),
        ("198.19.0.0/16", "192.168.0.0/16", "192.168.0.0/16"),
        ("100.64.0.0/16", "10.0.0.0/16", "10.0.0.0/8"),
        ("11.0.0.0/16", "198.19.0.0/16", "198.19.0.0/16"),
    ],
)
def test_restricted_combinations(
    build: Builder, primary: str, secondary: str, restricted: str
) -> None:
    build.network("aws_vpc.main", primary, secondary)

    (message,) = messages(run(RULE, build.topology))

    assert message.startswith(f"secondary block {secondary} of aws_vpc.main is in {restricted}, ")


@pytest.mark.parametrize(
    ("primary", "secondary"),
    [
        ("10.0.0.0/16", "10.8.0.0/16"),
        ("10.0.0.0/16", "100.64.0.0/16"),
        ("172.16.0.0/16", "172.17.0.0/16"),
        ("192.168.0.0/16", "100.64.0.0/16"),
        ("198.19.0.0/16", "100.64.0.0/16"),
        ("100.64.0.0/16", "100.65.0.0/16"),
        ("11.0.0.0/16", "12.0.0.0/16"),
    ],
)
def test_permitted_combinations(build: Builder, primary: str, secondary: str) -> None:
    build.network("aws_vpc.main", primary, secondary)
    assert run(RULE, build.topology) == []


def test_low_ten_slash_16_next_to_a_block_in_10_0_0_0_15(build: Builder) -> None:
    build.network("aws_vpc.main", "10.1.0.0/16", "10.0.0.0/16")

    assert messages(run(RULE, build.topology)) == [
        "secondary block 10.0.0.0/16 of aws_vpc.main is in 10.0.0.0/16, which AWS does not allow "
        "when another block (10.1.0.0/16) is in 10.0.0.0/15"
    ]


def test_unknown_primary_other_providers_and_externals(build: Builder) -> None:
    build.network("aws_vpc.computed", unresolved(), "172.20.0.0/16")
    build.network("azurerm_virtual_network.hub", "10.0.0.0/16", "172.20.0.0/16", provider="azure")
    build.network("vpc-0abc", "10.0.0.0/16", "172.20.0.0/16", external=True)
    assert run(RULE, build.topology) == []
