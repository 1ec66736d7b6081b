"""Sub-commands beyond linting: ``vpclint map``, ``vpclint plan``, ``vpclint inventory``.

Each module exposes ``command(argv, stdout) -> int``; vpclint.cli dispatches to it. They read a
project with the same options as the lint command (vpclint.cli.add_project_arguments).
"""
