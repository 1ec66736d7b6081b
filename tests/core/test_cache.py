from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from vpclint import __version__
from vpclint.cache.store import CacheFolder, CacheRefused, ParseCache, signing_key


@pytest.fixture(autouse=True)
def private_key_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def test_round_trip_is_keyed_by_content_name_and_settings(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / ".vpclint_cache", "limits-a")
    key = cache.entry_key("terraform", b'resource "aws_vpc" "a" {}', "main.tf")
    assert cache.get(key) is None
    cache.put(key, {"parsed": [1, 2, 3]})
    assert cache.get(key) == {"parsed": [1, 2, 3]}
    assert key != cache.entry_key("terraform", b'resource "aws_vpc" "b" {}', "main.tf")
    assert key != cache.entry_key("terraform", b'resource "aws_vpc" "a" {}', "other.tf")
    assert key != ParseCache(tmp_path, "limits-b").entry_key(
        "terraform", b'resource "aws_vpc" "a" {}', "main.tf"
    )
    assert (tmp_path / ".vpclint_cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_an_entry_not_signed_with_the_users_key_is_never_unpickled(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / ".vpclint_cache", "")
    key = cache.entry_key("terraform", b"x", "main.tf")
    cache.put(key, "genuine")
    entry = tmp_path / ".vpclint_cache" / __version__ / key[:2] / key[2:]
    # A pickle that would run a command if loaded, committed by a hostile pull request.
    marker = tmp_path / "pwned"
    payload = b"cos\nsystem\n(S'touch " + str(marker).encode() + b"'\ntR."
    entry.write_bytes(b"\0" * 32 + payload)
    assert cache.get(key) is None
    assert not marker.exists()


def test_clean_removes_other_versions_and_stale_entries(tmp_path: Path) -> None:
    root = tmp_path / ".vpclint_cache"
    cache = ParseCache(root, "")
    fresh = cache.entry_key("t", b"fresh", "a.tf")
    stale = cache.entry_key("t", b"stale", "b.tf")
    cache.put(fresh, 1)
    cache.put(stale, 2)
    old = time.time() - 30 * 24 * 3600
    stale_path = root / __version__ / stale[:2] / stale[2:]
    os.utime(stale_path, (old, old))
    (root / "0.0.1" / "ab").mkdir(parents=True)
    (root / "0.0.1" / "ab" / "cdef").write_bytes(b"old version")
    assert cache.clean() == 2
    assert not (root / "0.0.1").exists() and not stale_path.exists()
    assert cache.get(fresh) == 1
    assert cache.clean() == 0, "cleaning runs at most once a day"


def test_unwritable_cache_only_costs_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("")
    cache = ParseCache(blocker / ".vpclint_cache", "")
    key = cache.entry_key("t", b"x", "a.tf")
    cache.put(key, 1)
    assert cache.get(key) is None


def test_a_cache_folder_or_key_of_another_user_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / ".vpclint_cache"
    root.mkdir()
    CacheFolder.open(root, tmp_path / "project")  # creates the key, owned by this user
    monkeypatch.setattr(os, "getuid", lambda: os.stat(root).st_uid + 1)
    with pytest.raises(CacheRefused, match="belongs to another user"):
        CacheFolder.open(root, tmp_path / "project")
    with pytest.raises(CacheRefused, match="not a file of the current user"):
        signing_key(tmp_path / "project")
    cache = ParseCache(root, "")  # used directly: every lookup misses, nothing is written
    key = cache.entry_key("t", b"x", "a.tf")
    cache.put(key, 1)
    assert cache.get(key) is None and not (root / __version__).exists()
