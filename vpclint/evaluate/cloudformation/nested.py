"""Nested stacks: ``AWS::CloudFormation::Stack`` and ``AWS::Serverless::Application``.

A nested stack names its template by ``TemplateURL`` (``Location`` for a serverless
application). Before ``aws cloudformation package``, ``sam package`` or ``rain`` upload it, that
is a path relative to the parent template's folder: such a child is evaluated once per parent
resource, with the Parameters the parent passes, and its Outputs answer the parent's
``Fn::GetAtt Child.Outputs.Name``. Everything else (an S3 or HTTPS URL, a Serverless Application
Repository application, a computed location) is reported as not analysed, naming it.
"""

from __future__ import annotations

import posixpath
from typing import Any

from vpclint.parse.cloudformation.nodes import MarkedDict

# The resource type and the property that names its template.
NESTED_STACK_TYPES = {
    "AWS::CloudFormation::Stack": "TemplateURL",
    "AWS::Serverless::Application": "Location",
}
_REMOTE_PREFIXES = ("http://", "https://", "s3://", "file://")


def is_remote(location: str) -> bool:
    return location.lower().startswith(_REMOTE_PREFIXES) or "://" in location


def child_display(parent_display: str, location: str) -> str:
    """The reported path of a local child template: its location relative to the parent's
    folder, in the form the run reports paths (``network/vpc.yaml``, ``../shared/vpc.yaml``)."""
    joined = posixpath.join(posixpath.dirname(parent_display), location.replace("\\", "/"))
    return posixpath.normpath(joined)


def literal_children(template: MarkedDict, display: str) -> tuple[str, ...]:
    """The local child templates a template names by a literal path (sorted, for summaries:
    they join parent and child into one group of templates)."""
    resources = template.get("Resources")
    found: set[str] = set()
    for resource in resources.values() if isinstance(resources, dict) else ():
        if not isinstance(resource, dict):
            continue
        kind = resource.get("Type")
        name = NESTED_STACK_TYPES.get(kind) if isinstance(kind, str) else None
        properties = resource.get("Properties")
        location: Any = properties.get(name) if name and isinstance(properties, dict) else None
        if isinstance(location, str) and not is_remote(location):
            found.add(child_display(display, str(location)))
    return tuple(sorted(found))
