"""Configuration: ``[tool.vpclint]`` in pyproject.toml or top-level keys in ``.vpclint.toml``.

The closest file above the first linted path wins (``.vpclint.toml`` before ``pyproject.toml`` in
one folder); command-line options beat the file. Unknown keys and bad values are errors that name
the file and the key.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from vpclint.check.codes import CODE_PREFIX, RULE_CODE
from vpclint.discover.sources import regular_file_problem

# The shape of a code only: whether it names a loaded rule (a pack may bring ACME001) is
# checked once the rules are loaded, by check_codes.
from vpclint.limits import Limits
from vpclint.topology.cidr import cidr_problem

if TYPE_CHECKING:
    from vpclint.api import Rule

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

FailOn = Literal["error", "warning", "info", "never"]
CONFIG_FILES = (".vpclint.toml", "pyproject.toml")


class ConfigError(Exception):
    """A configuration problem; its text names the file and key."""


def _kebab(name: str) -> str:
    return name.replace("_", "-")


def _cidr_list(value: str | list[str], key: str) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    for cidr in values:
        problem = cidr_problem(cidr)
        if problem is not None:
            raise ValueError(f"{key}: {problem}")
    return tuple(values)


_DEFAULT_LIMITS = Limits()


class LimitsConfig(BaseModel):
    """``[limits]``: the bounds of :class:`~vpclint.limits.Limits`, its values the defaults."""

    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)

    max_file_size: int = Field(_DEFAULT_LIMITS.max_file_size, gt=0)
    max_depth: int = Field(_DEFAULT_LIMITS.max_depth, gt=0)
    max_aliases: int = Field(_DEFAULT_LIMITS.max_aliases, ge=0)
    max_expansion: int = Field(_DEFAULT_LIMITS.max_expansion, gt=0)
    max_steps: int = Field(_DEFAULT_LIMITS.max_steps, gt=0)
    max_module_depth: int = Field(_DEFAULT_LIMITS.max_module_depth, gt=0)
    max_subnet_bits: int = Field(_DEFAULT_LIMITS.max_subnet_bits, gt=0)


class StackConfig(BaseModel):
    """``[tool.vpclint.stacks]``: the stack a template (path or glob) is deployed as."""

    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)

    name: str = Field(min_length=1)
    parameter_file: str | None = None  # relative to the config file's folder


class RuleConfig(BaseModel):
    """``[tool.vpclint.rules.VPC103]``: a severity and the rule's own options."""

    model_config = ConfigDict(extra="allow")

    severity: Literal["error", "warning", "info"] | None = None

    def options(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)

    select: list[str] | None = None
    extend_select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    fail_on: FailOn = "error"
    exclude: list[str] = Field(default_factory=list)
    respect_gitignore: bool = True
    baseline: str | None = None  # relative to the config file's folder
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)
    reserved_ranges: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    external_networks: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    var_files: list[str] = Field(default_factory=list)
    parameters: dict[str, str] = Field(default_factory=dict)
    parameter_files: dict[str, list[str]] = Field(default_factory=dict)
    stacks: dict[str, StackConfig] = Field(default_factory=dict)
    inventories: list[str] = Field(default_factory=list)
    scopes: dict[str, str] = Field(default_factory=dict)  # glob of roots -> scope name
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    rules: dict[str, RuleConfig] = Field(default_factory=dict)

    @field_validator("select", "extend_select", "ignore")
    @classmethod
    def _codes(cls, value: list[str] | None) -> list[str] | None:
        for code in value or []:
            if not CODE_PREFIX.match(code):
                raise ValueError(f"{code!r} is not a rule code or prefix (e.g. VPC2, VPC203, ALL)")
        return value

    @field_validator("per_file_ignores")
    @classmethod
    def _per_file(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for pattern, codes in value.items():
            _check_glob(pattern)
            cls._codes(codes)
        return value

    @field_validator("stacks", mode="before")
    @classmethod
    def _stack_names(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            raise ValueError('expected a table of "template glob" = "stack name" or {name, ...}')
        for pattern in value:
            _check_glob(str(pattern))
        return {
            pattern: {"name": entry} if isinstance(entry, str) else entry
            for pattern, entry in value.items()
        }

    @field_validator("exclude")
    @classmethod
    def _globs(cls, value: list[str]) -> list[str]:
        for pattern in value:
            _check_glob(pattern)
        return value

    @field_validator("scopes")
    @classmethod
    def _scopes(cls, value: dict[str, str]) -> dict[str, str]:
        for pattern, name in value.items():
            _check_glob(pattern)
            if not name.strip():
                raise ValueError(f"{pattern!r}: a scope needs a name")
            if "{" in name.replace("{root}", "") or "}" in name.replace("{root}", ""):
                raise ValueError(
                    f"{pattern!r}: scope name {name!r} may use only the placeholder {{root}}"
                )
        return value

    @field_validator("reserved_ranges", "external_networks", mode="before")
    @classmethod
    def _cidrs(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            raise ValueError("expected a table of label = CIDR or [CIDRs]")
        return {key: _cidr_list(cidrs, str(key)) for key, cidrs in value.items()}

    @field_validator("rules", mode="before")
    @classmethod
    def _rule_codes(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            for code in value:
                if not RULE_CODE.match(str(code)):
                    raise ValueError(f"{code!r} is not a rule code (e.g. VPC203)")
        return value


def _check_glob(pattern: str) -> None:
    if not pattern or pattern.count("[") != pattern.count("]"):
        raise ValueError(f"{pattern!r} is not a valid glob pattern")
    try:
        re.compile(fnmatch.translate(pattern))
    except re.error as error:
        raise ValueError(f"{pattern!r} is not a valid glob pattern: {error}") from error


def find_config_file(start: Path) -> Path | None:
    """The closest .vpclint.toml, or pyproject.toml with a [tool.vpclint] table, above ``start``."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_FILES:
            path = candidate / name
            if not path.is_file():
                continue
            if name == "pyproject.toml" and not _has_vpclint_table(path):
                continue
            return path
    return None


def _has_vpclint_table(path: Path) -> bool:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        # A broken pyproject.toml that says nothing of vpclint is not ours to report.
        return "[tool.vpclint" in path.read_text(encoding="utf-8", errors="replace")
    return isinstance(data.get("tool"), dict) and "vpclint" in data["tool"]


def load_config(path: Path) -> Config:
    """Read and validate one config file; problems raise ConfigError naming file and key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read config: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("vpclint", {})
        prefix = "tool.vpclint."
    else:
        table = data
        prefix = ""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {prefix.rstrip('.') or 'config'} must be a table")
    try:
        return Config.model_validate(table)
    except ValidationError as error:
        first = error.errors()[0]
        key = prefix + ".".join(str(part) for part in first["loc"])
        if first["type"] == "extra_forbidden":
            raise ConfigError(f"{path}: unknown key `{key}`") from None
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{path}: bad value for `{key}`: {message}") from None


def project_root_for(paths: list[Path], config_file: Path | None) -> Path:
    """Where a run's project starts: the config file's folder, else the git top level, else cwd."""
    if config_file is not None:
        return config_file.parent.resolve()
    start = paths[0].resolve() if paths else Path.cwd().resolve()
    if not start.is_dir():
        start = start.parent
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return Path.cwd().resolve()


def check_codes(config: Config, rules: Sequence[Rule], config_file: Path | None) -> None:
    """Every code or prefix in ``select``, ``extend-select``, ``ignore`` and ``per-file-ignores``
    must start a loaded rule's code: a typo must not silently turn the gate off."""
    from vpclint.check.registry import unknown_codes

    where = str(config_file) if config_file else "configuration"
    prefix = (
        "tool.vpclint." if config_file is not None and config_file.name == "pyproject.toml" else ""
    )
    keyed: list[tuple[str, list[str]]] = [
        ("select", config.select or []),
        ("extend-select", config.extend_select),
        ("ignore", config.ignore),
        *(
            (f"per-file-ignores.{pattern!r}", codes)
            for pattern, codes in config.per_file_ignores.items()
        ),
    ]
    for key, codes in keyed:
        unknown = unknown_codes(codes, rules)
        if unknown:
            raise ConfigError(
                f"{where}: `{prefix}{key}` names unknown rule code {', '.join(unknown)} "
                "(see `vpclint rules`)"
            )


def check_named_files(
    config: Config,
    config_file: Path | None,
    project_root: Path,
    options: Mapping[str, Sequence[Path]],
) -> None:
    """Files named in the configuration (``var-files``, ``parameter-files``, ``inventories``) and
    on the command line (``options``: option name -> files) must be regular files within
    ``limits.max-file-size``: anything else, missing ones included, is a ConfigError.

    They may lie outside the project (a shared tfvars file, another repository's inventory), so
    their symlinks are followed; what is refused is what could hang the run or fill its memory
    (a FIFO, a device such as ``/dev/zero``), and a run that silently lacks values asked for.
    """
    max_size = config.limits.max_file_size
    where = str(config_file) if config_file else "configuration"
    prefix = (
        "tool.vpclint." if config_file is not None and config_file.name == "pyproject.toml" else ""
    )
    parameter_files = [name for names in config.parameter_files.values() for name in names]
    parameter_files += [
        stack.parameter_file for stack in config.stacks.values() if stack.parameter_file
    ]
    for key, names in (
        ("var-files", config.var_files),
        ("parameter-files", parameter_files),
        ("inventories", config.inventories),
    ):
        for name in names:
            problem = _named_file_problem(project_root / name, max_size)
            if problem is not None:
                raise ConfigError(f"{where}: `{prefix}{key}`: {name}: {problem}")
    for option, paths in options.items():
        for path in paths:
            problem = _named_file_problem(path, max_size)
            if problem is not None:
                raise ConfigError(f"{option} {path}: {problem}")


def _named_file_problem(path: Path, max_size: int) -> str | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "no such file"
    except OSError as error:
        return f"cannot read: {error.strerror or error}"
    return regular_file_problem(info, max_size)


def check_rule_options(config: Config, rules: Sequence[Rule], config_file: Path | None) -> None:
    """``[rules.CODE]`` tables must name a known rule and only that rule's own options."""
    known = {rule.code: rule for rule in rules}
    where = str(config_file) if config_file else "configuration"
    in_pyproject = config_file is not None and config_file.name == "pyproject.toml"
    prefix = "tool.vpclint." if in_pyproject else ""
    for code, rule_config in config.rules.items():
        if code not in known:
            raise ConfigError(f"{where}: unknown rule `{prefix}rules.{code}`")
        for option, value in rule_config.options().items():
            if option not in known[code].options:
                raise ConfigError(f"{where}: unknown key `{prefix}rules.{code}.{option}`")
            expected = _wrong_kind(value, known[code].options[option])
            if expected is not None:
                raise ConfigError(
                    f"{where}: `{prefix}rules.{code}.{option}` must be {expected}, not {value!r}"
                )


def _wrong_kind(value: Any, default: Any) -> str | None:
    """What a rule option's value should be when it is not of its default's kind, else None."""
    boolean = isinstance(value, bool)
    if isinstance(default, bool):
        return None if boolean else "true or false"
    if isinstance(default, int):
        return None if isinstance(value, int) and not boolean else "an integer"
    if isinstance(default, float):
        return None if isinstance(value, int | float) and not boolean else "a number"
    if isinstance(default, str):
        return None if isinstance(value, str) else "a string"
    if isinstance(default, list | tuple):
        return None if isinstance(value, list) else "a list"
    return None
