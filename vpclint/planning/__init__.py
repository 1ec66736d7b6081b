"""Seeing and planning the address space: the map, the next-free-block planner, inventories.

Everything here reads a finished :class:`~vpclint.topology.models.Topology`
(and a lint run's findings);
nothing parses or judges.
"""
