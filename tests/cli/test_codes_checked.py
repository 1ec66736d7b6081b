"""A code that names no loaded rule is an error (exit 2, naming it), wherever it is written:
a typo must never turn the gate off by selecting nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.files import write
from vpclint.cli import main

OVERLAP = {
    "main.tf": 'resource "aws_vpc" "a" {\n  cidr_block = "10.0.0.0/16"\n}\n\n'
    'resource "aws_vpc" "b" {\n  cidr_block = "10.0.0.0/16"\n}\n'
}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--no-cache", *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return write(tmp_path, OVERLAP)


def test_a_typo_in_select_exits_2_naming_it(project: Path) -> None:
    code, out, err = run("--select", "VPC2O3", ".")
    assert code == 2
    assert err == "vpclint: error: --select names unknown rule code VPC2O3 (see `vpclint rules`)\n"
    assert out == ""


@pytest.mark.parametrize(
    ("option", "value"),
    [("--select", "VPC999"), ("--extend-select", "VPC7"), ("--ignore", "VPC20,VPC2X")],
)
def test_every_code_option_is_checked(project: Path, option: str, value: str) -> None:
    code, _, err = run(option, value, ".")
    assert code == 2
    assert f"{option} names unknown rule code {value.split(',')[-1]}" in err


@pytest.mark.parametrize("selection", ["ALL", "VPC", "VPC2", "VPC204", "vpc204"])
def test_all_codes_and_prefixes_of_loaded_rules_are_valid(project: Path, selection: str) -> None:
    code, out, err = run("--select", selection, ".")
    assert (code, err) == (0, "")  # VPC204 is a warning
    assert "main.tf:6:3: VPC204 " in out


def test_a_config_select_naming_no_rule_exits_2_naming_file_key_and_code(project: Path) -> None:
    (project / ".vpclint.toml").write_text('select = ["VPC999"]\n')
    code, out, err = run(".")
    assert code == 2 and out == ""
    assert "vpclint: error: " in err and ".vpclint.toml" in err
    assert "`select` names unknown rule code VPC999" in err


def test_a_suppression_naming_no_rule_is_vpc902_and_the_rest_is_linted(project: Path) -> None:
    write(
        project,
        {
            "main.tf": 'resource "aws_vpc" "a" {\n  cidr_block = "10.0.0.0/16"\n}\n\n'
            "# vpclint: ignore[VPC2O4] a letter O\n"
            'resource "aws_vpc" "b" {\n  cidr_block = "10.0.0.0/16"\n}\n'
        },
    )
    code, out, _ = run(".")
    assert code == 0  # both are warnings
    assert "main.tf:5:1: VPC902 malformed code in suppression: VPC2O4" in out
    assert "VPC204" in out
