"""Public network modules vpclint models offline (no `terraform init`): their resources appear
with the real module's addresses, located at the user's call, and are checked like any other."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.terraform.conftest import FIXTURES, by_address, evaluate_folder
from vpclint.topology.models import Topology

EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>.+?)\s*$")


def _lint(folder: Path) -> list[tuple[str, int, str]]:
    completed = subprocess.run(
        [sys.executable, "-m", "vpclint", "--format", "json", "."],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in completed.stderr
    report = json.loads(completed.stdout)
    return sorted((item["file"], item["line"], item["code"]) for item in report["findings"])


def _inline_expectations(folder: Path) -> list[tuple[str, int, str]]:
    expected = []
    for path in sorted(folder.rglob("*.tf")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = EXPECT.search(line)
            if match:
                for code in match["codes"].split(","):
                    expected.append((path.relative_to(folder).as_posix(), number, code.strip()))
    return sorted(expected)


def _only_in(topology: Topology, folder: str) -> None:
    """No location may point into vpclint's own model of a module."""
    places = [block.location.file for _, block in topology.declared_blocks()]
    places += [item.location.file for item in [*topology.networks, *topology.subnets]]
    assert places and all(place.endswith(f"{folder}/main.tf") for place in places)


@pytest.mark.parametrize("folder", ["registry-gcp-network"])
def test_modelled_module_findings_are_the_inline_expectations(folder: str) -> None:
    # Not VPC005 (a module source never downloaded): these are modelled.
    assert _lint(FIXTURES / folder) == _inline_expectations(FIXTURES / folder)


def test_google_network_module_and_its_submodules_have_real_addresses() -> None:
    topology = evaluate_folder(FIXTURES / "registry-gcp-network")
    networks = by_address(topology.networks)
    assert set(networks) == {
        "module.shared.module.vpc.google_compute_network.network",
        "module.edge_vpc.google_compute_network.network",
    }
    shared = networks["module.shared.module.vpc.google_compute_network.network"]
    assert shared.name == "shared" and not shared.auto_mode
    assert shared.location.line == 8  # the module call
    subnets = by_address(topology.subnets)
    prefix = "module.shared.module.subnets.google_compute_subnetwork.subnetwork"
    app = subnets[f'{prefix}["us-west1/app-west"]']
    assert [block.cidr for block in app.ipv4_blocks] == ["10.40.0.0/20"]
    assert app.ipv4_blocks[0].location.line == 18  # subnet_ip of the app-west item
    assert [(block.name, block.cidr) for block in app.secondary_ranges] == [
        ("pods", "10.48.0.0/14")
    ]
    assert app.network.key == shared.key
    data = subnets[f'{prefix}["us-west1/data-west"]']
    assert data.secondary_ranges == ()
    edge = subnets['module.edge_subnets.google_compute_subnetwork.subnetwork["us-east1/edge-east"]']
    assert edge.network.key == networks["module.edge_vpc.google_compute_network.network"].key
    (peering,) = topology.connections
    assert [end.key for end in peering.ends] == [
        shared.key,
        networks["module.edge_vpc.google_compute_network.network"].key,
    ]
    _only_in(topology, "registry-gcp-network")


def test_google_network_module_in_auto_mode_is_an_auto_mode_network(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'module "auto" {\n  source = "terraform-google-modules/network/google"\n'
        '  project_id = "p"\n  network_name = "auto"\n  auto_create_subnetworks = true\n'
        "  subnets = []\n}\n",
        encoding="utf-8",
    )
    (network,) = evaluate_folder(tmp_path).networks
    assert network.address == "module.auto.module.vpc.google_compute_network.network"
    assert network.auto_mode
