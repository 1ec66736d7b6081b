"""Inventories reach the topology through the pipeline, from config and command line alike."""

from __future__ import annotations

from pathlib import Path

from tests.planning.conftest import topology, vpc
from tests.planning.test_inventory import _core_inventory
from vpclint.config import Config
from vpclint.pipeline import RunRequest, build_topology
from vpclint.planning.inventory import build_inventory, render_inventory


def test_pipeline_adds_config_and_command_line_inventories(tmp_path: Path) -> None:
    project = tmp_path / "billing"
    project.mkdir()
    _core_inventory(project, "core.json")
    other = tmp_path / "dns.json"
    other.write_text(
        render_inventory(build_inventory(topology(vpc("aws_vpc.dns", "10.30.0.0/24")), "acme/dns"))
    )
    request = RunRequest(
        paths=[project],
        project_root=project,
        config=Config(inventories=["core.json"]),
        inventories=[other],
    )
    networks = build_topology(request, frontends=[]).networks
    assert [(network.address, network.external) for network in networks] == [
        ("acme/network-core:aws_vpc.app", True),
        ("acme/network-core:aws_vpc.shared", True),
        ("acme/dns:aws_vpc.dns", True),
    ]
