"""``vpclint rules``: list every rule, built-in and from packs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from vpclint.commands.common import EXIT_CLEAN, ArgumentParser


def command(argv: Sequence[str], stdout: TextIO) -> int:
    from vpclint.check.registry import all_rules

    parser = ArgumentParser(prog="vpclint rules", description="List every rule.")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(list(argv))
    rules = all_rules()
    if args.format == "json":
        import json

        rows = [
            {
                "code": rule.code,
                "name": rule.name,
                "severity": rule.severity.value,
                "summary": rule.summary,
                "origin": rule.origin,
            }
            for rule in rules
        ]
        stdout.write(json.dumps(rows, indent=2) + "\n")
        return EXIT_CLEAN
    name_width = max((len(rule.name) for rule in rules), default=4)
    origin_width = max((len(rule.origin) for rule in rules), default=6)
    stdout.write(
        f"{'CODE':<8}{'NAME':<{name_width + 2}}{'SEVERITY':<10}"
        f"{'ORIGIN':<{origin_width + 2}}SUMMARY\n"
    )
    for rule in rules:
        stdout.write(
            f"{rule.code:<8}{rule.name:<{name_width + 2}}{rule.severity.value:<10}"
            f"{rule.origin:<{origin_width + 2}}{rule.summary}\n"
        )
    return EXIT_CLEAN
