"""Azure and GCP resources become networks, subnets and peerings linked by name or reference."""

from __future__ import annotations

from pathlib import Path

from tests.files import write
from tests.terraform.conftest import FIXTURES, by_address, evaluate_folder


def test_azure_vnets_subnets_and_peerings() -> None:
    topology = evaluate_folder(FIXTURES / "azure")
    networks = by_address(topology.networks)
    hub = networks["azurerm_virtual_network.hub"]
    assert [block.cidr for block in hub.ipv4_blocks] == ["10.50.0.0/16"]
    assert [block.cidr for block in hub.ipv6_blocks] == ["fd00:50::/48"]
    assert hub.ipv6 == "present" and hub.provider == "azure"
    spoke = networks["azurerm_virtual_network.spoke"]
    assert spoke.ipv4_blocks[0].cidr == "10.51.0.0/16"
    subnets = by_address(topology.subnets)
    inline = subnets["azurerm_virtual_network.hub.subnet[gateway]"]
    assert inline.network.key == hub.key and inline.ipv4_blocks[0].cidr == "10.50.0.0/27"
    assert inline.location.line == 11
    data = subnets['azurerm_subnet.workloads["data"]']
    assert data.network.key == spoke.key  # linked by virtual_network_name + resource group
    assert data.ipv4_blocks[0].cidr == "10.51.1.0/24"
    peerings = by_address(topology.connections)
    assert [end.key for end in peerings["azurerm_virtual_network_peering.spoke_to_hub"].ends] == [
        spoke.key,
        hub.key,
    ]
    partner = peerings["azurerm_virtual_network_peering.hub_to_partner"]
    assert partner.ends[0].key == hub.key
    assert partner.ends[1].external_id == "azure:partner-rg/partner"


def test_gcp_networks_auto_mode_secondary_ranges_and_peering() -> None:
    topology = evaluate_folder(FIXTURES / "gcp")
    networks = by_address(topology.networks)
    assert networks["google_compute_network.auto"].auto_mode
    custom = networks["google_compute_network.custom"]
    assert not custom.auto_mode
    subnets = by_address(topology.subnets)
    gke = subnets["google_compute_subnetwork.gke"]
    assert gke.network.key == custom.key
    assert gke.ipv4_blocks[0].cidr == "10.60.0.0/20"
    assert [(block.name, block.cidr) for block in gke.secondary_ranges] == [
        ("pods", "10.64.0.0/14"),
        ("services", "10.60.16.0/20"),
    ]
    assert gke.ipv6 == "present" and gke.ipv6_blocks[0].provider_assigned
    assert subnets["google_compute_subnetwork.by_name"].network.key == custom.key
    (peering,) = topology.connections
    assert peering.connection_kind == "network-peering"
    assert [end.key for end in peering.ends] == [
        custom.key,
        networks["google_compute_network.auto"].key,
    ]


def test_dynamic_nested_blocks_are_expanded(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
locals {
  ranges = { pods = "10.64.0.0/14", services = "10.68.0.0/20" }
  subnets = [{ name = "a", prefix = "10.1.0.0/24" }, { name = "b", prefix = "10.1.1.0/24" }]
}
resource "google_compute_network" "n" {
  name                    = "n"
  auto_create_subnetworks = false
}
resource "google_compute_subnetwork" "s" {
  name          = "s"
  network       = google_compute_network.n.id
  ip_cidr_range = "10.0.0.0/20"
  dynamic "secondary_ip_range" {
    for_each = local.ranges
    content {
      range_name    = secondary_ip_range.key
      ip_cidr_range = secondary_ip_range.value
    }
  }
}
resource "azurerm_virtual_network" "v" {
  name                = "v"
  resource_group_name = "rg"
  address_space       = ["10.1.0.0/16"]
  dynamic "subnet" {
    for_each = local.subnets
    iterator = item
    content {
      name             = item.value.name
      address_prefixes = [item.value.prefix]
    }
  }
}
"""
        },
    )
    subnets = by_address(evaluate_folder(tmp_path).subnets)
    gke = subnets["google_compute_subnetwork.s"]
    assert [(block.name, block.cidr, block.location.line) for block in gke.secondary_ranges] == [
        ("pods", "10.64.0.0/14", 18),
        ("services", "10.68.0.0/20", 18),
    ]
    assert subnets["azurerm_virtual_network.v.subnet[b]"].ipv4_blocks[0].cidr == "10.1.1.0/24"
