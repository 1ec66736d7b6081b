"""A run that evaluates no unit loads no evaluator: the pre-commit hook's usual run (a staged file
whose edit changes no parse result) pays neither for importing the Terraform evaluator and its
functions nor for the CloudFormation evaluator, and still reports what a cold run reports."""

from __future__ import annotations

import json
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import vpclint.evaluate.cloudformation
import vpclint.evaluate.terraform
from tests.files import write

# What finding the units, their states and each file's summary needs: loaded in every run.
_NEEDED_WITHOUT_EVALUATING = {
    "vpclint.evaluate.terraform.frontend",  # the front ends themselves
    "vpclint.evaluate.cloudformation.frontend",
    "vpclint.evaluate.terraform.layout",
    "vpclint.evaluate.cloudformation.templates",
    "vpclint.evaluate.cloudformation.suppressions",  # the summary holds the suppressions
    "vpclint.evaluate.cloudformation.parameters",  # parameter files are read in every run
    "vpclint.evaluate.cloudformation.nested",  # the summary holds the nested templates
}
# Evaluated only when a plan file's parse result changes.
_PLANS = "vpclint.evaluate.terraform.plan"
# Imported by the first yamldecode(), yamlencode() or csvdecode() a unit calls, if any.
_YAML_FUNCTIONS = "vpclint.evaluate.terraform.yaml_values"

NETWORK_MODULE = """\
variable "cidr" {}
resource "aws_vpc" "this" {
  cidr_block = var.cidr
}
resource "aws_subnet" "app" {
  count      = 2
  vpc_id     = aws_vpc.this.id
  cidr_block = cidrsubnet(var.cidr, 8, count.index)
}
"""

ROOT = """\
module "network" {
  source = "../../modules/network"
  cidr   = "10.1.0.0/16"
}
"""

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Cidr:
    Type: String
    Default: 10.1.0.0/16
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref Cidr
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]
"""

STAGED = ["envs/prod/main.tf", "cloudformation/network.yaml"]


def _evaluation_modules() -> set[str]:
    return {
        module.name
        for package in (vpclint.evaluate.terraform, vpclint.evaluate.cloudformation)
        for module in pkgutil.iter_modules(package.__path__, package.__name__ + ".")
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    files = {
        ".vpclint.toml": "# the project root\n",
        "modules/network/main.tf": NETWORK_MODULE,
        "envs/prod/main.tf": ROOT,
        "cloudformation/network.yaml": TEMPLATE,
    }
    return write(root, files)


def _run(project: Path, *options: str) -> dict[str, Any]:
    """vpclint on the staged files in a fresh interpreter, with the project's own cache: its
    report, its ``-v`` log and the evaluation modules it imported."""
    arguments = ["--format", "json", "-v", *options, *STAGED]
    script = (
        "import io, json, sys\n"
        "from vpclint.cli import main\n"
        "out, err = io.StringIO(), io.StringIO()\n"
        f"code = main({arguments!r}, stdout=out, stderr=err)\n"
        "loaded = [name for name in sys.modules if name.startswith('vpclint.evaluate.')]\n"
        "print(json.dumps({'code': code, 'report': out.getvalue(), 'log': err.getvalue(),"
        " 'loaded': loaded}))\n"
    )
    environment = {**os.environ, "XDG_CACHE_HOME": str(project.parent / "user-cache")}
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: dict[str, Any] = json.loads(completed.stdout.splitlines()[-1])
    assert result["code"] in (0, 1), result["log"]
    return result


def _findings(run: dict[str, Any]) -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = json.loads(run["report"])["findings"]
    return findings


def _evaluated(run: dict[str, Any]) -> dict[str, int]:
    return {
        name: int(count)
        for name, count in re.findall(r"vpclint: (\w+): (\d+) units? evaluated", run["log"])
    }


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_run_that_evaluates_nothing_imports_no_evaluator(project: Path) -> None:
    evaluating_only = _evaluation_modules() - _NEEDED_WITHOUT_EVALUATING
    filled = _run(project)
    assert _findings(filled), "the project should give findings to compare"
    assert evaluating_only - {_PLANS, _YAML_FUNCTIONS} <= set(filled["loaded"])

    _append(project / "envs/prod/main.tf", "# reviewed\n")
    _append(project / "cloudformation/network.yaml", "# reviewed\n")
    warm = _run(project)
    assert _evaluated(warm) == {"terraform": 0, "cloudformation": 0}
    assert sorted(evaluating_only & set(warm["loaded"])) == []
    assert _findings(warm) == _findings(_run(project, "--no-cache"))


def test_a_run_that_evaluates_a_unit_imports_the_evaluators(project: Path) -> None:
    evaluating_only = _evaluation_modules() - _NEEDED_WITHOUT_EVALUATING
    before = _findings(_run(project))

    _replace(project / "envs/prod/main.tf", "10.1.0.0/16", "10.2.0.0/16")
    _replace(project / "cloudformation/network.yaml", "10.1.0.0/16", "10.3.0.0/16")
    warm = _run(project)
    assert _evaluated(warm) == {"terraform": 1, "cloudformation": 1}
    assert evaluating_only - {_PLANS, _YAML_FUNCTIONS} <= set(warm["loaded"])
    assert _findings(warm) == _findings(_run(project, "--no-cache"))
    assert _findings(warm) != before
