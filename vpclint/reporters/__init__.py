"""Output formats. Each reporter renders a run's findings as one string."""

from __future__ import annotations

from collections.abc import Callable

from vpclint.reporters.base import Report
from vpclint.reporters.github import render_github
from vpclint.reporters.gitlab import render_gitlab
from vpclint.reporters.json import render_json
from vpclint.reporters.junit import render_junit
from vpclint.reporters.sarif import render_sarif
from vpclint.reporters.text import render_text

Renderer = Callable[[Report], str]

RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
    "gitlab": render_gitlab,
    "junit": render_junit,
}

__all__ = ["RENDERERS", "Renderer", "Report"]
