"""Terraform's functions that look at the file system, confined to the project.

Terraform resolves a relative path against the folder it runs in (the root module's), reads
through symlinks and lists with doublestar globs. vpclint does the same inside the project only:
a path, a symlink or a glob that would lead out of it makes the result Unknown with that reason,
never a read or a listing outside. Every file and folder looked at is noted for the results cache.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import vpclint.evaluate.observed as observed
from vpclint.discover.sources import NotARegularFile, read_regular_file
from vpclint.evaluate.terraform.values import (
    EvaluationError,
    LimitReached,
    SetValue,
    UnknownValue,
    to_string,
)

_HASHES: dict[str, Callable[[bytes], str]] = {
    "filemd5": lambda data: hashlib.md5(data).hexdigest(),
    "filesha1": lambda data: hashlib.sha1(data).hexdigest(),
    "filesha256": lambda data: hashlib.sha256(data).hexdigest(),
    "filesha512": lambda data: hashlib.sha512(data).hexdigest(),
    "filebase64": lambda data: base64.b64encode(data).decode("ascii"),
    "filebase64sha256": lambda data: base64.b64encode(hashlib.sha256(data).digest()).decode(),
    "filebase64sha512": lambda data: base64.b64encode(hashlib.sha512(data).digest()).decode(),
}
READING = frozenset({"file", "fileexists", "fileset", "templatefile", "abspath", *_HASHES})
_GLOB_META = re.compile(r"[*?\[{\\]")


@dataclass(frozen=True)
class ProjectFiles:
    """Where relative paths start (the root module's folder, as Terraform's working directory)
    and the project they must stay in."""

    working_directory: Path
    project_root: Path
    max_file_size: int
    max_entries: int

    def inside(self, requested: str, function: str) -> Path | UnknownValue:
        """The real path ``requested`` names, if it lies in the project."""
        path = Path(requested)
        if not path.is_absolute():
            path = self.working_directory / path
        try:
            resolved = observed.resolve(path)
            resolved.relative_to(observed.resolve(self.project_root))
        except (ValueError, OSError, RuntimeError):
            return UnknownValue.make(
                f"{function}() refers to a file outside the project: {requested}"
            )
        return resolved

    def read(self, requested: str, function: str) -> bytes | UnknownValue:
        resolved = self.inside(requested, function)
        if isinstance(resolved, UnknownValue):
            return resolved
        observed.note_file(resolved)
        try:
            info = resolved.stat()
        except FileNotFoundError:
            raise EvaluationError(f"{function}(): no file exists at {requested}") from None
        except OSError as error:  # a name over 255 bytes, a folder that denies access
            return UnknownValue.make(
                f"{function}() cannot look up {requested}: {error.strerror or error}"
            )
        if not stat.S_ISREG(info.st_mode):  # a named pipe or device would block the read forever
            raise EvaluationError(f"{function}() target is not a regular file: {requested}")
        if info.st_size > self.max_file_size:
            return UnknownValue.make(
                f"{function}() target {requested} is larger than {self.max_file_size:,} bytes "
                "(raise `max-file-size` to read it)"
            )
        try:
            # Judged again by the opened file itself: a path swapped for a FIFO after the
            # check above must not hang the run.
            return read_regular_file(resolved, self.max_file_size)
        except NotARegularFile as problem:
            raise EvaluationError(f"{function}() cannot read {requested}: {problem}") from None
        except OSError as error:
            raise EvaluationError(f"{function}() cannot read {requested}: {error}") from None


def text_of(data: bytes, requested: str, function: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise EvaluationError(
            f"{function}(): {requested} is not UTF-8 text (filebase64() reads any file)"
        ) from None


def call(name: str, arguments: list[Any], files: ProjectFiles) -> Any:
    """``name(*arguments)`` for the functions in :data:`READING` except ``templatefile``."""
    if name == "fileset":
        if len(arguments) != 2:
            raise EvaluationError("fileset() takes a path and a pattern")
        return fileset(to_string(arguments[0]), to_string(arguments[1]), files)
    if len(arguments) != 1:
        raise EvaluationError(f"{name}() takes one argument")
    requested = to_string(arguments[0])
    if name == "abspath":
        return abspath(requested, files)
    if name == "fileexists":
        return _exists(requested, files)
    data = files.read(requested, name)
    if isinstance(data, UnknownValue):
        return data
    if name == "file":
        return text_of(data, requested, name)
    return _HASHES[name](data)


def _exists(requested: str, files: ProjectFiles) -> Any:
    resolved = files.inside(requested, "fileexists")
    if isinstance(resolved, UnknownValue):
        return resolved
    observed.note_file(resolved)
    try:
        info = resolved.stat()
    except FileNotFoundError:
        return False
    except OSError as error:
        return UnknownValue.make(
            f"fileexists() cannot look up {requested}: {error.strerror or error}"
        )
    if stat.S_ISREG(info.st_mode):
        return True
    # Terraform: "fileexists only works with files", for a folder or anything else.
    raise EvaluationError(f"fileexists(): {requested} is not a regular file")


def abspath(requested: str, files: ProjectFiles) -> Any:
    """Go's filepath.Abs from the working directory: cleaned, not resolved through symlinks."""
    path = go_clean(os.path.join(str(files.working_directory), requested))
    project = go_clean(str(files.project_root.absolute()))
    if path != project and not path.startswith(project.rstrip("/") + "/"):
        return UnknownValue.make(f"abspath() names a path outside the project: {requested}")
    return path


def pathexpand(requested: str) -> Any:
    if not requested.startswith("~"):
        return requested
    if len(requested) > 1 and requested[1] not in "/\\":
        raise EvaluationError("pathexpand(): cannot expand user-specific home dir")
    return UnknownValue.make(
        f"pathexpand({requested!r}) names the home folder, which is outside the project"
    )


def go_clean(path: str) -> str:
    """Go's path/filepath.Clean on a Unix system."""
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    cleaned = "/".join(parts)
    if rooted:
        return "/" + cleaned
    return cleaned or "."


def go_dir(path: str) -> str:
    """Go's filepath.Dir: everything before the last separator, cleaned."""
    return go_clean(path[: path.rfind("/") + 1])


def go_base(path: str) -> str:
    """Go's filepath.Base: the last element, trailing separators removed."""
    if path == "":
        return "."
    path = path.rstrip("/")
    if path == "":
        return "/"
    return path[path.rfind("/") + 1 :]


def fileset(base: str, pattern: str, files: ProjectFiles) -> Any:
    """Terraform's fileset(): regular files under ``base`` matching a doublestar ``pattern``,
    as sorted paths relative to ``base`` with forward slashes."""
    if base.startswith("~"):
        return pathexpand(base)
    start = base if base.startswith("/") else os.path.join(str(files.working_directory), base)
    full = go_clean(os.path.join(go_clean(start), pattern))
    segments = full.split("/")
    literal = 0
    while literal < len(segments) and not _GLOB_META.search(segments[literal]):
        literal += 1
    if literal == len(segments):  # no wildcard: the one path, if it is a file
        resolved = files.inside(full, "fileset")
        if isinstance(resolved, UnknownValue):
            return resolved
        observed.note_file(resolved)
        is_file = resolved.is_file()
        return SetValue.of([os.path.relpath(full, go_clean(start))] if is_file else [])
    walk_root = "/".join(segments[:literal]) or "/"
    real_root = files.inside(walk_root, "fileset")
    if isinstance(real_root, UnknownValue):
        return real_root
    observed.note_directory(real_root)
    if not real_root.is_dir():
        return SetValue.of([])  # Terraform's glob finds nothing before it reads the pattern
    # Without "**", folders deeper than the pattern's own cannot match: not listed.
    depth = None if "**" in full else len(segments) - literal - 1
    try:
        found = _walk(walk_root, files, depth)
    except _Outside as outside:
        return outside.unknown
    matcher = _glob_regex(full)
    matches: list[str] = []
    for path in found:
        if matcher.fullmatch(path):
            matches.append(os.path.relpath(path, go_clean(start)))
    return SetValue.of(sorted(matches))


def _walk(top: str, files: ProjectFiles, max_depth: int | None) -> list[str]:
    """Every regular file below ``top`` (by the path written, as doublestar gives it), following
    symlinks that stay in the project; one that leaves it makes the listing Unknown."""
    found: list[str] = []
    pending = [(top, 0)]
    seen: set[Path] = set()
    visited = 0
    while pending:
        folder, depth = pending.pop()
        real = files.inside(folder, "fileset")
        if isinstance(real, UnknownValue):
            raise _Outside(real)
        if real in seen:  # a symlink loop
            continue
        seen.add(real)
        observed.note_directory(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except (NotADirectoryError, FileNotFoundError):
            continue
        except OSError as error:
            raise EvaluationError(f"fileset() cannot list {folder}: {error.strerror}") from None
        for entry in entries:
            visited += 1
            if visited > files.max_entries:
                raise LimitReached(
                    f"fileset() would look at more than {files.max_entries:,} files "
                    "(raise `max-expansion` to allow it)"
                )
            path = f"{folder.rstrip('/')}/{entry.name}"
            if entry.is_symlink():
                target = files.inside(path, "fileset")
                if isinstance(target, UnknownValue):
                    raise _Outside(target)
            try:
                if entry.is_dir():
                    if max_depth is None or depth < max_depth:
                        pending.append((path, depth + 1))
                elif entry.is_file():
                    found.append(path)
            except OSError:
                continue
    return found


class _Outside(Exception):
    def __init__(self, unknown: UnknownValue) -> None:
        super().__init__(unknown.reason)
        self.unknown = unknown


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """doublestar's pattern as a regular expression over whole paths: ``*`` and ``?`` stay in
    one path element, ``**`` as an element spans any number of them, ``{a,b}`` and ``[...]``."""
    out: list[str] = []
    position = 0
    braces = 0
    while position < len(pattern):
        char = pattern[position]
        at_element_start = position == 0 or pattern[position - 1] == "/"
        if pattern.startswith("**", position) and at_element_start:
            after = position + 2
            if after == len(pattern):
                out.append(".*")
                position = after
                continue
            if pattern[after] == "/":
                out.append("(?:[^/]*/)*")
                position = after + 1
                continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "\\" and position + 1 < len(pattern):
            position += 1
            out.append(re.escape(pattern[position]))
        elif char == "[":
            end = pattern.find("]", position + 2)
            if end < 0:
                raise EvaluationError(f"fileset(): unclosed [ in pattern {pattern!r}")
            body = pattern[position + 1 : end]
            # Only "^" negates a class in Terraform's doublestar; "!" is itself.
            negated = body.startswith("^")
            members = re.escape(body[1:] if negated else body).replace("\\-", "-")
            out.append(("[^" if negated else "[") + members + "]")
            position = end
        elif char == "{":
            braces += 1
            out.append("(?:")
        elif char == "}" and braces:
            braces -= 1
            out.append(")")
        elif char == "," and braces:
            out.append("|")
        else:
            out.append(re.escape(char))
        position += 1
    if braces:
        raise EvaluationError(f"fileset(): unclosed {{ in pattern {pattern!r}")
    try:
        return re.compile("".join(out))
    except re.error as error:
        raise EvaluationError(f"fileset(): invalid pattern {pattern!r} ({error})") from None
