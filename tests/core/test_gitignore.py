"""Discovery skips what git ignores, with ``git check-ignore`` as the oracle for the patterns."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.files import write
from vpclint.discover.walk import discover

NETWORK = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n'

# The common cases: a name anywhere, an anchored path, a folder-only pattern, `**`, a character
# class, a negation, a deeper file overriding an outer one, and a folder that cannot be
# re-included into.
GITIGNORES = {
    ".gitignore": "\n".join(
        [
            "# generated",
            "*.generated.tf",
            "/root-only.tf",
            "build/",
            "**/cache/**",
            "env-[0-9].tf",
            "*.tfvars",
            "!keep.tfvars",
            "vendor",
            "!vendor/inner.tf",
            "docs/*.yaml",
            r"\#literal.tf",
            "trailing.tf   ",
        ]
    )
    + "\n",
    "modules/.gitignore": "!b.generated.tf\nlocal.tf\n/anchored.tf\n",
}
FILES = [
    "main.tf",
    "a.generated.tf",
    "root-only.tf",
    "sub/root-only.tf",
    "build/out.tf",
    "sub/build/out.tf",
    "x/cache/y/z.tf",
    "env-1.tf",
    "env-a.tf",
    "prod.tfvars",
    "keep.tfvars",
    "vendor/inner.tf",
    "vendor/other.tf",
    "docs/a.yaml",
    "docs/deep/b.yaml",
    "#literal.tf",
    "trailing.tf",
    "modules/b.generated.tf",
    "modules/c.generated.tf",
    "modules/local.tf",
    "local.tf",
    "modules/anchored.tf",
    "modules/deeper/anchored.tf",
]

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write(tmp_path, {**GITIGNORES, **{name: NETWORK for name in FILES}})
    return tmp_path


def git_ignored(repository: Path) -> set[str]:
    checked = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        cwd=repository,
        input="\n".join(FILES) + "\n",
        capture_output=True,
        text=True,
    )
    assert checked.returncode in (0, 1), checked.stderr
    return set(checked.stdout.split("\n")) - {""}


def discovered(repository: Path, *, respect_gitignore: bool = True) -> set[str]:
    found = discover([repository], repository, respect_gitignore=respect_gitignore)
    return {path.relative_to(repository).as_posix() for path in found}


@needs_git
def test_discovery_skips_exactly_what_git_check_ignore_ignores(repository: Path) -> None:
    ignored = git_ignored(repository)
    assert {"a.generated.tf", "build/out.tf", "modules/local.tf", "vendor/inner.tf"} <= ignored
    assert {"keep.tfvars", "modules/b.generated.tf", "main.tf"}.isdisjoint(ignored)
    assert discovered(repository) == set(FILES) - ignored


@needs_git
def test_git_info_exclude_counts_and_the_option_turns_it_all_off(repository: Path) -> None:
    (repository / ".git" / "info").mkdir(exist_ok=True)
    (repository / ".git" / "info" / "exclude").write_text("main.tf\n")
    ignored = git_ignored(repository)
    assert "main.tf" in ignored
    assert discovered(repository) == set(FILES) - ignored
    assert discovered(repository, respect_gitignore=False) == set(FILES)
