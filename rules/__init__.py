"""The built-in rules, listed explicitly (no folder scanning, no registration by import)."""

from __future__ import annotations

from vpclint.api import Rule

from . import (
    vpc001_parse_error,
    vpc002_invalid_cidr,
    vpc003_non_canonical_cidr,
    vpc004_unresolved_cidr,
    vpc005_not_analysed,
    vpc101_network_size_out_of_range,
    vpc102_subnet_size_out_of_range,
    vpc103_oversized_network,
    vpc104_underused_network,
    vpc201_subnet_outside_network,
    vpc202_subnet_overlap,
    vpc203_connected_overlap,
    vpc204_network_overlap,
    vpc205_reserved_range_overlap,
    vpc206_association_overlap,
    vpc207_secondary_range_restricted,
    vpc208_too_many_blocks,
    vpc301_network_missing_ipv6,
    vpc302_subnet_missing_ipv6,
    vpc401_public_range,
    vpc402_forbidden_range,
    vpc901_rule_crashed,
    vpc902_invalid_suppression,
)

BUILTIN_RULES: tuple[Rule, ...] = (
    vpc001_parse_error.RULE,
    vpc002_invalid_cidr.RULE,
    vpc003_non_canonical_cidr.RULE,
    vpc004_unresolved_cidr.RULE,
    vpc005_not_analysed.RULE,
    vpc101_network_size_out_of_range.RULE,
    vpc102_subnet_size_out_of_range.RULE,
    vpc103_oversized_network.RULE,
    vpc104_underused_network.RULE,
    vpc201_subnet_outside_network.RULE,
    vpc202_subnet_overlap.RULE,
    vpc203_connected_overlap.RULE,
    vpc204_network_overlap.RULE,
    vpc205_reserved_range_overlap.RULE,
    vpc206_association_overlap.RULE,
    vpc207_secondary_range_restricted.RULE,
    vpc208_too_many_blocks.RULE,
    vpc301_network_missing_ipv6.RULE,
    vpc302_subnet_missing_ipv6.RULE,
    vpc401_public_range.RULE,
    vpc402_forbidden_range.RULE,
    vpc901_rule_crashed.RULE,
    vpc902_invalid_suppression.RULE,
)
