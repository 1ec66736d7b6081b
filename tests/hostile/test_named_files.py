"""Files the configuration or the command line names (var files, parameter files, inventories):
they may lie outside the project, but a missing one, a FIFO, a device or an oversized one stops
the run with one line (exit 2) instead of hanging it, filling its memory or linting without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.files import write
from tests.hostile.conftest import MEMORY_LIMIT_MB, TIME_LIMIT_SECONDS, Outcome, run_vpclint
from vpclint.discover.sources import NotARegularFile, read_bytes, read_regular_file

TERRAFORM = {
    "main.tf": (
        'variable "cidr" {\n  type = string\n}\n\n'
        'resource "aws_vpc" "from_var" {\n  cidr_block = var.cidr\n}\n\n'
        'resource "aws_vpc" "literal" {\n  cidr_block = "10.0.0.0/16"\n}\n'
    )
}
TEMPLATE = {
    "stack.yaml": (
        "Parameters:\n  VpcCidr:\n    Type: String\nResources:\n  Vpc:\n"
        "    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !Ref VpcCidr\n"
    )
}


def assert_refused(outcome: Outcome, *names: str) -> None:
    """Exit 2 with one line on stderr that names the file and the option or key."""
    assert outcome.returncode == 2, (outcome.returncode, outcome.stdout, outcome.stderr)
    lines = outcome.stderr.splitlines()
    assert len(lines) == 1, outcome.stderr
    assert lines[0].startswith("vpclint: error: "), lines
    for name in names:
        assert name in lines[0], lines
    assert "Traceback" not in outcome.stderr and "internal error" not in outcome.stderr
    assert outcome.stdout == ""
    assert outcome.seconds < TIME_LIMIT_SECONDS and outcome.peak_mb < MEMORY_LIMIT_MB


def special_files(tmp_path: Path) -> dict[str, str]:
    """A FIFO (opening it for reading blocks until a writer comes), a device that never ends
    and one that is always empty, a folder: what a hostile configuration names."""
    fifo = tmp_path / "outside" / "fifo.tfvars"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    return {
        "fifo": str(fifo),
        "zero": "/dev/zero",
        "null": "/dev/null",
        "folder": str(fifo.parent),
    }


@pytest.mark.parametrize("special", ["fifo", "zero", "null", "folder"])
@pytest.mark.parametrize("option", ["--var-file", "--inventory"])
def test_a_command_line_file_that_is_not_a_regular_file_is_one_line_exit_2(
    tmp_path: Path, option: str, special: str
) -> None:
    root = write(tmp_path / "project", TERRAFORM)
    target = special_files(tmp_path)[special]
    outcome = run_vpclint(option, target, ".", cwd=root)
    assert_refused(outcome, option, target, "not a regular file")


@pytest.mark.parametrize("special", ["fifo", "zero", "folder"])
@pytest.mark.parametrize("key", ["var-files", "inventories", "parameter-files"])
def test_a_configured_file_that_is_not_a_regular_file_is_one_line_exit_2(
    tmp_path: Path, key: str, special: str
) -> None:
    root = write(tmp_path / "project", {**TERRAFORM, **TEMPLATE})
    target = special_files(tmp_path)[special]
    value = f'{{"stack.yaml" = ["{target}"]}}' if key == "parameter-files" else f'["{target}"]'
    (root / ".vpclint.toml").write_text(f"{key} = {value}\n")
    outcome = run_vpclint(".", cwd=root)
    assert_refused(outcome, ".vpclint.toml", f"`{key}`", target, "not a regular file")


@pytest.mark.parametrize("key", ["var-files", "inventories", "parameter-files"])
def test_a_configured_file_over_max_file_size_is_refused(tmp_path: Path, key: str) -> None:
    root = write(tmp_path / "project", {**TERRAFORM, **TEMPLATE})
    (tmp_path / "big.json").write_text('{"cidr": "10.1.0.0/16"}' + " " * 2000)
    value = '{"stack.yaml" = ["../big.json"]}' if key == "parameter-files" else '["../big.json"]'
    (root / ".vpclint.toml").write_text(f"{key} = {value}\n[limits]\nmax-file-size = 1000\n")
    outcome = run_vpclint(".", cwd=root)
    assert_refused(outcome, f"`{key}`", "../big.json", "over the limit of 1000 bytes")


def test_a_missing_var_file_is_a_usage_error_not_a_finding(tmp_path: Path) -> None:
    root = write(tmp_path, TERRAFORM)
    assert_refused(run_vpclint("--var-file", "nope.tfvars", ".", cwd=root), "nope.tfvars")
    (root / ".vpclint.toml").write_text('var-files = ["env/nope.tfvars"]\n')
    assert_refused(run_vpclint(".", cwd=root), "`var-files`", "env/nope.tfvars")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("prod.vars", 'cidr = "10.0.0.0/16"\n'),
        ("env", 'cidr = "10.0.0.0/16"\n'),
        ("prod.json", '{"cidr": "10.0.0.0/16"}'),
    ],
)
def test_a_var_file_is_read_whatever_its_suffix_as_terraform_does(
    tmp_path: Path, name: str, text: str
) -> None:
    root = write(tmp_path / "project", TERRAFORM)
    (tmp_path / name).write_text(text)
    outcome = run_vpclint("--format", "json", "--var-file", str(tmp_path / name), ".", cwd=root)
    assert outcome.returncode == 0, outcome.stderr  # VPC204 is a warning
    assert "VPC004" not in outcome.codes()
    [overlap] = outcome.findings("VPC204")
    assert "aws_vpc.from_var" in overlap["message"]


def test_a_var_file_outside_the_project_is_read(tmp_path: Path) -> None:
    root = write(tmp_path / "project", TERRAFORM)
    (tmp_path / "shared.tfvars").write_text('cidr = "10.0.0.0/16"\n')
    (root / ".vpclint.toml").write_text('var-files = ["../shared.tfvars"]\n')
    outcome = run_vpclint("--format", "json", ".", cwd=root)
    assert outcome.returncode == 0 and outcome.findings("VPC204"), outcome.stderr


def test_a_file_swapped_for_a_fifo_after_the_check_is_not_waited_for(tmp_path: Path) -> None:
    fifo = tmp_path / "vars.tfvars"
    os.mkfifo(fifo)
    with pytest.raises(NotARegularFile, match="a FIFO"):
        read_regular_file(fifo, 1000)
    error = read_bytes(Path("/dev/zero"), "zero.tfvars", 1000)
    assert not isinstance(error, bytes) and "a device" in error.message


def test_a_file_that_grows_past_the_limit_is_not_read_to_its_end(tmp_path: Path) -> None:
    path = tmp_path / "vars.tfvars"
    path.write_bytes(b"#" * 1001)
    with pytest.raises(NotARegularFile, match="over the limit of 1000 bytes"):
        read_regular_file(path, 1000)
    assert read_regular_file(path, 1001) == b"#" * 1001
