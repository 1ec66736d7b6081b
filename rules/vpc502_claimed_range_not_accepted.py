"""## What it does
Reports a range a resource claims that its provider does not accept: for an EKS cluster's
Kubernetes service range (`service_ipv4_cidr`, `ServiceIpv4Cidr`), a block outside the RFC 1918
private ranges (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), or wider than /12 or narrower than
/24. Only ranges written in the code are checked; a provider's default is always accepted.

## Why is this bad?
The cluster is refused at creation, after the VPC, subnets and roles of the change have been
applied. The Terraform provider itself checks only the private ranges at plan time, so a /26 or a
/8 is found out only when EKS answers.

## Example
```hcl
resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = ["subnet-0123456789abcdef0"]
  }
  kubernetes_network_config {
    service_ipv4_cidr = "100.64.0.0/16"
  }
}
```

```yaml
Resources:
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/eks
      ResourcesVpcConfig:
        SubnetIds:
          - subnet-0123456789abcdef0
      KubernetesNetworkConfig:
        ServiceIpv4Cidr: 172.20.0.0/26
```

## Use instead
```hcl
resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = ["subnet-0123456789abcdef0"]
  }
  kubernetes_network_config {
    service_ipv4_cidr = "172.20.0.0/16"
  }
}
```

```yaml
Resources:
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/eks
      ResourcesVpcConfig:
        SubnetIds:
          - subnet-0123456789abcdef0
      KubernetesNetworkConfig:
        ServiceIpv4Cidr: 172.20.0.0/20
```

## Options
None.

## References
- [Amazon EKS API: `KubernetesNetworkConfigRequest.serviceIpv4Cidr`](https://docs.aws.amazon.com/eks/latest/APIReference/API_KubernetesNetworkConfigRequest.html)
- [RFC 1918: Address Allocation for Private Internets](https://www.rfc-editor.org/rfc/rfc1918)
"""

from __future__ import annotations

from collections.abc import Iterator

from vpclint.api import (
    AddressBlock,
    ClaimSpec,
    Rule,
    RuleContext,
    Severity,
    Topology,
    Violation,
    claim_spec,
    contains,
    parse_cidr,
    sorted_violations,
)


def _problem(block: AddressBlock, spec: ClaimSpec) -> str | None:
    network = block.network
    if network is None:
        return None  # invalid or unresolved: VPC002 and VPC004 say so
    if spec.within:
        bounds = [parse_cidr(text) for text in spec.within]
        if not any(bound is not None and contains(bound, network) for bound in bounds):
            return f"it is not inside {', '.join(spec.within[:-1])} or {spec.within[-1]}"
    if spec.prefix_lengths is not None:
        widest, narrowest = spec.prefix_lengths
        if not widest <= network.prefixlen <= narrowest:
            return f"a /{network.prefixlen}, where /{widest} to /{narrowest} is accepted"
    return None


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    violations: list[Violation] = []
    for claim in topology.claims:
        spec = claim_spec(claim)
        if spec is None:
            continue
        for block in claim.blocks:
            problem = _problem(block, spec)
            if problem is not None:
                violations.append(
                    Violation(
                        message=f"the provider refuses {claim.purpose} {block.cidr} of "
                        f"{claim.address}: {problem}",
                        location=block.location,
                        subject=claim,
                    )
                )
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC502",
    name="claimed-range-not-accepted",
    severity=Severity.ERROR,
    summary="A range a resource claims (an EKS service range) is outside what its provider accepts",
    check=check,
    doc=__doc__,
)
