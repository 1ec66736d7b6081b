"""## What it does
Reports a file that vpclint recognises as infrastructure code (Terraform `.tf`, `.tf.json`,
`.tfvars`, a CloudFormation template) but cannot read or parse: a syntax error, an undecodable
encoding, a file over the size limit, nesting deeper than the limit, a YAML alias bomb, or a YAML
tag that could construct objects (`!!python/...` and any other global `!!` tag). The finding is at
the failing line when the parser knows it. An unknown *local* tag, such as the pre-processor
directive `!Rain::Module`, is not an error: its value is unknown (VPC004), the rest is checked.

Terraform configuration that Terraform itself refuses to load is reported the same way: an argument
set twice in one block ("Attribute redefined", also in `.tf.json` and tfvars files), and a name
declared twice in one module (a variable, local value, output, module call, resource, data source
or provider configuration, in one file or across the folder's files), at the second declaration
and naming the first; and a module call cycle (a folder calling itself, directly or through other
modules), once, at the call that closes it, naming the folders of the cycle.

## Why is this bad?
A file that cannot be parsed is a file that was not checked. Every network, subnet and peering in
it is missing from the address plan, so overlaps with it go unnoticed. Terraform and CloudFormation
would refuse the file too, usually much later, in a pipeline.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
     Tags: []
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      Tags: []
```

## Options
None. The limits (file size, nesting depth, YAML aliases) are the engine's evaluation limits.

## References
- [Terraform configuration syntax](https://developer.hashicorp.com/terraform/language/syntax/configuration)
- [CloudFormation template anatomy](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from vpclint.api import Rule, RuleContext, Severity, Topology, Violation, sorted_violations


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    violations = [
        Violation(message=error.message, location=error.location) for error in topology.parse_errors
    ]
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC001",
    name="parse-error",
    severity=Severity.ERROR,
    summary="A file recognised as infrastructure code cannot be read or parsed",
    check=check,
    doc=__doc__,
)
