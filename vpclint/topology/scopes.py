"""Which parts of a repository share one address plan: the configuration's ``scopes`` table.

Each entry is a glob of roots (Terraform root folders, CloudFormation templates) and the name of
a scope. A root belongs to the first entry, in the file's order, whose glob matches its
project-relative path or one of its folders (as ``exclude`` matches); ``{root}`` in a name stands
for the path that matched, so ``"examples/*" = "{root}"`` makes each example a scope of its own.
Roots no entry matches share the default scope. VPC204 compares networks within one scope only.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath

from vpclint.discover.sources import display_path


def project_relative(root: str, project_root: Path) -> str:
    """A root as its key names it (relative to the working directory) relative to the project
    root, POSIX; ``.`` for the project root itself."""
    absolute = os.path.normpath(os.path.join(os.path.realpath(os.getcwd()), root))
    return PurePosixPath(Path(os.path.relpath(absolute, project_root.resolve()))).as_posix()


def _candidates(relative: str) -> list[str]:
    """The path and its folders, the top one first: ``{root}`` names the widest match."""
    parts = relative.split("/")
    return ["/".join(parts[: index + 1]) for index in range(len(parts))]


def scope_of_root(relative: str, scopes: Mapping[str, str]) -> str | None:
    """The scope of one project-relative root; None when no entry matches."""
    candidates = _candidates(relative)
    for pattern, name in scopes.items():
        for candidate in candidates:
            if fnmatch.fnmatch(candidate, pattern):
                return name.replace("{root}", candidate)
    return None


def assign_scopes(
    roots: Iterable[str], scopes: Mapping[str, str], project_root: Path
) -> dict[str, str]:
    """Root (as keys name it) -> scope name, for the roots some entry matches."""
    if not scopes:
        return {}
    assigned: dict[str, str] = {}
    for root in roots:
        name = scope_of_root(project_relative(root, project_root), scopes)
        if name is not None:
            assigned[root] = name
    return assigned


def unmatched_globs(relative_files: Iterable[str], scopes: Mapping[str, str]) -> list[str]:
    """The entries whose glob matches none of the project's files nor their folders: a typo,
    or a part of the repository that is gone."""
    waiting = dict(scopes)
    for relative in relative_files:
        if not waiting:
            break
        candidates = _candidates(relative)
        for pattern in list(waiting):
            if any(fnmatch.fnmatch(candidate, pattern) for candidate in candidates):
                del waiting[pattern]
    return list(waiting)


def scope_warnings(
    scopes: Mapping[str, str],
    config_file: Path | None,
    project_root: Path,
    paths: Sequence[Path],
    files: Iterable[tuple[Path, str]],
) -> list[str]:
    """A ``scopes`` glob that matches nothing in the project, when the run saw the whole
    project (a run on one folder sees only part of it). A warning, not an error: roots it
    misses stay in the default scope, compared with more networks, so it hides no finding."""
    project = project_root.resolve()
    whole = any(path.is_file() or path.resolve() in (project, *project.parents) for path in paths)
    if not scopes or not whole:
        return []
    relative: list[str] = []
    for path, _ in files:
        try:
            relative.append(path.resolve().relative_to(project).as_posix())
        except ValueError:
            continue
    where = display_path(config_file) if config_file else "configuration"
    prefix = "tool.vpclint." if config_file and config_file.name == "pyproject.toml" else ""
    return [
        f"{where}: `{prefix}scopes` glob {pattern!r} matches no file or folder of the project"
        for pattern in unmatched_globs(relative, scopes)
    ]
