from __future__ import annotations

from .conftest import Builder, builtin_rule, messages, run

RULE = builtin_rule("vpc102_subnet_size_out_of_range")


def test_aws_subnets(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "10.0.0.0/8", ipv6=["2600:1f18::/56"])
    build.subnet("aws_subnet.ok", vpc, "10.0.0.0/28", ipv6=["2600:1f18::/64"])
    build.subnet("aws_subnet.wide_ok", vpc, "10.1.0.0/16")
    tiny = build.subnet("aws_subnet.tiny", vpc, "10.2.0.0/29")
    build.subnet("aws_subnet.huge", vpc, "10.4.0.0/15")
    build.subnet("aws_subnet.odd_v6", vpc, "10.3.0.0/24", ipv6=["2600:1f18:0:100::/62"])
    build.subnet("aws_subnet.ipam_v6", vpc, "10.3.1.0/24", ipv6=["2600:1f18::/60"])

    violations = run(RULE, build.topology)

    assert messages(violations) == [
        "10.2.0.0/29 of aws_subnet.tiny is a /29; AWS subnets take IPv4 blocks from /16 to /28",
        "10.4.0.0/15 of aws_subnet.huge is a /15; AWS subnets take IPv4 blocks from /16 to /28",
        "2600:1f18:0:100::/62 of aws_subnet.odd_v6 is a /62; AWS subnets take IPv6 blocks of /64 "
        "(other sizes only from IPAM pools)",
    ]
    assert violations[0].location == tiny.ipv4_blocks[0].location
    assert violations[0].subject == tiny


def test_azure_subnets(build: Builder) -> None:
    vnet = build.network("azurerm_virtual_network.hub", "10.0.0.0/8", provider="azure")
    build.subnet("azurerm_subnet.ok", vnet, "10.0.0.0/29", ipv6=["fd00::/64"])
    build.subnet("azurerm_subnet.small", vnet, "10.0.1.0/30")
    build.subnet("azurerm_subnet.v6", vnet, "10.0.2.0/24", ipv6=["fd00:1::/56"])

    assert messages(run(RULE, build.topology)) == [
        "10.0.1.0/30 of azurerm_subnet.small is a /30; Azure subnets take IPv4 blocks from /2 "
        "to /29",
        "fd00:1::/56 of azurerm_subnet.v6 is a /56; Azure subnets take IPv6 blocks of exactly /64",
    ]


def test_gcp_primary_ranges_must_be_29_or_larger(build: Builder) -> None:
    network = build.network("google_compute_network.main", provider="gcp")
    build.subnet("google_compute_subnetwork.ok", network, "10.0.0.0/9")
    build.subnet(
        "google_compute_subnetwork.small",
        network,
        "10.200.0.0/30",
        secondary=[("tiny", "10.201.0.0/30")],
    )

    assert messages(run(RULE, build.topology)) == [
        "10.200.0.0/30 of google_compute_subnetwork.small is a /30; "
        "GCP subnetwork primary ranges must be /29 or larger",
    ]
