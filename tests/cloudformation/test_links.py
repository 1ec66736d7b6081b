"""Links in every form templates write them: a transit gateway by Ref, Fn::GetAtt Tgw.Id, an
import or a parameter; peered transit gateways; and messages that name each side's file."""

from __future__ import annotations

import io
import json

from tests.cloudformation.conftest import FIXTURES
from vpclint.cli import main

CASE = FIXTURES / "rules" / "vpc203" / "bad-tgw-links"


def _findings(*options: str) -> list[dict[str, str]]:
    out, err = io.StringIO(), io.StringIO()
    main([str(CASE), "--no-cache", "--format", "json", *options], stdout=out, stderr=err)
    findings: list[dict[str, str]] = json.loads(out.getvalue())["findings"]
    return findings


def test_networks_behind_peered_gateways_overlap_as_connected_networks() -> None:
    by_resource = {item["resource"]: item for item in _findings("--select", "VPC203,VPC204")}
    assert set(by_resource) == {"EuropeAmerica", "AnalyticsToPartner"}  # no VPC204 at all
    peering = by_resource["EuropeAmerica"]
    assert peering["code"] == "VPC203" and peering["file"].endswith("gateways.yaml")
    # Both networks live in workloads.yaml, the peering in gateways.yaml: each side says where.
    workloads = peering["file"].replace("gateways.yaml", "workloads.yaml")
    assert peering["message"] == (
        f"10.80.0.0/20 of Virginia (in {workloads}) overlaps 10.80.0.0/16 of Paris "
        f"(in {workloads}); they are peered by EuropeAmerica"
    )


def test_a_gateway_given_as_the_same_id_in_two_templates_is_one_gateway() -> None:
    (finding,) = [
        item for item in _findings("--select", "VPC203") if item["resource"] == "AnalyticsToPartner"
    ]
    assert "Shared (in " in finding["message"] and "gateways.yaml)" in finding["message"]
    assert "by SharedToPartner (in " in finding["message"]
