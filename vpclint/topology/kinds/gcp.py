"""Google Cloud: the Terraform ``google_compute_*`` kinds and Google Cloud's subnet rules."""

from __future__ import annotations

from vpclint.topology.kinds.declaration import (
    CidrField,
    ProviderRules,
    ResourceKind,
    Role,
    SizeRule,
)

# Google Cloud keeps the network address, the default gateway, the second-to-last and the
# broadcast address of every subnet's primary range
# (https://cloud.google.com/vpc/docs/subnets#unusable-ip-addresses-in-every-subnet); it documents
# none for IPv6 ranges, so no usable count is claimed for them.
RULES = ProviderRules(
    name="GCP",
    reserved_per_subnet=4,
    reserved_per_ipv6_subnet=None,
    subnet_sizes=((4, SizeRule(0, 29, "GCP subnetwork primary ranges must be /29 or larger")),),
)

KINDS = (
    # An auto-mode network (auto_create_subnetworks, the default) occupies 10.128.0.0/9.
    ResourceKind("google_compute_network", "terraform", "gcp", Role.NETWORK, "gcp_network"),
    ResourceKind(
        "google_compute_subnetwork",
        "terraform",
        "gcp",
        Role.SUBNET,
        "gcp_subnetwork",
        (CidrField("ip_cidr_range", 4), CidrField("secondary_ip_range.ip_cidr_range", 4)),
        ("network",),
        nested_blocks=("secondary_ip_range",),
    ),
    ResourceKind(
        "google_compute_network_peering",
        "terraform",
        "gcp",
        Role.CONNECTION,
        "gcp_peering",
        references=("network", "peer_network"),
    ),
)
