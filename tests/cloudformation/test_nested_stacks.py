"""Nested stacks whose template is a local file: one child per parent resource, with the
parameters the parent passes and its outputs read back; what cannot be read is VPC005."""

from __future__ import annotations

import io
import json
from pathlib import Path

from tests.cloudformation.conftest import FIXTURES, cidrs, evaluate, network, subnet
from vpclint.cli import main
from vpclint.discover.sources import SourceText, read_source
from vpclint.evaluate.cloudformation.frontend import CloudFormationFrontEnd
from vpclint.evaluate.contract import EvaluationSettings
from vpclint.limits import Limits
from vpclint.topology.models import Topology, UnknownKind

HUB = "nested-stacks/hub.yaml"
SPOKE = "nested-stacks/stacks/spoke.yaml"


def test_each_stack_resource_is_one_instance_of_its_child_with_the_parameters_passed() -> None:
    topology = evaluate(HUB, SPOKE)
    blocks = {item.address: cidrs(item.ipv4_blocks) for item in topology.networks}
    assert blocks == {
        "Hub": ["10.10.0.0/16"],
        "SpokeA.Vpc": ["10.20.0.0/16"],  # a literal parameter value
        "SpokeB.Vpc": ["10.11.0.0/16"],  # the parent's own parameter, passed on
    }
    spoke_b = network(topology, "SpokeB.Vpc")
    assert spoke_b.location.file == SPOKE and spoke_b.location.line == 9
    assert spoke_b.key == f"{HUB}::SpokeB/{SPOKE}::Vpc"
    assert cidrs(subnet(topology, "SpokeA.Subnet").ipv4_blocks) == ["10.20.0.0/24"]
    # !Ref Hub passed as HubVpcId: each spoke's peering reaches the hub itself.
    peers = {
        connection.address: {end.key for end in connection.ends}
        for connection in topology.connections
    }
    assert peers == {
        "SpokeA.ToHub": {f"{HUB}::Hub", f"{HUB}::SpokeA/{SPOKE}::Vpc"},
        "SpokeB.ToHub": {f"{HUB}::Hub", f"{HUB}::SpokeB/{SPOKE}::Vpc"},
    }


def test_an_output_read_by_get_att_is_the_childs_resource() -> None:
    topology = evaluate(HUB, SPOKE)
    copy = subnet(topology, "SpokeBSubnetCopy")
    assert copy.network.key == network(evaluate(HUB, SPOKE), "SpokeB.Vpc").key


def test_remote_and_repository_templates_are_not_analysed_and_named() -> None:
    messages = sorted(item.message for item in evaluate(HUB, SPOKE).not_analysed)
    assert len(messages) == 2
    assert "https://s3.amazonaws.com/bucket/vpc.yaml" in messages[0]
    assert "Serverless Application Repository" in messages[1] and "shared-vpc" in messages[1]


def test_a_child_evaluated_alone_has_no_parent_values() -> None:
    (block,) = network(evaluate(SPOKE), "Vpc").ipv4_blocks
    assert block.unknown is not None and "VpcCidr" in block.unknown.reason


def test_a_cycle_of_nested_stacks_is_reported_not_followed() -> None:
    topology = evaluate("nested-stacks/cycle/first.yaml", "nested-stacks/cycle/second.yaml")
    # Each template nests the other: neither is a root. The first is evaluated as one, and
    # nests the second, whose nesting of the first is the cycle.
    assert sorted(item.address for item in topology.networks) == ["Second.Vpc", "Vpc"]
    messages = [item.message for item in topology.not_analysed]
    assert any("nests itself" in message for message in messages)
    assert any(
        "nested-stacks/nowhere/vpc.yaml, which is not among" in message for message in messages
    )


def test_nesting_deeper_than_the_limit_is_reported() -> None:
    front_end = CloudFormationFrontEnd()
    parsed = [front_end.parse(_source(name), Limits()) for name in (HUB, SPOKE)]
    settings = EvaluationSettings(project_root=FIXTURES, limits=Limits(max_module_depth=0))
    topology = front_end.evaluate([item for item in parsed if item is not None], settings)
    assert [item.address for item in topology.networks] == ["Hub", "Vpc"]  # the spoke alone
    assert any("nested more than 0 deep" in item.message for item in topology.not_analysed)


def test_an_output_the_child_does_not_declare_is_an_error() -> None:
    text = (FIXTURES / HUB).read_text(encoding="utf-8").replace("Outputs.VpcId", "Outputs.Nope")
    topology = _evaluate_with_spoke(text)
    (block,) = subnet(topology, "SpokeBSubnetCopy").ipv4_blocks
    reference = subnet(topology, "SpokeBSubnetCopy").network
    assert block.cidr == "10.11.9.0/24"
    assert reference.unknown is not None and reference.unknown.kind is UnknownKind.ERROR
    assert "has no output Nope" in reference.unknown.reason


def test_the_cli_reports_the_same_cidr_of_two_instances_as_an_overlap(tmp_path: Path) -> None:
    (tmp_path / "stacks").mkdir()
    spoke = (FIXTURES / SPOKE).read_text(encoding="utf-8")
    (tmp_path / "stacks" / "spoke.yaml").write_text(spoke, encoding="utf-8")
    hub = (FIXTURES / HUB).read_text(encoding="utf-8").replace("10.11.0.0/16", "10.20.0.0/16")
    (tmp_path / "hub.yaml").write_text(hub, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    main([str(tmp_path), "--format", "json", "--select", "VPC204"], stdout=out, stderr=err)
    (finding,) = json.loads(out.getvalue())["findings"]
    assert finding["resource"] == "SpokeB.Vpc" and finding["file"].endswith("stacks/spoke.yaml")
    assert "SpokeA.Vpc" in finding["message"]


def _source(relative: str) -> SourceText:
    source = read_source(FIXTURES / relative, relative)
    assert isinstance(source, SourceText)
    return source


def _evaluate_with_spoke(hub_text: str) -> Topology:
    front_end = CloudFormationFrontEnd()
    hub = front_end.parse(SourceText(path=Path(HUB), display=HUB, text=hub_text), Limits())
    spoke_text = (FIXTURES / SPOKE).read_text(encoding="utf-8")
    spoke = front_end.parse(SourceText(path=Path(SPOKE), display=SPOKE, text=spoke_text), Limits())
    assert hub is not None and spoke is not None
    return front_end.evaluate([hub, spoke], EvaluationSettings(project_root=FIXTURES))
