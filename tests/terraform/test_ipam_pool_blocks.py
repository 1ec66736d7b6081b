"""A CIDR that an IPAM pool allocates at apply stays unknown, pinned to the pool attribute."""

from __future__ import annotations

from pathlib import Path

from tests.files import write
from tests.terraform.conftest import by_address, evaluate_folder

POOL_REASON = "allocated from an IPAM pool at apply"


def test_vpc_subnet_and_association_from_an_ipam_pool(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'resource "aws_vpc" "pooled" {\n'
            '  ipv4_ipam_pool_id   = "ipam-pool-0a1b"\n'
            "  ipv4_netmask_length = 20\n"
            "}\n"
            'resource "aws_subnet" "pooled" {\n'
            "  vpc_id            = aws_vpc.pooled.id\n"
            '  ipv4_ipam_pool_id = "ipam-pool-0a1b"\n'
            "}\n"
            'resource "aws_vpc_ipv4_cidr_block_association" "more" {\n'
            "  vpc_id            = aws_vpc.pooled.id\n"
            '  ipv4_ipam_pool_id = "ipam-pool-0a1b"\n'
            "}\n"
            'resource "aws_vpc" "written" {\n'
            '  cidr_block        = "10.0.0.0/16"\n'
            '  ipv4_ipam_pool_id = "ipam-pool-0a1b"\n'
            "}\n"
        },
    )
    topology = evaluate_folder(tmp_path)
    networks = by_address(topology.networks)

    primary, more = networks["aws_vpc.pooled"].ipv4_blocks
    (subnet_block,) = by_address(topology.subnets)["aws_subnet.pooled"].ipv4_blocks
    for block, line in ((primary, 2), (subnet_block, 7), (more, 11)):
        assert block.cidr is None and block.provider_assigned and block.version == 4
        assert block.unknown is not None and block.unknown.reason == POOL_REASON
        assert block.location.line == line and block.unknown.location == block.location
    assert (primary.origin, more.origin) == ("primary", "aws_vpc_ipv4_cidr_block_association.more")
    assert more.origin_location is not None and more.origin_location.line == 9
    # A CIDR written out wins over the pool: nothing is left unknown.
    assert [block.cidr for block in networks["aws_vpc.written"].ipv4_blocks] == ["10.0.0.0/16"]
