"""Every path is relative to the current folder, also for a project file above it (the project
root is the git top level above the current folder)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.files import write


def test_paths_above_the_current_folder_are_relative_to_it(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "envs/prod/main.tf": 'module "vpc" {\n  source = "../../modules/vpc"\n}\n',
            "modules/vpc/main.tf": 'resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/33"\n}\n',
        },
    )
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)

    completed = subprocess.run(
        [sys.executable, "-m", "vpclint", "--no-cache", "--format", "json", "."],
        cwd=tmp_path / "envs" / "prod",
        capture_output=True,
        text=True,
        check=False,
    )

    files = {finding["file"] for finding in json.loads(completed.stdout)["findings"]}
    assert files == {"../../modules/vpc/main.tf"}, completed.stderr
