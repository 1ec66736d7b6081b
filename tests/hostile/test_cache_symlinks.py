"""Issue 13, point 1 (and the temp files of point 8): a repository commits ``.vpclint_cache/``
with symlinks in it pointing outside the project, and vpclint neither deletes, writes, creates
nor reads through any of them. Each test lints a real project with the real CLI and its cache."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.files import write
from tests.hostile.conftest import Outcome, assert_contained, run_vpclint
from vpclint import __version__
from vpclint.cache.results import ResultsCache
from vpclint.cache.store import CACHE_FOLDER

NETWORK = """\
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
"""
HEX = "0123456789abcdef"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write(tmp_path / "repo", {"main.tf": NETWORK, ".vpclint.toml": ""})


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder of the user's, outside the project, with a file they care about."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "precious.txt").write_text("keep me\n")
    old = time.time() - 30 * 24 * 3600  # older than any stale-entry age
    os.utime(folder / "precious.txt", (old, old))
    return folder


def lint(project: Path, tmp_path: Path) -> Outcome:
    outcome = run_vpclint(
        "--format",
        "json",
        ".",
        cwd=project,
        cache=True,
        extra_env={"XDG_CACHE_HOME": str(tmp_path / "user-cache")},
    )
    assert_contained(outcome)
    return outcome


def reference(project: Path) -> list[str]:
    """What a run without cache reports."""
    return run_vpclint("--format", "json", ".", cwd=project).codes()


def untouched(outside: Path) -> bool:
    return sorted(path.name for path in outside.iterdir()) == ["precious.txt"] and (
        (outside / "precious.txt").read_text() == "keep me\n"
    )


def test_clean_up_never_empties_a_symlinked_version_folder(
    project: Path, outside: Path, tmp_path: Path
) -> None:
    (project / CACHE_FOLDER).mkdir()
    (project / CACHE_FOLDER / "0.0.1").symlink_to(outside)
    outcome = lint(project, tmp_path)
    assert untouched(outside)
    assert outcome.codes() == reference(project)


def test_entries_are_never_written_into_symlinked_entry_folders(
    project: Path, outside: Path, tmp_path: Path
) -> None:
    version = project / CACHE_FOLDER / __version__
    version.mkdir(parents=True)
    for first in HEX:
        for second in HEX:
            (version / (first + second)).symlink_to(outside)
    first_run = lint(project, tmp_path)
    (project / "main.tf").write_text(NETWORK + "# an edit\n")
    second_run = lint(project, tmp_path)  # the clean-up and the reads meet the links too
    assert untouched(outside)
    assert first_run.codes() == second_run.codes() == reference(project)


def test_a_symlinked_version_folder_is_neither_written_through_nor_read(
    project: Path, outside: Path, tmp_path: Path
) -> None:
    (project / CACHE_FOLDER).mkdir()
    (project / CACHE_FOLDER / __version__).symlink_to(outside, target_is_directory=True)
    lint(project, tmp_path)
    lint(project, tmp_path)
    assert untouched(outside)


def test_the_tag_and_gitignore_are_never_written_through_symlinks(
    project: Path, outside: Path, tmp_path: Path
) -> None:
    (project / CACHE_FOLDER).mkdir()
    (project / CACHE_FOLDER / "CACHEDIR.TAG").symlink_to(outside / "precious.txt")
    (project / CACHE_FOLDER / ".gitignore").symlink_to(outside / "created-by-vpclint")
    lint(project, tmp_path)
    assert untouched(outside)


@pytest.mark.parametrize("planted", ["symlink to /dev/zero", "fifo", "symlink outside"])
def test_an_entry_that_is_no_regular_file_is_a_miss_not_a_read(
    project: Path,
    outside: Path,
    tmp_path: Path,
    planted: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(project)
    key = ResultsCache(project / CACHE_FOLDER, project).slot  # computable by anyone
    entry = project / CACHE_FOLDER / __version__ / key[:2] / key[2:]
    entry.parent.mkdir(parents=True)
    if planted == "fifo":
        os.mkfifo(entry)
    elif planted == "symlink outside":
        entry.symlink_to(outside / "precious.txt")
    else:
        entry.symlink_to("/dev/zero")
    outcome = lint(project, tmp_path)  # before: a hang on the FIFO, MemoryError on /dev/zero
    assert outcome.codes() == reference(project)
    assert untouched(outside)


def test_a_cache_folder_that_is_a_symlink_is_refused_with_one_line(
    project: Path, outside: Path, tmp_path: Path
) -> None:
    (project / CACHE_FOLDER).symlink_to(outside, target_is_directory=True)
    outcome = lint(project, tmp_path)
    assert untouched(outside)
    refusals = [line for line in outcome.stderr.splitlines() if "cache" in line]
    assert len(refusals) == 1 and "is a symlink" in refusals[0], outcome.stderr
    assert outcome.codes() == reference(project)


def test_a_temp_file_left_by_a_killed_run_is_removed_and_never_read(
    project: Path, tmp_path: Path
) -> None:
    lint(project, tmp_path)
    version = project / CACHE_FOLDER / __version__
    folder = next(path for path in version.iterdir() if path.is_dir())
    # What SIGKILL between the temp file's creation and its rename leaves behind.
    left = folder / ".tmp-killed"
    left.write_bytes(b"half an entry")
    old = time.time() - 2 * 24 * 3600
    os.utime(left, (old, old))
    (project / CACHE_FOLDER / ".last-clean").unlink(missing_ok=True)  # the daily clean-up is due
    (project / "main.tf").write_text(NETWORK + "# an edit, so the run parses\n")
    outcome = lint(project, tmp_path)
    assert not left.exists()
    assert not list((project / CACHE_FOLDER).rglob(".tmp-*"))
    assert outcome.codes() == reference(project)


@pytest.mark.parametrize("planted", ["fifo", "symlink"])
def test_a_planted_clean_up_marker_neither_stalls_nor_is_followed(
    project: Path, outside: Path, tmp_path: Path, planted: str
) -> None:
    marker = project / CACHE_FOLDER / ".last-clean"
    marker.parent.mkdir()
    if planted == "fifo":
        os.mkfifo(marker)
    else:
        marker.symlink_to(outside / "precious.txt")
    outcome = lint(project, tmp_path)
    assert untouched(outside)
    assert outcome.codes() == reference(project)
