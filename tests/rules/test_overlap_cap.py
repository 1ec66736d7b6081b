"""VPC204 and VPC203 stay readable when many networks copy one CIDR: `max-partners` findings per
block, then one summary. Linted through the real command line: discovery, parser, config, rules.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.rules.overlap_caps import expected_count as _expected_count
from tests.rules.overlap_caps import findings as _findings
from tests.rules.overlap_caps import of as _of

NOT_CONNECTED = "; the networks are not connected, and overlapping networks can never be peered"
VPC_LINES = 4  # each generated VPC takes four lines: resource, cidr_block, closing brace, blank


def _vpc(name: str, cidr: str = "10.0.0.0/16") -> str:
    return f'resource "aws_vpc" "{name}" {{\n  cidr_block = "{cidr}"\n}}\n\n'


def _write_teams(folder: Path, count: int, files: int = 1, reverse: bool = False) -> None:
    """``count`` VPCs named team00.. that all use 10.0.0.0/16, spread over ``files`` files."""
    per_file = -(-count // files)
    order = range(files - 1, -1, -1) if reverse else range(files)
    for number in order:
        names = range(number * per_file, min(count, (number + 1) * per_file))
        text = "".join(_vpc(f"team{index:02d}") for index in names)
        (folder / f"vpcs{number}.tf").write_text(text, encoding="utf-8")


def _is_summary(finding: dict[str, Any]) -> bool:
    return (
        " more network" in finding["message"]
        or re.search(r"overlaps \d+ networks?:", finding["message"]) is not None
    )


def test_thirty_copies_of_one_cidr_give_ten_findings_and_a_summary_per_vpc(
    isolated: Path,
) -> None:
    _write_teams(isolated, 30)

    found = _of(_findings(isolated), "VPC204")

    summaries = [finding for finding in found if _is_summary(finding)]
    pairs, expected_summaries = _expected_count(30, 10)
    assert (len(found) - len(summaries), len(summaries)) == (pairs, expected_summaries)
    last = [finding for finding in found if finding["resource"] == "aws_vpc.team29"]
    (summary,) = [finding for finding in last if _is_summary(finding)]
    assert summary["message"] == (
        "10.0.0.0/16 of aws_vpc.team29 also overlaps 19 more networks besides the 10 reported one "
        "by one (max-partners): 10.0.0.0/16 of aws_vpc.team10, 10.0.0.0/16 of aws_vpc.team11, "
        "10.0.0.0/16 of aws_vpc.team12 and 16 more" + NOT_CONNECTED
    )
    # At the block of team29 (its cidr_block line), relating the three networks it names.
    assert (summary["file"], summary["line"]) == ("project/vpcs0.tf", 29 * VPC_LINES + 2)
    assert [(r["file"], r["line"], r["resource"], r["cidr"]) for r in summary["related"]] == [
        ("project/vpcs0.tf", index * VPC_LINES + 2, f"aws_vpc.team{index}", "10.0.0.0/16")
        for index in (10, 11, 12)
    ]
    # The networks declared first are the ones reported one by one, each with its own message.
    assert sorted(finding["message"] for finding in last if not _is_summary(finding)) == [
        f"10.0.0.0/16 of aws_vpc.team29 overlaps 10.0.0.0/16 of aws_vpc.team{index:02d}"
        + NOT_CONNECTED
        for index in range(10)
    ]


@pytest.mark.parametrize("cap", [0, 3, 40])
def test_max_partners_option_moves_the_cap(isolated: Path, cap: int) -> None:
    _write_teams(isolated, 30)
    (isolated / ".vpclint.toml").write_text(f"[rules.VPC204]\nmax-partners = {cap}\n")

    found = _of(_findings(isolated), "VPC204")

    summaries = [finding for finding in found if _is_summary(finding)]
    assert (len(found) - len(summaries), len(summaries)) == _expected_count(30, cap)
    if cap == 0:
        assert any(
            finding["message"].startswith("10.0.0.0/16 of aws_vpc.team29 overlaps 29 networks: ")
            for finding in summaries
        )


def test_count_instances_are_capped_in_index_order(isolated: Path) -> None:
    (isolated / "main.tf").write_text(
        'resource "aws_vpc" "copy" {\n  count      = 25\n  cidr_block = "10.0.0.0/16"\n}\n'
    )
    (isolated / ".vpclint.toml").write_text("[rules.VPC204]\nmax-partners = 2\n")

    found = _of(_findings(isolated), "VPC204")

    assert len(found) == sum(_expected_count(25, 2))
    last = [finding["message"] for finding in found if finding["resource"] == "aws_vpc.copy[24]"]
    assert sorted(last) == [
        "10.0.0.0/16 of aws_vpc.copy[24] also overlaps 22 more networks besides the 2 reported one "
        "by one (max-partners): 10.0.0.0/16 of aws_vpc.copy[2], 10.0.0.0/16 of aws_vpc.copy[3], "
        "10.0.0.0/16 of aws_vpc.copy[4] and 19 more" + NOT_CONNECTED,
        "10.0.0.0/16 of aws_vpc.copy[24] overlaps 10.0.0.0/16 of aws_vpc.copy[0]" + NOT_CONNECTED,
        "10.0.0.0/16 of aws_vpc.copy[24] overlaps 10.0.0.0/16 of aws_vpc.copy[1]" + NOT_CONNECTED,
    ]


def test_same_findings_whatever_the_jobs_and_the_order_files_are_created_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    runs = []
    for name, reverse, jobs in (("a", False, "1"), ("b", True, "2")):
        folder = tmp_path / name
        folder.mkdir()
        _write_teams(folder, 30, files=4, reverse=reverse)
        monkeypatch.chdir(folder)
        runs.append(_findings(Path("."), "--jobs", jobs, "--select", "VPC204"))
    assert runs[0] == runs[1]
    assert len(runs[0]) == sum(_expected_count(30, 10))


def test_ignores_on_every_copy_suppress_the_summaries_too_and_are_all_used(isolated: Path) -> None:
    text = "".join(
        f"# vpclint: ignore[VPC204] sandbox {index}\n" + _vpc(f"sandbox{index:02d}")
        for index in range(20)
    )
    (isolated / "main.tf").write_text(text)

    found = _findings(isolated)

    assert _of(found, "VPC204") and all(f["suppressed"] for f in _of(found, "VPC204"))
    assert _of(found, "VPC902") == []


def test_an_option_that_is_not_a_count_is_reported_not_guessed(isolated: Path) -> None:
    _write_teams(isolated, 3)
    # An integer, as the configuration requires; a negative count is the rule's to refuse.
    (isolated / ".vpclint.toml").write_text("[rules.VPC204]\nmax-partners = -3\n")

    (crash,) = _of(_findings(isolated), "VPC901")

    assert "max-partners must be a whole number >= 0, not -3" in crash["message"]


def _transit_hub(count: int, cidr: str = "10.0.0.0/16") -> str:
    text = 'resource "aws_ec2_transit_gateway" "hub" {}\n\n'
    for index in range(count):
        text += _vpc(f"spoke{index:02d}", cidr)
        text += (
            f'resource "aws_ec2_transit_gateway_vpc_attachment" "spoke{index:02d}" {{\n'
            "  transit_gateway_id = aws_ec2_transit_gateway.hub.id\n"
            f"  vpc_id             = aws_vpc.spoke{index:02d}.id\n"
            "  subnet_ids         = []\n}\n\n"
        )
    return text


def test_transit_gateway_pairs_are_capped_at_the_later_attachment(isolated: Path) -> None:
    (isolated / "main.tf").write_text(_transit_hub(15))
    (isolated / ".vpclint.toml").write_text("[rules.VPC203]\nmax-partners = 4\n")

    found = _of(_findings(isolated), "VPC203")

    summaries = [finding for finding in found if _is_summary(finding)]
    assert (len(found) - len(summaries), len(summaries)) == _expected_count(15, 4)
    later = "aws_ec2_transit_gateway_vpc_attachment.spoke14"
    last = [finding for finding in summaries if finding["resource"] == later]
    assert [finding["message"] for finding in last] == [
        "10.0.0.0/16 of aws_vpc.spoke14 also overlaps 10 more networks besides the 4 reported one "
        "by one (max-partners): 10.0.0.0/16 of aws_vpc.spoke04, 10.0.0.0/16 of aws_vpc.spoke05, "
        "10.0.0.0/16 of aws_vpc.spoke06 and 7 more; all are attached to the same transit gateway "
        "as aws_ec2_transit_gateway_vpc_attachment.spoke14"
    ]
    assert {r["resource"] for r in last[0]["related"]} == {
        "aws_vpc.spoke14",
        *(f"aws_vpc.spoke{index:02d}" for index in (4, 5, 6)),
        *(f"aws_ec2_transit_gateway_vpc_attachment.spoke{index:02d}" for index in (4, 5, 6)),
    }


def test_peerings_are_never_summarised(isolated: Path) -> None:
    text = _vpc("hub")
    for index in range(12):
        text += _vpc(f"spoke{index:02d}")
        text += (
            f'resource "aws_vpc_peering_connection" "hub_spoke{index:02d}" {{\n'
            "  vpc_id      = aws_vpc.hub.id\n"
            f"  peer_vpc_id = aws_vpc.spoke{index:02d}.id\n}}\n\n"
        )
    (isolated / "main.tf").write_text(text)
    (isolated / ".vpclint.toml").write_text("[rules.VPC203]\nmax-partners = 2\n")

    found = _of(_findings(isolated), "VPC203")

    assert sorted(finding["resource"] for finding in found) == [
        f"aws_vpc_peering_connection.hub_spoke{index:02d}" for index in range(12)
    ]
    assert not any(_is_summary(finding) for finding in found)
