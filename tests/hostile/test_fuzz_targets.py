"""The atheris fuzz targets still start, load their seeds and run (only where atheris is
installed: ``pip install -e '.[fuzz]'``; it compiles natively, so the test extra leaves it out)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.parametrize("target", ["hcl", "cloudformation", "tfjson"])
def test_fuzz_target_runs_its_seeds_and_some_mutations(target: str, tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    result = subprocess.run(
        [sys.executable, "-m", f"fuzz.{target}", "-runs=30", f"-artifact_prefix={tmp_path}/"],
        cwd=REPOSITORY,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    done = re.search(r"Done (\d+) runs", result.stderr)  # the seeds count as runs too
    assert done and int(done.group(1)) >= 30, result.stderr[-1000:]
    seeded = [line for line in result.stderr.splitlines() if "files found in" in line]
    assert seeded and int(seeded[0].split("INFO:")[1].split()[0]) >= 3, seeded
