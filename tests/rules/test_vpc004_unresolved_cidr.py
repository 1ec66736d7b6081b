from __future__ import annotations

from vpclint.api import UnknownKind

from .conftest import Builder, builtin_rule, run, unresolved

RULE = builtin_rule("vpc004_unresolved_cidr")


def test_reports_unresolved_blocks_with_the_reason(build: Builder) -> None:
    vpc = build.network(
        "aws_vpc.main",
        unresolved(
            "data source aws_vpc_ipam_preview_next_cidr.x is read at apply time",
            expression="data.aws_vpc_ipam_preview_next_cidr.x.cidr",
        ),
    )
    subnet = build.subnet(
        "aws_subnet.a",
        vpc,
        unresolved(
            "count expansion over the limit of 10000 instances",
            kind=UnknownKind.LIMIT,
            expression=None,
        ),
    )

    violations = run(RULE, build.topology)

    assert [(v.message, v.location, v.subject) for v in violations] == [
        (
            "CIDR cannot be resolved statically: data source aws_vpc_ipam_preview_next_cidr.x is "
            "read at apply time (`data.aws_vpc_ipam_preview_next_cidr.x.cidr`)",
            vpc.ipv4_blocks[0].location,
            vpc,
        ),
        (
            "CIDR not resolved, an evaluation limit was hit: count expansion over the limit of "
            "10000 instances",
            subnet.ipv4_blocks[0].location,
            subnet,
        ),
    ]


def test_provider_assigned_ipv6_and_failed_evaluations_are_not_reported(build: Builder) -> None:
    amazon_ipv6 = unresolved("Amazon-provided IPv6 block", provider_assigned=True, expression=None)
    vpc = build.network("aws_vpc.main", "10.0.0.0/16", ipv6=[amazon_ipv6])
    build.subnet("aws_subnet.a", vpc, unresolved("cidrsubnet failed", kind=UnknownKind.ERROR))

    assert run(RULE, build.topology) == []
