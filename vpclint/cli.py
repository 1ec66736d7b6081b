"""The command line: ``vpclint [PATH ...]``, ``vpclint rules``, ``vpclint explain CODE``, the
address-space views ``vpclint map``, ``vpclint plan``, ``vpclint inventory`` and ``vpclint which``,
and the calculator ``vpclint cidr`` (vpclint/commands).

Exit codes: 0 clean (nothing unsuppressed at or above ``--fail-on``), 1 findings, 2 usage,
configuration or internal error (one line, the traceback only with ``--debug``).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import TextIO

from vpclint.commands.common import EXIT_ERROR, EXIT_FINDINGS, UsageError

COMMANDS_HELP = """commands (each has its own --help):
  vpclint rules                 list the rules
  vpclint explain CODE          document one rule
  vpclint map [PATH...]         the address map: networks, subnets, free space
  vpclint plan --prefix /N      propose free aligned blocks and their split
  vpclint inventory [PATH...]   export the networks for other repositories
  vpclint which CIDR|IP [PATH...]
                                every network, subnet and claim holding a block
  vpclint cidr explain|overlaps|contains|divide ...
                                CIDR math without reading a project
  vpclint baseline [-o FILE] [PATH...]
                                record today's findings; --baseline FILE then fails on new ones"""


# Each sub-command's module, imported on use: `--version` and `--help` load none of them, and
# `vpclint cidr` need not load the project machinery (nor the others its table of ranges).
SUBCOMMANDS: dict[str, str] = {
    "rules": "vpclint.commands.rules",
    "explain": "vpclint.commands.explain",
    "map": "vpclint.commands.map",
    "plan": "vpclint.commands.plan",
    "inventory": "vpclint.commands.inventory",
    "which": "vpclint.commands.which",
    "cidr": "vpclint.commands.cidr",
    "baseline": "vpclint.commands.baseline",
}


def _dispatch(arguments: list[str], stdout: TextIO) -> int:
    if arguments and arguments[0] in SUBCOMMANDS:
        command: Callable[[Sequence[str], TextIO], int] = import_module(
            SUBCOMMANDS[arguments[0]]
        ).command
        return command(arguments[1:], stdout)
    from vpclint.commands import lint

    return lint.command(arguments, stdout, COMMANDS_HELP)


def _user_error_types() -> tuple[type[Exception], ...]:
    """The errors that exit 2 with one line and no traceback: usage, configuration, rule packs.

    Looked up among the modules already imported: an error class never imported cannot have been
    raised, and importing vpclint.config only to name its error would load pydantic (most of the
    start-up time) for ``--version`` and ``--help``.
    """
    found: list[type[Exception]] = [UsageError]
    for module_name, class_name in (
        ("vpclint.config", "ConfigError"),
        ("vpclint.check.registry", "RuleLoadError"),
        ("vpclint.check.baseline", "BaselineError"),
        ("vpclint.evaluate.contract", "SettingsError"),
    ):
        module = sys.modules.get(module_name)
        if module is not None:
            found.append(getattr(module, class_name))
    return tuple(found)


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run vpclint; returns the exit code (the console script passes it to sys.exit)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    debug = "--debug" in arguments
    try:
        # Messages a run prints on its own (-v, the progress bar) go where the caller said.
        with contextlib.redirect_stderr(err):
            return _dispatch(arguments, out)
    except SystemExit as exit_:  # --help and --version
        return int(exit_.code or 0) if isinstance(exit_.code, int) else EXIT_ERROR
    except BrokenPipeError:
        # The reader went away (`vpclint explain X | head`): stop quietly, as a pipe member should.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        err.write("vpclint: interrupted\n")
        return EXIT_ERROR
    except Exception as error:
        if isinstance(error, _user_error_types()):
            err.write(f"vpclint: error: {error}\n")
            return EXIT_ERROR
        if debug:
            import traceback  # only on this path: --version stays a bare start-up

            traceback.print_exc(file=err)
        err.write(
            f"vpclint: internal error: {type(error).__name__}: {error}"
            + ("" if debug else " (run with --debug for the traceback)")
            + "\n"
        )
        return EXIT_ERROR
