from __future__ import annotations

from .conftest import Builder, builtin_rule, messages, run, unresolved

RULE = builtin_rule("vpc301_network_missing_ipv6")


def test_reports_aws_and_azure_networks_without_ipv6(build: Builder) -> None:
    vpc = build.network("aws_vpc.main", "10.0.0.0/16")
    build.network("azurerm_virtual_network.hub", "10.1.0.0/16", provider="azure")

    violations = run(RULE, build.topology)

    assert messages(violations) == [
        "aws_vpc.main has no IPv6 block",
        "azurerm_virtual_network.hub has no IPv6 block",
    ]
    assert violations[0].location == vpc.location
    assert violations[0].subject == vpc


def test_amazon_provided_unknown_state_gcp_and_externals_pass(build: Builder) -> None:
    amazon = unresolved("Amazon-provided IPv6 block", provider_assigned=True)
    build.network("aws_vpc.amazon", "10.0.0.0/16", ipv6=[amazon])
    build.network("aws_vpc.literal", "10.1.0.0/16", ipv6=["2600:1f18::/56"])
    build.network("aws_vpc.flag", "10.2.0.0/16", ipv6_state="unknown")
    build.network("google_compute_network.main", provider="gcp")
    build.network("vpc-0abc", "10.3.0.0/16", external=True)
    assert run(RULE, build.topology) == []
