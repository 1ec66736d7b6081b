"""Azure: the Terraform ``azurerm_*`` kinds and Azure's subnet rules."""

from __future__ import annotations

from collections.abc import Sequence

from vpclint.topology.kinds.declaration import (
    CidrField,
    ClaimScope,
    ClaimSpec,
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

_AKS_DEFAULT_REFERENCE = "https://learn.microsoft.com/azure/aks/configure-kubenet"


def aks_default_service_range(vnet_blocks: Sequence[str]) -> str:
    """The range AKS gives Kubernetes services when the cluster sets none: 10.0.0.0/16 whatever
    the virtual network (its DNS service then takes 10.0.0.10), as the AKS networking
    documentation gives it for kubenet and Azure CNI alike."""
    return "10.0.0.0/16"


# An AKS cluster is placed in the virtual network of its default node pool's subnet. Its service
# range and (kubenet, Azure CNI Overlay) pod range are routed by the nodes: neither may overlap
# the virtual network nor a network connected to it (AKS refuses an overlap with its own subnets,
# ServiceCidrOverlapExistingSubnetsCidr; a peered one is shadowed).
_AKS_NODES = ("default_node_pool.vnet_subnet_id",)
_AKS_SERVICE_RANGE = ClaimSpec(
    purpose="Kubernetes service range",
    collides_with=ClaimScope.CONNECTED,
    cidrs=("network_profile.service_cidr", "network_profile.service_cidrs"),
    subnet_references=_AKS_NODES,
    default=aks_default_service_range,
    default_reference=_AKS_DEFAULT_REFERENCE,
    addresses=("network_profile.dns_service_ip",),
)
# Set only with kubenet or network_plugin_mode = "overlay" (the provider refuses it otherwise);
# their default, 10.244.0.0/16, depends on the plugin and is not modelled as a claim.
_AKS_POD_RANGE = ClaimSpec(
    purpose="Kubernetes pod range",
    collides_with=ClaimScope.CONNECTED,
    cidrs=("network_profile.pod_cidr", "network_profile.pod_cidrs"),
    subnet_references=_AKS_NODES,
)

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
    ResourceKind(
        "azurerm_kubernetes_cluster",
        "terraform",
        "azure",
        Role.CLAIM,
        "claim",
        (
            CidrField("network_profile.service_cidr", None),
            CidrField("network_profile.service_cidrs", None),
            CidrField("network_profile.pod_cidr", None),
            CidrField("network_profile.pod_cidrs", None),
        ),
        nested_blocks=("network_profile", "default_node_pool"),
        claims=(_AKS_SERVICE_RANGE, _AKS_POD_RANGE),
    ),
)
