"""After an edit, a warm run evaluates only the units the edit reaches, and reports exactly what a
cold run on the same files reports (vpclint.cache.units)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.files import write as write_files
from vpclint.cli import main

NETWORK_MODULE = """\
variable "cidr" {}
variable "newbits" {
  default = 8
}
resource "aws_vpc" "this" {
  cidr_block = var.cidr
}
resource "aws_subnet" "app" {
  count      = 2
  vpc_id     = aws_vpc.this.id
  cidr_block = cidrsubnet(var.cidr, var.newbits, count.index)
}
output "vpc_id" {
  value = aws_vpc.this.id
}
"""

ENVIRONMENT = """\
variable "cidr" {
  default = "10.0.0.0/16"
}
module "network" {
  source = "../../modules/network"
  cidr   = var.cidr
}
"""

SHARED_VPC = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  SharedVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.50.0.0/16
Outputs:
  VpcId:
    Value: !Ref SharedVpc
    Export:
      Name: shared-vpc-id
"""

SHARED_SUBNETS = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AppSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !ImportValue shared-vpc-id
      CidrBlock: 10.50.1.0/24
"""

ALONE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AloneVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.60.0.0/16
  AloneSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref AloneVpc
      CidrBlock: 10.60.1.0/24
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    root = tmp_path / "repo"
    files = {
        ".vpclint.toml": "# the project root\n",
        "modules/network/main.tf": NETWORK_MODULE,
        "envs/prod/main.tf": ENVIRONMENT,
        "envs/prod/terraform.tfvars": 'cidr = "10.1.0.0/16"\n',
        "envs/dev/main.tf": ENVIRONMENT,
        "envs/dev/terraform.tfvars": 'cidr = "10.2.0.0/16"\n',
        "cloudformation/shared-vpc.yaml": SHARED_VPC,
        "cloudformation/shared-subnets.yaml": SHARED_SUBNETS,
        "cloudformation/alone.yaml": ALONE,
    }
    write_files(root, files)
    monkeypatch.chdir(root)
    return root


def lint(*options: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--format", "json", *options, "."], stdout=out, stderr=err)
    assert code in (0, 1), err.getvalue()
    return out.getvalue(), err.getvalue()


def report(text: str) -> list[tuple[str, str, int, str]]:
    return [
        (finding["code"], finding["file"], finding["line"], finding["message"])
        for finding in json.loads(text)["findings"]
    ]


def evaluated(log: str) -> dict[str, int]:
    """Units evaluated per front end, from ``-v``."""
    return {
        name: int(count)
        for name, count in re.findall(r"vpclint: (\w+): (\d+) units? evaluated", log)
    }


def edit(path: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        target = root / path
        target.write_text(change(target.read_text()))

    return apply


def write(path: str, text: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / path).write_text(text)

    return apply


def remove(path: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / path).unlink()

    return apply


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("tfvars value", write("envs/prod/terraform.tfvars", 'cidr = "10.2.0.0/16"\n')),
    (
        "called module",
        edit("modules/network/main.tf", lambda t: t.replace("default = 8", "default = 2")),
    ),
    (
        "new file in a root",
        write(
            "envs/dev/extra.tf", 'resource "aws_vpc" "extra" {\n  cidr_block = "10.2.0.0/15"\n}\n'
        ),
    ),
    ("removed file", remove("envs/dev/extra.tf")),
    ("new auto tfvars", write("envs/dev/dev.auto.tfvars", 'cidr = "10.9.0.0/16"\n')),
    ("syntax error", write("envs/prod/broken.tf", 'resource "aws_vpc" "x" {\n')),
    ("syntax error fixed", remove("envs/prod/broken.tf")),
    (
        "root becomes a called module",
        edit("envs/dev/main.tf", lambda t: t + 'module "prod" {\n  source = "../prod"\n}\n'),
    ),
    (
        "exported VPC changed",
        edit("cloudformation/shared-vpc.yaml", lambda t: t.replace("10.50.0.0", "10.51.0.0")),
    ),
    (
        "a second exporter of the same name",
        edit(
            "cloudformation/alone.yaml",
            lambda t: (
                t
                + "Outputs:\n  Id:\n    Value: !Ref AloneVpc\n"
                + "    Export:\n      Name: shared-vpc-id\n"
            ),
        ),
    ),
    ("comment only", edit("cloudformation/alone.yaml", lambda t: t + "# reviewed\n")),
    ("suppression added", edit("envs/prod/main.tf", lambda t: "# vpclint: ignore[VPC301]\n" + t)),
]


def test_after_each_edit_a_warm_run_reports_what_a_cold_run_reports(project: Path) -> None:
    lint()  # fill the cache
    for description, apply in EDITS:
        apply(project)
        cold, _ = lint("--no-cache")
        warm, log = lint("-v")
        assert report(warm) == report(cold), description
        assert json.loads(warm)["summary"] == json.loads(cold)["summary"], description
        assert evaluated(log), f"{description}: the run reused the last findings as a whole"


def test_an_edit_reevaluates_only_the_units_it_reaches(project: Path) -> None:
    lint()
    edit("envs/dev/terraform.tfvars", lambda t: t.replace("10.2.", "10.3."))(project)
    _, log = lint("-v")
    # envs/dev is one root; the templates are three files in two units, all untouched.
    assert evaluated(log) == {"terraform": 1, "cloudformation": 0}
    assert "2 units evaluated" not in log

    edit("modules/network/main.tf", lambda t: t.replace("default = 8", "default = 7"))(project)
    _, log = lint("-v")
    assert evaluated(log) == {"terraform": 2, "cloudformation": 0}

    edit("cloudformation/shared-subnets.yaml", lambda t: t.replace("10.50.1.", "10.50.2."))(project)
    _, log = lint("-v")
    # The importer is evaluated together with the template that exports what it imports.
    assert evaluated(log) == {"terraform": 0, "cloudformation": 1}
    # Only the exporter's parse result is read besides the edited file.
    assert "8 files: 1 parsed, 1 from the parse cache, 6 not read" in log


INSTANCE = """
resource "aws_instance" "bastion" {
  instance_type = "t3.micro"
}
"""


def test_an_edit_that_leaves_the_parse_results_as_they_were_reaches_no_unit(
    project: Path,
) -> None:
    lint()
    edit("modules/network/main.tf", lambda t: t + "\n# shared by both roots\n\n")(project)
    edit("cloudformation/shared-vpc.yaml", lambda t: t + "# reviewed\n")(project)
    warm, log = lint("-v")
    assert evaluated(log) == {"terraform": 0, "cloudformation": 0}
    assert "the topology is unchanged" in log
    assert report(warm) == report(lint("--no-cache")[0])

    # A resource outside the address plan is part of the parse result (an expression could
    # refer to it): the roots calling the module are evaluated again, to the same topology.
    edit("modules/network/main.tf", lambda t: t + INSTANCE)(project)
    warm, log = lint("-v")
    assert evaluated(log) == {"terraform": 2, "cloudformation": 0}
    assert "the topology is unchanged" in log
    assert report(warm) == report(lint("--no-cache")[0])


def test_units_are_not_reused_when_the_settings_change(project: Path) -> None:
    lint()
    _, log = lint("-v", "--var", "cidr=10.7.0.0/16")
    assert evaluated(log) == {"terraform": 2, "cloudformation": 2}


def test_many_runs_in_a_row_keep_reporting_what_a_cold_run_reports(project: Path) -> None:
    # Each run stores the outputs it evaluated in a pack of its own; after enough runs the
    # live outputs are gathered into one pack again. Neither may lose or mix up an output.
    lint()
    for run in range(40):
        target = ("envs/prod/terraform.tfvars", "envs/dev/terraform.tfvars")[run % 2]
        (project / target).write_text(f'cidr = "10.{run % 7}.0.0/16"\n')
        if run % 5 == 0:

            def mark_run(text: str, run: int = run) -> str:
                return text + f"# run {run}\n"

            edit("cloudformation/alone.yaml", mark_run)(project)
        warm, log = lint("-v")
        assert evaluated(log)["terraform"] == 1
        assert report(warm) == report(lint("--no-cache")[0]), f"run {run}"


def test_an_edit_that_leaves_the_topology_as_it_was_skips_the_rules(project: Path) -> None:
    lint()
    edit("envs/prod/main.tf", lambda t: t + INSTANCE)(project)
    warm, log = lint("-v")
    assert evaluated(log) == {"terraform": 1, "cloudformation": 0}
    assert "the topology is unchanged" in log
    assert report(warm) == report(lint("--no-cache")[0])

    # A comment above the resources moves their lines: findings change, rules run again.
    edit("modules/network/main.tf", lambda t: "# moved down one line\n" + t)(project)
    warm, log = lint("-v")
    assert "the topology is unchanged" not in log
    assert report(warm) == report(lint("--no-cache")[0])

    edit("envs/dev/terraform.tfvars", lambda t: t.replace("10.2.", "10.4."))(project)
    warm, log = lint("-v")
    assert "the topology is unchanged" not in log
    assert any("10.4." in message for *_, message in report(warm))


def test_the_early_cutoff_holds_across_processes_with_other_hash_seeds(project: Path) -> None:
    # Each run is its own interpreter with its own hash seed (set order differs): the digests
    # that decide "unchanged" must not depend on it.
    def run(seed: int) -> str:
        completed = subprocess.run(
            [sys.executable, "-m", "vpclint", "-v", "-q", "."],
            cwd=project,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert completed.returncode in (0, 1), completed.stderr
        return completed.stderr

    # A suppression puts models in the parse result; their field sets are sets too.
    edit("envs/prod/main.tf", lambda t: "# vpclint: ignore[VPC301] reviewed\n" + t)(project)
    run(1)
    edit("envs/prod/main.tf", lambda t: t + "# reviewed\n")(project)
    edit("cloudformation/shared-subnets.yaml", lambda t: t + "# reviewed\n")(project)
    log = run(2)
    assert evaluated(log) == {"terraform": 0, "cloudformation": 0}
    assert "the topology is unchanged" in log
    edit("envs/prod/main.tf", lambda t: t + INSTANCE)(project)
    log = run(3)
    assert evaluated(log) == {"terraform": 1, "cloudformation": 0}
    assert "the topology is unchanged" in log


def test_a_map_after_an_unchanged_topology_is_the_cold_map(project: Path) -> None:
    # The findings come from the last run; the map needs the topology itself, assembled from
    # the reused units' outputs on demand.
    def draw(*options: str) -> str:
        out = io.StringIO()
        assert main(["map", "--format", "json", *options, "."], stdout=out) == 0
        return out.getvalue()

    lint()
    edit("envs/prod/main.tf", lambda t: t + "# reviewed\n")(project)
    _, log = lint("-v")
    assert "the topology is unchanged" in log
    edit("envs/prod/main.tf", lambda t: t + "# reviewed again\n")(project)
    assert draw() == draw("--no-cache")
