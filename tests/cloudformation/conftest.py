"""Helpers: run real fixture files through the real CloudFormation front end."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from vpclint.discover.sources import SourceText, read_source
from vpclint.evaluate.cloudformation.frontend import CloudFormationFrontEnd
from vpclint.evaluate.contract import EvaluationSettings
from vpclint.limits import Limits
from vpclint.parse.cloudformation.template import ParsedTemplate
from vpclint.topology.models import AddressBlock, Network, Subnet, Topology

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "cloudformation"


def parse_file(relative: str, limits: Limits | None = None) -> ParsedTemplate | None:
    source = read_source(FIXTURES / relative, relative)
    assert isinstance(source, SourceText), source
    return CloudFormationFrontEnd().parse(source, limits or Limits())


def parse_text(
    text: str, name: str = "template.yaml", limits: Limits | None = None
) -> ParsedTemplate | None:
    source = SourceText(path=Path(name), display=name, text=text)
    return CloudFormationFrontEnd().parse(source, limits or Limits())


def evaluate(
    *relatives: str,
    parameters: Mapping[str, str] | None = None,
    parameter_files: Mapping[str, Sequence[Path]] | None = None,
) -> Topology:
    frontend = CloudFormationFrontEnd()
    parsed = [parse_file(relative) for relative in relatives]
    settings = EvaluationSettings(
        project_root=FIXTURES,
        parameters=dict(parameters or {}),
        parameter_files=dict(parameter_files or {}),
    )
    return frontend.evaluate([item for item in parsed if item is not None], settings)


def evaluate_text(text: str, name: str = "template.yaml", **settings: object) -> Topology:
    parsed = parse_text(text, name)
    assert parsed is not None and parsed.error is None, parsed
    return CloudFormationFrontEnd().evaluate(
        [parsed],
        EvaluationSettings(project_root=Path("."), **settings),  # type: ignore[arg-type]
    )


def network(topology: Topology, address: str) -> Network:
    (found,) = [item for item in topology.networks if item.address == address]
    return found


def subnet(topology: Topology, address: str) -> Subnet:
    (found,) = [item for item in topology.subnets if item.address == address]
    return found


def cidrs(blocks: Sequence[AddressBlock]) -> list[str | None]:
    return [block.cidr for block in blocks]


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
