"""Every input that once crashed, hung or exhausted vpclint, linted by the real CLI.

Each file in ``regressions/`` is one such input, found by the fuzzers, the property tests or
hostile probing, kept as found or shortened by hand; its name says what it does. ``.tfvars``
files are linted with the variables they give values to; a folder is a whole project. Each run
is a subprocess with the hostile suite's time and memory bounds: several of these used to hang.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.conftest import assert_contained, run_vpclint
from tests.hostile.soundness import COMPANION_TF, assert_sound, write_project

REGRESSIONS = Path(__file__).parent / "regressions"
CASES = sorted(REGRESSIONS.iterdir())


def _project_files(case: Path) -> dict[str, bytes]:
    if case.is_dir():
        return {
            path.relative_to(case).as_posix(): path.read_bytes()
            for path in sorted(case.rglob("*"))
            if path.is_file()
        }
    data = case.read_bytes()
    if case.name.endswith(".tfvars"):
        return {"main.tf": COMPANION_TF.read_bytes(), "terraform.tfvars": data}
    if case.name.endswith(".tfvars.json"):
        return {"main.tf": COMPANION_TF.read_bytes(), "terraform.tfvars.json": data}
    return {case.name: data}


def test_there_are_regression_inputs() -> None:
    assert CASES


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_regression_input_is_linted_without_a_crash(case: Path, tmp_path: Path) -> None:
    files = _project_files(case)
    write_project(tmp_path, files)
    outcome = run_vpclint("--format", "json", "--no-config", ".", cwd=tmp_path)
    assert_contained(outcome)
    assert_sound(outcome.document, files)
