"""The networks a run knows of besides the project's own: those the configuration names
(``external-networks``) and other repositories' inventories. They join the topology so that
rules check the project against them; no front end reads them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vpclint.config import Config
from vpclint.discover.sources import display_path
from vpclint.topology.models import AddressBlock, Network, SourceLocation


def external_networks(config: Config, config_file: Path | None) -> list[Network]:
    """The networks the configuration names outside the project (``external-networks``)."""
    origin = display_path(config_file) if config_file else "vpclint configuration"
    networks: list[Network] = []
    for identity, cidrs in config.external_networks.items():
        location = SourceLocation(file=origin)
        blocks = [
            AddressBlock(cidr=cidr, location=location, version=6 if ":" in cidr else 4)
            for cidr in cidrs
        ]
        ipv6 = tuple(block for block in blocks if block.version == 6)
        networks.append(
            Network(
                key=f"external::{identity}",
                address=identity,
                kind="external-network",
                provider="aws",
                location=location,
                name=identity,
                ipv4_blocks=tuple(block for block in blocks if block.version == 4),
                ipv6_blocks=ipv6,
                ipv6="present" if ipv6 else "absent",
                identities=(identity,),
                external=True,
            )
        )
    return networks


def inventory_networks(
    config: Config, project_root: Path, inventories: Sequence[Path]
) -> list[Network]:
    """Other repositories' networks, from the config's inventories and --inventory files."""
    paths = [*(project_root / name for name in config.inventories), *inventories]
    if not paths:
        return []
    from vpclint.planning.inventory import load_inventories, repository_name

    return load_inventories(
        paths,
        own_repository=repository_name(project_root),
        max_size=config.limits.max_file_size,
    )
