"""``vpclint map [PATH ...]``: the address space of a project, as text, JSON or an HTML page."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from vpclint.commands.common import can_draw_boxes, parser, write_output

FORMATS = ("text", "json", "html")


def command(argv: Sequence[str], stdout: TextIO) -> int:
    """Exit 0 once the map is drawn: findings show on the map, they are the lint command's job
    to fail on."""
    from vpclint.check.registry import all_rules
    from vpclint.commands.common import project_request
    from vpclint.config import check_rule_options
    from vpclint.pipeline import run
    from vpclint.planning.addressmap import build_map
    from vpclint.planning.html import render_map_html
    from vpclint.planning.render import render_map_json, render_map_text

    arguments = parser(
        "vpclint map",
        "Draw each network's blocks, subnets, utilisation, free space and conflicts.",
    )
    arguments.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    arguments.add_argument("-o", "--output-file", type=Path, help="write the map to this file")
    arguments.add_argument(
        "--external",
        action="store_true",
        help="also draw external networks and those of imported inventories",
    )
    args = arguments.parse_args(list(argv))
    request = project_request(
        args, show_progress=args.format == "text" and args.output_file is None
    )
    rules = all_rules()
    check_rule_options(request.config, rules, request.config_file)
    result = run(request, rules)
    address_map = build_map(result.topology, result.findings, include_external=args.external)
    if args.format == "json":
        text = render_map_json(address_map)
    elif args.format == "html":
        text = render_map_html(address_map)
    else:
        boxes = args.output_file is None and can_draw_boxes(stdout)
        text = render_map_text(address_map, unicode=boxes)
    write_output(text, args.output_file, stdout)
    return 0
