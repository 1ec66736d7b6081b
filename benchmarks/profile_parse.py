"""Where a cold vpclint run spends its time: cProfile of one ``--no-cache --jobs 1`` run.

    python benchmarks/profile_parse.py [--scale 1] [--limit 25] [--sort cumulative] [--save FILE]
    python benchmarks/profile_parse.py --warm    # a warm run instead (cache filled, unprofiled)

Generates the workload (as run.py does), then runs vpclint with one job in a fresh interpreter
under ``python -m cProfile``, so parsing, evaluation, rules and vpclint's own imports all show up
in one profile, as they do in every run.
"""

from __future__ import annotations

import argparse
import io
import os
import pstats
import subprocess
import sys
import tempfile
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
    parser.add_argument(
        "--work", type=Path, default=DEFAULT_WORK / "profile", help="scratch folder"
    )
    parser.add_argument(
        "--warm",
        action="store_true",
        help="profile a run with a warm cache (filled by an unprofiled run first)",
    )
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    if not workload.generator_available():
        print(f"skipped: the workload generator {workload.GENERATOR} is absent")
        return 0
    work = workload.generate(arguments.scale, arguments.work.resolve())
    vpclint = [sys.executable, "-m", "vpclint"]
    command = ["--jobs", "1", "--format", "json", "-o", os.devnull, "."]
    if arguments.warm:
        print("filling the cache (not profiled) ...", flush=True)
        subprocess.run([*vpclint, *command], cwd=work.root, check=False)
    else:
        command = ["--no-cache", *command]
    with tempfile.TemporaryDirectory() as scratch:
        # A fresh interpreter per profile, so vpclint's imports count as they do in every run.
        raw = arguments.save.resolve() if arguments.save else Path(scratch) / "vpclint.prof"
        started = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "-m", "cProfile", "-o", str(raw), "-m", "vpclint", *command],
            cwd=work.root,
            check=False,
        )
        elapsed = time.perf_counter() - started
        print(
            f"vpclint {' '.join(command)} in {work.root}: exit {completed.returncode}, "
            f"{elapsed:.2f} s under cProfile ({work.terraform_files} .tf files, "
            f"{work.cloudformation_files} templates)"
        )
        if not raw.is_file():
            return 2
        if arguments.save is not None:
            print(f"raw profile: {raw}")
        text = io.StringIO()
        stats = pstats.Stats(str(raw), stream=text)
        stats.strip_dirs().sort_stats(arguments.sort).print_stats(arguments.limit)
    print(text.getvalue())
    return 0 if completed.returncode in (0, 1) else completed.returncode


if __name__ == "__main__":
    sys.exit(main())
