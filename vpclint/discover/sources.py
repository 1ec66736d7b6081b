"""Reading source files safely: size limit, encodings, binary detection, line endings.

Every front end reads through :func:`read_source`, so a file that cannot be read becomes one
:class:`~vpclint.topology.models.ParseError` with a plain reason instead of an exception.
"""

from __future__ import annotations

import codecs
import functools
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from vpclint.topology.models import ParseError, SourceLocation


@dataclass(frozen=True)
class SourceText:
    """A file's text with universal newlines (CRLF and CR become LF, so line numbers hold)."""

    path: Path  # the real path on disk
    display: str  # POSIX path as reported (relative to the working directory when inside it)
    text: str

    def location(self, line: int = 1, column: int = 1, **extra: int | None) -> SourceLocation:
        return SourceLocation(file=self.display, line=line, column=column, **extra)


DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


def display_path(path: Path, cwd: Path | None = None) -> str:
    """The POSIX path users see: relative to the working directory without ``./`` (with ``..``
    for a file of the project above it, as when the git root is above the current folder)."""
    base = cwd.resolve() if cwd is not None else _resolved_cwd(os.getcwd())
    absolute = path if path.is_absolute() else base / path
    resolved = absolute.resolve()
    try:
        return resolved.relative_to(base).as_posix()
    except ValueError:
        return Path(os.path.relpath(resolved, base)).as_posix()


def resolved_working_directory() -> Path:
    return _resolved_cwd(os.getcwd())


@functools.lru_cache(maxsize=4)
def _resolved_cwd(cwd: str) -> Path:
    # Resolved once per working directory: a run asks for thousands of display paths.
    return Path(cwd).resolve()


_BINARY = "binary file (contains NUL bytes)"


def decode(data: bytes) -> tuple[str | None, str | None]:
    """(text, None) or (None, reason). UTF-8 with or without BOM and UTF-16 with BOM are accepted;
    other bytes are decoded with replacement characters unless the data looks binary."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as error:
            return None, f"invalid UTF-16 text: {error.reason} at byte {error.start}"
    if b"\x00" in data[:8192]:
        return None, _BINARY
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), None


def read_bytes(
    path: Path, display: str, max_size: int = DEFAULT_MAX_FILE_SIZE
) -> bytes | ParseError:
    """A regular file's bytes within the size limit; a problem becomes a ParseError at line 1."""
    location = SourceLocation(file=display)
    try:
        data = read_regular_file(path, max_size)
    except OSError as error:
        return ParseError(location=location, message=f"cannot read file: {error.strerror or error}")
    except NotARegularFile as problem:
        return ParseError(location=location, message=str(problem))
    return data


class NotARegularFile(Exception):
    """What stands at a path is no regular file within the size limit (the text says which)."""


def read_regular_file(path: Path, max_size: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``max_size`` of them.

    Opened without blocking and judged by the opened file's own status, so a FIFO cannot hang
    the run and ``/dev/zero`` cannot fill its memory, even if the path is swapped after a check.
    Raises :class:`NotARegularFile` or ``OSError``.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        problem = regular_file_problem(info, max_size)
        # A file that grows while it is read is cut at the limit, not read to its end.
        data = b"" if problem is not None else handle.read(max_size + 1)
    if problem is None and len(data) > max_size:
        problem = _too_large(len(data), max_size)
    if problem is not None:
        raise NotARegularFile(problem)
    return data


def regular_file_problem(info: os.stat_result, max_size: int) -> str | None:
    """Why the file with this status is not one to read (no regular file, too large), or None."""
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return _too_large(info.st_size, max_size) if info.st_size > max_size else None
    if stat.S_ISDIR(mode):
        kind = "a folder"
    elif stat.S_ISFIFO(mode):
        kind = "a FIFO"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "a special file"
    return f"{kind}, not a regular file"


def _too_large(size: int, max_size: int) -> str:
    return (
        f"file is {size} bytes, over the limit of {max_size} bytes "
        "(raise `limits.max-file-size` in the config to lint it)"
    )


def decode_source(data: bytes, path: Path, display: str) -> SourceText | ParseError:
    text, problem = decode(data)
    if text is None:
        line, column = _first_nul(data) if problem == _BINARY else (1, 1)
        return ParseError(
            location=SourceLocation(file=display, line=line, column=column),
            message=problem or "cannot decode",
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(path=path, display=display, text=text)


def _first_nul(data: bytes) -> tuple[int, int]:
    """Line and column of the first NUL byte: a text file with one stray NUL is shown where it
    is, not at its first line."""
    before = data.removeprefix(codecs.BOM_UTF8)
    before = before[: before.find(b"\x00")]
    last_line = before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")
    return before.count(b"\n") + 1, len(last_line) + 1


def read_source(
    path: Path, display: str, max_size: int = DEFAULT_MAX_FILE_SIZE
) -> SourceText | ParseError:
    """Read and decode a file within the size limit; a problem becomes a ParseError at line 1."""
    data = read_bytes(path, display, max_size)
    if isinstance(data, ParseError):
        return data
    return decode_source(data, path, display)
