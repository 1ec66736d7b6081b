"""The command line: ``vpclint [PATH ...]``, ``vpclint rules``, ``vpclint explain CODE``, the
address-space views ``vpclint map``, ``vpclint plan``, ``vpclint inventory`` and ``vpclint which``,
and the calculator ``vpclint cidr`` (vpclint/commands).

Exit codes: 0 clean (nothing unsuppressed at or above ``--fail-on``), 1 findings, 2 usage,
configuration or internal error (one line, the traceback only with ``--debug``).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from vpclint import __version__
from vpclint.commands import inventory as inventory_command
from vpclint.commands import map as map_command
from vpclint.commands import plan as plan_command
from vpclint.commands import which as which_command

if TYPE_CHECKING:
    from vpclint.pipeline import RunRequest, RunResult
    from vpclint.topology.models import Finding

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit")
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3, "never": 99}
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


class UsageError(Exception):
    """A problem with how vpclint was called; exits 2 with one line."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse that reports usage errors as UsageError (exit 2, one line) instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def _codes(value: str) -> list[str]:
    return [code.strip().upper() for code in value.split(",") if code.strip()]


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {value!r}")
    return number


def _key_value(value: str) -> tuple[str, str]:
    name, sep, rest = value.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {value!r}")
    return name, rest


def add_project_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of every command that reads a project: paths, config, inputs, parse stage."""
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: .)"
    )
    parser.add_argument(
        "--config", type=Path, help="use this config file (.vpclint.toml or pyproject.toml)"
    )
    parser.add_argument("--no-config", action="store_true", help="ignore config files")
    parser.add_argument(
        "--var-file", type=Path, action="append", default=[], help="Terraform tfvars file"
    )
    parser.add_argument(
        "--var", type=_key_value, action="append", default=[], help="Terraform NAME=VALUE"
    )
    parser.add_argument(
        "--parameter", type=_key_value, action="append", default=[], help="CloudFormation KEY=VALUE"
    )
    parser.add_argument(
        "--inventory",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="another repository's inventory: its networks count as external (repeatable)",
    )
    parser.add_argument(
        "--no-respect-gitignore",
        action="store_true",
        help="also lint what .gitignore files ignore",
    )
    parser.add_argument(
        "-j", "--jobs", type=_positive, help="parallel parse jobs (default: all cores)"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="do not read or write the parse cache"
    )
    parser.add_argument(
        "--cache-dir", type=Path, help="cache folder (default: PROJECT/.vpclint_cache)"
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="say on standard error what the run parsed, evaluated and took from the cache",
    )


def project_request(
    args: argparse.Namespace,
    *,
    show_progress: bool,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> RunRequest:
    """The run asked for by the options of :func:`add_project_arguments`, its config file found
    and read (shared by the lint command and ``map``, ``plan``, ``inventory``)."""
    from vpclint.cache.store import CACHE_FOLDER
    from vpclint.config import (
        Config,
        check_named_files,
        find_config_file,
        load_config,
        project_root_for,
    )
    from vpclint.parse.stage import default_jobs, progress_bar
    from vpclint.pipeline import RunRequest

    paths: list[Path] = args.paths or [Path(".")]
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    if args.config is not None and args.no_config:
        raise UsageError("--config and --no-config exclude each other")
    if args.config is not None:
        if not args.config.is_file():
            raise UsageError(f"config file not found: {args.config}")
        config_file: Path | None = args.config
    else:
        config_file = None if args.no_config else find_config_file(paths[0])
    config = load_config(config_file) if config_file is not None else Config()
    project_root = project_root_for(paths, config_file)
    check_named_files(
        config,
        config_file,
        project_root,
        {"--var-file": args.var_file, "--inventory": args.inventory},
    )
    return RunRequest(
        paths=paths,
        project_root=project_root,
        config=config,
        config_file=config_file,
        var_files=args.var_file,
        variables=dict(args.var),
        parameters=dict(args.parameter),
        inventories=args.inventory,
        respect_gitignore=not args.no_respect_gitignore,
        jobs=args.jobs or default_jobs(),
        cache_dir=None if args.no_cache else (args.cache_dir or project_root / CACHE_FOLDER),
        progress=progress_bar() if show_progress and _is_tty(sys.stderr) else None,
        verbose=_say_on_stderr if args.verbose else None,
        warn=_say_on_stderr,
        select=select,
        extend_select=extend_select,
        ignore=ignore,
    )


def _say_on_stderr(message: str) -> None:
    print(f"vpclint: {message}", file=sys.stderr)


def _add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--select", type=_codes, action="extend", help="only these codes or prefixes (VPC2)"
    )
    parser.add_argument(
        "--extend-select", type=_codes, action="extend", default=[], help="add codes"
    )
    parser.add_argument(
        "--ignore", type=_codes, action="extend", default=[], help="disable codes or prefixes"
    )


def _lint_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="vpclint",
        description="Lint the IP address plan of Terraform and CloudFormation code.",
        epilog=COMMANDS_HELP,
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
    _add_selection_arguments(parser)
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


def _write(text: str, output_file: Path | None, stdout: TextIO) -> None:
    if output_file is None:
        stdout.write(text)
        return
    try:
        output_file.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {output_file}: {error.strerror or error}") from error


def _is_tty(stream: TextIO) -> bool:
    return hasattr(stream, "isatty") and stream.isatty()


def _use_color(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return _is_tty(stream)


def _checked_run(args: argparse.Namespace, *, show_progress: bool) -> tuple[RunRequest, RunResult]:
    """The run of the lint options in ``args``, once every code they and the config name is
    known to exist."""
    from vpclint.check.registry import all_rules, unknown_codes
    from vpclint.config import check_codes, check_rule_options
    from vpclint.pipeline import run

    request = project_request(
        args,
        show_progress=show_progress,
        select=args.select,
        extend_select=args.extend_select,
        ignore=args.ignore,
    )
    config = request.config
    rules = all_rules()
    for option, codes in (
        ("--select", args.select or []),
        ("--extend-select", args.extend_select),
        ("--ignore", args.ignore),
    ):
        unknown = unknown_codes(codes, rules)
        if unknown:
            raise UsageError(
                f"{option} names unknown rule code {', '.join(unknown)} (see `vpclint rules`)"
            )
    check_codes(config, rules, request.config_file)
    check_rule_options(config, rules, request.config_file)
    # A run allocates hundreds of thousands of small objects and frees few before it ends, so
    # the cyclic collector's passes over them cost a fifth of a cold run and find nothing:
    # reference counting frees what is freed. They are frozen before the collector is back on,
    # or its first pass would walk every one of them (a second on the benchmark).
    gc.disable()
    try:
        return request, run(request, rules)
    finally:
        gc.freeze()
        gc.enable()


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


def _lint(argv: Sequence[str], stdout: TextIO) -> int:
    # Arguments first: --version and --help answer before the run's modules are imported.
    args = _lint_parser().parse_args(list(argv))

    from vpclint.report import RENDERERS, Report
    from vpclint.topology.identity import repository_root

    machine_format = args.format != "text" or args.output_file is not None
    request, result = _checked_run(args, show_progress=not (args.quiet or machine_format))
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
        color=args.format == "text" and output is None and _use_color(stdout),
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
    _write(text, output, stdout)
    threshold = SEVERITY_RANK[fail_on]
    failing = [finding for finding in report.active if finding.severity.rank >= threshold]
    return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_CLEAN


def _baseline_command(argv: Sequence[str], stdout: TextIO) -> int:
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
    _add_selection_arguments(parser)
    args = parser.parse_args(list(argv))
    request, result = _checked_run(args, show_progress=False)
    active = [finding for finding in result.findings if finding.suppressed is None]
    _write(render_baseline(active, repository_root(request.project_root)), args.output_file, stdout)
    stdout.write(f"Recorded {len(active)} findings in {args.output_file}.\n")
    return EXIT_CLEAN


def _rules_command(argv: Sequence[str], stdout: TextIO) -> int:
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


def _explain_command(argv: Sequence[str], stdout: TextIO) -> int:
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


def _cidr_command(argv: Sequence[str], stdout: TextIO) -> int:
    # Imported on use: its table of special-purpose ranges is parsed at import, which `--version`
    # and a lint run need not pay for.
    from vpclint.commands import cidr

    return cidr.command(argv, stdout)


SUBCOMMANDS: dict[str, Callable[[Sequence[str], TextIO], int]] = {
    "rules": _rules_command,
    "explain": _explain_command,
    "map": map_command.command,
    "plan": plan_command.command,
    "inventory": inventory_command.command,
    "which": which_command.command,
    "cidr": _cidr_command,
    "baseline": _baseline_command,
}


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
            if arguments and arguments[0] in SUBCOMMANDS:
                return SUBCOMMANDS[arguments[0]](arguments[1:], out)
            return _lint(arguments, out)
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
