from __future__ import annotations

from .conftest import Builder, builtin_rule, messages, run

RULE = builtin_rule("vpc402_forbidden_range")


def test_reports_each_forbidden_range(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "169.254.0.0/16", "127.0.0.0/16", "0.0.0.0/16")
    build.network("azurerm_virtual_network.x", "224.1.0.0/16", "240.0.0.0/16", provider="azure")

    violations = run(RULE, build.topology)

    assert messages(violations) == [
        "169.254.0.0/16 of aws_vpc.main is in 169.254.0.0/16 (link-local), which cannot be used "
        "for a network",
        "127.0.0.0/16 of aws_vpc.main is in 127.0.0.0/8 (loopback), which cannot be used for a "
        "network",
        "0.0.0.0/16 of aws_vpc.main is in 0.0.0.0/8 ('this network'), which cannot be used for a "
        "network",
        "224.1.0.0/16 of azurerm_virtual_network.x is in 224.0.0.0/4 (multicast), which cannot be "
        "used for a network",
        "240.0.0.0/16 of azurerm_virtual_network.x is in 240.0.0.0/4 (reserved), which cannot be "
        "used for a network",
    ]
    assert violations[0].location == vpc.ipv4_blocks[0].location


def test_a_block_containing_forbidden_space_counts(build: Builder) -> None:
    build.network("aws_vpc.all", "0.0.0.0/0")
    (message,) = messages(run(RULE, build.topology))
    assert message.startswith("0.0.0.0/0 of aws_vpc.all is in 0.0.0.0/8 ('this network'), ")
    assert "240.0.0.0/4 (reserved)" in message


def test_ordinary_blocks_pass(build: Builder) -> None:
    build.network("aws_vpc.main", "10.0.0.0/16", "11.0.0.0/16", ipv6=["fe80::/64"])
    build.network("vpc-0abc", "127.0.0.0/16", external=True)
    assert run(RULE, build.topology) == []
