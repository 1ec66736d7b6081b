from __future__ import annotations

from .conftest import Builder, builtin_rule, messages, run, unresolved

RULE = builtin_rule("vpc205_reserved_range_overlap")


def test_docker_bridge_is_reserved_by_default(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "172.16.0.0/12")

    (violation,) = run(RULE, build.topology)

    assert violation.message == (
        "172.16.0.0/12 of aws_vpc.main overlaps 172.17.0.0/16, Docker's default bridge network; "
        "AWS advises against it"
    )
    assert violation.location == vpc.ipv4_blocks[0].location
    assert violation.subject == vpc


def test_configured_ranges_are_named_by_label(build: Builder) -> None:
    build.topology.reserved_ranges = {
        "on-prem": ("10.0.0.0/12", "10.16.0.0/16", "192.168.0.0/16"),
        "partner-v6": ("fd00:1::/48",),
    }
    build.network("aws_vpc.main", "10.0.0.0/11", ipv6=["fd00:1:0:1::/64"])
    build.network("aws_vpc.clear", "10.32.0.0/16", ipv6=["fd00:2::/56"])

    assert messages(run(RULE, build.topology)) == [
        "10.0.0.0/11 of aws_vpc.main overlaps the reserved range on-prem "
        "(10.0.0.0/12, 10.16.0.0/16)",
        "fd00:1:0:1::/64 of aws_vpc.main overlaps the reserved range partner-v6 (fd00:1::/48)",
    ]


def test_gcp_subnet_ranges_external_and_unknown_blocks(build: Builder) -> None:
    build.topology.reserved_ranges = {"office": ("10.200.0.0/16",)}
    network = build.network("google_compute_network.main", provider="gcp")
    subnet = build.subnet(
        "google_compute_subnetwork.a", network, "10.0.0.0/20", secondary=[("pods", "10.200.0.0/20")]
    )
    build.network("vpc-0abc", "10.200.0.0/16", external=True)
    build.network("aws_vpc.computed", unresolved())

    violations = run(RULE, build.topology)

    assert messages(violations) == [
        "10.200.0.0/20 of google_compute_subnetwork.a overlaps the reserved range office "
        "(10.200.0.0/16)"
    ]
    assert violations[0].subject == subnet
