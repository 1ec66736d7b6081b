"""Findings about a unit's resources name the unit and point at its terragrunt.hcl too; a
suppression works in the shared module (every unit) and in a unit's terragrunt.hcl (that unit)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.files import write

ROOT = Path(__file__).resolve().parents[2]

MODULE = """variable "cidr" {
  type = string
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
}
"""


def unit(cidr: str, comment: str = "") -> str:
    source = 'terraform {\n  source = "../../modules/net"\n}\n'
    return f'{comment}{source}\ninputs = {{ cidr = "{cidr}" }}\n'


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


def overlaps(folder: Path) -> list[dict[str, Any]]:
    return [item for item in run(folder)["findings"] if item["code"] == "VPC204"]


def test_a_finding_in_a_shared_module_names_the_unit_and_its_terragrunt_hcl(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "modules/net/main.tf": MODULE,
            "live/dev/terragrunt.hcl": unit("10.0.0.0/16"),
            "live/prod/terragrunt.hcl": unit("10.0.0.0/16"),
        },
    )
    (overlap,) = overlaps(tmp_path)
    assert overlap["file"] == "modules/net/main.tf" and overlap["line"] == 6
    units = {"live/dev: aws_vpc.this", "live/prod: aws_vpc.this"}
    named = {overlap["resource"], *(item["resource"] for item in overlap["related"])}
    assert units <= named
    unit_files = {(item["file"], item["line"]) for item in overlap["related"]}
    assert {("live/dev/terragrunt.hcl", 2), ("live/prod/terragrunt.hcl", 2)} <= unit_files


def test_the_map_names_each_units_network(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "modules/net/main.tf": MODULE,
            "live/dev/terragrunt.hcl": unit("10.1.0.0/16"),
            "live/prod/terragrunt.hcl": unit("10.2.0.0/16"),
        },
    )
    networks = run(tmp_path, "map")["networks"]
    assert sorted(network["address"] for network in networks) == [
        "live/dev: aws_vpc.this",
        "live/prod: aws_vpc.this",
    ]


def test_suppressions_in_the_module_and_in_a_units_terragrunt_hcl(tmp_path: Path) -> None:
    ignore = "# vpclint: ignore[VPC204] dev is being renumbered\n"
    files = {
        "modules/net/main.tf": MODULE,
        "live/dev/terragrunt.hcl": unit("10.0.0.0/16"),
        "live/prod/terragrunt.hcl": unit("10.0.0.0/16"),
        "live/lab/terragrunt.hcl": unit("10.9.0.0/16"),
    }
    # in dev's terragrunt.hcl: the overlap of dev with prod is suppressed
    write(tmp_path / "unit", {**files, "live/dev/terragrunt.hcl": unit("10.0.0.0/16", ignore)})
    (overlap,) = overlaps(tmp_path / "unit")
    assert overlap["suppressed"] == "dev is being renumbered"
    # in the lab unit, which takes no part in the overlap: nothing suppressed, and said unused
    write(tmp_path / "other", {**files, "live/lab/terragrunt.hcl": unit("10.9.0.0/16", ignore)})
    report = run(tmp_path / "other")
    (overlap,) = [item for item in report["findings"] if item["code"] == "VPC204"]
    assert overlap["suppressed"] is None
    assert any(
        item["code"] == "VPC902" and item["file"] == "live/lab/terragrunt.hcl"
        for item in report["findings"]
    )
    # in the shared module: every unit's
    suppressed_module = MODULE.replace('resource "aws_vpc"', ignore + 'resource "aws_vpc"')
    write(tmp_path / "module", {**files, "modules/net/main.tf": suppressed_module})
    (overlap,) = overlaps(tmp_path / "module")
    assert overlap["suppressed"] == "dev is being renumbered"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


PEERING = """variable "vpc_id" {
  type = string
}

variable "peer_vpc_id" {
  type = string
}

resource "aws_vpc_peering_connection" "this" {
  vpc_id      = var.vpc_id
  peer_vpc_id = var.peer_vpc_id
}
"""

PEERING_UNIT = """terraform {
  source = "../../modules/peering"
}

dependency "dev" {
  config_path = "../dev"
}

dependency "prod" {
  config_path = "../prod"
}

inputs = {
  vpc_id      = dependency.dev.outputs.id
  peer_vpc_id = dependency.prod.outputs.id
}
"""


@pytest.mark.slow
def test_pre_commit_checks_a_staged_terragrunt_hcl_against_the_whole_project(
    tmp_path: Path,
) -> None:
    """Through the real pre-commit: only prod's terragrunt.hcl is staged, and the peering of
    its network (declared in the shared module) with dev's overlapping one is found."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "infra"
    write(
        repo,
        {
            "modules/net/main.tf": MODULE + 'output "id" {\n  value = aws_vpc.this.id\n}\n',
            "modules/peering/main.tf": PEERING,
            "live/dev/terragrunt.hcl": unit("10.0.0.0/16"),
            "live/peering/terragrunt.hcl": PEERING_UNIT,
            "live/lab/terragrunt.hcl": unit("10.9.0.0/16"),
        },
    )
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "ci@example.com")
    _git(repo, "config", "user.name", "ci")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "units")
    write(repo, {"live/prod/terragrunt.hcl": unit("10.0.0.0/16")})
    _git(repo, "add", "live/prod/terragrunt.hcl")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    pre_commit = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "vpclint"]
    staged = subprocess.run(
        [*pre_commit, "--files", "live/prod/terragrunt.hcl"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    output = staged.stdout + staged.stderr
    assert staged.returncode == 1, output
    assert "VPC203" in output and "live/peering: aws_vpc_peering_connection.this" in output
    unrelated = subprocess.run(
        [*pre_commit, "--files", "live/lab/terragrunt.hcl"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert unrelated.returncode == 0, unrelated.stdout + unrelated.stderr
