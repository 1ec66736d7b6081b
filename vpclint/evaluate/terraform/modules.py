"""Modules: a folder's configuration, its instances (root or called), and their references.

A :class:`ModuleInstance` is one evaluation of a folder: the root with tfvars and defaults, or
a module call (once per ``count``/``for_each`` instance) with that call's arguments. Everything
is evaluated lazily and memoised, with cycle detection and a step budget per file of an instance.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from vpclint.evaluate.terraform.evaluator import (
    RUN_STEP_FACTOR,
    ModuleOutputs,
    Run,
    Scope,
    evaluate,
)
from vpclint.evaluate.terraform.module_model import RegistryModel
from vpclint.evaluate.terraform.types import convert
from vpclint.evaluate.terraform.values import (
    EvaluationError,
    LimitReached,
    ResourceInstance,
    SetValue,
    UnknownValue,
    first_unknown,
    to_string,
    to_whole_number,
    type_name,
)
from vpclint.parse.terraform import TerraformFile
from vpclint.parse.terraform import syntax as s
from vpclint.parse.terraform.hcl import SyntaxProblem, parse_deferred
from vpclint.topology.models import ParseError, SourceLocation, UnknownKind

_META_ARGUMENTS = frozenset(
    {"source", "version", "count", "for_each", "providers", "depends_on", "lifecycle"}
)


@dataclass(frozen=True)
class Declared:
    """A declaration (block or attribute) with the file it lives in."""

    node: Any  # s.Block or s.Attribute
    file: str


@dataclass
class ModuleConfig:
    """Everything declared in one module folder, merged across its files."""

    directory: Path
    display: str
    files: list[TerraformFile] = field(default_factory=list)
    model_of: RegistryModel | None = None  # set for a built-in model of a registry module
    variables: dict[str, Declared] = field(default_factory=dict)
    locals: dict[str, Declared] = field(default_factory=dict)
    resources: dict[tuple[str, str], Declared] = field(default_factory=dict)
    data: dict[tuple[str, str], Declared] = field(default_factory=dict)
    module_calls: dict[str, Declared] = field(default_factory=dict)
    outputs: dict[str, Declared] = field(default_factory=dict)
    problems: list[ParseError] = field(default_factory=list)  # deferred blocks that failed

    @classmethod
    def from_files(cls, directory: Path, display: str, files: list[TerraformFile]) -> ModuleConfig:
        config = cls(directory=directory, display=display, files=files)
        bodies = [
            (parsed.display, parsed.body) for parsed in files if isinstance(parsed.body, s.Body)
        ]
        parsed_later = config._parse_referenced_deferred(bodies)
        for index, (file, body) in enumerate(bodies):
            blocks: Sequence[s.Block] = body.blocks
            if index in parsed_later:
                blocks = sorted(
                    (*blocks, *parsed_later[index]), key=lambda block: (block.line, block.column)
                )
            for block in blocks:
                config._add(block, file)
        config._report_duplicates(bodies)
        return config

    def _report_duplicates(self, bodies: list[tuple[str, s.Body]]) -> None:
        """Names Terraform allows once per module (variables, locals, outputs, module calls,
        resources, data sources, provider configurations) declared again: one problem at each
        later declaration, naming the first, in Terraform's order (files by name, then position).
        Deferred blocks count by their header, parsed or not."""
        first: dict[tuple[str, ...], tuple[str, int, int]] = {}
        for file, body in bodies:
            headers: list[s.Block | s.DeferredBlock] = [*body.blocks, *body.deferred]
            headers.sort(key=lambda block: (block.line, block.column))
            for block in headers:
                for key, node in _declarations(block):
                    seen = first.setdefault(key, (file, node.line, node.column))
                    if seen == (file, node.line, node.column):
                        continue
                    self.problems.append(
                        ParseError(
                            location=SourceLocation(file=file, line=node.line, column=node.column),
                            message=f"{_describe(key)} was already declared at "
                            f"{seen[0]}:{seen[1]}:{seen[2]} (Terraform allows each only once "
                            "in a module)",
                        )
                    )

    def _parse_referenced_deferred(
        self, bodies: list[tuple[str, s.Body]]
    ) -> dict[int, list[s.Block]]:
        """Parse the deferred blocks (see ``parse_hcl_selectively``) whose type some expression
        in the module names, until no newly parsed block names another: an unnamed type cannot
        be referred to, so every other deferred block is as good as absent."""
        waiting = [
            (index, deferred)
            for index, (_, body) in enumerate(bodies)
            for deferred in body.deferred
        ]
        parsed: dict[int, list[s.Block]] = {}
        if not waiting:
            return parsed
        names: set[str] = set()
        for _, body in bodies:
            if body.referenced is not None:
                names.update(body.referenced)
            else:
                names |= s.referenced_names(body.blocks)
        while True:
            ready = [item for item in waiting if item[1].labels[0] in names]
            if not ready:
                return parsed
            waiting = [item for item in waiting if item[1].labels[0] not in names]
            new_blocks: list[s.Block] = []
            for index, deferred in ready:
                try:
                    block = parse_deferred(deferred)
                except SyntaxProblem as problem:
                    location = SourceLocation(
                        file=bodies[index][0], line=problem.line, column=problem.column
                    )
                    self.problems.append(ParseError(location=location, message=problem.message))
                    continue
                parsed.setdefault(index, []).append(block)
                new_blocks.append(block)
            names |= s.referenced_names(new_blocks)

    @classmethod
    def model(cls, model: RegistryModel) -> ModuleConfig:
        config = cls(directory=Path(model.display), display=model.display, model_of=model)
        for block in model.body.blocks:
            config._add(block, model.display)
        return config

    def _add(self, block: s.Block, file: str) -> None:
        labels = block.labels
        if block.type == "variable" and len(labels) == 1:
            self.variables.setdefault(labels[0], Declared(block, file))
        elif block.type == "locals":
            for name, attribute in block.attributes.items():
                self.locals.setdefault(name, Declared(attribute, file))
        elif block.type == "resource" and len(labels) == 2:
            self.resources.setdefault((labels[0], labels[1]), Declared(block, file))
        elif block.type == "data" and len(labels) == 2:
            self.data.setdefault((labels[0], labels[1]), Declared(block, file))
        elif block.type == "module" and len(labels) == 1:
            self.module_calls.setdefault(labels[0], Declared(block, file))
        elif block.type == "output" and len(labels) == 1:
            self.outputs.setdefault(labels[0], Declared(block, file))


def _declarations(
    block: s.Block | s.DeferredBlock,
) -> list[tuple[tuple[str, ...], s.Block | s.DeferredBlock | s.Attribute]]:
    """The module-wide names a top-level block declares, each with the node declaring it."""
    labels = block.labels
    if block.type in ("variable", "output", "module") and len(labels) == 1:
        return [((block.type, labels[0]), block)]
    if block.type in ("resource", "data") and len(labels) == 2:
        return [((block.type, labels[0], labels[1]), block)]
    if isinstance(block, s.DeferredBlock):
        return []
    if block.type == "locals":
        return [(("local", name), attribute) for name, attribute in block.attributes.items()]
    if block.type == "provider" and len(labels) == 1:
        alias = block.attributes.get("alias")
        if alias is None:
            return [(("provider", labels[0], ""), block)]
        if isinstance(alias.value, s.Literal) and isinstance(alias.value.value, str):
            return [(("provider", labels[0], alias.value.value), block)]
    return []


def _describe(key: tuple[str, ...]) -> str:
    kind, *names = key
    if kind == "resource" or kind == "data":
        return f"{'data source' if kind == 'data' else 'resource'} {names[0]}.{names[1]}"
    if kind == "provider":
        alias = f" with alias {names[1]!r}" if names[1] else " without an alias"
        return f"provider {names[0]!r} configuration{alias}"
    what = {
        "variable": "variable",
        "output": "output",
        "module": "module call",
        "local": "local value",
    }
    return f"{what[kind]} {names[0]!r}"


Located = s.Block | s.Attribute | s.Node


@dataclass
class Instance:
    """One instance of a resource or module call: its address, scope and lazy value."""

    address: str
    key: str
    block: s.Block
    file: str
    scope: Scope
    value: ResourceInstance
    relocate: Callable[[Instance, Located | None], SourceLocation] | None = None

    def location(self, node: Located | None = None) -> SourceLocation:
        if self.relocate is not None:
            return self.relocate(self, node)
        target = node if node is not None else self.block
        return SourceLocation(file=self.file, line=target.line, column=target.column)


@dataclass
class Expansion:
    mode: Literal["single", "count", "for_each"]
    instances: list[tuple[Any, Scope]]  # (index or key or None, the instance's scope)
    unknown: UnknownValue | None = None


ModuleResolver = Callable[["ModuleInstance", str, Declared], "ModuleConfig | UnknownValue"]


class ModuleInstance:
    """One evaluation of a module folder (the ModuleContext expressions refer through)."""

    def __init__(
        self,
        run: Run,
        config: ModuleConfig,
        *,
        root_key: str,
        root_directory: Path,
        address_prefix: str = "",
        inputs: dict[str, Callable[[], Any]] | None = None,
        depth: int = 0,
        resolver: ModuleResolver | None = None,
        call_path: str = "",
        relocate: Callable[[Instance, Located | None], SourceLocation] | None = None,
        callers: tuple[Path, ...] = (),
        model_call: ModelCall | None = None,
    ) -> None:
        self.run = run
        self.config = config
        # The folders of the instances that led here from the root, this one's last: a call
        # into one of them is a module call cycle.
        self.folders = (*callers, config.directory)
        self.root_key = root_key
        self.root_directory = root_directory
        self.address_prefix = address_prefix
        self.inputs = inputs or {}
        self.depth = depth
        self.resolver = resolver
        self.call_path = call_path  # module call names from the root, as in modules.json keys
        self.relocate = relocate
        # In a model of a registry module (and the models it calls): the user's call of the
        # outermost model, where its objects are located.
        self.model_call = model_call
        self.steps_by_file: dict[str, int] = {}
        self._cache: dict[tuple[str, ...], Any] = {}
        self._busy: set[tuple[str, ...]] = set()
        self._expansions: dict[tuple[str, str, str], Expansion] = {}
        self.children: dict[tuple[str, Any], ModuleInstance | Any] = {}

    # -- ModuleContext -----------------------------------------------------------------------

    @property
    def directory(self) -> Path:
        return self.root_directory

    def count_step(self, file: str) -> None:
        # A budget per file, charged to the file of the expression evaluated: one expensive file
        # cannot use up what the other files of its folder need (a local is charged to its own
        # file, whichever resource asks for it first).
        steps = self.steps_by_file.get(file, 0) + 1
        self.steps_by_file[file] = steps
        if steps > self.run.limits.max_steps:
            raise LimitReached(
                f"evaluating {file} in {self.describe()} took more than "
                f"{self.run.limits.max_steps} steps (raise `max-steps` to allow it)"
            )
        self.run.steps += 1
        if self.run.steps > self.run.max_total_steps:
            raise LimitReached(
                f"evaluating the project took more than {self.run.max_total_steps} steps "
                f"({RUN_STEP_FACTOR} times `max-steps`; raise it to allow more)"
            )

    def describe(self) -> str:
        return self.address_prefix.rstrip(".") or f"the root module {self.config.display}"

    def _memo(self, key: tuple[str, ...], compute: Callable[[], Any]) -> Any:
        if key in self._cache:
            return self._cache[key]
        if key in self._busy:
            raise EvaluationError(f"{'.'.join(key)} refers to itself (a reference cycle)")
        self._busy.add(key)
        try:
            value = compute()
        finally:
            self._busy.discard(key)
        self._cache[key] = value
        return value

    def variable(self, name: str) -> Any:
        declared = self.config.variables.get(name)
        if declared is None:
            raise EvaluationError(f"undeclared input variable var.{name}")
        return self._memo(("var", name), lambda: self._variable_value(name, declared))

    def _variable_value(self, name: str, declared: Declared) -> Any:
        block: s.Block = declared.node
        constant = Scope(self.run, None, declared.file)
        type_attribute = block.attributes.get("type")
        type_expression = type_attribute.value if type_attribute else None
        if name in self.inputs:
            value = self.inputs[name]()
            nullable = block.attributes.get("nullable")
            if (
                value is None
                and nullable is not None
                and evaluate(nullable.value, constant) is False
            ):
                value = self._default(block, constant)
        elif "default" in block.attributes:
            value = self._default(block, constant)
        else:
            return UnknownValue.make(
                f"variable {name!r} has no value (set it in a tfvars file, with --var or "
                f"TF_VAR_{name})",
                location=SourceLocation(file=declared.file, line=block.line, column=block.column),
            )
        if isinstance(value, UnknownValue):
            return value
        try:
            return convert(value, type_expression, lambda node: evaluate(node, constant))
        except EvaluationError as error:
            return UnknownValue.make(
                f"value of variable {name!r} does not match its type: {error}",
                UnknownKind.ERROR,
                SourceLocation(file=declared.file, line=block.line, column=block.column),
            )

    def _default(self, block: s.Block, constant: Scope) -> Any:
        attribute = block.attributes.get("default")
        return None if attribute is None else evaluate(attribute.value, constant)

    def local(self, name: str) -> Any:
        declared = self.config.locals.get(name)
        if declared is None:
            raise EvaluationError(f"undeclared local value local.{name}")
        attribute: s.Attribute = declared.node
        return self._memo(
            ("local", name), lambda: evaluate(attribute.value, self.scope(declared.file))
        )

    def scope(self, file: str, index: Any = None, mode: str = "single") -> Scope:
        if mode == "count":
            return Scope(self.run, self, file, count_index=index)
        if mode == "for_each":
            return Scope(self.run, self, file, each=index)
        return Scope(self.run, self, file)

    def path_value(self, name: str) -> Any:
        if name == "module":
            relative = os.path.relpath(self.config.directory, self.root_directory)
            return Path(relative).as_posix()
        if name == "root":
            return "."
        if name == "cwd":
            return UnknownValue.make("path.cwd depends on where Terraform runs")
        raise EvaluationError(f"unknown attribute path.{name}")

    # -- resources ---------------------------------------------------------------------------

    def expand(self, kind: str, block: s.Block, file: str) -> Expansion:
        """The instances a block's count/for_each create, or an Unknown explaining why not."""
        cache_key = (
            kind,
            block.labels[0] if block.labels else "",
            block.labels[-1] if block.labels else "",
        )
        if cache_key not in self._expansions:
            self._expansions[cache_key] = self._memo(
                ("expand", *cache_key), lambda: self._expand(block, file)
            )
        return self._expansions[cache_key]

    def _expand(self, block: s.Block, file: str) -> Expansion:
        base = self.scope(file)
        limit = self.run.limits.max_expansion
        what = f"module.{block.labels[0]}" if block.type == "module" else " ".join(block.labels)
        if "count" in block.attributes:
            attribute = block.attributes["count"]
            value = evaluate(attribute.value, base)
            found = first_unknown(value)
            if found is not None:
                return Expansion("count", [], _explain(found, f"count of {what}"))
            try:
                count = to_whole_number(value, "count")
            except EvaluationError as error:
                return Expansion("count", [], _error(str(error), file, attribute))
            if count < 0:
                return Expansion("count", [], _error("count must not be negative", file, attribute))
            if count > limit:
                return Expansion(
                    "count",
                    [],
                    UnknownValue.make(
                        f"count = {count} is over the expansion limit of {limit} "
                        "(raise `max-expansion` to allow it)",
                        UnknownKind.LIMIT,
                        SourceLocation(file=file, line=attribute.line, column=attribute.column),
                    ),
                )
            return Expansion(
                "count", [(index, self.scope(file, index, "count")) for index in range(count)]
            )
        if "for_each" in block.attributes:
            attribute = block.attributes["for_each"]
            value = evaluate(attribute.value, base)
            if isinstance(value, UnknownValue):
                return Expansion("for_each", [], _explain(value, f"for_each of {what}"))
            if isinstance(value, dict):
                entries = [(key, value[key]) for key in sorted(value)]
            elif isinstance(value, SetValue):
                found = first_unknown(list(value))
                if found is not None:
                    return Expansion("for_each", [], _explain(found, f"for_each of {what}"))
                try:
                    entries = [(to_string(item), item) for item in value]
                except EvaluationError:
                    return Expansion(
                        "for_each", [], _error("for_each needs a set of strings", file, attribute)
                    )
            else:
                return Expansion(
                    "for_each",
                    [],
                    _error(
                        f"for_each needs a map or a set of strings, not a {type_name(value)} "
                        "(use toset() for a list)",
                        file,
                        attribute,
                    ),
                )
            if len(entries) > limit:
                return Expansion(
                    "for_each",
                    [],
                    UnknownValue.make(
                        f"for_each has {len(entries)} elements, over the expansion limit of "
                        f"{limit} (raise `max-expansion` to allow it)",
                        UnknownKind.LIMIT,
                        SourceLocation(file=file, line=attribute.line, column=attribute.column),
                    ),
                )
            return Expansion(
                "for_each",
                [(key, self.scope(file, (key, item), "for_each")) for key, item in entries],
            )
        return Expansion("single", [(None, base)])

    def instances(
        self, kind: str, resource_type: str, name: str
    ) -> tuple[list[Instance], UnknownValue | None]:
        """Every instance of a resource (or data source) block, built once per module instance."""
        cache_key = ("instances", kind, resource_type, name)
        if cache_key in self._cache:
            cached: tuple[list[Instance], UnknownValue | None] = self._cache[cache_key]
            return cached
        table = self.config.resources if kind == "resource" else self.config.data
        declared = table[(resource_type, name)]
        block: s.Block = declared.node
        expansion = self.expand(kind, block, declared.file)
        base = f"{self.address_prefix}{'data.' if kind == 'data' else ''}{resource_type}.{name}"
        built: list[Instance] = []
        for index, scope in expansion.instances:
            if expansion.mode == "count":
                address = f"{base}[{index}]"
            elif expansion.mode == "for_each":
                address = f"{base}[{json.dumps(index, ensure_ascii=False)}]"
            else:
                address = base
            key = f"{self.root_key}::{address}"
            value = ResourceInstance(
                address=address,
                key=key,
                resource_type=resource_type,
                evaluate_attribute=_attribute_evaluator(block, scope),
                configured=frozenset(block.attributes) | {nested.type for nested in block.blocks},
            )
            built.append(Instance(address, key, block, declared.file, scope, value, self.relocate))
        result = (built, expansion.unknown)
        self._cache[cache_key] = result
        return result

    def resource(self, resource_type: str, name: str) -> Any:
        if (resource_type, name) not in self.config.resources:
            raise EvaluationError(f"reference to undeclared resource {resource_type}.{name}")
        return self._collection("resource", resource_type, name)

    def _collection(self, kind: str, resource_type: str, name: str) -> Any:
        table = self.config.resources if kind == "resource" else self.config.data
        declared = table[(resource_type, name)]
        built, unknown = self.instances(kind, resource_type, name)
        if unknown is not None:
            return unknown
        expansion = self.expand(kind, declared.node, declared.file)
        if expansion.mode == "count":
            return [instance.value for instance in built]
        if expansion.mode == "for_each":
            return {
                key: instance.value
                for (key, _), instance in zip(expansion.instances, built, strict=True)
            }
        return built[0].value

    def data(self, resource_type: str, name: str) -> Any:
        address = f"{self.address_prefix}data.{resource_type}.{name}"
        if resource_type == "terraform_remote_state":
            return UnknownValue.make(
                f"{address} reads another configuration's remote state (known only to Terraform)"
            )
        return UnknownValue.make(f"{address} is a data source, read from the provider")

    # -- module calls ------------------------------------------------------------------------

    def module_call(self, name: str) -> Any:
        declared = self.config.module_calls.get(name)
        if declared is None:
            raise EvaluationError(f"reference to undeclared module module.{name}")
        expansion = self.expand("module", declared.node, declared.file)
        if expansion.unknown is not None:
            return expansion.unknown
        children = [self.child(name, index, scope) for index, scope in expansion.instances]
        values = [child.outputs_value() for child in children]
        if expansion.mode == "count":
            return values
        if expansion.mode == "for_each":
            return {
                index: value for (index, _), value in zip(expansion.instances, values, strict=True)
            }
        return values[0]

    def module_instances(self, name: str) -> tuple[list[Any], UnknownValue | None]:
        declared = self.config.module_calls[name]
        expansion = self.expand("module", declared.node, declared.file)
        if expansion.unknown is not None:
            return [], expansion.unknown
        return [self.child(name, index, scope) for index, scope in expansion.instances], None

    def child(self, name: str, index: Any, scope: Scope) -> ModuleInstance | Any:
        """The module instance (or a modelled/unknown stand-in) for one call instance."""
        cache_key = (name, json.dumps(index, default=str))
        if cache_key in self.children:
            return self.children[cache_key]
        declared = self.config.module_calls[name]
        block: s.Block = declared.node
        address = instance_address(self.address_prefix, name, index)
        inputs = call_arguments(block, scope)
        result: ModuleInstance | Any
        self.run.module_instances += 1
        if self.run.module_instances > self.run.limits.max_expansion:
            result = UnknownModule(
                address,
                UnknownValue.make(
                    f"the project creates more than {self.run.limits.max_expansion} module "
                    "instances (raise `max-expansion` to allow more)",
                    UnknownKind.LIMIT,
                    SourceLocation(file=declared.file, line=block.line, column=block.column),
                ),
            )
        elif self.depth + 1 > self.run.limits.max_module_depth:
            result = UnknownModule(
                address,
                UnknownValue.make(
                    f"{address} is nested deeper than {self.run.limits.max_module_depth} module "
                    "calls (raise `max-module-depth` to allow it)",
                    UnknownKind.LIMIT,
                    SourceLocation(file=declared.file, line=block.line, column=block.column),
                ),
            )
        else:
            resolved = self.resolver(self, name, declared) if self.resolver else None
            if isinstance(resolved, ModuleConfig):
                model_call = self.model_call
                if resolved.model_of is not None and model_call is None:
                    model_call = ModelCall(block, declared.file, scope)
                result = ModuleInstance(
                    self.run,
                    resolved,
                    root_key=self.root_key,
                    root_directory=self.root_directory,
                    address_prefix=f"{address}.",
                    inputs=inputs,
                    depth=self.depth + 1,
                    resolver=self.resolver,
                    call_path=f"{self.call_path}.{name}" if self.call_path else name,
                    relocate=(
                        argument_locator(resolved.model_of, model_call)
                        if resolved.model_of is not None and model_call is not None
                        else None
                    ),
                    callers=self.folders,
                    model_call=model_call,
                )
            else:
                reason = resolved if isinstance(resolved, UnknownValue) else None
                result = UnknownModule(
                    address,
                    reason or UnknownValue.make(f"{address} has no source vpclint can read"),
                    inputs,
                )
        self.children[cache_key] = result
        return result

    def outputs_value(self) -> ModuleOutputs:
        return ModuleOutputs(self.address_prefix.rstrip("."), self.output)

    def output(self, name: str) -> Any:
        declared = self.config.outputs.get(name)
        if declared is None:
            raise EvaluationError(f"{self.describe()} has no output {name!r}")
        block: s.Block = declared.node
        attribute = block.attributes.get("value")
        if attribute is None:
            return None
        return self._memo(
            ("output", name), lambda: evaluate(attribute.value, self.scope(declared.file))
        )


class UnknownModule:
    """A module call whose source is not available: every output is Unknown with the reason.
    Its arguments, evaluated on demand, are kept: the CIDRs written there are still checked."""

    def __init__(
        self,
        address: str,
        reason: UnknownValue,
        arguments: dict[str, Callable[[], Any]] | None = None,
    ) -> None:
        self.address = address
        self.reason = reason
        self.arguments = arguments or {}

    def outputs_value(self) -> ModuleOutputs:
        return ModuleOutputs(self.address, lambda name: self.reason)


def instance_address(prefix: str, name: str, index: Any) -> str:
    """A module call instance's address: module.vpc, module.vpc[0], module.vpc["dev"]."""
    if index is None:
        return f"{prefix}module.{name}"
    if isinstance(index, int):
        return f"{prefix}module.{name}[{index}]"
    return f"{prefix}module.{name}[{json.dumps(index, ensure_ascii=False)}]"


@dataclass(frozen=True)
class ModelCall:
    """The user's call of a modelled registry module: where its objects are located, and the
    scope its arguments are written in."""

    block: s.Block
    file: str
    scope: Scope
    # Item keys evaluated once per call, however many objects are located by them.
    keys: dict[int, Any] = field(default_factory=dict, compare=False)

    def key_of(self, node: s.Expression) -> Any:
        literal = _literal_key(node)
        if literal is not None:
            return literal
        if id(node) not in self.keys:
            self.keys[id(node)] = evaluate(node, self.scope)
        return self.keys[id(node)]


def argument_locator(
    model: RegistryModel, model_call: ModelCall
) -> Callable[[Instance, Located | None], SourceLocation]:
    """Locations for a modelled module's objects: the user's call block, or the argument (and
    list or map item) each modelled attribute comes from."""
    call, file = model_call.block, model_call.file

    def locate(instance: Instance, node: Located | None) -> SourceLocation:
        # Only a resource's own attributes map to an argument; a nested block's attribute of
        # the same name (a secondary range's ip_cidr_range) points at the argument's item.
        labels = instance.block.labels
        if isinstance(node, s.Attribute) and labels:
            own = instance.block.attributes.get(node.name) is node
            argument = model.argument_of.get((labels[0], labels[-1], node.name)) if own else ""
            name, _, field_name = (argument or "").partition(".")
            attribute = call.attributes.get(name) if name else None
            if attribute is not None:
                target: s.Node | s.Attribute = attribute
                item = _argument_item(model, attribute.value, instance.scope, model_call)
                if item is not None:
                    target = _item_field(item, field_name) or item
                return SourceLocation(file=file, line=target.line, column=target.column)
        return SourceLocation(file=file, line=call.line, column=call.column)

    return locate


def call_arguments(call: s.Block, scope: Scope) -> dict[str, Callable[[], Any]]:
    """A module call's arguments (its meta-arguments left out), each evaluated when first used."""
    return {
        argument: _lazy(attribute, scope)
        for argument, attribute in call.attributes.items()
        if argument not in _META_ARGUMENTS
    }


def _argument_item(
    model: RegistryModel, value: s.Expression, scope: Scope, call: ModelCall
) -> s.Node | None:
    """The item of a literal list or map argument one resource instance was made from: by
    count index, by map key, or by the list item whose ``model.item_key`` is the instance's
    (the keys evaluated in the caller's scope: ``subnet_name = local.subnet_01``)."""
    if isinstance(value, s.TupleExpr):
        if scope.count_index is not None:
            index = scope.count_index
            return value.items[index] if index < len(value.items) else None
        if scope.each is None or model.item_key is None:
            return None
        each_value = scope.each[1]
        wanted = each_value.get(model.item_key) if isinstance(each_value, dict) else None
        for item in value.items:
            if isinstance(item, s.ObjectExpr) and wanted is not None:
                for key, item_value in item.items:
                    if _literal_key(key) == model.item_key and call.key_of(item_value) == wanted:
                        return item
        return None
    if isinstance(value, s.ObjectExpr) and scope.each is not None:
        for key, item_value in value.items:
            if call.key_of(key) == scope.each[0]:
                return item_value
    return None


def _item_field(item: s.Node, name: str) -> s.Node | None:
    """The value of one attribute of an object written literally (``subnet_ip = "..."``)."""
    if not name or not isinstance(item, s.ObjectExpr):
        return None
    return next((value for key, value in item.items if _literal_key(key) == name), None)


def _literal_key(node: s.Expression) -> str | None:
    """An object key or string written literally (``name``, ``"name"``)."""
    if isinstance(node, s.Name):
        return node.name
    if isinstance(node, s.Literal) and isinstance(node.value, str):
        return node.value
    if isinstance(node, s.Template) and len(node.parts) == 1 and isinstance(node.parts[0], str):
        return node.parts[0]
    return None


def _lazy(attribute: s.Attribute, scope: Scope) -> Callable[[], Any]:
    cell: list[Any] = []

    def value() -> Any:
        if not cell:
            cell.append(evaluate(attribute.value, scope))
        return cell[0]

    return value


def _attribute_evaluator(block: s.Block, scope: Scope) -> Callable[[str], Any]:
    def evaluate_attribute(name: str) -> Any:
        attribute = block.attributes.get(name)
        if attribute is not None:
            return evaluate(attribute.value, scope)
        return [_nested_value(nested, scope) for nested in block.blocks if nested.type == name]

    return evaluate_attribute


def _nested_value(block: s.Block, scope: Scope) -> dict[str, Any]:
    value: dict[str, Any] = {
        name: evaluate(attribute.value, scope) for name, attribute in block.attributes.items()
    }
    for nested in block.blocks:
        value.setdefault(nested.type, []).append(_nested_value(nested, scope))
    return value


def _explain(unknown: UnknownValue, what: str) -> UnknownValue:
    info = unknown.unknown
    return UnknownValue.make(f"{what} is not known: {info.reason}", info.kind, info.location)


def _error(reason: str, file: str, attribute: s.Attribute) -> UnknownValue:
    return UnknownValue.make(
        reason,
        UnknownKind.ERROR,
        SourceLocation(file=file, line=attribute.line, column=attribute.column),
    )
