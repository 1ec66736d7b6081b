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
    are kept only when they point inside the project.
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
        for folder, subfolders, files in os.walk(root, followlinks=False):
            here = Path(folder)
            subfolders[:] = sorted(
                name
                for name in subfolders
                if name not in SKIPPED_FOLDERS
                and not (here / name).is_symlink()
                and not _is_virtualenv(here / name)
                and not is_excluded(_relative(here / name, project), exclude)
            )
            for name in sorted(files):
                path = here / name
                if not is_candidate(path) or is_excluded(_relative(path, project), exclude):
                    continue
                if path.is_symlink() and not _inside(path.resolve(), project):
                    continue
                resolved = path.resolve()
                if resolved in seen or not resolved.is_file():
                    continue
                seen.add(resolved)
                yield path


def _relative(path: Path, project: Path) -> str:
    try:
        return path.resolve().relative_to(project).as_posix()
    except ValueError:
        return path.as_posix()


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True
