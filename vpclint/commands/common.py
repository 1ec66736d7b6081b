"""What the sub-commands share: exit codes, argument parsing that raises UsageError, the
options of every command that reads a project, the checked lint run, writing the output."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from vpclint.pipeline import RunRequest, RunResult

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class UsageError(Exception):
    """A problem with how vpclint was called; exits 2 with one line."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse that reports usage errors as UsageError (exit 2, one line) instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def codes(value: str) -> list[str]:
    return [code.strip().upper() for code in value.split(",") if code.strip()]


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {value!r}")
    return number


def key_value(value: str) -> tuple[str, str]:
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
        "--var", type=key_value, action="append", default=[], help="Terraform NAME=VALUE"
    )
    parser.add_argument(
        "--parameter", type=key_value, action="append", default=[], help="CloudFormation KEY=VALUE"
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
        "-j", "--jobs", type=positive, help="parallel parse jobs (default: all cores)"
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
        progress=progress_bar() if show_progress and is_tty(sys.stderr) else None,
        verbose=say_on_stderr if args.verbose else None,
        warn=say_on_stderr,
        select=select,
        extend_select=extend_select,
        ignore=ignore,
    )


def say_on_stderr(message: str) -> None:
    print(f"vpclint: {message}", file=sys.stderr)


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--select", type=codes, action="extend", help="only these codes or prefixes (VPC2)"
    )
    parser.add_argument(
        "--extend-select", type=codes, action="extend", default=[], help="add codes"
    )
    parser.add_argument(
        "--ignore", type=codes, action="extend", default=[], help="disable codes or prefixes"
    )


def parser(prog: str, description: str) -> argparse.ArgumentParser:
    """A sub-command's parser with the project options and ``--debug``."""
    built = ArgumentParser(prog=prog, description=description)
    add_project_arguments(built)
    built.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    return built


def write_output(text: str, output_file: Path | None, stdout: TextIO) -> None:
    if output_file is None:
        stdout.write(text)
        return
    try:
        output_file.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {output_file}: {error.strerror or error}") from error


def can_draw_boxes(stream: TextIO) -> bool:
    """Whether the stream's encoding has the box-drawing characters of the tree view."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        "├─│└█░".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def is_tty(stream: TextIO) -> bool:
    return hasattr(stream, "isatty") and stream.isatty()


def use_color(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return is_tty(stream)


def checked_run(args: argparse.Namespace, *, show_progress: bool) -> tuple[RunRequest, RunResult]:
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
