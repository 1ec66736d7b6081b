"""Build Topology objects by hand, the way the front ends would, to test rules in isolation."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

from vpclint.api import (
    AddressBlock,
    Attachment,
    Connection,
    Network,
    NetworkRef,
    Rule,
    RuleContext,
    SourceLocation,
    Subnet,
    Topology,
    Unknown,
    UnknownKind,
    Violation,
)

BlockSpec = str | AddressBlock


def builtin_rule(module_name: str) -> Rule:
    """The rule of ``rules/<module_name>.py``, imported by name as vpclint's registry does: the
    folder rules/ installs as vpclint.rules, a mapping type checkers do not follow."""
    rule = importlib.import_module(f"vpclint.rules.{module_name}").RULE
    assert isinstance(rule, Rule), module_name
    return rule


class Builder:
    """Adds resources to a topology; each one gets its own lines in ``main.tf``.

    A resource is declared at its first line and its blocks follow on the next lines, so that
    tests can compare a violation's location with the block's own location.
    """

    def __init__(self, file: str = "main.tf") -> None:
        self.file = file
        self.topology = Topology()
        self.next_line = 1

    def _lines(self, count: int) -> list[SourceLocation]:
        start = self.next_line
        self.next_line += count + 2
        return [SourceLocation(file=self.file, line=start + offset) for offset in range(count)]

    @staticmethod
    def _block(
        spec: BlockSpec, location: SourceLocation, version: int, origin: str
    ) -> AddressBlock:
        if isinstance(spec, AddressBlock):
            return spec.model_copy(update={"location": location, "version": version})
        return AddressBlock(cidr=spec, location=location, version=version, origin=origin)

    def network(
        self,
        address: str,
        *ipv4: BlockSpec,
        ipv6: Sequence[BlockSpec] = (),
        provider: str = "aws",
        kind: str | None = None,
        ipv6_state: str | None = None,
        external: bool = False,
        identities: Iterable[str] = (),
        auto_mode: bool = False,
        origins: Sequence[str] = (),
    ) -> Network:
        lines = self._lines(1 + len(ipv4) + len(ipv6))
        kinds = {
            "aws": "aws_vpc",
            "azure": "azurerm_virtual_network",
            "gcp": "google_compute_network",
        }
        v4 = tuple(
            self._block(
                spec,
                lines[1 + index],
                4,
                origins[index]
                if index < len(origins)
                else ("primary" if index == 0 else "secondary"),
            )
            for index, spec in enumerate(ipv4)
        )
        v6 = tuple(
            self._block(spec, lines[1 + len(ipv4) + index], 6, "primary")
            for index, spec in enumerate(ipv6)
        )
        network = Network(
            key=address,
            address=address,
            kind=kind or kinds[provider],
            provider=provider,
            location=lines[0],
            ipv4_blocks=v4,
            ipv6_blocks=v6,
            ipv6=ipv6_state or ("present" if v6 else "absent"),
            external=external,
            identities=tuple(identities),
            auto_mode=auto_mode,
        )
        self.topology.networks.append(network)
        return network

    def subnet(
        self,
        address: str,
        network: Network | str,
        *ipv4: BlockSpec,
        ipv6: Sequence[BlockSpec] = (),
        secondary: Sequence[tuple[str, BlockSpec]] = (),
        ipv6_state: str | None = None,
        provider: str | None = None,
    ) -> Subnet:
        lines = self._lines(1 + len(ipv4) + len(ipv6) + len(secondary))
        if isinstance(network, Network):
            ref = NetworkRef(key=network.key, location=lines[0])
            provider = provider or network.provider
        else:
            ref = NetworkRef(external_id=network, location=lines[0])
        kinds = {
            "aws": "aws_subnet",
            "azure": "azurerm_subnet",
            "gcp": "google_compute_subnetwork",
        }
        provider = provider or "aws"
        v4 = tuple(
            self._block(spec, lines[1 + index], 4, "primary") for index, spec in enumerate(ipv4)
        )
        v6 = tuple(
            self._block(spec, lines[1 + len(ipv4) + index], 6, "primary")
            for index, spec in enumerate(ipv6)
        )
        ranges = tuple(
            self._block(spec, lines[1 + len(ipv4) + len(ipv6) + index], 4, "secondary").model_copy(
                update={"name": name}
            )
            for index, (name, spec) in enumerate(secondary)
        )
        subnet = Subnet(
            key=address,
            address=address,
            kind=kinds[provider],
            provider=provider,
            location=lines[0],
            network=ref,
            ipv4_blocks=v4,
            ipv6_blocks=v6,
            secondary_ranges=ranges,
            ipv6=ipv6_state or ("present" if v6 else "absent"),
        )
        self.topology.subnets.append(subnet)
        return subnet

    def peering(
        self,
        address: str,
        first: Network | str | None,
        second: Network | str | None,
        kind: str = "vpc-peering",
    ) -> Connection:
        (line,) = self._lines(1)
        connection = Connection(
            key=address,
            address=address,
            kind="aws_vpc_peering_connection",
            provider="aws",
            location=line,
            connection_kind=kind,
            ends=(self._ref(first), self._ref(second)),
        )
        self.topology.connections.append(connection)
        return connection

    def attach(
        self, address: str, network: Network | str | None, gateway: str | None
    ) -> Attachment:
        (line,) = self._lines(1)
        attachment = Attachment(
            key=address,
            address=address,
            kind="aws_ec2_transit_gateway_vpc_attachment",
            provider="aws",
            location=line,
            network=self._ref(network),
            gateway=gateway,
        )
        self.topology.attachments.append(attachment)
        return attachment

    @staticmethod
    def _ref(end: Network | str | None) -> NetworkRef:
        if isinstance(end, Network):
            return NetworkRef(key=end.key)
        if isinstance(end, str):
            return NetworkRef(external_id=end)
        return NetworkRef(unknown=Unknown(reason="peer VPC id comes from a data source"))


def unresolved(
    reason: str = "variable var.cidr has no value",
    kind: UnknownKind = UnknownKind.UNRESOLVED,
    expression: str | None = "var.cidr",
    provider_assigned: bool = False,
) -> AddressBlock:
    """An unknown block; the builder fills in its location."""
    return AddressBlock(
        unknown=Unknown(reason=reason, kind=kind, expression=expression),
        location=SourceLocation(file="unset"),
        provider_assigned=provider_assigned,
    )


def run(rule: Rule, topology: Topology, **options: Any) -> list[Violation]:
    """The rule's violations, with its default options overridden by ``options``."""
    merged = {**rule.options, **{name.replace("_", "-"): value for name, value in options.items()}}
    return list(rule.run(topology, RuleContext(options=merged)))


def messages(violations: Iterable[Violation]) -> list[str]:
    return [violation.message for violation in violations]


@pytest.fixture
def build() -> Builder:
    return Builder()


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty project (its own root) as the working directory, with a cache key of its own."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    project = tmp_path / "project"
    project.mkdir()
    (project / ".vpclint.toml").write_text("", encoding="utf-8")
    return project
