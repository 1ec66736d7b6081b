"""Parse results leave out what evaluation never reads, and evaluate to the same topology."""

from __future__ import annotations

import pickle
from pathlib import Path

from tests.cloudformation.conftest import FIXTURES, parse_text
from vpclint.discover.sources import SourceText, read_source
from vpclint.evaluate.cloudformation.frontend import CloudFormationFrontEnd
from vpclint.evaluate.contract import EvaluationSettings
from vpclint.limits import Limits
from vpclint.parse.cloudformation.template import ParsedTemplate, parse_template

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "cloudformation"

WORKLOAD = """AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  Never: !Equals [a, b]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  # vpclint: ignore[VPC301] the comment above a slimmed resource still finds it
  Server:
    Type: AWS::EC2::Instance
    Condition: Never
    Metadata:
      vpclint: {ignore: [VPC203], reason: kept}
    Properties:
      SubnetId: !Ref Subnet
      UserData: !Base64 |
        #!/bin/sh
        echo a long script that nothing in vpclint reads
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !GetAtt Vpc.VpcId
      CidrBlock: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]
Outputs:
  ServerId:
    Value: !GetAtt Server.PrivateIp
"""


def _templates() -> list[Path]:
    found = [path for path in FIXTURES.rglob("*") if path.is_file()]
    if CORPUS.is_dir():
        found += [path for path in CORPUS.rglob("*") if path.is_file()]
    return sorted(path for path in found if path.suffix in (".yaml", ".yml", ".json"))


def _both(paths: list[Path]) -> tuple[list[ParsedTemplate], list[ParsedTemplate]]:
    full: list[ParsedTemplate] = []
    slim: list[ParsedTemplate] = []
    for path in paths:
        source = read_source(path, path.name)
        assert isinstance(source, SourceText)
        whole = parse_template(source, Limits())
        slimmed = CloudFormationFrontEnd().parse(source, Limits())
        if whole is not None and slimmed is not None:
            full.append(whole)
            slim.append(slimmed)
    return full, slim


def test_slim_results_evaluate_to_the_same_topology() -> None:
    full, slim = _both(_templates())
    assert len(full) > 10
    settings = EvaluationSettings(project_root=FIXTURES)
    frontend = CloudFormationFrontEnd()
    assert frontend.evaluate(slim, settings) == frontend.evaluate(full, settings)


def test_unread_properties_are_left_out_and_the_rest_kept() -> None:
    parsed = parse_text(WORKLOAD)
    assert parsed is not None and parsed.template is not None
    resources = parsed.template["Resources"]
    assert set(resources["Server"]) == {"Type", "Condition", "Metadata"}
    assert resources["Server"].mark == (11, 5)
    assert "Properties" in resources["Subnet"] and "Properties" in resources["Vpc"]
    source = SourceText(path=Path("t.yaml"), display="t.yaml", text=WORKLOAD)
    whole = parse_template(source, Limits())
    assert len(pickle.dumps(parsed)) < len(pickle.dumps(whole))


def test_suppressions_and_references_of_slimmed_resources_hold() -> None:
    source = SourceText(path=Path("t.yaml"), display="t.yaml", text=WORKLOAD)
    whole = parse_template(source, Limits())
    slim = CloudFormationFrontEnd().parse(source, Limits())
    assert whole is not None and slim is not None
    settings = EvaluationSettings(project_root=Path("."))
    expected = CloudFormationFrontEnd().evaluate([whole], settings)
    topology = CloudFormationFrontEnd().evaluate([slim], settings)
    assert topology == expected
    assert {suppression.codes for suppression in topology.suppressions} == {
        ("VPC301",),
        ("VPC203",),
    }
    (subnet,) = topology.subnets
    assert subnet.ipv4_blocks[0].cidr == "10.0.0.0/24"
