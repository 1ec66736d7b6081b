"""The floor for any python-hcl2-based tool: ``hcl2.loads`` of every .tf file, one process.

    python benchmarks/hcl2_floor.py FOLDER

run.py times this script as a child process, so its start-up (importing hcl2 and building
the Lark grammar) is part of the figure, as it is for any tool built on python-hcl2.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: hcl2_floor.py FOLDER\n")
        return 2
    import hcl2

    started = time.perf_counter()
    files = sorted(Path(argv[0]).rglob("*.tf"))
    size = 0
    failures = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        size += len(text.encode("utf-8"))
        try:
            hcl2.loads(text)
        except Exception as error:  # the floor counts failures, it does not judge them
            failures += 1
            sys.stderr.write(f"{path}: {type(error).__name__}: {error}\n")
    elapsed = time.perf_counter() - started
    sys.stdout.write(
        f"{len(files)} files, {size / 1e6:.2f} MB, {failures} failed, {elapsed:.2f} s, "
        f"{size / 1e3 / max(elapsed, 1e-9):.0f} KB/s\n"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
