"""Two roots calling one module: each finding, map entry and inventory entry says which root it
is about and points at that root's call, and suppressions work on the module's lines (every
root) and on a root's call (that root)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.files import write

MODULE = """variable "cidr" {
  type = string
}

variable "subnets" {
  type = list(string)
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
}

resource "aws_subnet" "s" {
  count      = length(var.subnets)
  vpc_id     = aws_vpc.this.id
  cidr_block = var.subnets[count.index]
}
"""


def call(cidr: str, subnets: list[str], comment: str = "") -> str:
    listed = ", ".join(f'"{subnet}"' for subnet in subnets)
    return (
        f'{comment}module "vpc" {{\n  source  = "../../modules/vpc"\n  cidr    = "{cidr}"\n'
        f"  subnets = [{listed}]\n}}\n"
    )


DEV = call("10.0.0.0/16", ["10.0.0.0/24", "10.0.1.0/24"])
PROD = call("10.1.0.0/16", ["10.1.0.0/24", "10.2.1.0/24"])  # s[1] is outside prod's VPC
IGNORE = "# vpclint: ignore[VPC201] moved next sprint\n"


def project(folder: Path, changed: dict[str, str] | None = None) -> Path:
    files = {"modules/vpc/main.tf": MODULE, "envs/dev/main.tf": DEV, "envs/prod/main.tf": PROD}
    return write(folder, {**files, **(changed or {})})


def run(folder: Path, *command: str) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-m", "vpclint", *command, "--no-cache", "--format", "json", "."],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def outside(folder: Path) -> list[dict[str, Any]]:
    return [item for item in run(folder)["findings"] if item["code"] == "VPC201"]


def test_a_finding_in_a_shared_module_names_its_root_and_points_at_the_call(
    tmp_path: Path,
) -> None:
    (finding,) = outside(project(tmp_path))
    assert (finding["file"], finding["line"]) == ("modules/vpc/main.tf", 16)
    assert finding["resource"] == "envs/prod: module.vpc.aws_subnet.s[1]"
    related = {(item["file"], item["line"], item["resource"]) for item in finding["related"]}
    assert ("modules/vpc/main.tf", 10, "envs/prod: module.vpc.aws_vpc.this") in related
    assert ("envs/prod/main.tf", 1, None) in related
    assert not any(item["file"].startswith("envs/dev") for item in finding["related"])


def test_the_text_report_names_the_root(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "vpclint", "--no-cache", "--select", "VPC201", "."],
        cwd=project(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "[envs/prod: module.vpc.aws_subnet.s[1]]" in completed.stdout, completed.stdout


def test_the_map_never_shows_one_roots_finding_on_the_others_network(tmp_path: Path) -> None:
    networks = run(project(tmp_path), "map")["networks"]
    subnets = {
        subnet["address"]: [finding["code"] for finding in subnet["findings"]]
        for network in networks
        for subnet in network["subnets"]
    }
    assert subnets == {
        "envs/dev: module.vpc.aws_subnet.s[0]": [],
        "envs/dev: module.vpc.aws_subnet.s[1]": [],
        "envs/prod: module.vpc.aws_subnet.s[0]": [],
        "envs/prod: module.vpc.aws_subnet.s[1]": ["VPC201"],
    }
    # each network shows its own coverage warning, not the other root's too
    for network in networks:
        assert [finding["code"] for finding in network["findings"]].count("VPC104") == 1


def test_the_inventory_names_each_roots_network(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "vpclint", "inventory", "--no-cache", "."],
        cwd=project(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    addresses = sorted(network["address"] for network in json.loads(completed.stdout)["networks"])
    assert addresses == ["envs/dev: module.vpc.aws_vpc.this", "envs/prod: module.vpc.aws_vpc.this"]


def test_suppressions_on_the_modules_lines_and_on_a_roots_call(tmp_path: Path) -> None:
    # on the module's resource: every root's finding there
    module = MODULE.replace('resource "aws_subnet"', IGNORE + 'resource "aws_subnet"')
    (finding,) = outside(project(tmp_path / "module", {"modules/vpc/main.tf": module}))
    assert finding["suppressed"] == "moved next sprint"
    # on prod's call: prod's finding
    (finding,) = outside(project(tmp_path / "prod", {"envs/prod/main.tf": IGNORE + PROD}))
    assert finding["suppressed"] == "moved next sprint"
    # on dev's call: not prod's finding, and the suppression is said to be unused
    report = run(project(tmp_path / "dev", {"envs/dev/main.tf": IGNORE + DEV}))
    (finding,) = [item for item in report["findings"] if item["code"] == "VPC201"]
    assert finding["suppressed"] is None
    assert any(
        item["code"] == "VPC902" and item["file"] == "envs/dev/main.tf"
        for item in report["findings"]
    )


def test_a_module_only_one_root_runs_keeps_its_plain_address(tmp_path: Path) -> None:
    write(tmp_path, {"modules/vpc/main.tf": MODULE, "envs/prod/main.tf": PROD})
    (finding,) = outside(tmp_path)
    assert finding["resource"] == "module.vpc.aws_subnet.s[1]"
    assert not any(item["file"] == "envs/prod/main.tf" for item in finding["related"])


def test_linting_a_roots_file_shows_the_findings_its_call_makes_in_the_shared_module(
    tmp_path: Path,
) -> None:
    """What a pre-commit hook does with a staged root file: the finding is in the module's file,
    but it is prod's, so checking prod's file shows it and checking dev's does not."""
    folder = project(tmp_path)
    for staged, expected in (("envs/prod/main.tf", 1), ("envs/dev/main.tf", 0)):
        completed = subprocess.run(
            [sys.executable, "-m", "vpclint", "--no-cache", "--format", "json", staged],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        findings = json.loads(completed.stdout)["findings"]
        assert [item["code"] for item in findings].count("VPC201") == expected, staged
