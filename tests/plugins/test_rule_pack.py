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


PACK_CODE_EVERYWHERE = {
    "main.tf": 'resource "aws_vpc" "old" {\n  cidr_block = "10.1.0.0/16"\n'
    '  tags = { Name = "legacy-a" }\n}\n',
    "stack.yaml": "Resources:\n"
    "  Old:\n"
    "    Type: AWS::EC2::VPC\n"
    "    Metadata:\n"
    "      vpclint:\n"
    "        ignore: [ACME001]\n"
    "        reason: moved next sprint\n"
    "    Properties:\n"
    "      CidrBlock: 10.3.0.0/16\n"
    "      Tags: [{Key: Name, Value: legacy-c}]\n"
    "  # vpclint: ignore[ACME001] kept for the audit\n"
    "  Older:\n"
    "    Type: AWS::EC2::VPC\n"
    "    Properties:\n"
    "      CidrBlock: 10.4.0.0/16\n"
    "      Tags: [{Key: Name, Value: legacy-d}]\n"
    "  Oldest:\n"
    "    Type: AWS::EC2::VPC\n"
    "    Properties:\n"
    "      CidrBlock: 10.5.0.0/16\n"
    "      Tags: [{Key: Name, Value: legacy-e}]\n",
}


def test_a_packs_code_works_in_cloudformation_suppressions_and_every_config_key(
    pack_site: Path, tmp_path: Path
) -> None:
    for name, text in PACK_CODE_EVERYWHERE.items():
        (tmp_path / name).write_text(text)

    def findings(*args: str) -> list[tuple[str, str, int, str | None]]:
        result = vpclint(pack_site, tmp_path, "--no-cache", "--format", "json", *args, ".")
        assert result.returncode in (0, 1), result.stderr
        return sorted(
            (f["code"], f["file"], f["line"], f["suppressed"])
            for f in json.loads(result.stdout)["findings"]
        )

    # Both CloudFormation forms (Metadata and a comment) suppress the pack's code.
    assert findings("--select", "VPC1", "--extend-select", "ACME001") == [
        ("ACME001", "main.tf", 1, None),
        ("ACME001", "stack.yaml", 2, "moved next sprint"),
        ("ACME001", "stack.yaml", 12, "kept for the audit"),
        ("ACME001", "stack.yaml", 17, None),
    ]
    config = tmp_path / ".vpclint.toml"
    config.write_text(
        'select = ["VPC1"]\nextend-select = ["ACME"]\n'
        '[per-file-ignores]\n"*.tf" = ["ACME001"]\n'
        '[rules.ACME001]\nseverity = "error"\n'
    )
    assert findings() == [
        ("ACME001", "main.tf", 1, "per-file-ignores: *.tf"),
        ("ACME001", "stack.yaml", 2, "moved next sprint"),
        ("ACME001", "stack.yaml", 12, "kept for the audit"),
        ("ACME001", "stack.yaml", 17, None),
    ]
    assert vpclint(pack_site, tmp_path, "--no-cache", ".").returncode == 1  # configured: error
    config.write_text('ignore = ["ACME"]\n')
    assert [code for code, *_ in findings()].count("ACME001") == 0
    config.unlink()  # the pack's rules run by default: the ignore above did something
    assert [code for code, *_ in findings()].count("ACME001") == 4


def test_a_pack_whose_code_could_never_be_selected_is_refused_when_loaded(
    tmp_path: Path,
) -> None:
    pack = tmp_path / "pack"
    (pack / "bad_pack").mkdir(parents=True)
    (pack / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "bad-pack"\nversion = "1.0.0"\n'
        '[project.entry-points."vpclint.rules"]\nbad = "bad_pack:RULES"\n'
        '[tool.setuptools]\npackages = ["bad_pack"]\n'
    )
    (pack / "bad_pack" / "__init__.py").write_text(
        "from vpclint.api import Rule, Severity\n"
        'RULES = [Rule(code="acme-1", name="lower-case", severity=Severity.WARNING,\n'
        '              summary="a code no --select could name", check=None)]\n'
    )
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(site),
            str(pack),
        ],
        check=True,
        capture_output=True,
    )
    (tmp_path / "main.tf").write_text('resource "aws_vpc" "a" {\n  cidr_block = "10.1.0.0/16"\n}\n')
    result = vpclint(site, tmp_path, "--no-cache", ".")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "cannot load rule pack 'bad'" in result.stderr
    assert "'acme-1' is not a rule code: capital letters then digits" in result.stderr
