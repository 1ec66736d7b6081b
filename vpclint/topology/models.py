"""The Topology: every network, subnet and connection the front ends found, and where.

Front ends (Terraform, CloudFormation) build these objects; rules only read them. Values that could
not be resolved statically stay :class:`Unknown` with a reason; nothing here ever guesses a CIDR.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import Enum
from functools import cached_property
from typing import Any, Literal

import netaddr
from pydantic import BaseModel, ConfigDict, Field

from vpclint.topology.kinds import ClaimScope, Provider, kind_of

IPv6State = Literal["present", "absent", "unknown"]


class _Model(BaseModel):
    # Validators are built when first used, not on import: a run that reuses the last findings
    # validates no model, and building them all cost about 0.05 s of every run.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    # Pickled as (field values, names of the fields set): half the time of pydantic's own state
    # to load (warm runs load thousands of findings), and with the names sorted, since a set
    # pickles in another order with each hash seed and equal parse results must pickle to equal
    # bytes (their digest decides reuse, see vpclint.cache.units). No _Model has private
    # attributes or extra fields, the rest of pydantic's state.
    def __getstate__(self) -> Any:
        fields_set = self.__pydantic_fields_set__
        names = tuple(sorted(fields_set)) if len(fields_set) > 1 else tuple(fields_set)
        return (self.__dict__, names)

    def __setstate__(self, state: Any) -> None:
        values, names = state
        _set_attribute(self, "__dict__", values)
        _set_attribute(self, "__pydantic_fields_set__", set(names))
        _set_attribute(self, "__pydantic_extra__", None)
        _set_attribute(self, "__pydantic_private__", None)


_set_attribute = object.__setattr__


class SourceLocation(_Model):
    """A place in a source file; lines and columns are 1-based."""

    file: str
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class UnknownKind(str, Enum):
    """Why a value is not known: it needs apply-time information, or its evaluation failed."""

    UNRESOLVED = "unresolved"  # Terraform/CloudFormation itself would only know it after apply
    LIMIT = "limit"  # an evaluation limit (count expansion, steps, depth) was hit
    ERROR = "error"  # the expression is wrong: a CIDR function failed, a type mismatch


class Unknown(_Model):
    """A value that could not be resolved statically, and why."""

    reason: str
    kind: UnknownKind = UnknownKind.UNRESOLVED
    location: SourceLocation | None = None
    expression: str | None = None


class AddressBlock(_Model):
    """One CIDR block of a network or subnet: resolved text, or Unknown with its reason.

    ``cidr`` keeps the value exactly as resolved (``10.12.3.0/16`` with its host bits, or even
    ``banana``), so that rules can report invalid and non-canonical values; ``network`` is the
    canonical netaddr view of a valid block.
    """

    cidr: str | None = None
    unknown: Unknown | None = None
    location: SourceLocation
    origin: str = "primary"  # primary, secondary, or the address of the association resource
    origin_location: SourceLocation | None = None  # the association resource's own block
    origin_kind: str | None = None  # the association resource's type
    name: str | None = None  # GCP secondary range name
    version: Literal[4, 6] | None = None  # expected family, from the attribute it came from
    provider_assigned: bool = False  # Amazon-provided IPv6 / IPAM: present but unknown value
    # Why the value is only assumed (a Terragrunt dependency's mock output stands in for it).
    assumed: str | None = None

    @cached_property
    def network(self) -> netaddr.IPNetwork | None:
        """The block as a netaddr network, or None when unknown or not a valid CIDR."""
        from vpclint.topology.cidr import parse_cidr

        if self.cidr is None:
            return None
        parsed = parse_cidr(self.cidr)
        if parsed is None:
            return None
        if self.version is not None and parsed.version != self.version:
            return None
        return parsed


class NetworkRef(_Model):
    """How a subnet or connection names its network: a key in the topology, an id, or Unknown."""

    key: str | None = None  # Network.key of a network in scope
    external_id: str | None = None  # a literal id (vpc-0abc...) to be found in external-networks
    unknown: Unknown | None = None
    location: SourceLocation | None = None  # the attribute naming the network


class _Resource(_Model):
    key: str  # unique in the topology (root module / template + address + instance)
    address: str  # Terraform address (module.prod.aws_vpc.main[0]) or CloudFormation logical ID
    kind: str  # resource type: aws_vpc, AWS::EC2::VPC, azurerm_virtual_network, ...
    provider: Provider
    location: SourceLocation  # the resource's own declaration (block start / logical ID line)
    name: str | None = None

    @property
    def root(self) -> str:
        """What the resource was evaluated in: the Terraform root module's folder or the
        CloudFormation template (the part of its key before ``::``; ``external`` for a network
        of the configuration's ``external-networks``). Empty for a key without one (a topology
        built by hand)."""
        root, separator, _ = self.key.partition("::")
        return root if separator else ""


class Network(_Resource):
    """A VPC, VNet or VPC network with its IPv4 and IPv6 blocks (primary and associated)."""

    ipv4_blocks: tuple[AddressBlock, ...] = ()
    ipv6_blocks: tuple[AddressBlock, ...] = ()
    ipv6: IPv6State = "absent"
    identities: tuple[str, ...] = ()  # literal ids/names other resources may use to refer to it
    auto_mode: bool = False  # GCP auto-mode network: occupies 10.128.0.0/9
    external: bool = False  # declared in config (external-networks) or an imported inventory
    repository: str | None = None  # for inventories: where the network is declared


class Subnet(_Resource):
    """A subnet (AWS), subnet (Azure) or subnetwork (GCP) of one network."""

    network: NetworkRef
    ipv4_blocks: tuple[AddressBlock, ...] = ()
    ipv6_blocks: tuple[AddressBlock, ...] = ()
    secondary_ranges: tuple[AddressBlock, ...] = ()  # GCP secondary IP ranges
    ipv6: IPv6State = "absent"
    ipv6_native: bool = False

    @property
    def all_ipv4_blocks(self) -> tuple[AddressBlock, ...]:
        return self.ipv4_blocks + self.secondary_ranges


ConnectionKind = Literal["vpc-peering", "vnet-peering", "network-peering", "transit-gateway"]


class Connection(_Resource):
    """A peering between two networks (one end may be outside the repository)."""

    connection_kind: ConnectionKind
    ends: tuple[NetworkRef, NetworkRef]


class Attachment(_Resource):
    """A network attached to a transit gateway; one gateway's attachments connect their networks."""

    network: NetworkRef
    gateway: str | None  # identity of the gateway; None when unknown
    gateway_unknown: Unknown | None = None


class Claim(_Resource):
    """Address space a resource holds without being a network or subnet: a Kubernetes service
    range, a Client VPN pool, a route destination.

    It belongs to ``network``, or, for a resource placed in subnets (an EKS cluster), to the
    network of the first of ``subnets`` in scope; ``collides_with`` says which networks' blocks
    it must stay clear of. With ``provider_default`` the resource leaves the range unset and the
    provider picks one (see :meth:`Topology.claim_blocks`); ``blocks`` is then empty.
    ``addresses`` are single addresses the provider takes from inside the range (an AKS
    cluster's DNS service address), as written (``10.0.0.10``, no prefix length).
    """

    purpose: str  # what the space is for, as reported: "Kubernetes service range"
    blocks: tuple[AddressBlock, ...] = ()
    network: NetworkRef | None = None
    subnets: tuple[NetworkRef, ...] = ()
    collides_with: ClaimScope = ClaimScope.CONNECTED
    provider_default: bool = False
    addresses: tuple[AddressBlock, ...] = ()


class ModuleArgument(_Model):
    """The CIDRs written into a call of a module vpclint does not read (a registry or git source
    without ``terraform init``, a folder outside the project; the call itself is VPC005).

    Each block is a value of the call's arguments that has the form of a CIDR (an address, a
    slash and a prefix length), however it was computed; its ``origin`` is the argument path
    (``subnets[0].subnet_ip``). What the module makes of them is not known, so they belong to no
    network and overlap nothing: they are checked as CIDRs (valid, canonical) and counted.
    """

    key: str
    address: str  # the module call instance: module.vpc, module.envs["dev"]
    kind: Literal["module"] = "module"
    source: str  # the call's source, as written
    location: SourceLocation  # the module block
    blocks: tuple[AddressBlock, ...] = ()


class ParseError(_Model):
    """A file recognised as infrastructure code that could not be read or parsed."""

    location: SourceLocation
    message: str


class NotAnalysed(_Model):
    """Something in the project vpclint did not look into, and why: a symlink or module folder
    whose real path leaves the project, a folder it cannot list."""

    location: SourceLocation
    message: str


class Suppression(_Model):
    """A ``vpclint: ignore[...]`` on a resource, found in a comment or in resource Metadata.

    It applies to every object whose declaration is ``target`` (a module called twice shares one
    declaration). ``codes`` is empty and ``problem`` set when the suppression is malformed.
    """

    location: SourceLocation  # the comment or Metadata entry itself
    target: SourceLocation | None  # the declaration of the resource it belongs to
    codes: tuple[str, ...] = ()
    reason: str | None = None
    problem: str | None = None


FileStatus = Literal["parsed", "failed", "skipped"]


class Caller(_Model):
    """A line of one root that runs code other roots run too: a Terragrunt unit's terragrunt.hcl
    naming its module, or a root module's call of a module another root calls. Findings, the map
    and inventories name what it runs after its root (``envs/prod: module.vpc.aws_subnet.s``),
    and findings point at this line as well."""

    location: SourceLocation
    description: str  # the related location's message: "in Terragrunt unit live/prod/vpc"
    # The target a suppression comment must have to cover everything this line runs: the whole
    # terragrunt.hcl (its first line) for a unit, the module block for a root's call.
    suppression_target: SourceLocation


class SourceFile(_Model):
    path: str
    kind: str  # terraform, terraform-json, tfvars, terraform-plan, cloudformation
    status: FileStatus = "parsed"


DEFAULT_SCOPE = "default"


_ROOT_CALL = re.compile(r"module\.[A-Za-z_][A-Za-z0-9_-]*")


def root_call_key(root: str, address: str) -> str | None:
    """The key of :attr:`Topology.callers` for the root's module call an address is under
    (``envs/prod::module.vpc`` for ``module.vpc["a"].aws_subnet.s``), or ``None`` for one of the
    root's own resources."""
    call = _ROOT_CALL.match(address)
    return f"{root}::{call.group()}" if call is not None else None


class Topology(BaseModel):
    """Everything found in scope; built once, then read by every rule."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    networks: list[Network] = Field(default_factory=list)
    subnets: list[Subnet] = Field(default_factory=list)
    connections: list[Connection] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    module_arguments: list[ModuleArgument] = Field(default_factory=list)
    parse_errors: list[ParseError] = Field(default_factory=list)
    not_analysed: list[NotAnalysed] = Field(default_factory=list)
    suppressions: list[Suppression] = Field(default_factory=list)
    files: list[SourceFile] = Field(default_factory=list)
    reserved_ranges: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    # What runs shared code, by the part of its objects' keys it covers: a Terragrunt unit by
    # its name (all of the unit's keys, ``live/prod/vpc``), a root's call of a module that
    # another root runs too by its root and call (``envs/prod::module.vpc``).
    callers: dict[str, Caller] = Field(default_factory=dict)
    # Root -> the scope (address plan) it belongs to, from the configuration's ``scopes``;
    # roots not named here share DEFAULT_SCOPE.
    scopes: dict[str, str] = Field(default_factory=dict)

    def scope_of(self, resource: _Resource) -> str:
        """The address plan a resource's root belongs to: networks in different scopes are
        never compared by VPC204 (connections between them are still checked)."""
        return self.scopes.get(resource.root, DEFAULT_SCOPE)

    def merge(self, other: Topology) -> None:
        """Add everything of ``other`` (one file's or one module's part) to this topology."""
        self.networks.extend(other.networks)
        self.subnets.extend(other.subnets)
        self.connections.extend(other.connections)
        self.attachments.extend(other.attachments)
        self.claims.extend(other.claims)
        self.module_arguments.extend(other.module_arguments)
        self.parse_errors.extend(other.parse_errors)
        self.not_analysed.extend(other.not_analysed)
        self.suppressions.extend(other.suppressions)
        self.files.extend(other.files)
        self.callers.update(other.callers)

    def caller_of(self, resource: Any) -> tuple[str, Caller] | None:
        """The root a resource is named after and the line of that root that runs it, when
        the resource comes from code that several roots run (or from a Terragrunt unit)."""
        key = getattr(resource, "key", None)
        if not self.callers or not isinstance(key, str) or "::" not in key:
            return None
        root, _, address = key.partition("::")
        caller = self.callers.get(root)
        if caller is None:
            call = root_call_key(root, address)
            caller = self.callers.get(call) if call is not None else None
        return (root, caller) if caller is not None else None

    def display_address(self, resource: Any) -> str:
        """How findings, the map and inventories name a resource: its address, after its root
        when several roots run its declaration (``envs/prod: module.vpc.aws_subnet.s[1]``) or
        it is a Terragrunt unit's (``live/prod/vpc: aws_vpc.this``), since each of them has a
        resource of that address."""
        found = self.caller_of(resource)
        address: str = resource.address
        return f"{found[0]}: {address}" if found is not None else address

    @cached_property
    def _networks_by_key(self) -> dict[str, Network]:
        return {network.key: network for network in self.networks}

    @cached_property
    def _networks_by_identity(self) -> dict[str, Network]:
        found: dict[str, Network] = {}
        for network in self.networks:
            for identity in network.identities:
                found.setdefault(identity, network)
        return found

    def resolve(self, ref: NetworkRef) -> Network | None:
        """The network a reference points at, if it is in scope (or declared external)."""
        if ref.key is not None:
            return self._networks_by_key.get(ref.key)
        if ref.external_id is not None:
            return self._networks_by_identity.get(ref.external_id)
        return None

    @cached_property
    def _subnets_by_key(self) -> dict[str, Subnet]:
        return {subnet.key: subnet for subnet in self.subnets}

    def network_of(self, claim: Claim) -> Network | None:
        """The network a claim belongs to, directly or through the subnets it is placed in."""
        if claim.network is not None:
            return self.resolve(claim.network)
        for ref in claim.subnets:
            subnet = self._subnets_by_key.get(ref.key) if ref.key is not None else None
            network = self.resolve(subnet.network) if subnet is not None else None
            if network is not None:
                return network
        return None

    def claims_of(self, network: Network) -> list[Claim]:
        """The claims placed in ``network`` (through their subnets or their own reference)."""
        return self._claims_by_network.get(network.key, [])

    @cached_property
    def _claims_by_network(self) -> dict[str, list[Claim]]:
        grouped: dict[str, list[Claim]] = {}
        for claim in self.claims:
            network = self.network_of(claim)
            if network is not None:
                grouped.setdefault(network.key, []).append(claim)
        return grouped

    def claim_blocks(self, claim: Claim) -> tuple[AddressBlock, ...]:
        """The claim's blocks as declared, or the provider's default for its network."""
        if not claim.provider_default:
            return claim.blocks
        kind = kind_of(claim.kind)
        spec = kind.claim_named(claim.purpose) if kind is not None else None
        default = spec.default if spec is not None else None
        network = self.network_of(claim)
        origin: dict[str, Any] = {
            "location": claim.location,
            "origin": "provider default",
            "version": 4,
        }
        if default is None:
            reason = f"{claim.address} leaves its {claim.purpose} to the provider"
        elif network is None:
            reason = (
                f"the provider's default {claim.purpose} of {claim.address} depends on the "
                "blocks of its network, which is not in scope"
            )
        elif any(block.network is None for block in network.ipv4_blocks):
            reason = (
                f"the provider's default {claim.purpose} of {claim.address} depends on the "
                f"blocks of {network.address}, not all of which are resolved"
            )
        else:
            cidrs = [str(block.network) for block in network.ipv4_blocks]
            return (AddressBlock(cidr=default(cidrs), **origin),)
        unknown = Unknown(reason=reason, location=claim.location)
        return (AddressBlock(unknown=unknown, provider_assigned=True, **origin),)

    def subnets_of(self, network: Network) -> list[Subnet]:
        """The subnets whose network reference resolves to ``network``, in topology order."""
        return self._subnets_by_network.get(network.key, [])

    @cached_property
    def _subnets_by_network(self) -> dict[str, list[Subnet]]:
        grouped: dict[str, list[Subnet]] = {}
        for subnet in self.subnets:
            network = self.resolve(subnet.network)
            if network is not None:
                grouped.setdefault(network.key, []).append(subnet)
        return grouped

    def connected_pairs(self) -> Iterator[tuple[Network, Network, Connection | Attachment]]:
        """Every pair of networks that can route to each other, with what connects them.

        A peering gives one pair (``peerings``); networks attached to one transit gateway are
        connected pairwise (``gateway_members``), reported at the later attachment of each pair.
        """
        yield from self.peerings()
        for members in self.gateway_members().values():
            for index, (second, attachment) in enumerate(members):
                for first, _ in members[:index]:
                    yield first, second, attachment

    def peerings(self) -> Iterator[tuple[Network, Network, Connection]]:
        """Each connection with its two networks, where both are known and not the same one."""
        for connection in self.connections:
            first, second = (self.resolve(end) for end in connection.ends)
            if first is not None and second is not None and first.key != second.key:
                yield first, second, connection

    def gateway_members(self) -> dict[str, list[tuple[Network, Attachment]]]:
        """Each transit gateway's networks in attachment order, a network once (with its first
        attachment): a rule over one gateway's members need not visit every pair of them."""
        members: dict[str, list[tuple[Network, Attachment]]] = {}
        seen: set[tuple[str, str]] = set()
        for attachment in self.attachments:
            network = self.resolve(attachment.network)
            if network is None or attachment.gateway is None:
                continue
            if (attachment.gateway, network.key) not in seen:
                seen.add((attachment.gateway, network.key))
                members.setdefault(attachment.gateway, []).append((network, attachment))
        return members

    def declared_blocks(
        self,
    ) -> Iterator[tuple[Network | Subnet | Claim | ModuleArgument, AddressBlock]]:
        """Every block the project declares, with the resource that declares it: external
        networks (configuration, inventories) are left out, and a claim's provider default,
        which nothing declares, too. A claim's single addresses are not CIDRs, so only the
        unresolved ones are walked (for VPC004); VPC503 judges the others. The CIDRs given to
        modules vpclint does not read come last."""
        for network in self.networks:
            if not network.external:
                for block in network.ipv4_blocks + network.ipv6_blocks:
                    yield network, block
        for subnet in self.subnets:
            for block in subnet.ipv4_blocks + subnet.secondary_ranges + subnet.ipv6_blocks:
                yield subnet, block
        for claim in self.claims:
            for block in claim.blocks:
                yield claim, block
            for address in claim.addresses:
                if address.cidr is None:
                    yield claim, address
        for call in self.module_arguments:
            for block in call.blocks:
                yield call, block


class BlockDeclaration(_Resource):
    """A resource that adds a block to a network or subnet declared elsewhere (an
    ``aws_vpc_ipv4_cidr_block_association``, an ``AWS::EC2::VPCCidrBlock``): what a finding about
    that block is about, so that its message names it and a suppression on it applies."""

    adds_to: str  # the key of the network or subnet the block belongs to


def declaring_resource(owner: Resource, block: AddressBlock) -> Resource:
    """The resource that declared ``block`` of ``owner``: the association that added it, or
    the owner itself."""
    if block.origin_location is None or isinstance(owner, ModuleArgument):
        return owner  # a module argument's origin is its argument path, not a resource
    root = owner.root
    return BlockDeclaration(
        key=f"{root}::{block.origin}" if root else block.origin,
        address=block.origin,
        kind=block.origin_kind or "",
        provider=owner.provider,
        location=block.origin_location,
        adds_to=owner.key,
    )


Resource = Network | Subnet | Connection | Attachment | Claim | ModuleArgument | BlockDeclaration


class Severity(str, Enum):
    """How much a finding matters; ``--fail-on`` and the configuration compare by it."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class RelatedLocation(_Model):
    """The other side of a finding: a resource, where it is declared, and the CIDR involved."""

    file: str
    line: int
    column: int = 1
    resource: str | None = None
    cidr: str | None = None
    message: str | None = None


class Finding(_Model):
    """One reported problem; the engine stamps code, name and severity onto what a rule yields."""

    code: str
    name: str
    severity: Severity
    message: str
    file: str
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    resource: str | None = None
    related: tuple[RelatedLocation, ...] = ()
    suppressed: str | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.message)
