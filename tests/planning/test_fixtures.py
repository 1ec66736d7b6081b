"""Map, planner and inventory on the real fixtures, parsed by the real front ends.

The planner's split expressions are also fed back through the front ends: what vpclint prints
must resolve, in Terraform and in CloudFormation, to exactly the subnets it proposed.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import netaddr
import pytest

from vpclint.cli import main
from vpclint.config import Config, load_config
from vpclint.evaluate.cloudformation.frontend import CloudFormationFrontEnd
from vpclint.evaluate.contract import FrontEnd
from vpclint.evaluate.terraform.frontend import TerraformFrontEnd
from vpclint.pipeline import RunRequest, build_topology
from vpclint.planning.addressmap import build_map
from vpclint.planning.inventory import build_inventory, render_inventory
from vpclint.planning.planner import make_plan
from vpclint.planning.subnetting import parse_subnet_spec
from vpclint.topology.models import Topology

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
DEMO = FIXTURES / "demo"


def _frontends() -> list[FrontEnd]:
    return [TerraformFrontEnd(), CloudFormationFrontEnd()]


def _topology(folder: Path, inventories: tuple[Path, ...] = ()) -> Topology:
    config_file = folder / ".vpclint.toml"
    config = load_config(config_file) if config_file.exists() else None
    request = RunRequest(
        paths=[folder],
        project_root=folder,
        config_file=config_file if config else None,
        inventories=inventories,
        config=config or Config(),
    )
    return build_topology(request, _frontends())


@pytest.fixture(scope="module")
def demo() -> Topology:
    return _topology(DEMO)


def test_demo_map_networks_subnets_and_gaps(demo: Topology) -> None:
    drawn = build_map(demo)
    by_address = {network.address: network for network in drawn.networks}
    assert sorted(by_address) == [
        "DataVpc",
        "LandingVpc",
        "aws_vpc.analytics",
        "aws_vpc.app",
        "aws_vpc.legacy",
        "aws_vpc.shared",
        'module.env["production"].aws_vpc.this',
        'module.env["staging"].aws_vpc.this',
    ]
    app = by_address["aws_vpc.app"]
    assert [(s.cidr, s.usable, s.inside) for s in app.subnets] == [
        ("10.10.0.0/24", 251, True),
        ("10.10.1.0/24", 251, True),
        ("10.10.2.0/24", 251, True),
        ("10.10.32.0/24", 251, True),
        ("10.10.33.0/24", 251, True),
        ("10.10.34.0/24", 251, True),
        ("10.20.0.0/24", 251, False),
    ]
    assert [gap.cidr for gap in app.free] == [
        "10.10.3.0/24",
        "10.10.4.0/22",
        "10.10.8.0/21",
        "10.10.16.0/20",
        "10.10.35.0/24",
        "10.10.36.0/22",
        "10.10.40.0/21",
        "10.10.48.0/20",
        "10.10.64.0/18",
        "10.10.128.0/17",
    ]
    assert (app.used, app.size) == (1536, 65536)
    assert [o.other for o in app.overlaps] == ["aws_vpc.shared"]
    data = by_address["DataVpc"]
    assert [(s.address, s.cidr, s.overlaps) for s in data.subnets] == [
        ("IngestSubnetA", "10.30.0.0/24", []),
        ("IngestSubnetB", "10.30.1.0/24", ["WarehouseSubnet"]),
        ("WarehouseSubnet", "10.30.1.0/24", ["IngestSubnetB"]),
    ]
    assert [(o.other, o.reserved) for o in by_address["LandingVpc"].overlaps] == [
        ("on-premises", True)
    ]
    assert [o.other for o in by_address["aws_vpc.legacy"].overlaps] == ["Docker's default bridge"]
    staging = by_address['module.env["staging"].aws_vpc.this']
    assert [gap.cidr for gap in staging.free] == [
        "10.40.32.0/19",
        "10.40.64.0/18",
        "10.40.128.0/17",
    ]


def test_demo_plan_avoids_networks_subnets_and_reserved_ranges(demo: Topology) -> None:
    plan = make_plan(demo, 14, [netaddr.IPNetwork("10.0.0.0/8")], count=5)
    # 10.8.0.0/14 holds aws_vpc.app, 10.20.0.0/14 the stray subnet aws_subnet.batch.
    assert [str(p.block) for p in plan.proposals] == [
        "10.0.0.0/14",
        "10.4.0.0/14",
        "10.12.0.0/14",
        "10.16.0.0/14",
        "10.24.0.0/14",
    ]
    on_premises = make_plan(demo, 16, [netaddr.IPNetwork("10.200.0.0/15")], count=2)
    assert [str(p.block) for p in on_premises.proposals] == ["10.201.0.0/16"]


def test_demo_inventory_lists_files_relative_to_the_project(demo: Topology) -> None:
    inventory = build_inventory(demo, "acme/demo", DEMO)
    assert [(n.file, n.line, n.address) for n in inventory.networks] == [
        ("cloudformation/network.yaml", 11, "DataVpc"),
        ("cloudformation/network.yaml", 47, "LandingVpc"),
        ("terraform/live/main.tf", 7, "aws_vpc.app"),
        ("terraform/live/main.tf", 37, "aws_vpc.shared"),
        ("terraform/live/main.tf", 48, "aws_vpc.legacy"),
        ("terraform/live/main.tf", 53, "aws_vpc.analytics"),
        ("terraform/modules/vpc/main.tf", 14, 'module.env["production"].aws_vpc.this'),
        ("terraform/modules/vpc/main.tf", 14, 'module.env["staging"].aws_vpc.this'),
    ]


def test_another_repository_plans_around_the_demo_inventory(demo: Topology, tmp_path: Path) -> None:
    inventory = tmp_path / "demo-inventory.json"
    inventory.write_text(render_inventory(build_inventory(demo, "acme/demo", DEMO)))
    basic = _topology(FIXTURES / "terraform" / "basic", (inventory,))
    imported = [network.address for network in basic.networks if network.external]
    assert 'acme/demo:module.env["staging"].aws_vpc.this' in imported
    plan = make_plan(basic, 16, [netaddr.IPNetwork("10.40.0.0/14")], count=3)
    assert [str(p.block) for p in plan.proposals] == ["10.42.0.0/16", "10.43.0.0/16"]
    without = make_plan(
        _topology(FIXTURES / "terraform" / "basic"), 16, [netaddr.IPNetwork("10.40.0.0/14")]
    )
    assert [str(p.block) for p in without.proposals] == ["10.40.0.0/16"]


def _planned(spec: str) -> tuple[str, list[tuple[str, str, str]], str]:
    plan = make_plan(
        Topology(), 20, [netaddr.IPNetwork("10.60.0.0/16")], 1, parse_subnet_spec(spec)
    )
    (proposal,) = plan.proposals
    assert proposal.terraform_all is not None
    subnets = [(str(s.cidr), s.terraform, s.cloudformation) for s in proposal.subnets]
    return str(proposal.block), subnets, proposal.terraform_all


@pytest.mark.parametrize("spec", ["4x/22", "2x/22,2x/24,4x/26", "1x/21,1x/22,3x/25"])
def test_terraform_resolves_the_printed_expressions_to_the_proposed_subnets(
    tmp_path: Path, spec: str
) -> None:
    block, subnets, all_at_once = _planned(spec)
    lines = [f'resource "aws_vpc" "planned" {{\n  cidr_block = "{block}"\n}}\n']
    for index, (_, expression, _) in enumerate(subnets):
        lines.append(
            f'resource "aws_subnet" "one_{index}" {{\n  vpc_id = aws_vpc.planned.id\n'
            f"  cidr_block = {expression}\n}}\n"
        )
    lines.append(
        f'resource "aws_subnet" "all" {{\n  count = {len(subnets)}\n'
        f"  vpc_id = aws_vpc.planned.id\n  cidr_block = {all_at_once}[count.index]\n}}\n"
    )
    (tmp_path / "main.tf").write_text("".join(lines))
    topology = _topology(tmp_path)
    resolved = {subnet.address: subnet.ipv4_blocks[0].cidr for subnet in topology.subnets}
    expected = [cidr for cidr, _, _ in subnets]
    assert [resolved[f"aws_subnet.one_{i}"] for i in range(len(subnets))] == expected
    assert [resolved[f"aws_subnet.all[{i}]"] for i in range(len(subnets))] == expected


@pytest.mark.parametrize("spec", ["4x/22", "2x/22,2x/24,4x/26", "1x/21,1x/22,3x/25"])
def test_cloudformation_resolves_the_printed_expressions_to_the_proposed_subnets(
    tmp_path: Path, spec: str
) -> None:
    block, subnets, _ = _planned(spec)
    lines = [
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n',
        f"  Planned:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: {block}\n",
    ]
    for index, (_, _, expression) in enumerate(subnets):
        lines.append(
            f"  Subnet{index}:\n    Type: AWS::EC2::Subnet\n    Properties:\n"
            f"      VpcId: !Ref Planned\n      CidrBlock: {expression}\n"
        )
    (tmp_path / "template.yaml").write_text("".join(lines))
    topology = _topology(tmp_path)
    resolved = {subnet.address: subnet.ipv4_blocks[0].cidr for subnet in topology.subnets}
    assert [resolved[f"Subnet{i}"] for i in range(len(subnets))] == [c for c, _, _ in subnets]


# ---------------------------------------------------------------------------------------------
# The commands on the fixtures, through the CLI as a user runs them from the repository root.


def _cli(monkeypatch: pytest.MonkeyPatch, *argv: str) -> tuple[int, str, str]:
    monkeypatch.chdir(ROOT)
    out, err = io.StringIO(), io.StringIO()
    code = main([*argv, "--no-cache"], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_map_command_on_the_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = _cli(monkeypatch, "map", "fixtures/demo")
    assert (code, err) == (0, "")
    assert out.startswith("aws_vpc.app  aws  fixtures/demo/terraform/live/main.tf:7\n")
    assert all(len(line) <= 80 for line in out.splitlines())
    # The lint run's finding codes mark the subnets and list under their network.
    assert "│  └─ 10.20.0.0/24     256     251  aws_subnet.batch [VPC201 VPC302]\n" in out
    assert "│  ├─ 10.30.1.0/24    256     251  IngestSubnetB [VPC202 VPC302]\n" in out
    assert "├─ overlaps 10.200.0.0/20 with reserved range on-premises (10.200.0.0/16)" in out
    landing = out[out.index("LandingVpc  aws") :]
    assert "   ├─ VPC205 10.200.0.0/20 of LandingVpc overlaps the reserved range" in landing
    summary = out[out.rindex("\n\n") + 2 :]
    assert summary.startswith("8 networks, 14 subnet ranges; findings: ")
    assert "VPC203 x1" in summary
    code, out, _ = _cli(monkeypatch, "map", "--format", "json", "fixtures/demo")
    document = json.loads(out)
    jsonschema.validate(document, json.loads((ROOT / "docs" / "map.schema.json").read_text()))
    assert document["summary"]["networks"] == 8
    assert document["summary"]["subnets"] == 14
    app = document["networks"][0]
    # VPC201 names the network as the other party; it shows on the subnet, not twice.
    assert [finding["code"] for finding in app["findings"]] == ["VPC104", "VPC203"]


@pytest.mark.parametrize(
    ("folder", "within", "expected"),
    [
        ("fixtures/demo", "10.0.0.0/12", ["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16"]),
        ("fixtures/terraform/basic", "10.0.0.0/12", ["10.0.0.0/16", "10.2.0.0/16", "10.3.0.0/16"]),
        (
            "fixtures/cloudformation/intrinsics",
            "10.68.0.0/14",
            ["10.68.0.0/16", "10.69.0.0/16", "10.71.0.0/16"],
        ),
    ],
)
def test_plan_command_on_the_fixtures(
    monkeypatch: pytest.MonkeyPatch, folder: str, within: str, expected: list[str]
) -> None:
    code, out, err = _cli(
        monkeypatch, "plan", "--prefix", "/16", "--count", "3", "--within", within,
        "--format", "json", folder,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert [block["cidr"] for block in json.loads(out)["blocks"]] == expected


def test_inventory_command_on_the_demo_feeds_another_repository(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "demo.json"
    code, _, err = _cli(
        monkeypatch, "inventory", "--repository", "acme/demo", "-o", str(target), "fixtures/demo"
    )
    assert (code, err) == (0, "")
    document = json.loads(target.read_text())
    jsonschema.validate(document, json.loads((ROOT / "docs" / "inventory.schema.json").read_text()))
    assert len(document["networks"]) == 8
    assert document["networks"][0]["file"] == "cloudformation/network.yaml"
    code, out, _ = _cli(
        monkeypatch, "plan", "--prefix", "/16", "--within", "10.40.0.0/14", "--count", "2",
        "--inventory", str(target), "fixtures/terraform/basic",
    )  # fmt: skip
    assert code == 0
    assert "  10.42.0.0/16\n  10.43.0.0/16\n" in out
