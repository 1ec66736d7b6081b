"""The README's install and pre-commit recipes, run as written, with a local clone of this
repository standing in for its GitHub address."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PUBLIC_URL = "https://github.com/vpclint/vpclint"

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _section(heading: str) -> str:
    return README.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository as pre-commit and pip would fetch it: a clone, with every commit."""
    target = tmp_path_factory.mktemp("clone") / "vpclint"
    _git(ROOT, "clone", "-q", "--no-local", str(ROOT), str(target))
    return target


def test_the_pinned_revision_is_one_commit_of_this_repository(clone: Path) -> None:
    revisions = set(re.findall(r"vpclint(?:\.git)?@([0-9a-f]{40})|rev: ([0-9a-f]{40})", README))
    pinned = {value for pair in revisions for value in pair if value}
    assert len(pinned) == 1, f"one pinned commit throughout the README, found {pinned}"
    [revision] = pinned
    assert _git(clone, "cat-file", "-t", revision).strip() == "commit"
    hooks = _git(clone, "show", f"{revision}:.pre-commit-hooks.yaml")
    assert "- id: vpclint\n" in hooks and "- id: vpclint-project\n" in hooks


@needs_git
@pytest.mark.slow
def test_the_pre_commit_snippet_works_as_written(clone: Path, tmp_path: Path) -> None:
    [snippet] = re.findall(r"```yaml\n(repos:\n.*?)```", _section("pre-commit"), re.DOTALL)
    assert PUBLIC_URL in snippet
    repo = tmp_path / "infra"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "ci@example.com")
    _git(repo, "config", "user.name", "ci")
    (repo / ".pre-commit-config.yaml").write_text(snippet.replace(PUBLIC_URL, clone.as_uri()))
    (repo / "vpcs.tf").write_text(
        'resource "aws_vpc" "app" {\n  cidr_block = "10.10.0.0/16"\n}\n\n'
        'resource "aws_vpc" "shared" {\n  cidr_block = "10.10.128.0/20"\n}\n'
    )
    _git(repo, "add", ".")
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
    env.pop("PYTHONPATH", None)
    hook = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
    )
    output = hook.stdout + hook.stderr
    assert hook.returncode == 1, output
    assert "VPC203" in output and "aws_vpc_peering_connection.app_shared" in output


@needs_git
def test_pip_install_from_the_git_url_as_written(clone: Path, tmp_path: Path) -> None:
    [command] = re.findall(r"pip install (git\+https://github\.com/\S+)", _section("Quick start"))
    url = command.replace(f"git+{PUBLIC_URL}", f"git+{clone.as_uri()}")
    target = tmp_path / "site"
    # Without dependencies (they are this environment's): what is tested is that the URL and
    # revision install vpclint, not PyPI.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            url,
        ],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    version = subprocess.run(
        [sys.executable, "-m", "vpclint", "rules"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert version.returncode == 0, version.stderr
    assert "VPC203  connected-overlap" in version.stdout
