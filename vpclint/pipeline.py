"""One lint run: discover -> parse -> evaluate -> topology -> rules -> suppressions.

Each stage lives in its own module; this one only wires them. The CLI, ``vpclint map`` and the
tests all call :func:`run`.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import vpclint.evaluate.observed as observed
from vpclint import __version__
from vpclint.api import Rule
from vpclint.cache.results import CachedRun, ResultsCache, code_fingerprint
from vpclint.cache.store import CacheFolder, CacheRefused, ParseCache
from vpclint.cache.units import (
    EvaluatedPart,
    MemoData,
    MemoStore,
    UnitMemo,
    content_digest,
    state_of,
)
from vpclint.config import Config
from vpclint.discover.sources import display_path
from vpclint.discover.walk import Refused, discover_resolved
from vpclint.evaluate import all_frontends
from vpclint.evaluate.contract import EvaluationSettings, FrontEnd, ParsedInput, SettingsError
from vpclint.evaluate.observed import KnownStates, file_state, file_states
from vpclint.limits import Limits
from vpclint.topology.coverage import Coverage, coverage_of
from vpclint.topology.models import (
    AddressBlock,
    Finding,
    Network,
    NotAnalysed,
    Severity,
    SourceFile,
    SourceLocation,
    Topology,
)
from vpclint.topology.scopes import assign_scopes, unmatched_globs

if TYPE_CHECKING:
    from vpclint.check.engine import EngineSettings
    from vpclint.parse.stage import ParsedFile, ParseStage

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


def _external_networks(config: Config, config_file: Path | None) -> list[Network]:
    origin = display_path(config_file) if config_file else "vpclint configuration"
    networks: list[Network] = []
    for identity, cidrs in config.external_networks.items():
        location = SourceLocation(file=origin)
        blocks = [
            AddressBlock(cidr=cidr, location=location, version=6 if ":" in cidr else 4)
            for cidr in cidrs
        ]
        ipv6 = tuple(block for block in blocks if block.version == 6)
        networks.append(
            Network(
                key=f"external::{identity}",
                address=identity,
                kind="external-network",
                provider="aws",
                location=location,
                name=identity,
                ipv4_blocks=tuple(block for block in blocks if block.version == 4),
                ipv6_blocks=ipv6,
                ipv6="present" if ipv6 else "absent",
                identities=(identity,),
                external=True,
            )
        )
    return networks


def _inventory_networks(request: RunRequest) -> list[Network]:
    """Other repositories' networks, from the config's inventories and --inventory files."""
    paths = [
        *(request.project_root / name for name in request.config.inventories),
        *request.inventories,
    ]
    if not paths:
        return []
    from vpclint.planning.inventory import load_inventories, repository_name

    return load_inventories(
        paths,
        own_repository=repository_name(request.project_root),
        max_size=request.config.limits.max_file_size,
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one run (restored afterwards, even when nested).

    A run builds millions of long-lived objects (parse results, expressions, models) and makes
    little cyclic garbage, so the collector's passes over the growing heap were more than half
    of a warm run's CPU time (10.2 s -> 4.6 s on the 500+500 benchmark, peak memory +13%).
    Parse workers forked meanwhile inherit the pause; their memory stays bounded by the batch.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def discovered_files(
    request: RunRequest, not_analysed: list[NotAnalysed] | None = None
) -> list[tuple[Path, str]]:
    """Every file the run looks at, with its reported path (a given file: its whole project).

    What discovery did not look into (a symlink leaving the project, an unreadable folder) is
    added to ``not_analysed``.
    """
    explicit_files = [path for path in request.paths if path.is_file()]
    # A file named explicitly is linted even when .gitignore ignores it, as ruff does.
    roots = [request.project_root, *explicit_files] if explicit_files else list(request.paths)
    refused: list[Refused] = []
    discovered = discover_resolved(
        roots,
        request.project_root,
        request.config.exclude,
        refused,
        respect_gitignore=request.respect_gitignore and request.config.respect_gitignore,
    )
    files = _with_display_paths(discovered)
    if not_analysed is not None:
        base = os.path.realpath(os.getcwd())
        prefix = base if base.endswith(os.sep) else base + os.sep
        for where, why in refused:
            # ``where`` is resolved up to its own name, which may be a symlink: shown as itself.
            shown = where[len(prefix) :] if where.startswith(prefix) else where
            location = SourceLocation(file=Path(shown).as_posix())
            not_analysed.append(NotAnalysed(location=location, message=why))
    return files


def _with_display_paths(discovered: Iterable[tuple[str, str]]) -> list[tuple[Path, str]]:
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
    with _collector_paused():
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
    cache = None
    memo_store: MemoStore | None = None
    previous: MemoData | None = None
    memo_settings = ""
    if cache_folder is not None:
        # Parse results too depend on the code, not only on the version: a development
        # install or a patched build with the same version must not reuse another's.
        code = state_of(code_fingerprint(()))
        cache = ParseCache(cache_folder, state_of(repr(limits), code))
        cache.clean()
        # Units of evaluation are reused only by a run with the same code and settings.
        memo_store = MemoStore(cache_folder, request.project_root)
        memo_settings = _memo_settings(settings, [frontend.name for frontend in frontends], code)
        previous = memo_store.load(memo_settings)
    from vpclint.parse.stage import ParseStage

    stage = ParseStage(frontends, limits, cache, request.jobs, request.progress)
    parsed_files = stage.run(files, previous.headers if previous is not None else None, states)
    inputs_by_frontend: dict[str, list[ParsedInput]] = {frontend.name: [] for frontend in frontends}
    current_keys: dict[str, str] = {}
    for parsed in parsed_files:
        display = parsed.display
        if parsed.error is not None:
            topology.parse_errors.append(parsed.error)
            topology.files.append(SourceFile(path=display, kind="unknown", status="failed"))
        elif parsed.frontend is None:
            topology.files.append(SourceFile(path=display, kind="none", status="skipped"))
        else:
            current_keys[display] = parsed.digest
            inputs_by_frontend[parsed.frontend].append(_evaluation_input(parsed, stage))
    if request.parameters and not inputs_by_frontend.get("cloudformation"):
        # With templates, the front end checks each name against their parameters.
        names = ", ".join(sorted(request.parameters))
        raise SettingsError(f"--parameter {names}: no CloudFormation template is linted")
    memos: dict[str, UnitMemo] = {}
    parts: dict[str, EvaluatedPart] = {}
    for frontend in frontends:
        if inputs_by_frontend[frontend.name]:
            memo = (
                memo_store.memo(previous, frontend.name, current_keys)
                if memo_store is not None
                else UnitMemo.disabled()
            )
            plan = frontend.units(inputs_by_frontend[frontend.name], settings)
            parts[frontend.name] = memo.evaluate(plan)
            memos[frontend.name] = memo
    if memo_store is not None:
        headers = {
            parsed.key: parsed.header() if parsed.loaded else parsed
            for parsed in parsed_files
            if parsed.key
        }
        memo_store.save(MemoData(memo_settings, headers=headers), memos, previous)
    if request.verbose is not None:
        _say_what_was_reused(request.verbose, len(files), stage, memos)
    others = [
        *_external_networks(config, request.config_file),
        *_inventory_networks(request),
    ]
    reserved = dict(config.reserved_ranges)
    digests = [(name, part.digest) for name, part in parts.items()]
    digest = (
        None
        if any(part_digest is None for _, part_digest in digests)
        else state_of(digests, content_digest((topology, others, reserved)))
    )

    def assemble() -> Topology:
        for part in parts.values():
            topology.merge(part.assemble())
        topology.networks.extend(others)
        topology.reserved_ranges = reserved
        roots = {network.root for network in topology.networks if not network.external}
        topology.scopes = assign_scopes(sorted(roots), config.scopes, request.project_root)
        return topology

    return EvaluatedPart(digest, assemble)


def _say_what_was_reused(
    say: Callable[[str], None], files: int, stage: ParseStage, memos: Mapping[str, UnitMemo]
) -> None:
    counts = stage.counts
    say(
        f"{files} files: {counts['parsed']} parsed, {counts['cached']} from the parse cache, "
        f"{counts['unread']} not read (their units were reused)"
    )
    for name, memo in memos.items():
        units = f"{memo.evaluated} unit" + ("" if memo.evaluated == 1 else "s")
        say(f"{name}: {units} evaluated, {memo.reused} reused from the last run")


def _evaluation_input(parsed: ParsedFile, stage: ParseStage) -> ParsedInput:
    if parsed.loaded:
        return ParsedInput(parsed.display, parsed.summary, result=parsed.result, key=parsed.digest)
    return ParsedInput(
        parsed.display, parsed.summary, load=lambda: stage.load(parsed), key=parsed.digest
    )


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


def _memo_settings(settings: EvaluationSettings, frontends: Sequence[str], code: str) -> str:
    """Everything every unit of evaluation depends on: vpclint's code, the working directory
    (reported paths are relative to it), the settings and the files they name."""
    named_files = [
        *settings.var_files,
        *(f for files in settings.parameter_files.values() for f in files),
    ]
    return state_of(
        __version__,
        code,
        str(Path.cwd().resolve()),
        # Of the environment only TF_VAR_* matter (`_` alone differs between shells).
        repr(dataclasses.replace(settings, environment={})),
        sorted(item for item in settings.environment.items() if item[0].startswith("TF_VAR_")),
        frontends,
        [(str(path), file_state(str(path))) for path in named_files],
    )


def engine_settings(request: RunRequest) -> EngineSettings:
    from vpclint.check.engine import EngineSettings, Selection

    config = request.config
    select = (
        tuple(request.select) if request.select is not None else tuple(config.select or ["ALL"])
    )
    extend = (*config.extend_select, *request.extend_select)
    ignore = (*config.ignore, *request.ignore)
    severities = {
        code: Severity(rule.severity) for code, rule in config.rules.items() if rule.severity
    }
    options = {code: rule.options() for code, rule in config.rules.items()}
    return EngineSettings(
        selection=Selection(select=select + extend, ignore=ignore),
        severities=severities,
        rule_options=options,
        per_file_ignores=config.per_file_ignores,
    )


def _cacheable_settings(request: RunRequest) -> tuple[object, ...]:
    """The request as the results cache keys it: everything but paths, jobs and progress
    (the discovered files stand for the paths)."""
    return (
        str(Path.cwd().resolve()),
        str(request.project_root.resolve()),
        str(request.config_file),
        repr(request.config.model_dump()),
        tuple(request.select) if request.select is not None else None,
        tuple(request.extend_select),
        tuple(request.ignore),
        tuple((str(path), file_state(str(path))) for path in request.var_files),
        sorted(request.variables.items()),
        sorted(request.parameters.items()),
        sorted(
            (name, value)
            for name, value in request.environment.items()
            if name.startswith("TF_VAR_")
        ),
    )


def run(
    request: RunRequest, rules: Sequence[Rule], frontends: Sequence[FrontEnd] | None = None
) -> RunResult:
    with _collector_paused():
        return _run(request, rules, frontends)


def _run(
    request: RunRequest, rules: Sequence[Rule], frontends: Sequence[FrontEnd] | None
) -> RunResult:
    not_analysed: list[NotAnalysed] = []
    files = discovered_files(request, not_analysed)
    cache_folder = _cache_folder(request)
    # Inventories name other repositories by their git metadata, which is no input the cache
    # tracks; custom front ends (tests) are not part of its key either.
    results_cache = (
        ResultsCache(cache_folder, request.project_root)
        if cache_folder is not None
        and frontends is None
        and not request.inventories
        and not request.config.inventories
        else None
    )
    cached: CachedRun | None = None
    inputs = ""
    # Each file is read and hashed at most once (not at all when its stat is the last run's):
    # the results cache and the parse stage share this.
    states: dict[str, str] | None = None
    known_states: KnownStates = {}
    known_at = time.time_ns()
    if cache_folder is not None:
        last_run = results_cache.last() if results_cache is not None else None
        states, known_states = file_states(
            [(str(path), display) for path, display in files],
            last_run.known_states if last_run is not None else {},
            last_run.known_at if last_run is not None else 0,
        )
    if results_cache is not None and states is not None:
        # What discovery refused is no discovered file, but the findings depend on it.
        inputs = results_cache.inputs_digest(
            (*_cacheable_settings(request), repr(not_analysed)), rules, files, states
        )
        cached = results_cache.load(inputs)
    if cached is not None:
        if request.verbose is not None:
            request.verbose("nothing changed since the last run: its findings are reused")
        findings = cached.findings
        result = RunResult(
            findings,
            rules=rules,
            file_counts=cached.file_counts,
            rebuild=lambda: build_topology(request, frontends, files, not_analysed),
            coverage=cached.coverage,
        )
    else:
        with observed.recording() as facts, _collector_paused():
            built = _build_topology(request, frontends, files, not_analysed, states, cache_folder)
        judged = (
            results_cache.judged_digest(_cacheable_settings(request), rules, built.digest)
            if results_cache is not None and built.digest is not None
            else None
        )
        last = results_cache.last() if results_cache is not None and judged else None
        if last is not None and last.judged == judged:
            # Rules are pure functions of the topology: the same topology, the same findings
            # (an edit to a comment or to a resource outside the address plan). The topology
            # is not even assembled unless asked for (vpclint map).
            if request.verbose is not None:
                request.verbose("the topology is unchanged: the last findings are reused")
            findings = last.findings
            counts = last.file_counts
            coverage = last.coverage
            result = RunResult(
                findings,
                rules=rules,
                file_counts=counts,
                rebuild=built.assemble,
                coverage=coverage,
            )
        else:
            from vpclint.check.engine import Engine

            with _collector_paused():
                topology = built.assemble()
            findings = Engine(rules, engine_settings(request)).run(topology)
            counts = dict(Counter(str(source.status) for source in topology.files))
            coverage = coverage_of(topology)
            result = RunResult(findings, topology, rules, coverage=coverage)
        if results_cache is not None:
            results_cache.save(
                CachedRun(
                    inputs,
                    facts,
                    findings,
                    counts,
                    judged or "",
                    known_states,
                    known_at,
                    coverage,
                )
            )
    explicit = {display_path(path) for path in request.paths if path.is_file()}
    if explicit:
        # Analyse the whole project, report what touches the given files (pre-commit's staged set).
        folders = [display_path(path) for path in request.paths if path.is_dir()]
        result.findings = _touching(findings, explicit, folders)
    if request.warn is not None:
        for warning in _scope_warnings(request, files):
            request.warn(f"warning: {warning}")
    return result


def _scope_warnings(request: RunRequest, files: Sequence[tuple[Path, str]]) -> list[str]:
    """A ``scopes`` glob that matches nothing in the project, when the run saw the whole
    project (a run on one folder sees only part of it). A warning, not an error: roots it
    misses stay in the default scope, compared with more networks, so it hides no finding."""
    scopes = request.config.scopes
    project = request.project_root.resolve()
    whole = any(
        path.is_file() or path.resolve() in (project, *project.parents) for path in request.paths
    )
    if not scopes or not whole:
        return []
    relative: list[str] = []
    for path, _ in files:
        try:
            relative.append(path.resolve().relative_to(project).as_posix())
        except ValueError:
            continue
    where = display_path(request.config_file) if request.config_file else "configuration"
    prefix = (
        "tool.vpclint."
        if request.config_file and request.config_file.name == "pyproject.toml"
        else ""
    )
    return [
        f"{where}: `{prefix}scopes` glob {pattern!r} matches no file or folder of the project"
        for pattern in unmatched_globs(relative, scopes)
    ]


def _touching(
    findings: Sequence[Finding], files: set[str], folders: Sequence[str]
) -> list[Finding]:
    """The findings at or related to one of ``files`` or anywhere below one of ``folders``."""
    if any(folder in (".", "") for folder in folders):
        return list(findings)
    below = tuple(folder.rstrip("/") + "/" for folder in folders)
    return [finding for finding in findings if _touches(finding, files, below)]


def _touches(finding: Finding, files: set[str], below: tuple[str, ...]) -> bool:
    if finding.file in files or finding.file.startswith(below):
        return True
    for related in finding.related:  # a loop, not any(): no generator for each of 4,000 findings
        if related.file in files or related.file.startswith(below):
            return True
    return False
