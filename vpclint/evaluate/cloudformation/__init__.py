"""Evaluating CloudFormation templates: parameters, conditions, intrinsics, resources."""
