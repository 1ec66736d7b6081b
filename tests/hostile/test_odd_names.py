"""Issue 13, point 6: odd names crash nothing.

A path component over 255 bytes (which the file system refuses with ENAMETOOLONG) in a module
source or a ``file()``/``fileexists()`` argument is one finding, and every other finding is still
reported. A file name that is not UTF-8 is written escaped (``\\xff``) in every format, on
standard output and with ``-o``, and the caches take it too.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from tests.files import write
from tests.hostile.conftest import assert_contained, run_vpclint
from vpclint.cli import main

OWN_VPC = 'resource "aws_vpc" "own" {\n  cidr_block = "10.0.0.0/16"\n}\n'
LONG = "a" * 300


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return write(tmp_path, {"main.tf": OWN_VPC})


def _own_vpc_still_reported(codes: list[tuple[str, str]]) -> None:
    assert ("VPC301", "main.tf") in codes


@pytest.mark.parametrize(
    ("expression", "function"),
    [
        (f'fileexists("{LONG}") ? "10.1.0.0/16" : "10.2.0.0/16"', "fileexists"),
        (f'trimspace(file("{LONG}/cidr.txt"))', "file"),
    ],
)
def test_a_file_function_on_a_too_long_name_is_unknown(
    project: Path, expression: str, function: str
) -> None:
    write(project, {"odd.tf": f'resource "aws_vpc" "odd" {{\n  cidr_block = {expression}\n}}\n'})

    outcome = run_vpclint("--format", "json", ".", cwd=project)

    assert_contained(outcome)
    (unknown,) = outcome.findings("VPC004")
    assert (unknown["file"], unknown["resource"]) == ("odd.tf", "aws_vpc.odd")
    assert unknown["message"].startswith(f"CIDR cannot be resolved statically: {function}()")
    assert unknown["message"].endswith("File name too long")
    _own_vpc_still_reported([(item["code"], item["file"]) for item in outcome.document["findings"]])


def test_a_module_source_with_a_too_long_name_is_not_analysed(project: Path) -> None:
    write(project, {"odd.tf": f'module "odd" {{\n  source = "./{LONG}"\n}}\n'})

    outcome = run_vpclint("--format", "json", ".", cwd=project)

    assert_contained(outcome)
    (finding,) = outcome.findings("VPC005")
    assert (finding["file"], finding["line"]) == ("odd.tf", 1)
    assert finding["message"] == f"module 'odd' source ./{LONG} cannot be read: File name too long"
    _own_vpc_still_reported([(item["code"], item["file"]) for item in outcome.document["findings"]])


@pytest.fixture
def undecodable(project: Path) -> Path:
    # b"\xff" is no UTF-8: Python names the file "\udcff.tf" (surrogateescape).
    with open(os.path.join(os.fsencode(project), b"\xff.tf"), "wb") as handle:
        handle.write(b'resource "aws_vpc" "odd" {\n  cidr_block = "10.1.0.1/16"\n}\n')
    return project


@pytest.mark.parametrize("output_format", ["text", "github", "json", "sarif"])
@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "output-file"])
def test_an_undecodable_file_name_is_written_escaped(
    undecodable: Path, output_format: str, to_file: bool
) -> None:
    target = ["-o", "../report.out"] if to_file else []
    outcome = run_vpclint(
        "--format",
        output_format,
        *target,
        ".",
        cwd=undecodable,
        # Strict UTF-8 on standard output, as in a UTF-8 locale or a CI log.
        extra_env={"PYTHONIOENCODING": "utf-8"},
    )

    assert_contained(outcome)
    written = (undecodable.parent / "report.out").read_bytes() if to_file else outcome.stdout
    text = written.decode("utf-8") if isinstance(written, bytes) else written
    # The escape is the same in every format: JSON and SARIF carry the backslash as text.
    escape = "\\\\xff.tf" if output_format in ("json", "sarif") else "\\xff.tf"
    assert escape in text, text
    assert "\udcff" not in text and "\\udcff" not in text
    assert "10.1.0.1/16" in text  # its VPC003 is reported with the escaped name
    assert "main.tf" in text


def test_an_undecodable_file_name_goes_through_the_caches(
    undecodable: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(undecodable)
    monkeypatch.setenv("XDG_CACHE_HOME", str(undecodable / ".user-cache"))
    arguments = ["--cache-dir", str(undecodable / ".cache"), "."]
    outputs = []
    for _ in ("cold", "warm"):
        out = io.StringIO()
        assert main(arguments, stdout=out) == 0
        outputs.append(out.getvalue())

    assert outputs[0] == outputs[1]
    assert "\\xff.tf:2:3: VPC003" in outputs[1]
