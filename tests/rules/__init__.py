# Rules about resources only Terraform declares (AKS clusters): no CloudFormation fixture or
# example can show them.
TERRAFORM_ONLY_RULES = frozenset({"VPC503"})
