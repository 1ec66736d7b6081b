"""## What it does
Reports address space a resource claims inside a network without being a subnet, such as an EKS
cluster's Kubernetes service range, that overlaps the blocks of a network it must stay clear of:
its own network, and every network that network is connected to (by a peering or a shared
transit gateway). The claim's network is the one it names, or that of the subnets it is placed
in (an EKS cluster's `vpc_config.subnet_ids`, `ResourcesVpcConfig.SubnetIds`).

A claim left unset takes the provider's default, and that default is checked the same way: an
EKS cluster without `service_ipv4_cidr` gets 172.20.0.0/16 when its VPC has a block in
10.0.0.0/8, else 10.100.0.0/16; the message says when the range is the default.

One finding per claimed block and network, at the claimed block (the resource itself for a
default), with the network's block as the other side. A block vpclint cannot resolve is never
assumed to overlap.

## Why is this bad?
A pod sends traffic for an address in the service range to a Kubernetes service, never out to
the VPC: the instances, databases and load balancers of the overlapping part of the VPC or of a
peered network become unreachable from the cluster, with no error anywhere. An EKS service range
cannot be changed after the cluster is created.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "nodes" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.nodes.id]
  }
  kubernetes_network_config {
    service_ipv4_cidr = "10.0.128.0/20"
  }
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Nodes:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/eks
      ResourcesVpcConfig:
        SubnetIds:
          - !Ref Nodes
      KubernetesNetworkConfig:
        ServiceIpv4Cidr: 10.0.128.0/20
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "nodes" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.nodes.id]
  }
  kubernetes_network_config {
    service_ipv4_cidr = "172.20.0.0/16"
  }
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Nodes:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/eks
      ResourcesVpcConfig:
        SubnetIds:
          - !Ref Nodes
      KubernetesNetworkConfig:
        ServiceIpv4Cidr: 172.20.0.0/16
```

## Options
None.

## References
- [Amazon EKS API: `KubernetesNetworkConfigRequest.serviceIpv4Cidr`](https://docs.aws.amazon.com/eks/latest/APIReference/API_KubernetesNetworkConfigRequest.html)
- [Terraform `aws_eks_cluster` `kubernetes_network_config`](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_cluster#kubernetes_network_config)
- [CloudFormation `AWS::EKS::Cluster` `KubernetesNetworkConfig`](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-eks-cluster-kubernetesnetworkconfig.html)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache, partial

from vpclint.api import (
    AddressBlock,
    Claim,
    ClaimScope,
    Network,
    Placed,
    Related,
    Rule,
    RuleContext,
    Severity,
    Topology,
    Violation,
    network_space,
    overlaps,
    sorted_violations,
)

Neighbours = dict[str, list[tuple[Network, str]]]


def _neighbours(topology: Topology) -> Neighbours:
    """Each network's connected networks, each once with the first link that connects them, in
    the order ``connected_pairs`` gives them: one pass for every claim of the run."""
    found: Neighbours = {}
    seen: set[tuple[str, str]] = set()
    for first, second, link in topology.connected_pairs():
        for own, other in ((first, second), (second, first)):
            if (own.key, other.key) not in seen:
                seen.add((own.key, other.key))
                found.setdefault(own.key, []).append((other, f"connected through {link.address}"))
    return found


def _networks_to_avoid(
    topology: Topology, claim: Claim, own: Network, neighbours: Callable[[], Neighbours]
) -> list[tuple[Network, str]]:
    """The networks whose blocks the claim must stay clear of, each with how it is reached."""
    if claim.collides_with is ClaimScope.EVERYTHING:
        return [
            (network, "its own network" if network.key == own.key else "in scope")
            for network in topology.networks
        ]
    found = [(own, "its own network")]
    if claim.collides_with is ClaimScope.CONNECTED:
        found.extend(neighbours().get(own.key, ()))
    return found


def _first_overlap(block: AddressBlock, space: list[Placed]) -> Placed | None:
    mine = block.network
    if mine is None:
        return None
    return next((placed for placed in space if overlaps(mine, placed.ip)), None)


def _sibling_overlaps(topology: Topology) -> Iterator[Violation]:
    """The ranges of one resource that overlap each other (an AKS pod range inside its own
    service range), reported at the later claim's block."""
    by_resource: dict[str, list[Claim]] = {}
    for claim in topology.claims:
        by_resource.setdefault(claim.key.partition("#")[0], []).append(claim)
    for claims in by_resource.values():
        earlier: list[tuple[Claim, AddressBlock]] = []
        for claim in claims:
            for block in topology.claim_blocks(claim):
                mine = block.network
                for other, theirs in earlier:
                    if mine is None or theirs.network is None:
                        continue
                    if overlaps(mine, theirs.network):
                        yield Violation(
                            message=f"{claim.purpose} {block.cidr} of {claim.address} overlaps "
                            f"its {_default(other)}{other.purpose} {theirs.cidr}",
                            location=block.location,
                            subject=claim,
                            related=(
                                Related(location=theirs.location, resource=other, cidr=theirs.cidr),
                            ),
                        )
                earlier.append((claim, block))


def _default(claim: Claim) -> str:
    return "provider's default " if claim.provider_default else ""


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    violations: list[Violation] = list(_sibling_overlaps(topology))
    neighbours = cache(partial(_neighbours, topology))
    spaces: dict[str, list[Placed]] = {}
    for claim in topology.claims:
        own = topology.network_of(claim)
        if own is None:
            continue
        targets = _networks_to_avoid(topology, claim, own, neighbours)
        for block in topology.claim_blocks(claim):
            for network, how in targets:
                if network.key not in spaces:
                    spaces[network.key] = network_space(topology, network)
                theirs = _first_overlap(block, spaces[network.key])
                if theirs is None:
                    continue
                default = "the " + _default(claim) if claim.provider_default else ""
                violations.append(
                    Violation(
                        message=f"{default}{claim.purpose} {block.cidr} of {claim.address} "
                        f"overlaps {theirs.described} ({how})",
                        location=block.location,
                        subject=claim,
                        related=(theirs.as_related,),
                    )
                )
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC501",
    name="claimed-range-overlap",
    severity=Severity.ERROR,
    summary="A range a resource claims (an EKS service range) overlaps its own or a connected "
    "network",
    check=check,
    doc=__doc__,
)
