"""Parameter values from parameter files and the command line.

Two file forms are read: the ``aws cloudformation`` form
``[{"ParameterKey": "VpcCidr", "ParameterValue": "10.0.0.0/16"}]`` and CodePipeline's template
configuration ``{"Parameters": {"VpcCidr": "10.0.0.0/16"}}``. Files are mapped to templates by
glob in the configuration; later files override earlier ones, ``--parameter`` overrides all.
"""

from __future__ import annotations

import difflib
import fnmatch
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

import vpclint.evaluate.observed as observed
from vpclint.discover.sources import DEFAULT_MAX_FILE_SIZE, display_path, read_source
from vpclint.topology.models import ParseError, SourceLocation

# The pseudo parameters a run may set: the deployment's region, account and partition, and the
# stack's name (exports are often named after it). The others stay unknown.
SETTABLE_PSEUDO_PARAMETERS = frozenset(
    {"AWS::AccountId", "AWS::Partition", "AWS::Region", "AWS::StackName", "AWS::URLSuffix"}
)


def unmatched_parameter(given: Iterable[str], declared: set[str]) -> str | None:
    """Why a given parameter (--parameter, `parameters`) can have no effect: it names no
    parameter of any template linked, or no pseudo parameter vpclint sets. None when all do."""
    for name in sorted(given):
        if name in declared or name in SETTABLE_PSEUDO_PARAMETERS:
            continue
        if name.startswith("AWS::"):
            settable = ", ".join(sorted(SETTABLE_PSEUDO_PARAMETERS))
            problem = f"parameter {name} is not a pseudo parameter vpclint can set ({settable})"
            close = difflib.get_close_matches(name, SETTABLE_PSEUDO_PARAMETERS, 1)
        else:
            problem = f"parameter {name} matches no parameter of any template linked"
            close = difflib.get_close_matches(name, declared, 1)
        hint = f"; did you mean {close[0]}?" if close else ""
        return f"{problem} (given by --parameter or `parameters`){hint}"
    return None


class ParameterFiles:
    """Reads each parameter file once and remembers the problems found in them."""

    def __init__(
        self,
        mapping: Mapping[str, Sequence[Path]],
        project_root: Path,
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    ) -> None:
        self.mapping = mapping
        self.project_root = project_root
        self.max_file_size = max_file_size
        self._values: dict[Path, dict[str, str]] = {}
        self.errors: list[ParseError] = []

    def read_all(self) -> None:
        """Read every mapped file now (in mapping order), so that the problems found in them do
        not depend on which templates are evaluated."""
        for files in self.mapping.values():
            for file in files:
                self.read(file)

    def files_for(self, display: str) -> list[Path]:
        """Files whose glob matches the template's reported path or its path in the project."""
        found: list[Path] = []
        for pattern in matching_patterns(display, self.project_root, self.mapping):
            found.extend(self.mapping[pattern])
        return found

    def values_for(self, display: str) -> dict[str, str]:
        values: dict[str, str] = {}
        for file in self.files_for(display):
            values.update(self.read(file))
        return values

    def read(self, file: Path) -> dict[str, str]:
        path = file if file.is_absolute() else self.project_root / file
        if path not in self._values:
            self._values[path] = self._read(path)
        return self._values[path]

    def _read(self, path: Path) -> dict[str, str]:
        observed.note_resolution(path)  # display_path() follows symlinks
        observed.note_file(path)
        display = display_path(path)
        source = read_source(path, display, self.max_file_size)
        if isinstance(source, ParseError):
            self.errors.append(source)
            return {}
        try:
            document = json.loads(source.text)
        except json.JSONDecodeError as error:
            self._fail(display, f"parameter file is not valid JSON: {error.msg}", error.lineno)
            return {}
        except RecursionError:
            self._fail(display, "parameter file is nested too deeply")
            return {}
        values = _parameter_values(document)
        if values is None:
            self._fail(
                display,
                "parameter file must be a list of {ParameterKey, ParameterValue} objects "
                'or {"Parameters": {...}}',
            )
            return {}
        return values

    def _fail(self, display: str, message: str, line: int = 1) -> None:
        self.errors.append(
            ParseError(location=SourceLocation(file=display, line=line), message=message)
        )


def matching_patterns(display: str, project_root: Path, patterns: Iterable[str]) -> list[str]:
    """The globs (in their order) that match a template's reported path or its path in the
    project: how parameter files and stack names are given to templates."""
    candidates = {display}
    template = Path(display).absolute()  # reported paths are relative to the working directory
    root = project_root.absolute()
    if template.is_relative_to(root):
        candidates.add(template.relative_to(root).as_posix())
    return [
        pattern
        for pattern in patterns
        if any(_matches(candidate, pattern) for candidate in candidates)
    ]


def _matches(path: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(path, pattern) or PurePosixPath(path).match(pattern)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_text(item) for item in value)
    return str(value)


def _parameter_values(document: Any) -> dict[str, str] | None:
    if isinstance(document, list):
        values: dict[str, str] = {}
        for entry in document:
            if not isinstance(entry, dict) or not isinstance(entry.get("ParameterKey"), str):
                return None
            if "ParameterValue" in entry:
                values[entry["ParameterKey"]] = _text(entry["ParameterValue"])
        return values
    if isinstance(document, dict) and isinstance(document.get("Parameters"), dict):
        return {str(key): _text(value) for key, value in document["Parameters"].items()}
    return None
