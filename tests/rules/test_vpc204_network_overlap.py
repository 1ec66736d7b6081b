from __future__ import annotations

from vpclint.api import Related

from .conftest import Builder, builtin_rule, messages, run, unresolved

RULE = builtin_rule("vpc204_network_overlap")

NOT_CONNECTED = "; the networks are not connected, and overlapping networks can never be peered"


def test_reports_the_later_network(build: Builder) -> None:
    billing = build.network("aws_vpc.billing", "10.0.0.0/16")
    search = build.network("aws_vpc.search", "10.0.0.0/16")

    (violation,) = run(RULE, build.topology)

    assert violation.message == (
        "10.0.0.0/16 of aws_vpc.search overlaps 10.0.0.0/16 of aws_vpc.billing" + NOT_CONNECTED
    )
    assert violation.location == search.ipv4_blocks[0].location
    assert violation.subject == search
    assert violation.related == (Related(billing.ipv4_blocks[0].location, billing, "10.0.0.0/16"),)


def test_connected_pairs_are_left_to_vpc203(build: Builder) -> None:
    a = build.network("aws_vpc.a", "10.0.0.0/16")
    b = build.network("aws_vpc.b", "10.0.0.0/16")
    c = build.network("aws_vpc.c", "10.0.0.0/16")
    build.peering("aws_vpc_peering_connection.ab", a, b)
    build.attach("aws_ec2_transit_gateway_vpc_attachment.b", b, "tgw-1")
    build.attach("aws_ec2_transit_gateway_vpc_attachment.c", c, "tgw-1")

    assert messages(run(RULE, build.topology)) == [
        "10.0.0.0/16 of aws_vpc.c overlaps 10.0.0.0/16 of aws_vpc.a" + NOT_CONNECTED
    ]


def test_ipv6_and_several_block_pairs_give_one_finding(build: Builder) -> None:
    build.network("aws_vpc.a", "10.0.0.0/16", "10.1.0.0/16", ipv6=["2600:1f18::/56"])
    build.network("aws_vpc.b", "10.1.0.0/24", ipv6=["2600:1f18::/60"])

    assert messages(run(RULE, build.topology)) == [
        "10.1.0.0/24 of aws_vpc.b overlaps 10.1.0.0/16 of aws_vpc.a (and 1 more overlapping "
        "block pair)" + NOT_CONNECTED
    ]


def test_external_networks_against_scope_only(build: Builder) -> None:
    build.network("vpc-0aaa", "10.9.0.0/16", external=True)
    build.network("vpc-0bbb", "10.9.0.0/16", external=True)
    app = build.network("aws_vpc.app", "10.9.0.0/20")
    assert [(v.subject, v.message) for v in run(RULE, build.topology)] == [
        (app, "10.9.0.0/20 of aws_vpc.app overlaps 10.9.0.0/16 of vpc-0aaa" + NOT_CONNECTED),
        (app, "10.9.0.0/20 of aws_vpc.app overlaps 10.9.0.0/16 of vpc-0bbb" + NOT_CONNECTED),
    ]


def test_unknown_and_disjoint_blocks_never_overlap(build: Builder) -> None:
    build.network("aws_vpc.a", "10.0.0.0/16", unresolved())
    build.network("aws_vpc.b", unresolved(), "10.1.0.0/16")
    build.network("aws_vpc.c", "10.2.0.0/16", ipv6=["2600:1f18::/56"])
    build.network("aws_vpc.d", "10.3.0.0/16", ipv6=["2600:1f19::/56"])
    assert run(RULE, build.topology) == []


def test_gcp_networks_compare_their_subnet_ranges(build: Builder) -> None:
    first = build.network("google_compute_network.first", provider="gcp")
    second = build.network("google_compute_network.second", provider="gcp")
    build.subnet("google_compute_subnetwork.a", first, "10.0.0.0/20")
    b = build.subnet("google_compute_subnetwork.b", second, "10.0.8.0/24")
    build.network("google_compute_network.auto", provider="gcp", auto_mode=True)

    violations = run(RULE, build.topology)

    assert messages(violations) == [
        "10.0.8.0/24 of google_compute_subnetwork.b overlaps 10.0.0.0/20 of "
        "google_compute_subnetwork.a" + NOT_CONNECTED
    ]
    assert violations[0].subject == second
    assert violations[0].location == b.ipv4_blocks[0].location
    assert Related(first.location, first) in violations[0].related
