"""``vpclint explain CODE``: print one rule's documentation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from vpclint.commands.common import EXIT_CLEAN, ArgumentParser, UsageError


def command(argv: Sequence[str], stdout: TextIO) -> int:
    from vpclint.check.registry import all_rules
    from vpclint.docs import explain

    parser = ArgumentParser(prog="vpclint explain", description="Print a rule's documentation.")
    parser.add_argument("code", help="rule code (VPC203) or name (connected-overlap)")
    args = parser.parse_args(list(argv))
    wanted = args.code.strip()
    for rule in all_rules():
        if wanted.upper() == rule.code or wanted == rule.name:
            stdout.write(explain(rule))
            return EXIT_CLEAN
    raise UsageError(f"unknown rule {wanted!r} (see `vpclint rules`)")
