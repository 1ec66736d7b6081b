"""The contract between the pipeline and a front end (Terraform, CloudFormation, ...).

A front end is pure functions of its input; caching wraps them from outside
(:mod:`vpclint.cache.units`, :mod:`vpclint.parse.stage`) and a front end never sees it.

1. ``claims(path)``: whether a file with this name may be the front end's (no reading).
2. ``parse(source, limits)``: one file's text to a picklable parse result, or ``None`` when the
   content is not the front end's (a GitHub workflow in a ``.yaml``). Never raises for bad
   input: problems go into the result as ParseErrors.
3. ``summarize(result)``: the small picklable part of a parse result needed before evaluating
   (how the file is reported, what links it to other files). A later run may hand it back
   without the parse result.
4. ``units(files, settings)``: every file of the run (a :class:`ParsedInput` each) to
   :class:`Units`, the plan of the front end's evaluation, made from the summaries alone:

   - ``units``: each :class:`Unit` is a ``key`` (unique, the same in every run for the same
     part of the project: a root module's folder) and ``evaluate()``, which returns the unit's
     output (picklable) and may read only the parse results of ``ParsedInput.result``, the
     settings, the states it names with :func:`depend`, and the file system through
     :mod:`vpclint.evaluate.observed`. Nothing shared with another unit's evaluation may change
     its output.
   - ``state(name)``: the current state of a dependency a unit named with ``depend(name)``
     (plain data and ParsedInputs: a folder's member files, say), worked out from the
     summaries, and the same all run.
   - ``known``: what the part holds besides the units' outputs (files, their errors and
     suppressions), all known before any unit is evaluated.
   - ``assemble(outputs)``: the units' outputs, in the order of ``units``, and ``known`` to
     the front end's part of the Topology. It depends on nothing else.

   Unknown values stay Unknown, with a reason. A unit may be answered from an earlier run
   instead of evaluated, and the part never assembled when nothing in it changed.

:func:`evaluate_parsed` runs the steps on parse results in hand, with no cache.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from vpclint.discover.sources import SourceText
from vpclint.limits import Limits
from vpclint.topology.models import Topology

_MISSING: Any = object()
# What the unit being evaluated read: "file:" + display -> the file's key, or a dependency's
# name -> "" (its state comes from Units.state). None outside a recording.
_reads: ContextVar[dict[str, str] | None] = ContextVar("vpclint_unit_reads", default=None)
FILE = "file:"


@dataclass(frozen=True)
class EvaluationSettings:
    """What evaluation needs from the configuration and command line."""

    project_root: Path
    limits: Limits = field(default_factory=Limits)
    var_files: Sequence[Path] = ()  # --var-file / var-files, in order
    variables: Mapping[str, str] = field(default_factory=dict)  # --var NAME=VALUE
    environment: Mapping[str, str] = field(default_factory=dict)  # TF_VAR_* come from here
    parameters: Mapping[str, str] = field(default_factory=dict)  # --parameter KEY=VALUE
    parameter_files: Mapping[str, Sequence[Path]] = field(default_factory=dict)  # glob -> files
    stack_names: Mapping[str, str] = field(default_factory=dict)  # template glob -> stack name
    external_networks: Mapping[str, Sequence[str]] = field(default_factory=dict)


class SettingsError(Exception):
    """A setting that matches nothing in the input (a --parameter no template declares): the run
    stops with exit 2 and this one line, rather than ignore what the user asked for."""


class ParsedInput:
    """One file as evaluation receives it: its summary at once, its parse result when asked.

    The parse result is loaded only for the units that are evaluated; reading it makes the
    file a dependency of the unit being evaluated. ``key`` identifies the parse result's
    content for the cache layer (empty for results in hand).
    """

    __slots__ = ("_load", "_result", "display", "key", "summary")

    def __init__(
        self,
        display: str,
        summary: Any,
        result: Any = _MISSING,
        load: Callable[[], Any] | None = None,
        key: str = "",
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
        reads = _reads.get()
        if reads is not None:
            reads.setdefault(FILE + self.display, self.key)
        if self._result is _MISSING:
            assert self._load is not None
            self._result = self._load()
            self._load = None
        return self._result

    def __repr__(self) -> str:  # a dependency's state may hold inputs: their content is this
        return f"ParsedInput({self.display!r}, {self.key!r})"


def depend(name: str) -> None:
    """The unit being evaluated depends on the state ``Units.state(name)`` gives."""
    reads = _reads.get()
    if reads is not None:
        reads.setdefault(name, "")


@contextmanager
def recording_reads() -> Iterator[dict[str, str]]:
    """What the unit evaluated inside the ``with`` block read (for the cache layer)."""
    reads: dict[str, str] = {}
    token = _reads.set(reads)
    try:
        yield reads
    finally:
        _reads.reset(token)


@dataclass(frozen=True)
class Unit:
    """A part of a front end's evaluation that may be reused while what it read is unchanged."""

    key: str
    evaluate: Callable[[], Any]


def no_state(name: str) -> None:
    return None


@dataclass(frozen=True)
class Units:
    """A front end's evaluation of one run, in units (see the module docstring)."""

    units: Sequence[Unit]
    assemble: Callable[[Sequence[Any]], Topology]
    known: Any = None
    state: Callable[[str], Any] = no_state


class FrontEnd(Protocol):
    name: str

    def claims(self, path: Path) -> bool:
        """Whether files with this name may be this front end's (by name only, no reading)."""

    def parse(self, source: SourceText, limits: Limits) -> Any | None:
        """The file's parse result (picklable), or None when the content is not ours."""

    def summarize(self, parsed: Any) -> Any:
        """What evaluation needs of the file before its parse result (small, picklable)."""

    def units(self, files: Sequence[ParsedInput], settings: EvaluationSettings) -> Units:
        """This front end's evaluation of every file of the run, in units."""


def evaluate_parsed(
    frontend: FrontEnd, parsed: Sequence[Any], settings: EvaluationSettings
) -> Topology:
    """The front end's part of the topology from parse results in hand (each with a
    ``display``), every unit evaluated."""
    files = [ParsedInput(item.display, frontend.summarize(item), result=item) for item in parsed]
    plan = frontend.units(files, settings)
    return plan.assemble([unit.evaluate() for unit in plan.units])
