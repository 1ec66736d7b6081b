from __future__ import annotations

from vpclint.api import UnknownKind

from .conftest import Builder, builtin_rule, run, unresolved

RULE = builtin_rule("vpc002_invalid_cidr")


def test_reports_text_that_is_not_a_cidr_with_the_reason(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "10.0.0/16")
    subnet = build.subnet("aws_subnet.a", vpc, "10.0.1.0/33")

    violations = run(RULE, build.topology)

    assert [(v.message, v.location, v.subject) for v in violations] == [
        (
            "invalid CIDR: '10.0.0/16' is not a valid IPv4 or IPv6 CIDR",
            vpc.ipv4_blocks[0].location,
            vpc,
        ),
        (
            "invalid CIDR: '10.0.1.0/33' has a prefix length over /32",
            subnet.ipv4_blocks[0].location,
            subnet,
        ),
    ]


def test_reports_a_failed_cidr_function_with_its_expression(build: Builder) -> None:
    failed = unresolved(
        reason="cidrsubnet: insufficient address space to extend prefix of 28 by 8",
        kind=UnknownKind.ERROR,
        expression='cidrsubnet("10.0.0.0/28", 8, 1)',
    )
    vpc = build.network("aws_vpc.main", "10.0.0.0/16")
    subnet = build.subnet("aws_subnet.a", vpc, failed)

    (violation,) = run(RULE, build.topology)

    assert violation.message == (
        "invalid CIDR: cidrsubnet: insufficient address space to extend prefix of 28 by 8 "
        '(in `cidrsubnet("10.0.0.0/28", 8, 1)`)'
    )
    assert violation.location == subnet.ipv4_blocks[0].location


def test_reports_a_block_of_the_wrong_ip_version(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "2001:db8::/56")

    (violation,) = run(RULE, build.topology)

    assert violation.message == (
        "invalid CIDR: '2001:db8::/56' is an IPv6 block where an IPv4 block is expected"
    )
    assert violation.subject == vpc


def test_valid_unresolved_and_non_canonical_blocks_are_not_its_business(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "10.12.3.0/16", unresolved(), ipv6=["2001:db8::/56"])
    build.subnet("aws_subnet.a", vpc, "10.12.0.0/24", secondary=[("pods", "10.13.0.0/16")])

    assert run(RULE, build.topology) == []


def test_external_networks_are_left_to_the_configuration(build: Builder) -> None:
    build.network("vpc-0abc", "banana", external=True)
    assert run(RULE, build.topology) == []
