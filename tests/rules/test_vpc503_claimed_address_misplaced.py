"""AKS clusters as claims, through the real CLI: the service range (the default 10.0.0.0/16 when
unset), the pod range, the DNS service address (VPC503), and a cluster whose count is unknown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.files import write
from tests.hostile.conftest import run_vpclint

VNET = """\
resource "azurerm_virtual_network" "main" {
  name                = "main"
  resource_group_name = "rg"
  location            = "westeurope"
  address_space       = [var.vnet_cidr]
}

variable "vnet_cidr" {
  default = "10.0.0.0/16"
}

resource "azurerm_subnet" "nodes" {
  name                 = "nodes"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = [cidrsubnet(var.vnet_cidr, 8, 1)]
}
"""


def _cluster(name: str, profile: str = "", count: str | None = None) -> str:
    network_profile = f"  network_profile {{\n{profile}  }}\n" if profile else ""
    counted = f"  count = {count}\n" if count is not None else ""
    return (
        f'resource "azurerm_kubernetes_cluster" "{name}" {{\n'
        f"{counted}"
        f'  name = "{name}"\n'
        "  default_node_pool {\n"
        '    name           = "default"\n'
        "    vnet_subnet_id = azurerm_subnet.nodes.id\n"
        "  }\n"
        f"{network_profile}"
        "}\n"
    )


def _findings(project: Path, *codes: str, args: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    outcome = run_vpclint("--format", "json", *args, ".", cwd=project)
    assert outcome.returncode in (0, 1), outcome.stderr
    findings: list[dict[str, Any]] = outcome.document["findings"]
    return [finding for finding in findings if finding["code"] in codes]


def test_the_default_service_range_meets_a_vnet_in_ten(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": VNET + _cluster("main")})
    (finding,) = _findings(tmp_path, "VPC501")
    assert finding["message"] == (
        "the provider's default Kubernetes service range 10.0.0.0/16 of "
        "azurerm_kubernetes_cluster.main overlaps 10.0.0.0/16 of azurerm_virtual_network.main "
        "(its own network)"
    )
    assert _findings(tmp_path, "VPC501", args=("--var", "vnet_cidr=10.1.0.0/16")) == []


def test_a_pod_range_overlapping_a_peered_vnet_or_its_service_range(tmp_path: Path) -> None:
    peer = """\
resource "azurerm_virtual_network" "hub" {
  name                = "hub"
  resource_group_name = "rg"
  location            = "westeurope"
  address_space       = ["10.244.0.0/16"]
}

resource "azurerm_virtual_network_peering" "main_hub" {
  name                      = "main-hub"
  resource_group_name       = "rg"
  virtual_network_name      = azurerm_virtual_network.main.name
  remote_virtual_network_id = azurerm_virtual_network.hub.id
}
"""
    profile = (
        '    network_plugin = "kubenet"\n'
        '    service_cidr   = "10.244.128.0/20"\n'
        '    dns_service_ip = "10.244.128.10"\n'
        '    pod_cidr       = "10.244.0.0/16"\n'
    )
    write(tmp_path, {"main.tf": VNET + _cluster("main", profile), "hub.tf": peer})
    messages = sorted(finding["message"] for finding in _findings(tmp_path, "VPC501"))
    assert messages == [
        "Kubernetes pod range 10.244.0.0/16 of azurerm_kubernetes_cluster.main overlaps "
        "10.244.0.0/16 of azurerm_virtual_network.hub (connected through "
        "azurerm_virtual_network_peering.main_hub)",
        "Kubernetes pod range 10.244.0.0/16 of azurerm_kubernetes_cluster.main overlaps its "
        "Kubernetes service range 10.244.128.0/20",
        "Kubernetes service range 10.244.128.0/20 of azurerm_kubernetes_cluster.main overlaps "
        "10.244.0.0/16 of azurerm_virtual_network.hub (connected through "
        "azurerm_virtual_network_peering.main_hub)",
    ]


def test_dns_service_addresses_aks_refuses(tmp_path: Path) -> None:
    def profile(service: str | None, dns: str) -> str:
        service_line = f'    service_cidr   = "{service}"\n' if service else ""
        return f'    network_plugin = "azure"\n{service_line}    dns_service_ip = "{dns}"\n'

    clusters = (
        _cluster("outside", profile("172.16.0.0/16", "10.0.0.10"))
        + _cluster("network", profile("172.16.0.0/16", "172.16.0.0"))
        + _cluster("first", profile("172.16.0.0/16", "172.16.0.1"))
        + _cluster("not_an_address", profile("172.16.0.0/16", "172.16.0.0/24"))
        + _cluster("default_outside", profile(None, "172.16.0.10"))
        + _cluster("fine", profile("172.16.0.0/16", "172.16.0.10"))
        + _cluster("default_fine", profile(None, "10.0.0.10"))
    )
    write(tmp_path, {"main.tf": VNET.replace("10.0.0.0/16", "10.1.0.0/16") + clusters})
    found = [(finding["resource"], finding["message"]) for finding in _findings(tmp_path, "VPC503")]
    prefix = "the provider refuses address"
    assert found == [
        (
            "azurerm_kubernetes_cluster.outside",
            f"{prefix} 10.0.0.10 of azurerm_kubernetes_cluster.outside: it is outside "
            "Kubernetes service range 172.16.0.0/16",
        ),
        (
            "azurerm_kubernetes_cluster.network",
            f"{prefix} 172.16.0.0 of azurerm_kubernetes_cluster.network: it is the network "
            "address of Kubernetes service range 172.16.0.0/16",
        ),
        (
            "azurerm_kubernetes_cluster.first",
            f"{prefix} 172.16.0.1 of azurerm_kubernetes_cluster.first: it is the first host of "
            "Kubernetes service range 172.16.0.0/16, the Kubernetes API service's address",
        ),
        (
            "azurerm_kubernetes_cluster.not_an_address",
            f"{prefix} 172.16.0.0/24 of azurerm_kubernetes_cluster.not_an_address: "
            "'172.16.0.0/24' is not an IP address",
        ),
        (
            "azurerm_kubernetes_cluster.default_outside",
            f"{prefix} 172.16.0.10 of azurerm_kubernetes_cluster.default_outside: it is outside "
            "the provider's default Kubernetes service range 10.0.0.0/16",
        ),
    ]


def test_unresolved_addresses_and_unknown_counts_are_reported_unknown(tmp_path: Path) -> None:
    clusters = (
        _cluster(
            "unresolved", '    service_cidr   = "172.16.0.0/16"\n    dns_service_ip = var.dns\n'
        )
        + _cluster("counted", count="var.clusters")
        + 'variable "dns" {}\nvariable "clusters" {}\n'
    )
    write(tmp_path, {"main.tf": VNET + clusters})
    unknown = {finding["resource"] for finding in _findings(tmp_path, "VPC004")}
    assert unknown == {
        "azurerm_kubernetes_cluster.unresolved",
        "azurerm_kubernetes_cluster.counted",
    }
    assert _findings(tmp_path, "VPC503") == []


def test_the_map_shows_both_ranges_under_the_vnet(tmp_path: Path) -> None:
    profile = (
        '    network_plugin = "kubenet"\n'
        '    service_cidr   = "172.16.0.0/16"\n'
        '    dns_service_ip = "172.16.0.10"\n'
        '    pod_cidr       = "172.17.0.0/16"\n'
    )
    write(tmp_path, {"main.tf": VNET + _cluster("main", profile)})
    text = run_vpclint("map", "--no-cache", ".", cwd=tmp_path, cache=True).stdout
    assert "172.16.0.0/16 Kubernetes service range of" in text
    assert "172.17.0.0/16 Kubernetes pod range of" in text
    inventory = run_vpclint(
        "inventory", "--no-cache", "--repository", "acme/aks", ".", cwd=tmp_path, cache=True
    )
    (network,) = inventory.document["networks"]
    assert [(claim["purpose"], claim["blocks"][0]["cidr"]) for claim in network["claims"]] == [
        ("Kubernetes service range", "172.16.0.0/16"),
        ("Kubernetes pod range", "172.17.0.0/16"),
    ]
