"""Parameter values: defaults, parameter files in both forms, --parameter on top."""

from __future__ import annotations

from pathlib import Path

from tests.cloudformation.conftest import FIXTURES, cidrs, evaluate, network, subnet

TEMPLATE = "parameters/vpc.yaml"


def test_defaults_apply_without_files() -> None:
    topology = evaluate(TEMPLATE)
    assert cidrs(network(topology, "Vpc").ipv4_blocks) == ["10.0.0.0/16"]
    assert cidrs(subnet(topology, "Subnet").ipv4_blocks) == ["10.0.1.0/24"]


def test_aws_cli_parameter_file_mapped_by_glob() -> None:
    files = {"parameters/*.yaml": [FIXTURES / "parameters/prod-cli.json"]}
    topology = evaluate(TEMPLATE, parameter_files=files)
    assert cidrs(network(topology, "Vpc").ipv4_blocks) == ["10.130.0.0/16"]
    assert cidrs(subnet(topology, "Subnet").ipv4_blocks) == ["10.130.4.0/22"]


def test_later_files_and_command_line_override_earlier_values() -> None:
    files = {
        "**/vpc.yaml": [
            FIXTURES / "parameters/prod-cli.json",
            Path("parameters/prod-pipeline.json"),  # relative to the project root
        ]
    }
    topology = evaluate(TEMPLATE, parameter_files=files)
    assert cidrs(network(topology, "Vpc").ipv4_blocks) == ["10.140.0.0/16"]
    assert cidrs(subnet(topology, "Subnet").ipv4_blocks) == ["10.140.4.0/22"]  # bits from file 1
    overridden = evaluate(TEMPLATE, parameter_files=files, parameters={"SubnetBits": "12"})
    assert cidrs(subnet(overridden, "Subnet").ipv4_blocks) == ["10.140.16.0/20"]


def test_files_for_other_templates_do_not_apply() -> None:
    files = {"elsewhere/*.yaml": [FIXTURES / "parameters/prod-cli.json"]}
    topology = evaluate(TEMPLATE, parameter_files=files)
    assert cidrs(network(topology, "Vpc").ipv4_blocks) == ["10.0.0.0/16"]


def test_unreadable_parameter_file_is_a_parse_error_and_defaults_stay() -> None:
    files = {
        "parameters/vpc.yaml": [
            FIXTURES / "parameters/broken.json",
            FIXTURES / "parameters/missing.json",
        ]
    }
    topology = evaluate(TEMPLATE, parameter_files=files)
    assert cidrs(network(topology, "Vpc").ipv4_blocks) == ["10.0.0.0/16"]
    messages = sorted(error.message for error in topology.parse_errors)
    assert len(messages) == 2
    assert any("ParameterKey" in message for message in messages)
    assert any("cannot read" in message for message in messages)
