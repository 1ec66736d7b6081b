"""Issue 13, point 4: no input is quadratic without a bound. Thousands of copies of one CIDR
(two `count` resources) are reported with `max-partners` findings per block and one summary that
counts the rest, in time and memory near-linear in the blocks plus the findings reported: the
real CLI in a subprocess, within the hostile-input bounds (before, 6,000 copied VPCs took minutes).
"""

from __future__ import annotations

from pathlib import Path

from tests.files import write
from tests.hostile.conftest import Outcome, assert_contained, run_vpclint

COPIES = 3000  # per resource: 6,000 blocks in all, 18 million overlapping pairs
CAP = 10  # the default max-partners
NOT_CONNECTED = "; the networks are not connected, and overlapping networks can never be peered"


def _counted(resource: str, name: str, extra: str = "") -> str:
    return (
        f'resource "{resource}" "{name}" {{\n  count      = {COPIES}\n{extra}'
        '  cidr_block = "10.0.1.0/24"\n}\n\n'
    )


def _lint(folder: Path, files: dict[str, str]) -> Outcome:
    write(folder, {".vpclint.toml": "", **files})
    outcome = run_vpclint("--format", "json", ".", cwd=folder)
    assert_contained(outcome)
    return outcome


def _expected(copies: int) -> int:
    """Pair findings plus summaries: the i-th copy overlaps the i declared before it."""
    return sum(min(earlier, CAP) + (earlier > CAP) for earlier in range(copies))


def test_two_counted_vpcs_with_one_cidr_are_capped_and_counted(tmp_path: Path) -> None:
    outcome = _lint(
        tmp_path, {"main.tf": _counted("aws_vpc", "first") + _counted("aws_vpc", "second")}
    )

    found = outcome.findings("VPC204")
    assert len(found) == _expected(2 * COPIES)
    last = [f["message"] for f in found if f["resource"] == f"aws_vpc.second[{COPIES - 1}]"]
    assert len(last) == CAP + 1
    beyond = 2 * COPIES - 1 - CAP
    assert (
        f"10.0.1.0/24 of aws_vpc.second[{COPIES - 1}] also overlaps {beyond:,} more networks "
        f"besides the {CAP} reported one by one (max-partners): 10.0.1.0/24 of aws_vpc.first[10], "
        "10.0.1.0/24 of aws_vpc.first[11], 10.0.1.0/24 of aws_vpc.first[12] and "
        f"{beyond - 3:,} more" + NOT_CONNECTED
    ) in last
    assert (
        f"10.0.1.0/24 of aws_vpc.second[{COPIES - 1}] overlaps 10.0.1.0/24 of aws_vpc.first[0]"
        + (NOT_CONNECTED)
        in last
    )


def test_two_counted_subnets_with_one_cidr_are_capped_and_counted(tmp_path: Path) -> None:
    vpc = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n\n'
    in_main = "  vpc_id     = aws_vpc.main.id\n"
    outcome = _lint(
        tmp_path,
        {
            "main.tf": vpc
            + _counted("aws_subnet", "first", in_main)
            + _counted("aws_subnet", "second", in_main)
        },
    )

    found = outcome.findings("VPC202")
    assert len(found) == _expected(2 * COPIES)
    beyond = 2 * COPIES - 1 - CAP
    assert any(
        f["message"].startswith(
            f"10.0.1.0/24 of aws_subnet.second[{COPIES - 1}] also overlaps {beyond:,} more subnets"
        )
        for f in found
    )


def test_a_counted_association_copying_one_cidr_is_capped_and_counted(tmp_path: Path) -> None:
    vpc = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.1.0/24"\n}\n\n'
    outcome = _lint(
        tmp_path,
        {
            "main.tf": vpc
            + _counted(
                "aws_vpc_ipv4_cidr_block_association", "more", "  vpc_id = aws_vpc.main.id\n"
            )
        },
    )

    found = outcome.findings("VPC206")
    # The primary block and the copies: COPIES + 1 blocks of one network.
    assert len(found) == _expected(COPIES + 1)
    beyond = COPIES - CAP
    assert any(
        f"also overlaps {beyond:,} more blocks besides the {CAP} reported one by one"
        in f["message"]
        for f in found
    )


def test_thousands_of_blocks_and_subnets_in_one_network_are_not_compared_pair_by_pair(
    tmp_path: Path,
) -> None:
    in_main = "  vpc_id     = aws_vpc.main.id\n"
    outcome = _lint(
        tmp_path,
        {
            "main.tf": (
                'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n\n'
                'resource "aws_vpc_ipv4_cidr_block_association" "more" {\n  count      = 10000\n'
                f'{in_main}  cidr_block = cidrsubnet("10.128.0.0/9", 14, count.index)\n}}\n\n'
                'resource "aws_subnet" "inside" {\n  count      = 4096\n'
                f'{in_main}  cidr_block = cidrsubnet("10.0.0.0/16", 12, count.index)\n}}\n\n'
                f'resource "aws_subnet" "outside" {{\n{in_main}  cidr_block = "10.2.0.0/24"\n}}\n'
            )
        },
    )

    # 10,001 blocks and 4,097 subnets: VPC201 and VPC104 weighed each block against each subnet.
    assert [f["resource"] for f in outcome.findings("VPC201")] == ["aws_subnet.outside"]
    assert [f["resource"] for f in outcome.findings("VPC104")] == ["aws_vpc.main"]
    assert outcome.findings("VPC202") == outcome.findings("VPC206") == []
