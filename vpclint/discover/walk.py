"""Finding the files to lint: recursive, skipping tool folders, excludes, symlinked folders and
what ``.gitignore`` files ignore."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from vpclint.discover.gitignore import GitIgnores
from vpclint.discover.suffixes import CANDIDATES, TERRAGRUNT_NAMES
from vpclint.topology.models import NotAnalysed, SourceLocation

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


# (where, why): a path the walk did not look into, with its folder resolved (a symlink's own
# place, not its target's), and the reason.
Refused = tuple[str, str]


def discover(
    roots: Iterable[Path],
    project_root: Path,
    exclude: Sequence[str] = (),
    *,
    respect_gitignore: bool = False,
) -> Iterator[Path]:
    """Every candidate file below ``roots``, sorted per folder, each once.

    Explicitly named files are returned even when their name is unusual; folders are walked
    without following symlinked folders (no loops, nothing outside the tree), and symlinked files
    are kept only when they point inside the project. A folder's files come before its
    subfolders' (``os.walk`` order).
    """
    for path, _ in discover_resolved(
        roots, project_root, exclude, respect_gitignore=respect_gitignore
    ):
        yield Path(path)


def discover_resolved(
    roots: Iterable[Path],
    project_root: Path,
    exclude: Sequence[str] = (),
    refused: list[Refused] | None = None,
    respect_gitignore: bool = False,
) -> Iterator[tuple[str, str]]:
    """:func:`discover`'s files as (path, resolved path) strings: the path as walked from its
    root, the resolved one as ``Path.resolve()`` gives it.

    What the walk must not or cannot look into is added to ``refused``: a symlinked file or
    folder whose real path leaves the project (never followed), a folder it cannot list.

    With ``respect_gitignore``, what the project's ``.gitignore`` files (and its
    ``.git/info/exclude``) ignore is not walked, as git would not track it; files named
    explicitly are linted all the same.

    A walk of thousands of files builds no ``Path`` (string joins are several times cheaper)
    and resolves each folder once: a file that is no symlink resolves to its folder's resolved
    path and its name, so a walk costs no system call per file. A folder is known to be a
    virtualenv by the ``pyvenv.cfg`` in its own listing, which the walk reads anyway.
    """
    seen: set[str] = set()
    project = os.path.realpath(project_root)
    walk = _Walk(project, exclude, seen, [] if refused is None else refused)
    for root in roots:
        if root.is_file():
            resolved = os.path.realpath(root)
            if resolved not in seen:
                seen.add(resolved)
                yield str(root), resolved
            continue
        if not root.is_dir():
            continue
        resolved_root = os.path.realpath(root)
        entries = walk.listing(str(root), resolved_root)
        if entries is not None:
            ignores = GitIgnores.above(project, resolved_root) if respect_gitignore else None
            yield from walk.folder(str(root), resolved_root, entries, ignores)


def _is_virtualenv(entries: Sequence[os.DirEntry[str]]) -> bool:
    for entry in entries:
        if entry.name == "pyvenv.cfg":
            try:
                return entry.is_file()
            except OSError:
                return False
    return False


def _child_prefix(folder: str) -> str:
    """What a name is appended to for a path inside ``folder``, as ``Path(folder) / name``
    would spell it (``.`` adds nothing, ``/`` no second separator)."""
    if folder == ".":
        return ""
    return folder if folder.endswith(os.sep) else folder + os.sep


class _Walk:
    def __init__(
        self, project: str, exclude: Sequence[str], seen: set[str], refused: list[Refused]
    ) -> None:
        self.project = project
        self.project_prefix = _child_prefix(project)
        self.exclude = exclude
        self.seen = seen
        self.refused = refused

    def listing(self, folder: str, resolved_folder: str) -> list[os.DirEntry[str]] | None:
        try:
            with os.scandir(folder) as listing:
                return sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            self.refused.append(
                (resolved_folder, f"folder cannot be read: {error.strerror or error}")
            )
            return None

    def folder(
        self,
        folder: str,
        resolved_folder: str,
        entries: Sequence[os.DirEntry[str]],
        ignores: GitIgnores | None = None,
    ) -> Iterator[tuple[str, str]]:
        prefix, resolved_prefix = _child_prefix(folder), _child_prefix(resolved_folder)
        if ignores is not None and self._inside(resolved_folder):
            ignores = ignores.entering(resolved_folder, entries)
        exclude, seen = self.exclude, self.seen
        subfolders: list[os.DirEntry[str]] = []
        for entry in entries:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if is_folder:
                subfolders.append(entry)
                continue
            name = entry.name
            if not name.endswith(CANDIDATES) and name not in TERRAGRUNT_NAMES:
                continue
            path = prefix + name
            if ignores is not None and ignores.ignored(resolved_prefix + name, folder=False):
                continue
            if entry.is_symlink():
                resolved = os.path.realpath(path)
                if not self._inside(resolved):
                    self._refuse_link(path, resolved_prefix + name, "file")
                    continue
                if exclude and is_excluded(self._relative(resolved, path), exclude):
                    continue
                if not os.path.isfile(resolved):
                    continue
            else:
                resolved = resolved_prefix + name
                if exclude and is_excluded(self._relative(resolved, path), exclude):
                    continue
                if not entry.is_file(follow_symlinks=False):
                    continue
            if resolved in seen:
                continue
            seen.add(resolved)
            yield path, resolved
        for entry in subfolders:
            name = entry.name
            if name in SKIPPED_FOLDERS:
                continue
            path, resolved = prefix + name, resolved_prefix + name
            if exclude and is_excluded(self._relative(resolved, path), exclude):
                continue
            if ignores is not None and ignores.ignored(resolved, folder=True):
                continue
            if entry.is_symlink():
                # Never walked (no loops); one that leaves the project is said so, one inside
                # it has its files found where they really are.
                if not self._inside(os.path.realpath(path)):
                    self._refuse_link(path, resolved, "folder")
                continue
            listing = self.listing(path, resolved)
            if listing is None or _is_virtualenv(listing):
                continue
            yield from self.folder(path, resolved, listing, ignores)

    def _refuse_link(self, path: str, link: str, kind: str) -> None:
        if self.exclude and is_excluded(self._relative(link, path), self.exclude):
            return
        self.refused.append((link, leaves_the_project(path, kind)))

    def _inside(self, resolved: str) -> bool:
        return resolved == self.project or resolved.startswith(self.project_prefix)

    def _relative(self, resolved: str, path: str) -> str:
        """The project-relative POSIX path that excludes match, else the path as walked."""
        if resolved == self.project:
            return "."
        if resolved.startswith(self.project_prefix):
            return _posix(resolved[len(self.project_prefix) :])
        return _posix(path)


def leaves_the_project(link: str | Path, kind: str) -> str:
    """Why a symlinked file or folder is not followed. It names what the link says, not where
    it leads: the message tells nothing of the machine around the project."""
    try:
        target = os.readlink(link)
    except OSError as error:
        target = error.strerror or str(error)
    return f"symlinked {kind} points outside the project ({target}); not followed"


def _posix(path: str) -> str:
    return path if os.sep == "/" else path.replace(os.sep, "/")


def with_display_paths(discovered: Iterable[tuple[str, str]]) -> list[tuple[Path, str]]:
    """``display_path()`` of each (path, resolved path) pair from discovery, with no system call:
    relative to the resolved working directory is a string prefix of the resolved path."""
    base = os.path.realpath(os.getcwd())
    prefix = base if base.endswith(os.sep) else base + os.sep
    posix = os.sep == "/"
    shown: list[tuple[Path, str]] = []
    for path, resolved in discovered:
        if resolved.startswith(prefix):
            display = resolved[len(prefix) :]
        else:  # outside the working directory: shown absolute, as given
            display = os.path.join(base, path)
        shown.append((Path(path), display if posix else Path(display).as_posix()))
    return shown


def discover_files(
    paths: Sequence[Path],
    project_root: Path,
    excludes: Sequence[str],
    not_analysed: list[NotAnalysed] | None,
    respect_gitignore: bool = True,
) -> list[tuple[Path, str]]:
    """Every file a run looks at, with its reported path (a given file: its whole project).

    What discovery did not look into (a symlink leaving the project, an unreadable folder) is
    added to ``not_analysed``.
    """
    explicit_files = [path for path in paths if path.is_file()]
    # A file named explicitly is linted even when .gitignore ignores it, as ruff does.
    roots = [project_root, *explicit_files] if explicit_files else list(paths)
    refused: list[Refused] = []
    discovered = discover_resolved(
        roots,
        project_root,
        excludes,
        refused,
        respect_gitignore=respect_gitignore,
    )
    files = with_display_paths(discovered)
    if not_analysed is not None:
        base = os.path.realpath(os.getcwd())
        prefix = base if base.endswith(os.sep) else base + os.sep
        for where, why in refused:
            # ``where`` is resolved up to its own name, which may be a symlink: shown as itself.
            shown = where[len(prefix) :] if where.startswith(prefix) else where
            location = SourceLocation(file=Path(shown).as_posix())
            not_analysed.append(NotAnalysed(location=location, message=why))
    return files
