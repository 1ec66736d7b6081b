"""End to end through the CLI: a CIDR computed from tfvars is checked with its real value."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.files import write


def test_cli_reports_cidr_computed_from_tfvars_with_count(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """variable "vpc_cidr" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block                       = var.vpc_cidr
  assign_generated_ipv6_cidr_block = true
}

resource "aws_subnet" "private" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(var.vpc_cidr, 8, count.index + 32)
}

resource "aws_subnet" "legacy" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.20.33.128/25"
}
""",
            "terraform.tfvars": 'vpc_cidr = "10.20.0.0/16"\n',
        },
    )
    completed = subprocess.run(
        [sys.executable, "-m", "vpclint", "--format", "json", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in completed.stderr
    report = json.loads(completed.stdout)
    overlaps = [item for item in report["findings"] if item["code"] == "VPC202"]
    assert len(overlaps) == 1
    (overlap,) = overlaps
    assert "10.20.33.0/24" in overlap["message"] and "10.20.33.128/25" in overlap["message"]
    assert overlap["file"] == "main.tf"
    assert overlap["line"] in (13, 18)  # the cidr_block attribute of one of the two
