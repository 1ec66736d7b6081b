"""The options and formats a ruff, tflint or cfn-lint user reaches for, through the CLI."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests.files import write
from vpclint.cli import main

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
OVERLAP = (
    'resource "aws_vpc" "a" {\n  cidr_block = "10.0.0.0/16"\n}\n\n'
    'resource "aws_subnet" "x" {\n  vpc_id     = aws_vpc.a.id\n  cidr_block = "10.0.1.0/24"\n}\n\n'
    'resource "aws_subnet" "y" {\n  vpc_id     = aws_vpc.a.id\n  cidr_block = "10.0.1.0/25"\n}\n'
)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--no-cache", *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo inside a git repository, one folder below its top level."""
    root = tmp_path / "repo"
    shutil.copytree(DEMO, root / "infra", ignore=shutil.ignore_patterns(".vpclint_cache"))
    (root / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return root


def test_exit_zero_reports_the_findings_and_exits_0(repository: Path) -> None:
    failing, out, _ = run("repo")
    assert failing == 1
    assert run("--exit-zero", "repo") == (0, out, "")
    code, _, err = run("--exit-zero", "--select", "VPC2O3", "repo")
    assert code == 2 and "VPC2O3" in err


def test_output_format_is_the_name_and_format_its_alias(repository: Path) -> None:
    assert run("--output-format", "json", "repo") == run("--format", "json", "repo")
    code, _, err = run("--output-format", "xml", "repo")
    assert code == 2 and "invalid choice: 'xml'" in err


def test_help_names_the_output_formats_and_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    assert "--output-format {text,json,sarif,github,gitlab,junit}, --format" in text
    assert "--exit-zero" in text and "--no-respect-gitignore" in text


def test_sarif_uris_are_relative_to_the_repository_root_from_any_folder(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = []
    for cwd, path in ((repository.parent, "repo"), (repository / "infra" / "terraform", "../..")):
        monkeypatch.chdir(cwd)
        code, out, _ = run("--output-format", "sarif", path)
        assert code == 1
        documents.append(json.loads(out)["runs"][0])
    assert documents[0]["results"] == documents[1]["results"]
    results = documents[0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "infra/terraform/live/main.tf" in uris and all(u.startswith("infra/") for u in uris)
    assert documents[0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repository.as_uri() + "/"
    # GitHub tells results apart across commits by their fingerprints: one per result.
    fingerprints = [r["partialFingerprints"]["vpclintIdentity/v1"] for r in results]
    places = [(r["ruleId"], json.dumps(r["locations"][0]["physicalLocation"])) for r in results]
    assert len(set(places)) < len(places), "the demo has results sharing rule, file and line"
    assert len(set(fingerprints)) == len(fingerprints)


def test_gitlab_code_quality_report(repository: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repository / "infra")
    code, out, _ = run("--output-format", "gitlab", ".")
    assert code == 1
    issues = json.loads(out)
    _, text, _ = run(".")
    assert len(issues) == len(text.splitlines()) - 3  # a blank line, coverage, verdict
    [overlap] = [issue for issue in issues if issue["check_name"] == "VPC203"]
    assert overlap["severity"] == "major"
    assert overlap["location"] == {"path": "infra/terraform/live/main.tf", "lines": {"begin": 42}}
    assert overlap["description"].startswith("VPC203 10.10.128.0/20 of aws_vpc.shared overlaps")
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    assert {issue["severity"] for issue in issues} <= {"info", "minor", "major"}


def test_junit_has_one_failing_case_per_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(write(tmp_path, {"net/main.tf": OVERLAP, "clean/main.tf": ""}))
    code, out, _ = run("--output-format", "junit", "--select", "VPC202", "net")
    assert code == 1
    suites = ElementTree.fromstring(out)
    assert (suites.tag, suites.get("tests"), suites.get("failures")) == ("testsuites", "1", "1")
    [suite] = suites
    [case] = suite
    assert suite.get("name") == case.get("file") == "net/main.tf"
    assert case.get("name") == "VPC202 subnet-overlap" and case.get("line") == "12"
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert (failure.text or "").startswith("net/main.tf:12:3: VPC202 ")
    code, out, _ = run("--output-format", "junit", "--select", "VPC202", "clean")
    assert code == 0
    passing = ElementTree.fromstring(out)
    assert passing.get("failures") == "0" and passing.find("testsuite/testcase") is not None


def test_gitignored_files_are_not_linted_unless_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {".gitignore": "scratch/\n", "scratch/main.tf": OVERLAP, "main.tf": ""})
    subprocess.run(["git", "init", "-q", "."], check=True)
    code, out, _ = run("--select", "VPC202", ".")
    assert code == 0 and "scratch" not in out
    code, out, _ = run("--select", "VPC202", "--no-respect-gitignore", ".")
    assert code == 1 and "scratch/main.tf:12:3: VPC202" in out
    (tmp_path / ".vpclint.toml").write_text("respect-gitignore = false\n")
    assert run("--select", "VPC202", ".")[0] == 1
    # A file named on the command line is linted even when ignored, as ruff does.
    (tmp_path / ".vpclint.toml").unlink()
    assert run("--select", "VPC202", "scratch/main.tf")[0] == 1
