"""The sub-commands, one module each: ``lint`` (``vpclint [PATH ...]``), ``rules``, ``explain``,
``baseline``, ``map``, ``plan``, ``inventory``, ``which`` and ``cidr``.

Each module exposes ``command(argv, stdout) -> int``; ``vpclint.cli`` imports it on use and
dispatches to it. What they share (the project options, usage errors, the checked run, writing
the output) is in ``common``; no sub-command imports ``vpclint.cli``.
"""
