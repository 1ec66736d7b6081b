"""Helpers: run the real Terraform front end over a folder, as the pipeline does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from vpclint.discover.sources import SourceText, display_path, read_source
from vpclint.evaluate.contract import EvaluationSettings
from vpclint.evaluate.terraform.frontend import TerraformFrontEnd
from vpclint.limits import Limits
from vpclint.topology.models import Topology

REPOSITORY = Path(__file__).resolve().parents[2]
FIXTURES = REPOSITORY / "fixtures" / "terraform"


def parse_folder(root: Path, limits: Limits | None = None) -> list[Any]:
    frontend = TerraformFrontEnd()
    results = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or ".terraform" in path.parts or not frontend.claims(path):
            continue
        source = read_source(path, display_path(path))
        assert isinstance(source, SourceText)
        parsed = frontend.parse(source, limits or Limits())
        if parsed is not None:
            results.append(parsed)
    return results


def evaluate_folder(
    root: Path,
    *,
    limits: Limits | None = None,
    environment: Mapping[str, str] | None = None,
    variables: Mapping[str, str] | None = None,
    var_files: Sequence[Path] = (),
) -> Topology:
    settings = EvaluationSettings(
        project_root=root,
        limits=limits or Limits(),
        environment=dict(environment or {}),
        variables=dict(variables or {}),
        var_files=list(var_files),
    )
    return TerraformFrontEnd().evaluate(parse_folder(root, limits), settings)


def by_address(items: Sequence[Any]) -> dict[str, Any]:
    return {item.address: item for item in items}


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
