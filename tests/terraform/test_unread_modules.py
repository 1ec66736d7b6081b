"""Module calls vpclint cannot follow are said, not dropped: a source that was not downloaded is
VPC005 with the way to make it visible (and the CIDRs written into the call are still checked),
a call with an unknown count/for_each keeps its module's networks as VPC004 at the call.
Through the real CLI on real files."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.files import write
from vpclint.cli import main

REGISTRY_CALL = """\
module "network" {
  source       = "acme-platform/network/google"
  version      = "~> 9.1"
  network_name = "shared"
  subnets = [
    {
      subnet_name = "app"
      subnet_ip   = var.app_range
    },
    {
      subnet_name = "data"
      subnet_ip   = cidrsubnet("10.10.0.0/16", 8, 1)
    },
  ]
  description = "peered with 10.20.0.0/16 later"
  bgp_peer    = "169.254.1.1/30"
}

variable "app_range" {
  default = "10.10.0.0/33"
}
"""

NETWORK_MODULE = """\
variable "cidr" {
  type = string
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
}

resource "aws_subnet" "this" {
  vpc_id     = aws_vpc.this.id
  cidr_block = cidrsubnet(aws_vpc.this.cidr_block, 8, 0)
}
"""

FOR_EACH_CALL = """\
variable "environments" {
  type = map(string)
}

module "envs" {
  source   = "../../modules/network"
  for_each = var.environments
  cidr     = each.value
}
"""


def lint(folder: Path, *arguments: str) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    previous = Path.cwd()
    os.chdir(folder)
    try:
        code = main(["--format", "json", "--no-cache", *arguments, "."], stdout=out)
    finally:
        os.chdir(previous)
    return code, json.loads(out.getvalue())


def found(report: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [finding for finding in report["findings"] if finding["code"] == code]


def test_a_module_not_downloaded_says_what_would_make_it_visible(tmp_path: Path) -> None:
    write(tmp_path, {".git/HEAD": "", "envs/prod/main.tf": REGISTRY_CALL})
    code, report = lint(tmp_path)
    (unread,) = found(report, "VPC005")
    assert (unread["file"], unread["line"]) == ("envs/prod/main.tf", 1)
    assert "module 'network'" in unread["message"]
    assert "acme-platform/network/google" in unread["message"]
    assert "`terraform init` in the root module folder (envs/prod)" in unread["message"]
    assert code == 1  # the invalid CIDR given to it is an error


def test_the_cidrs_written_into_an_unread_module_are_still_checked(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": REGISTRY_CALL})
    _, report = lint(tmp_path)
    # The value reached through a variable is reported where the call writes it.
    (invalid,) = found(report, "VPC002")
    assert (invalid["line"], invalid["resource"]) == (8, "module.network")
    assert "10.10.0.0/33" in invalid["message"]
    # An interface address with its prefix is a fine value for a module: no VPC003.
    assert not found(report, "VPC003")
    # Three values of CIDR form (the description's range is inside a sentence, not one).
    assert report["summary"]["coverage"]["module_arguments"] == 3


def test_after_terraform_init_the_downloaded_copy_is_read_instead(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'module "net" {\n  source = "acme/network/aws"\n'
            '  cidr   = "10.90.0.0/16"\n}\n',
            ".terraform/modules/modules.json": json.dumps(
                {
                    "Modules": [
                        {
                            "Key": "net",
                            "Source": "acme/network/aws",
                            "Dir": ".terraform/modules/net",
                        }
                    ]
                }
            ),
            ".terraform/modules/net/main.tf": NETWORK_MODULE,
        },
    )
    _, report = lint(tmp_path)
    assert not found(report, "VPC005")
    coverage = report["summary"]["coverage"]
    assert (coverage["networks"], coverage["subnets"], coverage["module_arguments"]) == (1, 1, 0)


def test_an_unknown_for_each_keeps_the_module_networks_as_unresolved_at_the_call(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            ".git/HEAD": "",
            "envs/dev/main.tf": FOR_EACH_CALL,
            "modules/network/main.tf": NETWORK_MODULE,
        },
    )
    _, report = lint(tmp_path)
    unresolved = found(report, "VPC004")
    assert sorted(item["resource"] for item in unresolved) == [
        "module.envs.aws_subnet.this",
        "module.envs.aws_vpc.this",
    ]
    assert {(item["file"], item["line"]) for item in unresolved} == {("envs/dev/main.tf", 7)}
    assert all("for_each of module.envs is not known" in item["message"] for item in unresolved)
    assert all("'environments' has no value" in item["message"] for item in unresolved)

    # Given the value, the instances are there and nothing is unresolved.
    _, report = lint(tmp_path, "--var", 'environments={dev="10.1.0.0/16", test="10.2.0.0/16"}')
    assert not found(report, "VPC004")
    coverage = report["summary"]["coverage"]
    assert (coverage["networks"], coverage["subnets"]) == (2, 2)


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("git::https://git.example.com/net.git?ref=v1", "a git repository"),
        ("github.com/acme/terraform-net", "a git repository"),
        ("s3::https://s3-eu-west-1.amazonaws.com/acme/net.zip", "an S3 bucket"),
        ("https://example.com/net.zip", "a URL"),
        ("app.terraform.io/acme/net/aws", "a module registry"),
    ],
)
def test_every_remote_source_is_said(tmp_path: Path, source: str, kind: str) -> None:
    write(tmp_path, {"main.tf": f'module "net" {{\n  source = "{source}"\n}}\n'})
    code, report = lint(tmp_path)
    (unread,) = found(report, "VPC005")
    assert f"comes from {kind} ({source})" in unread["message"]
    assert code == 0  # a warning: fails only with --fail-on warning
