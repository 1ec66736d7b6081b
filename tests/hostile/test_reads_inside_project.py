"""Issue 13, point 3: vpclint reads only inside the project, judged by each path's real path.

A pull request may commit symlinks, module sources and a ``.terraform/modules/modules.json``
that lead out of the checkout. None is followed: each is a VPC005 finding naming it (or, for
``file()`` and friends, an unknown value with the reason), and the other files are still linted.
Every project sits next to an ``outside`` folder holding a network that must never be reported.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.files import write
from tests.hostile.conftest import TIME_LIMIT_SECONDS, Outcome, assert_contained, run_vpclint
from vpclint.cli import main

OWN_VPC = 'resource "aws_vpc" "own" {\n  cidr_block = "10.0.0.0/16"\n}\n'
SECRET_CIDR = "10.99.0.0/16"
SECRET_VPC = f'resource "aws_vpc" "secret" {{\n  cidr_block = "{SECRET_CIDR}"\n}}\n'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "outside", {"secret.tf": SECRET_VPC, "cidr.txt": SECRET_CIDR + "\n"})
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    write(root, {"main.tf": OWN_VPC})
    return root


def _lint(root: Path) -> Outcome:
    outcome = run_vpclint("--format", "json", ".", cwd=root)
    assert_contained(outcome)
    assert "aws_vpc.secret" not in outcome.stdout and SECRET_CIDR not in outcome.stdout
    # The project's own file is linted as usual.
    assert any(finding["file"] == "main.tf" for finding in outcome.findings("VPC301"))
    return outcome


def _not_analysed(outcome: Outcome) -> list[tuple[str, int, str]]:
    return [(item["file"], item["line"], item["message"]) for item in outcome.findings("VPC005")]


def test_a_symlinked_file_leaving_the_project_is_reported_not_read(project: Path) -> None:
    os.symlink("../outside/secret.tf", project / "leak.tf")

    outcome = _lint(project)

    assert _not_analysed(outcome) == [
        (
            "leak.tf",
            1,
            "symlinked file points outside the project (../outside/secret.tf); not followed",
        )
    ]


def test_a_symlinked_folder_leaving_the_project_is_reported_not_walked(project: Path) -> None:
    (project / "live").mkdir()
    os.symlink("../../outside", project / "live" / "shared")

    outcome = _lint(project)

    assert _not_analysed(outcome) == [
        (
            "live/shared",
            1,
            "symlinked folder points outside the project (../../outside); not followed",
        )
    ]


def test_an_excluded_symlink_is_not_reported(project: Path) -> None:
    os.symlink("../outside/secret.tf", project / "leak.tf")
    (project / ".vpclint.toml").write_text('exclude = ["leak.tf"]\n', encoding="utf-8")

    assert _not_analysed(_lint(project)) == []


def test_a_module_source_leaving_the_project_is_reported_at_the_call(project: Path) -> None:
    (project / "main.tf").write_text(
        'module "shared" {\n  source = "../outside"\n}\n\n' + OWN_VPC, encoding="utf-8"
    )

    outcome = _lint(project)

    assert _not_analysed(outcome) == [
        ("main.tf", 1, "module 'shared' source ../outside is outside the project; not read")
    ]


def test_a_module_folder_symlinked_out_of_the_project_is_not_read(project: Path) -> None:
    (project / "main.tf").write_text(
        'module "shared" {\n  count  = 3\n  source = "./shared"\n}\n\n' + OWN_VPC,
        encoding="utf-8",
    )
    os.symlink("../outside", project / "shared")

    outcome = _lint(project)

    # Once for the call (not once per instance), once for the link itself.
    assert sorted(_not_analysed(outcome)) == [
        ("main.tf", 1, "module 'shared' source ./shared is outside the project; not read"),
        ("shared", 1, "symlinked folder points outside the project (../outside); not followed"),
    ]


def test_a_symlinked_file_in_a_called_module_folder_is_not_read(project: Path) -> None:
    # A folder discovery skips (.terraform) is read when a module call names it: its files
    # are checked there too.
    (project / "main.tf").write_text(
        'module "vendored" {\n  source = "./.terraform/vendored"\n}\n\n' + OWN_VPC,
        encoding="utf-8",
    )
    write(project / ".terraform" / "vendored", {"ok.tf": ""})
    os.symlink("../../../outside/secret.tf", project / ".terraform" / "vendored" / "leak.tf")

    outcome = _lint(project)

    assert _not_analysed(outcome) == [
        (
            ".terraform/vendored/leak.tf",
            1,
            "symlinked file points outside the project (../../../outside/secret.tf); not followed",
        )
    ]


def test_a_modules_json_folder_outside_the_project_is_not_read(project: Path) -> None:
    (project / "main.tf").write_text(
        'module "vpc" {\n  source = "example/vpc/aws"\n}\n\n' + OWN_VPC, encoding="utf-8"
    )
    write(
        project / ".terraform" / "modules",
        {"modules.json": '{"Modules": [{"Key": "vpc", "Source": "x", "Dir": "../outside"}]}'},
    )

    outcome = _lint(project)

    assert _not_analysed(outcome) == [
        (
            "main.tf",
            1,
            "module 'vpc': .terraform/modules/modules.json places it in ../outside, outside "
            "the project; not read",
        )
    ]


@pytest.mark.parametrize(
    "expression",
    [
        'trimspace(file("../outside/cidr.txt"))',
        'trimspace(file("link.txt"))',
        'fileexists("link.txt") ? "10.1.0.0/16" : "10.2.0.0/16"',
    ],
)
def test_file_functions_leaving_the_project_are_unknown(project: Path, expression: str) -> None:
    os.symlink("../outside/cidr.txt", project / "link.txt")
    (project / "main.tf").write_text(
        f'resource "aws_vpc" "read" {{\n  cidr_block = {expression}\n}}\n\n' + OWN_VPC,
        encoding="utf-8",
    )

    outcome = _lint(project)

    (unknown,) = outcome.findings("VPC004")
    assert "refers to a file outside the project" in unknown["message"]
    assert unknown["resource"] == "aws_vpc.read"


def test_a_warm_run_reports_a_symlink_added_since_the_last_run(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    monkeypatch.setenv("XDG_CACHE_HOME", str(project.parent / "user-cache"))
    arguments = ["--format", "json", "--cache-dir", str(project.parent / "cache"), "."]
    before = io.StringIO()
    assert main(arguments, stdout=before) == 0
    os.symlink("../outside/secret.tf", project / "leak.tf")

    after = io.StringIO()
    main(arguments, stdout=after)

    assert '"code": "VPC005"' not in before.getvalue()
    assert '"code": "VPC005"' in after.getvalue() and "leak.tf" in after.getvalue()


def _without_permission_override() -> list[str]:
    """How to run a command that folder permissions apply to: as is, or for root (which they
    do not stop) without the two capabilities that let it read any folder."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a folder's permissions cannot stop a read")
    dropped = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={dropped}", f"--bounding-set={dropped}"]


def test_an_unreadable_folder_is_reported_and_the_rest_linted(project: Path) -> None:
    write(project / "locked", {"vpc.tf": SECRET_VPC.replace("secret", "locked")})
    (project / "locked").chmod(0)
    command = [sys.executable, "-m", "vpclint", "--no-cache", "--format", "json", "."]
    try:
        completed = subprocess.run(
            [*_without_permission_override(), *command],
            cwd=project,
            env={**os.environ, "XDG_CACHE_HOME": str(project.parent / "user-cache")},
            capture_output=True,
            text=True,
            timeout=TIME_LIMIT_SECONDS,
            check=False,
        )
    finally:
        (project / "locked").chmod(0o755)
    outcome = Outcome(completed.returncode, completed.stdout, completed.stderr, 0.0, 0.0)

    assert_contained(outcome)
    assert _not_analysed(outcome) == [("locked", 1, "folder cannot be read: Permission denied")]
    assert any(finding["file"] == "main.tf" for finding in outcome.findings("VPC301"))
