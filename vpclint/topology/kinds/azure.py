"""Azure: the Terraform ``azurerm_*`` kinds and Azure's subnet rules."""

from __future__ import annotations

from vpclint.topology.kinds.declaration import (
    CidrField,
    ProviderRules,
    ResourceKind,
    Role,
    SizeRule,
)

# Azure keeps the network address, the default gateway, two for DNS and the broadcast address in
# every subnet (https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq); it
# documents no reservation for IPv6 ranges, so no usable count is claimed for them.
RULES = ProviderRules(
    name="Azure",
    reserved_per_subnet=5,
    reserved_per_ipv6_subnet=None,
    subnet_sizes=(
        (4, SizeRule(2, 29, "Azure subnets take IPv4 blocks from /2 to /29")),
        (6, SizeRule(64, 64, "Azure subnets take IPv6 blocks of exactly /64")),
    ),
)

_PREFIXES = (CidrField("address_prefixes", None), CidrField("address_prefix", None))

KINDS = (
    # Inline `subnet` blocks become subnets of the network (azurerm_virtual_network.subnet).
    ResourceKind(
        "azurerm_virtual_network",
        "terraform",
        "azure",
        Role.NETWORK,
        "azure_vnet",
        (CidrField("address_space", None),),
        nested_blocks=("subnet",),
    ),
    ResourceKind(
        "azurerm_subnet",
        "terraform",
        "azure",
        Role.SUBNET,
        "azure_subnet",
        _PREFIXES,
        name_references=("virtual_network_name", "resource_group_name"),
    ),
    ResourceKind(
        "azurerm_virtual_network_peering",
        "terraform",
        "azure",
        Role.CONNECTION,
        "azure_peering",
        references=("remote_virtual_network_id",),
        name_references=("virtual_network_name", "resource_group_name"),
    ),
)
