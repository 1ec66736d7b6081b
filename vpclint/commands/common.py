"""What the sub-commands share: argument parsing that raises UsageError, writing the output."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO


def parser(prog: str, description: str) -> argparse.ArgumentParser:
    from vpclint.cli import ArgumentParser, add_project_arguments

    built = ArgumentParser(prog=prog, description=description)
    add_project_arguments(built)
    built.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    return built


def write_output(text: str, output_file: Path | None, stdout: TextIO) -> None:
    from vpclint.cli import UsageError

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
