"""## What it does
Reports a value that must be a CIDR block but is not one (`10.0.0/16`, `10.0.0.0/33`,
`banana`, an IPv6 block where an IPv4 block belongs), and a CIDR function that fails, such as
`cidrsubnet()` or `Fn::Cidr` asked for more bits than the prefix has left. The message gives
the reason.

## Why is this bad?
The provider rejects the block at apply time, or the function call fails at plan time, after the
rest of the change has been reviewed and possibly half applied. Until it is fixed, the block takes
no part in any other check.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet("10.0.0.0/28", 8, 1)
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  App:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/33
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet("10.0.0.0/16", 8, 1)
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  App:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
```

## Options
None.

## References
- [Terraform `cidrsubnet` function](https://developer.hashicorp.com/terraform/language/functions/cidrsubnet)
- [CloudFormation `Fn::Cidr`](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-cidr.html)
- [RFC 4632: Classless Inter-domain Routing](https://www.rfc-editor.org/rfc/rfc4632)
"""

from __future__ import annotations

from collections.abc import Iterator

from vpclint.api import (
    AddressBlock,
    Rule,
    RuleContext,
    Severity,
    Topology,
    UnknownKind,
    Violation,
    block_subject,
    cidr_problem,
    parse_cidr,
    sorted_violations,
)


def _problem(block: AddressBlock) -> str | None:
    if block.unknown is not None and block.unknown.kind is UnknownKind.ERROR:
        where = f" (in `{block.unknown.expression}`)" if block.unknown.expression else ""
        return f"invalid CIDR: {block.unknown.reason}{where}"
    if block.cidr is None or block.network is not None:
        return None  # a cached parse of a valid block of the expected family: nothing to say
    problem = cidr_problem(block.cidr)
    if problem is not None:
        return f"invalid CIDR: {problem}"
    parsed = parse_cidr(block.cidr)
    if parsed is not None and block.version is not None and parsed.version != block.version:
        return (
            f"invalid CIDR: {block.cidr!r} is an IPv{parsed.version} block where an "
            f"IPv{block.version} block is expected"
        )
    return None


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    violations: list[Violation] = []
    for owner, block in topology.declared_blocks():
        message = _problem(block)
        if message is not None:
            subject, others = block_subject(owner, block)
            violations.append(
                Violation(message=message, location=block.location, subject=subject, related=others)
            )
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC002",
    name="invalid-cidr",
    severity=Severity.ERROR,
    summary="A value that must be a CIDR is not one, or a CIDR function fails",
    check=check,
    doc=__doc__,
)
