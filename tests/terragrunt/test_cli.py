"""The Terragrunt fixture (fixtures/terragrunt: two environments under one root.hcl) through the
real CLI, and a staged terragrunt.hcl through the real pre-commit."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from vpclint.discover.suffixes import TERRAGRUNT_NAMES as CANDIDATE_NAMES

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "terragrunt"


def lint(*arguments: str, cwd: Path = FIXTURE) -> tuple[int, list[dict[str, Any]]]:
    completed = subprocess.run(
        [sys.executable, "-m", "vpclint", "--no-cache", "--format", "json", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    findings: list[dict[str, Any]] = json.loads(completed.stdout)["findings"]
    return completed.returncode, findings


def test_the_live_tree_is_read_as_networks_of_units() -> None:
    code, findings = lint(".")
    assert code == 1
    codes = sorted(finding["code"] for finding in findings if finding["code"] != "VPC301")
    # dev and prod were given the same range and are peered through dependency outputs
    (connected,) = [finding for finding in findings if finding["code"] == "VPC203"]
    assert connected["file"] == "modules/peering/main.tf"
    assert connected["message"].count("10.0.0.0/16") == 2
    # the legacy unit's range comes from mock outputs: said where they are used
    (mocked,) = [
        finding
        for finding in findings
        if finding["code"] == "VPC005" and "mock_outputs" in finding["message"]
    ]
    assert mocked["file"] == "live/dev/legacy/terragrunt.hcl" and mocked["line"] == 10
    # and the overlap it makes says the range is a mock output, not a real one
    mock_overlaps = [
        finding
        for finding in findings
        if finding["code"] == "VPC204" and "10.0.128.0/17" in finding["message"]
    ]
    assert mock_overlaps
    for finding in mock_overlaps:
        assert "10.0.128.0/17 is a mock output of dependency 'old_network'" in finding["message"]
    # the remote module is not analysed, with what would make it visible
    (remote,) = [
        finding
        for finding in findings
        if finding["code"] == "VPC005" and finding["file"] == "live/staging/remote/terragrunt.hcl"
    ]
    assert ".terragrunt-cache" in remote["message"]
    # the generate block's literal Terraform is checked at its line in terragrunt.hcl
    (invalid,) = [finding for finding in findings if finding["code"] == "VPC002"]
    assert (invalid["file"], invalid["line"]) == ("live/dev/shared/terragrunt.hcl", 7)
    # the shared modules are run by the units only: no module evaluated without its inputs
    assert "VPC004" not in codes


def test_inventory_lists_each_units_network_with_its_evaluated_inputs() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "vpclint", "inventory", "--no-cache", "."],
        cwd=FIXTURE,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    networks = json.loads(completed.stdout)["networks"]
    assert sorted(block["cidr"] for network in networks for block in network["ipv4"]) == [
        "10.0.0.0/16",  # dev/vpc, from dev/env.hcl through root.hcl
        "10.0.0.0/16",  # prod/vpc, from prod/env.hcl
        "10.0.128.0/17",  # dev/legacy, from mock outputs
        "10.300.0.0/16",  # dev/shared, written by a generate block
    ]


def test_a_dependency_output_places_a_subnet_in_the_other_units_network() -> None:
    _, findings = lint(".")
    # prod/app's subnet is cidrsubnet(dependency.vpc.outputs.vpc_cidr, 8, 1) in prod/vpc's VPC
    (underused,) = [finding for finding in findings if finding["code"] == "VPC104"]
    assert "256 of 65,536 addresses in 10.0.0.0/16" in underused["message"]


def test_the_pre_commit_hook_passes_terragrunt_units() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (files_pattern,) = [hook["files"] for hook in hooks if hook["id"] == "vpclint"]
    for name in CANDIDATE_NAMES:
        assert re.search(files_pattern, f"live/prod/vpc/{name}"), name
    assert not re.search(files_pattern, "live/prod/vpc/notterragrunt.hcl")


def test_a_terragrunt_stack_is_said_not_analysed(tmp_path: Path) -> None:
    (tmp_path / "terragrunt.stack.hcl").write_text(
        'unit "vpc" {\n  source = "../units/vpc"\n  path   = "vpc"\n}\n', encoding="utf-8"
    )
    _, findings = lint(".", cwd=tmp_path)
    (finding,) = findings
    assert (finding["code"], finding["file"], finding["line"]) == (
        "VPC005",
        "terragrunt.stack.hcl",
        1,
    )
    assert "terragrunt stack generate" in finding["message"]
