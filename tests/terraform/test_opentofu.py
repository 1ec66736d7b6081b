"""OpenTofu's own files: ``.tofu`` and ``.tofu.json`` are linted, and each takes the place of the
``.tf``/``.tf.json`` file of the same name in its folder, as OpenTofu reads them."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.files import write
from tests.hostile.conftest import run_vpclint
from vpclint.discover.suffixes import CANDIDATES as CANDIDATE_SUFFIXES

ROOT = Path(__file__).resolve().parents[2]
_CIDR = re.compile(r"\d+\.\d+\.\d+\.\d+/\d+")
VPC = 'resource "aws_vpc" "{name}" {{\n  cidr_block = "{cidr}"\n}}\n'


def _invalid(project: Path) -> list[tuple[str, str]]:
    outcome = run_vpclint("--format", "json", ".", cwd=project)
    assert outcome.returncode in (0, 1), outcome.stderr
    return sorted(
        (f["file"], _CIDR.search(f["message"])[0])  # type: ignore[index]
        for f in outcome.findings("VPC002")
    )


def test_tofu_files_are_linted_and_hide_the_tf_file_of_the_same_name(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": VPC.format(name="main", cidr="10.0.0.0/33"),  # hidden by main.tofu
            "main.tofu": VPC.format(name="main", cidr="10.1.0.0/99"),
            "other.tf": VPC.format(name="other", cidr="10.2.0.0/40"),  # no twin: read
            "net.tf.json": '{"resource": {"aws_vpc": {"j": {"cidr_block": "10.3.0.0/50"}}}}',
            "net.tofu.json": '{"resource": {"aws_vpc": {"j": {"cidr_block": "10.4.0.0/60"}}}}',
            "modules/m/main.tofu": VPC.format(name="m", cidr="10.5.0.0/70"),
            "modules/m/main.tf": VPC.format(name="m", cidr="10.6.0.0/80"),
            "call.tf": 'module "m" {\n  source = "./modules/m"\n}\n',
        },
    )

    assert _invalid(tmp_path) == [
        ("main.tofu", "10.1.0.0/99"),
        ("modules/m/main.tofu", "10.5.0.0/70"),
        ("net.tofu.json", "10.4.0.0/60"),
        ("other.tf", "10.2.0.0/40"),
    ]


def test_the_pre_commit_hook_passes_every_file_vpclint_reads() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (files_pattern,) = [hook["files"] for hook in hooks if hook["id"] == "vpclint"]

    for suffix in CANDIDATE_SUFFIXES:
        assert re.search(files_pattern, f"envs/prod/main{suffix}"), suffix
    assert {".tofu", ".tofu.json"} <= set(CANDIDATE_SUFFIXES)
