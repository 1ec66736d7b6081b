"""Issue 13, point 2 (and the key folder of point 6): the key that signs cache entries fails
closed. A planted entry is never unpickled under any key mishap, and a key that cannot be had
costs the cache, never the run."""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

import pytest

from tests.files import write
from tests.hostile.conftest import Outcome, assert_contained, run_vpclint
from vpclint import __version__
from vpclint.cache.results import ResultsCache
from vpclint.cache.store import CACHE_FOLDER, KEY_SIZE

NETWORK = """\
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write(tmp_path / "repo", {"main.tf": NETWORK, ".vpclint.toml": ""})


def lint(project: Path, user_cache: Path) -> Outcome:
    outcome = run_vpclint(
        "--format",
        "json",
        ".",
        cwd=project,
        cache=True,
        extra_env={"XDG_CACHE_HOME": str(user_cache)},
    )
    assert_contained(outcome)
    return outcome


def plant_signed_command(project: Path, key: bytes, marker: Path) -> None:
    """Commit, where the next run looks first, an entry that runs a command when unpickled,
    signed with ``key`` (which the attacker knows or guessed)."""
    previous = Path.cwd()
    os.chdir(project)
    try:
        slot = ResultsCache(project / CACHE_FOLDER, project).slot
    finally:
        os.chdir(previous)
    payload = b"cos\nsystem\n(S'touch " + str(marker).encode() + b"'\ntR."
    entry = project / CACHE_FOLDER / __version__ / slot[:2] / slot[2:]
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_bytes(hmac.new(key, payload, hashlib.sha256).digest() + payload)


@pytest.mark.parametrize("key", [b"", b"short-key", b"x" * (KEY_SIZE - 1)])
def test_a_short_key_is_replaced_and_never_used(project: Path, tmp_path: Path, key: bytes) -> None:
    user_cache = tmp_path / "user-cache"
    (user_cache / "vpclint").mkdir(parents=True)
    (user_cache / "vpclint" / "cache-key").write_bytes(key)
    marker = tmp_path / "pwned"
    plant_signed_command(project, key, marker)
    first = lint(project, user_cache)
    assert not marker.exists()
    replaced = (user_cache / "vpclint" / "cache-key").read_bytes()
    assert len(replaced) >= KEY_SIZE and replaced != key
    second = lint(project, user_cache)  # the new key signs what the first run stored
    assert (
        "0 parsed"
        in run_vpclint(
            "-v",
            "--var",
            "unused=1",
            ".",
            cwd=project,
            cache=True,
            extra_env={"XDG_CACHE_HOME": str(user_cache)},
        ).stderr
    ), "the new key verifies what the first run stored"
    assert first.codes() == second.codes()


def test_a_key_folder_inside_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    # A CI job that keeps XDG_CACHE_HOME in the checkout: the pull request commits the key.
    key = b"k" * KEY_SIZE
    write(project, {".cache/vpclint/cache-key": key.decode()})
    marker = tmp_path / "pwned"
    plant_signed_command(project, key, marker)
    outcome = lint(project, project / ".cache")
    assert not marker.exists()
    assert "the cache is not used for this run" in outcome.stderr
    assert "inside the linted project" in outcome.stderr
    assert not (project / CACHE_FOLDER / ".gitignore").exists(), "no cache was written"


def test_a_symlinked_key_is_refused_not_followed(project: Path, tmp_path: Path) -> None:
    key = b"k" * KEY_SIZE
    known = write(tmp_path / "elsewhere", {"known-key": key.decode()}) / "known-key"
    user_cache = tmp_path / "user-cache"
    (user_cache / "vpclint").mkdir(parents=True)
    (user_cache / "vpclint" / "cache-key").symlink_to(known)
    marker = tmp_path / "pwned"
    plant_signed_command(project, key, marker)
    outcome = lint(project, user_cache)
    assert not marker.exists()
    assert "signing key" in outcome.stderr and "is a symlink" in outcome.stderr
    assert known.read_bytes() == key


def test_even_the_right_key_unpickles_no_code(project: Path, tmp_path: Path) -> None:
    """Should the key leak, a signed entry still cannot name a function to call."""
    user_cache = tmp_path / "user-cache"
    lint(project, user_cache)
    key = (user_cache / "vpclint" / "cache-key").read_bytes()
    marker = tmp_path / "pwned"
    plant_signed_command(project, key, marker)
    outcome = lint(project, user_cache)
    assert not marker.exists()
    assert outcome.codes() == run_vpclint("--format", "json", ".", cwd=project).codes()


@pytest.mark.parametrize("filled", [False, True])
def test_an_unwritable_key_folder_costs_the_cache_not_the_run(
    project: Path, tmp_path: Path, filled: bool
) -> None:
    if filled:  # entries signed by another key: the run must not fail when it meets them
        lint(project, tmp_path / "other-user-cache")
    # A file where the key folder should be fails for root too, unlike a read-only mode.
    blocked = tmp_path / "read-only-home"
    blocked.write_text("")
    outcome = lint(project, blocked)
    assert outcome.stderr.count("the cache is not used for this run") == 1, outcome.stderr
    assert "signing key" in outcome.stderr
    uncached = run_vpclint("--format", "json", ".", cwd=project)
    assert (outcome.returncode, outcome.codes()) == (uncached.returncode, uncached.codes())


def test_the_restricted_loader_still_loads_what_runs_store(project: Path, tmp_path: Path) -> None:
    """Every entry a run writes comes back: a warm run after a settings change parses nothing."""
    user_cache = tmp_path / "user-cache"
    lint(project, user_cache)
    outcome = run_vpclint(
        "-v",
        "--var",
        "unused=1",
        ".",
        cwd=project,
        cache=True,
        extra_env={"XDG_CACHE_HOME": str(user_cache)},
    )
    assert "0 parsed, 1 from the parse cache" in outcome.stderr, outcome.stderr
