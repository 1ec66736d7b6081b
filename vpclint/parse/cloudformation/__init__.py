"""Decoding CloudFormation templates (YAML and JSON) with line and column marks."""
