"""Issue 13, point 5: budgets are per file and checked before the work.

A function that builds a string or a collection refuses, from the size it would have, a result
over the limit before building it: under an address-space limit, a run that used to die of a
MemoryError (exit 2, every finding lost), or to build a hundred megabytes before refusing them,
reports an unknown CIDR naming the function and the `max-steps` option, and lints the rest.
One file that uses up its evaluation budget leaves the literal CIDRs of the other files known.
The real CLI, in a subprocess.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.files import write
from tests.hostile.conftest import TIME_LIMIT_SECONDS, assert_contained, run_vpclint

ADDRESS_SPACE_MB = 512  # a normal run needs less than 300 MB of address space
TYPO = 'resource "aws_vpc" "typo" {\n  cidr_block = "10.0.0.0/33"\n}\n'
SEPARATOR = "${local.piece}" * 50  # 500,000 characters: a template may render up to max-steps
TERRAFORM_ATTACKS = {
    "join": "join(local.separator, range(10000))",
    "format": "format(local.widths, range(10000)...)",
    "formatlist": 'formatlist("${local.separator}%d", range(10000))',
    "slice": "slice(data.aws_availability_zones.all.names, 0, 1000000000000)",
}


def _limit_address_space() -> None:
    size = ADDRESS_SPACE_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (size, size))


def _lint_in_bounded_memory(folder: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(folder / ".user-cache")}
    return subprocess.run(
        [sys.executable, "-m", "vpclint", "--no-cache", "--format", "text", "."],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT_SECONDS,
        preexec_fn=_limit_address_space,
        check=False,
    )


def _terraform_attack(expression: str) -> dict[str, str]:
    return {
        ".vpclint.toml": "",
        "main.tf": (
            "locals {\n"
            '  piece     = format("%10000s", "x")\n'
            f'  separator = "{SEPARATOR}"\n'
            '  widths    = join("", [for i in range(10000) : "%9999d"])\n'
            f"  huge      = {expression}\n"
            "}\n\n"
            'data "aws_availability_zones" "all" {}\n\n'
            'resource "aws_vpc" "main" {\n'
            '  cidr_block = length(local.huge) > 0 ? "10.0.0.0/16" : "10.1.0.0/16"\n'
            "}\n"
        ),
        "typo.tf": TYPO,
    }


@pytest.mark.parametrize("function", sorted(TERRAFORM_ATTACKS))
def test_a_huge_terraform_value_is_refused_before_it_is_built(
    tmp_path: Path, function: str
) -> None:
    write(tmp_path, _terraform_attack(TERRAFORM_ATTACKS[function]))

    result = _lint_in_bounded_memory(tmp_path)

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    (unresolved,) = [line for line in result.stdout.splitlines() if ": VPC004 " in line]
    assert unresolved.startswith("main.tf:")
    assert f"{function}() would build a value of " in unresolved
    assert "(raise `max-steps` to allow it)" in unresolved
    # The other file is still linted: its literal typo is an error of its own.
    assert any(
        line.startswith("typo.tf:2:") and "VPC002" in line for line in result.stdout.splitlines()
    )


def test_a_nested_fn_join_is_refused_before_it_is_built(tmp_path: Path) -> None:
    expression = '"xxxxxxxxxx"'
    for _ in range(10):  # each level joins ten items with the level below: 9**10 times longer
        expression = f'{{"Fn::Join": [{expression}, ["a","b","c","d","e","f","g","h","i","j"]]}}'
    template = (
        '{"Resources": {\n'
        f' "Big": {{"Type": "AWS::EC2::VPC", "Properties": {{"CidrBlock": {expression}}}}},\n'
        ' "Typo": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/33"}}\n'
        "}}\n"
    )
    write(tmp_path, {".vpclint.toml": "", "template.json": template})

    result = _lint_in_bounded_memory(tmp_path)

    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    (unresolved,) = [line for line in lines if ": VPC004 " in line]
    assert unresolved.startswith("template.json:2:")
    assert "Fn::Join would build a string of " in unresolved and "`max-steps`" in unresolved
    assert any(line.startswith("template.json:3:") and "VPC002" in line for line in lines)


def test_one_expensive_file_leaves_the_literal_cidrs_of_another_known(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".vpclint.toml": "",
            "expensive.tf": (
                "locals {\n"
                "  grid = [for i in range(10000) : [for j in range(200) : i * j]]\n"
                "}\n\n"
                'resource "aws_vpc" "computed" {\n'
                '  cidr_block = length(local.grid) > 0 ? "10.9.0.0/16" : "10.8.0.0/16"\n'
                "}\n"
            ),
            "literal.tf": (
                'resource "aws_vpc" "app" {\n  cidr_block = "10.0.0.0/16"\n}\n\n'
                'resource "aws_vpc" "data" {\n  cidr_block = "10.0.0.0/16"\n}\n\n' + TYPO
            ),
        },
    )

    outcome = run_vpclint("--format", "json", ".", cwd=tmp_path)

    assert_contained(outcome)
    assert outcome.returncode == 1
    (unresolved,) = outcome.findings("VPC004")
    assert (unresolved["file"], unresolved["line"]) == ("expensive.tf", 6)
    assert "evaluating expensive.tf in the root module" in unresolved["message"]
    assert "(raise `max-steps` to allow it)" in unresolved["message"]
    # What the other file's literals say is known: the overlap and the typo are reported.
    ((overlap_file, overlap_line),) = [(f["file"], f["line"]) for f in outcome.findings("VPC204")]
    assert (overlap_file, overlap_line) == ("literal.tf", 6)
    assert [(f["file"], f["line"]) for f in outcome.findings("VPC002")] == [("literal.tf", 10)]
