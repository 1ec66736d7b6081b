"""vpclint map / plan / inventory through the real CLI, with inventories as the input."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import jsonschema
import pytest

from tests.planning.conftest import topology, vpc
from vpclint.cli import main
from vpclint.planning.inventory import build_inventory, render_inventory

DOCS = Path(__file__).resolve().parents[2] / "docs"


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "billing"
    folder.mkdir()
    core = topology(
        vpc("aws_vpc.app", "10.0.0.0/20", name="app", identities=("vpc-0aa11",)),
        vpc("aws_vpc.shared", "10.0.32.0/19", line=30),
    )
    (tmp_path / "core.json").write_text(render_inventory(build_inventory(core, "acme/core")))
    return folder


def test_plan_avoids_imported_inventories(project: Path) -> None:
    code, out, err = run_cli(
        "plan", "--prefix", "/20", "--within", "10.0.0.0/16", "--count", "3", "--no-config",
        "--no-cache", "--inventory", str(project.parent / "core.json"), str(project),
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert re.findall(r"^  (\S+)$", out, flags=re.M) == [
        "10.0.16.0/20",
        "10.0.64.0/20",
        "10.0.80.0/20",
    ]


def test_plan_json_and_exit_1_when_too_few_fit(project: Path) -> None:
    code, out, _ = run_cli(
        "plan", "--prefix", "18", "--within", "10.0.0.0/16", "--count", "5", "--format", "json",
        "--subnets", "2x/20", "--no-config", "--no-cache",
        "--inventory", str(project.parent / "core.json"), str(project),
    )  # fmt: skip
    assert code == 1
    document = json.loads(out)
    assert [block["cidr"] for block in document["blocks"]] == [
        "10.0.64.0/18",
        "10.0.128.0/18",
        "10.0.192.0/18",
    ]
    assert document["complete"] is False
    assert document["blocks"][0]["terraform"] == 'cidrsubnets("10.0.64.0/18", 2, 2)'
    assert {
        "cidr": "10.0.32.0/19",
        "holder": "acme/core:aws_vpc.shared",
        "kind": "network",
    } in document["avoided"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--prefix", "/40"], "'/40' is not an IPv4 prefix length such as /20"),
        (["--prefix", "/20", "--within", "10.0.0.1/8"], "has host bits set"),
        (["--prefix", "/20", "--subnets", "2x/19"], "a /19 subnet does not fit in a /20 block"),
        (["--prefix", "/20", "--count", "0"], "--count must be between 1 and 4096"),
        (["--within", "10.0.0.0/8"], "the following arguments are required: --prefix"),
    ],
)
def test_plan_usage_errors_exit_2_with_one_line(
    project: Path, argv: list[str], message: str
) -> None:
    code, out, err = run_cli("plan", *argv, "--no-config", "--no-cache", str(project))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert message in err


def test_inventory_command_writes_a_schema_valid_document(project: Path) -> None:
    target = project / "inventory.json"
    code, out, err = run_cli(
        "inventory", "--repository", "acme/billing", "--no-config", "--no-cache",
        "-o", str(target), str(project),
    )  # fmt: skip
    assert (code, out, err) == (0, "", "")
    document = json.loads(target.read_text())
    jsonschema.validate(document, json.loads((DOCS / "inventory.schema.json").read_text()))
    assert document["repository"] == "acme/billing"
    # Imported networks are not re-published as this repository's own.
    code, out, _ = run_cli(
        "inventory", "--repository", "acme/billing", "--no-config", "--no-cache",
        "--inventory", str(project.parent / "core.json"), str(project),
    )  # fmt: skip
    assert json.loads(out)["networks"] == []


def test_map_draws_imported_networks_on_request(project: Path) -> None:
    inventory = str(project.parent / "core.json")
    code, out, _ = run_cli(
        "map", "--no-config", "--no-cache", "--inventory", inventory, str(project)
    )
    assert code == 0
    assert out == "No networks found.\n0 networks, 0 subnet ranges\n"
    code, out, _ = run_cli(
        "map", "--external", "--format", "json", "--no-config", "--no-cache",
        "--inventory", inventory, str(project),
    )  # fmt: skip
    assert code == 0
    document = json.loads(out)
    jsonschema.validate(document, json.loads((DOCS / "map.schema.json").read_text()))
    assert [(n["address"], n["repository"], n["external"]) for n in document["networks"]] == [
        ("acme/core:aws_vpc.app", "acme/core", True),
        ("acme/core:aws_vpc.shared", "acme/core", True),
    ]


def test_map_html_is_one_self_contained_file(project: Path) -> None:
    target = project / "map.html"
    code, out, _ = run_cli(
        "map", "--external", "--format", "html", "-o", str(target), "--no-config", "--no-cache",
        "--inventory", str(project.parent / "core.json"), str(project),
    )  # fmt: skip
    assert (code, out) == (0, "")
    page = target.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page
    assert page.count('<section class="network') == 2


def test_lint_and_map_refuse_a_missing_inventory(project: Path) -> None:
    for command in ([], ["map"], ["plan", "--prefix", "/20"], ["inventory"]):
        code, _, err = run_cli(
            *command, "--no-config", "--no-cache", "--inventory", "nope.json", str(project)
        )
        assert code == 2
        assert err == "vpclint: error: --inventory nope.json: no such file\n"


def test_lint_sees_other_repositories_through_inventories(project: Path) -> None:
    (project / "main.tf").write_text(
        'resource "aws_vpc" "billing" {\n  cidr_block = "10.0.0.0/16"\n}\n\n'
        'resource "aws_vpc" "reports" {\n  cidr_block = "10.0.32.0/20"\n}\n\n'
        'resource "aws_vpc_peering_connection" "to_core" {\n'
        "  vpc_id      = aws_vpc.billing.id\n"
        '  peer_vpc_id = "vpc-0aa11"\n}\n'
    )
    code, out, err = run_cli(
        "--format", "json", "--select", "VPC203,VPC204", "--no-config", "--no-cache",
        "--inventory", str(project.parent / "core.json"), str(project),
    )  # fmt: skip
    assert (code, err) == (1, "")
    found = sorted(
        (finding["code"], finding["resource"], [r["resource"] for r in finding["related"]])
        for finding in json.loads(out)["findings"]
    )
    # The peering reaches acme/core's app VPC by its id; reports collides with acme/core's
    # shared VPC (and with billing, in this repository).
    assert found == [
        (
            "VPC203",
            "aws_vpc_peering_connection.to_core",
            ["aws_vpc.billing", "acme/core:aws_vpc.app"],
        ),
        ("VPC204", "aws_vpc.billing", ["acme/core:aws_vpc.shared"]),
        ("VPC204", "aws_vpc.reports", ["acme/core:aws_vpc.shared"]),
        ("VPC204", "aws_vpc.reports", ["aws_vpc.billing"]),
    ]
    # Without the inventory only the collision inside this repository is left.
    code, out, _ = run_cli(
        "--format", "json", "--select", "VPC203,VPC204", "--no-config", "--no-cache", str(project)
    )
    assert [(f["code"], f["resource"]) for f in json.loads(out)["findings"]] == [
        ("VPC204", "aws_vpc.reports")
    ]
