"""What a run knows of its CloudFormation templates before evaluating any: the parse results
without the parts evaluation never reads, each template's summary, and the groups of templates
that exports link.

Templates reach into one another only through exports and ``Fn::ImportValue``, and through
nested stacks whose template is a local file, so the templates linked that way are evaluated
together, as one unit of :mod:`vpclint.cache.units`, and every other template on its own: after
an edit, only the edited template's group is evaluated again.
The evaluator (:mod:`vpclint.evaluate.cloudformation.topology` and what it imports) is loaded
only when a group is: a run that reuses every group's output never loads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from vpclint.cache.units import EvaluatedPart, ParsedInput, UnitMemo, part_digest, resolve, state_of
from vpclint.evaluate.cloudformation.nested import NESTED_STACK_TYPES, literal_children
from vpclint.evaluate.cloudformation.parameters import ParameterFiles, unmatched_parameter
from vpclint.evaluate.cloudformation.suppressions import template_suppressions
from vpclint.evaluate.contract import EvaluationSettings, SettingsError
from vpclint.parse.cloudformation.nodes import MarkedDict, marked_dict
from vpclint.parse.cloudformation.template import ParsedTemplate
from vpclint.topology.kinds import CLOUDFORMATION
from vpclint.topology.models import ParseError, SourceFile, Suppression, Topology

# The resource types whose properties evaluation reads (in the topology's builder, in the
# evaluator's Fn::GetAtt and in the scope's IPv6 associations): the declared kinds. Of any other
# resource only its type (Ref, Fn::GetAtt), its condition (whether it exists) and its metadata
# (suppressions) are ever read. Nested stacks are read too: their template and parameters.
PROPERTIES_READ = frozenset(CLOUDFORMATION) | frozenset(NESTED_STACK_TYPES)
_ALWAYS_READ = ("Type", "Condition", "Metadata")


def without_unread_parts(parsed: ParsedTemplate) -> ParsedTemplate:
    """The parse result with what evaluation never reads left out: the properties of resources
    of other types than PROPERTIES_READ (instances, IAM, security groups are most of a template).
    Results then cross process boundaries and the cache at a fraction of the size; the topology
    built from them is the same."""
    template = parsed.template
    resources = template.get("Resources") if template is not None else None
    if template is None or not isinstance(resources, MarkedDict):
        return parsed
    kept = marked_dict(resources.mark)
    changed = False
    for logical_id, resource in resources.items():
        kind = resource.get("Type") if isinstance(resource, MarkedDict) else None
        if isinstance(kind, str) and kind not in PROPERTIES_READ:
            slim = marked_dict(resource.mark)
            for key, value in resource.items():
                if key in _ALWAYS_READ:
                    slim[key] = value
            changed = changed or len(slim) != len(resource)
            resource = slim
        kept[logical_id] = resource
    if not changed:
        return parsed
    slimmed = marked_dict(template.mark)
    for key, value in template.items():
        slimmed[key] = kept if value is resources else value
    return replace(parsed, template=slimmed)


@dataclass(frozen=True)
class TemplateSummary:
    """What the run needs of a template before evaluating it: how it is reported, and the
    export names that link it to other templates (None: a name is computed)."""

    error: ParseError | None
    decoded: bool
    suppressions: tuple[Suppression, ...]
    # Sorted tuples: sets would pickle in another order with each hash seed.
    exports: tuple[str, ...] | None = ()
    imports: tuple[str, ...] | None = ()
    children: tuple[str, ...] = ()  # the local templates its nested stacks name
    parameters: tuple[str, ...] = ()  # the names its Parameters section declares

    @classmethod
    def of(cls, parsed: ParsedTemplate) -> TemplateSummary:
        template = parsed.template
        if template is None:
            return cls(parsed.error, False, ())
        return cls(
            parsed.error,
            True,
            tuple(template_suppressions(parsed)),
            _export_names(template),
            _import_names(template),
            literal_children(template, parsed.display),
            _parameter_names(template),
        )

    @property
    def linked(self) -> bool:
        return self.exports != () or self.imports != () or self.children != ()


def _export_names(template: MarkedDict) -> tuple[str, ...] | None:
    outputs = template.get("Outputs")
    names: set[str] = set()
    for key, output in outputs.items() if isinstance(outputs, dict) else ():
        if isinstance(key, str) and key.startswith("Fn::ForEach"):
            return None  # the names are generated by the loop
        export = output.get("Export") if isinstance(output, dict) else None
        if isinstance(export, dict):
            name = export.get("Name")
            if not isinstance(name, str):
                return None
            names.add(str(name))
    return tuple(sorted(names))


def _parameter_names(template: MarkedDict) -> tuple[str, ...]:
    parameters = template.get("Parameters")
    return tuple(sorted(str(name) for name in parameters)) if isinstance(parameters, dict) else ()


def _import_names(template: MarkedDict) -> tuple[str, ...] | None:
    names: set[str] = set()
    pending: list[Any] = [template]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "Fn::ImportValue":
                    if not isinstance(item, str):
                        return None
                    names.add(str(item))
                else:
                    pending.append(item)
        elif isinstance(value, list):
            pending.extend(value)
    return tuple(sorted(names))


def linked_groups(templates: Sequence[ParsedInput]) -> list[list[ParsedInput]]:
    """The templates that exports link, together (in the run's order); every other template
    alone. A computed export or import name could be any name: all linked templates then form
    one group."""
    parent = list(range(len(templates)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    def join(first: int, second: int) -> None:
        parent[root(first)] = root(second)

    exporters_or_importers: dict[str, int] = {}
    linked = [index for index, parsed in enumerate(templates) if parsed.summary.linked]
    for index in linked:
        summary: TemplateSummary = templates[index].summary
        for name in (*(summary.exports or ()), *(summary.imports or ())):
            join(index, exporters_or_importers.setdefault(name, index))
    by_display = {parsed.display: index for index, parsed in enumerate(templates)}
    for index in linked:
        for child in templates[index].summary.children:
            if child in by_display:
                join(index, by_display[child])
    if any(
        templates[index].summary.exports is None or templates[index].summary.imports is None
        for index in linked
    ):
        for index in linked:
            join(index, linked[0])
    groups: dict[int, list[ParsedInput]] = {}
    for index, parsed in enumerate(templates):
        groups.setdefault(root(index), []).append(parsed)
    return list(groups.values())


def build_topology(
    templates: Sequence[ParsedInput], settings: EvaluationSettings, memo: UnitMemo
) -> EvaluatedPart:
    """The part of the topology the CloudFormation templates of the run declare."""
    declared = {name for parsed in templates for name in parsed.summary.parameters}
    problem = unmatched_parameter(settings.parameters, declared)
    if problem is not None:
        raise SettingsError(problem)
    topology = Topology()
    for parsed in templates:
        summary: TemplateSummary = parsed.summary
        status = "failed" if summary.error is not None else "parsed"
        topology.files.append(SourceFile(path=parsed.display, kind="cloudformation", status=status))
        if summary.error is not None:
            topology.parse_errors.append(summary.error)
    # Parameter files are read once for the whole run, before any unit: their content is part
    # of the settings every unit depends on.
    parameter_files = ParameterFiles(
        settings.parameter_files, settings.project_root, settings.limits.max_file_size
    )
    parameter_files.read_all()
    decoded = [parsed for parsed in templates if parsed.summary.decoded]
    outputs = [
        memo.unit(
            "templates:" + state_of([parsed.display for parsed in group]),
            partial(_evaluate_group, group, settings, parameter_files),
            lambda _dependency: None,
        )
        for group in linked_groups(decoded)
    ]
    suppressions = [item for parsed in decoded for item in parsed.summary.suppressions]
    errors = list(parameter_files.errors)

    def assemble() -> Topology:
        for output in outputs:
            topology.merge(resolve(output))
        topology.suppressions.extend(suppressions)
        topology.parse_errors.extend(errors)
        # In file order, whichever groups the templates fell into.
        topology.not_analysed.sort(key=lambda item: (item.location.file, item.location.line))
        return topology

    return EvaluatedPart(part_digest(memo, topology, suppressions, errors), assemble)


def _evaluate_group(
    group: Sequence[ParsedInput], settings: EvaluationSettings, parameter_files: ParameterFiles
) -> Topology:
    # The one place the evaluator is loaded: when a group is evaluated, not when it is reused.
    from vpclint.evaluate.cloudformation.topology import evaluate_group

    return evaluate_group(group, settings, parameter_files)
