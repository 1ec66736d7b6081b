"""``vpclint which CIDR|IP [PATH ...]``: who holds 10.20.3.7? Every network, subnet and claim
(a cluster's service range) of the project and of the loaded inventories that contains the block
or lies within it."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from vpclint import __version__

if TYPE_CHECKING:
    from vpclint.planning.owners import Holder, Owners

UNRESOLVED_LISTED = 10
_RELATION_WORDS = {"equal": "is it", "contains": "holds it", "within": "lies within it"}


def command(argv: Sequence[str], stdout: TextIO) -> int:
    """Exit 0 when a known block holds or overlaps the query, 1 when none does, 2 on bad input."""
    from vpclint.commands.common import (
        ArgumentParser,
        UsageError,
        add_project_arguments,
        project_request,
        write_output,
    )
    from vpclint.planning.calculator import CidrInputError, parse_written

    arguments = ArgumentParser(
        prog="vpclint which",
        description="List every network, subnet and claimed range (in scope, external, from "
        "inventories) that "
        "contains the block or address, or lies within it, with file:line and root.",
    )
    arguments.add_argument("query", metavar="CIDR|IP", help="e.g. 10.20.3.7 or 10.20.0.0/16")
    add_project_arguments(arguments)
    arguments.add_argument("--format", choices=("text", "json"), default="text")
    arguments.add_argument("-o", "--output-file", type=Path, help="write the answer to this file")
    arguments.add_argument(
        "--debug", action="store_true", help="show tracebacks of internal errors"
    )
    args = arguments.parse_intermixed_args(list(argv))
    try:
        written = parse_written(args.query)
    except CidrInputError as error:
        raise UsageError(str(error)) from None

    from vpclint.pipeline import build_topology
    from vpclint.planning.owners import find_owners

    topology = build_topology(project_request(args, show_progress=False))
    owners = find_owners(topology, written.block)
    label = written.text if written.is_address else str(written.block)
    render = _render_json if args.format == "json" else _render_text
    write_output(render(owners, label), args.output_file, stdout)
    return 0 if owners.holders else 1


def _holder_dict(holder: Holder) -> dict[str, Any]:
    return {
        "relation": holder.relation,
        "cidr": holder.cidr,
        "kind": holder.kind,
        "resource": holder.resource,
        "type": holder.resource_type,
        "provider": holder.provider,
        "origin": holder.origin,
        "file": holder.file,
        "line": holder.line,
        "root": holder.root,
        "external": holder.external,
    }


def _render_json(owners: Owners, label: str) -> str:
    document = {
        "version": "1",
        "tool": {"name": "vpclint", "version": __version__},
        "query": {"input": label, "cidr": str(owners.query)},
        "holders": [_holder_dict(holder) for holder in owners.holders],
        "unresolved": [
            {
                "kind": item.kind,
                "resource": item.resource,
                "file": item.file,
                "line": item.line,
                "root": item.root,
                "reason": item.reason,
            }
            for item in owners.unresolved
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def _render_text(owners: Owners, label: str) -> str:
    count = len(owners.holders)
    if count:
        lines = [f"{label}: {count} block{'s' if count != 1 else ''} in scope"]
    else:
        lines = [f"{label}: no known network, subnet or claim holds or overlaps it"]
    for holder in owners.holders:
        external = ", external" if holder.external else ""
        lines.append(
            f"  {holder.file}:{holder.line}: {holder.cidr} {_RELATION_WORDS[holder.relation]}: "
            f"{holder.kind} {holder.resource} ({holder.origin}{external}), root {holder.root}"
        )
    if owners.unresolved:
        many = len(owners.unresolved) != 1
        lines.append(
            f"Note: {len(owners.unresolved)} IPv{owners.query.version} "
            f"block{'s are' if many else ' is'} unresolved and may hold it too:"
        )
        for item in owners.unresolved[:UNRESOLVED_LISTED]:
            text = f"{item.file}:{item.line}: {item.kind} {item.resource}: {item.reason}"
            lines += textwrap.wrap(text, 96, initial_indent="  - ", subsequent_indent="    ")
        hidden = len(owners.unresolved) - UNRESOLVED_LISTED
        if hidden > 0:
            lines.append(f"  and {hidden:,} more (--format json lists them all)")
    return "\n".join(lines) + "\n"
