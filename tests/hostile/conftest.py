"""Run the real vpclint in a subprocess on hostile input, with a time and memory bound."""

from __future__ import annotations

import json
import os
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
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        deadline = started + TIME_LIMIT_SECONDS * 2
        while True:
            # wait4 gives this child's own peak memory, which Popen.wait() does not.
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                pytest.fail(f"vpclint did not finish within {TIME_LIMIT_SECONDS * 2:.0f} s")
            time.sleep(0.02)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return Outcome(process.returncode, out.read(), err.read(), seconds, usage.ru_maxrss / 1024)


def assert_contained(outcome: Outcome) -> None:
    """No traceback, no internal error, within time and memory."""
    assert "Traceback" not in outcome.stderr + outcome.stdout, outcome.stderr
    assert "internal error" not in outcome.stderr, outcome.stderr
    assert outcome.returncode in (0, 1), (outcome.returncode, outcome.stderr)
    assert outcome.seconds < TIME_LIMIT_SECONDS, f"took {outcome.seconds:.1f} s"
    assert outcome.peak_mb < MEMORY_LIMIT_MB, f"peak memory {outcome.peak_mb:.0f} MB"
