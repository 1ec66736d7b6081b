"""Fn::ForEach and the other AWS::LanguageExtensions functions, on hand-written fixtures, and
the expansion compared with cfn-lint's own LanguageExtensions transform."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.cloudformation.conftest import FIXTURES, cidrs, evaluate, evaluate_text, network, subnet
from tests.cloudformation.test_cfnlint_equivalence import CORPUS, templates_below
from vpclint.cli import main
from vpclint.discover.sources import SourceText
from vpclint.evaluate.cloudformation.frontend import CloudFormationFrontEnd
from vpclint.evaluate.cloudformation.scope import Scope
from vpclint.evaluate.contract import EvaluationSettings
from vpclint.limits import Limits
from vpclint.parse.cloudformation.nodes import marked_dict, marked_list, marked_str
from vpclint.parse.cloudformation.template import ParsedTemplate
from vpclint.topology.models import Network, Subnet, Topology

FOREACH = "language-extensions/foreach.yaml"


def blocks_by_address(topology: Topology) -> dict[str, list[str | None]]:
    items: list[Network | Subnet] = [*topology.networks, *topology.subnets]
    return {item.address: cidrs(item.ipv4_blocks) for item in items}


def test_loops_generate_one_resource_per_item_at_the_loop_under_their_logical_ids() -> None:
    topology = evaluate(FOREACH)
    assert blocks_by_address(topology) == {
        "Vpc": ["10.40.0.0/16"],
        "PublicSubneta": ["10.40.0.0/24"],
        "PublicSubnetb": ["10.40.1.0/24"],
        "PrivateSubneta": ["10.40.10.0/24"],
        "PrivateSubnetb": ["10.40.11.0/24"],
        "Extraa": ["10.40.20.0/24"],  # Extrab's generated condition Isb is false
    }
    generated = subnet(topology, "PrivateSubnetb")
    assert generated.location.line == 47  # the line of `${Tier}Subnet${Zone}:` in the loop
    assert generated.key == f"{FOREACH}::PrivateSubnetb"
    assert generated.name == "prod-Private-b"  # Fn::Sub with a template parameter and both items
    assert generated.network.key == f"{FOREACH}::Vpc"
    assert not topology.not_analysed


def test_a_given_parameter_changes_the_collection() -> None:
    topology = evaluate(FOREACH, parameters={"Zones": "b"})
    assert sorted(blocks_by_address(topology)) == ["PrivateSubnetb", "PublicSubnetb", "Vpc"]


def test_find_in_map_default_value_applies_when_the_key_is_missing() -> None:
    topology = evaluate(FOREACH, parameters={"Environment": "dev"})
    assert cidrs(network(topology, "Vpc").ipv4_blocks) == ["10.99.0.0/16"]


ONE_LOOP = """
AWSTemplateFormatVersion: "2010-09-09"
{transform}
Parameters:
  Zones: {{Type: CommaDelimitedList, Default: "a,b,c"}}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.60.0.0/16
      Tags:
        - Key: Layout
          Value: !ToJsonString {{zones: !Ref Zones, count: !Length {{Ref: Zones}}}}
  Fn::ForEach::Subnets:
    - Zone
    - !Ref Zones
    - Subnet${{Zone}}:
        Type: AWS::EC2::Subnet
        Properties:
          VpcId: !Ref Vpc
          CidrBlock: 10.60.1.0/24
"""


def test_a_loop_without_the_transform_is_reported_not_guessed() -> None:
    topology = evaluate_text(ONE_LOOP.format(transform=""))
    assert blocks_by_address(topology) == {"Vpc": ["10.60.0.0/16"]}
    (skipped,) = topology.not_analysed
    assert skipped.location.line == 14
    assert (
        "AWS::LanguageExtensions" in skipped.message and "Fn::ForEach::Subnets" in skipped.message
    )


def test_to_json_string_is_compact_json() -> None:
    text = ONE_LOOP.format(transform="Transform: AWS::LanguageExtensions")
    assert network(evaluate_text(text), "Vpc").name is None
    named = text.replace("Key: Layout", "Key: Name")
    assert network(evaluate_text(named), "Vpc").name == '{"zones":["a","b","c"],"count":3}'


def test_a_loop_over_the_expansion_limit_is_reported_with_the_limit() -> None:
    text = ONE_LOOP.format(transform="Transform: AWS::LanguageExtensions")
    parsed = CloudFormationFrontEnd().parse(_source(text), Limits())
    assert parsed is not None
    settings = EvaluationSettings(project_root=Path("."), limits=Limits(max_expansion=2))
    topology = CloudFormationFrontEnd().evaluate([parsed], settings)
    assert sorted(blocks_by_address(topology)) == ["Vpc"]
    (skipped,) = topology.not_analysed
    assert "more than 2 entries" in skipped.message and "max-expansion" in skipped.message


def test_a_generated_logical_id_that_is_already_declared_is_reported() -> None:
    text = ONE_LOOP.format(transform="Transform: AWS::LanguageExtensions").replace(
        "Subnet${Zone}:", "Vp${Zone}:"
    )
    text = text.replace('Default: "a,b,c"', 'Default: "c,d"')
    topology = evaluate_text(text)
    assert sorted(blocks_by_address(topology)) == ["Vpc", "Vpd"]
    (skipped,) = topology.not_analysed
    assert "generates Vpc, which is already declared" in skipped.message


def test_the_cli_reports_the_overlap_of_generated_subnets(tmp_path: Path) -> None:
    template = ONE_LOOP.format(transform="Transform: AWS::LanguageExtensions")
    (tmp_path / "network.yaml").write_text(template, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main([str(tmp_path), "--format", "json", "--select", "VPC202"], stdout=out, stderr=err)
    findings = json.loads(out.getvalue())["findings"]
    assert code == 1, err.getvalue()
    # Three copies of one block: b overlaps a, c overlaps a and b.
    assert sorted(finding["resource"] for finding in findings) == ["Subnetb", "Subnetc", "Subnetc"]


def _source(text: str) -> SourceText:
    return SourceText(path=Path("template.yaml"), display="template.yaml", text=text)


# -- against cfn-lint's transform -------------------------------------------------------------


def _with_loops(paths: list[Path]) -> list[Path]:
    return [path for path in paths if "Fn::ForEach" in path.read_text(errors="replace")]


COMPARED = _with_loops(
    sorted(
        path
        for path in FIXTURES.rglob("*")
        if path.suffix in (".yaml", ".json") and not path.name.endswith(".expect.json")
    )
) + _with_loops(templates_below(CORPUS))


def _ours(node: Any) -> Any:
    """cfn-lint's decoded node as ours: the same values with 1-based (line, column) marks."""
    start = getattr(node, "start_mark", None)
    mark = (start.line + 1, start.column + 1) if start is not None else (1, 1)
    if isinstance(node, dict):
        converted = marked_dict(mark)
        for key, value in node.items():
            converted[_ours(key)] = _ours(value)
        return converted
    if isinstance(node, list):
        items = marked_list(mark)
        items.extend(_ours(item) for item in node)
        return items
    if isinstance(node, str):
        return marked_str(node, mark)
    return node


def _summary(topology: Topology) -> list[tuple[Any, ...]]:
    items: list[Network | Subnet] = [*topology.networks, *topology.subnets]
    return sorted(
        (
            item.address,
            item.location.line,
            tuple(str(block.cidr or block.unknown) for block in item.ipv4_blocks),
            getattr(getattr(item, "network", None), "key", None),
        )
        for item in items
    )


@pytest.mark.parametrize("path", COMPARED, ids=[path.name for path in COMPARED])
def test_expansion_equals_cfn_lints_transform(path: Path) -> None:
    decode = pytest.importorskip("cfnlint.decode")
    from cfnlint.template import Template
    from cfnlint.template.transforms._language_extensions import language_extension

    display = path.name
    theirs, _ = decode.decode_str(path.read_text(encoding="utf-8"))
    problems, transformed = language_extension(Template(display, theirs, ["us-east-1"]))
    assert not problems and transformed is not None, problems
    del transformed["Transform"]
    their_template = ParsedTemplate(display=display, format="yaml", template=_ours(transformed))
    parsed = CloudFormationFrontEnd().parse(_source_at(path, display), Limits())
    assert parsed is not None and parsed.template is not None
    settings = EvaluationSettings(project_root=path.parent)
    ours = CloudFormationFrontEnd().evaluate([parsed], settings)
    expected = CloudFormationFrontEnd().evaluate([their_template], settings)
    if ours.not_analysed:
        # cfn-lint makes up random items for a collection it cannot resolve; we report the
        # loop instead. What we did expand must still be what cfn-lint expanded.
        assert set(_summary(ours)) < set(_summary(expected))
        return
    assert _summary(ours) == _summary(expected)
    for section in ("Conditions", "Resources", "Outputs"):
        assert sorted(_expanded(parsed, section)) == sorted(transformed.get(section, {}))


def _source_at(path: Path, display: str) -> SourceText:
    return SourceText(path=path, display=display, text=path.read_text(encoding="utf-8"))


def _expanded(parsed: ParsedTemplate, section: str) -> list[str]:
    (evaluator,) = Scope([parsed], EvaluationSettings(project_root=Path("."))).evaluators
    return [str(key) for key in evaluator.template.get(section, {})]


def test_the_comparison_covers_every_fixture_with_a_loop() -> None:
    assert len(COMPARED) >= 4, COMPARED
    if CORPUS.is_dir():
        assert set(_with_loops(templates_below(CORPUS))) <= set(COMPARED)


def test_copies_of_a_large_fragment_are_bounded_by_max_steps() -> None:
    text = ONE_LOOP.format(transform="Transform: AWS::LanguageExtensions")
    parsed = CloudFormationFrontEnd().parse(_source(text), Limits())
    assert parsed is not None
    settings = EvaluationSettings(project_root=Path("."), limits=Limits(max_steps=20))
    topology = CloudFormationFrontEnd().evaluate([parsed], settings)
    assert sorted(blocks_by_address(topology)) == ["Vpc"]
    (skipped,) = topology.not_analysed
    assert "more than 20 values" in skipped.message and "max-steps" in skipped.message
