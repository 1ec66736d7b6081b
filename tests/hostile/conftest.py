"""Run the real vpclint in a subprocess on hostile input, with a time and memory bound."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Generous bounds for a slow, shared CI machine; a hang or a memory blow-up is far beyond them.
TIME_LIMIT_SECONDS = 60.0
MEMORY_LIMIT_MB = 600.0


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    @property
    def document(self) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(self.stdout)
        return document

    def codes(self) -> list[str]:
        return [finding["code"] for finding in self.document["findings"]]

    def findings(self, code: str) -> list[dict[str, Any]]:
        return [finding for finding in self.document["findings"] if finding["code"] == code]


def run_vpclint(
    *args: str, cwd: Path, extra_env: dict[str, str] | None = None, cache: bool = False
) -> Outcome:
    """``cache``: with the project's cache folder (the key in ``XDG_CACHE_HOME`` of
    ``extra_env`` when given; the default one lies inside ``cwd`` and would be refused)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd / ".user-cache"), **(extra_env or {})}
    command = [sys.executable, "-m", "vpclint", *(() if cache else ("--no-cache",)), *args]
    with (
        tempfile.TemporaryFile("w+") as out,
        tempfile.TemporaryFile("w+") as err,
        tempfile.NamedTemporaryFile("r") as peak,
    ):
        started = time.monotonic()
        # Through a small launcher: a child started straight from this process counts the test
        # process's own memory in its peak (Linux keeps the high-water mark across exec), and
        # pytest grows past the bound over a whole suite.
        launcher = [sys.executable, "-c", _LAUNCHER, peak.name, *command]
        process = subprocess.Popen(
            launcher, cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True
        )
        try:
            returncode = process.wait(timeout=TIME_LIMIT_SECONDS * 2)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            pytest.fail(f"vpclint did not finish within {TIME_LIMIT_SECONDS * 2:.0f} s")
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        peak_kb = float(peak.read() or "inf")
        return Outcome(returncode, out.read(), err.read(), seconds, peak_kb / 1024)


# Runs the command, writes the command's own peak memory (KiB) to the file named first, and
# exits with the command's exit code.
_LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as peak:
    peak.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def assert_contained(outcome: Outcome) -> None:
    """No traceback, no internal error, within time and memory."""
    assert "Traceback" not in outcome.stderr + outcome.stdout, outcome.stderr
    assert "internal error" not in outcome.stderr, outcome.stderr
    assert outcome.returncode in (0, 1), (outcome.returncode, outcome.stderr)
    assert outcome.seconds < TIME_LIMIT_SECONDS, f"took {outcome.seconds:.1f} s"
    assert outcome.peak_mb < MEMORY_LIMIT_MB, f"peak memory {outcome.peak_mb:.0f} MB"
