"""Evaluating a whole project: module folders, root modules, tfvars, and the Topology.

Every folder with configuration files is a module. Folders that some module in scope calls with a
local source are evaluated only through those calls; the others are roots, evaluated with their
defaults, tfvars, ``TF_VAR_`` variables, ``--var-file`` and ``--var`` in Terraform's precedence.

Each root module, with every module it calls, is one unit of :mod:`vpclint.incremental`: its
output depends only on the folders it visits (their member files and content), the files it
reads and the facts it observes, so a run after an edit evaluates only the roots that reach the
edited file. Roots are found from the files' summaries (their module calls), without their parse
results.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from vpclint.evaluation import observed
from vpclint.evaluation.terraform.evaluator import Run, Scope, evaluate
from vpclint.evaluation.terraform.modules import Declared, ModuleConfig, ModuleInstance
from vpclint.evaluation.terraform.registry_vpc import MODEL_FILE, is_vpc_module, model_body
from vpclint.evaluation.terraform.resources import (
    BUILDERS,
    Collected,
    link_by_identity,
    unexpanded,
)
from vpclint.evaluation.terraform.types import is_primitive
from vpclint.evaluation.terraform.values import UnknownValue
from vpclint.frontend import EvaluationSettings
from vpclint.incremental import ParsedInput, UnitMemo, depend, resolve, state_of
from vpclint.models import (
    Network,
    ParseError,
    SourceFile,
    SourceLocation,
    Suppression,
    Topology,
    UnknownKind,
)
from vpclint.parsers.terraform import FileKind, TerraformFile
from vpclint.parsers.terraform import syntax as s
from vpclint.parsers.terraform.hcl import SyntaxProblem, parse_hcl
from vpclint.sources import display_path, resolved_working_directory

ParseOnDemand = Callable[[Path], TerraformFile | ParseError | None]
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
                    calls.append((block.labels[0], _literal_source(block)))
        return cls(parsed.kind, parsed.error, parsed.suppressions, tuple(calls))


def eager_inputs(files: Sequence[TerraformFile]) -> list[ParsedInput]:
    """Parse results already in hand, as a project takes them."""
    return [
        ParsedInput(parsed.display, "", TerraformSummary.of(parsed), result=parsed)
        for parsed in files
    ]


@dataclass
class FolderContribution:
    """What a module folder adds to the topology besides its resources: the files evaluation
    read from it itself (a called folder that discovery did not cover) and its problems."""

    files: list[SourceFile] = field(default_factory=list)
    parse_errors: list[ParseError] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)


@dataclass
class RootOutput:
    """One root module's part of the topology, before links across roots are made."""

    collected: Collected
    folders: dict[str, FolderContribution]  # by folder, each added once however many use it


def _is_local_source(source: str) -> bool:
    return source.startswith(("./", "../")) or source in (".", "..")


def module_source(declared: Declared) -> str | None:
    return _literal_source(declared.node)


def _literal_source(block: s.Block) -> str | None:
    attribute = block.attributes.get("source")
    if attribute is not None and isinstance(attribute.value, s.Literal):
        value = attribute.value.value
        return value if isinstance(value, str) else None
    return None


class Project:
    """Everything parsed in one run, grouped into module folders."""

    def __init__(
        self,
        files: Sequence[ParsedInput],
        settings: EvaluationSettings,
        parse_on_demand: ParseOnDemand,
        memo: UnitMemo | None = None,
    ) -> None:
        self.settings = settings
        self.parse_on_demand = parse_on_demand
        self.memo = memo if memo is not None else UnitMemo.disabled()
        self.run = Run(limits=settings.limits, project_root=observed.resolve(settings.project_root))
        self.topology = Topology()
        self.folders: dict[Path, list[ParsedInput]] = {}
        self.tfvars: dict[Path, ParsedInput] = {}
        # The same by folder: each root reads its own folder's, and looking them up among all
        # of the project's made evaluation quadratic (2,500 roots with tfvars: 60 s).
        self._tfvars_in: dict[Path, dict[str, ParsedInput]] = {}
        self.manifests: dict[Path, dict[str, Path]] = {}
        # Work done once per run however many roots need it, with the facts it observed: a
        # root that finds it done still records them (its output must not depend on others').
        self._done: dict[tuple[str, Path], tuple[Any, dict[tuple[str, str], str]]] = {}
        self._real_paths: dict[str, Path] = {}
        self._working_directory = resolved_working_directory()
        self._visited: dict[str, FolderContribution] = {}
        for parsed in files:
            self._register(parsed, self.topology)
        self._discovered = {directory: list(inputs) for directory, inputs in self.folders.items()}

    def _register(self, parsed: ParsedInput, into: Topology | FolderContribution) -> None:
        summary: TerraformSummary = parsed.summary
        path = self.real_path(parsed.display)
        status = "failed" if summary.error is not None else "parsed"
        into.files.append(SourceFile(path=parsed.display, kind=summary.kind, status=status))
        if summary.error is not None:
            into.parse_errors.append(summary.error)
        into.suppressions.extend(summary.suppressions)
        if summary.kind in ("terraform", "terraform-json"):
            self.folders.setdefault(path.parent, []).append(parsed)
        elif summary.kind in ("tfvars", "tfvars-json"):
            self.tfvars[path] = parsed
            self._tfvars_in.setdefault(path.parent, {})[path.name] = parsed

    def real_path(self, display: str) -> Path:
        """The file on disk, worked out once per file and run (it is asked for often)."""
        found = self._real_paths.get(display)
        if found is None:
            if os.path.isabs(display):
                found = Path(display).resolve()
            else:
                # A relative reported path is the resolved path relative to the resolved
                # working directory (display_path), so joining them needs no system call.
                found = Path(os.path.join(self._working_directory, display))
            self._real_paths[display] = found
        return found

    def _once(self, kind: str, path: Path, compute: Callable[[], T]) -> T:
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
        return self._once("resolve", path, lambda: observed.resolve(path))

    def folder_state(self, directory: Path) -> str:
        """The discovered member files of a folder and their parse results: a root module's output
        depends on those of each folder it visits."""
        members = sorted(
            (parsed.display, parsed.key) for parsed in self._discovered.get(directory, ())
        )
        tfvars = sorted(
            (parsed.display, parsed.key) for parsed in self._tfvars_in.get(directory, {}).values()
        )
        return state_of(members, tfvars)

    def config(self, directory: Path) -> ModuleConfig | None:
        depend(f"folder:{directory}", self.folder_state(directory))
        config, contribution = self._once("config", directory, lambda: self._config(directory))
        if contribution is not None:
            self._visited[str(directory)] = contribution
        return config

    def _config(self, directory: Path) -> tuple[ModuleConfig | None, FolderContribution | None]:
        contribution = FolderContribution()
        inputs = self.folders.get(directory)
        if inputs is None:
            inputs = self._load_folder(directory, contribution)
            if not inputs:
                return None, contribution if contribution.files else None
        ordered = sorted(inputs, key=lambda parsed: self.real_path(parsed.display).name)
        # ``directory`` is a real path (discovered, or resolved where called), so its display
        # path follows no symlink that could change.
        config = ModuleConfig.from_files(
            directory, display_path(directory), [parsed.result for parsed in ordered]
        )
        contribution.parse_errors.extend(config.problems)
        return config, contribution

    def _load_folder(self, directory: Path, contribution: FolderContribution) -> list[ParsedInput]:
        """A called module folder that discovery did not cover (inside the project only)."""
        if not _inside(directory, self.run.project_root):
            return []
        observed.note_directory(directory)
        if not directory.is_dir():
            return []
        loaded: list[ParsedInput] = []
        for path in sorted(directory.iterdir()):
            if not path.name.endswith((".tf", ".tf.json")):
                continue
            observed.note_file(path)
            observed.note_resolution(path)
            if not path.is_file():
                continue
            parsed = self.parse_on_demand(path)
            if isinstance(parsed, ParseError):
                contribution.parse_errors.append(parsed)
                contribution.files.append(
                    SourceFile(path=parsed.location.file, kind="terraform", status="failed")
                )
            elif parsed is not None:
                (loaded_input,) = eager_inputs([parsed])
                self._register(loaded_input, contribution)
                loaded.append(loaded_input)
        self.folders[directory] = loaded
        return loaded

    # -- roots -------------------------------------------------------------------------------

    def called_folders(self) -> set[Path]:
        called: set[Path] = set()
        for directory, inputs in self.folders.items():
            sources: dict[str, str | None] = {}
            # The first declaration of each name counts, in file-name order, as in ModuleConfig.
            for parsed in sorted(inputs, key=lambda parsed: self.real_path(parsed.display).name):
                for name, source in parsed.summary.module_calls:
                    sources.setdefault(name, source)
            for source in sources.values():
                if source is not None and _is_local_source(source):
                    called.add(self.resolve(directory / source))
        return called

    def roots(self) -> list[Path]:
        called = self.called_folders()
        return sorted(
            directory
            for directory in self.folders  # real paths already (see real_path)
            if directory not in called and ".terraform" not in directory.parts
        )

    # -- evaluation --------------------------------------------------------------------------

    def resolve_module(
        self, caller: ModuleInstance, name: str, declared: Declared
    ) -> ModuleConfig | UnknownValue:
        source = module_source(declared)
        block: s.Block = declared.node
        location = SourceLocation(file=declared.file, line=block.line, column=block.column)
        if source is None:
            return UnknownValue.make(
                f"module {name!r} has no literal source", UnknownKind.ERROR, location
            )
        if _is_local_source(source):
            directory = self.resolve(caller.config.directory / source)
            if not _inside(directory, self.run.project_root):
                return UnknownValue.make(
                    f"module {name!r} source {source} is outside the project", location=location
                )
            config = self.config(directory)
            if config is None:
                return UnknownValue.make(
                    f"module {name!r} source {source} has no Terraform files", location=location
                )
            return config
        downloaded = self._downloaded_module(caller, name)
        if downloaded is not None:
            return downloaded
        if is_vpc_module(source):
            return ModuleConfig.model(source, MODEL_FILE, model_body())
        return UnknownValue.make(
            f"module {name!r} comes from {source}; its outputs are not known without "
            "`terraform init` (.terraform/modules)",
            location=location,
        )

    def _downloaded_module(self, caller: ModuleInstance, name: str) -> ModuleConfig | None:
        """A registry or git module that ``terraform init`` downloaded (modules.json)."""
        key = f"{caller.call_path}.{name}" if caller.call_path else name
        directory = self._module_manifest(caller.root_directory).get(key)
        if directory is None:
            return None
        return self.config(directory)

    def _module_manifest(self, root: Path) -> dict[str, Path]:
        return self._once("manifest", root, lambda: self._read_module_manifest(root))

    def _read_module_manifest(self, root: Path) -> dict[str, Path]:
        if root not in self.manifests:
            found: dict[str, Path] = {}
            manifest = root / ".terraform" / "modules" / "modules.json"
            observed.note_file(manifest)
            try:
                readable = (
                    _inside(manifest, self.run.project_root)
                    and manifest.is_file()
                    and manifest.stat().st_size <= self.run.limits.max_file_size
                )
                data = json.loads(manifest.read_text(encoding="utf-8")) if readable else {}
                for entry in data.get("Modules", []) if isinstance(data, dict) else []:
                    if (
                        isinstance(entry, dict)
                        and isinstance(entry.get("Key"), str)
                        and isinstance(entry.get("Dir"), str)
                        and entry["Key"]
                    ):
                        folder = self.resolve(root / entry["Dir"])
                        if _inside(folder, self.run.project_root):
                            found[entry["Key"]] = folder
            except (OSError, ValueError, RecursionError):
                found = {}
            self.manifests[root] = found
        return self.manifests[root]

    def evaluate_units(self) -> list[Any]:
        """Each root module's output (reused ones :class:`~vpclint.incremental.Deferred`); the
        project's own part of the topology (files, var-file problems) is complete after it."""
        for path in self.settings.var_files:
            self._var_file(Path(path))
        return [
            self.memo.unit(
                f"root:{directory}", partial(self._evaluate_root, directory), self._state
            )
            for directory in self.roots()
        ]

    def assemble(self, outputs: Sequence[Any]) -> Topology:
        """The topology from the roots' outputs, with links across roots."""
        collected = Collected()
        contributed: set[str] = set()
        for deferred in outputs:
            output: RootOutput | None = resolve(deferred)
            if output is None:
                continue
            _extend(collected, output.collected)
            for folder, contribution in output.folders.items():
                if folder not in contributed:
                    contributed.add(folder)
                    self.topology.files.extend(contribution.files)
                    self.topology.parse_errors.extend(contribution.parse_errors)
                    self.topology.suppressions.extend(contribution.suppressions)
        link_by_identity(collected)
        self._attach_associations(collected)
        topology = self.topology
        topology.networks.extend(collected.networks)
        topology.subnets.extend(collected.subnets)
        topology.connections.extend(collected.connections)
        topology.attachments.extend(collected.attachments)
        return topology

    def _state(self, dependency: str) -> str | None:
        kind, _, name = dependency.partition(":")
        return self.folder_state(Path(name)) if kind == "folder" else None

    def _evaluate_root(self, directory: Path) -> RootOutput | None:
        # Each root gets its own budgets of steps and module instances, so that its output does
        # not depend on what the roots evaluated before it used up.
        self.run = replace(self.run, steps=0, module_instances=0)
        self._visited = {}
        config = self.config(directory)
        if config is None:
            return None
        root = ModuleInstance(
            self.run,
            config,
            root_key=display_path(directory),  # a real path: see _config
            root_directory=directory,
            inputs=self.root_inputs(config),
            resolver=self.resolve_module,
        )
        collected = Collected()
        self.collect(root, collected)
        return RootOutput(collected, self._visited)

    def collect(self, module: ModuleInstance, out: Collected) -> None:
        config = module.config
        for (resource_type, name), declared in config.resources.items():
            if resource_type not in BUILDERS:
                continue
            instances, unknown = module.instances("resource", resource_type, name)
            if unknown is not None:
                block: s.Block = declared.node
                address = f"{module.address_prefix}{resource_type}.{name}"
                unexpanded(
                    resource_type,
                    address,
                    f"{module.root_key}::{address}",
                    SourceLocation(file=declared.file, line=block.line, column=block.column),
                    unknown,
                    out,
                )
                continue
            for instance in instances:
                BUILDERS[resource_type](instance, out)
        for name, declared in config.module_calls.items():
            children, _ = module.module_instances(name)
            for child in children:
                if not isinstance(child, ModuleInstance):
                    continue
                if child.config.model_of is None:
                    self.collect(child, out)
                    continue
                modelled = Collected()
                self.collect(child, modelled)
                call: s.Block = declared.node
                _point_at_call(
                    modelled,
                    SourceLocation(file=declared.file, line=call.line, column=call.column),
                    out,
                )

    def _attach_associations(self, out: Collected) -> None:
        by_key = {network.key: index for index, network in enumerate(out.networks)}
        for ref, ipv4, ipv6 in out.associations:
            index = by_key.get(ref.key) if ref.key is not None else None
            if index is None:
                continue
            network: Network = out.networks[index]
            ipv6_blocks = network.ipv6_blocks + tuple(ipv6)
            out.networks[index] = network.model_copy(
                update={
                    "ipv4_blocks": network.ipv4_blocks + tuple(ipv4),
                    "ipv6_blocks": ipv6_blocks,
                    "ipv6": "present" if ipv6_blocks else network.ipv6,
                }
            )

    # -- root inputs -------------------------------------------------------------------------

    def root_inputs(self, config: ModuleConfig) -> dict[str, Callable[[], Any]]:
        """Variable values for a root module, later sources overriding earlier ones."""
        values: dict[str, Callable[[], Any]] = {}
        declared = config.variables
        for name, variable in declared.items():
            raw = self.settings.environment.get(f"TF_VAR_{name}")
            if raw is not None:
                values[name] = self._from_text(raw, variable, "environment variable")
        in_folder = self._tfvars_in.get(config.directory, {})
        automatic = ["terraform.tfvars", "terraform.tfvars.json"]
        automatic += sorted(
            name for name in in_folder if name.endswith((".auto.tfvars", ".auto.tfvars.json"))
        )
        for name in automatic:
            parsed = in_folder.get(name)
            if parsed is not None:
                values.update(self._from_tfvars(parsed.result, declared))
        for path in self.settings.var_files:
            var_file = self._var_file(Path(path))
            if var_file is not None:
                values.update(self._from_tfvars(var_file, declared))
        for name, raw in self.settings.variables.items():
            if name in declared:
                values[name] = self._from_text(raw, declared[name], "--var")
        return values

    def _var_file(self, path: Path) -> TerraformFile | None:
        """A ``--var-file``: read once, before the roots (its content is part of the settings
        every unit depends on)."""
        return self._once("var-file", path, lambda: self._read_var_file(path))

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
        loaded = self.parse_on_demand(resolved)
        if isinstance(loaded, ParseError):
            self.topology.parse_errors.append(loaded)
            return None
        if loaded is not None and loaded.error is not None:
            self.topology.parse_errors.append(loaded.error)
        return loaded

    def _from_tfvars(
        self, parsed: TerraformFile, declared: dict[str, Declared]
    ) -> dict[str, Callable[[], Any]]:
        values: dict[str, Callable[[], Any]] = {}
        if parsed.kind == "tfvars-json" and parsed.values is not None:
            for name, value in parsed.values.items():
                if name in declared:
                    values[name] = _constant(value)
        elif isinstance(parsed.body, s.Body):
            scope = Scope(self.run, None, parsed.display)
            for name, attribute in parsed.body.attributes.items():
                if name in declared:
                    values[name] = _constant(evaluate(attribute.value, scope))
        return values

    def _from_text(self, raw: str, variable: Declared, origin: str) -> Callable[[], Any]:
        block: s.Block = variable.node
        type_attribute = block.attributes.get("type")
        if is_primitive(type_attribute.value if type_attribute else None):
            return _constant(raw)
        try:
            body = parse_hcl(f"value = {raw}\n", self.run.limits.max_depth)
        except SyntaxProblem as problem:
            return _constant(
                UnknownValue.make(
                    f"{origin} value for {block.labels[0]!r} is not valid HCL: {problem.message}",
                    UnknownKind.ERROR,
                )
            )
        attribute = body.attributes.get("value")
        if attribute is None:
            return _constant(raw)
        return _constant(evaluate(attribute.value, Scope(self.run, None, origin)))


def _extend(collected: Collected, other: Collected) -> None:
    collected.networks.extend(other.networks)
    collected.subnets.extend(other.subnets)
    collected.connections.extend(other.connections)
    collected.attachments.extend(other.attachments)
    collected.associations.extend(other.associations)


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def _inside(path: Path, folder: Path) -> bool:
    try:
        observed.resolve(path).relative_to(observed.resolve(folder))
    except (ValueError, OSError):
        return False
    return True


def _point_at_call(modelled: Collected, call: SourceLocation, out: Collected) -> None:
    """Locations inside a built-in module model (Unknown reasons) point at the user's call."""

    def fix(item: Any) -> Any:
        if isinstance(item, dict):
            if item.get("file") == MODEL_FILE and "line" in item:
                return call.model_dump()
            return {key: fix(value) for key, value in item.items()}
        if isinstance(item, list | tuple):
            return [fix(value) for value in item]
        return item

    def relocated(model: Any) -> Any:
        return type(model).model_validate(fix(model.model_dump()))

    out.networks.extend(relocated(network) for network in modelled.networks)
    out.subnets.extend(relocated(subnet) for subnet in modelled.subnets)
    out.connections.extend(relocated(connection) for connection in modelled.connections)
    out.attachments.extend(relocated(attachment) for attachment in modelled.attachments)
    for ref, ipv4, ipv6 in modelled.associations:
        out.associations.append(
            (relocated(ref), [relocated(b) for b in ipv4], [relocated(b) for b in ipv6])
        )
