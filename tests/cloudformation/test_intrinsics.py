"""Each intrinsic function evaluated as CloudFormation would, on hand-written fixtures."""

from __future__ import annotations

from tests.cloudformation.conftest import cidrs, evaluate, network, subnet
from vpclint.topology.models import Network, Subnet, Topology, UnknownKind


def addresses(topology: Topology) -> set[str]:
    return {item.address for item in [*topology.networks, *topology.subnets]}


def test_conditions_decide_existence_and_if_under_defaults() -> None:
    topology = evaluate("intrinsics/conditions.yaml")
    assert addresses(topology) == {"Vpc", "ProdOnlyVpc", "RegionalVpc", "OptionalSubnet"}
    assert cidrs(network(topology, "Vpc").ipv4_blocks) == ["10.70.0.0/16"]
    assert network(topology, "Vpc").ipv6 == "absent"  # its association's condition is false
    optional = subnet(topology, "OptionalSubnet")
    assert optional.ipv6_blocks == () and optional.ipv6 == "absent"  # If -> AWS::NoValue


def test_conditions_follow_given_parameters() -> None:
    topology = evaluate("intrinsics/conditions.yaml", parameters={"Environment": "dev"})
    assert addresses(topology) == {"Vpc", "DevOnlyVpc", "RegionalVpc", "OptionalSubnet"}
    assert cidrs(network(topology, "Vpc").ipv4_blocks) == ["10.71.0.0/16"]

    with_ipv6 = evaluate("intrinsics/conditions.yaml", parameters={"WantIpv6": "true"})
    assert network(with_ipv6, "Vpc").ipv6 == "present"
    assert cidrs(subnet(with_ipv6, "OptionalSubnet").ipv6_blocks) == ["2001:db8:70::/64"]


def test_condition_on_a_pseudo_parameter_is_unknown_with_its_reason() -> None:
    (block,) = network(evaluate("intrinsics/conditions.yaml"), "RegionalVpc").ipv4_blocks
    assert block.cidr is None and block.unknown is not None
    assert block.unknown.kind is UnknownKind.UNRESOLVED
    assert "InUsEast1" in block.unknown.reason and "AWS::Region" in block.unknown.reason


def test_find_in_map_with_parameter_numeric_and_default_value() -> None:
    topology = evaluate("intrinsics/find_in_map.yaml")
    assert cidrs(network(topology, "Vpc").ipv4_blocks) == ["10.80.0.0/16"]
    assert cidrs(subnet(topology, "SecondSubnet").ipv4_blocks) == ["10.80.1.0/24"]
    assert cidrs(network(topology, "YearVpc").ipv4_blocks) == ["10.82.0.0/16"]
    assert cidrs(network(topology, "StagingVpc").ipv4_blocks) == ["10.89.0.0/16"]
    (missing,) = network(topology, "MissingVpc").ipv4_blocks
    assert missing.unknown is not None and missing.unknown.kind is UnknownKind.ERROR
    assert "staging" in missing.unknown.reason
    dev = evaluate("intrinsics/find_in_map.yaml", parameters={"Environment": "dev"})
    assert cidrs(network(dev, "Vpc").ipv4_blocks) == ["10.81.0.0/16"]


def test_sub_join_split_and_list_parameters() -> None:
    topology = evaluate("intrinsics/strings.yaml")
    expected = {
        "SubVpc": "10.90.0.0/16",
        "SubWithVariablesVpc": "10.90.128.0/17",
        "JoinVpc": "10.91.0.0/16",
        "ListSubnet": "10.90.2.0/24",  # CommaDelimitedList members are space-trimmed
        "SplitSubnet": "10.90.4.0/24",
        "EscapedSubVpc": "${Literal}",  # ${!Literal} is written out, not substituted
    }
    resources: list[Network | Subnet] = [*topology.networks, *topology.subnets]
    found = {item.address: item.ipv4_blocks[0].cidr for item in resources}
    assert {name: found[name] for name in expected} == expected
    (stack_name,) = network(topology, "StackNameVpc").ipv4_blocks
    assert stack_name.unknown is not None and "AWS::StackName" in stack_name.unknown.reason


def test_wrong_expressions_are_errors_and_deploy_time_values_unresolved() -> None:
    topology = evaluate("intrinsics/errors.yaml")
    resources: list[Network | Subnet] = [*topology.networks, *topology.subnets]
    blocks = {item.address: item.ipv4_blocks[0] for item in resources}
    errors = {
        "TooManySubnets": "between 1 and 256",
        "IndexOutOfRange": "index 9 is out of range for a list of 4",
        "TooManyBits": "20 host bits do not fit",
        "UndefinedRef": "Nowhere",
    }
    unresolved = {
        "ByZone": "Availability Zones",
        "WithoutValue": "NoDefault has no default",
        "FromParameterStore": "SSM Parameter Store",
        "PreProcessed": "!Rain::Embed",
    }
    for name, words in {**errors, **unresolved}.items():
        unknown = blocks[name].unknown
        assert blocks[name].cidr is None and unknown is not None, name
        expected = UnknownKind.ERROR if name in errors else UnknownKind.UNRESOLVED
        assert unknown.kind is expected, name
        assert words in unknown.reason, (name, unknown.reason)
        assert unknown.location == blocks[name].location
    # Resolved text is kept as written: rules judge host bits and garbage.
    assert blocks["HostBitsKept"].cidr == "10.101.3.0/16"
    assert blocks["NotACidr"].cidr == "banana"


def test_resource_typed_by_a_pre_processor_tag_is_still_a_resource() -> None:
    topology = evaluate("intrinsics/errors.yaml")
    reference = subnet(topology, "InModule").network
    assert reference.key == "intrinsics/errors.yaml::Module" and reference.unknown is None
    assert "Module" not in {item.address for item in topology.networks}
