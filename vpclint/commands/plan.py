"""``vpclint plan --prefix /20``: the next free aligned blocks, and how to split one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from vpclint.commands.common import parser, write_output


def command(argv: Sequence[str], stdout: TextIO) -> int:
    """Exit 0 when every block asked for was found, 1 when fewer fit, 2 on a usage error."""
    from vpclint.commands.common import UsageError, project_request
    from vpclint.pipeline import build_topology
    from vpclint.planning.planner import make_plan, parse_space, plan_version
    from vpclint.planning.render import render_plan_json, render_plan_text
    from vpclint.planning.subnetting import PlanError, parse_subnet_spec

    arguments = parser(
        "vpclint plan",
        "Propose free, aligned IPv4 or IPv6 blocks that overlap no network, subnet, reserved "
        "range, external network or imported inventory.",
    )
    arguments.add_argument("--prefix", required=True, help="size of the blocks, e.g. /20 or /64")
    arguments.add_argument(
        "--within",
        action="append",
        default=[],
        metavar="CIDR",
        help="search this space (repeatable, one IP version; default: 10.0.0.0/8, "
        "172.16.0.0/12, 192.168.0.0/16 in that order; an IPv6 plan names its space: a VPC's "
        "/56, a ULA /48, a BYOIP pool)",
    )
    arguments.add_argument("--count", type=int, default=1, help="how many blocks (default: 1)")
    arguments.add_argument(
        "--subnets", metavar="SPEC", help="split each block, largest first, e.g. 4x/22,2x/24"
    )
    arguments.add_argument("--format", choices=("text", "json"), default="text")
    arguments.add_argument("-o", "--output-file", type=Path, help="write the answer to this file")
    args = arguments.parse_args(list(argv))
    if not 1 <= args.count <= 4096:
        raise UsageError("--count must be between 1 and 4096")
    try:
        within = [parse_space(text) for text in args.within]
        version = plan_version(within)
        prefix = _prefix(args.prefix, version, searched=bool(within))
        subnets = parse_subnet_spec(args.subnets, version) if args.subnets else []
        request = project_request(args, show_progress=False)
        topology = build_topology(request)
        plan = make_plan(topology, prefix, within, args.count, subnets)
    except PlanError as error:
        raise UsageError(str(error)) from None
    render = render_plan_json if args.format == "json" else render_plan_text
    write_output(render(plan), args.output_file, stdout)
    return 0 if plan.complete else 1


def _prefix(text: str, version: int, searched: bool) -> int:
    """The prefix length for a plan of that IP version, with a hint when an IPv6 prefix is asked
    for without an IPv6 space to search (there is no default one, as there is RFC 1918)."""
    from vpclint.planning.subnetting import PlanError, parse_prefix

    try:
        return parse_prefix(text, version)
    except PlanError as error:
        if version == 4 and not searched and _is_prefix(text, 6):
            raise PlanError(
                f"{error}; an IPv6 plan needs --within (a VPC's /56, a ULA /48, a BYOIP pool)"
            ) from None
        raise


def _is_prefix(text: str, version: int) -> bool:
    from vpclint.planning.subnetting import PlanError, parse_prefix

    try:
        parse_prefix(text, version)
    except PlanError:
        return False
    return True
