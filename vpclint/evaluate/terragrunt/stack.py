"""Evaluating a project's Terragrunt units with the Terraform evaluator.

A unit is evaluated as a root module: the folder its source names (with the unit folder's own
``.tf`` files and the ``.tf`` files its ``generate`` blocks write, as Terragrunt copies them into
its working folder), its variables set from the unit's ``inputs``, its resources attributed to
the unit (:func:`~vpclint.evaluate.terragrunt.units.unit_name`) as a root's are to its folder.
``dependency.NAME.outputs`` are the outputs of the other unit's module as vpclint evaluates it,
so an identity (``aws_vpc.this.id``) passed from one unit to another links them as a reference
inside one root does; ``mock_outputs`` stand in only when that unit cannot be evaluated.
Each unit is one unit of evaluation, like a root.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import vpclint.evaluate.observed as observed
from vpclint.discover.sources import display_path
from vpclint.evaluate.terraform.evaluator import Namespace
from vpclint.evaluate.terraform.layout import inside, unreachable
from vpclint.evaluate.terraform.modules import ModuleConfig, ModuleInstance
from vpclint.evaluate.terraform.values import UnknownValue
from vpclint.evaluate.terragrunt.config import Context, TerragruntConfig, _default_config
from vpclint.evaluate.terragrunt.units import locate_module, unit_name
from vpclint.parse.terraform import FileKind, TerraformFile
from vpclint.parse.terraform.hcl import SyntaxProblem, parse_hcl
from vpclint.topology.models import Caller, NotAnalysed, ParseError, SourceLocation

if TYPE_CHECKING:
    from vpclint.evaluate.terraform.project import Project, RootOutput


class TerragruntStack:
    """The project's units, and the evaluation of each."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.layout = project.layout
        self._instances: dict[Path, ModuleInstance | NotAnalysed] = {}
        self._found: tuple[list[Path], list[Path]] | None = None

    # -- which files are units ---------------------------------------------------------------

    def units(self) -> list[Path]:
        return self._survey()[0]

    def folders_run_by_units(self) -> list[Path]:
        """The unit folders and the module folders units run: not Terraform roots of their own."""
        return self._survey()[1]

    def _survey(self) -> tuple[list[Path], list[Path]]:
        if self._found is None:
            configurations = sorted(self.layout.terragrunt)
            included: set[Path] = set()
            folders: set[Path] = set()
            context = self._context()
            for path in configurations:
                config = self._config(path, context)
                if isinstance(config, str):
                    continue
                for include, _ in config.includes():
                    included.add(include.path)
            units = [path for path in configurations if path not in included]
            for path in units:
                folders.add(path.parent)
                config = self._config(path, context)
                if isinstance(config, str):
                    continue
                source = config.source()
                if source is not None:
                    located = locate_module(source[0], path.parent)
                    if located.directory is not None:
                        folders.add(self.layout.resolve(located.directory))
            self._found = (units, sorted(folders))
        return self._found

    # -- evaluation --------------------------------------------------------------------------

    def evaluate_unit(self, path: Path) -> RootOutput:
        project = self.project
        project.start_root()
        self._instances = {}
        context = self._context()
        instance = self._instance(path, context)
        problems = [] if isinstance(instance, ModuleInstance) else [instance]
        for where, message in context.mocked.items():
            file, _, line = where.rpartition(":")
            problems.append(
                NotAnalysed(location=SourceLocation(file=file, line=int(line)), message=message)
            )
        output = project.root_output(
            instance if isinstance(instance, ModuleInstance) else None, problems
        )
        name = unit_name(path.parent)
        location = self._unit_location(path, context)
        output.callers[name] = Caller(
            location=location,
            description=f"in Terragrunt unit {name}",
            # a suppression comment anywhere in the terragrunt.hcl is the file's
            suppression_target=SourceLocation(file=location.file, line=1),
        )
        return output

    def _unit_location(self, path: Path, context: Context) -> SourceLocation:
        """Where a unit's terragrunt.hcl names its module (its first line when an include
        does): findings about the unit's resources point there too."""
        config = self._config(path, context)
        own = config.own_source() if not isinstance(config, str) else None
        if own is not None:
            return own[1]
        return SourceLocation(file=f"{unit_name(path.parent)}/{path.name}", line=1)

    def _context(self) -> Context:
        holder: list[Context] = []

        def outputs(directory: Path, location: SourceLocation) -> Any:
            return self._outputs(directory, location, holder[0])

        context = Context(
            run=self.project.run,
            project_root=self.layout.project_root,
            environment=self.project.settings.environment,
            read=self._read,
            outputs=outputs,
        )
        holder.append(context)
        return context

    def _config(self, path: Path, context: Context) -> TerragruntConfig | str:
        parsed = self._read(path)
        if isinstance(parsed, str):
            return parsed
        return TerragruntConfig(context, parsed, path, unit_path=path, original_path=path)

    def _read(self, path: Path) -> TerraformFile | str:
        found: TerraformFile | str = self.layout.once(
            "terragrunt", path, lambda: self._read_file(path)
        )
        return found

    def _read_file(self, path: Path) -> TerraformFile | str:
        if not inside(path, self.layout.project_root):
            return f"{path.name} is outside the project; not read"
        observed.note_file(path)
        if not path.is_file():
            return f"{display_path(path)} does not exist"
        kind: FileKind = "terragrunt-json" if path.name.endswith(".json") else "terragrunt"
        parsed = self.layout.parse_on_demand(path, kind)
        if isinstance(parsed, ParseError):
            return f"{parsed.location.file}: {parsed.message}"
        if parsed is None or parsed.error is not None:
            error = parsed.error if parsed is not None else None
            return f"{path.name} does not parse" + (f": {error.message}" if error else "")
        return parsed

    def _outputs(self, directory: Path, location: SourceLocation, context: Context) -> Any:
        unit = _default_config(directory)
        instance = self._instance(unit, context)
        if isinstance(instance, NotAnalysed):
            return instance.message
        return Namespace(f"the outputs of {unit_name(directory)}", instance.output)

    def _instance(self, path: Path, context: Context) -> ModuleInstance | NotAnalysed:
        found = self._instances.get(path)
        if found is None:
            found = self._instances[path] = self._new_instance(path, context)
        return found

    def _new_instance(self, path: Path, context: Context) -> ModuleInstance | NotAnalysed:
        project = self.project
        unit_directory = path.parent
        name = unit_name(unit_directory)
        config = self._config(path, context)
        unit_location = SourceLocation(file=f"{name}/{path.name}", line=1)
        if isinstance(config, str):
            return NotAnalysed(location=unit_location, message=f"Terragrunt unit {name}: {config}")
        source = config.source()
        location = source[1] if source is not None else unit_location
        module_directory = unit_directory
        module: ModuleConfig | None
        if source is None:
            module = project.config(self.layout.resolve(unit_directory))
        else:
            located = locate_module(source[0], unit_directory)
            if located.not_read is not None:
                return NotAnalysed(
                    location=location, message=f"Terragrunt unit {name}: {located.not_read}"
                )
            if located.registry_module is not None:
                module = ModuleConfig.model(located.registry_module)
            else:
                assert located.directory is not None
                module_directory = self.layout.resolve(located.directory)
                problem = (
                    "is outside the project; not read"
                    if not inside(module_directory, self.layout.project_root)
                    else None
                )
                problem = problem or (
                    f"cannot be read: {unreachable(module_directory)}"
                    if unreachable(module_directory)
                    else None
                )
                if problem is not None:
                    return NotAnalysed(
                        location=location,
                        message=f"Terragrunt unit {name}: its module {source[0]} {problem}",
                    )
                module = project.config(module_directory)
        extra = self._generated(config) + self._unit_files(unit_directory, module_directory)
        if module is None and not extra:
            return NotAnalysed(
                location=location,
                message=f"Terragrunt unit {name}: its module folder has no Terraform files",
            )
        if extra:
            files = [*(module.files if module is not None else []), *extra]
            module = ModuleConfig.from_files(
                module_directory, module.display if module else name, files
            )
        assert module is not None
        return ModuleInstance(
            project.run,
            module,
            root_key=name,
            root_directory=module_directory,
            inputs=_inputs(config, module),
            resolver=project.resolve_module,
        )

    def _unit_files(self, unit_directory: Path, module_directory: Path) -> list[TerraformFile]:
        """The unit folder's own ``.tf`` files, which Terragrunt copies next to the module's."""
        unit_directory = self.layout.resolve(unit_directory)
        if unit_directory == module_directory:
            return []
        return [parsed.result for parsed in self.layout.folders.get(unit_directory, ())]

    def _generated(self, config: TerragruntConfig) -> list[TerraformFile]:
        """The ``.tf`` files the unit's ``generate`` blocks write, where their contents are known
        (reported at the lines of the ``generate`` block that holds them)."""
        files: list[TerraformFile] = []
        for generate in config.generate_blocks().values():
            block = generate.block
            owner = generate.config
            disabled = block.attributes.get("disable")
            if disabled is not None and owner.evaluate(disabled.value) is True:
                continue
            path_attribute = block.attributes.get("path")
            contents_attribute = block.attributes.get("contents")
            if path_attribute is None or contents_attribute is None:
                continue
            target = owner.evaluate(path_attribute.value)
            if not isinstance(target, str) or not target.endswith(".tf"):
                continue
            contents = owner.evaluate(contents_attribute.value)
            location = SourceLocation(file=owner.display, line=block.line)
            if not isinstance(contents, str):
                reason = contents.reason if isinstance(contents, UnknownValue) else "not a string"
                self.project.note_not_analysed(
                    NotAnalysed(
                        location=location,
                        message=f"generate {generate.name!r} writes {target}, whose contents "
                        f"are not known: {reason}",
                    )
                )
                continue
            # Lines of the generated file are the lines of the heredoc that holds it.
            padding = "\n" * contents_attribute.value.line
            try:
                body = parse_hcl(padding + contents, self.project.run.limits.max_depth)
            except SyntaxProblem as problem:
                self.project.note_not_analysed(
                    NotAnalysed(
                        location=SourceLocation(file=owner.display, line=problem.line),
                        message=f"generate {generate.name!r} writes {target}, which does not "
                        f"parse: {problem.message}",
                    )
                )
                continue
            files.append(TerraformFile(display=owner.display, kind="terraform", body=body))
        return files


def _inputs(config: TerragruntConfig, module: ModuleConfig) -> dict[str, Any]:
    """The module's variables from the unit's inputs (Terragrunt passes them as TF_VAR_*, so
    Terraform ignores those the module does not declare)."""
    inputs = config.inputs()
    values: dict[str, Any] = {}
    for name in module.variables:
        if isinstance(inputs, UnknownValue):
            values[name] = _constant(inputs)
        elif name in inputs:
            values[name] = _constant(inputs[name])
    return values


def _constant(value: Any) -> Any:
    return lambda: value
