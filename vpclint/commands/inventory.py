"""``vpclint inventory [PATH ...] -o inventory.json``: publish the repository's networks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from vpclint.commands.common import parser, write_output


def command(argv: Sequence[str], stdout: TextIO) -> int:
    from vpclint.commands.common import project_request
    from vpclint.pipeline import build_topology
    from vpclint.planning.inventory import build_inventory, render_inventory, repository_name

    arguments = parser(
        "vpclint inventory",
        "Write every network of the repository (blocks, provider, address, file) as a versioned "
        "JSON inventory that other repositories load with --inventory.",
    )
    arguments.add_argument(
        "-o", "--output-file", type=Path, help="write the inventory to this file"
    )
    arguments.add_argument(
        "--repository",
        help="name the repository (default: owner/name of the git remote origin, else the "
        "project folder's name)",
    )
    args = arguments.parse_args(list(argv))
    request = project_request(args, show_progress=False)
    topology = build_topology(request)
    repository = args.repository or repository_name(request.project_root)
    inventory = build_inventory(topology, repository, request.project_root)
    write_output(render_inventory(inventory), args.output_file, stdout)
    return 0
