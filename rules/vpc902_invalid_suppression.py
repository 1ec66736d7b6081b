"""## What it does
Reported by the engine while it applies suppressions: a `vpclint: ignore[...]` comment or
`Metadata: vpclint: ignore` entry that is malformed, names a code that no rule has, or
suppresses nothing (no finding with that code at that resource). A bare `vpclint: ignore`
without a code list is malformed: vpclint has no blanket ignore.

## Why is this bad?
A suppression that does nothing misleads the reader into thinking a finding was reviewed, and an
unused one hides the next real finding of that code on the resource. A typo in a code
(`VPC2O4`) leaves the finding it meant to silence in place.

## Example
```hcl
# vpclint: ignore[VPC204] sandboxes are never peered
resource "aws_vpc" "sandbox" {
  cidr_block = "10.0.0.0/16"
}
```

```yaml
Resources:
  # vpclint: ignore
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
```

## Use instead
```hcl
resource "aws_vpc" "sandbox" {
  cidr_block = "10.0.0.0/16"
}
```

```yaml
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
```

## Options
None. Unused suppressions are only reported when every code they name is enabled, so a
`--select` run does not flag the others.

## References
- [ruff: unused `noqa` directives (RUF100)](https://docs.astral.sh/ruff/rules/unused-noqa/)
"""

from __future__ import annotations

from vpclint.api import Rule, Severity

RULE = Rule(
    code="VPC902",
    name="invalid-suppression",
    severity=Severity.WARNING,
    summary="A suppression comment is malformed, names an unknown code, or suppresses nothing",
    check=None,
    doc=__doc__,
)
