"""The lint command, ``vpclint [PATH ...]``: lint, report, and exit by the findings."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from vpclint import __version__
from vpclint.commands.common import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    ArgumentParser,
    UsageError,
    add_project_arguments,
    add_selection_arguments,
    checked_run,
    use_color,
    write_output,
)

if TYPE_CHECKING:
    from vpclint.pipeline import RunRequest, RunResult
    from vpclint.topology.models import Finding

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit")
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3, "never": 99}


def lint_parser(commands_help: str) -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="vpclint",
        description="Lint the IP address plan of Terraform and CloudFormation code.",
        epilog=commands_help,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_project_arguments(parser)
    parser.add_argument(
        "--output-format",
        "--format",
        dest="format",
        choices=FORMATS,
        default="text",
        help="output format (default: text)",
    )
    parser.add_argument("-o", "--output-file", type=Path, help="write the report to this file")
    add_selection_arguments(parser)
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="report the findings recorded in FILE (`vpclint baseline`) as suppressed",
    )
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "info", "never"),
        help="lowest severity that makes the exit code 1 (default: error)",
    )
    parser.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even with findings (usage and internal errors still exit 2)",
    )
    parser.add_argument("--statistics", action="store_true", help="count findings per rule")
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print findings only, no summary"
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    parser.add_argument("--version", action="version", version=f"vpclint {__version__}")
    return parser


def _baselined(request: RunRequest, result: RunResult, baseline_file: Path) -> list[Finding]:
    from vpclint.check.baseline import apply_baseline, load_baseline
    from vpclint.pipeline import engine_settings
    from vpclint.topology.identity import repository_path, repository_root

    if not baseline_file.is_file():
        raise UsageError(f"baseline file not found: {baseline_file}")
    root = repository_root(request.project_root)
    settings = engine_settings(request)
    stale = next((rule for rule in result.rules if rule.code == "VPC902"), None)
    enabled = stale is not None and settings.selection.enabled(stale.code)
    return apply_baseline(
        result.findings,
        load_baseline(baseline_file),
        root=root,
        baseline_file=os.path.relpath(baseline_file),
        linted=[repository_path(str(path), root) for path in request.paths or [Path(".")]],
        stale_severity=settings.severities.get("VPC902", stale.severity)
        if enabled and stale is not None
        else None,
    )


def command(argv: Sequence[str], stdout: TextIO, commands_help: str = "") -> int:
    # Arguments first: --version and --help answer before the run's modules are imported.
    args = lint_parser(commands_help).parse_args(list(argv))

    from vpclint.report import RENDERERS, Report
    from vpclint.topology.identity import repository_root

    machine_format = args.format != "text" or args.output_file is not None
    request, result = checked_run(args, show_progress=not (args.quiet or machine_format))
    config = request.config
    findings = result.findings
    baseline_file = args.baseline
    if baseline_file is None and config.baseline is not None and request.config_file is not None:
        baseline_file = request.config_file.parent / config.baseline
    if baseline_file is not None:
        findings = sorted(_baselined(request, result, baseline_file), key=lambda f: f.sort_key)
    fail_on = args.fail_on or config.fail_on
    output = args.output_file
    report = Report(
        findings=findings,
        rules=result.rules,
        files_linted=result.count_files("parsed"),
        files_failed=result.count_files("failed"),
        files_skipped=result.count_files("skipped"),
        color=args.format == "text" and output is None and use_color(stdout),
        statistics=args.statistics,
        quiet=args.quiet,
        coverage=result.coverage,
        repository_root=repository_root(request.project_root),
    )
    if report.files_linted + report.files_failed == 0:
        # Like ruff's "No Python files found": a wrong path or a wrong checkout, not a pass.
        print(
            "vpclint: warning: no Terraform or CloudFormation file found in "
            + ", ".join(str(path) for path in request.paths),
            file=sys.stderr,
        )
    text = RENDERERS[args.format](report)
    write_output(text, output, stdout)
    threshold = SEVERITY_RANK[fail_on]
    failing = [finding for finding in report.active if finding.severity.rank >= threshold]
    return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_CLEAN
