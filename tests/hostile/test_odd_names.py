"""Issue 13, point 6: odd names crash nothing.

A path component over 255 bytes (which the file system refuses with ENAMETOOLONG) in a module
source or a ``file()``/``fileexists()`` argument is one finding, and every other finding is still
reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.files import write
from tests.hostile.conftest import assert_contained, run_vpclint

OWN_VPC = 'resource "aws_vpc" "own" {\n  cidr_block = "10.0.0.0/16"\n}\n'
LONG = "a" * 300


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return write(tmp_path, {"main.tf": OWN_VPC})


def _own_vpc_still_reported(codes: list[tuple[str, str]]) -> None:
    assert ("VPC301", "main.tf") in codes


@pytest.mark.parametrize(
    ("expression", "function"),
    [
        (f'fileexists("{LONG}") ? "10.1.0.0/16" : "10.2.0.0/16"', "fileexists"),
        (f'trimspace(file("{LONG}/cidr.txt"))', "file"),
    ],
)
def test_a_file_function_on_a_too_long_name_is_unknown(
    project: Path, expression: str, function: str
) -> None:
    write(project, {"odd.tf": f'resource "aws_vpc" "odd" {{\n  cidr_block = {expression}\n}}\n'})

    outcome = run_vpclint("--format", "json", ".", cwd=project)

    assert_contained(outcome)
    (unknown,) = outcome.findings("VPC004")
    assert (unknown["file"], unknown["resource"]) == ("odd.tf", "aws_vpc.odd")
    assert unknown["message"].startswith(f"CIDR cannot be resolved statically: {function}()")
    assert unknown["message"].endswith("File name too long")
    _own_vpc_still_reported([(item["code"], item["file"]) for item in outcome.document["findings"]])


def test_a_module_source_with_a_too_long_name_is_not_analysed(project: Path) -> None:
    write(project, {"odd.tf": f'module "odd" {{\n  source = "./{LONG}"\n}}\n'})

    outcome = run_vpclint("--format", "json", ".", cwd=project)

    assert_contained(outcome)
    (finding,) = outcome.findings("VPC005")
    assert (finding["file"], finding["line"]) == ("odd.tf", 1)
    assert finding["message"] == f"module 'odd' source ./{LONG} cannot be read: File name too long"
    _own_vpc_still_reported([(item["code"], item["file"]) for item in outcome.document["findings"]])
