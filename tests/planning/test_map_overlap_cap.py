"""`vpclint map` stays bounded when many subnets or networks copy one CIDR: each lists at most
ten overlaps and counts the rest, in text, JSON (schema-valid) and HTML. Through the real CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from vpclint.cli import main

DOCS = Path(__file__).resolve().parents[2] / "docs"
LISTED = 10


def _map(folder: Path, output_format: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["map", "--no-config", "--no-cache", "--format", output_format, str(folder)],
        stdout=out,
        stderr=err,
    )
    assert (code, err.getvalue()) == (0, "")
    return out.getvalue()


def _document(folder: Path) -> dict[str, Any]:
    document = json.loads(_map(folder, "json"))
    jsonschema.validate(document, json.loads((DOCS / "map.schema.json").read_text()))
    return dict(document)


def _subnet_copies(folder: Path, copies: int) -> None:
    (folder / "main.tf").write_text(
        'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n\n'
        f'resource "aws_subnet" "copy" {{\n  count      = {copies}\n'
        '  vpc_id     = aws_vpc.main.id\n  cidr_block = "10.0.1.0/24"\n}\n'
    )


def _vpc_copies(folder: Path, copies: int) -> None:
    (folder / "main.tf").write_text(
        "".join(
            f'resource "aws_vpc" "team{index:02d}" {{\n  cidr_block = "10.0.0.0/16"\n}}\n\n'
            for index in range(copies)
        )
    )


@pytest.mark.parametrize("copies", [2, 11, 12, 30])
def test_identical_subnets_list_ten_overlaps_and_count_the_rest(
    tmp_path: Path, copies: int
) -> None:
    _subnet_copies(tmp_path, copies)

    (network,) = _document(tmp_path)["networks"]

    subnets = {subnet["address"]: subnet for subnet in network["subnets"]}
    assert len(subnets) == copies
    others = copies - 1
    for subnet in subnets.values():
        assert (len(subnet["overlaps"]), subnet["more_overlaps"]) == (
            min(others, LISTED),
            max(others - LISTED, 0),
        )
    # The ones listed are the first others in address order, then declaration order.
    last = subnets[f"aws_subnet.copy[{copies - 1}]"]
    assert last["overlaps"] == [f"aws_subnet.copy[{index}]" for index in range(min(others, 10))]
    first = subnets["aws_subnet.copy[0]"]
    assert first["overlaps"] == [f"aws_subnet.copy[{index}]" for index in range(1, min(copies, 11))]


def test_html_tooltip_says_how_many_more_subnets_overlap(tmp_path: Path) -> None:
    _subnet_copies(tmp_path, 30)

    html = _map(tmp_path, "html")

    listed = ", ".join(f"aws_subnet.copy[{index}]" for index in range(10))
    assert f"overlaps {listed} and 19 more" in html


@pytest.mark.parametrize("copies", [11, 12, 30])
def test_identical_networks_list_ten_overlaps_and_count_the_rest(
    tmp_path: Path, copies: int
) -> None:
    _vpc_copies(tmp_path, copies)

    networks = _document(tmp_path)["networks"]

    assert len(networks) == copies
    others = copies - 1
    for network in networks:
        assert (len(network["overlaps"]), network["more_overlaps"]) == (
            LISTED,
            others - LISTED,
        )
    assert [overlap["other"] for overlap in networks[0]["overlaps"]] == [
        f"aws_vpc.team{index:02d}" for index in range(1, 11)
    ]
    assert [overlap["other"] for overlap in networks[-1]["overlaps"]] == [
        f"aws_vpc.team{index:02d}" for index in range(10)
    ]


def test_text_and_html_say_how_many_more_networks_overlap(tmp_path: Path) -> None:
    _vpc_copies(tmp_path, 30)

    text = _map(tmp_path, "text")
    html = _map(tmp_path, "html")

    first_tree = text.split("\n\n")[0]
    assert first_tree.count(" with 10.0.0.0/16 of aws_vpc.team") == 10
    assert "           and 19 more\n" in first_tree
    assert text.count("and 19 more") == 30
    assert (
        html.count("19 more overlaps with other networks or reserved ranges than the 10 drawn")
        == 30
    )


def test_few_overlaps_are_listed_in_full_with_nothing_more(tmp_path: Path) -> None:
    _vpc_copies(tmp_path, 3)

    text = _map(tmp_path, "text")
    networks = _document(tmp_path)["networks"]

    assert [network["more_overlaps"] for network in networks] == [0, 0, 0]
    assert [len(network["overlaps"]) for network in networks] == [2, 2, 2]
    assert " more" not in text
