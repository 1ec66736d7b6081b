"""The installed artefacts: the wheel, the console script, the pre-commit hook."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _script() -> str:
    found = shutil.which("vpclint", path=str(Path(sys.executable).parent)) or shutil.which(
        "vpclint"
    )
    assert found, "the console script `vpclint` is installed with the package"
    return found


def _modules_of_the_source_tree() -> set[str]:
    """Where each module of vpclint/ and rules/ belongs in the wheel (rules/ as vpclint/rules/)."""
    modules = {path.relative_to(ROOT).as_posix() for path in (ROOT / "vpclint").rglob("*.py")}
    rules = ROOT / "rules"
    modules |= {
        f"vpclint/rules/{path.relative_to(rules).as_posix()}" for path in rules.rglob("*.py")
    }
    return modules


def test_wheel_ships_rules_inside_vpclint_and_nothing_named_rules(tmp_path: Path) -> None:
    # Built from a copy: setuptools builds in the tree's build/, whose leftovers from an earlier
    # build would go into the wheel and hide a package the list has lost.
    source = tmp_path / "source"
    for name in ("vpclint", "rules"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("vpclint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "vpclint/rules/__init__.py" in names
    missing = sorted(_modules_of_the_source_tree() - set(names))
    assert not missing, (
        f"not in the wheel (a package missing from pyproject's packages?): {missing}"
    )
    assert "vpclint/cli.py" in names
    top_level = {
        name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")
    }
    assert top_level == {"vpclint"}
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert "vpclint = vpclint.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_script_lints_the_demo(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    version = subprocess.run([_script(), "--version"], capture_output=True, text=True, env=env)
    assert version.returncode == 0 and version.stdout.startswith("vpclint ")
    result = subprocess.run(
        [_script(), "--format", "json", "--no-cache", "fixtures/demo"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert document["summary"]["errors"] >= 1
    assert all(finding["file"].startswith("fixtures/demo/") for finding in document["findings"])
    module = subprocess.run(
        [sys.executable, "-m", "vpclint", "explain", "VPC203"], capture_output=True, text=True
    )
    assert module.returncode == 0 and "connected-overlap" in module.stdout


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.slow
def test_pre_commit_hook_checks_a_staged_file_against_the_whole_project(tmp_path: Path) -> None:
    """Through the real pre-commit: only peering.tf is staged, the overlap with vpcs.tf is found."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "infra"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "ci@example.com")
    _git(repo, "config", "user.name", "ci")
    (repo / "vpcs.tf").write_text(
        'resource "aws_vpc" "app" {\n  cidr_block = "10.10.0.0/16"\n}\n\n'
        'resource "aws_vpc" "shared" {\n  cidr_block = "10.10.128.0/20"\n}\n'
    )
    (repo / "notes.tf").write_text('resource "aws_vpc" "lab" {\n  cidr_block = "10.99.0.0/16"\n}\n')
    _git(repo, "add", "vpcs.tf", "notes.tf")
    _git(repo, "commit", "-qm", "vpcs")
    (repo / "peering.tf").write_text(
        'resource "aws_vpc_peering_connection" "app_shared" {\n'
        "  vpc_id      = aws_vpc.app.id\n  peer_vpc_id = aws_vpc.shared.id\n}\n"
    )
    _git(repo, "add", "peering.tf")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    pre_commit = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "vpclint"]
    staged = subprocess.run(
        [*pre_commit, "--files", "peering.tf"], cwd=repo, capture_output=True, text=True, env=env
    )
    output = staged.stdout + staged.stderr
    assert staged.returncode == 1, output
    assert "VPC203" in output and "aws_vpc_peering_connection.app_shared" in output
    unrelated = subprocess.run(
        [*pre_commit, "--files", "notes.tf"], cwd=repo, capture_output=True, text=True, env=env
    )
    assert unrelated.returncode == 0, unrelated.stdout + unrelated.stderr
    assert "VPC203" not in unrelated.stdout


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    """`vpclint --format sarif . | head -1`: the pipe closes while vpclint still writes."""
    process = subprocess.Popen(
        [sys.executable, "-m", "vpclint", "--no-cache", "--format", "sarif", "fixtures"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(1) == b"{"
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.wait(timeout=120)
    assert "Traceback" not in stderr and "internal error" not in stderr
