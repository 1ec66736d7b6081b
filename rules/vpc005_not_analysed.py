"""## What it does
Reports a module, file or folder that vpclint could not look into, and why. vpclint reads only
what lies inside the project (the folder of the config file, else the git top level), judged by
real path, so that linting an untrusted pull request never reads the machine around it:

- a symlinked file or folder whose real path leaves the project is not followed;
- a local module `source` whose real path leaves the project is not read;
- a module folder that `.terraform/modules/modules.json` places outside the project is not read;
- a symlinked `.tf` file in a called module folder that leads outside the project is not read;
- a folder that cannot be listed (no permission) or a module path the file system refuses (a name
  over 255 bytes) is skipped;
- a module whose source is a registry, git, http or bucket address is never downloaded: it is
  read from the copy `terraform init` made when `.terraform/modules/modules.json` lists one,
  and only terraform-aws-modules/vpc/aws is modelled without it. Otherwise the call is reported,
  and the values of CIDR form written into its arguments (`subnet_ip = "10.0.0.0/33"`, through
  variables and functions too) are still checked by VPC002 (VPC003 leaves them alone: a module may
  take an interface address with its prefix, `169.254.1.1/30`);
- a CloudFormation `Fn::ForEach` loop that may declare networks or subnets is not expanded when
  its collection is only known at deployment, when it is malformed, when it would generate more
  than `max-expansion` entries, or when the template lacks the `AWS::LanguageExtensions` transform;
- a CloudFormation nested stack whose template is remote (an S3 or HTTPS `TemplateURL`, a
  Serverless Application Repository application), computed, not among the linted files, nests
  itself, or is nested deeper than `max-module-depth`.

The finding is at the link, the folder, the `module` block or the loop. The other files are
linted as usual.

## Why is this bad?
What vpclint could not read is missing from the address plan: the networks and subnets of a
module outside the project are not checked against the project's, so overlaps with them go
unnoticed. A symlink out of a repository is also the classic way for a pull request to make a
tool in CI read files of the machine it runs on.

## Example
```hcl
module "network" {
  source = "../../shared/network"
}
```

```console
$ ls -l modules/
network -> /opt/shared/terraform/network
```

## Use instead
```hcl
module "network" {
  source = "./modules/network"
}
```

```console
$ ls -l modules/
network/
```

Keep the modules inside the repository (a copy, a git submodule), or lint from the folder that
holds both (a config file there makes it the project). For a registry or git module, run
`terraform init` in the root module folder before linting (in CI, the step before vpclint).

## Options
None.

## References
- [Terraform local module sources](https://developer.hashicorp.com/terraform/language/modules/sources#local-paths)
- [CWE-59: Improper Link Resolution Before File Access](https://cwe.mitre.org/data/definitions/59.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from vpclint.api import Rule, RuleContext, Severity, Topology, Violation, sorted_violations


def check(topology: Topology, context: RuleContext) -> Iterator[Violation]:
    # Discovery and a module call can both meet the same symlink in a module folder.
    unique = {(item.location, item.message): item for item in topology.not_analysed}
    violations = [Violation(message=message, location=where) for where, message in unique]
    yield from sorted_violations(violations)


RULE = Rule(
    code="VPC005",
    name="not-analysed",
    severity=Severity.WARNING,
    summary="A module, file or folder vpclint could not look into",
    check=check,
    doc=__doc__,
)
