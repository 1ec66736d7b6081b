"""One Terragrunt configuration, evaluated as Terragrunt evaluates it.

Terragrunt parses a unit's ``terragrunt.hcl`` in a *parsing context*: the path of the unit's
configuration (what ``get_terragrunt_dir()`` and ``find_in_parent_folders()`` start from, even
inside an included file), and the include being parsed or the unit's includes (what
``path_relative_to_include()`` relates). An included file is evaluated in the unit's context;
a file read by ``read_terragrunt_config()`` in its own. Everything here is lazy: a local, the
inputs or a dependency's outputs are evaluated when something refers to them, so a reference
cycle is an error at the reference, as in Terragrunt, and never a hang.

What Terragrunt would reject (a missing environment variable without a default, an include that
is not found) is an Unknown of kind ERROR naming the function; a Terragrunt function vpclint does
not evaluate (``run_cmd``, ``get_aws_account_id``, ...) is an Unknown naming it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Protocol

import vpclint.evaluate.observed as observed
from vpclint.evaluate.terraform.evaluator import Namespace, Run, Scope, evaluate
from vpclint.evaluate.terraform.functions import Function
from vpclint.evaluate.terraform.values import (
    AssumedText,
    EvaluationError,
    UnknownValue,
    to_string,
)
from vpclint.parse.terraform import TerraformFile
from vpclint.parse.terraform import syntax as s
from vpclint.topology.models import SourceLocation, UnknownKind

CONFIG_NAMES = ("terragrunt.hcl", "terragrunt.hcl.json")
MERGE_STRATEGIES = ("no_merge", "shallow", "deep")
# Terragrunt's own functions that need the world outside the configuration: never evaluated.
NOT_EVALUATED = {
    "run_cmd": "it runs a command",
    "sops_decrypt_file": "it decrypts a file",
    "get_aws_account_id": "it asks AWS",
    "get_aws_account_alias": "it asks AWS",
    "get_aws_caller_identity_arn": "it asks AWS",
    "get_aws_caller_identity_user_id": "it asks AWS",
    "get_terraform_command": "it is the command Terragrunt runs",
    "get_terraform_cli_args": "they are the command Terragrunt runs",
    "get_working_dir": "it is the folder Terragrunt downloads the module to",
    "get_terragrunt_source_cli_flag": "it is a command-line flag of Terragrunt",
    "read_tfvars_file": "vpclint does not read tfvars files from Terragrunt",
    "mark_as_read": "it only changes Terragrunt's file tracking",
}
# Terragrunt reads at most this many parent folders (its --max-folders-to-check default).
MAX_FOLDERS_TO_CHECK = 100
# read_terragrunt_config() inside a file read by read_terragrunt_config(), this deep at most.
MAX_READ_DEPTH = 10


class ConfigReader(Protocol):
    """Reads a Terragrunt configuration file of the project (never one outside it)."""

    def __call__(self, path: Path) -> TerraformFile | str: ...


class DependencyOutputs(Protocol):
    """The outputs of the unit in ``directory`` as vpclint evaluates it (a Namespace), or why
    it cannot be evaluated (a str: then Terragrunt's mock outputs stand in)."""

    def __call__(self, directory: Path, location: SourceLocation) -> Any: ...


@dataclass
class Context:
    """What every configuration of one run shares."""

    run: Run
    project_root: Path
    environment: Mapping[str, str]
    read: ConfigReader
    outputs: DependencyOutputs
    # Dependencies whose mock outputs were used, by the display path of their block.
    mocked: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Include:
    name: str
    path: Path
    expose: bool
    merge_strategy: str
    location: SourceLocation


@dataclass(frozen=True)
class Dependency:
    name: str
    block: s.Block
    config: TerragruntConfig  # where the block is declared (its scope)

    @property
    def location(self) -> SourceLocation:
        return SourceLocation(file=self.config.display, line=self.block.line)


@dataclass(frozen=True)
class Generate:
    name: str
    block: s.Block
    config: TerragruntConfig


class TerragruntConfig:
    """One configuration file in a parsing context."""

    def __init__(
        self,
        context: Context,
        parsed: TerraformFile,
        path: Path,
        *,
        unit_path: Path,
        original_path: Path,
        included_as: Include | None = None,
        child: TerragruntConfig | None = None,
        read_depth: int = 0,
    ) -> None:
        self.context = context
        self.parsed = parsed
        self.body: s.Body = parsed.body if isinstance(parsed.body, s.Body) else s.Body()
        self.path = path
        self.display = parsed.display
        self.unit_path = unit_path  # pctx.TerragruntConfigPath
        self.original_path = original_path
        self.included_as = included_as  # TrackInclude.Original
        self.child = child
        self.read_depth = read_depth
        self._memo: dict[tuple[str, str], Any] = {}
        self._busy: set[tuple[str, str]] = set()

    # -- scope -------------------------------------------------------------------------------

    def scope(self) -> Scope:
        run = self._memoized(("run", ""), self._run)
        names: dict[str, Any] = {
            "local": Namespace("local", self.local),
            "dependency": Namespace("dependency", self.dependency_value),
            "include": Namespace("include", self.include_value),
        }
        return Scope(run, None, self.display, names)

    def _run(self) -> Run:
        base = self.context.run
        functions: dict[str, Function] = {**base.functions, **self._functions()}
        for name, why in NOT_EVALUATED.items():
            functions[name] = _refused(name, why)
        return Run(limits=base.limits, project_root=base.project_root, functions=functions)

    def evaluate(self, expression: s.Expression) -> Any:
        return evaluate(expression, self.scope())

    def _memoized(self, key: tuple[str, str], compute: Callable[[], Any]) -> Any:
        if key in self._memo:
            return self._memo[key]
        if key in self._busy:
            raise EvaluationError(f"{'.'.join(part for part in key if part)} refers to itself")
        self._busy.add(key)
        try:
            value = compute()
        finally:
            self._busy.discard(key)
        self._memo[key] = value
        return value

    # -- blocks ------------------------------------------------------------------------------

    def blocks(self, block_type: str) -> list[s.Block]:
        return [block for block in self.body.blocks if block.type == block_type]

    def local(self, name: str) -> Any:
        for block in self.blocks("locals"):
            attribute = block.attributes.get(name)
            if attribute is not None:
                return self._memoized(("local", name), partial(self.evaluate, attribute.value))
        raise EvaluationError(f"local.{name} is not declared in {self.display}")

    def locals_value(self) -> dict[str, Any]:
        return {
            name: self.local(name) for block in self.blocks("locals") for name in block.attributes
        }

    def includes(self) -> list[tuple[Include, TerragruntConfig | UnknownValue]]:
        found: list[tuple[Include, TerragruntConfig | UnknownValue]] = self._memoized(
            ("includes", ""), self._includes
        )
        return found

    def _includes(self) -> list[tuple[Include, TerragruntConfig | UnknownValue]]:
        if self.included_as is not None:
            return []  # Terragrunt allows one level of include; a nested one is not followed
        found: list[tuple[Include, TerragruntConfig | UnknownValue]] = []
        for block in self.blocks("include"):
            name = block.labels[0] if block.labels else ""
            location = SourceLocation(file=self.display, line=block.line, column=block.column)
            path_attribute = block.attributes.get("path")
            if path_attribute is None:
                found.append((_include(name, location), _error("include has no path", location)))
                continue
            # An include's path is evaluated before the locals: functions only.
            value = evaluate(path_attribute.value, Scope(self.scope().run, None, self.display))
            strategy = self._literal(block, "merge_strategy", "shallow")
            expose = self._literal(block, "expose", False) is True
            if not isinstance(value, str):
                reason = value if isinstance(value, UnknownValue) else None
                found.append(
                    (
                        _include(name, location),
                        reason or _error("include path is not a string", location),
                    )
                )
                continue
            path = _absolute(value, self.unit_path.parent)
            include = Include(name, path, expose, str(strategy), location)
            if strategy not in MERGE_STRATEGIES:
                found.append(
                    (include, _error(f"include merge_strategy {strategy!r} is unknown", location))
                )
                continue
            read = self.context.read(path)
            if isinstance(read, str):
                found.append((include, _error(f"include {value}: {read}", location)))
                continue
            found.append(
                (
                    include,
                    TerragruntConfig(
                        self.context,
                        read,
                        path,
                        unit_path=self.unit_path,
                        original_path=self.original_path,
                        included_as=include,
                        child=self,
                    ),
                )
            )
        return found

    def _literal(self, block: s.Block, name: str, default: Any) -> Any:
        attribute = block.attributes.get(name)
        if attribute is None:
            return default
        value = evaluate(attribute.value, Scope(self.scope().run, None, self.display))
        return default if isinstance(value, UnknownValue) else value

    def include_value(self, name: str) -> Any:
        for include, config in self.includes():
            if include.name == name and include.expose:
                if isinstance(config, UnknownValue):
                    return config
                return config.as_value()
        raise EvaluationError(f"include.{name} is not an include with expose = true")

    def as_value(self) -> dict[str, Any]:
        """The configuration as ``include.NAME`` and ``read_terragrunt_config()`` give it."""
        value: dict[str, Any] = {"locals": self.locals_value()}
        inputs = self.own_inputs()
        if inputs is not None:
            value["inputs"] = inputs
        source = self.own_source()
        if source is not None:
            value["terraform"] = {"source": source[0]}
        dependencies = self.own_dependencies()
        if dependencies:
            value["dependency"] = {name: self.dependency_value(name) for name in dependencies}
        return value

    # -- dependencies ------------------------------------------------------------------------

    def own_dependencies(self) -> dict[str, Dependency]:
        return {
            block.labels[0]: Dependency(block.labels[0], block, self)
            for block in self.blocks("dependency")
            if len(block.labels) == 1
        }

    def dependencies(self) -> dict[str, Dependency]:
        """This configuration's dependency blocks with its includes' merged in (by name, the
        child's winning); in an included file, the unit's merged set."""
        if self.child is not None:
            return self.child.dependencies()
        merged = dict(self.own_dependencies())
        for include, config in self.includes():
            if include.merge_strategy == "no_merge" or isinstance(config, UnknownValue):
                continue
            for name, dependency in config.own_dependencies().items():
                merged.setdefault(name, dependency)
        return merged

    def dependency_value(self, name: str) -> Any:
        dependency = self.dependencies().get(name)
        if dependency is None:
            raise EvaluationError(f"dependency.{name} is not declared")
        return dependency.config._memoized(
            ("dependency", name), lambda: dependency.config._dependency_outputs(dependency)
        )

    def _dependency_outputs(self, dependency: Dependency) -> Any:
        block = dependency.block
        location = dependency.location
        path_attribute = block.attributes.get("config_path")
        if path_attribute is None:
            return {
                "outputs": _error(f"dependency {dependency.name!r} has no config_path", location)
            }
        config_path = self.evaluate(path_attribute.value)
        if not isinstance(config_path, str):
            reason = config_path if isinstance(config_path, UnknownValue) else None
            return {"outputs": reason or _error("config_path is not a string", location)}
        directory = _absolute(config_path, self.unit_path.parent)
        outputs = self.context.outputs(directory, location)
        if not isinstance(outputs, str):
            return {"outputs": outputs}
        mock = block.attributes.get("mock_outputs")
        if mock is None:
            return {
                "outputs": UnknownValue.make(
                    f"dependency {dependency.name!r}: {outputs}", location=location
                )
            }
        self.context.mocked[f"{location.file}:{location.line}"] = (
            f"dependency {dependency.name!r} ({config_path}) cannot be evaluated ({outputs}): "
            "its mock_outputs stand in for its outputs"
        )
        assumed = (
            f"a mock output of dependency {dependency.name!r} ({location.file}:{location.line})"
        )
        return {"outputs": _assumed(self.evaluate(mock.value), assumed)}

    # -- inputs, source, generate ------------------------------------------------------------

    def own_inputs(self) -> dict[str, Any] | UnknownValue | None:
        attribute = self.body.attributes.get("inputs")
        if attribute is None:
            return None

        def compute() -> Any:
            value = self.evaluate(attribute.value)
            if isinstance(value, dict | UnknownValue):
                return value
            return _error("inputs is not an object", self._at(attribute))

        found: dict[str, Any] | UnknownValue = self._memoized(("inputs", ""), compute)
        return found

    def inputs(self) -> dict[str, Any] | UnknownValue:
        """The unit's inputs: its own merged over its includes', by each include's strategy
        (the last include overriding the earlier ones, the unit overriding them all)."""
        merged = self.own_inputs() or {}
        for include, config in reversed(self.includes()):
            if include.merge_strategy == "no_merge" or isinstance(config, UnknownValue):
                continue
            parent = config.own_inputs()
            if parent is None:
                continue
            if isinstance(parent, UnknownValue) or isinstance(merged, UnknownValue):
                merged = parent if isinstance(parent, UnknownValue) else merged
                continue
            if include.merge_strategy == "deep":
                merged = deep_merge(parent, merged)
            else:
                merged = {**parent, **merged}
        return merged

    def own_source(self) -> tuple[Any, SourceLocation] | None:
        for block in self.blocks("terraform"):
            attribute = block.attributes.get("source")
            if attribute is not None:
                return self.evaluate(attribute.value), self._at(attribute)
        return None

    def source(self) -> tuple[Any, SourceLocation] | None:
        """``terraform.source``: the unit's, else the last include's that sets one."""
        own = self.own_source()
        if own is not None:
            return own
        for include, config in reversed(self.includes()):
            if include.merge_strategy == "no_merge" or isinstance(config, UnknownValue):
                continue
            found = config.own_source()
            if found is not None:
                return found
        return None

    def generate_blocks(self) -> dict[str, Generate]:
        merged: dict[str, Generate] = {}
        for include, config in self.includes():
            if include.merge_strategy == "no_merge" or isinstance(config, UnknownValue):
                continue
            for block in config.blocks("generate"):
                if block.labels:
                    merged[block.labels[0]] = Generate(block.labels[0], block, config)
        for block in self.blocks("generate"):
            if block.labels:
                merged[block.labels[0]] = Generate(block.labels[0], block, self)
        return merged

    def _at(self, attribute: s.Attribute) -> SourceLocation:
        return SourceLocation(file=self.display, line=attribute.line, column=attribute.column)

    # -- Terragrunt's functions --------------------------------------------------------------

    def _functions(self) -> dict[str, Function]:
        unit_directory = self.unit_path.parent

        def find_in_parent_folders(*arguments: Any) -> Any:
            if len(arguments) > 2:
                raise EvaluationError("find_in_parent_folders() takes 0, 1 or 2 arguments")
            name = to_string(arguments[0]) if arguments else ""
            previous = unit_directory
            for _ in range(MAX_FOLDERS_TO_CHECK):
                current = previous.parent
                if current == previous:
                    break
                for candidate in (
                    [current / name] if name else [current / n for n in reversed(CONFIG_NAMES)]
                ):
                    observed.note_resolution(candidate)
                    if os.path.lexists(candidate):
                        return str(candidate)
                previous = current
            if len(arguments) == 2:
                return arguments[1]
            raise EvaluationError(
                f"find_in_parent_folders(): no {name or 'terragrunt.hcl'} in the parent folders "
                f"of {self.unit_path.parent.name}"
            )

        def path_relative_to_include(*arguments: Any) -> Any:
            include = self._selected_include(arguments, "path_relative_to_include")
            if include is None:
                return "."
            return os.path.relpath(unit_directory, include.path.parent)

        def path_relative_from_include(*arguments: Any) -> Any:
            include = self._selected_include(arguments, "path_relative_from_include")
            if include is None:
                return "."
            return os.path.relpath(include.path.parent, unit_directory)

        def get_parent_terragrunt_dir(*arguments: Any) -> Any:
            include = self._selected_include(arguments, "get_parent_terragrunt_dir")
            return str(include.path.parent if include is not None else unit_directory)

        def get_env(*arguments: Any) -> Any:
            if len(arguments) not in (1, 2):
                raise EvaluationError(
                    'get_env() takes 1 or 2 arguments: get_env("NAME", "DEFAULT")'
                )
            name = to_string(arguments[0])
            if not name:
                raise EvaluationError("get_env(): the variable name is empty")
            observed.note_environment(name)
            value = self.context.environment.get(name)
            if value is not None:
                return value
            if len(arguments) == 2:
                return arguments[1]
            raise EvaluationError(f"get_env(): environment variable {name} is not set")

        def read_terragrunt_config(*arguments: Any) -> Any:
            if len(arguments) not in (1, 2):
                raise EvaluationError("read_terragrunt_config() takes 1 or 2 arguments")
            target = _absolute(to_string(arguments[0]), self.unit_path.parent)
            if target.is_dir():
                target = _default_config(target)
            observed.note_resolution(target)
            if not os.path.lexists(target):
                if len(arguments) == 2:
                    return arguments[1]
                raise EvaluationError(f"read_terragrunt_config(): {arguments[0]} does not exist")
            if self.read_depth >= MAX_READ_DEPTH:
                raise EvaluationError(
                    f"read_terragrunt_config() nested more than {MAX_READ_DEPTH} deep"
                )
            read = self.context.read(target)
            if isinstance(read, str):
                raise EvaluationError(f"read_terragrunt_config(): {read}")
            return TerragruntConfig(
                self.context,
                read,
                target,
                unit_path=target,
                original_path=self.original_path,
                read_depth=self.read_depth + 1,
            ).as_value()

        def get_repo_root() -> Any:
            for folder in (unit_directory, *unit_directory.parents):
                observed.note_resolution(folder / ".git")
                if os.path.lexists(folder / ".git"):
                    return str(folder)
            raise EvaluationError("get_repo_root(): the unit is not in a git repository")

        def get_path_from_repo_root() -> Any:
            return os.path.relpath(unit_directory, get_repo_root())

        def get_path_to_repo_root() -> Any:
            return os.path.relpath(get_repo_root(), unit_directory)

        return {
            "find_in_parent_folders": find_in_parent_folders,
            "path_relative_to_include": path_relative_to_include,
            "path_relative_from_include": path_relative_from_include,
            "get_terragrunt_dir": lambda: str(unit_directory),
            "get_original_terragrunt_dir": lambda: str(self.original_path.parent),
            "get_parent_terragrunt_dir": get_parent_terragrunt_dir,
            "get_env": get_env,
            "read_terragrunt_config": read_terragrunt_config,
            "get_repo_root": get_repo_root,
            "get_path_from_repo_root": get_path_from_repo_root,
            "get_path_to_repo_root": get_path_to_repo_root,
            "get_platform": lambda: "linux",
        }

    def _selected_include(self, arguments: tuple[Any, ...], function: str) -> Include | None:
        """Terragrunt's getSelectedIncludeBlock: the include being parsed, else the unit's only
        include, else the one named."""
        if self.included_as is not None:
            return self.included_as
        includes = [include for include, _ in self.includes()]
        if not includes:
            return None
        if len(includes) == 1:
            return includes[0]
        if len(arguments) != 1:
            raise EvaluationError(f"{function}() needs the include's name: there are several")
        for include in includes:
            if include.name == to_string(arguments[0]):
                return include
        raise EvaluationError(f"{function}(): no include named {arguments[0]!r}")


def _assumed(value: Any, why: str) -> Any:
    """A mock output's strings, marked as assumed (wherever they are used, findings say so)."""
    if isinstance(value, str):
        return AssumedText(value, why)
    if isinstance(value, dict):
        return {key: _assumed(item, why) for key, item in value.items()}
    if isinstance(value, list):
        return [_assumed(item, why) for item in value]
    return value


def deep_merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Terragrunt's deep merge of inputs (mergo with append-slice and override): maps merge
    key by key, lists are the parent's followed by the child's, anything else the child's."""
    out = dict(parent)
    for key, value in child.items():
        if key in out and isinstance(out[key], dict) and isinstance(value, dict):
            out[key] = deep_merge(out[key], value)
        elif key in out and isinstance(out[key], list) and isinstance(value, list):
            out[key] = [*out[key], *value]
        else:
            out[key] = value
    return out


def _default_config(directory: Path) -> Path:
    """Terragrunt's GetDefaultConfigPath: the JSON configuration if there is one."""
    json_config = directory / "terragrunt.hcl.json"
    observed.note_resolution(json_config)
    return json_config if os.path.lexists(json_config) else directory / "terragrunt.hcl"


def _absolute(value: str, directory: Path) -> Path:
    return Path(os.path.normpath(os.path.join(directory, value)))


def _include(name: str, location: SourceLocation) -> Include:
    return Include(name, Path(), False, "shallow", location)


def _error(reason: str, location: SourceLocation) -> UnknownValue:
    return UnknownValue.make(reason, UnknownKind.ERROR, location)


def _refused(name: str, why: str) -> Function:
    def refuse(*_: Any) -> Any:
        return UnknownValue.make(f"Terragrunt's {name}() is not evaluated by vpclint: {why}")

    return refuse
