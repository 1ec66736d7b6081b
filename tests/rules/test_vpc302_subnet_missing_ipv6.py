from __future__ import annotations

from vpclint.api import Related

from .conftest import Builder, builtin_rule, messages, run, unresolved

RULE = builtin_rule("vpc302_subnet_missing_ipv6")


def test_reports_the_dual_stack_gap(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "10.0.0.0/16", ipv6=["2600:1f18::/56"])
    build.subnet("aws_subnet.dual", vpc, "10.0.0.0/24", ipv6=["2600:1f18::/64"])
    gap = build.subnet("aws_subnet.gap", vpc, "10.0.1.0/24")

    (violation,) = run(RULE, build.topology)

    assert violation.message == (
        "aws_subnet.gap has no IPv6 block, but its network aws_vpc.main has 2600:1f18::/56 "
        "(dual-stack gap)"
    )
    assert violation.location == gap.location
    assert violation.subject == gap
    assert violation.related == (Related(vpc.ipv6_blocks[0].location, vpc, "2600:1f18::/56"),)


def test_amazon_provided_network_block(build: Builder) -> None:
    amazon = unresolved("Amazon-provided IPv6 block", provider_assigned=True)
    vpc = build.network("aws_vpc.main", "10.0.0.0/16", ipv6=[amazon])
    build.subnet("aws_subnet.gap", vpc, "10.0.1.0/24")

    assert messages(run(RULE, build.topology)) == [
        "aws_subnet.gap has no IPv6 block, but its network aws_vpc.main has one (dual-stack gap)"
    ]


def test_ipv4_only_networks_and_unknown_states_pass(build: Builder) -> None:
    v4 = build.network("aws_vpc.v4", "10.0.0.0/16")
    build.subnet("aws_subnet.a", v4, "10.0.0.0/24")
    dual = build.network("aws_vpc.dual", "10.1.0.0/16", ipv6=["2600:1f18::/56"])
    build.subnet("aws_subnet.b", dual, "10.1.0.0/24", ipv6_state="unknown")
    build.subnet("aws_subnet.c", dual, "10.1.1.0/24", ipv6=[unresolved()])
    build.subnet("aws_subnet.d", "vpc-elsewhere", "10.2.0.0/24")
    assert run(RULE, build.topology) == []
