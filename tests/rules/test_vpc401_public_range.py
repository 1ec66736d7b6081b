from __future__ import annotations

from .conftest import Builder, builtin_rule, messages, run, unresolved

RULE = builtin_rule("vpc401_public_range")


def test_reports_blocks_outside_private_space(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "11.0.0.0/16", "10.0.0.0/7")
    network = build.network("google_compute_network.main", provider="gcp")
    build.subnet("google_compute_subnetwork.a", network, "34.0.0.0/20")

    violations = run(RULE, build.topology)

    assert messages(violations) == [
        "11.0.0.0/16 of aws_vpc.main is public address space (outside RFC 1918 and 100.64.0.0/10)",
        "10.0.0.0/7 of aws_vpc.main is public address space (outside RFC 1918 and 100.64.0.0/10)",
        "34.0.0.0/20 of google_compute_subnetwork.a is public address space (outside RFC 1918 "
        "and 100.64.0.0/10)",
    ]
    assert violations[0].location == vpc.ipv4_blocks[0].location


def test_private_forbidden_ipv6_unknown_and_external_blocks_pass(build: Builder) -> None:
    build.network("aws_vpc.a", "10.0.0.0/16", "172.31.0.0/16", "192.168.0.0/16", "100.64.0.0/16")
    build.network("aws_vpc.b", "169.254.0.0/16", unresolved(), ipv6=["2600:1f18::/56"])
    build.network("vpc-0abc", "8.8.0.0/16", external=True)
    assert run(RULE, build.topology) == []
