"""The address map model and its text and JSON renderings."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from tests.planning.conftest import subnet, topology, vpc
from vpclint.planning.addressmap import build_map, map_schema
from vpclint.planning.render import render_map_json, render_map_text, utilization_bar
from vpclint.topology.models import (
    AddressBlock,
    Finding,
    RelatedLocation,
    Severity,
    SourceLocation,
    Topology,
)

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _app_topology() -> Topology:
    app = vpc("aws_vpc.app", "10.10.0.0/16", name="app", line=7)
    shared = vpc("aws_vpc.shared", "10.10.128.0/20", line=40)
    subnets = (
        subnet(app, "aws_subnet.b", "10.10.1.0/24", line=20),
        subnet(app, "aws_subnet.a", "10.10.0.0/24", line=14),
        subnet(app, "aws_subnet.half", "10.10.1.128/25", line=26),
        subnet(app, "aws_subnet.batch", "10.20.0.0/24", line=30),
        subnet(app, "aws_subnet.mystery", None, line=34),
    )
    return topology(app, shared, subnets=subnets)


PEERING_OVERLAP = Finding(
    code="VPC203",
    name="connected-overlap",
    severity=Severity.ERROR,
    message="10.10.128.0/20 of aws_vpc.shared overlaps 10.10.0.0/16 of aws_vpc.app",
    file="network.tf",
    line=50,
    resource="aws_vpc_peering_connection.app_shared",
    related=(
        RelatedLocation(file="network.tf", line=7, resource="aws_vpc.app"),
        RelatedLocation(file="network.tf", line=40, resource="aws_vpc.shared"),
    ),
)
OUTSIDE = Finding(
    code="VPC201",
    name="subnet-outside-network",
    severity=Severity.ERROR,
    message="10.20.0.0/24 of aws_subnet.batch is not inside 10.10.0.0/16 of aws_vpc.app",
    file="network.tf",
    line=32,
    resource="aws_subnet.batch",
)
SUPPRESSED = OUTSIDE.model_copy(update={"code": "VPC999", "suppressed": "accepted"})


def test_subnets_in_address_order_with_provider_aware_usable_hosts() -> None:
    app = build_map(_app_topology()).networks[0]
    assert [(s.address, s.cidr, s.size, s.usable) for s in app.subnets] == [
        ("aws_subnet.a", "10.10.0.0/24", 256, 251),
        ("aws_subnet.b", "10.10.1.0/24", 256, 251),
        ("aws_subnet.half", "10.10.1.128/25", 128, 123),
        ("aws_subnet.batch", "10.20.0.0/24", 256, 251),
        ("aws_subnet.mystery", None, None, None),
    ]
    assert app.subnets[-1].unknown == "variable without value"
    assert [s.inside for s in app.subnets] == [True, True, True, False, None]
    assert app.subnets[1].overlaps == ["aws_subnet.half"]
    assert app.subnets[2].overlaps == ["aws_subnet.b"]


def test_gcp_reserves_four_and_secondary_ranges_none() -> None:
    network = vpc("google_compute_network.main", provider="gcp")
    sub = subnet(network, "google_compute_subnetwork.eu", "10.50.0.0/20")
    pods = AddressBlock(
        cidr="10.60.0.0/16", location=SourceLocation(file="network.tf"), name="pods", version=4
    )
    sub = sub.model_copy(update={"secondary_ranges": (pods,)})
    drawn = build_map(topology(network, subnets=(sub,))).networks[0]
    assert [(s.cidr, s.range, s.usable, s.inside) for s in drawn.subnets] == [
        ("10.50.0.0/20", None, 4092, None),
        ("10.60.0.0/16", "pods", 65536, None),
    ]
    assert drawn.size == 0
    assert drawn.utilization is None
    assert drawn.free == []


def test_utilization_counts_each_address_once_and_only_inside_the_network() -> None:
    app = build_map(_app_topology()).networks[0]
    # a /24 + a /24 that contains the /25; the batch subnet is outside and does not count.
    assert (app.size, app.used, app.utilization) == (65536, 512, 0.0078)


def test_free_gaps_are_the_largest_aligned_blocks() -> None:
    app = build_map(_app_topology()).networks[0]
    assert [gap.cidr for gap in app.free] == [
        "10.10.2.0/23",
        "10.10.4.0/22",
        "10.10.8.0/21",
        "10.10.16.0/20",
        "10.10.32.0/19",
        "10.10.64.0/18",
        "10.10.128.0/17",
    ]
    assert {gap.block for gap in app.free} == {"10.10.0.0/16"}


def test_overlaps_and_finding_codes_are_marked_on_both_sides() -> None:
    drawn = build_map(_app_topology(), [PEERING_OVERLAP, OUTSIDE, SUPPRESSED])
    app, shared = drawn.networks
    assert [(o.cidr, o.other, o.other_cidr) for o in app.overlaps] == [
        ("10.10.0.0/16", "aws_vpc.shared", "10.10.128.0/20")
    ]
    assert [o.other for o in shared.overlaps] == ["aws_vpc.app"]
    assert [f.code for f in app.findings] == ["VPC203"]
    assert [f.code for f in shared.findings] == ["VPC203"]
    batch = next(s for s in app.subnets if s.address == "aws_subnet.batch")
    assert [f.code for f in batch.findings] == ["VPC201"]  # the suppressed one is not marked
    assert drawn.summary.findings == {"VPC201": 1, "VPC203": 1}
    assert drawn.summary.unresolved == 1


def test_json_matches_the_published_schema() -> None:
    document = json.loads(render_map_json(build_map(_app_topology(), [PEERING_OVERLAP])))
    schema = json.loads((DOCS / "map.schema.json").read_text())
    assert schema == map_schema()
    jsonschema.validate(document, schema)
    assert document["version"] == "1"
    assert document["networks"][0]["free"][0] == {
        "cidr": "10.10.2.0/23",
        "size": 512,
        "block": "10.10.0.0/16",
    }


def test_text_tree_fits_80_columns_and_marks_problems() -> None:
    text = render_map_text(build_map(_app_topology(), [PEERING_OVERLAP, OUTSIDE]))
    assert all(len(line) <= 80 for line in text.splitlines()), text
    assert "aws_vpc.app  aws  network.tf:7" in text.splitlines()[0]
    assert "├─ subnets             size  usable\n" in text
    assert "│  ├─ 10.10.0.0/24      256     251  aws_subnet.a\n" in text
    assert "│  ├─ 10.10.1.128/25    128     123  aws_subnet.half [overlap]\n" in text
    assert "aws_subnet.b [overlap]" in text
    assert "aws_subnet.batch [VPC201]" in text
    assert "├─ free     10.10.2.0/23  10.10.4.0/22  10.10.8.0/21" in text
    assert "0.8%  512 of 65,536 addresses" in text
    assert "overlaps 10.10.0.0/16 with 10.10.128.0/20 of aws_vpc.shared" in text
    assert text.endswith(
        "2 networks, 5 subnet ranges, 1 unresolved; findings: VPC201 x1, VPC203 x1\n"
    )


def test_ascii_tree_for_streams_without_box_drawing() -> None:
    text = render_map_text(build_map(_app_topology()), unicode=False)
    assert text.isascii()
    assert "|  |- 10.10.0.0/24" in text


def test_utilization_bar_never_hides_a_small_share_or_fills_a_partial_one() -> None:
    assert utilization_bar(0, 100, width=10) == "[..........]"
    assert utilization_bar(1, 10_000, width=10) == "[#.........]"
    assert utilization_bar(9_999, 10_000, width=10) == "[#########.]"
    assert utilization_bar(100, 100, width=10) == "[##########]"


def test_reserved_ranges_and_docker_bridge_are_conflicts_of_the_network() -> None:
    scope = topology(
        vpc("aws_vpc.landing", "10.200.0.0/20"), vpc("aws_vpc.legacy", "172.17.0.0/16")
    )
    scope.reserved_ranges = {"on-premises": ("10.200.0.0/16",)}
    landing, legacy = build_map(scope).networks
    assert [(o.cidr, o.other, o.other_cidr, o.reserved) for o in landing.overlaps] == [
        ("10.200.0.0/20", "on-premises", "10.200.0.0/16", True)
    ]
    assert [o.other for o in legacy.overlaps] == ["Docker's default bridge"]
    text = render_map_text(build_map(scope))
    assert "overlaps 10.200.0.0/20 with reserved range on-premises (10.200.0.0/16)" in text
