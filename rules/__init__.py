"""The built-in rules, listed explicitly (no folder scanning, no registration by import)."""

from __future__ import annotations

from vpclint.api import Rule

BUILTIN_RULES: tuple[Rule, ...] = ()
