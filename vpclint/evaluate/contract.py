"""The contract between the pipeline and a front end (Terraform, CloudFormation).

A front end works in steps so that parsing can run in parallel and be cached per file, and
evaluation be reused per unit:

1. ``parse(source)`` turns one file's text into a picklable parse result, or ``None`` when the
   file is not this front end's (a GitHub workflow, a Kubernetes manifest): skipped silently.
   It never raises for bad input: problems go into the result as ParseErrors.
2. ``summarize(result)`` gives the small part of a parse result the front end needs before
   evaluating (how the file is reported, what links it to other files). The next run gets it
   back without loading the parse result.
3. ``evaluate_files(files, settings, memo)`` takes every file of the run and builds its part of
   the Topology (networks, subnets, connections, suppressions, parse errors), resolving
   variables, modules, parameters and intrinsics. Unknown values stay Unknown. It evaluates in
   units that :class:`~vpclint.cache.units.UnitMemo` may answer from the last run, reading the
   parse results of the other units only. It returns an
   :class:`~vpclint.cache.units.EvaluatedPart`: the part's digest at once, the topology when
   assembled (never, when the whole topology is the last run's). ``evaluate(results,
   settings)`` does the same for parse results in hand, with no memo, and assembles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from vpclint.cache.units import EvaluatedPart, ParsedInput, UnitMemo
from vpclint.discover.sources import SourceText
from vpclint.limits import Limits
from vpclint.topology.models import Topology


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


class FrontEnd(Protocol):
    name: str

    def claims(self, path: Path) -> bool:
        """Whether files with this name may be this front end's (by name only, no reading)."""

    def parse(self, source: SourceText, limits: Limits) -> Any | None:
        """The file's parse result (picklable), or None when the content is not ours."""

    def summarize(self, parsed: Any) -> Any:
        """What evaluation needs of the file before its parse result (small, picklable)."""

    def evaluate_files(
        self, files: Sequence[ParsedInput], settings: EvaluationSettings, memo: UnitMemo
    ) -> EvaluatedPart:
        """This front end's part of the topology from every file of the run: its digest at
        once, the topology when assembled."""

    def evaluate(self, parsed: Sequence[Any], settings: EvaluationSettings) -> Topology:
        """Build this front end's part of the topology from parse results in hand."""
