"""What a resource kind is in the address plan, declared once for every stage that needs it.

A declaration says which role a Terraform or CloudFormation resource type plays (a network, a
block of a network, a subnet, ...), which of its attributes or properties carry CIDRs and which
name its network or peers, and which builder function turns an instance of it into Topology
objects. Parsing, both evaluators, the plan-JSON reader and the topology read these records; none
of them keeps a list of resource types of its own.

Nothing here imports an evaluator: parsing reads the tables to know which blocks to keep.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Literal

Provider = Literal["aws", "azure", "gcp"]
Language = Literal["terraform", "cloudformation"]


class Role(str, Enum):
    """What a resource is in the address plan."""

    NETWORK = "network"  # a VPC, VNet, VPC network: address space of its own
    NETWORK_BLOCK = "network-block"  # adds a block to a network declared elsewhere
    SUBNET = "subnet"  # a range carved out of one network
    SUBNET_BLOCK = "subnet-block"  # adds a block to a subnet declared elsewhere
    CONNECTION = "connection"  # a peering between two networks
    ATTACHMENT = "attachment"  # a network attached to a transit gateway
    CLAIM = "claim"  # address space held without being a network or subnet


class ClaimScope(str, Enum):
    """Which networks a claim's address space must not collide with."""

    OWN_NETWORK = "own-network"  # only the blocks of the network it belongs to
    CONNECTED = "connected"  # its own network and every network that network routes to
    EVERYTHING = "everything"  # every network in scope


@dataclass(frozen=True)
class CidrField:
    """An attribute (Terraform) or property (CloudFormation) that carries CIDRs.

    ``path`` is dotted for nested blocks (``kubernetes_network_config.service_ipv4_cidr``);
    ``version`` is the IP family the provider expects there, None when either is accepted and the
    value decides.
    """

    path: str
    version: Literal[4, 6] | None


# The provider's default for a claim left unset, from the IPv4 blocks of the claim's network.
DefaultClaim = Callable[[Sequence[str]], str]


@dataclass(frozen=True)
class ClaimSpec:
    """What a claim kind's address space is, and what it must stay clear of."""

    purpose: str  # as reported: "Kubernetes service range"; unique among its kind's claims
    collides_with: ClaimScope
    # The kind's CIDR fields (paths of ``ResourceKind.cidrs``) this claim holds; empty: all of
    # them. A resource holding several ranges (an AKS cluster's service and pod ranges) declares
    # one claim per range.
    cidrs: tuple[str, ...] = ()
    # Attributes/properties naming the subnets the resource is placed in, when it names no
    # network itself: its network is theirs.
    subnet_references: tuple[str, ...] = ()
    default: DefaultClaim | None = None  # the provider's range when the resource sets none
    default_reference: str | None = None  # the documentation of that default and the bounds
    within: tuple[str, ...] = ()  # the provider accepts a range only inside one of these
    prefix_lengths: tuple[int, int] | None = None  # widest and narrowest prefix it accepts
    # Single addresses the provider takes from inside the claimed range (AKS ``dns_service_ip``):
    # each must lie in it and be neither its network address nor its first host, which the
    # provider keeps for itself (the Kubernetes API service).
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResourceKind:
    """One Terraform resource type or CloudFormation resource type, declared once."""

    type: str  # aws_vpc, AWS::EC2::VPC, ...
    language: Language
    provider: Provider
    role: Role
    builder: str  # the name of the function (or method) of the language's builder that reads it
    cidrs: tuple[CidrField, ...] = ()
    references: tuple[str, ...] = ()  # attributes/properties naming its network, peers, gateway
    name_references: tuple[str, ...] = ()  # attributes naming its network by name, not by id
    nested_blocks: tuple[str, ...] = ()  # nested blocks with CIDRs of their own (Terraform)
    claims: tuple[ClaimSpec, ...] = ()  # for the role CLAIM: one per range it holds

    def claim_fields(self, spec: ClaimSpec) -> tuple[CidrField, ...]:
        """The CIDR fields one of this kind's claims holds."""
        if not spec.cidrs:
            return self.cidrs
        return tuple(field for field in self.cidrs if field.path in spec.cidrs)

    def claim_named(self, purpose: str) -> ClaimSpec | None:
        """The claim of this kind with that purpose."""
        return next((spec for spec in self.claims if spec.purpose == purpose), None)


@dataclass(frozen=True)
class SizeRule:
    """The prefix lengths a provider accepts for one IP family of networks or of subnets."""

    widest: int
    narrowest: int
    says: str  # what the provider accepts, as a message says it
    only: tuple[int, ...] = ()  # when set, only these lengths (between widest and narrowest)

    def accepts(self, prefix: int) -> bool:
        """Whether a block of this prefix length is one the provider accepts."""
        if self.only:
            return prefix in self.only
        return self.widest <= prefix <= self.narrowest


@dataclass(frozen=True)
class ProviderRules:
    """What a cloud provider enforces on every network and subnet, whatever the resource type."""

    name: str  # as written in messages: AWS, Azure, GCP
    reserved_per_subnet: int  # addresses it keeps in each IPv4 subnet
    reserved_per_ipv6_subnet: int | None  # in each IPv6 subnet; None when undocumented
    # The sizes it accepts, by IP version (4, 6); a version it does not limit is absent.
    network_sizes: tuple[tuple[int, SizeRule], ...] = ()
    subnet_sizes: tuple[tuple[int, SizeRule], ...] = ()

    def network_size(self, version: int) -> SizeRule | None:
        """The sizes it accepts for a network block of IP ``version``; None when unlimited."""
        return dict(self.network_sizes).get(version)

    def subnet_size(self, version: int) -> SizeRule | None:
        """The sizes it accepts for a subnet block of IP ``version``; None when unlimited."""
        return dict(self.subnet_sizes).get(version)
