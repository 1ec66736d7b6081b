"""What the overlap-cap tests share: a project linted by the real CLI, and the counts to expect
(their `isolated` project folder is a fixture in conftest.py)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from vpclint.cli import main


def findings(folder: Path, *argv: str) -> list[dict[str, Any]]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--format", "json", "--no-cache", *argv, str(folder)], stdout=out, stderr=err)
    assert code in (0, 1), err.getvalue()
    return list(json.loads(out.getvalue())["findings"])


def of(found: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [finding for finding in found if finding["code"] == code]


def expected_count(copies: int, cap: int) -> tuple[int, int]:
    """(pair findings, summaries): the i-th copy overlaps the i declared before it."""
    pairs = sum(min(earlier, cap) for earlier in range(copies))
    summaries = sum(1 for earlier in range(copies) if earlier > cap)
    return pairs, summaries
