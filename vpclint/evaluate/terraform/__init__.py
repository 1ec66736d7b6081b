"""Evaluating Terraform configurations: expressions, functions, modules, and the topology."""
