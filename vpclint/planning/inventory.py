"""Inventories: every network of one repository in a versioned JSON document, and back.

Each repository publishes its inventory (``vpclint inventory -o inventory.json``, typically as a CI
artifact); another repository loads any number of them with ``--inventory FILE`` or the config key
``inventories`` and sees their networks as external ones, so the overlap rules (VPC203, VPC204,
VPC205) judge one organisation-wide address plan without a server. The schema is documented in
``docs/inventory.md`` and published as ``docs/inventory.schema.json``; readers accept every
document whose ``version`` is one they know and refuse the others with a clear message.
"""

from __future__ import annotations

import configparser
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vpclint import __version__
from vpclint.config import ConfigError
from vpclint.discover.sources import (
    DEFAULT_MAX_FILE_SIZE,
    NotARegularFile,
    display_path,
    read_regular_file,
)
from vpclint.topology.cidr import cidr_problem
from vpclint.topology.models import AddressBlock, Network, SourceLocation, Topology, Unknown

INVENTORY_FORMAT: Literal["vpclint-inventory"] = "vpclint-inventory"
INVENTORY_VERSION: Literal[1] = 1


class InventoryError(ConfigError):
    """An inventory file that cannot be read or is not a vpclint inventory (exit 2, one line)."""


class _Strict(BaseModel):
    # Fields added later within one schema version are ignored by older readers (forward
    # compatible); anything they could not ignore bumps the version.
    model_config = ConfigDict(extra="ignore", frozen=True)


class InventoryBlock(_Strict):
    """One address block; ``cidr`` is null when vpclint could not resolve it (see ``unknown``)."""

    cidr: str | None = Field(
        description="The block as resolved, e.g. 10.10.0.0/16; null if unknown"
    )
    origin: str = Field(
        "primary", description="primary, secondary, or the address of the association resource"
    )
    unknown: str | None = Field(None, description="Why the block could not be resolved")


class InventoryClaim(_Strict):
    """Address space a resource of the network holds without being a subnet (a Kubernetes
    service range): other repositories' plans must keep clear of it too."""

    address: str = Field(description="Terraform address or CloudFormation logical ID")
    kind: str = Field(description="Resource type, e.g. aws_eks_cluster or AWS::EKS::Cluster")
    purpose: str = Field(description="What the space is for, e.g. Kubernetes service range")
    file: str = Field(description="POSIX path of the declaring file, relative to the repository")
    line: int = Field(ge=1, description="Line of the declaration (1-based)")
    blocks: list[InventoryBlock] = Field(default_factory=list)
    provider_default: bool = Field(
        False, description="The resource sets no range: the blocks are the provider's default"
    )


class InventoryNetwork(_Strict):
    """One network (VPC, VNet, VPC network) declared in the repository."""

    address: str = Field(description="Terraform address or CloudFormation logical ID")
    name: str | None = Field(None, description="The network's name (Name tag, resource name)")
    kind: str = Field(description="Resource type, e.g. aws_vpc or AWS::EC2::VPC")
    provider: Literal["aws", "azure", "gcp"]
    file: str = Field(description="POSIX path of the declaring file, relative to the repository")
    line: int = Field(ge=1, description="Line of the declaration (1-based)")
    identities: list[str] = Field(
        default_factory=list,
        description="Literal ids or names other repositories may use to refer to the network "
        "(a VPC id such as vpc-0abc..., a network name); peerings to them are matched by these",
    )
    ipv4: list[InventoryBlock] = Field(default_factory=list)
    ipv6: list[InventoryBlock] = Field(default_factory=list)
    auto_mode: bool = Field(False, description="GCP auto-mode network (occupies 10.128.0.0/9)")
    claims: list[InventoryClaim] = Field(
        default_factory=list,
        description="Address space the network's other resources hold (added within version 1: "
        "older readers ignore it)",
    )


class InventoryTool(_Strict):
    name: Literal["vpclint"] = "vpclint"
    version: str


class Inventory(_Strict):
    """A vpclint inventory: the networks of one repository."""

    format: Literal["vpclint-inventory"] = Field(
        INVENTORY_FORMAT, description="Always vpclint-inventory"
    )
    version: Literal[1] = Field(
        INVENTORY_VERSION, description="Schema version; readers refuse versions they do not know"
    )
    tool: InventoryTool = Field(default_factory=lambda: InventoryTool(version=__version__))
    repository: str = Field(
        description="Where the networks are declared: owner/name of the git remote, or a name "
        "given with --repository"
    )
    networks: list[InventoryNetwork] = Field(default_factory=list)


def inventory_schema() -> dict[str, Any]:
    """The JSON Schema of an inventory document (published as docs/inventory.schema.json)."""
    schema = Inventory.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://github.com/vpclint/vpclint/blob/main/docs/inventory.schema.json"
    return schema


# ---------------------------------------------------------------------------------------------
# Writing


def _block(block: AddressBlock) -> InventoryBlock:
    if block.cidr is not None:
        return InventoryBlock(cidr=block.cidr, origin=block.origin)
    reason = block.unknown.reason if block.unknown is not None else "not resolved"
    return InventoryBlock(cidr=None, origin=block.origin, unknown=reason)


def build_inventory(
    topology: Topology, repository: str, project_root: Path | None = None
) -> Inventory:
    """The repository's own networks (external and imported ones are not ours to publish).

    Files are given relative to ``project_root`` so that the inventory reads the same wherever
    in the checkout it was written from.
    """
    networks = [
        InventoryNetwork(
            address=topology.display_address(network),
            name=network.name,
            kind=network.kind,
            provider=network.provider,
            file=_relative(network.location.file, project_root),
            line=network.location.line,
            identities=list(network.identities),
            ipv4=[_block(block) for block in network.ipv4_blocks],
            ipv6=[_block(block) for block in network.ipv6_blocks],
            auto_mode=network.auto_mode,
            claims=[
                InventoryClaim(
                    address=claim.address,
                    kind=claim.kind,
                    purpose=claim.purpose,
                    file=_relative(claim.location.file, project_root),
                    line=claim.location.line,
                    blocks=[_block(block) for block in topology.claim_blocks(claim)],
                    provider_default=claim.provider_default,
                )
                for claim in topology.claims_of(network)
            ],
        )
        for network in topology.networks
        if not network.external
    ]
    networks.sort(key=lambda network: (network.file, network.line, network.address))
    return Inventory(repository=repository, networks=networks)


def _relative(file: str, project_root: Path | None) -> str:
    if project_root is None:
        return file
    try:
        return (Path.cwd() / file).resolve().relative_to(project_root.resolve()).as_posix()
    except ValueError:
        return file


def render_inventory(inventory: Inventory) -> str:
    return json.dumps(inventory.model_dump(mode="json"), indent=2) + "\n"


_REMOTE_URL = re.compile(r"(?:[:/])([^/:]+/[^/]+?)(?:\.git)?/?$")


def repository_name(root: Path) -> str:
    """The repository a project belongs to: owner/name of its ``origin`` remote, else its folder.

    Read from git's own config file (nothing is run), so it works in CI checkouts and worktrees.
    """
    config_file = _git_config_file(root)
    if config_file is not None:
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        try:
            parser.read(config_file, encoding="utf-8")
        except (configparser.Error, OSError, UnicodeDecodeError):
            parser = configparser.ConfigParser()
        url = parser.get('remote "origin"', "url", fallback="").strip()
        match = _REMOTE_URL.search(url)
        if match:
            return match.group(1)
    return root.resolve().name or "repository"


def _git_config_file(root: Path) -> Path | None:
    for folder in (root.resolve(), *root.resolve().parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git / "config"
        if dot_git.is_file():  # a worktree or submodule: "gitdir: <path>"
            try:
                text = dot_git.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return None
            if not text.startswith("gitdir:"):
                return None
            git_dir = (folder / text.removeprefix("gitdir:").strip()).resolve()
            common = git_dir / "commondir"
            if common.is_file():
                try:
                    git_dir = (git_dir / common.read_text(encoding="utf-8").strip()).resolve()
                except (OSError, UnicodeDecodeError):
                    return None
            return git_dir / "config"
    return None


# ---------------------------------------------------------------------------------------------
# Reading


def read_inventory(path: Path, max_size: int = DEFAULT_MAX_FILE_SIZE) -> Inventory:
    """Read and validate one inventory file; every problem is an InventoryError naming the file."""
    try:
        text = read_regular_file(path, max_size).decode("utf-8-sig")
    except FileNotFoundError:
        raise InventoryError(f"inventory file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InventoryError(f"{path}: cannot read inventory: {error}") from None
    except NotARegularFile as refused:
        raise InventoryError(f"{path}: cannot read inventory: {refused}") from None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise InventoryError(f"{path}: not JSON: {error}") from None
    if not isinstance(data, dict) or data.get("format") != INVENTORY_FORMAT:
        raise InventoryError(f'{path}: not a vpclint inventory (no "format": "{INVENTORY_FORMAT}")')
    if data.get("version") != INVENTORY_VERSION:
        raise InventoryError(
            f"{path}: inventory schema version {data.get('version')!r} is not supported "
            f"(this vpclint reads version {INVENTORY_VERSION}; upgrade vpclint)"
        )
    try:
        inventory = Inventory.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InventoryError(f"{path}: bad inventory at `{where}`: {first['msg']}") from None
    for network in inventory.networks:
        for block in network.ipv4 + network.ipv6:
            problem = cidr_problem(block.cidr) if block.cidr is not None else None
            if problem is not None:
                raise InventoryError(f"{path}: network {network.address}: {problem}")
    return inventory


def inventory_networks(inventory: Inventory, display: str) -> list[Network]:
    """An inventory's networks as external networks of this run's topology.

    Their location is the inventory file (a place in this checkout that reports can point at);
    the repository and address say where they really live. Unresolved blocks stay Unknown, so
    rules never count them as overlapping or as free.
    """
    location = SourceLocation(file=display)
    networks: list[Network] = []
    for entry in inventory.networks:
        identities = dict.fromkeys([*entry.identities, *([entry.name] if entry.name else [])])
        ipv6 = _blocks(entry.ipv6, 6, location, inventory.repository)
        networks.append(
            Network(
                key=f"inventory::{inventory.repository}::{entry.file}::{entry.address}",
                address=f"{inventory.repository}:{entry.address}",
                kind=entry.kind,
                provider=entry.provider,
                location=location,
                name=entry.name,
                ipv4_blocks=_blocks(entry.ipv4, 4, location, inventory.repository),
                ipv6_blocks=ipv6,
                ipv6="present" if ipv6 else "absent",
                identities=tuple(identities),
                auto_mode=entry.auto_mode,
                external=True,
                repository=inventory.repository,
            )
        )
    return networks


def _blocks(
    items: Iterable[InventoryBlock],
    version: Literal[4, 6],
    location: SourceLocation,
    repository: str,
) -> tuple[AddressBlock, ...]:
    return tuple(
        AddressBlock(
            cidr=item.cidr,
            unknown=None
            if item.cidr is not None
            else Unknown(
                reason=f"unresolved in {repository}: {item.unknown or 'no reason given'}",
                location=location,
            ),
            location=location,
            origin=item.origin,
            version=version,
        )
        for item in items
    )


def load_inventories(
    paths: Sequence[Path], own_repository: str | None, max_size: int = DEFAULT_MAX_FILE_SIZE
) -> list[Network]:
    """Every network of the given inventory files, skipping the running repository's own.

    A repository that loads the organisation's merged list of inventories finds its own in it;
    its networks are already in scope, and comparing them with themselves would flag every one.
    """
    networks: list[Network] = []
    seen: set[Path] = set()
    for path in paths:
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        inventory = read_inventory(path, max_size)
        if own_repository is not None and inventory.repository == own_repository:
            continue
        networks.extend(inventory_networks(inventory, display_path(path)))
    return networks
