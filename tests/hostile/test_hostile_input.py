"""Hostile and broken input: never crash, never hang, never execute, never lose the rest."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.conftest import Outcome, assert_contained, run_vpclint

GOOD_TF = (
    'resource "aws_vpc" "ok" {\n  cidr_block = "10.0.0.0/16"\n}\n\n'
    'resource "aws_vpc" "twin" {\n  cidr_block = "10.0.0.0/16"\n}\n'
)


def project(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return tmp_path


def lint(root: Path, *args: str) -> tuple[list[dict[str, Any]], Outcome]:
    outcome = run_vpclint("--format", "json", *args, ".", cwd=root)
    assert_contained(outcome)
    return outcome.document["findings"], outcome


def test_broken_terraform_is_vpc001_at_its_line_and_the_rest_is_still_linted(
    tmp_path: Path,
) -> None:
    root = project(
        tmp_path,
        {"broken.tf": 'resource "aws_vpc" "x" {\n  cidr_block = \n}\n', "good.tf": GOOD_TF},
    )
    findings, outcome = lint(root)
    [error] = [f for f in findings if f["code"] == "VPC001"]
    assert error["file"] == "broken.tf" and error["line"] in (2, 3)
    assert any(f["code"] == "VPC204" and f["file"] == "good.tf" for f in findings)
    assert outcome.returncode == 1
    assert outcome.document["summary"]["files"]["failed"] == 1


def test_merge_conflict_markers_are_a_parse_error(tmp_path: Path) -> None:
    text = (
        'resource "aws_vpc" "x" {\n<<<<<<< HEAD\n  cidr_block = "10.0.0.0/16"\n=======\n'
        '  cidr_block = "10.1.0.0/16"\n>>>>>>> feature\n}\n'
    )
    findings, _ = lint(project(tmp_path, {"main.tf": text}))
    [error] = [f for f in findings if f["code"] == "VPC001"]
    assert error["file"] == "main.tf" and error["line"] >= 2


def test_binary_file_with_an_iac_name_is_vpc001(tmp_path: Path) -> None:
    findings, _ = lint(project(tmp_path, {"blob.tf": bytes(range(256)) * 4, "good.tf": GOOD_TF}))
    [error] = [f for f in findings if f["code"] == "VPC001"]
    assert error["file"] == "blob.tf" and "binary" in str(error["message"])


def test_file_over_the_default_10_mb_limit_is_vpc001_without_being_read(tmp_path: Path) -> None:
    padding = "# padding\n" * 1_100_000  # about 11 MB of comments
    findings, _ = lint(project(tmp_path, {"big.tf": padding + GOOD_TF, "good.tf": GOOD_TF}))
    [error] = [f for f in findings if f["code"] == "VPC001"]
    assert error["file"] == "big.tf"
    assert "over the limit of 10485760 bytes" in str(error["message"])
    assert "max-file-size" in str(error["message"])


@pytest.mark.parametrize("name", ["big.tofu", "big.tofu.json", "terragrunt.hcl"])
def test_an_oversized_file_named_as_infrastructure_code_is_vpc001_whatever_its_kind(
    tmp_path: Path, name: str
) -> None:
    # Without a marker such as AWSTemplateFormatVersion inside, only the name says the file is
    # infrastructure code: a .tofu file was skipped silently while a .tf file was reported.
    root = project(tmp_path, {f"unit/{name}": "# padding\n" * 300, "good.tf": GOOD_TF})
    (root / ".vpclint.toml").write_text("[limits]\nmax-file-size = 1000\n")
    findings, _ = lint(root)
    [error] = [f for f in findings if f["code"] == "VPC001"]
    assert error["file"] == f"unit/{name}" and "max-file-size" in str(error["message"])


def test_the_file_size_limit_can_be_raised_in_config(tmp_path: Path) -> None:
    root = project(tmp_path, {"main.tf": "# padding\n" * 300 + GOOD_TF})
    (root / ".vpclint.toml").write_text("[limits]\nmax-file-size = 1000\n")
    findings, _ = lint(root)
    assert [f["code"] for f in findings] == ["VPC001"]
    (root / ".vpclint.toml").write_text("[limits]\nmax-file-size = 100000\n")
    findings, _ = lint(root)
    assert "VPC001" not in {f["code"] for f in findings}
    assert [f["line"] for f in findings if f["code"] == "VPC204"] == [306]


def test_huge_count_is_a_limit_finding_not_a_hang(tmp_path: Path) -> None:
    text = (
        'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n\n'
        'resource "aws_subnet" "many" {\n  count      = 100000000\n  vpc_id     = aws_vpc.main.id\n'
        '  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)\n}\n'
    )
    findings, _ = lint(project(tmp_path, {"main.tf": text}))
    limits = [f for f in findings if f["code"] == "VPC004"]
    assert limits and "limit" in str(limits[0]["message"]).lower()


def test_cidr_function_asked_for_too_many_bits_is_vpc002(tmp_path: Path) -> None:
    text = 'resource "aws_vpc" "main" {\n  cidr_block = cidrsubnet("10.0.0.0/8", 30, 5)\n}\n'
    findings, _ = lint(project(tmp_path, {"main.tf": text}))
    [invalid] = [f for f in findings if f["code"] == "VPC002"]
    assert invalid["line"] == 2


def test_billion_laughs_template_is_bounded(tmp_path: Path) -> None:
    lines = [
        "AWSTemplateFormatVersion: '2010-09-09'",
        'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ]
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    lines += [
        "Resources:",
        "  Vpc:",
        "    Type: AWS::EC2::VPC",
        "    Properties:",
        "      CidrBlock: 10.0.0.0/16",
        "      Tags: *a9",
    ]
    findings, _ = lint(project(tmp_path, {"bomb.yaml": "\n".join(lines) + "\n"}))
    [error] = [f for f in findings if f["code"] == "VPC001"]
    assert error["file"] == "bomb.yaml"


@pytest.mark.parametrize("name", ["deep.json", "deep.yaml"])
def test_100000_deep_nesting_is_bounded(tmp_path: Path, name: str) -> None:
    depth = 100_000
    body = "[" * depth + "]" * depth
    text = (
        '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"X": {"Type": "AWS::EC2::VPC", '
        f'"Properties": {{"Tags": {body}}}}}}}}}\n'
    )
    findings, _ = lint(project(tmp_path, {name: text, "good.tf": GOOD_TF}))
    [error] = [f for f in findings if f["code"] == "VPC001"]
    assert error["file"] == name and "deep" in str(error["message"]).lower()
    assert any(f["code"] == "VPC204" for f in findings)


def test_python_yaml_tags_are_a_parse_error_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = (
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n"
        f"    Properties:\n      CidrBlock: !!python/object/apply:os.system ['touch {marker}']\n"
    )
    findings, _ = lint(project(tmp_path, {"evil.yaml": text}))
    [error] = [f for f in findings if f["code"] == "VPC001"]
    assert error["line"] == 6
    assert not marker.exists()


def test_file_function_never_reads_outside_the_project(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("10.66.0.0/16")
    root = tmp_path / "repo"
    text = f'resource "aws_vpc" "main" {{\n  cidr_block = trimspace(file("{secret}"))\n}}\n'
    findings, _ = lint(project(root, {"main.tf": text}))
    assert not any("10.66.0.0" in str(f["message"]) for f in findings)
    assert [f["code"] for f in findings if f["line"] == 2] == ["VPC004"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipes_are_never_read(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {"main.tf": 'resource "aws_vpc" "main" {\n  cidr_block = trimspace(file("cidr.txt"))\n}\n'},
    )
    os.mkfifo(root / "cidr.txt")  # nothing ever writes to it: reading it would block for ever
    os.mkfifo(root / "pipe.tf")
    findings, _ = lint(root)
    [unresolved] = [f for f in findings if f["line"] == 2]
    assert "not a regular file" in str(unresolved["message"])


def test_symlink_loops_and_links_outside_the_project_are_not_followed(tmp_path: Path) -> None:
    outside = project(tmp_path / "elsewhere", {"far.tf": GOOD_TF})
    root = project(
        tmp_path / "repo",
        {"main.tf": 'resource "aws_vpc" "a" {\n  cidr_block = "10.9.0.0/16"\n}\n'},
    )
    os.symlink(root, root / "loop")
    os.symlink(outside, root / "outside-folder")
    os.symlink(outside / "far.tf", root / "far.tf")
    findings, outcome = lint(root)
    # The links out of the project are said so (VPC005); the loop leads inside: nothing to say.
    assert sorted(f["file"] for f in findings if f["code"] == "VPC005") == [
        "far.tf",
        "outside-folder",
    ]
    assert all(f["file"] == "main.tf" for f in findings if f["code"] != "VPC005")
    assert outcome.document["summary"]["files"]["linted"] == 1


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("utf-16-le", b"\xff\xfe")],
)
def test_encodings_and_crlf_keep_line_numbers(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    text = "\r\n".join(
        ["# comment", 'resource "aws_vpc" "x" {', '  cidr_block = "10.12.3.0/16"', "}", ""]
    )
    data = prefix + text.encode(encoding)
    findings, _ = lint(project(tmp_path, {"main.tf": data}))
    [warning] = [f for f in findings if f["code"] == "VPC003"]
    assert warning["line"] == 3


def test_undecodable_bytes_do_not_crash(tmp_path: Path) -> None:
    text = 'resource "aws_vpc" "x" {\n  # caf\xe9 in latin-1\n  cidr_block = "10.12.3.0/16"\n}\n'
    data = text.encode("latin-1")
    findings, _ = lint(project(tmp_path, {"main.tf": data}))
    assert [f["line"] for f in findings if f["code"] == "VPC003"] == [3]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("colour = true\n", "unknown key `colour`"),
        ('[reserved-ranges]\nonprem = "10.0.0.0/8x"\n', "reserved-ranges"),
        ('exclude = ["a[b"]\n', "exclude"),
    ],
)
def test_config_errors_exit_2_with_one_clear_line(
    tmp_path: Path, config: str, expected: str
) -> None:
    root = project(tmp_path, {".vpclint.toml": config, "main.tf": GOOD_TF})
    outcome = run_vpclint(".", cwd=root)
    assert outcome.returncode == 2
    assert (
        outcome.stderr.count("\n") == 1
        and ".vpclint.toml" in outcome.stderr
        and expected in outcome.stderr
    )
    assert "Traceback" not in outcome.stderr


def test_missing_path_exits_2_with_one_clear_line(tmp_path: Path) -> None:
    outcome = run_vpclint("no-such-folder", cwd=tmp_path)
    assert outcome.returncode == 2
    assert outcome.stderr == "vpclint: error: no such file or folder: no-such-folder\n"
