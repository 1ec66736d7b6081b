"""A warm run reuses the last findings only while every input they came from is unchanged."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from vpclint.cli import main

VPC = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n'


def subnet(name: str, cidr_expression: str) -> str:
    return (
        f'resource "aws_subnet" "{name}" {{\n'
        "  vpc_id     = aws_vpc.main.id\n"
        f"  cidr_block = {cidr_expression}\n"
        "}\n"
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    root = tmp_path / "repo"
    (root / "vendor" / "net").mkdir(parents=True)
    (root / ".vpclint.toml").write_text('exclude = ["vendor"]\n')
    (root / "main.tf").write_text(
        VPC
        + 'variable "env_cidr" {\n  default = "10.0.3.0/24"\n}\n'
        + subnet("from_file", 'trimspace(file("${path.module}/cidr.txt"))')
        + subnet("from_env", "var.env_cidr")
        + subnet("from_module", "module.net.cidr")
        + 'module "net" {\n  source = "./vendor/net"\n}\n'
    )
    (root / "cidr.txt").write_text("10.0.1.0/24\n")
    (root / "vendor" / "net" / "main.tf").write_text(
        'output "cidr" {\n  value = "10.0.2.0/24"\n}\n'
    )
    monkeypatch.chdir(root)
    monkeypatch.delenv("TF_VAR_env_cidr", raising=False)
    return root


def outside_findings() -> list[str]:
    """Subnets reported outside their VPC, linting with the cache (the default)."""
    out = io.StringIO()
    main(["--format", "json", "--select", "VPC201", "."], stdout=out)
    findings = json.loads(out.getvalue())["findings"]
    return sorted(finding["resource"] for finding in findings)


def test_warm_run_reports_what_a_cold_run_reports(project: Path) -> None:
    cold = io.StringIO()
    main(["--no-cache", "--format", "json", "."], stdout=cold)
    for _ in range(2):
        warm = io.StringIO()
        main(["--format", "json", "."], stdout=warm)
        assert warm.getvalue() == cold.getvalue()


def test_a_file_read_by_file_function_invalidates_the_result(project: Path) -> None:
    assert outside_findings() == []
    (project / "cidr.txt").write_text("10.9.1.0/24\n")
    assert outside_findings() == ["aws_subnet.from_file"]


def test_an_excluded_module_folder_invalidates_the_result(project: Path) -> None:
    assert outside_findings() == []
    (project / "vendor" / "net" / "main.tf").write_text(
        'output "cidr" {\n  value = "10.8.2.0/24"\n}\n'
    )
    assert outside_findings() == ["aws_subnet.from_module"]


def test_tf_var_environment_invalidates_the_result(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert outside_findings() == []
    monkeypatch.setenv("TF_VAR_env_cidr", "10.7.0.0/24")
    assert outside_findings() == ["aws_subnet.from_env"]


def test_an_edited_file_invalidates_the_result(project: Path) -> None:
    assert outside_findings() == []
    text = (project / "main.tf").read_text()
    (project / "main.tf").write_text(text.replace('"10.0.3.0/24"', '"10.6.3.0/24"'))
    assert outside_findings() == ["aws_subnet.from_env"]


def test_staged_file_run_reports_only_what_touches_the_file(project: Path) -> None:
    (project / "other.tf").write_text(
        'resource "aws_vpc" "other" {\n  cidr_block = "10.50.0.0/16"\n}\n'
        'resource "aws_subnet" "stray" {\n  vpc_id     = aws_vpc.other.id\n'
        '  cidr_block = "10.5.0.0/24"\n}\n'
    )
    assert outside_findings() == ["aws_subnet.stray"]
    for staged, expected in (("main.tf", []), ("other.tf", ["aws_subnet.stray"])):
        out = io.StringIO()
        main(["--format", "json", "--select", "VPC201", staged], stdout=out)
        findings = json.loads(out.getvalue())["findings"]
        assert [finding["resource"] for finding in findings] == expected


def test_findings_are_written_once_per_change_and_replaced_entries_removed(
    tmp_path: Path,
) -> None:
    from vpclint.cache.results import CachedRun, ResultsCache
    from vpclint.topology.models import Finding, Severity

    def finding(line: int) -> Finding:
        return Finding(
            code="VPC201",
            name="subnet-outside-network",
            severity=Severity.ERROR,
            message="a subnet outside its VPC",
            file="main.tf",
            line=line,
            column=1,
            resource="aws_subnet.app",
        )

    folder = tmp_path / "cache"

    def findings_entries() -> set[Path]:
        """The cache's entries that hold a list of findings (an entry is <xx>/<rest of key>)."""
        store = ResultsCache(folder, tmp_path).store
        entries = [path for path in folder.rglob("*") if path.is_file() and path.parent != folder]
        return {
            path for path in entries if isinstance(store.get(path.parent.name + path.name), list)
        }

    first = ResultsCache(folder, tmp_path)
    first.save(CachedRun("inputs-1", {}, [finding(3)], {"parsed": 1}, "judged-1"))
    (written,) = findings_entries()
    stamp = written.stat().st_mtime_ns

    # The topology was unchanged: the same findings, other inputs. Only the head is rewritten.
    second = ResultsCache(folder, tmp_path)
    last = second.last()
    assert last is not None and last.findings == [finding(3)]
    second.save(CachedRun("inputs-2", {}, last.findings, {"parsed": 1}, "judged-1"))
    assert findings_entries() == {written} and written.stat().st_mtime_ns == stamp
    again = ResultsCache(folder, tmp_path).last()
    assert again is not None and again.inputs == "inputs-2" and again.findings == [finding(3)]

    # New findings: a new entry, and the replaced one is gone.
    third = ResultsCache(folder, tmp_path)
    third.last()
    third.save(CachedRun("inputs-3", {}, [finding(4)], {"parsed": 1}, "judged-3"))
    (replaced,) = findings_entries()
    assert replaced != written
    latest = ResultsCache(folder, tmp_path).last()
    assert latest is not None and latest.findings == [finding(4)]
