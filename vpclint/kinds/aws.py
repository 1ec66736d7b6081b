"""AWS: the Terraform (``aws_*``) and CloudFormation (``AWS::*``) kinds, and AWS's subnet rules."""

from __future__ import annotations

from vpclint.kinds.declaration import CidrField, ProviderRules, ResourceKind, Role

# AWS keeps the network address, the VPC router, DNS, one for future use and the last in every
# subnet, IPv4 and IPv6 alike (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html).
RULES = ProviderRules(name="AWS", reserved_per_subnet=5, reserved_per_ipv6_subnet=5)

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
)

KINDS = (*_TERRAFORM, *_CLOUDFORMATION)
