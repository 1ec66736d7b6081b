"""Start-up: what `vpclint --version` loads, and the one-line errors that no longer need their
modules imported up front to be recognised."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from vpclint import __version__
from vpclint.cli import main

_HEAVY_MODULES = (
    "pydantic",
    "vpclint.config",
    "vpclint.pipeline",
    "vpclint.evaluate",
    "vpclint.parse",
    "hcl2",
    "netaddr",
)


def _modules_loaded_by(arguments: list[str], cwd: Path) -> tuple[str, list[str]]:
    """Run vpclint's main in a fresh interpreter; its output and the heavy modules it imported."""
    # argparse prints --version and --help on sys.stdout itself; the module list goes to stderr.
    script = (
        "import json, sys\n"
        "from vpclint.cli import main\n"
        f"main({arguments!r})\n"
        f"heavy = [name for name in {_HEAVY_MODULES!r} if name in sys.modules]\n"
        "sys.stderr.write(json.dumps(heavy))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    output, heavy = completed.stdout, json.loads(completed.stderr.splitlines()[-1])
    return output, heavy


def test_version_answers_without_loading_pydantic_or_the_front_ends(tmp_path: Path) -> None:
    output, heavy = _modules_loaded_by(["--version"], tmp_path)
    assert output == f"vpclint {__version__}\n"
    assert heavy == []


def test_help_answers_without_loading_pydantic(tmp_path: Path) -> None:
    output, heavy = _modules_loaded_by(["--help"], tmp_path)
    assert "usage: vpclint" in output
    assert heavy == []


def test_cidr_math_loads_no_project_machinery(tmp_path: Path) -> None:
    output, heavy = _modules_loaded_by(
        ["cidr", "divide", "2600:1f14:ab:cd00::/56", "--prefix", "/64", "--into", "6"], tmp_path
    )
    assert 'cidrsubnet("2600:1f14:ab:cd00::/56", 8, 5)' in output
    assert heavy == []
    output, heavy = _modules_loaded_by(["cidr", "explain", "10.0.0.0/16"], tmp_path)
    assert "RFC 1918" in output
    assert heavy == []


def test_a_configuration_error_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / ".vpclint.toml").write_text("fail-on = 'sometimes'\n", encoding="utf-8")
    errors = io.StringIO()
    code = main([str(tmp_path), "--no-cache"], stdout=io.StringIO(), stderr=errors)
    assert code == 2
    lines = errors.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("vpclint: error: ") and "fail-on" in lines[0]
    assert "internal error" not in lines[0]


def test_a_usage_error_is_one_line_and_exit_2(tmp_path: Path) -> None:
    errors = io.StringIO()
    code = main([str(tmp_path / "absent")], stdout=io.StringIO(), stderr=errors)
    assert code == 2
    assert errors.getvalue().startswith("vpclint: error: no such file or folder")
