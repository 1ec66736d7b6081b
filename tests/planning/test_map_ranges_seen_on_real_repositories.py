"""Subnet ranges the map once left out: an IPv6-only subnet (no IPv4 block at all) and a GCP
range Google allocates from a reserved internal range (``ip_cidr_range = null``)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.files import write
from tests.terraform.conftest import FIXTURES
from vpclint.cli import main

DUAL_AND_IPV6_ONLY = """resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
  ipv6_cidr_block                  = "2600:1f18:abc:de00::/56"
}

resource "aws_subnet" "dual" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.0.1.0/24"
  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
}

resource "aws_subnet" "v6only" {
  vpc_id                          = aws_vpc.main.id
  ipv6_native                     = true
  assign_ipv6_address_on_creation = true
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 2)
}
"""


def _map(project: Path, monkeypatch: pytest.MonkeyPatch, *options: str) -> str:
    monkeypatch.chdir(project)
    out = io.StringIO()
    assert main(["map", "--no-cache", *options, "."], stdout=out) in (0, 1)
    return out.getvalue()


def test_an_ipv6_only_subnet_is_a_range_of_the_map(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"main.tf": DUAL_AND_IPV6_ONLY})

    document = json.loads(_map(tmp_path, monkeypatch, "--format", "json"))
    text = _map(tmp_path, monkeypatch)

    (network,) = document["networks"]
    ranges = {subnet["address"]: subnet for subnet in network["subnets"]}
    assert ranges["aws_subnet.v6only"]["cidr"] == "2600:1f18:abc:de02::/64"
    assert ranges["aws_subnet.v6only"]["inside"] is True
    assert ranges["aws_subnet.dual"]["cidr"] == "10.0.1.0/24"
    assert ranges["aws_subnet.dual"]["ipv6"] == ["2600:1f18:abc:de01::/64"]
    assert [gap["cidr"] for gap in network["free"]][:1] == ["10.0.0.0/24"]  # IPv4 gaps only
    assert "2600:1f18:abc:de02::/64   2^64" in text and "aws_subnet.v6only" in text
    assert document["summary"]["subnets"] == 2


def test_a_range_from_a_reserved_internal_range_is_shown_as_allocated_by_google(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = FIXTURES / "rules" / "vpc002" / "good-gcp-reserved-internal-range"

    document = json.loads(_map(project, monkeypatch, "--format", "json"))

    (network,) = document["networks"]
    pods = [subnet for subnet in network["subnets"] if subnet["range"] == "pods"]
    assert [(p["cidr"], p["unknown"]) for p in pods] == [
        (None, "allocated by Google from its reserved_internal_range")
    ]
