"""Linting a folder in-process through the command line, and what every run's output must hold."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vpclint.check.registry import all_rules
from vpclint.cli import main

KNOWN_CODES = frozenset(rule.code for rule in all_rules())
COMPANION_TF = Path(__file__).resolve().parents[2] / "fuzz" / "seeds" / "companion" / "variables.tf"


def line_count(data: bytes) -> int:
    """Lines as an editor shows them (CRLF and CR count as one break; the end of the file after
    a final newline is a line too, where "unexpected end of file" is reported)."""
    text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def lint_folder(root: Path, *extra: str) -> tuple[int, dict[str, Any], str]:
    """``vpclint --format json --no-cache ROOT``: exit code, parsed report, stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["--format", "json", "--no-cache", "--no-config", *extra, str(root)], out, err)
    assert code in (0, 1), f"exit {code}: {err.getvalue()}"
    assert "Traceback" not in err.getvalue(), err.getvalue()
    document = json.loads(out.getvalue())
    return code, document, err.getvalue()


def assert_sound(document: Mapping[str, Any], files: Mapping[str, bytes]) -> None:
    """Known codes, no rule crashed, and each finding inside the file it names."""
    lines = {name: line_count(data) for name, data in files.items()}
    for finding in document["findings"]:
        assert finding["code"] in KNOWN_CODES, finding
        assert finding["code"] != "VPC901", finding["message"]
        file = finding["file"]
        if file in lines:
            assert 1 <= finding["line"] <= lines[file], (finding, lines[file])


def write_project(root: Path, files: Mapping[str, bytes]) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
