"""A model of the terraform-aws-modules/vpc/aws registry module (see ``registry_models``).

It creates the resources with the same addresses as the real module
(``module.vpc.aws_vpc.this[0]``, ``module.vpc.aws_subnet.private[1]``, ...) and its outputs.
"""

from __future__ import annotations

from vpclint.evaluate.terraform.module_model import RegistryModel, github_or_registry

MODEL_FILE = "terraform-aws-modules/vpc/aws (vpclint model)"
TIERS = ("public", "private", "database", "elasticache", "redshift", "intra", "outpost")

# Which module argument each modelled attribute comes from (for finding locations).
ARGUMENT_OF: dict[tuple[str, str, str], str] = {
    ("aws_vpc", "this", "cidr_block"): "cidr",
    ("aws_vpc", "this", "ipv4_ipam_pool_id"): "ipv4_ipam_pool_id",
    ("aws_vpc", "this", "assign_generated_ipv6_cidr_block"): "enable_ipv6",
    ("aws_vpc", "this", "ipv6_cidr_block"): "ipv6_cidr",
    ("aws_vpc_ipv4_cidr_block_association", "this", "cidr_block"): "secondary_cidr_blocks",
}
for _tier in TIERS:
    ARGUMENT_OF[("aws_subnet", _tier, "cidr_block")] = f"{_tier}_subnets"
    ARGUMENT_OF[("aws_subnet", _tier, "ipv6_cidr_block")] = f"{_tier}_subnet_ipv6_prefixes"


def _tier_text(tier: str) -> str:
    count = f"local.create_vpc && local.len_{tier} > 0 ? local.len_{tier} : 0"
    if tier == "public":
        count = (
            "local.create_vpc && local.len_public > 0 && (!var.one_nat_gateway_per_az || "
            "local.len_public >= length(var.azs)) ? local.len_public : 0"
        )
    # The real module passes "" for a missing IPv4 block; the AWS provider treats "" as unset.
    return f"""
variable "{tier}_subnets" {{
  type    = list(string)
  default = []
}}
variable "{tier}_subnet_ipv6_prefixes" {{
  type    = list(string)
  default = []
}}
variable "{tier}_subnet_ipv6_native" {{
  type    = bool
  default = false
}}
locals {{
  len_{tier} = max(length(var.{tier}_subnets), length(var.{tier}_subnet_ipv6_prefixes))
}}
resource "aws_subnet" "{tier}" {{
  count             = {count}
  vpc_id            = local.vpc_id
  availability_zone = length(var.azs) > 0 ? element(var.azs, count.index) : null
  cidr_block = (
    var.{tier}_subnet_ipv6_native ? null : try(var.{tier}_subnets[count.index], null)
  )
  ipv6_cidr_block = (
    var.enable_ipv6 && length(var.{tier}_subnet_ipv6_prefixes) > 0
    ? cidrsubnet(
      aws_vpc.this[0].ipv6_cidr_block, 8, var.{tier}_subnet_ipv6_prefixes[count.index]
    )
    : null
  )
  ipv6_native       = var.{tier}_subnet_ipv6_native
}}
output "{tier}_subnets" {{
  value = aws_subnet.{tier}[*].id
}}
output "{tier}_subnets_cidr_blocks" {{
  value = compact(aws_subnet.{tier}[*].cidr_block)
}}
output "{tier}_subnets_ipv6_cidr_blocks" {{
  value = compact(aws_subnet.{tier}[*].ipv6_cidr_block)
}}
"""


_VPC_TEXT = """
variable "create_vpc" {
  type    = bool
  default = true
}
variable "name" {
  type    = string
  default = ""
}
variable "cidr" {
  type    = string
  default = "10.0.0.0/16"
}
variable "secondary_cidr_blocks" {
  type    = list(string)
  default = []
}
variable "azs" {
  type    = list(string)
  default = []
}
variable "use_ipam_pool" {
  type    = bool
  default = false
}
variable "ipv4_ipam_pool_id" {
  type    = string
  default = null
}
variable "enable_ipv6" {
  type    = bool
  default = false
}
variable "ipv6_cidr" {
  type    = string
  default = null
}
variable "one_nat_gateway_per_az" {
  type    = bool
  default = false
}
locals {
  create_vpc = var.create_vpc
  vpc_id     = try(aws_vpc.this[0].id, "")
}
resource "aws_vpc" "this" {
  count                            = local.create_vpc ? 1 : 0
  cidr_block                       = var.use_ipam_pool ? null : var.cidr
  ipv4_ipam_pool_id                = var.ipv4_ipam_pool_id
  assign_generated_ipv6_cidr_block = (
    var.enable_ipv6 && !var.use_ipam_pool && var.ipv6_cidr == null ? true : null
  )
  ipv6_cidr_block                  = var.ipv6_cidr
  tags                             = { Name = var.name }
}
resource "aws_vpc_ipv4_cidr_block_association" "this" {
  count      = local.create_vpc ? length(var.secondary_cidr_blocks) : 0
  vpc_id     = aws_vpc.this[0].id
  cidr_block = element(var.secondary_cidr_blocks, count.index)
}
output "vpc_id" {
  value = try(aws_vpc.this[0].id, null)
}
output "vpc_arn" {
  value = try(aws_vpc.this[0].arn, null)
}
output "vpc_cidr_block" {
  value = try(aws_vpc.this[0].cidr_block, null)
}
output "vpc_ipv6_cidr_block" {
  value = try(aws_vpc.this[0].ipv6_cidr_block, null)
}
output "vpc_secondary_cidr_blocks" {
  value = compact(aws_vpc_ipv4_cidr_block_association.this[*].cidr_block)
}
output "azs" {
  value = var.azs
}
output "name" {
  value = var.name
}
"""


MODEL = RegistryModel(
    display=MODEL_FILE,
    sources=github_or_registry(
        "terraform-aws-modules/vpc/aws", "terraform-aws-modules/terraform-aws-vpc"
    ),
    text=_VPC_TEXT + "".join(_tier_text(tier) for tier in TIERS),
    argument_of=ARGUMENT_OF,
)
