"""Terraform's file, YAML, CSV, template and path functions through the real CLI.

A subnet factory (``fileset`` + ``yamldecode(file())``) must produce its subnets; what would read
or name anything outside the project (``..``, a symlink, the home folder) is VPC004 with the
reason and is never read; a function vpclint does not evaluate is VPC004 naming it.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from tests.files import write
from tests.hostile.conftest import run_vpclint
from tests.terraform.conftest import FIXTURES
from vpclint.cli import main

GOOD_FACTORY = FIXTURES / "rules" / "vpc201" / "good-yaml-factory"


def _map(project: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(project)
    out = io.StringIO()
    assert main(["map", "--no-cache", "."], stdout=out) in (0, 1)
    return out.getvalue()


def test_a_yaml_subnet_factory_is_mapped_with_every_subnet(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = _map(GOOD_FACTORY, monkeypatch)

    assert "10.0.0.0/18" in shown and 'aws_subnet.factory["public"]' in shown
    assert "10.0.64.0/18" in shown and 'aws_subnet.factory["private"]' in shown
    assert "1 network, 2 subnet ranges" in shown


def _subnet(expression: str) -> str:
    return (
        'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n\n'
        'resource "aws_subnet" "s" {\n  vpc_id     = aws_vpc.main.id\n'
        f"  cidr_block = {expression}\n}}\n"
    )


def _unknown_reason(project: Path) -> str:
    outcome = run_vpclint("--format", "json", ".", cwd=project)
    assert outcome.returncode in (0, 1), outcome.stderr
    (unknown,) = outcome.findings("VPC004")
    assert unknown["file"] == "main.tf" and unknown["line"] == 7
    return str(unknown["message"])


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ('trimspace(file(pathexpand("~/cidr.txt")))', "names the home folder"),
        ('tolist(fileset("..", "*.txt"))[0]', "fileset() refers to a file outside the project"),
        ('tolist(fileset(path.module, "link/*.txt"))[0]', "outside the project"),
        ('yamldecode(file("net.yaml")).cidr', "larger than 300 bytes"),
        (
            'cidrsubnet("10.0.0.0/16", 8, parseint(formatdate("DD", timestamp()), 10))',
            "formatdate()",
        ),
    ],
)
def test_what_cannot_be_read_inside_the_project_is_unknown_with_the_reason(
    tmp_path: Path, expression: str, reason: str
) -> None:
    project = tmp_path / "project"
    write(tmp_path, {"outside/cidr.txt": "10.0.9.0/24\n", "secret.txt": "10.0.8.0/24\n"})
    write(project, {"main.tf": _subnet(expression), "net.yaml": "cidr: 10.0.1.0/24\n" * 40})
    os.symlink("../outside", project / "link")
    (project / ".vpclint.toml").write_text("[limits]\nmax-file-size = 300\n", encoding="utf-8")

    assert reason in _unknown_reason(project)


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ('templatestring("${x}", { x = "10.0.1.0/24" })', "must be a reference to a string"),
        ('yamldecode("cidr: .inf").cidr', "not a number Terraform can hold"),
        ('yamldecode("cidr: ! 10.0.1.0/24").cidr', "unsupported tag '!'"),
        ('csvdecode("cidr\n10.0.1.0/24,x\n")[0].cidr', "wrong number of fields"),
        ('file("missing.txt")', "no file exists at missing.txt"),
    ],
)
def test_what_terraform_rejects_is_an_invalid_cidr_with_terraform_s_reason(
    tmp_path: Path, expression: str, reason: str
) -> None:
    write(tmp_path, {"main.tf": _subnet(expression)})

    outcome = run_vpclint("--format", "json", ".", cwd=tmp_path)

    (invalid,) = outcome.findings("VPC002")
    assert reason in invalid["message"] and invalid["line"] == 7


def test_templatefile_renders_a_subnet_from_the_project(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": _subnet(
                'trimspace(templatefile("${path.module}/cidr.tpl", { third = 300 }))'
            ),
            "cidr.tpl": "10.0.${third}.0/24\n",
        },
    )

    outcome = run_vpclint("--format", "json", ".", cwd=tmp_path)

    (invalid,) = outcome.findings("VPC002")
    assert "10.0.300.0/24" in invalid["message"] and invalid["line"] == 7


def test_cidrsubnet_splits_a_short_ipv6_prefix_into_slash_64s(tmp_path: Path) -> None:
    subnet = (
        'resource "aws_subnet" "{name}" {{\n  vpc_id = aws_vpc.main.id\n'
        "  ipv6_native = true\n"
        "  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 56, 1)\n}}\n"
    )
    write(
        tmp_path,
        {
            "main.tf": 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n'
            '  ipv6_cidr_block = "fd00::/8"\n}\n\n'
            + subnet.format(name="first")
            + subnet.format(name="second")
        },
    )

    outcome = run_vpclint("--format", "json", ".", cwd=tmp_path)

    assert not outcome.findings("VPC004")
    (overlap,) = outcome.findings("VPC202")
    assert "fd00:0:0:1::/64" in overlap["message"]


def test_enumerating_two_to_the_56_subnets_is_still_bounded(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"main.tf": _subnet('cidrsubnets("fd00::/8", [for i in range(pow(2, 56)) : 56]...)[1]')},
    )

    outcome = run_vpclint("--format", "json", ".", cwd=tmp_path)

    assert outcome.seconds < 30
    (unknown,) = outcome.findings("VPC004")
    assert "range() would create" in unknown["message"]
