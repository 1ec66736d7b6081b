"""The findings of the last run, reused while nothing they depend on has changed.

A warm run that re-parses nothing still evaluates and judges the whole project, which costs
seconds on a monorepo; a pre-commit hook cannot afford that on every commit. This cache keeps,
per project and working directory, the findings of the last run together with a digest of every
input known before evaluation (vpclint's own code, the rules, the configuration and command line,
``TF_VAR_*`` variables, and the name and content of every discovered file) and the file-system
facts evaluation observed on its way (see :mod:`vpclint.evaluate.observed`). A run reuses the
findings only when the digest matches and every fact still holds; otherwise it runs in full and
replaces the entry. Entries are stored by :class:`~vpclint.cache.store.ParseCache` (signed, atomic):
the findings in an entry of their own, so that a run whose topology is unchanged (the same
findings, other inputs) rewrites only the small entry that names them.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from vpclint import __version__
from vpclint.api import Rule
from vpclint.cache.store import CacheFolder, ParseCache
from vpclint.evaluate.observed import Facts, KnownStates, file_states, still_true
from vpclint.topology.coverage import Coverage
from vpclint.topology.models import Finding

_SETTINGS_FINGERPRINT = "run-results"


@dataclass
class CachedRun:
    inputs: str
    facts: Facts
    findings: list[Finding]
    file_counts: dict[str, int]
    judged: str = ""  # judged_digest() of the topology the findings came from, when known
    # The files' stat keys and states, and when they were taken (see observed.file_states).
    known_states: KnownStates = field(default_factory=dict)
    known_at: int = 0
    coverage: Coverage | None = None  # what the run analysed, for the verdict


@dataclass
class _StoredRun:
    """A CachedRun as stored: without its findings, which are in the entry it names."""

    run: CachedRun
    findings_entry: str


def code_fingerprint(rules: Sequence[Rule]) -> list[tuple[str, int, int]]:
    """Size and modification time of every module of vpclint and, given rules, of the modules
    they run (edits count). Without rules, the same whatever rules were imported so far."""
    folders = {Path(__file__).parent.parent}  # the whole vpclint package
    builtin = sys.modules.get("vpclint.rules")
    if rules and builtin is not None and getattr(builtin, "__file__", None):
        folders.add(Path(str(builtin.__file__)).parent)
    files: set[Path] = set()
    for rule in rules:
        module = sys.modules.get(getattr(rule.check, "__module__", "") or "")
        location = getattr(module, "__file__", None)
        if location:
            files.add(Path(location))
    stamps: list[tuple[str, int, int]] = []
    for folder in folders:
        files.update(folder.rglob("*.py"))
    for path in sorted(files):
        try:
            info = path.stat()
        except OSError:
            stamps.append((str(path), -1, -1))
            continue
        stamps.append((str(path), info.st_size, info.st_mtime_ns))
    return stamps


def _rule_fingerprint(rules: Sequence[Rule]) -> list[tuple[str, ...]]:
    return [
        (
            rule.code,
            rule.name,
            str(rule.severity),
            repr(sorted(rule.options.items())),
            rule.origin,
            getattr(rule.check, "__module__", "") or "",
            getattr(rule.check, "__qualname__", "") or "",
        )
        for rule in rules
    ]


def _judging(settings: object, rules: Sequence[Rule]) -> tuple[object, ...]:
    """What findings depend on besides the files: vpclint, the rules and the settings."""
    return (__version__, sys.version, code_fingerprint(rules), _rule_fingerprint(rules), settings)


class ResultsCache:
    """One slot per (project, working directory): the last run's findings and their inputs."""

    def __init__(self, folder: Path | CacheFolder, project_root: Path) -> None:
        self.store = ParseCache(folder, _SETTINGS_FINGERPRINT)
        identity = repr((os.getcwd(), str(project_root.resolve()))).encode()
        self.slot = self.store.entry_key("results", identity, "run")
        self._last: CachedRun | Literal[False] | None = None
        self._last_findings_entry = ""

    @staticmethod
    def inputs_digest(
        settings: object,
        rules: Sequence[Rule],
        files: Sequence[tuple[Path, str]],
        states: Mapping[str, str],
    ) -> str:
        """Everything a run's findings depend on that is known before evaluation.

        ``settings`` must have a deterministic ``repr`` covering the configuration and the
        command line; ``states`` has the :func:`file_state` of each discovered file by its
        reported path.
        """
        digest = hashlib.sha256()
        digest.update(repr(_judging(settings, rules)).encode())
        for path, display in files:
            digest.update(b"\0" + display.encode(errors="surrogateescape") + b"\0")
            digest.update(b"L" if path.is_symlink() else b"F")
            digest.update(states[display].encode())
        return digest.hexdigest()

    @staticmethod
    def judged_digest(settings: object, rules: Sequence[Rule], topology_digest: str) -> str:
        """What the rules' findings depend on once the topology is built: the rules, their
        settings, and the topology itself."""
        head = (*_judging(settings, rules), topology_digest)
        return hashlib.sha256(repr(head).encode()).hexdigest()

    def last(self) -> CachedRun | None:
        """The last run's entry, whatever its inputs were (read once per run)."""
        if self._last is None:
            self._last = False
            stored = self.store.get(self.slot)
            findings = (
                self.store.get(stored.findings_entry) if isinstance(stored, _StoredRun) else None
            )
            if isinstance(stored, _StoredRun) and isinstance(findings, list):
                try:
                    self._last = replace(stored.run, findings=findings)
                    self._last_findings_entry = stored.findings_entry
                except (AttributeError, TypeError):  # stored by a build of another shape
                    self._last = False
        return self._last or None

    def load(self, inputs: str) -> CachedRun | None:
        cached = self.last()
        if cached is None or cached.inputs != inputs:
            return None
        if not still_true(cached.facts):
            return None
        return cached

    def save(self, run: CachedRun) -> None:
        """Store ``run`` as the last run; its findings are written only when they are not the
        last run's (the very list :meth:`last` gave)."""
        entry = self._last_findings_entry
        last = self._last
        reused = bool(entry) and isinstance(last, CachedRun) and run.findings is last.findings
        if not reused:
            entry = self.store.entry_key("findings", os.urandom(16), "findings")
            self.store.put(entry, run.findings)
        self.store.put(self.slot, _StoredRun(replace(run, findings=[]), entry))
        if not reused and self._last_findings_entry:
            self.store.remove(self._last_findings_entry)
        self._last = run
        self._last_findings_entry = entry


class RunResults:
    """The results cache's part in one run: each discovered file's state, then the last
    findings when the inputs are the last run's (nothing evaluated), or when the assembled
    topology's digest is (early cutoff: no rule run), and this run's findings saved.

    ``settings`` stands for the request (a deterministic ``repr``); without a cache folder, or not
    ``enabled`` (inventories, custom front ends: inputs the cache does not track), nothing is
    reused (the files' states are still taken with a folder: the parse stage shares them).
    """

    def __init__(
        self,
        folder: CacheFolder | None,
        project_root: Path,
        settings: tuple[object, ...],
        rules: Sequence[Rule],
        enabled: bool,
    ) -> None:
        self._folder = folder
        self._cache = ResultsCache(folder, project_root) if folder is not None and enabled else None
        self._settings = settings
        self._rules = rules
        self._inputs = ""
        self._judged = ""
        self._known_states: KnownStates = {}
        self._known_at = 0

    def file_states(self, files: Sequence[tuple[Path, str]]) -> dict[str, str] | None:
        """The :func:`~vpclint.evaluate.observed.file_state` of each file, by reported path
        (None without a cache): a file whose stat is the last run's is not read again."""
        if self._folder is None:
            return None
        self._known_at = time.time_ns()
        last = self._cache.last() if self._cache is not None else None
        states, self._known_states = file_states(
            [(str(path), display) for path, display in files],
            last.known_states if last is not None else {},
            last.known_at if last is not None else 0,
        )
        return states

    def unchanged_inputs(
        self,
        files: Sequence[tuple[Path, str]],
        states: Mapping[str, str] | None,
        not_analysed: object,
    ) -> CachedRun | None:
        """The last run, when every input known before evaluation and every fact it observed
        is the same (``not_analysed``: what discovery refused, no file but an input too)."""
        if self._cache is None or states is None:
            return None
        self._inputs = self._cache.inputs_digest(
            (*self._settings, repr(not_analysed)), self._rules, files, states
        )
        return self._cache.load(self._inputs)

    def unchanged_topology(self, topology_digest: str | None) -> CachedRun | None:
        """The last run, when its topology's digest (and rules, settings) are this one's: rules
        are pure functions of the topology, so its findings stand."""
        if self._cache is None or topology_digest is None:
            return None
        self._judged = self._cache.judged_digest(self._settings, self._rules, topology_digest)
        last = self._cache.last()
        return last if last is not None and last.judged == self._judged else None

    def save(
        self,
        facts: Facts,
        findings: list[Finding],
        file_counts: dict[str, int],
        coverage: Coverage | None,
    ) -> None:
        if self._cache is not None:
            self._cache.save(
                CachedRun(
                    self._inputs,
                    facts,
                    findings,
                    file_counts,
                    self._judged,
                    self._known_states,
                    self._known_at,
                    coverage,
                )
            )
