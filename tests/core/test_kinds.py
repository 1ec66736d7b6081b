"""The resource kind tables: every kind fully declared, read by parsing and both evaluators, and
light enough for parsing to import without an evaluator."""

from __future__ import annotations

import subprocess
import sys

import pytest

from vpclint.evaluate.cloudformation.topology import _Builder
from vpclint.evaluate.terraform import resources
from vpclint.topology.kinds import ALL_KINDS, CLOUDFORMATION, TERRAFORM, ResourceKind, Role

_PREFIXES = {"aws": ("aws_",), "azure": ("azurerm_",), "gcp": ("google_",)}
# Roles whose objects name the network (or subnet, peer, gateway) they belong to.
_REFERRING = {Role.SUBNET, Role.NETWORK_BLOCK, Role.SUBNET_BLOCK, Role.CONNECTION, Role.ATTACHMENT}
_HOLDING_BLOCKS = {Role.SUBNET, Role.NETWORK_BLOCK, Role.SUBNET_BLOCK, Role.CLAIM}


def _ids(kind: ResourceKind) -> str:
    return f"{kind.language}:{kind.type}"


def test_every_type_is_declared_once_per_language() -> None:
    identities = [(kind.language, kind.type) for kind in ALL_KINDS]
    assert len(identities) == len(set(identities))
    assert len(TERRAFORM) + len(CLOUDFORMATION) == len(ALL_KINDS)


@pytest.mark.parametrize("kind", ALL_KINDS, ids=_ids)
def test_a_kind_is_fully_declared(kind: ResourceKind) -> None:
    if kind.language == "terraform":
        assert kind.type.startswith(_PREFIXES[kind.provider])
        assert callable(getattr(resources, kind.builder, None)), "no Terraform builder"
    else:
        assert kind.type.startswith("AWS::") and kind.provider == "aws"
        assert callable(getattr(_Builder, kind.builder, None)), "no CloudFormation builder"
    if kind.role in _REFERRING:
        assert kind.references or kind.name_references, "names no network"
    if kind.role in _HOLDING_BLOCKS:
        assert kind.cidrs, "declares no attribute carrying its CIDRs"
    paths = [field.path for field in kind.cidrs]
    if kind.claims:
        assert kind.role is Role.CLAIM
        purposes = [spec.purpose for spec in kind.claims]
        assert len(purposes) == len(set(purposes)), "two claims of one purpose"
        for spec in kind.claims:
            assert kind.references or spec.subnet_references, "names no network"
            assert (spec.default is None) == (spec.default_reference is None)
            assert set(spec.cidrs) <= set(paths), "a claim holds a field the kind does not read"
            assert kind.claim_fields(spec), "a claim holding no field"
            paths += spec.subnet_references + spec.addresses
    else:
        assert kind.role is not Role.CLAIM, "a claim without purpose and collision scope"
    if kind.language == "terraform":
        # Nested blocks must be declared: plan JSON holds them as lists of objects.
        nesting = {path.split(".")[0] for path in paths if "." in path}
        assert nesting <= set(kind.nested_blocks)


def test_the_tables_load_no_evaluator() -> None:
    # Parsing reads the tables to decide which blocks to keep; it must not pay for evaluation.
    code = (
        "import sys, vpclint.topology.kinds\n"
        "print(sorted(name for name in sys.modules if name.startswith('vpclint.evaluate')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"
