"""Evaluation by units, each reused from the last run while nothing it depended on changed.

A pre-commit hook lints the whole project on every commit, and evaluating a monorepo takes
seconds even when every parse result comes from the cache. Yet one edited file changes the
evaluation of only a small part of it: a Terraform root module (with the modules it calls), or
the CloudFormation templates linked to one another by exports. A front end therefore evaluates
its files in such *units*, and for each unit it tells :class:`UnitMemo` what the unit depended
on:

- the parse results it read (:attr:`ParsedInput.result` records each read, with the file's
  content key),
- other states the front end can work out again cheaply before evaluating, recorded with
  :func:`depend` (the member files of a module folder, say), and
- file-system facts (:mod:`vpclint.evaluation.observed`: called folders outside discovery,
  ``modules.json``, parameter files, symlinks).

The next run reuses the unit's output when all of them still hold, and reads no parse result
for it. A unit's output must depend on nothing else (no state shared between units): cold and warm
runs then build the same topology, which the tests check by editing files between runs.

The memo of one project lives in the cache folder as one signed entry (see
:class:`~vpclint.cache.ParseCache`), keyed by everything that applies to every unit (vpclint's
code, the evaluation settings, the working directory); a change there starts a new memo.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vpclint.cache import ParseCache
from vpclint.evaluation import observed
from vpclint.evaluation.observed import Facts

_MISSING: Any = object()
_FILE = "file:"

# The dependencies of the unit being evaluated: name -> state.
_dependencies: ContextVar[dict[str, str] | None] = ContextVar(
    "vpclint_unit_dependencies", default=None
)


def depend(name: str, state: str) -> None:
    """The unit being evaluated depends on ``name`` being in ``state`` (no unit: nothing)."""
    found = _dependencies.get()
    if found is not None:
        found.setdefault(name, state)


class ParsedInput:
    """One file as evaluation receives it: its summary at once, its parse result when asked.

    The summary is what a front end needs to find its units (a Terraform file's module calls, a
    template's exports); the parse result is loaded from the cache only for units that are
    evaluated again. Reading it makes the file's content a dependency of the unit.
    """

    __slots__ = ("_load", "_result", "display", "key", "summary")

    def __init__(
        self,
        display: str,
        key: str,
        summary: Any,
        result: Any = _MISSING,
        load: Callable[[], Any] | None = None,
    ) -> None:
        if result is _MISSING and load is None:
            raise ValueError("a ParsedInput needs its parse result or a way to load it")
        self.display = display
        self.key = key
        self.summary = summary
        self._result = result
        self._load = load

    @property
    def result(self) -> Any:
        depend(_FILE + self.display, self.key)
        if self._result is _MISSING:
            assert self._load is not None
            self._result = self._load()
            self._load = None
        return self._result


def state_of(*parts: object) -> str:
    """A short digest of a dependency's state (a folder's members and their keys, say)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


@dataclass
class UnitRecord:
    """How a unit was evaluated: what it depended on, and where its output is stored."""

    dependencies: dict[str, str]
    facts: Facts
    output_key: str


@dataclass
class MemoData:
    """What one run leaves for the next: each front end's units, and each file's header."""

    settings: str
    units: dict[str, dict[str, UnitRecord]] = field(default_factory=dict)
    headers: dict[str, Any] = field(default_factory=dict)  # parse-cache key -> ParsedFile


class UnitMemo:
    """One front end's units: reuse those still valid, evaluate and remember the others."""

    def __init__(
        self,
        previous: Mapping[str, UnitRecord] | None,
        current_keys: Mapping[str, str],
        load_output: Callable[[str], Any] | None = None,
    ) -> None:
        self._previous = previous or {}
        self._current_keys = current_keys  # display -> content key, for every file of the run
        self._load_output = load_output
        self.kept: dict[str, UnitRecord] = {}
        self.new_outputs: dict[str, Any] = {}  # output key -> output, to be stored
        self.reused = 0
        self.evaluated = 0

    @classmethod
    def disabled(cls) -> UnitMemo:
        """A memo that remembers nothing from before (no cache, or a direct call)."""
        return cls(None, {})

    def unit(
        self, name: str, evaluate: Callable[[], Any], state: Callable[[str], str | None]
    ) -> Any:
        """The unit's output: the last run's while every dependency it recorded is in the same
        state (``state(name)`` works out those the front end recorded with :func:`depend`) and
        every fact it observed holds; otherwise ``evaluate()``'s, remembered for the next run."""
        record = self._previous.get(name)
        if (
            record is not None
            and self._load_output is not None
            and self._still_valid(record, state)
        ):
            output = self._load_output(record.output_key)
            if output is not _MISSING:
                observed.replay(record.facts)
                self.kept[name] = record
                self.reused += 1
                return output
        dependencies: dict[str, str] = {}
        token = _dependencies.set(dependencies)
        try:
            with observed.recording() as facts:
                output = evaluate()
        finally:
            _dependencies.reset(token)
        output_key = state_of(name, sorted(dependencies.items()), sorted(facts.items()))
        self.kept[name] = UnitRecord(dependencies, dict(facts), output_key)
        self.new_outputs[output_key] = output
        self.evaluated += 1
        return output

    def _still_valid(self, record: UnitRecord, state: Callable[[str], str | None]) -> bool:
        for name, recorded in record.dependencies.items():
            if name.startswith(_FILE):
                current = self._current_keys.get(name[len(_FILE) :])
            else:
                current = state(name)
            if current != recorded:
                return False
        return observed.still_true(record.facts)


class MemoStore:
    """The memo of one (project, working directory) in the cache folder: an index (each file's
    header, each unit's record) and each unit's output in an entry of its own, so that a run
    writes only the outputs of the units it evaluated."""

    def __init__(self, folder: Path, project_root: Path) -> None:
        self.store = ParseCache(folder, "evaluation-units")
        identity = repr((os.getcwd(), str(project_root.resolve()))).encode()
        self.slot = self.store.entry_key("units", identity, "memo")

    def load(self, settings: str) -> MemoData | None:
        """The last run's memo when it was made with the same ``settings`` digest."""
        found = self.store.get(self.slot)
        return found if isinstance(found, MemoData) and found.settings == settings else None

    def memo(self, previous: MemoData | None, frontend: str, keys: Mapping[str, str]) -> UnitMemo:
        units = previous.units.get(frontend) if previous is not None else None
        return UnitMemo(units, keys, self._output)

    def _output(self, output_key: str) -> Any:
        found = self.store.get(self._output_entry(output_key))
        return found[1] if isinstance(found, tuple) and found[0] == output_key else _MISSING

    def save(self, memo: MemoData, memos: Mapping[str, UnitMemo]) -> None:
        for unit_memo in memos.values():
            for output_key, output in unit_memo.new_outputs.items():
                self.store.put(self._output_entry(output_key), (output_key, output))
        memo.units = {frontend: unit_memo.kept for frontend, unit_memo in memos.items()}
        self.store.put(self.slot, memo)

    def _output_entry(self, output_key: str) -> str:
        return self.store.entry_key("unit-output", output_key.encode(), "output")
