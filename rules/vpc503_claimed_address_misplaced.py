"""## What it does
Reports a single address that a provider takes from inside a range a resource claims, when it
is not an IP address, lies outside the range, or is one of the two addresses the range keeps:
its network address and its first host. Today this is an AKS cluster's DNS service address
(`network_profile.dns_service_ip`), which must lie in its Kubernetes service range
(`service_cidr`, or one of `service_cidrs`; the default range 10.0.0.0/16 when neither is set).
The first host of the service range is the `kubernetes` API service's own address.

One finding per misplaced address, at the address. An address or range vpclint cannot resolve
is never judged (VPC004 reports it).

## Why is this bad?
AKS refuses the cluster at creation (the DNS service address must be within the service
address range, and not its first address), after the virtual network and subnets of the change
have been applied.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  name                = "main"
  location            = "westeurope"
  resource_group_name = "rg"
  dns_prefix          = "main"
  default_node_pool {
    name           = "default"
    vm_size        = "Standard_D2_v2"
    vnet_subnet_id = var.nodes_subnet_id
  }
  network_profile {
    network_plugin = "azure"
    service_cidr   = "172.16.0.0/16"
    dns_service_ip = "10.0.0.10"
  }
}
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  name                = "main"
  location            = "westeurope"
  resource_group_name = "rg"
  dns_prefix          = "main"
  default_node_pool {
    name           = "default"
    vm_size        = "Standard_D2_v2"
    vnet_subnet_id = var.nodes_subnet_id
  }
  network_profile {
    network_plugin = "azure"
    service_cidr   = "172.16.0.0/16"
    dns_service_ip = "172.16.0.10"
  }
}
```

## Options
None.

## References
- [AKS: configure Azure CNI networking, the Kubernetes DNS service IP address](https://learn.microsoft.com/azure/aks/configure-azure-cni)
- [AKS: kubenet networking, the default service range 10.0.0.0/16 and DNS service address 10.0.0.10](https://learn.microsoft.com/azure/aks/configure-kubenet)
- [Terraform `azurerm_kubernetes_cluster` `network_profile`](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/kubernetes_cluster#network_profile)
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from vpclint.api import (
    AddressBlock,
    Claim,
    Rule,
    RuleContext,
    Severity,
    Topology,
    Violation,
    sorted_violations,
)


def _problem(address: str, ranges: list[AddressBlock], claim: Claim) -> str | None:
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return f"{address!r} is not an IP address"
    known = [block.network for block in ranges if block.network is not None]
    if len(known) < len(ranges):
        return None  # a range that is unknown or invalid: VPC002 and VPC004 say so
    default = "the provider's default " if claim.provider_default else ""
    for network in known:
        if network.version != parsed.version or not network.first <= int(parsed) <= network.last:
            continue
        if int(parsed) == network.first:
            return f"it is the network address of {default}{claim.purpose} {network}"
        if int(parsed) == network.first + 1:
            return (
                f"it is the first host of {default}{claim.purpose} {network}, the Kubernetes "
                "API service's address"
            )
        return None
    cidrs = ", ".join(str(network) for network in known)
    return f"it is outside {default}{claim.purpose} {cidrs}"


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    violations: list[Violation] = []
    for claim in topology.claims:
        if not claim.addresses:
            continue
        ranges = list(topology.claim_blocks(claim))
        for address in claim.addresses:
            if address.cidr is None:
                continue  # unresolved: VPC004
            problem = _problem(address.cidr, ranges, claim)
            if problem is not None:
                violations.append(
                    Violation(
                        message=f"the provider refuses address {address.cidr} of "
                        f"{claim.address}: {problem}",
                        location=address.location,
                        subject=claim,
                    )
                )
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC503",
    name="claimed-address-misplaced",
    severity=Severity.ERROR,
    summary="An address a provider takes from a claimed range (an AKS DNS service address) is "
    "outside it or one it keeps",
    check=check,
    doc=__doc__,
)
