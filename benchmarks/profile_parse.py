"""Where a cold vpclint run spends its time: cProfile of one ``--no-cache --jobs 1`` run.

    python benchmarks/profile_parse.py [--scale 1] [--limit 25] [--sort cumulative] [--save FILE]

Generates the workload (as run.py does), then runs vpclint's CLI in this process under cProfile
with one job, so parsing, evaluation and rules all show up in one profile. The imports vpclint
does inside ``main`` are part of the profile too, as they are part of every run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import workload
from workload import DEFAULT_WORK

SORT_KEYS = ("cumulative", "tottime", "ncalls")


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmarks/profile_parse.py", description=__doc__)
    parser.add_argument("--scale", type=int, default=1, help="workload scale (1 = 500+500)")
    parser.add_argument("--limit", type=int, default=25, help="rows to print (25)")
    parser.add_argument("--sort", choices=SORT_KEYS, default="cumulative", help="sort order")
    parser.add_argument("--save", type=Path, help="also write the raw profile (for snakeviz)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="scratch folder")
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    if not workload.generator_available():
        print(f"skipped: the workload generator {workload.GENERATOR} is absent")
        return 0
    work = workload.generate(arguments.scale, arguments.work.resolve())
    from vpclint.cli import main as vpclint_main

    os.chdir(work.root)
    command = ["--no-cache", "--jobs", "1", "--format", "json", "-o", os.devnull, "."]
    profiler = cProfile.Profile()
    started = time.perf_counter()
    exit_code = profiler.runcall(vpclint_main, command)
    elapsed = time.perf_counter() - started
    print(
        f"vpclint {' '.join(command)} in {work.root}: exit {exit_code}, {elapsed:.2f} s "
        f"under cProfile ({work.terraform_files} .tf files, {work.cloudformation_files} templates)"
    )
    if arguments.save is not None:
        profiler.dump_stats(arguments.save)
        print(f"raw profile: {arguments.save}")
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.strip_dirs().sort_stats(arguments.sort).print_stats(arguments.limit)
    print(text.getvalue())
    return 0 if exit_code in (0, 1) else exit_code


if __name__ == "__main__":
    sys.exit(main())
