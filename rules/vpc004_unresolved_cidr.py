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
- `max-per-reason` (default 3): when more blocks than this in one folder are unresolved for
  the same reason (every subnet carved from one variable without a value), they are one
  finding at the first of them, naming them all: the fix is one value, not one per block. The
  summary still counts every unresolved block.

Its severity is `info`; `--fail-on info` makes unresolved blocks fail the run.

## References
- [Terraform input variables and `.tfvars` files](https://developer.hashicorp.com/terraform/language/values/variables)
- [CloudFormation parameters](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html)
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from vpclint.api import (
    AddressBlock,
    Related,
    Resource,
    Rule,
    RuleContext,
    Severity,
    Topology,
    UnknownKind,
    Violation,
    block_subject,
    declaring_resource,
    sorted_violations,
)

# How many resources a finding for many blocks names; the rest are counted.
LISTED = 10


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    per_reason = int(context.options["max-per-reason"])
    # Blocks unresolved for one reason in one folder (every subnet carved from one variable
    # without a value) are one decision: give that value.
    by_reason: dict[tuple[str, str], list[tuple[Resource, AddressBlock]]] = {}
    for owner, block in topology.declared_blocks():
        unknown = block.unknown
        if unknown is None or block.provider_assigned:
            continue
        if unknown.kind is UnknownKind.UNRESOLVED:
            message = f"CIDR cannot be resolved statically: {unknown.reason}"
        elif unknown.kind is UnknownKind.LIMIT:
            message = f"CIDR not resolved, an evaluation limit was hit: {unknown.reason}"
        else:
            continue  # a failed evaluation is VPC002's
        folder = posixpath.dirname(block.location.file)
        by_reason.setdefault((folder, message), []).append((owner, block))
    violations: list[Violation] = []
    for (_, message), blocks in by_reason.items():
        if len(blocks) > per_reason:
            violations.append(_one_for_the_reason(message, blocks))
            continue
        for resource, unresolved in blocks:
            expression = unresolved.unknown.expression if unresolved.unknown else None
            suffix = f" (`{expression}`)" if expression else ""
            subject, others = block_subject(resource, unresolved)
            violations.append(
                Violation(
                    message=message + suffix,
                    location=unresolved.location,
                    subject=subject,
                    related=others,
                )
            )
    yield from sorted_violations(violations)


def _one_for_the_reason(message: str, blocks: list[tuple[Resource, AddressBlock]]) -> Violation:
    ordered = sorted(blocks, key=lambda item: (item[1].location.file, item[1].location.line))
    owner, block = ordered[0]
    subject, others = block_subject(owner, block)
    named = [declaring_resource(item[0], item[1]).address for item in ordered]
    listed = ", ".join(named[:LISTED])
    if len(named) > LISTED:
        listed += f" and {len(named) - LISTED} more"
    return Violation(
        message=f"{message}, for {len(blocks)} blocks: {listed}",
        location=block.location,
        subject=subject,
        related=others
        + tuple(
            Related(location=other.location, resource=declaring_resource(other_owner, other))
            for other_owner, other in ordered[1:]
        ),
    )


RULE = Rule(
    code="VPC004",
    name="unresolved-cidr",
    severity=Severity.INFO,
    summary="A CIDR could not be resolved statically",
    check=check,
    options={"max-per-reason": 3},
    doc=__doc__,
)
