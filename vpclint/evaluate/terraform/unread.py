"""Module calls vpclint does not follow, said rather than dropped.

A call whose source is not on disk (a registry, git, http, s3... address without a
``.terraform/modules/modules.json`` entry) is VPC005 with what would make it visible; the
CIDRs written into its arguments are still checked (:func:`module_arguments`). A call whose
``count``/``for_each`` is unknown keeps one Unknown object per network and subnet its module
declares (``Project.collect``), so VPC004 names the call and the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from vpclint.evaluate.terraform.resources import make_block
from vpclint.evaluate.terraform.values import SetValue
from vpclint.parse.terraform import syntax as s
from vpclint.topology.models import AddressBlock, ModuleArgument, SourceLocation

# An argument value is taken for a CIDR by its form: an IPv4 address or an IPv6 address (it has
# a colon), a slash and a prefix length, even an invalid one (10.0.0.0/33, 10.0.0.300/24): a
# module's CIDR arguments have no common name (cidr, subnet_ip, address_space, private_subnets,
# ip_cidr_range...), and a value of this form is meant as a CIDR wherever it appears.
_CIDR_FORM = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}/\d+|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*/\d+")

_REGISTRY = re.compile(r"^(?:[\w.-]+/)?[\w-]+/[\w-]+/[\w-]+(?://.*)?$")


def describe_source(source: str) -> str:
    """What kind of address a non-local module source is, as a user would call it."""
    if _REGISTRY.match(source):
        return "a module registry"
    for prefix, kind in (
        ("git::", "a git repository"),
        ("git@", "a git repository"),
        ("github.com/", "a git repository"),
        ("bitbucket.org/", "a git repository"),
        ("hg::", "a Mercurial repository"),
        ("s3::", "an S3 bucket"),
        ("gcs::", "a GCS bucket"),
        ("http://", "a URL"),
        ("https://", "a URL"),
    ):
        if source.startswith(prefix):
            return kind
    return "a remote source"


def not_fetched_message(name: str, source: str, root: str) -> str:
    return (
        f"module {name!r} comes from {describe_source(source)} ({source}), which vpclint does "
        "not download, so its networks and subnets are not analysed: run `terraform init` in "
        f"the root module folder ({root}) and vpclint reads the copy listed in "
        ".terraform/modules/modules.json (terraform-aws-modules/vpc/aws alone is modelled "
        "offline); the CIDRs in its arguments are still checked"
    )


def module_arguments(
    key: str,
    address: str,
    source: str,
    call: s.Block,
    file: str,
    arguments: dict[str, Callable[[], Any]],
) -> ModuleArgument | None:
    """The CIDR-form values of a call's arguments (evaluated), each at the line that writes it
    when the expression's shape says which, else at the argument."""
    blocks: list[AddressBlock] = []
    for name, value in arguments.items():
        attribute = call.attributes[name]
        for path, text, node in _cidr_values(value(), attribute.value, name):
            location = SourceLocation(file=file, line=node.line, column=node.column)
            blocks.append(make_block(text, location, None, origin=path))
    if not blocks:
        return None
    return ModuleArgument(
        key=key,
        address=address,
        source=source,
        location=SourceLocation(file=file, line=call.line, column=call.column),
        blocks=tuple(blocks),
    )


def _cidr_values(value: Any, node: s.Node, path: str) -> Iterator[tuple[str, str, s.Node]]:
    """Every string of CIDR form in ``value``, with its path and the nearest node writing it."""
    pending: list[tuple[Any, s.Node, str]] = [(value, node, path)]
    seen: set[int] = set()  # a value may hold one collection many times: look once
    while pending:
        item, written, where = pending.pop()
        if isinstance(item, str):
            if _CIDR_FORM.fullmatch(item):
                yield where, item, written
            continue
        if not isinstance(item, list | tuple | dict) or id(item) in seen:
            continue
        seen.add(id(item))
        children: list[tuple[Any, s.Node, str]] = []
        if isinstance(item, dict):
            keyed = _object_items(written)
            for key, member in item.items():
                children.append((member, keyed.get(key, written), f"{where}.{key}"))
        else:
            items = written.items if isinstance(written, s.TupleExpr) else ()
            aligned = len(items) == len(item) and not isinstance(item, SetValue)
            for index, member in enumerate(item):
                children.append((member, items[index] if aligned else written, f"{where}[{index}]"))
        pending.extend(reversed(children))


def _object_items(node: s.Node) -> dict[str, s.Node]:
    if not isinstance(node, s.ObjectExpr):
        return {}
    found: dict[str, s.Node] = {}
    for key, member in node.items:
        if isinstance(key, s.Literal) and isinstance(key.value, str):
            found[key.value] = member
        elif isinstance(key, s.Name):
            found[key.name] = member
    return found
