"""The command line in-process on the demo repository: formats, exit codes, selection, config."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from vpclint.cli import main

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "fixtures" / "demo"


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo, with the working directory at its parent (paths print as demo/...)."""
    copy = tmp_path / "demo"
    shutil.copytree(DEMO, copy, ignore=shutil.ignore_patterns(".vpclint_cache"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return copy


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def findings(*argv: str) -> list[dict[str, Any]]:
    code, out, err = run("--format", "json", *argv)
    assert code in (0, 1), err
    return list(json.loads(out)["findings"])


def test_text_output_and_exit_1_on_errors(demo: Path) -> None:
    code, out, _ = run("demo")
    assert code == 1
    assert (
        "demo/terraform/live/main.tf:42:1: VPC203 10.10.128.0/20 of aws_vpc.shared overlaps "
        "10.10.0.0/16 of aws_vpc.app; they are peered by aws_vpc_peering_connection.app_shared "
        "[aws_vpc_peering_connection.app_shared]"
    ) in out.splitlines()
    assert out.splitlines()[-1].startswith("Found 4 errors, ")
    assert "\033[" not in out


def test_json_carries_resolved_cidrs_and_both_sides(demo: Path) -> None:
    by_code: dict[str, list[dict[str, Any]]] = {}
    for finding in findings("demo"):
        by_code.setdefault(finding["code"], []).append(finding)
    [overlap] = by_code["VPC203"]
    assert overlap["file"] == "demo/terraform/live/main.tf" and overlap["line"] == 42
    assert {(r["resource"], r["cidr"], r["line"]) for r in overlap["related"]} == {
        ("aws_vpc.shared", "10.10.128.0/20", 38),
        ("aws_vpc.app", "10.10.0.0/16", 8),
    }
    [outside] = by_code["VPC201"]
    assert outside["resource"] == "aws_subnet.batch" and "10.20.0.0/24" in outside["message"]
    [same_block] = by_code["VPC202"]
    assert same_block["resource"] == "WarehouseSubnet" and "10.30.1.0/24" in same_block["message"]
    assert {f["resource"] for f in by_code["VPC205"]} == {"aws_vpc.legacy", "LandingVpc"}
    assert [f["resource"] for f in by_code["VPC101"]] == ["aws_vpc.analytics"]
    assert 'module.env["staging"].aws_vpc.this' in {f["resource"] for f in by_code["VPC104"]}


@pytest.mark.parametrize(("fail_on", "expected"), [("error", 1), ("never", 0)])
def test_fail_on_threshold(demo: Path, fail_on: str, expected: int) -> None:
    assert run("--fail-on", fail_on, "demo")[0] == expected


def test_warnings_only_pass_by_default_and_fail_with_fail_on_warning(demo: Path) -> None:
    assert run("--select", "VPC30", "demo")[0] == 0
    assert run("--select", "VPC30", "--fail-on", "warning", "demo")[0] == 1


def test_select_and_ignore_by_prefix(demo: Path) -> None:
    codes = {f["code"] for f in findings("--select", "VPC2", "--ignore", "VPC205", "demo")}
    assert codes == {"VPC201", "VPC202", "VPC203"}
    codes = {f["code"] for f in findings("--select", "VPC203", "--extend-select", "VPC101", "demo")}
    assert codes == {"VPC101", "VPC203"}


def test_config_file_applies_and_the_command_line_beats_it(demo: Path) -> None:
    config = demo / ".vpclint.toml"
    config.write_text('ignore = ["VPC3", "VPC104"]\nfail-on = "never"\n' + config.read_text())
    codes = {f["code"] for f in findings("demo")}
    assert not codes & {"VPC301", "VPC302", "VPC104"}
    assert run("demo")[0] == 0
    assert run("--fail-on", "error", "demo")[0] == 1
    assert {f["code"] for f in findings("--no-config", "demo")} >= {"VPC301", "VPC104"}


def test_rule_options_and_severity_from_config(demo: Path) -> None:
    config = demo / ".vpclint.toml"
    config.write_text(
        config.read_text() + '\n[rules.VPC104]\nmin-utilization = 0.01\nseverity = "error"\n'
    )
    underused = [f for f in findings("demo") if f["code"] == "VPC104"]
    # 1% minimum: only the data VPC (0.8% used) is left; the app VPC uses 2.3%.
    assert [(f["resource"], f["severity"]) for f in underused] == [("DataVpc", "error")]


def test_explicit_file_reports_what_touches_it_with_the_whole_project_in_view(demo: Path) -> None:
    only = findings("demo/cloudformation/network.yaml")
    assert only and {f["file"] for f in only} == {"demo/cloudformation/network.yaml"}
    # The reserved range is declared in the config, the VPC in the template: still reported.
    assert any(f["code"] == "VPC205" and f["resource"] == "LandingVpc" for f in only)


def test_sarif_and_github_formats_on_the_demo(demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.sarif"
    code, out, _ = run("--format", "sarif", "-o", str(target), "demo")
    assert code == 1 and out == ""
    sarif = json.loads(target.read_text())
    results = sarif["runs"][0]["results"]
    assert any(r["ruleId"] == "VPC203" and r["level"] == "error" for r in results)
    rule_ids = [rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]]
    assert all(r["ruleId"] in rule_ids and rule_ids[r["ruleIndex"]] == r["ruleId"] for r in results)
    _, github, _ = run("--format", "github", "demo")
    assert (
        "::error file=demo/terraform/live/main.tf,line=42,col=1,title=VPC203 connected-overlap::"
        in github
    )


def test_statistics_and_quiet(demo: Path) -> None:
    _, out, _ = run("--statistics", "demo")
    assert any(
        line.split()[1:] == ["VPC203", "connected-overlap"]
        for line in out.splitlines()
        if line.strip()
    )
    _, quiet, _ = run("--quiet", "demo")
    assert "Found" not in quiet and quiet.splitlines()[0].startswith("demo/")


def test_results_are_identical_with_one_or_many_jobs_and_with_or_without_cache(demo: Path) -> None:
    baseline = findings("--no-cache", "--jobs", "1", "demo")
    assert findings("--no-cache", "--jobs", "2", "demo") == baseline
    cold = findings("--jobs", "1", "demo")
    assert (demo / ".vpclint_cache" / ".gitignore").is_file()
    warm = findings("--jobs", "1", "demo")
    assert cold == warm == baseline


def test_rules_and_explain(demo: Path) -> None:
    code, out, _ = run("rules")
    assert code == 0 and out.splitlines()[0].split() == [
        "CODE",
        "NAME",
        "SEVERITY",
        "ORIGIN",
        "SUMMARY",
    ]
    assert any(line.startswith("VPC203  connected-overlap") for line in out.splitlines())
    code, out, _ = run("explain", "VPC203")
    assert code == 0 and out.startswith("# VPC203 connected-overlap (error)")
    for heading in (
        "What it does",
        "Why is this bad?",
        "Example",
        "Use instead",
        "Options",
        "References",
    ):
        assert f"## {heading}" in out
    assert run("explain", "connected-overlap")[1] == out
    code, _, err = run("explain", "VPC999")
    assert code == 2 and "unknown rule" in err


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    from vpclint.cli import SUBCOMMANDS

    assert main(["--help"]) == 0
    listing = capsys.readouterr().out.split("commands (each has its own --help):\n")[1]
    listed = {line.split()[1] for line in listing.splitlines() if line.startswith("  vpclint ")}
    assert listed == set(SUBCOMMANDS)
