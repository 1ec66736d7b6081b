"""Adopting vpclint on a repository with existing problems: record them once, fail only on new
ones, keep matching when code moves, and shrink the baseline as they are fixed."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.files import write
from vpclint.cli import main

NETWORK = 'resource "aws_vpc" "a" {\n  cidr_block = "10.0.0.0/16"\n}\n'
SUBNET_X = (
    'resource "aws_subnet" "x" {\n  vpc_id     = aws_vpc.a.id\n  cidr_block = "10.0.1.0/24"\n}\n'
)
SUBNET_Y = (
    'resource "aws_subnet" "y" {\n  vpc_id     = aws_vpc.a.id\n  cidr_block = "10.0.1.0/25"\n}\n'
)
SUBNET_Z = (
    'resource "aws_subnet" "z" {\n  vpc_id     = aws_vpc.a.id\n  cidr_block = "10.0.1.128/26"\n}\n'
)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def lint(*argv: str) -> tuple[int, list[dict[str, Any]]]:
    code, out, err = run("--no-cache", "--select", "VPC2,VPC902", "--format", "json", *argv)
    assert code in (0, 1), err
    return code, list(json.loads(out)["findings"])


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose one existing overlap (x and y) is today's problem."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    write(tmp_path, {"net/main.tf": NETWORK + "\n" + SUBNET_X + "\n" + SUBNET_Y})
    code, out, err = run(
        "baseline", "--no-cache", "--select", "VPC2", "-o", ".vpclint-baseline.json", "."
    )
    assert (code, err) == (0, "")
    assert out == "Recorded 1 findings in .vpclint-baseline.json.\n"
    return tmp_path


def test_a_baselined_finding_is_suppressed_and_only_new_ones_fail(project: Path) -> None:
    assert lint(".")[0] == 1
    code, findings = lint("--baseline", ".vpclint-baseline.json", ".")
    assert code == 0
    assert [(f["code"], f["suppressed"]) for f in findings] == [("VPC202", "baseline")]
    code, out, _ = run("--no-cache", "--select", "VPC2", "--baseline", ".vpclint-baseline.json")
    assert code == 0 and out.splitlines()[-1] == (
        "No problems found in 1 file (1 suppressed, 1 not infrastructure code)."
    )
    (project / "net" / "main.tf").write_text(
        NETWORK + "\n" + SUBNET_X + "\n" + SUBNET_Y + "\n" + SUBNET_Z
    )
    code, findings = lint("--baseline", ".vpclint-baseline.json", ".")
    assert code == 1
    active = [f for f in findings if f["suppressed"] is None]
    assert [(f["code"], f["resource"]) for f in active] == [("VPC202", "aws_subnet.z")]


def test_the_baseline_survives_moving_a_resource_to_another_file(project: Path) -> None:
    write(
        project,
        {
            "net/main.tf": "# the network\n\n" + NETWORK + "\n" + SUBNET_X,
            "net/legacy.tf": "\n\n\n" + SUBNET_Y,
        },
    )
    code, findings = lint("--baseline", ".vpclint-baseline.json", ".")
    assert code == 0
    [moved] = findings
    # Now reported at x (the later of the two in source order), y being in the other file.
    assert (moved["file"], moved["line"], moved["suppressed"]) == ("net/main.tf", 9, "baseline")
    assert [(r["file"], r["line"]) for r in moved["related"]] == [("net/legacy.tf", 6)]


def test_the_baseline_matches_from_any_folder_and_through_the_config(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / ".vpclint.toml").write_text('baseline = ".vpclint-baseline.json"\n')
    monkeypatch.chdir(project / "net")
    code, findings = lint(".")
    assert code == 0
    assert [(f["file"], f["suppressed"]) for f in findings] == [("main.tf", "baseline")]


def test_a_fixed_finding_leaves_a_stale_entry_reported_until_the_baseline_shrinks(
    project: Path,
) -> None:
    fixed = SUBNET_Y.replace("10.0.1.0/25", "10.0.2.0/25")
    (project / "net" / "main.tf").write_text(NETWORK + "\n" + SUBNET_X + "\n" + fixed)
    code, findings = lint("--baseline", ".vpclint-baseline.json", ".")
    assert code == 0  # VPC902 is a warning
    [stale] = findings
    assert (stale["code"], stale["file"], stale["line"]) == ("VPC902", ".vpclint-baseline.json", 5)
    assert stale["message"].startswith(
        "baseline entry matches no finding any more (VPC202 in net/main.tf: 10.0.1.0/25 of "
    )
    code, out, _ = run("baseline", "--no-cache", "--select", "VPC2", ".")
    assert (code, out) == (0, "Recorded 0 findings in .vpclint-baseline.json.\n")
    assert json.loads((project / ".vpclint-baseline.json").read_text())["findings"] == []
    assert lint("--baseline", ".vpclint-baseline.json", ".") == (0, [])


def test_a_broken_or_missing_baseline_exits_2_naming_the_file(project: Path) -> None:
    (project / "broken.json").write_text('{"version": "1", "findings": [\n')
    code, out, err = run("--no-cache", "--baseline", "broken.json", ".")
    assert (code, out) == (2, "")
    assert err.startswith("vpclint: error: broken.json:2: invalid baseline JSON")
    code, _, err = run("--no-cache", "--baseline", "missing.json", ".")
    assert code == 2 and "baseline file not found: missing.json" in err
