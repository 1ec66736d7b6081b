"""A module call cycle (a calls b calls a, or a folder calling itself) is one VPC001 at the call
that closes it, naming the cycle, not phantom instances of its resources down to the depth limit;
Terraform cannot install such a configuration either."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.files import write
from tests.hostile.conftest import Outcome, assert_contained, run_vpclint

VPC = 'resource "aws_vpc" "{name}" {{\n  cidr_block = "{cidr}"\n}}\n'


def call(name: str, source: str, count: int | None = None) -> str:
    counted = f"  count  = {count}\n" if count is not None else ""
    return f'module "{name}" {{\n  source = "{source}"\n{counted}}}\n'


def lint(root: Path) -> Outcome:
    outcome = run_vpclint("--format", "json", ".", cwd=root)
    assert_contained(outcome)
    return outcome


def assert_one_cycle(outcome: Outcome, file: str, cycle: str) -> None:
    [error] = outcome.findings("VPC001")
    assert (error["file"], error["line"]) == (file, 1)
    assert f"module call cycle ({cycle})" in error["message"]


def nesting(address: str) -> int:
    return address.count("module.")


@pytest.mark.parametrize("count", [None, 4], ids=["single", "count-4"])
def test_a_cycle_across_folders_is_one_finding_and_no_phantom_instances(
    tmp_path: Path, count: int | None
) -> None:
    root = write(
        tmp_path,
        {
            "main.tf": call("a", "./a"),
            "a/main.tf": call("b", "../b", count) + VPC.format(name="in_a", cidr="10.0.0.0/16"),
            "b/main.tf": call("a", "../a", count) + VPC.format(name="in_b", cidr="10.1.0.0/16"),
        },
    )
    outcome = lint(root)
    assert_one_cycle(outcome, "b/main.tf", "a -> b -> a")
    # Each VPC once per real instance: module.a's, and module.b's inside it (count of them).
    addresses = [finding["resource"] for finding in outcome.findings("VPC301")]
    assert len(addresses) == 1 + (count or 1)
    everything = [finding.get("resource") or "" for finding in outcome.document["findings"]]
    assert max(nesting(address) for address in everything) == 2


def test_a_cycle_no_root_calls_into_is_still_evaluated_and_reported(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "x/main.tf": call("y", "../y"),
            "y/main.tf": call("x", "../x") + VPC.format(name="in_y", cidr="10.0.0.0/16"),
        },
    )
    outcome = lint(root)
    assert_one_cycle(outcome, "y/main.tf", "x -> y -> x")
    assert [finding["resource"] for finding in outcome.findings("VPC301")] == [
        "module.y.aws_vpc.in_y"
    ]


def test_a_root_folder_calling_itself_is_reported_and_its_own_resources_linted(
    tmp_path: Path,
) -> None:
    root = write(
        tmp_path,
        {
            "main.tf": call("me", "./")
            + VPC.format(name="one", cidr="10.0.0.0/16")
            + VPC.format(name="two", cidr="10.0.0.0/16"),
        },
    )
    outcome = lint(root)
    assert_one_cycle(outcome, "main.tf", ". -> .")
    [overlap] = outcome.findings("VPC204")
    assert overlap["resource"] == "aws_vpc.two"


def test_two_roots_entering_a_cycle_the_same_way_report_it_once(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "prod/main.tf": call("a", "../a"),
            "stage/main.tf": call("a", "../a"),
            "a/main.tf": call("b", "../b"),
            "b/main.tf": call("a", "../a"),
        },
    )
    assert_one_cycle(lint(root), "b/main.tf", "a -> b -> a")
