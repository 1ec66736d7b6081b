"""## What it does
Reports a CIDR block whose value cannot be known before apply: it comes from a data source, a
remote state, a variable without a value, a provider-computed attribute, or an evaluation limit
was hit while computing it. The message says why. This is information, not an error: every
other rule skips the block, treating it neither as overlapping nor as free.

Blocks the provider assigns by design are not reported: an Amazon-provided IPv6 block
(`assign_generated_ipv6_cidr_block`, `AmazonProvidedIpv6CidrBlock`) or a block taken from an IPAM
pool is expected to be unknown until apply.

## Why is this bad?
A block vpclint cannot see is a block it cannot check. Giving the variable a value (a `.tfvars`
file listed in `var-files`, a parameter default, a module input) lets the overlap and size rules
cover it too.

## Example
```hcl
variable "vpc_cidr" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block = var.vpc_cidr
}
```

```yaml
Parameters:
  VpcCidr:
    Type: String
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref VpcCidr
```

## Use instead
```hcl
variable "vpc_cidr" {
  type    = string
  default = "10.20.0.0/16"
}

resource "aws_vpc" "main" {
  cidr_block = var.vpc_cidr
}
```

```yaml
Parameters:
  VpcCidr:
    Type: String
    Default: 10.20.0.0/16
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref VpcCidr
```

## Options
None. Its severity is `info`; `--fail-on info` makes unresolved blocks fail the run.

## References
- [Terraform input variables and `.tfvars` files](https://developer.hashicorp.com/terraform/language/values/variables)
- [CloudFormation parameters](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from vpclint.api import Rule, RuleContext, Severity, Topology, UnknownKind, Violation

from ._common import declared_blocks, sorted_violations


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    violations: list[Violation] = []
    for owner, block in declared_blocks(topology):
        unknown = block.unknown
        if unknown is None or block.provider_assigned:
            continue
        if unknown.kind is UnknownKind.UNRESOLVED:
            message = f"CIDR cannot be resolved statically: {unknown.reason}"
        elif unknown.kind is UnknownKind.LIMIT:
            message = f"CIDR not resolved, an evaluation limit was hit: {unknown.reason}"
        else:
            continue  # a failed evaluation is VPC002's
        if unknown.expression:
            message += f" (`{unknown.expression}`)"
        violations.append(Violation(message=message, location=block.location, subject=owner))
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC004",
    name="unresolved-cidr",
    severity=Severity.INFO,
    summary="A CIDR could not be resolved statically",
    check=check,
    doc=__doc__,
)
