"""Builders for planning tests: small real topologies, written the way front ends fill them."""

from __future__ import annotations

from vpclint.topology.kinds import Provider
from vpclint.topology.models import (
    AddressBlock,
    Network,
    NetworkRef,
    SourceLocation,
    Subnet,
    Topology,
    Unknown,
)


def vpc(
    address: str,
    *cidrs: str | None,
    provider: Provider = "aws",
    file: str = "network.tf",
    line: int = 1,
    name: str | None = None,
    identities: tuple[str, ...] = (),
) -> Network:
    """A network whose blocks are the given CIDRs (None: an unresolved block)."""
    location = SourceLocation(file=file, line=line)
    blocks = tuple(
        AddressBlock(
            cidr=cidr,
            unknown=None if cidr else Unknown(reason="data source", location=location),
            location=location.model_copy(update={"line": line + 1}),
            origin="primary" if index == 0 else "secondary",
            version=4,
        )
        for index, cidr in enumerate(cidrs)
    )
    return Network(
        key=f"{file}::{address}",
        address=address,
        kind={
            "aws": "aws_vpc",
            "azure": "azurerm_virtual_network",
            "gcp": "google_compute_network",
        }[provider],
        provider=provider,
        location=location,
        name=name,
        ipv4_blocks=blocks,
        identities=identities,
    )


def subnet(
    network: Network, address: str, cidr: str | None, line: int = 10, file: str | None = None
) -> Subnet:
    location = SourceLocation(file=file or network.location.file, line=line)
    return Subnet(
        key=f"{location.file}::{address}",
        address=address,
        kind={"aws": "aws_subnet", "azure": "azurerm_subnet", "gcp": "google_compute_subnetwork"}[
            network.provider
        ],
        provider=network.provider,
        location=location,
        network=NetworkRef(key=network.key),
        ipv4_blocks=(
            AddressBlock(
                cidr=cidr,
                unknown=None if cidr else Unknown(reason="variable without value"),
                location=location.model_copy(update={"line": line + 2}),
                version=4,
            ),
        ),
    )


def topology(*networks: Network, subnets: tuple[Subnet, ...] = ()) -> Topology:
    return Topology(networks=list(networks), subnets=list(subnets))
