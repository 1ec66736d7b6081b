"""VPC202 and VPC206 stay readable when many subnets or blocks copy one CIDR: `max-partners`
findings per block, then one summary, as VPC204 does. Linted through the real command line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.rules.overlap_caps import expected_count as _expected_count
from tests.rules.overlap_caps import findings as _findings
from tests.rules.overlap_caps import of as _of

VPC = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n\n'
SUBNETS_OF_MAIN = "; all are subnets of aws_vpc.main"
SUMMARY = re.compile(r"\(max-partners\)|overlaps \d+ (subnets?|blocks?): ")
SUBNET_LINES = 5  # each generated subnet: resource, vpc_id, cidr_block, closing brace, blank


def _subnet(name: str, cidr: str = "10.0.1.0/24", comment: str = "") -> str:
    return (
        f'{comment}resource "aws_subnet" "{name}" {{\n  vpc_id     = aws_vpc.main.id\n'
        f'  cidr_block = "{cidr}"\n}}\n\n'
    )


def _counted(resource: str, count: int, cidr: str) -> str:
    return (
        f'resource "{resource}" "copy" {{\n  count      = {count}\n'
        f'  vpc_id     = aws_vpc.main.id\n  cidr_block = "{cidr}"\n}}\n'
    )


def _summaries(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [finding for finding in findings if SUMMARY.search(finding["message"])]


def _split(found: list[dict[str, Any]]) -> tuple[int, int]:
    summaries = _summaries(found)
    return len(found) - len(summaries), len(summaries)


def test_thirty_copies_of_one_subnet_give_ten_findings_and_a_summary_per_subnet(
    isolated: Path,
) -> None:
    (isolated / "main.tf").write_text(VPC + "".join(_subnet(f"s{i:02d}") for i in range(30)))

    found = _of(_findings(isolated), "VPC202")

    assert _split(found) == _expected_count(30, 10)
    last = [finding for finding in found if finding["resource"] == "aws_subnet.s29"]
    (summary,) = _summaries(last)
    assert summary["message"] == (
        "10.0.1.0/24 of aws_subnet.s29 also overlaps 19 more subnets besides the 10 reported one "
        "by one (max-partners): 10.0.1.0/24 of aws_subnet.s10, 10.0.1.0/24 of aws_subnet.s11, "
        "10.0.1.0/24 of aws_subnet.s12 and 16 more" + SUBNETS_OF_MAIN
    )
    # At the cidr_block line of s29, relating the three subnets it names (not the VPC).
    cidr_line = 4 + 29 * SUBNET_LINES + 3
    assert (summary["file"], summary["line"]) == ("project/main.tf", cidr_line)
    assert [(r["file"], r["line"], r["resource"], r["cidr"]) for r in summary["related"]] == [
        ("project/main.tf", 4 + index * SUBNET_LINES + 3, f"aws_subnet.s{index}", "10.0.1.0/24")
        for index in (10, 11, 12)
    ]
    assert sorted(finding["message"] for finding in last if finding is not summary) == [
        f"10.0.1.0/24 of aws_subnet.s29 overlaps 10.0.1.0/24 of aws_subnet.s{index:02d}; both "
        "are subnets of aws_vpc.main"
        for index in range(10)
    ]


@pytest.mark.parametrize("cap", [0, 3, 40])
def test_max_partners_option_moves_the_subnet_cap(isolated: Path, cap: int) -> None:
    (isolated / "main.tf").write_text(VPC + _counted("aws_subnet", 30, "10.0.1.0/24"))
    (isolated / ".vpclint.toml").write_text(f"[rules.VPC202]\nmax-partners = {cap}\n")

    found = _of(_findings(isolated), "VPC202")

    assert _split(found) == _expected_count(30, cap)
    if cap == 0:
        assert [f["message"] for f in found if f["resource"] == "aws_subnet.copy[29]"] == [
            "10.0.1.0/24 of aws_subnet.copy[29] overlaps 29 subnets: 10.0.1.0/24 of "
            "aws_subnet.copy[0], 10.0.1.0/24 of aws_subnet.copy[1], 10.0.1.0/24 of "
            "aws_subnet.copy[2] and 26 more" + SUBNETS_OF_MAIN
        ]


def test_a_wider_subnet_counts_every_copy_inside_it(isolated: Path) -> None:
    """Partners are found through nesting too, not only among identical CIDRs."""
    text = VPC + _subnet("wide", "10.0.0.0/20") + _counted("aws_subnet", 14, "10.0.1.0/24")
    (isolated / "main.tf").write_text(text)
    (isolated / ".vpclint.toml").write_text("[rules.VPC202]\nmax-partners = 2\n")

    found = _of(_findings(isolated), "VPC202")

    # The copies are declared after aws_subnet.wide: each has wide and its earlier copies.
    assert _split(found) == _expected_count(15, 2)
    assert [f["message"] for f in _summaries(found) if f["resource"] == "aws_subnet.copy[2]"] == [
        "10.0.1.0/24 of aws_subnet.copy[2] also overlaps 1 more subnet besides the 2 reported one "
        "by one (max-partners): 10.0.1.0/24 of aws_subnet.copy[1]" + SUBNETS_OF_MAIN
    ]


def test_same_subnet_findings_whatever_the_jobs_and_file_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    runs = []
    for name, reverse, jobs in (("a", False, "1"), ("b", True, "2")):
        folder = tmp_path / name
        folder.mkdir()
        files = [(folder / "vpc.tf", VPC)] + [
            (folder / f"subnets{part}.tf", "".join(_subnet(f"s{part}_{i}") for i in range(8)))
            for part in range(4)
        ]
        for path, text in reversed(files) if reverse else files:
            path.write_text(text)
        monkeypatch.chdir(folder)
        runs.append(_findings(Path("."), "--jobs", jobs, "--select", "VPC202"))
    assert runs[0] == runs[1]
    assert _split(runs[0]) == _expected_count(32, 10)


def test_ignores_on_every_subnet_suppress_the_summaries_too_and_are_all_used(
    isolated: Path,
) -> None:
    text = VPC + "".join(
        _subnet(f"s{i:02d}", comment=f"# vpclint: ignore[VPC202] scratch {i}\n") for i in range(20)
    )
    (isolated / "main.tf").write_text(text)

    found = _findings(isolated)

    assert _split(_of(found, "VPC202")) == _expected_count(20, 10)
    assert all(finding["suppressed"] for finding in _of(found, "VPC202"))
    assert _of(found, "VPC902") == []


def test_an_ignore_on_a_named_subnet_suppresses_the_summary_not_the_vpc(isolated: Path) -> None:
    subnets = "".join(
        _subnet(f"s{i:02d}", comment="# vpclint: ignore[VPC202] legacy\n" if i == 4 else "")
        for i in range(8)
    )
    (isolated / "main.tf").write_text("# vpclint: ignore[VPC202] not this one\n" + VPC + subnets)
    (isolated / ".vpclint.toml").write_text("[rules.VPC202]\nmax-partners = 2\n")

    found = _of(_findings(isolated), "VPC202")

    suppressed = {f["resource"] for f in _summaries(found) if f["suppressed"]}
    shown = {f["resource"] for f in _summaries(found) if not f["suppressed"]}
    # The summaries of s05..s07 name s04 (s03's names only s02); s04's is at s04 itself. The
    # VPC is not related: its ignore suppresses nothing.
    assert suppressed == {f"aws_subnet.s0{index}" for index in (4, 5, 6, 7)}
    assert shown == {"aws_subnet.s03"}


def test_a_subnet_option_that_is_not_a_count_is_reported_not_guessed(isolated: Path) -> None:
    (isolated / "main.tf").write_text(VPC + _subnet("a") + _subnet("b"))
    (isolated / ".vpclint.toml").write_text("[rules.VPC202]\nmax-partners = -1\n")

    (crash,) = _of(_findings(isolated), "VPC901")

    assert "max-partners must be a whole number >= 0, not -1" in crash["message"]


def test_copies_of_one_association_are_capped(isolated: Path) -> None:
    text = VPC + _counted("aws_vpc_ipv4_cidr_block_association", 15, "10.1.0.0/16")
    (isolated / "main.tf").write_text(text)
    (isolated / ".vpclint.toml").write_text("[rules.VPC206]\nmax-partners = 4\n")

    found = _of(_findings(isolated), "VPC206")

    assert _split(found) == _expected_count(15, 4)
    (summary,) = [f for f in _summaries(found) if "also overlaps 10 more" in f["message"]]
    # About the association that adds the block: it is named, and the VPC is related.
    assert summary["resource"] == "aws_vpc_ipv4_cidr_block_association.copy[14]"
    assert summary["message"] == (
        "10.1.0.0/16 of aws_vpc.main (added by aws_vpc_ipv4_cidr_block_association.copy[14]) "
        "also overlaps 10 more blocks besides the 4 reported one by "
        "one (max-partners): 10.1.0.0/16 of aws_vpc_ipv4_cidr_block_association.copy[4], "
        "10.1.0.0/16 of aws_vpc_ipv4_cidr_block_association.copy[5], 10.1.0.0/16 of "
        "aws_vpc_ipv4_cidr_block_association.copy[6] and 7 more; all are blocks of the same "
        "network"
    )
    assert summary["line"] == 8  # the association's cidr_block
    # The copies share one declaration, so the three named blocks relate one place.
    assert [(r["line"], r["resource"], r["cidr"]) for r in summary["related"]] == [
        (8, "aws_vpc.main", "10.1.0.0/16"),
        (1, "aws_vpc.main", None),
    ]


@pytest.mark.parametrize("cap", [0, 10, 20])
def test_max_partners_option_moves_the_association_cap(isolated: Path, cap: int) -> None:
    entries = ", ".join(['"10.0.0.0/16"'] * 16)
    (isolated / "main.tf").write_text(
        'resource "azurerm_virtual_network" "hub" {\n  name                = "hub"\n'
        '  location            = "westeurope"\n  resource_group_name = "network"\n'
        f"  address_space       = [{entries}]\n}}\n"
    )
    (isolated / ".vpclint.toml").write_text(f"[rules.VPC206]\nmax-partners = {cap}\n")

    found = _of(_findings(isolated), "VPC206")

    assert _split(found) == _expected_count(16, cap)
    if cap == 0:
        assert any(
            finding["message"].startswith(
                "10.0.0.0/16 of azurerm_virtual_network.hub overlaps 15 blocks: 10.0.0.0/16 at "
                "project/main.tf:5:26, 10.0.0.0/16 at project/main.tf:5:41, 10.0.0.0/16 at "
                "project/main.tf:5:56 and 12 more; all are blocks of the same network"
            )
            for finding in found
        )
