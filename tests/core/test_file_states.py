"""A warm run hashes only the files whose stat changed, and never misses an edit for it
(vpclint.evaluate.observed.file_states)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from vpclint.evaluate.observed import KnownStates, content_state, file_states

LONG_AGO = 10 * 1_000_000_000  # how much later than the file's times the last run took them


def states_of(path: Path, known: KnownStates, known_at: int) -> tuple[dict[str, str], KnownStates]:
    return file_states([(str(path), "main.tf")], known, known_at)


def test_an_unchanged_file_keeps_the_state_the_last_run_took(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text('cidr = "10.0.0.0/16"\n')
    states, known = states_of(path, {}, 0)
    assert states == {"main.tf": content_state(path.read_bytes())}
    # Told the file was hashed long after its last write, the next run trusts the recorded
    # state: the one given here stands for it, to show that the file is not read again.
    key, _ = known["main.tf"]
    later = time.time_ns() + LONG_AGO
    states, _ = states_of(path, {"main.tf": (key, "file:recorded")}, later)
    assert states == {"main.tf": "file:recorded"}


def test_a_file_written_just_before_its_state_was_taken_is_hashed_again(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text('cidr = "10.0.0.0/16"\n')
    _, known = states_of(path, {}, 0)
    key, _ = known["main.tf"]
    # Written within the timestamp granularity of the last run: a second write in that tick
    # could have left the stat as it was.
    states, _ = states_of(path, {"main.tf": (key, "file:recorded")}, time.time_ns())
    assert states == {"main.tf": content_state(path.read_bytes())}


def test_an_edit_that_keeps_size_and_modification_time_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text('cidr = "10.0.0.0/16"\n')
    before = path.stat()
    _, known = states_of(path, {}, 0)
    time.sleep(0.01)
    path.write_text('cidr = "10.9.0.0/16"\n')  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same modification time
    states, _ = states_of(path, known, time.time_ns() + LONG_AGO)
    assert states == {"main.tf": content_state(b'cidr = "10.9.0.0/16"\n')}


def test_a_missing_file_or_a_folder_has_no_content_state(tmp_path: Path) -> None:
    states, known = file_states(
        [(str(tmp_path / "gone.tf"), "gone.tf"), (str(tmp_path), "folder")], {}, 0
    )
    assert states == {"gone.tf": "missing", "folder": "directory"}
    assert known == {}
