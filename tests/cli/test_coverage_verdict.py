"""The verdict says what was analysed: "No problems found" only when nothing was left out, and a
path without infrastructure code is a warning, not a silent pass."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.files import write
from vpclint.cli import main

UNKNOWN_VPC = (
    'variable "vpc_cidr" {\n  type = string\n}\n\n'
    'resource "aws_vpc" "main" {\n  cidr_block = var.vpc_cidr\n}\n'
)
KNOWN_VPC = (
    'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/23"\n}\n\n'
    'resource "aws_subnet" "a" {\n  vpc_id     = aws_vpc.main.id\n'
    '  cidr_block = "10.0.1.0/24"\n}\n'
)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--no-cache", *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def summary(*argv: str) -> dict[str, Any]:
    code, out, err = run("--format", "json", *argv)
    assert code in (0, 1), err
    return dict(json.loads(out)["summary"])


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_a_clean_project_with_everything_resolved_says_no_problems_found(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": KNOWN_VPC})
    code, out, err = run("--ignore", "VPC3", ".")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Analysed 1 network and 1 subnet: 2 of 2 CIDR blocks resolved.",
        "No problems found in 1 file.",
    ]


def test_an_unresolved_block_is_left_out_of_the_verdict_even_with_vpc004_ignored(
    tmp_path: Path,
) -> None:
    write(tmp_path, {"main.tf": UNKNOWN_VPC})
    analysed = (
        "Analysed 1 network and 0 subnets: 0 of 1 CIDR block resolved, "
        "1 unresolved (VPC004: 1 known only at apply)."
    )
    code, out, _ = run("--ignore", "VPC3", ".")
    assert code == 0
    assert out.splitlines()[-2:] == [analysed, "Found 0 errors, 0 warnings, 1 info in 1 file."]
    code, out, _ = run("--ignore", "VPC3,VPC004", ".")
    assert code == 0
    assert out.splitlines() == [
        analysed,
        "No problems found in what could be analysed: 1 block unresolved (VPC004) in 1 file.",
    ]


def test_a_module_outside_the_project_is_left_out_of_the_verdict(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "outside/main.tf": KNOWN_VPC,
            "project/.vpclint.toml": "",
            "project/main.tf": 'module "net" {\n  source = "../outside"\n}\n' + KNOWN_VPC,
        },
    )
    code, out, _ = run("--ignore", "VPC3,VPC005", "project")
    assert code == 0
    assert out.splitlines()[-2:] == [
        "Analysed 1 network and 1 subnet: 2 of 2 CIDR blocks resolved; "
        "1 module or file not analysed (VPC005).",
        "No problems found in what could be analysed: 1 module or file not analysed (VPC005) "
        "in 1 file.",
    ]
    assert summary("project")["coverage"]["not_analysed"] == 1


def test_the_json_summary_counts_what_was_analysed(tmp_path: Path) -> None:
    write(tmp_path, {"known.tf": KNOWN_VPC, "unknown/main.tf": UNKNOWN_VPC})
    assert summary(".")["coverage"] == {
        "networks": 2,
        "subnets": 1,
        "claims": 0,
        "module_arguments": 0,
        "blocks": 3,
        "resolved": 2,
        "unresolved": 1,
        "unresolved_by_reason": {"known only at apply": 1},
        "invalid": 0,
        "provider_assigned": 0,
        "not_analysed": 0,
    }


def test_a_warm_run_reports_the_coverage_of_the_cold_one(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": UNKNOWN_VPC})
    runs = []
    for _ in range(2):
        out = io.StringIO()
        assert main(["--format", "json", "."], stdout=out, stderr=io.StringIO()) == 0
        runs.append(json.loads(out.getvalue())["summary"]["coverage"])
    assert runs[0] == runs[1] and runs[0]["unresolved"] == 1
    assert (tmp_path / ".vpclint_cache").is_dir(), "the second run came from the cache"


def test_a_folder_without_infrastructure_code_warns_on_stderr(tmp_path: Path) -> None:
    write(tmp_path, {"docs/README.md": "# nothing here\n", "docs/values.yaml": "a: 1\n"})
    code, out, err = run("docs")
    assert code == 0
    assert err == "vpclint: warning: no Terraform or CloudFormation file found in docs\n"
    assert out.splitlines()[-1] == "No problems found in 0 files (1 not infrastructure code)."


def test_an_eks_service_range_counts_as_a_claim(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": KNOWN_VPC + '\nresource "aws_eks_cluster" "apps" {\n  name     = "apps"\n'
            '  role_arn = "arn:aws:iam::123456789012:role/eks"\n'
            "  vpc_config {\n    subnet_ids = [aws_subnet.a.id]\n  }\n"
            "  kubernetes_network_config {\n    service_ipv4_cidr = var.services\n  }\n}\n\n"
            'variable "services" {\n  type = string\n}\n'
        },
    )
    coverage = summary(".")["coverage"]
    assert (coverage["claims"], coverage["blocks"], coverage["unresolved"]) == (1, 3, 1)
    code, out, _ = run("--ignore", "VPC3,VPC004", ".")
    assert code == 0
    assert out.splitlines()[-2] == (
        "Analysed 1 network, 1 subnet and 1 other address claim: 2 of 3 CIDR blocks resolved, "
        "1 unresolved (VPC004: 1 known only at apply)."
    )
