"""Finding the files to lint: recursive, skipping tool folders, excludes and symlinked folders."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

SKIPPED_FOLDERS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".terraform",
        "node_modules",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".vpclint_cache",
        ".terragrunt-cache",
    }
)
CANDIDATE_SUFFIXES = (
    ".tf",
    ".tf.json",
    ".tfvars",
    ".tfvars.json",
    ".yaml",
    ".yml",
    ".json",
    ".template",
)


def is_candidate(path: Path) -> bool:
    """Whether a file's name makes it possibly infrastructure code (content decides later)."""
    return path.name.endswith(CANDIDATE_SUFFIXES)


def _is_virtualenv(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file()


def is_excluded(relative: str, patterns: Sequence[str]) -> bool:
    """Glob match against the project-relative POSIX path, its name, and each parent folder."""
    if not patterns:
        return False
    parts = relative.split("/")
    candidates = [relative, parts[-1]] + [
        "/".join(parts[: index + 1]) for index in range(len(parts) - 1)
    ]
    return any(
        fnmatch.fnmatch(candidate, pattern) for pattern in patterns for candidate in candidates
    )


def discover(
    roots: Iterable[Path], project_root: Path, exclude: Sequence[str] = ()
) -> Iterator[Path]:
    """Every candidate file below ``roots``, sorted per folder, each once.

    Explicitly named files are returned even when their name is unusual; folders are walked
    without following symlinked folders (no loops, nothing outside the tree), and symlinked files
    are kept only when they point inside the project. A folder's files come before its
    subfolders' (``os.walk`` order). Each folder is resolved once; a file that is no symlink
    resolves to its folder's resolved path and its name, so a walk costs no system call per file.
    """
    seen: set[Path] = set()
    project = project_root.resolve()
    for root in roots:
        if root.is_file():
            resolved = root.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield root
            continue
        if not root.is_dir():
            continue
        yield from _walk(root, root.resolve(), project, exclude, seen)


def _walk(
    folder: Path, resolved_folder: Path, project: Path, exclude: Sequence[str], seen: set[Path]
) -> Iterator[Path]:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return  # unreadable: skipped, as os.walk does
    subfolders: list[os.DirEntry[str]] = []
    for entry in entries:
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        if is_folder:
            subfolders.append(entry)
            continue
        path = folder / entry.name
        if not is_candidate(path):
            continue
        if entry.is_symlink():
            resolved = path.resolve()
            if not _inside(resolved, project):
                continue
            if exclude and is_excluded(_relative_to(resolved, project, path), exclude):
                continue
            if not resolved.is_file():
                continue
        else:
            resolved = resolved_folder / entry.name
            if exclude and is_excluded(_relative_to(resolved, project, path), exclude):
                continue
            if not entry.is_file(follow_symlinks=False):
                continue
        if resolved in seen:
            continue
        seen.add(resolved)
        yield path
    for entry in subfolders:
        if entry.name in SKIPPED_FOLDERS or entry.is_symlink():
            continue
        path = folder / entry.name
        resolved = resolved_folder / entry.name
        if _is_virtualenv(path):
            continue
        if exclude and is_excluded(_relative_to(resolved, project, path), exclude):
            continue
        yield from _walk(path, resolved, project, exclude, seen)


def _relative_to(resolved: Path, project: Path, path: Path) -> str:
    try:
        return resolved.relative_to(project).as_posix()
    except ValueError:
        return path.as_posix()


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True
