"""The parse stage gives the same results, in the same order, with any number of jobs."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpclint.evaluate import all_frontends
from vpclint.limits import Limits
from vpclint.parse.stage import ParsedFile, ParseStage

TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vpc{index}:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.{index}.0.0/16
  Server:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-{index}
"""

MODULE = """resource "aws_vpc" "v{index}" {{
  cidr_block = "10.{index}.0.0/16"
}}
resource "aws_instance" "web" {{
  ami = "ami-{index}"
}}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, str]]:
    root = tmp_path_factory.mktemp("many")
    files: list[tuple[Path, str]] = []
    for index in range(40):
        module = root / f"tf{index:02d}" / "main.tf"
        module.parent.mkdir()
        module.write_text(MODULE.format(index=index))
        template = root / f"stack{index:02d}.yaml"
        template.write_text(TEMPLATE.format(index=index))
        files += [(module, f"tf{index:02d}/main.tf"), (template, f"stack{index:02d}.yaml")]
    broken = root / "broken.tf"
    broken.write_text('resource "aws_vpc" "x" {\n  cidr_block = \n}\n')
    other = root / "compose.yaml"
    other.write_text("services:\n  web:\n    image: nginx\n")
    return [*files, (broken, "broken.tf"), (other, "compose.yaml")]


def _run(files: list[tuple[Path, str]], jobs: int) -> tuple[list[ParsedFile], list[int]]:
    seen: list[int] = []
    stage = ParseStage(
        all_frontends(), Limits(), jobs=jobs, progress=lambda done, total: seen.append(done)
    )
    return stage.run(files), seen


@pytest.mark.parametrize("jobs", [2, 3])
def test_many_jobs_give_the_results_of_one(project: list[tuple[Path, str]], jobs: int) -> None:
    expected, _ = _run(project, 1)
    results, progress = _run(project, jobs)
    assert results == expected
    assert [result.display for result in results] == [display for _, display in project]
    assert progress[-1] == len(project)
    frontends = [result.frontend for result in results]
    assert frontends.count("terraform") == 41 and frontends.count("cloudformation") == 40
    assert results[-1].frontend is None  # not a template: skipped silently
    assert results[-2].result.error is not None  # broken.tf is a VPC001, whichever job read it
