"""A NUL byte in a YAML template is VPC001 at its own line and column, wherever it is in the
file (the binary-file check reads the first 8 KiB, libyaml's reader the rest), and the other
files are still linted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.conftest import assert_contained, run_vpclint

GOOD = (
    "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n"
    "      CidrBlock: 10.0.0.0/16\n  Twin:\n    Type: AWS::EC2::VPC\n    Properties:\n"
    "      CidrBlock: 10.0.0.0/16\n"
)


@pytest.mark.parametrize("padding", [0, 20_000], ids=["in-the-first-8-KiB", "after-8-KiB"])
@pytest.mark.parametrize("before", ["", "é€ "], ids=["ascii", "multibyte-before-it"])
def test_a_nul_byte_is_reported_at_its_line_and_column(
    tmp_path: Path, padding: int, before: str
) -> None:
    comment = f"# {'x' * padding}\n" if padding else ""
    text = (
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        + comment
        + "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n"
        + f'      CidrBlock: "{before}10.0.\x000.0/16"\n'
    )
    (tmp_path / "nul.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    outcome = run_vpclint("--format", "json", ".", cwd=tmp_path)
    assert_contained(outcome)
    [error] = outcome.findings("VPC001")
    assert error["file"] == "nul.yaml"
    assert error["line"] == text.count("\n", 0, text.index("\x00")) + 1
    assert error["column"] == len('      CidrBlock: "') + len(before) + len("10.0.") + 1
    assert [finding["file"] for finding in outcome.findings("VPC204")] == ["good.yaml"]
