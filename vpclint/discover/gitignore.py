"""``.gitignore`` files read as git reads them, without running git.

vpclint runs where git may be missing (a container, an unpacked archive) and runs nothing an
input could influence, so it reads the files itself; the patterns are matched by pathspec's
``GitIgnoreSpec``, which follows git's wildmatch rules (``tests/core/test_gitignore.py`` checks it
against ``git check-ignore``). Only files inside the project are read, like every other input:
a ``.gitignore`` above the project root (a config file in a subfolder of the repository) or a
symlinked one leading out of it is not. Deeper files override outer ones, and
``.git/info/exclude`` comes below all of them, as in git; the user's global excludes file is
not read (it is no part of the repository).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from pathspec import GitIgnoreSpec

IGNORE_FILE = ".gitignore"
# A .gitignore is a few hundred bytes; a larger one is no ignore file worth a slow walk.
MAX_IGNORE_FILE_SIZE = 1024 * 1024


@dataclass(frozen=True)
class _IgnoreFile:
    base: str  # the folder its patterns are relative to, ending in a separator
    spec: GitIgnoreSpec


def _with_separator(folder: str) -> str:
    return folder if folder.endswith(os.sep) else folder + os.sep


def _inside(path: str, project: str) -> bool:
    return path == project or path.startswith(_with_separator(project))


def _spec(lines: Sequence[str]) -> GitIgnoreSpec:
    try:
        return GitIgnoreSpec.from_lines(lines)
    except ValueError:
        # Git skips a pattern it cannot read (an unclosed `[`) and keeps the others.
        kept = []
        for line in lines:
            try:
                GitIgnoreSpec.from_lines([line])
            except ValueError:
                continue
            kept.append(line)
        return GitIgnoreSpec.from_lines(kept)


def _read(path: str, project: str) -> GitIgnoreSpec | None:
    if not _inside(os.path.realpath(path), project):
        return None
    try:
        if not os.path.isfile(path) or os.path.getsize(path) > MAX_IGNORE_FILE_SIZE:
            return None
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return None
    spec = _spec(text.splitlines())
    return spec if len(spec) else None


@dataclass(frozen=True)
class GitIgnores:
    """The ignore files in force in one folder of the walk, outermost first."""

    project: str
    files: tuple[_IgnoreFile, ...] = ()

    @classmethod
    def above(cls, project: str, folder: str) -> GitIgnores:
        """What applies on entering ``folder``: ``.git/info/exclude``, then the ``.gitignore``
        of every folder from the project root down to ``folder``'s parent."""
        files: list[_IgnoreFile] = []
        exclude = _read(os.path.join(project, ".git", "info", "exclude"), project)
        if exclude is not None:
            files.append(_IgnoreFile(_with_separator(project), exclude))
        if _inside(folder, project) and folder != project:
            current = project
            for part in os.path.relpath(folder, project).split(os.sep)[:-1]:
                spec = _read(os.path.join(current, IGNORE_FILE), project)
                if spec is not None:
                    files.append(_IgnoreFile(_with_separator(current), spec))
                current = os.path.join(current, part)
            spec = _read(os.path.join(current, IGNORE_FILE), project)
            if spec is not None:
                files.append(_IgnoreFile(_with_separator(current), spec))
        return cls(project, tuple(files))

    def entering(self, folder: str, entries: Sequence[os.DirEntry[str]]) -> GitIgnores:
        """These ignores with ``folder``'s own ``.gitignore`` (found in its listing) on top."""
        if not any(entry.name == IGNORE_FILE for entry in entries):
            return self
        spec = _read(os.path.join(folder, IGNORE_FILE), self.project)
        if spec is None:
            return self
        return GitIgnores(self.project, (*self.files, _IgnoreFile(_with_separator(folder), spec)))

    def ignored(self, path: str, *, folder: bool) -> bool:
        """Whether git ignores ``path`` (a resolved path in the walked folder): the deepest
        ignore file with a pattern matching it decides, its last matching pattern wins."""
        for ignore_file in reversed(self.files):
            if not path.startswith(ignore_file.base):
                continue
            relative = path[len(ignore_file.base) :]
            if os.sep != "/":
                relative = relative.replace(os.sep, "/")
            verdict = ignore_file.spec.check_file(relative + "/" if folder else relative).include
            if verdict is not None:
                return verdict
        return False
