"""Where rules come from: the built-in list and third-party packs under ``vpclint.rules``."""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Iterable, Sequence
from importlib.metadata import entry_points

from vpclint.api import Rule

ENTRY_POINT_GROUP = "vpclint.rules"


class RuleLoadError(Exception):
    """A rule pack that cannot be loaded or that clashes with another rule's code."""


def builtin_rules() -> list[Rule]:
    # Imported by name: the folder rules/ installs as vpclint.rules, a mapping type checkers
    # do not follow.
    module = importlib.import_module("vpclint.rules")
    return list(module.BUILTIN_RULES)


def plugin_rules() -> list[Rule]:
    found: list[Rule] = []
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry_point.load()
        except Exception as error:
            raise RuleLoadError(
                f"cannot load rule pack {entry_point.name!r} ({entry_point.value}): {error}"
            ) from error
        items: Iterable[object] = loaded if isinstance(loaded, list | tuple) else [loaded]
        origin = entry_point.dist.name if entry_point.dist is not None else entry_point.name
        for item in items:
            if not isinstance(item, Rule):
                raise RuleLoadError(
                    f"rule pack {entry_point.name!r} exposes {type(item).__name__}, "
                    "not vpclint.api.Rule"
                )
            found.append(dataclasses.replace(item, origin=origin))
    return found


def all_rules() -> list[Rule]:
    rules = builtin_rules()
    codes = {rule.code: rule for rule in rules}
    for rule in plugin_rules():
        if rule.code in codes:
            raise RuleLoadError(
                f"rule {rule.code} from {rule.origin} clashes with {rule.code} from "
                f"{codes[rule.code].origin}"
            )
        codes[rule.code] = rule
        rules.append(rule)
    return sorted(rules, key=lambda rule: rule.code)


def unknown_codes(codes: Iterable[str], rules: Sequence[Rule]) -> list[str]:
    """The codes and prefixes among ``codes`` that start no loaded rule's code (``ALL`` is
    always known), so a typo such as ``VPC2O3`` is an error instead of selecting nothing."""
    known = [rule.code for rule in rules]
    return [
        code
        for code in codes
        if code != "ALL" and not any(rule_code.startswith(code) for rule_code in known)
    ]
