"""Every input the fuzzers or the property tests broke vpclint with, linted by the real CLI.

Each file in ``regressions/`` is one such input, kept as found (or shortened by hand). Its name
says what went wrong; ``.tfvars`` files are linted with the variables they give values to.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.soundness import COMPANION_TF, assert_sound, lint_folder, write_project

REGRESSIONS = Path(__file__).parent / "regressions"
CASES = sorted(path for path in REGRESSIONS.iterdir() if path.is_file())


def _project_files(case: Path) -> dict[str, bytes]:
    data = case.read_bytes()
    if case.name.endswith(".tfvars"):
        return {"main.tf": COMPANION_TF.read_bytes(), "terraform.tfvars": data}
    if case.name.endswith(".tfvars.json"):
        return {"main.tf": COMPANION_TF.read_bytes(), "terraform.tfvars.json": data}
    return {case.name: data}


def test_there_are_regression_inputs() -> None:
    assert CASES


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_regression_input_is_linted_without_a_crash(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _project_files(case)
    write_project(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    _, document, _ = lint_folder(Path("."))
    assert_sound(document, files)
