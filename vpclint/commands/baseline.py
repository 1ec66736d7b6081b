"""``vpclint baseline``: record today's findings, so that ``--baseline FILE`` fails only on new
ones."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from vpclint.commands.common import (
    EXIT_CLEAN,
    ArgumentParser,
    add_project_arguments,
    add_selection_arguments,
    checked_run,
    write_output,
)


def command(argv: Sequence[str], stdout: TextIO) -> int:
    from vpclint.check.baseline import DEFAULT_BASELINE_FILE, render_baseline
    from vpclint.topology.identity import repository_root

    parser = ArgumentParser(
        prog="vpclint baseline",
        description="Record today's findings, so that `vpclint --baseline FILE` fails only on "
        "new ones.",
    )
    add_project_arguments(parser)
    parser.add_argument(
        "-o",
        "--output-file",
        type=Path,
        default=Path(DEFAULT_BASELINE_FILE),
        help=f"the baseline to write (default: {DEFAULT_BASELINE_FILE})",
    )
    add_selection_arguments(parser)
    args = parser.parse_args(list(argv))
    request, result = checked_run(args, show_progress=False)
    active = [finding for finding in result.findings if finding.suppressed is None]
    write_output(
        render_baseline(active, repository_root(request.project_root)), args.output_file, stdout
    )
    stdout.write(f"Recorded {len(active)} findings in {args.output_file}.\n")
    return EXIT_CLEAN
