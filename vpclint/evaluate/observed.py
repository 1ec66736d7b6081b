"""What evaluation learnt from the file system beyond the discovered files' content.

Evaluation reads more than the parse results it is given: called module folders that discovery
did not cover, ``.terraform/modules/modules.json``, tfvars and parameter files named in the
configuration, ``file()`` targets, and symlinks through every ``resolve()``. A cached result of a
run is valid only while all of these still look the same, so evaluation reports each such fact
here, and the results cache records them and checks them again before reusing a result.

Outside a recording (:func:`recording`), the helpers only do the file-system call they wrap.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

# A fact: (kind, path) -> the state it had. Kinds: "file", "directory", "resolved", and
# "environment" (the path is a variable's name).
Facts = dict[tuple[str, str], str]

_MAX_HASHED_SIZE = 64 * 1024 * 1024

_current: ContextVar[Facts | None] = ContextVar("vpclint_observed_facts", default=None)


@contextmanager
def recording() -> Iterator[Facts]:
    """Collect the facts noted by evaluation inside the ``with`` block.

    Recordings nest: what an inner one collects (one unit of evaluation's facts) is also the
    enclosing one's (the whole run's).
    """
    facts: Facts = {}
    enclosing = _current.get()
    token = _current.set(facts)
    try:
        yield facts
    finally:
        _current.reset(token)
        if enclosing is not None:
            for key, state in facts.items():
                enclosing.setdefault(key, state)


def replay(facts: Facts) -> None:
    """Note facts recorded earlier (by a unit whose output is reused) in the current recording."""
    current = _current.get()
    if current is not None:
        for key, state in facts.items():
            current.setdefault(key, state)


def file_state(path: str) -> str:
    """Content digest of a regular file, or what stands at ``path`` instead."""
    try:
        info = os.stat(path)
    except OSError:
        return "missing"
    if stat.S_ISDIR(info.st_mode):
        return "directory"
    if not stat.S_ISREG(info.st_mode):
        return "other"
    if info.st_size > _MAX_HASHED_SIZE:
        return f"large:{info.st_size}:{info.st_mtime_ns}"
    try:
        with open(path, "rb") as handle:
            return content_state(handle.read())
    except OSError:
        return "unreadable"


# (size, mtime, ctime, inode, device) of a regular file: any write changes ctime at least.
StatKey = tuple[int, int, int, int, int]
KnownStates = dict[str, tuple[StatKey, str]]  # name -> (stat key, file_state) when taken
# A file whose times are this close to when its state was taken may have been written again
# within the file system's timestamp granularity (2 s on FAT) without a visible change.
_RACY_NANOSECONDS = 2_000_000_000


def file_states(
    files: Sequence[tuple[str, str]], known: Mapping[str, tuple[StatKey, str]], known_at: int
) -> tuple[dict[str, str], KnownStates]:
    """:func:`file_state` of each ``(path, name)``, by name, and the stat keys to pass as
    ``known`` to a later call, with the ``time.time_ns()`` taken just before this one as
    ``known_at``.

    A file is hashed again unless its stat key is the one ``known`` gives and its times are
    older than ``known_at`` by a safe margin, as git and make trust timestamps.
    """
    states: dict[str, str] = {}
    taken: KnownStates = {}
    trusted_before = known_at - _RACY_NANOSECONDS
    for path, name in files:
        try:
            info = os.stat(path)
        except OSError:
            states[name] = "missing"
            continue
        if not stat.S_ISREG(info.st_mode):
            states[name] = file_state(path)
            continue
        key = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
        previous = known.get(name)
        if (
            previous is not None
            and previous[0] == key
            and max(info.st_mtime_ns, info.st_ctime_ns) < trusted_before
        ):
            state = previous[1]
        else:
            # Read after the stat: a write in between changes ctime, so the next run
            # sees another key and reads the file again.
            state = file_state(path)
        states[name] = state
        taken[name] = (key, state)
    return states, taken


def content_state(data: bytes) -> str:
    """What :func:`file_state` says of a regular file with these bytes."""
    return "file:" + hashlib.sha256(data).hexdigest()


def directory_state(path: str) -> str:
    """The sorted names in a folder (with their kinds), or why there are none."""
    try:
        entries = sorted(
            (entry.name, entry.is_dir(), entry.is_symlink()) for entry in os.scandir(path)
        )
    except NotADirectoryError:
        return "not-a-directory"
    except OSError:
        return "missing"
    return hashlib.sha256(repr(entries).encode()).hexdigest()


def resolution_state(path: str) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):
        return "unresolvable"


def environment_state(name: str) -> str:
    """An environment variable's value (Terragrunt's get_env reads any), or that it is unset."""
    value = os.environ.get(name)
    return "unset" if value is None else "set:" + hashlib.sha256(value.encode()).hexdigest()


STATES = {
    "file": file_state,
    "directory": directory_state,
    "resolved": resolution_state,
    "environment": environment_state,
}


def still_true(facts: Facts) -> bool:
    """Whether every recorded fact still holds."""
    return all(STATES[kind](path) == state for (kind, path), state in facts.items())


def _note(kind: str, path: Path | str) -> None:
    facts = _current.get()
    if facts is None:
        return
    key = (kind, os.path.abspath(path))
    if key not in facts:
        facts[key] = STATES[kind](key[1])


def note_file(path: Path | str) -> None:
    """Evaluation reads (or checks the existence of) this file."""
    _note("file", path)


def note_directory(path: Path | str) -> None:
    """Evaluation lists this folder (or checks that it is one)."""
    _note("directory", path)


def resolve(path: Path) -> Path:
    """``path.resolve()``, remembering the answer (it depends on symlinks)."""
    facts = _current.get()
    if facts is None or ".." in path.parts:
        _note("resolved", path)
        return path.resolve()
    key = ("resolved", os.path.abspath(path))
    if key in facts:
        return path.resolve()
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        facts[key] = "unresolvable"
        raise
    # Without "..", the path and its absolute form resolve alike: the answer is the state.
    facts[key] = str(resolved)
    return resolved


def note_resolution(path: Path | str) -> None:
    """Evaluation resolves this path indirectly (``display_path()`` does)."""
    _note("resolved", path)


def note_environment(name: str) -> None:
    """Evaluation reads this environment variable (Terragrunt's ``get_env``)."""
    facts = _current.get()
    if facts is not None and ("environment", name) not in facts:
        facts[("environment", name)] = environment_state(name)
