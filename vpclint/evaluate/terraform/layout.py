"""A project's layout, from its files' summaries alone: module folders, roots, tfvars, the state
of each folder.

Every folder with configuration files is a module. Folders that some module in scope calls with a
local source are evaluated only through those calls; the others are roots. Each root module, with
every module it calls, is one unit of evaluation, and whether a root's last output
still holds depends only on the states of the folders it visited: all of that is worked out here,
from the summaries, without a parse result and without the evaluator
(:mod:`vpclint.evaluate.terraform.project`), which a run loads only when it evaluates a root or
assembles the topology. A pre-commit hook's run after a comment edit does neither.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import vpclint.evaluate.observed as observed
from vpclint.discover.sources import display_path, resolved_working_directory
from vpclint.discover.suffixes import TERRAFORM_CONFIGURATION
from vpclint.discover.walk import leaves_the_project
from vpclint.evaluate.contract import EvaluationSettings, ParsedInput
from vpclint.parse.terraform import FileKind, TerraformFile
from vpclint.parse.terraform import syntax as s
from vpclint.parse.terraform.files import hidden_by_opentofu, var_file_kind
from vpclint.topology.models import (
    NotAnalysed,
    ParseError,
    SourceFile,
    SourceLocation,
    Suppression,
    Topology,
)

# Reads and parses a file evaluation needs, as the given kind or else the kind its name says.
ParseOnDemand = Callable[[Path, FileKind | None], TerraformFile | ParseError | None]
T = TypeVar("T")


@dataclass(frozen=True)
class TerraformSummary:
    """What a project needs of a file before evaluating: how it is reported, and the local
    module calls that decide which folders are roots."""

    kind: FileKind
    error: ParseError | None
    suppressions: tuple[Suppression, ...]
    module_calls: tuple[tuple[str, str | None], ...] = ()  # (name, literal source)

    @classmethod
    def of(cls, parsed: TerraformFile) -> TerraformSummary:
        calls: list[tuple[str, str | None]] = []
        if isinstance(parsed.body, s.Body):
            for block in parsed.body.blocks:
                if block.type == "module" and len(block.labels) == 1:
                    calls.append((block.labels[0], literal_source(block)))
        return cls(parsed.kind, parsed.error, parsed.suppressions, tuple(calls))


def eager_inputs(files: Sequence[TerraformFile]) -> list[ParsedInput]:
    """Parse results already in hand, as a project takes them."""
    return [
        ParsedInput(parsed.display, TerraformSummary.of(parsed), result=parsed) for parsed in files
    ]


@dataclass
class FolderContribution:
    """What a module folder adds to the topology besides its resources: the files evaluation
    read from it itself (a called folder that discovery did not cover) and its problems."""

    files: list[SourceFile] = field(default_factory=list)
    parse_errors: list[ParseError] = field(default_factory=list)
    not_analysed: list[NotAnalysed] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)


def is_local_source(source: str) -> bool:
    return source.startswith(("./", "../")) or source in (".", "..")


def literal_source(block: s.Block) -> str | None:
    attribute = block.attributes.get("source")
    if attribute is not None and isinstance(attribute.value, s.Literal):
        value = attribute.value.value
        return value if isinstance(value, str) else None
    return None


def _reachable(starts: Sequence[Path], calls: dict[Path, set[Path]]) -> set[Path]:
    reached = set(starts)
    waiting = list(starts)
    while waiting:
        for called in calls.get(waiting.pop(), ()):
            if called not in reached:
                reached.add(called)
                waiting.append(called)
    return reached


def inside(path: Path, folder: Path) -> bool:
    try:
        observed.resolve(path).relative_to(observed.resolve(folder))
    except (ValueError, OSError):
        return False
    return True


def unreachable(directory: Path) -> str | None:
    """Why the file system refuses to look up a module folder (a name over 255 bytes, a
    component that denies access), or None: it can, or the folder is simply missing."""
    try:
        os.stat(directory)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        return error.strerror or str(error)
    return None


class ProjectLayout:
    """Everything parsed in one run, grouped into module folders."""

    def __init__(
        self,
        files: Sequence[ParsedInput],
        settings: EvaluationSettings,
        parse_on_demand: ParseOnDemand,
    ) -> None:
        self.settings = settings
        self.parse_on_demand = parse_on_demand
        self.project_root = observed.resolve(settings.project_root)
        # The project's own part of the topology: its files, their problems and suppressions.
        self.topology = Topology()
        self.folders: dict[Path, list[ParsedInput]] = {}
        self.tfvars: dict[Path, ParsedInput] = {}
        # The same by folder: each root reads its own folder's, and looking them up among all
        # of the project's made evaluation quadratic (2,500 roots with tfvars: 60 s).
        self.tfvars_in: dict[Path, dict[str, ParsedInput]] = {}
        # Discovered Terragrunt configurations (units, or parent configurations they include).
        self.terragrunt: dict[Path, ParsedInput] = {}
        # Work done once per run however many roots need it, with the facts it observed: a
        # root that finds it done still records them (its output must not depend on others').
        self._done: dict[tuple[str, Path], tuple[Any, dict[tuple[str, str], str]]] = {}
        self._real_paths: dict[str, Path] = {}
        self._real_folders: dict[str, Path] = {}
        self._working_directory = str(resolved_working_directory())
        for parsed in files:
            self.register(parsed, self.topology)
        self._discovered = {directory: list(inputs) for directory, inputs in self.folders.items()}

    def register(self, parsed: ParsedInput, into: Topology | FolderContribution) -> None:
        summary: TerraformSummary = parsed.summary
        status = "failed" if summary.error is not None else "parsed"
        into.files.append(SourceFile(path=parsed.display, kind=summary.kind, status=status))
        if summary.error is not None:
            into.parse_errors.append(summary.error)
        into.suppressions.extend(summary.suppressions)
        if summary.kind in ("terraform", "terraform-json"):
            members = self.folders.setdefault(self._real_folder(parsed.display), [])
            name = os.path.basename(parsed.display)
            hidden = hidden_by_opentofu(name)
            if hidden is not None:  # as OpenTofu: foo.tofu is read instead of foo.tf
                members[:] = [m for m in members if os.path.basename(m.display) != hidden]
            elif any(hidden_by_opentofu(os.path.basename(m.display)) == name for m in members):
                return
            members.append(parsed)
        elif summary.kind in ("tfvars", "tfvars-json"):
            path = self.real_path(parsed.display)
            self.tfvars[path] = parsed
            self.tfvars_in.setdefault(path.parent, {})[path.name] = parsed
        elif summary.kind in ("terragrunt", "terragrunt-json"):
            self.terragrunt[self.real_path(parsed.display)] = parsed
        elif summary.kind == "terragrunt-stack" and summary.error is None:
            into.not_analysed.append(
                NotAnalysed(
                    location=SourceLocation(file=parsed.display, line=1),
                    message="a Terragrunt stack is not evaluated by vpclint: the units it "
                    "generates are (run `terragrunt stack generate` and lint .terragrunt-stack)",
                )
            )

    def real_path(self, display: str) -> Path:
        """The file on disk, worked out once per file and run (it is asked for often)."""
        found = self._real_paths.get(display)
        if found is None:
            if os.path.isabs(display):
                found = Path(display).resolve()
            elif display.startswith("../"):
                # Above the working directory: the ".." climb from its resolved path.
                found = Path(os.path.normpath(os.path.join(self._working_directory, display)))
            else:
                # A relative reported path is the resolved path relative to the resolved
                # working directory (display_path), so joining them needs no system call.
                found = Path(os.path.join(self._working_directory, display))
            self._real_paths[display] = found
        return found

    def _real_folder(self, display: str) -> Path:
        """``real_path(display).parent`` without a ``Path`` per file: one object per folder,
        whose hash (a dictionary key for each of the folder's files) is computed once."""
        if os.path.isabs(display) or display.startswith("../"):  # outside the working directory
            return self.real_path(display).parent
        folder = display.rpartition("/")[0]  # reported paths are POSIX
        found = self._real_folders.get(folder)
        if found is None:
            found = self._real_folders[folder] = Path(os.path.join(self._working_directory, folder))
        return found

    def once(self, kind: str, path: Path, compute: Callable[[], T]) -> T:
        found = self._done.get((kind, path))
        if found is None:
            with observed.recording() as facts:
                value = compute()
            found = self._done[(kind, path)] = (value, dict(facts))
        else:
            observed.replay(found[1])
        result: T = found[0]
        return result

    def resolve(self, path: Path) -> Path:
        """``observed.resolve(path)`` once per path and run: a project resolves the same module
        folders again and again (thousands of calls on a 500-module repository)."""
        return self.once("resolve", path, lambda: observed.resolve(path))

    def folder_state(self, directory: Path) -> tuple[list[ParsedInput], list[ParsedInput]]:
        """The discovered member files of a folder and its tfvars files: a root module's output
        depends on those of each folder it visits."""
        by_display = operator.attrgetter("display")
        members = sorted(self._discovered.get(directory, ()), key=by_display)
        tfvars = sorted(self.tfvars_in.get(directory, {}).values(), key=by_display)
        return members, tfvars

    def state(self, dependency: str) -> tuple[list[ParsedInput], list[ParsedInput]] | None:
        """The current state of a dependency a root named (``folder:`` and its path)."""
        kind, _, name = dependency.partition(":")
        return self.folder_state(Path(name)) if kind == "folder" else None

    def load_folder(self, directory: Path, contribution: FolderContribution) -> list[ParsedInput]:
        """A called module folder that discovery did not cover (inside the project only, and
        none of its files through a symlink that leaves it)."""
        if not inside(directory, self.project_root):
            return []
        observed.note_directory(directory)
        shown = display_path(directory)
        try:
            if not directory.is_dir():
                return []
            paths = sorted(directory.iterdir())
        except OSError as error:
            contribution.not_analysed.append(
                NotAnalysed(
                    location=SourceLocation(file=shown),
                    message=f"module folder cannot be read: {error.strerror or error}",
                )
            )
            return []
        loaded: list[ParsedInput] = []
        for path in paths:
            if not path.name.endswith(TERRAFORM_CONFIGURATION):
                continue
            observed.note_resolution(path)
            if path.is_symlink() and not inside(path, self.project_root):
                contribution.not_analysed.append(
                    NotAnalysed(
                        location=SourceLocation(file=f"{shown}/{path.name}"),
                        message=leaves_the_project(path, "file"),
                    )
                )
                continue
            observed.note_file(path)  # its state is its content: read only inside the project
            if not path.is_file():
                continue
            parsed = self.parse_on_demand(path, None)
            if isinstance(parsed, ParseError):
                contribution.parse_errors.append(parsed)
                contribution.files.append(
                    SourceFile(path=parsed.location.file, kind="terraform", status="failed")
                )
            elif parsed is not None:
                (loaded_input,) = eager_inputs([parsed])
                self.register(loaded_input, contribution)
                loaded.append(loaded_input)
        self.folders[directory] = loaded
        return loaded

    # -- roots -------------------------------------------------------------------------------

    def local_calls(self) -> dict[Path, set[Path]]:
        """The folders each module folder calls with a local source."""
        calls: dict[Path, set[Path]] = {}
        for directory, inputs in self.folders.items():
            sources: dict[str, str | None] = {}
            # The first declaration of each name counts, in file-name order, as in ModuleConfig.
            for parsed in sorted(inputs, key=lambda parsed: self.real_path(parsed.display).name):
                for name, source in parsed.summary.module_calls:
                    sources.setdefault(name, source)
            calls[directory] = {
                self.resolve(directory / source)
                for source in sources.values()
                if source is not None and is_local_source(source)
            }
        return calls

    def roots(self, run_by_units: Sequence[Path] = ()) -> list[Path]:
        """The folders no other folder calls, and one folder of each module call cycle that no
        such root reaches (the first by name): nothing calls into the cycle from outside, so it
        would otherwise never be evaluated, and its VPC001 never said. A folder a Terragrunt
        unit runs (``run_by_units``) is evaluated through the unit, as a called module is."""
        calls = self.local_calls()
        called = set().union(*calls.values(), run_by_units)
        candidates = sorted(
            directory
            for directory in self.folders  # real paths already (see real_path)
            if ".terraform" not in directory.parts
        )
        roots = [directory for directory in candidates if directory not in called]
        reached = _reachable([*roots, *run_by_units], calls)
        for directory in candidates:
            if directory not in reached:
                roots.append(directory)
                reached |= _reachable([directory], calls)
        return sorted(roots)

    # -- var files ---------------------------------------------------------------------------

    def read_var_files(self) -> None:
        """Read every ``--var-file`` before the roots: their content is part of the settings
        every unit depends on, and their problems are the project's."""
        for path in self.settings.var_files:
            self.var_file(Path(path))

    def var_file(self, path: Path) -> TerraformFile | None:
        """A ``--var-file``, read once per run."""
        return self.once("var-file", path, lambda: self._read_var_file(path))

    def _read_var_file(self, path: Path) -> TerraformFile | None:
        resolved = self.resolve(path)
        observed.note_file(resolved)
        if resolved in self.tfvars:
            found: TerraformFile = self.tfvars[resolved].result
            return found
        for known, parsed in self.tfvars.items():
            if self.resolve(known) == resolved:
                known_file: TerraformFile = parsed.result
                return known_file
        loaded = self.parse_on_demand(resolved, var_file_kind(resolved.name))
        if isinstance(loaded, ParseError):
            self.topology.parse_errors.append(loaded)
            return None
        if loaded is not None and loaded.error is not None:
            self.topology.parse_errors.append(loaded.error)
        return loaded
