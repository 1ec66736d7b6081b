from __future__ import annotations

from vpclint.api import Related

from .conftest import Builder, builtin_rule, messages, run, unresolved

RULE = builtin_rule("vpc202_subnet_overlap")


def test_reports_the_later_subnet_with_the_earlier_related(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "10.0.0.0/16")
    app = build.subnet("aws_subnet.app", vpc, "10.0.0.0/23")
    data = build.subnet("aws_subnet.data", vpc, "10.0.1.0/24")

    (violation,) = run(RULE, build.topology)

    assert violation.message == (
        "10.0.1.0/24 of aws_subnet.data overlaps 10.0.0.0/23 of aws_subnet.app; "
        "both are subnets of aws_vpc.main"
    )
    assert violation.location == data.ipv4_blocks[0].location
    assert violation.subject == data
    assert violation.related == (Related(app.ipv4_blocks[0].location, app, "10.0.0.0/23"),)


def test_one_finding_per_pair_with_ipv4_and_ipv6_overlapping(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "10.0.0.0/16", ipv6=["2600:1f18::/56"])
    build.subnet("aws_subnet.a", vpc, "10.0.0.0/24", ipv6=["2600:1f18::/64"])
    build.subnet("aws_subnet.b", vpc, "10.0.0.0/24", ipv6=["2600:1f18::/64"])
    build.subnet("aws_subnet.c", vpc, "10.0.2.0/24", ipv6=["2600:1f18:0:1::/64"])

    assert messages(run(RULE, build.topology)) == [
        "10.0.0.0/24 of aws_subnet.b overlaps 10.0.0.0/24 of aws_subnet.a; both are subnets of "
        "aws_vpc.main (and 1 more overlapping block pair)"
    ]


def test_three_identical_subnets_give_three_pairs(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "10.0.0.0/16")
    for name in ("a", "b", "c"):
        build.subnet(f"aws_subnet.{name}", vpc, "10.0.5.0/24")

    assert messages(run(RULE, build.topology)) == [
        "10.0.5.0/24 of aws_subnet.b overlaps 10.0.5.0/24 of aws_subnet.a; "
        "both are subnets of aws_vpc.main",
        "10.0.5.0/24 of aws_subnet.c overlaps 10.0.5.0/24 of aws_subnet.a; "
        "both are subnets of aws_vpc.main",
        "10.0.5.0/24 of aws_subnet.c overlaps 10.0.5.0/24 of aws_subnet.b; "
        "both are subnets of aws_vpc.main",
    ]


def test_gcp_secondary_ranges_take_part(build: Builder) -> None:
    network = build.network("google_compute_network.main", provider="gcp")
    build.subnet(
        "google_compute_subnetwork.a", network, "10.0.0.0/20", secondary=[("pods", "10.4.0.0/14")]
    )
    build.subnet("google_compute_subnetwork.b", network, "10.6.0.0/20")

    assert messages(run(RULE, build.topology)) == [
        "10.6.0.0/20 of google_compute_subnetwork.b overlaps 10.4.0.0/14 (range pods) of "
        "google_compute_subnetwork.a; both are subnets of google_compute_network.main"
    ]


def test_no_overlap_across_networks_versions_or_unknowns(build: Builder) -> None:
    first = build.network("aws_vpc.first", "10.0.0.0/16")
    second = build.network("aws_vpc.second", "10.0.0.0/16")
    build.subnet("aws_subnet.a", first, "10.0.0.0/24", unresolved())
    build.subnet("aws_subnet.b", second, "10.0.0.0/24")
    build.subnet("aws_subnet.c", first, unresolved(), ipv6=["::/64"])
    build.subnet("aws_subnet.d", first, "10.0.1.0/24")
    build.subnet("aws_subnet.e", "vpc-elsewhere", "10.0.0.0/24")

    assert run(RULE, build.topology) == []


def test_a_subnets_own_ranges_are_not_a_pair(build: Builder) -> None:
    network = build.network("google_compute_network.main", provider="gcp")
    build.subnet(
        "google_compute_subnetwork.a", network, "10.0.0.0/20", secondary=[("pods", "10.0.0.0/16")]
    )
    assert run(RULE, build.topology) == []
