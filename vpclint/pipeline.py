"""One lint run: discover -> parse -> evaluate -> topology -> rules -> suppressions.

Each stage lives in its own module; this one only wires them. The CLI, ``vpclint map`` and the
tests all call :func:`run`.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import vpclint.evaluate.observed as observed
from vpclint.api import Rule
from vpclint.cache.results import RunResults
from vpclint.cache.store import CacheFolder, CacheRefused
from vpclint.cache.units import EvaluatedPart, EvaluationCache, combined
from vpclint.check.touching import touching
from vpclint.config import Config
from vpclint.discover.sources import display_path
from vpclint.discover.walk import discover_files
from vpclint.evaluate import all_frontends
from vpclint.evaluate.contract import EvaluationSettings, FrontEnd, SettingsError
from vpclint.evaluate.external import external_networks, inventory_networks
from vpclint.evaluate.observed import file_state
from vpclint.limits import Limits, collector_paused
from vpclint.topology.coverage import Coverage, coverage_of
from vpclint.topology.models import (
    Finding,
    NotAnalysed,
    Topology,
)
from vpclint.topology.scopes import assign_scopes, scope_warnings

if TYPE_CHECKING:
    from vpclint.check.engine import EngineSettings

# The parse stage (process pools), the engine and inventories (pydantic models) are imported
# where used: a warm run answered by the results cache needs none of them.


@dataclass(frozen=True)
class RunRequest:
    """Everything a run needs, already merged from config file and command line."""

    paths: Sequence[Path]
    project_root: Path
    config: Config = field(default_factory=Config)
    config_file: Path | None = None
    select: Sequence[str] | None = None
    extend_select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    var_files: Sequence[Path] = ()
    variables: Mapping[str, str] = field(default_factory=dict)
    parameters: Mapping[str, str] = field(default_factory=dict)
    environment: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    jobs: int = 1
    cache_dir: Path | None = None  # None: no cache
    progress: Callable[[int, int], None] | None = None
    verbose: Callable[[str], None] | None = None  # -v: what was parsed, evaluated, cached
    inventories: Sequence[Path] = ()  # --inventory FILE, on top of the config's `inventories`
    respect_gitignore: bool = True  # off with --no-respect-gitignore or the config's key
    warn: Callable[[str], None] | None = None  # told once why the cache is not used, if so

    def cache_identity(self) -> tuple[object, ...]:
        """The request as the results cache keys it: everything but paths, jobs and progress
        (the discovered files stand for the paths)."""
        return (
            str(Path.cwd().resolve()),
            str(self.project_root.resolve()),
            str(self.config_file),
            repr(self.config.model_dump()),
            tuple(self.select) if self.select is not None else None,
            tuple(self.extend_select),
            tuple(self.ignore),
            tuple((str(path), file_state(str(path))) for path in self.var_files),
            sorted(self.variables.items()),
            sorted(self.parameters.items()),
            sorted(
                (name, value)
                for name, value in self.environment.items()
                if name.startswith("TF_VAR_")
            ),
        )


class RunResult:
    """A run's findings; its topology is rebuilt on first use when the findings came from the
    results cache (only ``vpclint map`` needs it)."""

    def __init__(
        self,
        findings: list[Finding],
        topology: Topology | None = None,
        rules: Sequence[Rule] = (),
        *,
        file_counts: Mapping[str, int] | None = None,
        rebuild: Callable[[], Topology] | None = None,
        coverage: Coverage | None = None,
    ) -> None:
        if topology is None and rebuild is None:
            raise ValueError("RunResult needs a topology or a way to rebuild it")
        self.findings = findings
        self.rules = list(rules)
        self._topology = topology
        self._rebuild = rebuild
        self._file_counts = dict(file_counts) if file_counts is not None else None
        self._coverage = coverage

    @property
    def topology(self) -> Topology:
        if self._topology is None:
            assert self._rebuild is not None
            self._topology = self._rebuild()
        return self._topology

    @property
    def coverage(self) -> Coverage:
        """What the whole project's run analysed (also when ``findings`` were narrowed to the
        files given on the command line)."""
        if self._coverage is None:
            self._coverage = coverage_of(self.topology)
        return self._coverage

    def count_files(self, status: str) -> int:
        if self._file_counts is not None and self._topology is None:
            return self._file_counts.get(status, 0)
        return sum(1 for source in self.topology.files if source.status == status)


def _limits(config: Config) -> Limits:
    return Limits(**config.limits.model_dump())


def discovered_files(
    request: RunRequest, not_analysed: list[NotAnalysed] | None = None
) -> list[tuple[Path, str]]:
    """Every file the run looks at, with its reported path (a given file: its whole project).

    What discovery did not look into (a symlink leaving the project, an unreadable folder) is
    added to ``not_analysed``.
    """
    return discover_files(
        request.paths,
        request.project_root,
        request.config.exclude,
        not_analysed,
        respect_gitignore=request.respect_gitignore and request.config.respect_gitignore,
    )


def build_topology(
    request: RunRequest,
    frontends: Sequence[FrontEnd] | None = None,
    files: Sequence[tuple[Path, str]] | None = None,
    not_analysed: Sequence[NotAnalysed] = (),
    states: Mapping[str, str] | None = None,
) -> Topology:
    """Discover, parse and evaluate: the whole project's topology (not yet judged).

    ``files`` and ``not_analysed`` may give what discovery found, ``states`` the
    :func:`file_state` of the files, by reported path, already known.
    """
    with collector_paused():
        return _build_topology(
            request, frontends, files, not_analysed, states, _cache_folder(request)
        ).assemble()


def _cache_folder(request: RunRequest) -> CacheFolder | None:
    """The run's cache folder; None without a cache or when it cannot be trusted this run
    (``request.warn`` is told why)."""
    if request.cache_dir is None:
        return None
    try:
        return CacheFolder.open(request.cache_dir, request.project_root)
    except CacheRefused as refusal:
        if request.warn is not None:
            request.warn(f"the cache is not used for this run: {refusal}")
        return None


def _build_topology(
    request: RunRequest,
    frontends: Sequence[FrontEnd] | None,
    files: Sequence[tuple[Path, str]] | None,
    not_analysed: Sequence[NotAnalysed],
    states: Mapping[str, str] | None,
    cache_folder: CacheFolder | None,
) -> EvaluatedPart:
    """The topology to assemble, and a digest of it when the memo knows every unit output's
    digest (equal digests, equal topologies)."""
    config = request.config
    limits = _limits(config)
    topology = Topology()
    if files is None:
        found: list[NotAnalysed] = []
        files = discovered_files(request, found)
        not_analysed = found
    topology.not_analysed.extend(not_analysed)
    if frontends is None:
        # With nothing to parse, the front ends (python-hcl2, the YAML loader) stay unimported.
        frontends = all_frontends() if files else []
    frontends = list(frontends)
    settings = EvaluationSettings(
        project_root=request.project_root,
        limits=limits,
        var_files=[*(request.project_root / name for name in config.var_files), *request.var_files],
        variables=dict(request.variables),
        environment=dict(request.environment),
        parameters={**config.parameters, **request.parameters},
        parameter_files=_parameter_files(config, request.project_root),
        stack_names={pattern: stack.name for pattern, stack in config.stacks.items()},
        external_networks=config.external_networks,
    )
    caches = EvaluationCache(cache_folder, settings, [frontend.name for frontend in frontends])
    from vpclint.parse.stage import ParseStage

    stage = ParseStage(frontends, limits, caches.parse_cache, request.jobs, request.progress)
    parsed_files = stage.run(files, caches.headers, states)
    unevaluated, inputs = stage.evaluation_inputs(parsed_files)
    topology.merge(unevaluated)
    if request.parameters and not inputs.get("cloudformation"):
        # With templates, the front end checks each name against their parameters.
        names = ", ".join(sorted(request.parameters))
        raise SettingsError(f"--parameter {names}: no CloudFormation template is linted")
    plans = {
        frontend.name: frontend.units(inputs[frontend.name], settings)
        for frontend in frontends
        if inputs[frontend.name]
    }
    parts = caches.evaluate(plans, parsed_files)
    if request.verbose is not None:
        stage.describe(request.verbose, len(files))
        caches.describe(request.verbose)
    others = [
        *external_networks(config, request.config_file),
        *inventory_networks(config, request.project_root, request.inventories),
    ]
    reserved = dict(config.reserved_ranges)

    def assemble(front_end_parts: list[Topology]) -> Topology:
        for part in front_end_parts:
            topology.merge(part)
        topology.networks.extend(others)
        topology.reserved_ranges = reserved
        roots = {network.root for network in topology.networks if not network.external}
        topology.scopes = assign_scopes(sorted(roots), config.scopes, request.project_root)
        return topology

    return combined(parts, (topology, others, reserved), assemble)


def _parameter_files(config: Config, root: Path) -> dict[str, list[Path]]:
    """``parameter-files``, then the parameter file of each entry of ``stacks`` (applied after
    the others that match its template)."""
    found = {
        pattern: [root / name for name in files]
        for pattern, files in config.parameter_files.items()
    }
    for pattern, stack in config.stacks.items():
        if stack.parameter_file:
            found.setdefault(pattern, []).append(root / stack.parameter_file)
    return found


def engine_settings(request: RunRequest) -> EngineSettings:
    """The engine's settings for this run: the configuration with the command line's selection."""
    from vpclint.check.engine import settings_from_config

    return settings_from_config(
        request.config, request.select, request.extend_select, request.ignore
    )


def run(
    request: RunRequest, rules: Sequence[Rule], frontends: Sequence[FrontEnd] | None = None
) -> RunResult:
    with collector_paused():
        return _run(request, rules, frontends)


def _run(
    request: RunRequest, rules: Sequence[Rule], frontends: Sequence[FrontEnd] | None
) -> RunResult:
    not_analysed: list[NotAnalysed] = []
    files = discovered_files(request, not_analysed)
    cache_folder = _cache_folder(request)
    # Inventories name other repositories by their git metadata, which is no input the cache
    # tracks; custom front ends (tests) are not part of its key either.
    results = RunResults(
        cache_folder,
        request.project_root,
        request.cache_identity(),
        rules,
        enabled=frontends is None and not request.inventories and not request.config.inventories,
    )
    # Each file is read and hashed at most once (not at all when its stat is the last run's):
    # the results cache and the parse stage share this.
    states = results.file_states(files)
    cached = results.unchanged_inputs(files, states, not_analysed)
    if cached is not None:
        if request.verbose is not None:
            request.verbose("nothing changed since the last run: its findings are reused")
        return _narrowed(
            request,
            files,
            RunResult(
                cached.findings,
                rules=rules,
                file_counts=cached.file_counts,
                rebuild=lambda: build_topology(request, frontends, files, not_analysed),
                coverage=cached.coverage,
            ),
        )
    with observed.recording() as facts, collector_paused():
        built = _build_topology(request, frontends, files, not_analysed, states, cache_folder)
    last = results.unchanged_topology(built.digest)
    if last is not None:
        # The topology is not even assembled unless asked for (vpclint map).
        if request.verbose is not None:
            request.verbose("the topology is unchanged: the last findings are reused")
        findings = last.findings
        counts = last.file_counts
        coverage = last.coverage
        result = RunResult(
            findings, rules=rules, file_counts=counts, rebuild=built.assemble, coverage=coverage
        )
    else:
        from vpclint.check.engine import Engine

        with collector_paused():
            topology = built.assemble()
        findings = Engine(rules, engine_settings(request)).run(topology)
        counts = dict(Counter(str(source.status) for source in topology.files))
        coverage = coverage_of(topology)
        result = RunResult(findings, topology, rules, coverage=coverage)
    results.save(facts, findings, counts, coverage)
    return _narrowed(request, files, result)


def _narrowed(
    request: RunRequest, files: Sequence[tuple[Path, str]], result: RunResult
) -> RunResult:
    """The result as reported: its findings narrowed to the given files, if any, and the
    configuration's scopes that match nothing said."""
    explicit = {display_path(path) for path in request.paths if path.is_file()}
    if explicit:
        # Analyse the whole project, report what touches the given files (pre-commit's staged set).
        folders = [display_path(path) for path in request.paths if path.is_dir()]
        result.findings = touching(result.findings, explicit, folders)
    if request.warn is not None:
        for warning in scope_warnings(
            request.config.scopes, request.config_file, request.project_root, request.paths, files
        ):
            request.warn(f"warning: {warning}")
    return result
