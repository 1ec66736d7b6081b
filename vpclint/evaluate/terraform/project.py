"""Evaluating a project's root modules, and assembling the Topology from their outputs.

The project's layout (module folders, roots, tfvars, folder states) comes from
:mod:`vpclint.evaluate.terraform.layout`, worked out from the files' summaries; this module and
the evaluator behind it are loaded only when a root is evaluated or the topology assembled.

A root module, with every module it calls, is one unit of evaluation: its output
depends only on the folders it visits (their member files and content), the files it reads and
the facts it observes, so a run after an edit evaluates only the roots that reach the edited file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import vpclint.evaluate.observed as observed
from vpclint.discover.sources import display_path
from vpclint.evaluate.contract import depend
from vpclint.evaluate.terraform.evaluator import Run, Scope, evaluate
from vpclint.evaluate.terraform.layout import (
    FolderContribution,
    ProjectLayout,
    inside,
    is_local_source,
    literal_source,
    unreachable,
)
from vpclint.evaluate.terraform.modules import (
    Declared,
    ModuleConfig,
    ModuleInstance,
    UnknownModule,
    call_arguments,
)
from vpclint.evaluate.terraform.registry_models import is_model_file, model_for
from vpclint.evaluate.terraform.resources import (
    Collected,
    build,
    link_by_identity,
    unexpanded,
)
from vpclint.evaluate.terraform.types import is_primitive
from vpclint.evaluate.terraform.unread import module_arguments, not_fetched_message
from vpclint.evaluate.terraform.values import UnknownValue
from vpclint.parse.terraform import TerraformFile
from vpclint.parse.terraform import syntax as s
from vpclint.parse.terraform.hcl import SyntaxProblem, parse_hcl
from vpclint.topology.kinds import TERRAFORM, Role
from vpclint.topology.models import (
    Attachment,
    Caller,
    Claim,
    Connection,
    ModuleArgument,
    Network,
    NotAnalysed,
    ParseError,
    SourceLocation,
    Subnet,
    Topology,
    UnknownKind,
    root_call_key,
)


@dataclass
class RootOutput:
    """One root module's part of the topology, before links across roots are made."""

    collected: Collected
    folders: dict[str, FolderContribution]  # by folder, each added once however many use it
    # Module calls it did not follow; another root calling the same module says the same.
    not_analysed: list[NotAnalysed] = field(default_factory=list)
    # Module calls Terraform refuses (a call cycle), said once however many instances make them.
    refused: list[ParseError] = field(default_factory=list)
    # A Terragrunt unit, by its name: where its terragrunt.hcl names its module.
    callers: dict[str, Caller] = field(default_factory=dict)
    # The root's module calls, by Topology.callers key (envs/prod::module.vpc): kept at assembly
    # for a call that runs a declaration another root runs too.
    calls: dict[str, Caller] = field(default_factory=dict)


@dataclass(frozen=True)
class ModuleManifest:
    """A root's ``.terraform/modules/modules.json``: the folder of each module call key inside
    the project, and the ``Dir`` of each one outside it (never read)."""

    folders: dict[str, Path]
    outside: dict[str, str]


def module_source(declared: Declared) -> str | None:
    return literal_source(declared.node)


class Project:
    """The evaluation of a project's roots, one at a time, sharing per-run work between them."""

    def __init__(self, layout: ProjectLayout) -> None:
        self.layout = layout
        self.settings = layout.settings
        self.run = Run(limits=self.settings.limits, project_root=layout.project_root)
        self.manifests: dict[Path, ModuleManifest] = {}
        self._visited: dict[str, FolderContribution] = {}
        self._not_analysed: dict[tuple[str, int, str], NotAnalysed] = {}
        self._refused: dict[tuple[str, int, str], ParseError] = {}

    def config(self, directory: Path) -> ModuleConfig | None:
        layout = self.layout
        depend(f"folder:{directory}")
        config, contribution = layout.once("config", directory, lambda: self._config(directory))
        if contribution is not None:
            self._visited[str(directory)] = contribution
        return config

    def _config(self, directory: Path) -> tuple[ModuleConfig | None, FolderContribution | None]:
        contribution = FolderContribution()
        inputs = self.layout.folders.get(directory)
        if inputs is None:
            inputs = self.layout.load_folder(directory, contribution)
            if not inputs:
                found = contribution.files or contribution.not_analysed
                return None, contribution if found else None
        ordered = sorted(inputs, key=lambda parsed: self.layout.real_path(parsed.display).name)
        # ``directory`` is a real path (discovered, or resolved where called), so its display
        # path follows no symlink that could change.
        config = ModuleConfig.from_files(
            directory, display_path(directory), [parsed.result for parsed in ordered]
        )
        contribution.parse_errors.extend(config.problems)
        return config, contribution

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
        if caller.config.model_of is not None:
            # A model calls only other models (its submodules), never a folder.
            called = model_for(source)
            if called is not None:
                return ModuleConfig.model(called)
        if is_local_source(source):
            directory = self.layout.resolve(caller.config.directory / source)
            if not inside(directory, self.run.project_root):
                return self._not_followed(
                    f"module {name!r} source {source} is outside the project; not read", location
                )
            problem = unreachable(directory)
            if problem is not None:
                return self._not_followed(
                    f"module {name!r} source {source} cannot be read: {problem}", location
                )
            config = self.config(directory)
            if config is None:
                return UnknownValue.make(
                    f"module {name!r} source {source} has no Terraform files", location=location
                )
            if directory in caller.folders:
                return self._cycle(name, caller.folders, directory, location)
            return config
        downloaded = self._downloaded_module(caller, name, location)
        if downloaded is not None:
            return downloaded
        model = model_for(source)
        if model is not None:
            return ModuleConfig.model(model)
        return self._not_followed(
            not_fetched_message(name, source, display_path(caller.root_directory)), location
        )

    def _downloaded_module(
        self, caller: ModuleInstance, name: str, location: SourceLocation
    ) -> ModuleConfig | UnknownValue | None:
        """A registry or git module that ``terraform init`` downloaded (modules.json)."""
        key = f"{caller.call_path}.{name}" if caller.call_path else name
        manifest = self._module_manifest(caller.root_directory)
        outside = manifest.outside.get(key)
        if outside is not None:
            return self._not_followed(
                f"module {name!r}: .terraform/modules/modules.json places it in {outside}, "
                "outside the project; not read",
                location,
            )
        directory = manifest.folders.get(key)
        if directory is None:
            return None
        return self.config(directory)

    def _cycle(
        self, name: str, folders: tuple[Path, ...], directory: Path, location: SourceLocation
    ) -> UnknownValue:
        """A call into a folder that is already being evaluated on the way from the root: not
        followed (each turn would make phantom instances until a limit), but one VPC001 that
        names the cycle, as Terraform refuses to install it."""
        cycle = [*folders[folders.index(directory) :], directory]
        message = (
            f"module {name!r} closes a module call cycle "
            f"({' -> '.join(display_path(folder) for folder in cycle)}): "
            "Terraform cannot install a module that calls itself"
        )
        self._refused.setdefault(
            (location.file, location.line, message),
            ParseError(location=location, message=message),
        )
        return UnknownValue.make(message, UnknownKind.ERROR, location)

    def note_not_analysed(self, item: NotAnalysed) -> None:
        """Something of the root being evaluated is not analysed: said once per root."""
        location = item.location
        self._not_analysed.setdefault((location.file, location.line, item.message), item)

    def _not_followed(self, message: str, location: SourceLocation) -> UnknownValue:
        """A module call not followed: said once per root (however many instances the call
        has), and unknown to everything that uses its outputs."""
        self._not_analysed.setdefault(
            (location.file, location.line, message),
            NotAnalysed(location=location, message=message),
        )
        return UnknownValue.make(message, location=location)

    def _module_manifest(self, root: Path) -> ModuleManifest:
        return self.layout.once("manifest", root, lambda: self._read_module_manifest(root))

    def _read_module_manifest(self, root: Path) -> ModuleManifest:
        if root not in self.manifests:
            manifest = root / ".terraform" / "modules" / "modules.json"
            observed.note_resolution(manifest)
            # Its state is its content: a modules.json that leads outside the project is
            # neither read nor hashed.
            inside_project = inside(manifest, self.run.project_root)
            if inside_project:
                observed.note_file(manifest)
            self.manifests[root] = (
                self._parse_module_manifest(root, manifest)
                if inside_project
                else ModuleManifest({}, {})
            )
        return self.manifests[root]

    def _parse_module_manifest(self, root: Path, manifest: Path) -> ModuleManifest:
        found: dict[str, Path] = {}
        outside: dict[str, str] = {}
        try:
            readable = (
                manifest.is_file() and manifest.stat().st_size <= self.run.limits.max_file_size
            )
            data = json.loads(manifest.read_text(encoding="utf-8")) if readable else {}
            for entry in data.get("Modules", []) if isinstance(data, dict) else []:
                if (
                    isinstance(entry, dict)
                    and isinstance(entry.get("Key"), str)
                    and isinstance(entry.get("Dir"), str)
                    and entry["Key"]
                ):
                    folder = self.layout.resolve(root / entry["Dir"])
                    if inside(folder, self.run.project_root):
                        found[entry["Key"]] = folder
                    else:
                        outside[entry["Key"]] = entry["Dir"]
        except (OSError, ValueError, RecursionError):
            return ModuleManifest({}, {})
        return ModuleManifest(found, outside)

    def assemble(self, outputs: Sequence[RootOutput | None]) -> Topology:
        """The topology from the roots' outputs, with links across roots."""
        topology = self.layout.topology
        collected = Collected()
        contributed: set[str] = set()
        not_analysed: dict[tuple[str, int, str], NotAnalysed] = {}
        refused: dict[tuple[str, int, str], ParseError] = {}
        calls: dict[str, Caller] = {}
        for output in outputs:
            if output is None:
                continue
            _extend(collected, output.collected)
            for folder, contribution in output.folders.items():
                if folder not in contributed:
                    contributed.add(folder)
                    topology.files.extend(contribution.files)
                    topology.parse_errors.extend(contribution.parse_errors)
                    topology.not_analysed.extend(contribution.not_analysed)
                    topology.suppressions.extend(contribution.suppressions)
            for item in output.not_analysed:
                location = item.location
                not_analysed.setdefault((location.file, location.line, item.message), item)
            for error in output.refused:
                location = error.location
                refused.setdefault((location.file, location.line, error.message), error)
            topology.callers.update(output.callers)
            calls.update(output.calls)
        topology.callers.update(_shared_calls(collected, calls))
        topology.not_analysed.extend(not_analysed.values())
        topology.parse_errors.extend(refused.values())
        link_by_identity(collected)
        collected.attach_associations()
        topology.networks.extend(collected.networks)
        topology.subnets.extend(collected.subnets)
        topology.connections.extend(collected.connections)
        topology.attachments.extend(collected.attachments)
        topology.claims.extend(collected.claims)
        topology.module_arguments.extend(collected.module_arguments)
        return topology

    def evaluate_root(self, directory: Path) -> RootOutput | None:
        """One root module's output, with every module it calls (one unit's evaluation)."""
        self.start_root()
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
        return self.root_output(root)

    def start_root(self) -> None:
        """Before a root (or a Terragrunt unit) is evaluated: each gets its own budgets of steps
        and module instances, so that its output does not depend on what the roots evaluated
        before it used up, and its own record of what it visited."""
        self.run = replace(self.run, steps=0, module_instances=0)
        self._visited = {}
        self._not_analysed = {}
        self._refused = {}

    def root_output(
        self, root: ModuleInstance | None, not_analysed: Sequence[NotAnalysed] = ()
    ) -> RootOutput:
        collected = Collected()
        if root is not None:
            self.collect(root, collected)
        for item in not_analysed:
            self.note_not_analysed(item)
        return RootOutput(
            collected,
            self._visited,
            list(self._not_analysed.values()),
            list(self._refused.values()),
            calls=_root_calls(root) if root is not None else {},
        )

    def collect(self, module: ModuleInstance, out: Collected) -> None:
        config = module.config
        for (resource_type, name), declared in config.resources.items():
            kind = TERRAFORM.get(resource_type)
            if kind is None:
                continue
            instances, unknown = module.instances("resource", resource_type, name)
            if unknown is not None:
                block: s.Block = declared.node
                address = f"{module.address_prefix}{resource_type}.{name}"
                unexpanded(
                    kind,
                    address,
                    f"{module.root_key}::{address}",
                    SourceLocation(file=declared.file, line=block.line, column=block.column),
                    unknown,
                    out,
                )
                continue
            for instance in instances:
                build(kind, instance, out)
        for name, declared in config.module_calls.items():
            children, unknown = module.module_instances(name)
            if unknown is not None:
                self._unexpanded_call(module, name, declared, unknown, out)
            for child in children:
                if isinstance(child, UnknownModule):
                    self._unread_arguments(module, child, declared, child.arguments, out)
                    continue
                if not isinstance(child, ModuleInstance):
                    continue
                # A model's objects point at the user's call; a model called by a model is
                # part of the outer one.
                if child.config.model_of is None or module.config.model_of is not None:
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

    def _unexpanded_call(
        self,
        module: ModuleInstance,
        name: str,
        declared: Declared,
        unknown: UnknownValue,
        out: Collected,
    ) -> None:
        """A call whose ``count``/``for_each`` is unknown: each network and subnet of its module
        (and of the modules it calls) is one Unknown object at that argument, and a module that
        is not read still has the CIDRs of its arguments checked."""
        call: s.Block = declared.node
        written = call.attributes.get("count") or call.attributes.get("for_each")
        where: s.Block | s.Attribute = written if written is not None else call
        location = SourceLocation(file=declared.file, line=where.line, column=where.column)
        address = f"{module.address_prefix}module.{name}"
        resolved = module.resolver(module, name, declared) if module.resolver else None
        if not isinstance(resolved, ModuleConfig):
            arguments = call_arguments(call, module.scope(declared.file))
            stand_in = UnknownModule(address, unknown, arguments)
            self._unread_arguments(module, stand_in, declared, arguments, out)
            return
        at_call = UnknownValue(unknown.unknown.model_copy(update={"location": location}))
        callee = ModuleInstance(
            self.run,
            resolved,
            root_key=module.root_key,
            root_directory=module.root_directory,
            address_prefix=f"{address}.",
            depth=module.depth + 1,
            resolver=module.resolver,
            call_path=f"{module.call_path}.{name}" if module.call_path else name,
            callers=module.folders,
        )
        for resource_type, resource_address in self._network_resources(callee):
            kind = TERRAFORM[resource_type]
            key = f"{module.root_key}::{resource_address}"
            unexpanded(kind, resource_address, key, location, at_call, out)

    def _network_resources(self, module: ModuleInstance) -> list[tuple[str, str]]:
        """(type, address without instance keys) of every network and subnet a module declares,
        and the modules it calls, as deep as `max-module-depth` allows."""
        found: list[tuple[str, str]] = []
        pending = [module]
        while pending:
            current = pending.pop()
            for resource_type, name in current.config.resources:
                kind = TERRAFORM.get(resource_type)
                if kind is not None and kind.role in (Role.NETWORK, Role.SUBNET):
                    found.append((resource_type, f"{current.address_prefix}{resource_type}.{name}"))
            if current.depth + 1 > self.run.limits.max_module_depth or current.resolver is None:
                continue
            for name, declared in current.config.module_calls.items():
                resolved = current.resolver(current, name, declared)
                if isinstance(resolved, ModuleConfig):
                    pending.append(
                        ModuleInstance(
                            self.run,
                            resolved,
                            root_key=current.root_key,
                            root_directory=current.root_directory,
                            address_prefix=f"{current.address_prefix}module.{name}.",
                            depth=current.depth + 1,
                            resolver=current.resolver,
                            call_path=f"{current.call_path}.{name}",
                            callers=current.folders,
                        )
                    )
        return found

    def _unread_arguments(
        self,
        module: ModuleInstance,
        child: UnknownModule,
        declared: Declared,
        arguments: dict[str, Callable[[], Any]],
        out: Collected,
    ) -> None:
        source = module_source(declared)
        if source is None:
            return
        found = module_arguments(
            f"{module.root_key}::{child.address}",
            child.address,
            source,
            declared.node,
            declared.file,
            arguments,
        )
        if found is not None:
            out.module_arguments.append(found)

    # -- root inputs -------------------------------------------------------------------------

    def root_inputs(self, config: ModuleConfig) -> dict[str, Callable[[], Any]]:
        """Variable values for a root module, later sources overriding earlier ones."""
        values: dict[str, Callable[[], Any]] = {}
        declared = config.variables
        for name, variable in declared.items():
            raw = self.settings.environment.get(f"TF_VAR_{name}")
            if raw is not None:
                values[name] = self._from_text(raw, variable, "environment variable")
        in_folder = self.layout.tfvars_in.get(config.directory, {})
        automatic = ["terraform.tfvars", "terraform.tfvars.json"]
        automatic += sorted(
            name for name in in_folder if name.endswith((".auto.tfvars", ".auto.tfvars.json"))
        )
        for name in automatic:
            parsed = in_folder.get(name)
            if parsed is not None:
                values.update(self._from_tfvars(parsed.result, declared))
        for path in self.settings.var_files:
            var_file = self.layout.var_file(Path(path))
            if var_file is not None:
                values.update(self._from_tfvars(var_file, declared))
        for name, raw in self.settings.variables.items():
            if name in declared:
                values[name] = self._from_text(raw, declared[name], "--var")
        return values

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


def _root_calls(root: ModuleInstance) -> dict[str, Caller]:
    """Each module call of a root, as the caller of what it runs."""
    calls: dict[str, Caller] = {}
    for name, declared in root.config.module_calls.items():
        block: s.Block = declared.node
        location = SourceLocation(file=declared.file, line=block.line, column=block.column)
        calls[f"{root.root_key}::module.{name}"] = Caller(
            location=location,
            description=f"run by root module {root.root_key} through module.{name}",
            suppression_target=location,
        )
    return calls


def _shared_calls(collected: Collected, calls: dict[str, Caller]) -> dict[str, Caller]:
    """The root module calls that run a declaration another root runs too (envs/dev and
    envs/prod calling ../../modules/vpc): their objects have the same file, line and address,
    so only the root tells them apart."""
    objects: list[Network | Subnet | Connection | Attachment | Claim | ModuleArgument] = [
        *collected.networks,
        *collected.subnets,
        *collected.connections,
        *collected.attachments,
        *collected.claims,
        *collected.module_arguments,
    ]
    roots: dict[tuple[str, int], set[str]] = {}
    for item in objects:
        root = item.key.partition("::")[0]
        roots.setdefault((item.location.file, item.location.line), set()).add(root)
    shared: dict[str, Caller] = {}
    for item in objects:
        if len(roots[(item.location.file, item.location.line)]) < 2:
            continue
        root, _, address = item.key.partition("::")
        call = root_call_key(root, address)
        if call is not None and call in calls:
            shared[call] = calls[call]
    return shared


def _extend(collected: Collected, other: Collected) -> None:
    collected.networks.extend(other.networks)
    collected.subnets.extend(other.subnets)
    collected.connections.extend(other.connections)
    collected.attachments.extend(other.attachments)
    collected.claims.extend(other.claims)
    collected.associations.extend(other.associations)
    collected.module_arguments.extend(other.module_arguments)


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def _point_at_call(modelled: Collected, call: SourceLocation, out: Collected) -> None:
    """Locations inside a built-in module model (Unknown reasons) point at the user's call."""

    def fix(item: Any) -> Any:
        if isinstance(item, dict):
            if "line" in item and is_model_file(str(item.get("file"))):
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
