"""A third-party rule pack, installed for real, is found through its entry point and run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACK = Path(__file__).parent / "example_pack"


@pytest.fixture(scope="module")
def pack_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pack installed (with its entry-point metadata) into a folder of its own."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(PACK),
        ],
        check=True,
        capture_output=True,
    )
    return target


def vpclint(pack_site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pack_site), "XDG_CACHE_HOME": str(cwd / ".cache")}
    return subprocess.run(
        [sys.executable, "-m", "vpclint", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_pack_rules_are_listed_with_their_origin(pack_site: Path, tmp_path: Path) -> None:
    listed = vpclint(pack_site, tmp_path, "rules")
    assert listed.returncode == 0
    line = next(line for line in listed.stdout.splitlines() if line.startswith("VPC801"))
    assert line.split()[:4] == ["VPC801", "corporate-wan-range", "error", "vpclint-example-pack"]
    explained = vpclint(pack_site, tmp_path, "explain", "VPC801")
    assert "From the rule pack `vpclint-example-pack`." in explained.stdout


def test_pack_rule_reports_and_a_crashing_rule_is_vpc901(pack_site: Path, tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_vpc" "office" {\n  cidr_block = "172.20.0.0/16"\n}\n\n'
        'resource "aws_vpc" "odd" {\n  cidr_block = "10.1.0.0/16"\n'
        '  tags = { Name = "crash-me" }\n}\n'
    )
    result = vpclint(pack_site, tmp_path, "--no-cache", "--format", "json", ".")
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    [policy] = [f for f in findings if f["code"] == "VPC801"]
    assert (policy["line"], policy["resource"]) == (2, "aws_vpc.office")
    [crash] = [f for f in findings if f["code"] == "VPC901"]
    assert "VPC802 (breaks-on-purpose) crashed while checking aws_vpc.odd" in crash["message"]
    assert "RuntimeError: policy service unavailable" in crash["message"]
    assert (crash["file"], crash["line"]) == ("main.tf", 5)
    assert any(f["code"] == "VPC301" for f in findings), "the built-in rules still ran"


def test_a_packs_own_code_prefix_is_selected_ignored_and_suppressed(
    pack_site: Path, tmp_path: Path
) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_vpc" "old" {\n  cidr_block = "10.1.0.0/16"\n'
        '  tags = { Name = "legacy-a" }\n}\n\n'
        "# vpclint: ignore[ACME001] retired next quarter\n"
        'resource "aws_vpc" "older" {\n  cidr_block = "10.2.0.0/16"\n'
        '  tags = { Name = "legacy-b" }\n}\n'
    )

    def codes(*args: str) -> list[tuple[str, int, str | None]]:
        result = vpclint(pack_site, tmp_path, "--no-cache", "--format", "json", *args, ".")
        assert result.returncode in (0, 1), result.stderr
        return [
            (f["code"], f["line"], f["suppressed"]) for f in json.loads(result.stdout)["findings"]
        ]

    assert codes("--select", "ACME") == [
        ("ACME001", 1, None),
        ("ACME001", 7, "retired next quarter"),
    ]
    assert codes("--select", "ACME,VPC9", "--ignore", "ACME001") == []
    (tmp_path / ".vpclint.toml").write_text(
        'select = ["ACME001"]\n[rules.ACME001]\nseverity = "error"\n'
    )
    assert vpclint(pack_site, tmp_path, "--no-cache", ".").returncode == 1
    typo = vpclint(pack_site, tmp_path, "--no-cache", "--select", "ACME002", ".")
    assert typo.returncode == 2
    assert "--select names unknown rule code ACME002" in typo.stderr
