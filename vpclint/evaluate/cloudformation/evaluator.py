"""Intrinsic functions and conditions of one template, evaluated under its parameter values.

Evaluation follows CloudFormation: ``Ref`` to a parameter gives its value, ``Ref`` to a resource
its (unknown) physical ID, ``Fn::GetAtt Vpc.CidrBlock`` the VPC's CidrBlock property. Whatever only
exists after deployment (pseudo parameters, most attributes, Availability Zones) evaluates to
:class:`Unresolved` with a reason, and so does everything computed from it.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from vpclint.evaluate.cloudformation.cidr_function import fn_cidr
from vpclint.evaluate.cloudformation.language_extensions import (
    SECTIONS,
    TRANSFORM,
    Expander,
    SkippedLoop,
    has_loops,
    uses_transform,
)
from vpclint.evaluate.cloudformation.nested import NESTED_STACK_TYPES
from vpclint.evaluate.cloudformation.parameters import SETTABLE_PSEUDO_PARAMETERS
from vpclint.evaluate.cloudformation.values import (
    NO_VALUE,
    ResourceIdentity,
    Unresolved,
    as_integer,
    as_text,
    error,
)
from vpclint.parse.cloudformation.nodes import (
    Mark,
    MarkedDict,
    TaggedValue,
    mark_of,
    marked_dict,
)
from vpclint.parse.cloudformation.template import ParsedTemplate
from vpclint.topology.models import UnknownKind

PSEUDO_PARAMETERS = frozenset(
    {
        "AWS::AccountId",
        "AWS::NotificationARNs",
        "AWS::Partition",
        "AWS::Region",
        "AWS::StackId",
        "AWS::StackName",
        "AWS::URLSuffix",
    }
)
_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_MAX_NESTED_LOOKUPS = 64  # GetAtt/ImportValue chains followed from one value


def _too_large(function: str, size: int, limit: int, mark: Mark) -> Unresolved:
    """Refused before it is built: a nested Fn::Join of a Fn::Join grows by a factor each time."""
    return Unresolved(
        f"{function} would build a string of {size:,} characters, over the limit of {limit:,} "
        "(raise `max-steps` in the config)",
        UnknownKind.LIMIT,
        mark,
    )


class _StepLimit(Exception):
    pass


@dataclass(frozen=True)
class StackInstance:
    """Where a nested stack's template is instantiated: the parent's stack resource."""

    stack_key: str  # the key of the parent's stack resource
    address: str  # its logical ID, prefixed by its parent's when nested deeper (Hub.SpokeA)
    chain: tuple[str, ...]  # the templates from the outermost parent down to this one


class TemplateLinks(Protocol):
    """What an evaluator asks of the templates evaluated with it
    (:class:`vpclint.evaluate.cloudformation.scope.Scope`, which makes the evaluators)."""

    in_progress: set[tuple[str, ...]]

    def vpc_ipv6_blocks(self, owner: TemplateEvaluator, logical_id: str, mark: Mark) -> Any: ...

    def import_value(self, name: str, mark: Mark, importer: TemplateEvaluator) -> Any: ...

    def nested_output(
        self, parent: TemplateEvaluator, logical_id: str, name: str, mark: Mark
    ) -> Any: ...


class TemplateEvaluator:
    """Evaluates values of one template; shares cross-template lookups through its scope."""

    def __init__(
        self,
        parsed: ParsedTemplate,
        scope: TemplateLinks,
        parameter_values: Mapping[str, Any],
        max_steps: int,
        max_expansion: int = 10_000,
        instance: StackInstance | None = None,
    ) -> None:
        assert parsed.template is not None
        self.parsed = parsed
        self.instance = instance
        self.template: MarkedDict = parsed.template
        self.scope = scope
        self.parameter_values = parameter_values
        self.max_steps = max_steps
        self.steps = 0
        self.parameters = _mapping(self.template.get("Parameters"))
        self.mappings = _mapping(self.template.get("Mappings"))
        self.resources = _mapping(self.template.get("Resources"))
        self.conditions = _mapping(self.template.get("Conditions"))
        self._condition_values: dict[str, bool | Unresolved] = {}
        self._parameters: dict[str, Any] = {}
        self._functions: dict[str, Callable[[Any, Mark], Any]] = {
            "Ref": self._ref,
            "Fn::GetAtt": self._get_att,
            "Fn::Cidr": self._cidr,
            "Fn::Select": self._select,
            "Fn::FindInMap": self._find_in_map,
            "Fn::If": self._if,
            "Fn::Sub": self._sub,
            "Fn::Join": self._join,
            "Fn::Split": self._split,
            "Fn::ImportValue": self._import_value,
            "Fn::GetAZs": self._get_azs,
            "Fn::Base64": self._base64,
            "Fn::Length": self._length,
            "Fn::ToJsonString": self._to_json_string,
        }
        self.skipped_loops: list[SkippedLoop] = []
        self._expand_loops(max_expansion)

    def _expand_loops(self, max_expansion: int) -> None:
        """Fn::ForEach replaced by its copies (the AWS::LanguageExtensions transform); a loop in
        a template without the transform is left out, as CloudFormation would refuse it."""
        if not has_loops(self.template):
            return
        if not uses_transform(self.template):
            for section in SECTIONS:
                for key in _mapping(self.template.get(section)):
                    if isinstance(key, str) and key.startswith("Fn::ForEach"):
                        self.skipped_loops.append(
                            SkippedLoop(
                                str(key),
                                section,
                                mark_of(key),
                                f"the template does not declare the {TRANSFORM} transform",
                                True,
                            )
                        )
            return
        # Conditions are expanded first: a collection may depend on one (Fn::If), and the
        # conditions seen while Resources are expanded are then the generated ones.
        self.conditions = {}
        expander = Expander(self.evaluate, max_expansion, self.max_steps)
        expanded = marked_dict(self.template.mark)
        expanded.update(self.template)
        for section in SECTIONS:
            body = self.template.get(section)
            if isinstance(body, MarkedDict):
                expanded[section] = expander.expand_section(section, body)
                if section == "Conditions":
                    self.conditions = _mapping(expanded[section])
                    self._condition_values.clear()
        self.template = expanded
        self.resources = _mapping(expanded.get("Resources"))
        self.skipped_loops.extend(expander.skipped)

    # -- identity -------------------------------------------------------------------------

    def key(self, logical_id: str) -> str:
        if self.instance is not None:
            return f"{self.instance.stack_key}/{self.parsed.display}::{logical_id}"
        return f"{self.parsed.display}::{logical_id}"

    def address(self, logical_id: str) -> str:
        """How a resource is named in messages: a nested stack's are prefixed with the stack's
        logical ID in its parent (``SpokeA.Vpc``), so that two instances read apart."""
        if self.instance is not None:
            return f"{self.instance.address}.{logical_id}"
        return logical_id

    def resource_type(self, logical_id: str) -> str | None:
        """The resource's type; None when there is no such resource."""
        resource = self.resources.get(logical_id)
        if not isinstance(resource, dict):
            return None
        kind = resource.get("Type")
        if isinstance(kind, str):
            return str(kind)
        if isinstance(kind, TaggedValue):  # a pre-processor module: a resource of unknown type
            return f"!{kind.tag}"
        return "(no type)"

    def properties(self, logical_id: str) -> dict[Any, Any]:
        resource = self.resources.get(logical_id)
        if isinstance(resource, dict):
            return _mapping(resource.get("Properties"))
        return {}

    # -- evaluation -----------------------------------------------------------------------

    def evaluate(self, node: Any, mark: Mark | None = None) -> Any:
        """The value of a template node with every intrinsic function applied."""
        try:
            return self._evaluate(node, mark_of(node, mark or (1, 1)))
        except _StepLimit:
            return Unresolved(
                f"evaluation took more than {self.max_steps} steps "
                "(raise `max-steps` in the config)",
                UnknownKind.LIMIT,
                mark,
            )
        except RecursionError:
            return Unresolved("the expression is nested too deeply", UnknownKind.LIMIT, mark)

    def _evaluate(self, node: Any, mark: Mark) -> Any:
        self.steps += 1
        if self.steps > self.max_steps:
            raise _StepLimit
        if isinstance(node, dict):
            mark = mark_of(node, mark)
            if len(node) == 1:
                (name,) = node
                if isinstance(name, str) and (name == "Ref" or name.startswith("Fn::")):
                    function = self._functions.get(str(name))
                    if function is None:
                        return Unresolved(f"{name} is not evaluated by vpclint", mark=mark)
                    return function(node[name], mark)
            result: dict[Any, Any] = {}
            for key, value in node.items():
                evaluated = self._evaluate(value, mark_of(value, mark))
                if evaluated is not NO_VALUE:
                    result[key] = evaluated
            return result
        if isinstance(node, list):
            items = (self._evaluate(item, mark_of(item, mark)) for item in node)
            return [item for item in items if item is not NO_VALUE]
        if isinstance(node, TaggedValue):
            return Unresolved(
                f"the value is under the YAML tag !{node.tag}, which CloudFormation does not "
                "know (a pre-processor directive?)",
                mark=node.mark,
            )
        return node

    # -- Ref and parameters ---------------------------------------------------------------

    def _ref(self, argument: Any, mark: Mark) -> Any:
        name = self._evaluate(argument, mark)
        if not isinstance(name, str):
            return error("Ref needs the name of a parameter or resource", mark)
        return self.reference(name, mark)

    def reference(self, name: str, mark: Mark) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in PSEUDO_PARAMETERS or name.startswith("AWS::"):
            return self._pseudo_parameter(name, mark)
        if name in self.parameters:
            return self.parameter(name)
        kind = self.resource_type(name)
        if kind is not None:
            return ResourceIdentity(self.key(name), name, kind)
        return error(f"Ref to {name}, which is neither a parameter nor a resource", mark)

    def _pseudo_parameter(self, name: str, mark: Mark) -> Any:
        """A pseudo parameter's value when given (--parameter AWS::Region=eu-west-1, the stack
        name of the `stacks` table); AWS::Partition and AWS::URLSuffix follow from the region."""
        if name in SETTABLE_PSEUDO_PARAMETERS and name in self.parameter_values:
            return as_text(self.parameter_values[name])
        region = self.parameter_values.get("AWS::Region")
        if name in ("AWS::Partition", "AWS::URLSuffix") and isinstance(region, str):
            partition, suffix = _partition_of(region)
            return partition if name == "AWS::Partition" else suffix
        hint = (
            f" (pass --parameter {name}=VALUE, or name the stack in `stacks`)"
            if name in SETTABLE_PSEUDO_PARAMETERS
            else ""
        )
        return Unresolved(f"pseudo parameter {name} is only known at deployment{hint}", mark=mark)

    def parameter(self, name: str) -> Any:
        if name not in self._parameters:
            self._parameters[name] = self._parameter_value(name)
        return self._parameters[name]

    def _parameter_value(self, name: str) -> Any:
        definition = _mapping(self.parameters.get(name))
        mark = mark_of(self.parameters.get(name))
        kind = definition.get("Type")
        kind = str(kind) if isinstance(kind, str) else "String"
        if name in self.parameter_values:
            value = self.parameter_values[name]
        elif "Default" in definition:
            value = definition["Default"]
            mark = mark_of(value, mark)
        else:
            return Unresolved(
                f"parameter {name} has no default and no value was given "
                f"(pass --parameter {name}=VALUE or a parameter file)",
                mark=mark,
            )
        if kind.startswith("AWS::SSM::Parameter::Value<"):
            return Unresolved(
                f"parameter {name} is read from SSM Parameter Store at deployment", mark=mark
            )
        if isinstance(value, (dict, TaggedValue)):
            return error(f"the value of parameter {name} is not a plain value", mark)
        if isinstance(value, ResourceIdentity):
            return value  # a parent stack passes a resource of its own (!Ref Vpc)
        if kind == "CommaDelimitedList" or kind.startswith("List<"):
            if isinstance(value, list):
                return [
                    item if isinstance(item, ResourceIdentity) else as_text(item) for item in value
                ]
            text = as_text(value)
            if isinstance(text, Unresolved):
                return text
            return [item.strip() for item in text.split(",")]
        if isinstance(value, list):
            return error(f"parameter {name} of type {kind} has a list value", mark)
        return as_text(value)

    # -- Fn::GetAtt -----------------------------------------------------------------------

    def _get_att(self, argument: Any, mark: Mark) -> Any:
        if isinstance(argument, str):
            argument = str(argument).split(".", 1)
        if not isinstance(argument, list) or len(argument) != 2:
            return error("Fn::GetAtt needs a resource name and an attribute", mark)
        logical_id = self._evaluate(argument[0], mark)
        attribute = self._evaluate(argument[1], mark)
        if isinstance(attribute, Unresolved):
            return attribute
        if not isinstance(logical_id, str) or not isinstance(attribute, str):
            return error("Fn::GetAtt needs a resource name and an attribute", mark)
        return self.attribute(str(logical_id), str(attribute), mark)

    def attribute(self, logical_id: str, attribute: str, mark: Mark) -> Any:
        kind = self.resource_type(logical_id)
        if kind is None:
            return error(f"Fn::GetAtt refers to {logical_id}, which is not a resource", mark)
        with self._guard(("GetAtt", logical_id, attribute), mark) as cycle:
            if cycle is not None:
                return cycle
            return self._attribute(logical_id, kind, attribute, mark)

    def _attribute(self, logical_id: str, kind: str, attribute: str, mark: Mark) -> Any:
        if kind in NESTED_STACK_TYPES and attribute.startswith("Outputs."):
            return self.scope.nested_output(self, logical_id, attribute[len("Outputs.") :], mark)
        properties = self.properties(logical_id)
        if kind == "AWS::EC2::VPC":
            if attribute == "CidrBlock":
                if "CidrBlock" in properties:
                    return self._property(properties, "CidrBlock", mark)
                if "Ipv4IpamPoolId" in properties:
                    return Unresolved(
                        f"the IPv4 block of {logical_id} is allocated from an IPAM pool at "
                        "deployment",
                        mark=mark,
                        provider_assigned=True,
                    )
            if attribute == "Ipv6CidrBlocks":
                return self.scope.vpc_ipv6_blocks(self, logical_id, mark)
            if attribute == "VpcId":
                return ResourceIdentity(self.key(logical_id), logical_id, kind)
        if kind == "AWS::EC2::TransitGateway" and attribute == "Id":
            return ResourceIdentity(self.key(logical_id), logical_id, kind)
        if kind == "AWS::EC2::Subnet":
            if attribute == "CidrBlock" and "CidrBlock" in properties:
                return self._property(properties, "CidrBlock", mark)
            if attribute == "Ipv6CidrBlocks" and "Ipv6CidrBlocks" in properties:
                return self._property(properties, "Ipv6CidrBlocks", mark)
            if attribute == "Ipv6CidrBlocks" and "Ipv6CidrBlock" in properties:
                return [self._property(properties, "Ipv6CidrBlock", mark)]
            if attribute == "VpcId" and "VpcId" in properties:
                return self._property(properties, "VpcId", mark)
            if attribute == "SubnetId":
                return ResourceIdentity(self.key(logical_id), logical_id, kind)
        return Unresolved(
            f"attribute {attribute} of {logical_id} ({kind}) is only known after deployment",
            mark=mark,
        )

    def _property(self, properties: dict[Any, Any], name: str, mark: Mark) -> Any:
        node = properties[name]
        return self._evaluate(node, mark_of(node, mark))

    def _guard(self, key: tuple[str, ...], mark: Mark) -> Guard:
        return Guard(self.scope.in_progress, (self.parsed.display, *key), mark)

    # -- Fn::Cidr, Fn::Select, Fn::FindInMap ----------------------------------------------

    def _cidr(self, argument: Any, mark: Mark) -> Any:
        if not isinstance(argument, list) or len(argument) != 3:
            return error("Fn::Cidr needs [ipBlock, count, cidrBits]", mark)
        block, count, bits = (self._evaluate(item, mark_of(item, mark)) for item in argument)
        if isinstance(block, Unresolved):
            return block
        block_text = as_text(block)
        if isinstance(block_text, Unresolved):
            return block_text
        count_value = as_integer(count, "the Fn::Cidr count")
        bits_value = as_integer(bits, "the Fn::Cidr cidrBits")
        for value in (count_value, bits_value):
            if isinstance(value, Unresolved):
                return value if value.kind is not UnknownKind.ERROR else error(value.reason, mark)
        assert isinstance(count_value, int) and isinstance(bits_value, int)
        result = fn_cidr(block_text, count_value, bits_value)
        if isinstance(result, str):
            return error(result, mark)
        return result

    def _select(self, argument: Any, mark: Mark) -> Any:
        if not isinstance(argument, list) or len(argument) != 2:
            return error("Fn::Select needs [index, list]", mark)
        index = as_integer(self._evaluate(argument[0], mark), "the Fn::Select index")
        items = self._evaluate(argument[1], mark_of(argument[1], mark))
        if isinstance(items, Unresolved):
            return items
        if isinstance(index, Unresolved):
            return index if index.kind is not UnknownKind.ERROR else error(index.reason, mark)
        if not isinstance(items, list):
            return error("Fn::Select needs a list to select from", mark)
        if not 0 <= index < len(items):
            return error(
                f"Fn::Select index {index} is out of range for a list of {len(items)}", mark
            )
        return items[index]

    def _find_in_map(self, argument: Any, mark: Mark) -> Any:
        if not isinstance(argument, list) or len(argument) not in (3, 4):
            return error("Fn::FindInMap needs [MapName, TopLevelKey, SecondLevelKey]", mark)
        keys = [as_text(self._evaluate(item, mark_of(item, mark))) for item in argument[:3]]
        default: Any = NO_VALUE
        if len(argument) == 4:
            options = argument[3]
            if isinstance(options, dict) and "DefaultValue" in options:
                default = options["DefaultValue"]
            else:
                return error("the fourth argument of Fn::FindInMap must be {DefaultValue: ...}")
        for key in keys:
            if isinstance(key, Unresolved):
                return key
        map_name, top, second = (str(key) for key in keys)
        mapping = _lookup(self.mappings, map_name)
        found = _lookup(_mapping(_lookup(_mapping(mapping), top)), second)
        if found is _MISSING:
            if default is not NO_VALUE:
                return self._evaluate(default, mark_of(default, mark))
            if mapping is _MISSING:
                return error(f"Fn::FindInMap: there is no mapping {map_name}", mark)
            return error(f"Fn::FindInMap: mapping {map_name} has no [{top}][{second}]", mark)
        return self._evaluate(found, mark_of(found, mark))

    # -- conditions -----------------------------------------------------------------------

    def condition(self, name: str, mark: Mark | None = None) -> bool | Unresolved:
        """The value of a named condition under the parameter values."""
        try:
            return self._named_condition(name, mark)
        except _StepLimit:
            return Unresolved(
                f"evaluation took more than {self.max_steps} steps "
                "(raise `max-steps` in the config)",
                UnknownKind.LIMIT,
                mark,
            )
        except RecursionError:
            return Unresolved("the condition is nested too deeply", UnknownKind.LIMIT, mark)

    def _named_condition(self, name: str, mark: Mark | None) -> bool | Unresolved:
        if name in self._condition_values:
            return self._condition_values[name]
        if name not in self.conditions:
            return error(f"there is no condition {name}", mark)
        with self._guard(("Condition", name), mark or (1, 1)) as cycle:
            if cycle is not None:
                return cycle
            body = self.conditions[name]
            value = self._condition(body, mark_of(body, mark or (1, 1)))
        self._condition_values[name] = value
        return value

    def _condition(self, node: Any, mark: Mark) -> bool | Unresolved:
        self.steps += 1
        if self.steps > self.max_steps:
            raise _StepLimit
        if isinstance(node, bool):
            return node
        if not isinstance(node, dict) or len(node) != 1:
            return error("a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition")
        mark = mark_of(node, mark)
        ((name, argument),) = node.items()
        if name == "Condition":
            target = self._evaluate(argument, mark)
            if not isinstance(target, str):
                return error("Condition needs the name of a condition", mark)
            return self._named_condition(str(target), mark)
        if name == "Fn::Equals":
            if not isinstance(argument, list) or len(argument) != 2:
                return error("Fn::Equals needs two values", mark)
            first, second = (as_text(self._evaluate(item, mark)) for item in argument)
            if isinstance(first, Unresolved):
                return first
            if isinstance(second, Unresolved):
                return second
            return bool(first == second)
        if name in ("Fn::And", "Fn::Or", "Fn::Not"):
            if not isinstance(argument, list) or not argument:
                return error(f"{name} needs a list of conditions", mark)
            values = [self._condition(item, mark_of(item, mark)) for item in argument]
            if name == "Fn::Not":
                if len(values) != 1:
                    return error("Fn::Not needs exactly one condition", mark)
                negated: bool | Unresolved = values[0]
                return negated if isinstance(negated, Unresolved) else not negated
            decisive = bool(name == "Fn::Or")  # True decides an Or, False decides an And
            if any(value is decisive for value in values):
                return decisive
            for value in values:
                if isinstance(value, Unresolved):
                    return value
            return not decisive
        return error(f"{name} cannot be used in a condition", mark)

    def _if(self, argument: Any, mark: Mark) -> Any:
        if not isinstance(argument, list) or len(argument) != 3:
            return error("Fn::If needs [condition, value if true, value if false]", mark)
        name = self._evaluate(argument[0], mark)
        if not isinstance(name, str):
            return error("Fn::If needs the name of a condition", mark)
        value = self._named_condition(str(name), mark)
        if isinstance(value, Unresolved):
            return Unresolved(
                f"it depends on condition {name}, which is unknown: {value.reason}",
                value.kind,
                mark,
            )
        chosen = argument[1] if value else argument[2]
        return self._evaluate(chosen, mark_of(chosen, mark))

    # -- strings --------------------------------------------------------------------------

    def _sub(self, argument: Any, mark: Mark) -> Any:
        variables: dict[Any, Any] = {}
        if isinstance(argument, list):
            if len(argument) != 2 or not isinstance(argument[1], dict):
                return error("Fn::Sub needs a string or [string, {variables}]", mark)
            argument, variables = argument
        text = self._evaluate(argument, mark)
        if not isinstance(text, str):
            return text if isinstance(text, Unresolved) else error("Fn::Sub needs a string", mark)
        parts: list[str] = []
        position = 0
        built = len(text)  # from above: the text with its ${...} still in, plus their values
        for match in _SUB_VARIABLE.finditer(text):
            parts.append(text[position : match.start()])
            position = match.end()
            name = match.group(1)
            if name.startswith("!"):
                parts.append("${" + name[1:] + "}")
                continue
            name = name.strip()
            if name in variables:
                value = self._evaluate(variables[name], mark_of(variables[name], mark))
            elif "." in name and not name.startswith("AWS::"):
                logical_id, attribute = name.split(".", 1)
                value = self.attribute(logical_id, attribute, mark)
            else:
                value = self.reference(name, mark)
            piece = as_text(value)
            if isinstance(piece, Unresolved):
                return Unresolved(piece.reason, piece.kind, piece.mark or mark)
            built += len(piece)
            if built > self.max_steps:
                return _too_large("Fn::Sub", built, self.max_steps, mark)
            parts.append(piece)
        parts.append(text[position:])
        return "".join(parts)

    def _join(self, argument: Any, mark: Mark) -> Any:
        if not isinstance(argument, list) or len(argument) != 2:
            return error("Fn::Join needs [delimiter, list]", mark)
        delimiter = as_text(self._evaluate(argument[0], mark))
        items = self._evaluate(argument[1], mark_of(argument[1], mark))
        if isinstance(delimiter, Unresolved):
            return delimiter
        if isinstance(items, Unresolved):
            return items
        if not isinstance(items, list):
            return error("Fn::Join needs a list of values", mark)
        texts: list[str] = []
        for item in items:
            text = as_text(item)
            if isinstance(text, Unresolved):
                return text
            texts.append(text)
        size = len(delimiter) * max(len(texts) - 1, 0) + sum(len(text) for text in texts)
        if size > self.max_steps:
            return _too_large("Fn::Join", size, self.max_steps, mark)
        return delimiter.join(texts)

    def _split(self, argument: Any, mark: Mark) -> Any:
        if not isinstance(argument, list) or len(argument) != 2:
            return error("Fn::Split needs [delimiter, string]", mark)
        delimiter = as_text(self._evaluate(argument[0], mark))
        source = as_text(self._evaluate(argument[1], mark_of(argument[1], mark)))
        if isinstance(delimiter, Unresolved):
            return delimiter
        if isinstance(source, Unresolved):
            return source
        if not delimiter:
            return error("Fn::Split needs a non-empty delimiter", mark)
        return source.split(delimiter)

    def _base64(self, argument: Any, mark: Mark) -> Any:
        text = as_text(self._evaluate(argument, mark))
        if isinstance(text, Unresolved):
            return text
        return base64.b64encode(text.encode()).decode()

    def _length(self, argument: Any, mark: Mark) -> Any:
        items = self._evaluate(argument, mark)
        if isinstance(items, Unresolved):
            return items
        if not isinstance(items, list):
            return error("Fn::Length needs a list", mark)
        return len(items)

    def _to_json_string(self, argument: Any, mark: Mark) -> Any:
        """The value as compact JSON, as the AWS::LanguageExtensions transform writes it."""
        value = self._evaluate(argument, mark)
        unknown = _first_unresolved(value)
        if unknown is not None:
            return unknown
        if not isinstance(value, (dict, list)):
            return error("Fn::ToJsonString needs a mapping or a list", mark)
        try:
            return json.dumps(value, separators=(",", ":"), default=_json_scalar)
        except (TypeError, ValueError) as problem:
            return error(f"Fn::ToJsonString: {problem}", mark)

    def _get_azs(self, argument: Any, mark: Mark) -> Any:
        return Unresolved(
            "the Availability Zones of a region are only known at deployment", mark=mark
        )

    def _import_value(self, argument: Any, mark: Mark) -> Any:
        name = as_text(self._evaluate(argument, mark))
        if isinstance(name, Unresolved):
            return Unresolved(
                f"the name of the imported value is unknown: {name.reason}", name.kind, mark
            )
        return self.scope.import_value(name, mark, self)


class Guard:
    """Detects cycles and over-long chains of lookups (GetAtt of a GetAtt of an export ...)."""

    def __init__(self, in_progress: set[tuple[str, ...]], key: tuple[str, ...], mark: Mark) -> None:
        self.in_progress = in_progress
        self.key = key
        self.mark = mark
        self.entered = False

    def __enter__(self) -> Unresolved | None:
        if self.key in self.in_progress:
            what = " ".join(self.key[1:])
            return error(f"{what} depends on itself (a circular reference)", self.mark)
        if len(self.in_progress) >= _MAX_NESTED_LOOKUPS:
            return Unresolved("too many nested lookups", UnknownKind.LIMIT, self.mark)
        self.in_progress.add(self.key)
        self.entered = True
        return None

    def __exit__(self, *exc: object) -> None:
        if self.entered:
            self.in_progress.discard(self.key)


_MISSING: Any = object()


def _partition_of(region: str) -> tuple[str, str]:
    """The partition and URL suffix of a region (``cn-north-1``: aws-cn, amazonaws.com.cn)."""
    if region.startswith("cn-"):
        return "aws-cn", "amazonaws.com.cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov", "amazonaws.com"
    return "aws", "amazonaws.com"


def _first_unresolved(value: Any) -> Unresolved | None:
    """The first unknown part of an evaluated value (it makes the whole unknown)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, Unresolved):
            return item
        if isinstance(item, ResourceIdentity):
            result = as_text(item)
            return result if isinstance(result, Unresolved) else None
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return None


def _json_scalar(value: Any) -> str:
    text = as_text(value)
    if isinstance(text, Unresolved):
        raise TypeError(text.reason)
    return text


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _lookup(mapping: Any, key: str) -> Any:
    if not isinstance(mapping, dict):
        return _MISSING
    if key in mapping:
        return mapping[key]
    for candidate, value in mapping.items():  # YAML may have typed the key as a number
        if not isinstance(candidate, str) and as_text(candidate) == key:
            return value
    return _MISSING
