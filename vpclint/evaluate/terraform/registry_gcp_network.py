"""Models of terraform-google-modules/network/google and its ``vpc`` and ``subnets`` submodules
(see ``registry_models``), written from the module's interface and source at v18.1.0
(commit 3012d98fcb709d5ba456e0d93f42ab61028f7655).

As in the real module, the root module calls ``./modules/vpc`` and ``./modules/subnets``, so the
resources have its addresses: ``module.NAME.module.vpc.google_compute_network.network`` and
``module.NAME.module.subnets.google_compute_subnetwork.subnetwork["REGION/SUBNET"]``, secondary
ranges from ``secondary_ranges[SUBNET]``. Modelled are the inputs that shape the address plan and
the outputs that name the network and its subnets; the routes, firewall-rules and
private-service-access submodules are not (they create no network or subnet), and neither is
the ``route_names`` output.
"""

from __future__ import annotations

from vpclint.evaluate.terraform.module_model import RegistryModel, github_or_registry

REGISTRY = "terraform-google-modules/network/google"
REPOSITORY = "terraform-google-modules/terraform-google-network"

_ROOT_TEXT = f"""
variable "project_id" {{
  type = string
}}
variable "network_name" {{
  type = string
}}
variable "auto_create_subnetworks" {{
  type    = bool
  default = false
}}
variable "shared_vpc_host" {{
  type    = bool
  default = false
}}
variable "subnets_region" {{
  type    = string
  default = null
}}
variable "subnets" {{
  type = list(object({{
    subnet_name           = string
    subnet_ip             = string
    subnet_region         = optional(string)
    subnet_private_access = optional(string)
    description           = optional(string)
    purpose               = optional(string)
    role                  = optional(string)
    stack_type            = optional(string)
    ipv6_access_type      = optional(string)
  }}))
}}
variable "secondary_ranges" {{
  type = map(list(object({{
    range_name              = string
    ip_cidr_range           = optional(string)
    reserved_internal_range = optional(string)
  }})))
  default = {{}}
}}
module "vpc" {{
  source                  = "{REGISTRY}//modules/vpc"
  network_name            = var.network_name
  auto_create_subnetworks = var.auto_create_subnetworks
  project_id              = var.project_id
  shared_vpc_host         = var.shared_vpc_host
}}
module "subnets" {{
  source           = "{REGISTRY}//modules/subnets"
  project_id       = var.project_id
  network_name     = module.vpc.network_name
  subnets          = var.subnets
  secondary_ranges = var.secondary_ranges
  subnets_region   = var.subnets_region
}}
output "network" {{
  value = module.vpc
}}
output "subnets" {{
  value = module.subnets.subnets
}}
output "subnets_by_region_purpose" {{
  value = [
    for subnet in values(module.subnets.subnets) :
    {{ id = subnet.id, purpose = subnet.purpose, region = subnet.region }}
  ]
}}
output "network_name" {{
  value = module.vpc.network_name
}}
output "network_id" {{
  value = module.vpc.network_id
}}
output "network_self_link" {{
  value = module.vpc.network_self_link
}}
output "project_id" {{
  value = module.vpc.project_id
}}
output "subnets_names" {{
  value = [for network in module.subnets.subnets : network.name]
}}
output "subnets_ids" {{
  value = [for network in module.subnets.subnets : network.id]
}}
output "subnets_ips" {{
  value = [for network in module.subnets.subnets : network.ip_cidr_range]
}}
output "subnets_self_links" {{
  value = [for network in module.subnets.subnets : network.self_link]
}}
output "subnets_regions" {{
  value = [for network in module.subnets.subnets : network.region]
}}
output "subnets_private_access" {{
  value = [for network in module.subnets.subnets : network.private_ip_google_access]
}}
output "subnets_secondary_ranges" {{
  value = [for network in module.subnets.subnets : network.secondary_ip_range]
}}
"""

_VPC_TEXT = """
variable "project_id" {
  type = string
}
variable "network_name" {
  type = string
}
variable "auto_create_subnetworks" {
  type    = bool
  default = false
}
variable "shared_vpc_host" {
  type    = bool
  default = false
}
resource "google_compute_network" "network" {
  name                    = var.network_name
  auto_create_subnetworks = var.auto_create_subnetworks
  project                 = var.project_id
}
output "network" {
  value = google_compute_network.network
}
output "network_name" {
  value = google_compute_network.network.name
}
output "network_id" {
  value = google_compute_network.network.id
}
output "network_unique_id" {
  value = google_compute_network.network.network_id
}
output "network_self_link" {
  value = google_compute_network.network.self_link
}
output "project_id" {
  value = google_compute_network.network.project
}
"""

_SUBNETS_TEXT = """
variable "project_id" {
  type = string
}
variable "network_name" {
  type = string
}
variable "subnets_region" {
  type    = string
  default = null
}
variable "subnets" {
  type = list(object({
    subnet_name           = string
    subnet_ip             = string
    subnet_region         = optional(string)
    subnet_private_access = optional(string, "false")
    description           = optional(string)
    purpose               = optional(string)
    role                  = optional(string)
    stack_type            = optional(string)
    ipv6_access_type      = optional(string)
  }))
}
variable "secondary_ranges" {
  type = map(list(object({
    range_name              = string
    ip_cidr_range           = optional(string)
    reserved_internal_range = optional(string)
  })))
  default = {}
}
locals {
  subnets = {
    for x in var.subnets :
    "${coalesce(var.subnets_region, x.subnet_region, "undefined")}/${x.subnet_name}" => x
  }
}
resource "google_compute_subnetwork" "subnetwork" {
  for_each                 = local.subnets
  name                     = each.value.subnet_name
  ip_cidr_range            = each.value.subnet_ip
  region = (
    var.subnets_region != null ? var.subnets_region : each.value.subnet_region
  )
  private_ip_google_access = lookup(each.value, "subnet_private_access", "false")
  network                  = var.network_name
  project                  = var.project_id
  description              = lookup(each.value, "description", null)
  dynamic "secondary_ip_range" {
    for_each = (
      contains(keys(var.secondary_ranges), each.value.subnet_name) == true
      ? var.secondary_ranges[each.value.subnet_name]
      : []
    )
    content {
      range_name              = secondary_ip_range.value.range_name
      ip_cidr_range           = secondary_ip_range.value.ip_cidr_range
      reserved_internal_range = secondary_ip_range.value.reserved_internal_range
    }
  }
  purpose          = lookup(each.value, "purpose", null)
  role             = lookup(each.value, "role", null)
  stack_type       = lookup(each.value, "stack_type", null)
  ipv6_access_type = lookup(each.value, "ipv6_access_type", null)
}
output "subnets" {
  value = google_compute_subnetwork.subnetwork
}
"""

_ARGUMENTS = {
    ("google_compute_network", "network", "auto_create_subnetworks"): "auto_create_subnetworks",
    ("google_compute_network", "network", "name"): "network_name",
    ("google_compute_subnetwork", "subnetwork", "ip_cidr_range"): "subnets.subnet_ip",
    ("google_compute_subnetwork", "subnetwork", "stack_type"): "subnets.stack_type",
    ("google_compute_subnetwork", "subnetwork", "network"): "network_name",
}

MODELS = (
    RegistryModel(
        display=f"{REGISTRY} (vpclint model)",
        sources=github_or_registry(REGISTRY, REPOSITORY),
        text=_ROOT_TEXT,
        argument_of=_ARGUMENTS,
        item_key="subnet_name",
    ),
    RegistryModel(
        display=f"{REGISTRY}//modules/vpc (vpclint model)",
        sources=github_or_registry(REGISTRY, REPOSITORY, "//modules/vpc"),
        text=_VPC_TEXT,
        argument_of=_ARGUMENTS,
    ),
    RegistryModel(
        display=f"{REGISTRY}//modules/subnets (vpclint model)",
        sources=github_or_registry(REGISTRY, REPOSITORY, "//modules/subnets"),
        text=_SUBNETS_TEXT,
        argument_of=_ARGUMENTS,
        item_key="subnet_name",
    ),
)
