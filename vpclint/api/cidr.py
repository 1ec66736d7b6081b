"""CIDR math for rules: parse, compare, sweep.

A parsed CIDR is a ``netaddr.IPNetwork`` (exported here as :data:`IPNetwork`), the type of
``AddressBlock.network`` too. This is a documented part of the API, not a leak: netaddr is a
dependency of vpclint, and a rule may read ``version``, ``first``, ``last``, ``prefixlen``,
``size`` and ``cidr`` of one. A rule compares blocks with :func:`overlaps` and :func:`contains`
(IP versions never overlap), and many blocks at once with :func:`overlapping_pairs` over
:class:`Interval` objects (plain integers: far cheaper than netaddr's attributes in a loop).
"""

from __future__ import annotations

from netaddr import IPNetwork

from vpclint.topology.cidr import (
    Interval,
    canonical,
    cidr_problem,
    contains,
    is_canonical,
    overlapping_pairs,
    overlaps,
    parse_cidr,
)

__all__ = [
    "IPNetwork",
    "Interval",
    "canonical",
    "cidr_problem",
    "constant_network",
    "contains",
    "is_canonical",
    "overlapping_pairs",
    "overlaps",
    "parse_cidr",
]


def constant_network(text: str) -> IPNetwork:
    """A range the rule itself names, such as ``10.0.0.0/8``, as a network.

    For the rule's own constants only: a CIDR written wrongly there is the rule's bug and
    raises ``ValueError``. Text from the input goes through :func:`parse_cidr`, which returns
    None instead.
    """
    network = parse_cidr(text)
    if network is None:
        raise ValueError(f"not a CIDR: {text}")
    return network
