"""Which file names a run reads, declared once for discovery, the parse stage and the front ends."""

from __future__ import annotations

# Terraform and OpenTofu configuration files (a .tofu file overrides the .tf of the same name).
TERRAFORM_CONFIGURATION = (".tf", ".tf.json", ".tofu", ".tofu.json")
TERRAFORM_VARIABLES = (".tfvars", ".tfvars.json")
# Terragrunt's unit files, by their whole name (another .hcl file is read only when a unit
# includes or reads it).
TERRAGRUNT_NAMES = frozenset({"terragrunt.hcl", "terragrunt.stack.hcl"})
# Documents whose content says what they are: CloudFormation templates, Terraform plan JSON,
# and every other YAML or JSON file (skipped silently when it is neither).
DOCUMENTS = (".yaml", ".yml", ".json", ".template")
# Files that are infrastructure code by their name alone: one that cannot be read or is too
# large is VPC001, never skipped.
INFRASTRUCTURE_BY_NAME = (*TERRAFORM_CONFIGURATION, *TERRAFORM_VARIABLES, *TERRAGRUNT_NAMES)
CANDIDATES = (*TERRAFORM_CONFIGURATION, *TERRAFORM_VARIABLES, *DOCUMENTS)
