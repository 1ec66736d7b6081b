from __future__ import annotations

from vpclint.api import Related

from .conftest import Builder, builtin_rule, messages, run, unresolved

RULE = builtin_rule("vpc203_connected_overlap")


def test_peered_vpcs_overlap_reported_at_the_peering(build: Builder) -> None:
    app = build.network("aws_vpc.app", "10.10.0.0/16")
    shared = build.network("aws_vpc.shared", "10.10.128.0/20")
    peering = build.peering("aws_vpc_peering_connection.app_shared", app, shared)

    (violation,) = run(RULE, build.topology)

    assert violation.message == (
        "10.10.128.0/20 of aws_vpc.shared overlaps 10.10.0.0/16 of aws_vpc.app; "
        "they are peered by aws_vpc_peering_connection.app_shared"
    )
    assert violation.location == peering.location
    assert violation.subject == peering
    assert violation.related == (
        Related(app.ipv4_blocks[0].location, app, "10.10.0.0/16"),
        Related(shared.ipv4_blocks[0].location, shared, "10.10.128.0/20"),
    )


def test_secondary_and_ipv6_blocks_count_one_finding_per_connection(build: Builder) -> None:
    app = build.network("aws_vpc.app", "10.0.0.0/16", "10.1.0.0/16", ipv6=["2600:1f18::/56"])
    data = build.network("aws_vpc.data", "10.2.0.0/16", "10.1.128.0/17", ipv6=["2600:1f18::/56"])
    build.peering("aws_vpc_peering_connection.one", app, data)
    build.peering("aws_vpc_peering_connection.two", data, app)

    assert messages(run(RULE, build.topology)) == [
        "10.1.128.0/17 of aws_vpc.data overlaps 10.1.0.0/16 of aws_vpc.app (and 1 more "
        "overlapping block pair); they are peered by aws_vpc_peering_connection.one",
        "10.1.0.0/16 of aws_vpc.app overlaps 10.1.128.0/17 of aws_vpc.data (and 1 more "
        "overlapping block pair); they are peered by aws_vpc_peering_connection.two",
    ]


def test_disjoint_unknown_and_unresolved_peers_pass(build: Builder) -> None:
    app = build.network("aws_vpc.app", "10.0.0.0/16")
    other = build.network("aws_vpc.other", "10.1.0.0/16", ipv6=["2600:1f18::/56"])
    computed = build.network("aws_vpc.computed", unresolved())
    build.peering("aws_vpc_peering_connection.a", app, other)
    build.peering("aws_vpc_peering_connection.b", app, computed)
    build.peering("aws_vpc_peering_connection.c", app, None)
    build.peering("aws_vpc_peering_connection.d", app, "vpc-not-declared")
    build.peering("aws_vpc_peering_connection.self", app, app)

    assert run(RULE, build.topology) == []


def test_external_peer_takes_part_but_two_externals_do_not(build: Builder) -> None:
    app = build.network("aws_vpc.app", "10.50.0.0/16")
    build.network("vpc-0aaa", "10.50.0.0/16", external=True, identities=["vpc-0aaa"])
    build.network("vpc-0bbb", "10.50.0.0/16", external=True, identities=["vpc-0bbb"])
    build.peering("aws_vpc_peering_connection.partner", app, "vpc-0aaa")
    build.peering("aws_vpc_peering_connection.theirs", "vpc-0aaa", "vpc-0bbb")

    assert messages(run(RULE, build.topology)) == [
        "10.50.0.0/16 of vpc-0aaa overlaps 10.50.0.0/16 of aws_vpc.app; they are peered by "
        "aws_vpc_peering_connection.partner"
    ]


def test_transit_gateway_one_finding_per_pair_at_the_later_attachment(build: Builder) -> None:
    first = build.network("aws_vpc.first", "10.0.0.0/16")
    second = build.network("aws_vpc.second", "10.1.0.0/16")
    third = build.network("aws_vpc.third", "10.0.0.0/8")
    elsewhere = build.network("aws_vpc.elsewhere", "10.0.0.0/16")
    a1 = build.attach("aws_ec2_transit_gateway_vpc_attachment.first", first, "tgw-hub")
    build.attach("aws_ec2_transit_gateway_vpc_attachment.second", second, "tgw-hub")
    a3 = build.attach("aws_ec2_transit_gateway_vpc_attachment.third", third, "tgw-hub")
    build.attach("aws_ec2_transit_gateway_vpc_attachment.elsewhere", elsewhere, "tgw-other")
    build.attach("aws_ec2_transit_gateway_vpc_attachment.unknown", elsewhere, None)

    violations = run(RULE, build.topology)

    assert messages(violations) == [
        "10.0.0.0/8 of aws_vpc.third overlaps 10.0.0.0/16 of aws_vpc.first; both are attached to "
        "the same transit gateway (by aws_ec2_transit_gateway_vpc_attachment.first and "
        "aws_ec2_transit_gateway_vpc_attachment.third)",
        "10.0.0.0/8 of aws_vpc.third overlaps 10.1.0.0/16 of aws_vpc.second; both are attached to "
        "the same transit gateway (by aws_ec2_transit_gateway_vpc_attachment.second and "
        "aws_ec2_transit_gateway_vpc_attachment.third)",
    ]
    assert violations[0].location == a3.location
    assert violations[0].subject == a3
    assert violations[0].related == (
        Related(first.ipv4_blocks[0].location, first, "10.0.0.0/16"),
        Related(third.ipv4_blocks[0].location, third, "10.0.0.0/8"),
        Related(a1.location, a1),
    )


def test_gcp_subnet_ranges_and_auto_mode(build: Builder) -> None:
    auto = build.network("google_compute_network.auto", provider="gcp", auto_mode=True)
    custom = build.network("google_compute_network.custom", provider="gcp")
    subnet = build.subnet(
        "google_compute_subnetwork.a", custom, "10.0.0.0/20", secondary=[("pods", "10.130.0.0/16")]
    )
    peering = build.peering(
        "google_compute_network_peering.auto_custom", auto, custom, kind="network-peering"
    )

    (violation,) = run(RULE, build.topology)

    assert violation.message == (
        "10.130.0.0/16 (range pods) of google_compute_subnetwork.a overlaps 10.128.0.0/9 of "
        "google_compute_network.auto; they are peered by google_compute_network_peering.auto_custom"
    )
    assert violation.location == peering.location
    assert Related(custom.location, custom) in violation.related
    assert (
        Related(subnet.secondary_ranges[0].location, subnet, "10.130.0.0/16") in violation.related
    )


def test_azure_vnet_peering(build: Builder) -> None:
    hub = build.network("azurerm_virtual_network.hub", "10.0.0.0/16", provider="azure")
    spoke = build.network("azurerm_virtual_network.spoke", "10.0.0.0/24", provider="azure")
    build.peering("azurerm_virtual_network_peering.hub_spoke", hub, spoke, kind="vnet-peering")

    assert messages(run(RULE, build.topology)) == [
        "10.0.0.0/24 of azurerm_virtual_network.spoke overlaps 10.0.0.0/16 of "
        "azurerm_virtual_network.hub; they are peered by azurerm_virtual_network_peering.hub_spoke"
    ]
