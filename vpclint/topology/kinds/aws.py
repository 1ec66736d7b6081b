"""AWS: the Terraform (``aws_*``) and CloudFormation (``AWS::*``) kinds, and AWS's subnet rules."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import replace

from vpclint.topology.kinds.declaration import (
    CidrField,
    ClaimScope,
    ClaimSpec,
    ProviderRules,
    ResourceKind,
    Role,
    SizeRule,
)

# AWS keeps the network address, the VPC router, DNS, one for future use and the last in every
# subnet, IPv4 and IPv6 alike (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html).
# IPv6 blocks given as a value (BYOIP, IPAM pools) are /44 to /60 in steps of 4; Amazon-provided
# ones are /56. Since the code does not tell which VPCs are IPAM-managed, IPv6 subnets of those
# sizes are accepted besides /64.
_IPAM_IPV6_PREFIXES = (44, 48, 52, 56, 60)
RULES = ProviderRules(
    name="AWS",
    reserved_per_subnet=5,
    reserved_per_ipv6_subnet=5,
    network_sizes=(
        (4, SizeRule(16, 28, "AWS only accepts VPC IPv4 blocks from /16 to /28")),
        (
            6,
            SizeRule(
                44,
                60,
                "AWS only accepts VPC IPv6 blocks of /56 (Amazon-provided) or /44 to /60 in "
                "steps of 4 (IPAM, BYOIP)",
                only=_IPAM_IPV6_PREFIXES,
            ),
        ),
    ),
    subnet_sizes=(
        (4, SizeRule(16, 28, "AWS subnets take IPv4 blocks from /16 to /28")),
        (
            6,
            SizeRule(
                44,
                64,
                "AWS subnets take IPv6 blocks of /64 (other sizes only from IPAM pools)",
                only=(*_IPAM_IPV6_PREFIXES, 64),
            ),
        ),
    ),
)

_EKS_DEFAULT_REFERENCE = (
    "https://docs.aws.amazon.com/eks/latest/APIReference/API_KubernetesNetworkConfigRequest.html"
)
_TEN = ipaddress.IPv4Network("10.0.0.0/8")


def eks_default_service_range(vpc_blocks: Sequence[str]) -> str:
    """The range EKS gives Kubernetes services when the cluster sets none: 10.100.0.0/16 or
    172.20.0.0/16 (the EKS API reference), the latter when the VPC's addresses are in
    10.0.0.0/8, so that the default does not collide with them."""
    in_ten = any(ipaddress.IPv4Network(block, strict=False).subnet_of(_TEN) for block in vpc_blocks)
    return "172.20.0.0/16" if in_ten else "10.100.0.0/16"


# An EKS cluster's service range is routed inside its VPC: it must not collide with the VPC's
# blocks, nor with networks the VPC reaches (their addresses would be shadowed for pods).
_EKS_SERVICE_RANGE = ClaimSpec(
    purpose="Kubernetes service range",
    collides_with=ClaimScope.CONNECTED,
    subnet_references=("vpc_config.subnet_ids",),
    default=eks_default_service_range,
    default_reference=_EKS_DEFAULT_REFERENCE,
    within=("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"),
    prefix_lengths=(12, 24),
)

_IPV4 = CidrField("cidr_block", 4)
_IPV6 = CidrField("ipv6_cidr_block", 6)

_TERRAFORM = (
    ResourceKind("aws_vpc", "terraform", "aws", Role.NETWORK, "aws_vpc", (_IPV4, _IPV6)),
    # The default VPC's block is AWS's 172.31.0.0/16, not an attribute.
    ResourceKind("aws_default_vpc", "terraform", "aws", Role.NETWORK, "aws_vpc", (_IPV6,)),
    ResourceKind(
        "aws_subnet", "terraform", "aws", Role.SUBNET, "aws_subnet", (_IPV4, _IPV6), ("vpc_id",)
    ),
    ResourceKind(
        "aws_vpc_ipv4_cidr_block_association",
        "terraform",
        "aws",
        Role.NETWORK_BLOCK,
        "aws_ipv4_association",
        (_IPV4,),
        ("vpc_id",),
    ),
    ResourceKind(
        "aws_vpc_ipv6_cidr_block_association",
        "terraform",
        "aws",
        Role.NETWORK_BLOCK,
        "aws_ipv6_association",
        (_IPV6,),
        ("vpc_id",),
    ),
    ResourceKind(
        "aws_vpc_peering_connection",
        "terraform",
        "aws",
        Role.CONNECTION,
        "aws_peering",
        references=("vpc_id", "peer_vpc_id"),
    ),
    ResourceKind(
        "aws_ec2_transit_gateway_vpc_attachment",
        "terraform",
        "aws",
        Role.ATTACHMENT,
        "aws_tgw_attachment",
        references=("vpc_id", "transit_gateway_id"),
    ),
    ResourceKind(
        "aws_eks_cluster",
        "terraform",
        "aws",
        Role.CLAIM,
        "claim",
        (CidrField("kubernetes_network_config.service_ipv4_cidr", 4),),
        nested_blocks=("kubernetes_network_config", "vpc_config"),
        claims=(_EKS_SERVICE_RANGE,),
    ),
)

_CFN_IPV4 = CidrField("CidrBlock", 4)
_CFN_IPV6 = CidrField("Ipv6CidrBlock", 6)

_CLOUDFORMATION = (
    ResourceKind("AWS::EC2::VPC", "cloudformation", "aws", Role.NETWORK, "add_vpc", (_CFN_IPV4,)),
    ResourceKind(
        "AWS::EC2::Subnet",
        "cloudformation",
        "aws",
        Role.SUBNET,
        "add_subnet",
        (_CFN_IPV4, _CFN_IPV6, CidrField("Ipv6CidrBlocks", 6)),
        ("VpcId",),
    ),
    ResourceKind(
        "AWS::EC2::VPCCidrBlock",
        "cloudformation",
        "aws",
        Role.NETWORK_BLOCK,
        "add_vpc_block",
        (_CFN_IPV4, _CFN_IPV6),
        ("VpcId",),
    ),
    ResourceKind(
        "AWS::EC2::SubnetCidrBlock",
        "cloudformation",
        "aws",
        Role.SUBNET_BLOCK,
        "add_subnet_block",
        (_CFN_IPV6,),
        ("SubnetId",),
    ),
    ResourceKind(
        "AWS::EC2::VPCPeeringConnection",
        "cloudformation",
        "aws",
        Role.CONNECTION,
        "add_peering",
        references=("VpcId", "PeerVpcId"),
    ),
    ResourceKind(
        "AWS::EC2::TransitGatewayAttachment",
        "cloudformation",
        "aws",
        Role.ATTACHMENT,
        "add_attachment",
        references=("VpcId", "TransitGatewayId"),
    ),
    ResourceKind(
        "AWS::EC2::TransitGatewayVpcAttachment",
        "cloudformation",
        "aws",
        Role.ATTACHMENT,
        "add_attachment",
        references=("VpcId", "TransitGatewayId"),
    ),
    # Networks attached to the two peered gateways are connected: built as one connection per
    # pair once every attachment is known.
    ResourceKind(
        "AWS::EC2::TransitGatewayPeeringAttachment",
        "cloudformation",
        "aws",
        Role.CONNECTION,
        "add_gateway_peering",
        references=("TransitGatewayId", "PeerTransitGatewayId"),
    ),
    ResourceKind(
        "AWS::EKS::Cluster",
        "cloudformation",
        "aws",
        Role.CLAIM,
        "add_claim",
        (CidrField("KubernetesNetworkConfig.ServiceIpv4Cidr", 4),),
        claims=(replace(_EKS_SERVICE_RANGE, subnet_references=("ResourcesVpcConfig.SubnetIds",)),),
    ),
)

KINDS = (*_TERRAFORM, *_CLOUDFORMATION)
