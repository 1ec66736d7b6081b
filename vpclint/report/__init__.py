"""Output formats. Each reporter renders a run's findings as one string."""

from __future__ import annotations

from collections.abc import Callable

from vpclint.report.base import Report
from vpclint.report.github import render_github
from vpclint.report.gitlab import render_gitlab
from vpclint.report.json import render_json
from vpclint.report.junit import render_junit
from vpclint.report.sarif import render_sarif
from vpclint.report.text import render_text

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
