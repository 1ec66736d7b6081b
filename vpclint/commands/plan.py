"""``vpclint plan --prefix /20``: the next free aligned blocks, and how to split one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from vpclint.commands.common import parser, write_output


def command(argv: Sequence[str], stdout: TextIO) -> int:
    """Exit 0 when every block asked for was found, 1 when fewer fit, 2 on a usage error."""
    from vpclint.cli import UsageError, project_request
    from vpclint.pipeline import build_topology
    from vpclint.planning.planner import make_plan, parse_space
    from vpclint.planning.render import render_plan_json, render_plan_text
    from vpclint.subnetting import PlanError, parse_prefix, parse_subnet_spec

    arguments = parser(
        "vpclint plan",
        "Propose free, aligned IPv4 blocks that overlap no network, subnet, reserved range, "
        "external network or imported inventory.",
    )
    arguments.add_argument("--prefix", required=True, help="size of the blocks, e.g. /20")
    arguments.add_argument(
        "--within",
        action="append",
        default=[],
        metavar="CIDR",
        help="search this space (repeatable; default: 10.0.0.0/8, 172.16.0.0/12, "
        "192.168.0.0/16 in that order)",
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
        prefix = parse_prefix(args.prefix)
        within = [parse_space(text) for text in args.within]
        subnets = parse_subnet_spec(args.subnets) if args.subnets else []
        request = project_request(args, show_progress=False)
        topology = build_topology(request)
        plan = make_plan(topology, prefix, within, args.count, subnets)
    except PlanError as error:
        raise UsageError(str(error)) from None
    render = render_plan_json if args.format == "json" else render_plan_text
    write_output(render(plan), args.output_file, stdout)
    return 0 if plan.complete else 1
