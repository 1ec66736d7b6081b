"""Every resource kind vpclint reads, by language and type, and each provider's subnet rules.

One module per provider declares its kinds (Terraform and CloudFormation types of that provider
side by side, since they describe the same cloud objects); this module only gathers them. Adding
a resource kind is one entry in its provider's module, plus a builder if its reading is special.
"""

from __future__ import annotations

from vpclint.topology.kinds import aws, azure, gcp
from vpclint.topology.kinds.declaration import (
    CidrField,
    ClaimScope,
    ClaimSpec,
    Language,
    Provider,
    ProviderRules,
    ResourceKind,
    Role,
    SizeRule,
)

__all__ = [
    "ALL_KINDS",
    "CLOUDFORMATION",
    "PROVIDERS",
    "TERRAFORM",
    "CidrField",
    "ClaimScope",
    "ClaimSpec",
    "Language",
    "Provider",
    "ProviderRules",
    "ResourceKind",
    "Role",
    "SizeRule",
    "kind_of",
    "types_with_role",
]

ALL_KINDS: tuple[ResourceKind, ...] = (*aws.KINDS, *azure.KINDS, *gcp.KINDS)
TERRAFORM: dict[str, ResourceKind] = {
    kind.type: kind for kind in ALL_KINDS if kind.language == "terraform"
}
CLOUDFORMATION: dict[str, ResourceKind] = {
    kind.type: kind for kind in ALL_KINDS if kind.language == "cloudformation"
}
PROVIDERS: dict[Provider, ProviderRules] = {
    "aws": aws.RULES,
    "azure": azure.RULES,
    "gcp": gcp.RULES,
}


def kind_of(resource_type: str) -> ResourceKind | None:
    """The declaration of a Terraform or CloudFormation resource type, if vpclint reads it."""
    return TERRAFORM.get(resource_type) or CLOUDFORMATION.get(resource_type)


def types_with_role(table: dict[str, ResourceKind], *roles: Role) -> tuple[str, ...]:
    """The types of a table that play one of the roles, in declaration order."""
    return tuple(kind.type for kind in table.values() if kind.role in roles)
