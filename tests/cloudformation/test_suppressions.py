"""Suppressions in resource Metadata (YAML, JSON) and in comments on or above a logical ID."""

from __future__ import annotations

from tests.cloudformation.conftest import evaluate
from vpclint.topology.models import Suppression


def by_codes(suppressions: list[Suppression]) -> dict[tuple[str, ...], Suppression]:
    return {item.codes: item for item in suppressions}


def test_comment_above_and_on_the_logical_id_line() -> None:
    found = by_codes(evaluate("suppressions.yaml").suppressions)
    above = found[("VPC301",)]
    assert above.location.line == 4 and above.target is not None and above.target.line == 5
    assert above.reason == "this VPC is IPv4-only by design"
    same_line = found[("VPC204", "VPC205")]
    assert same_line.target is not None and same_line.target.line == 10
    assert same_line.reason == "overlap is deliberate"


def test_comment_inside_a_resource_belongs_to_it() -> None:
    found = by_codes(evaluate("suppressions.yaml").suppressions)
    inside = found[("VPC401",)]
    assert inside.target is not None and inside.target.line == 19


def test_metadata_ignore_with_reason() -> None:
    found = by_codes(evaluate("suppressions.yaml").suppressions)
    metadata = found[("VPC103",)]
    assert metadata.target is not None and metadata.target.line == 10
    assert metadata.location.line == 14 and metadata.reason == "sized for growth"


def test_metadata_in_json() -> None:
    (item,) = evaluate("suppressions.json").suppressions
    assert item.codes == ("VPC301", "VPC104") and item.reason == "lab network"
    assert item.target is not None and item.target.line == 3 and item.location.line == 5


def test_empty_code_list_is_malformed_and_stray_comment_has_no_target() -> None:
    suppressions = evaluate("suppressions.yaml").suppressions
    (malformed,) = [item for item in suppressions if item.problem]
    assert malformed.codes == () and malformed.target is not None
    assert malformed.target.line == 24
    stray = by_codes(suppressions)[("VPC204",)]
    assert stray.location.line == 32 and stray.target is None
