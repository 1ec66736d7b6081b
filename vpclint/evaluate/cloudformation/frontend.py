"""The CloudFormation front end: YAML and JSON templates (SAM and CDK output included)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vpclint.discover.sources import SourceText
from vpclint.discover.suffixes import DOCUMENTS
from vpclint.evaluate.cloudformation.templates import (
    TemplateSummary,
    template_units,
    without_unread_parts,
)
from vpclint.evaluate.contract import EvaluationSettings, ParsedInput, Units, evaluate_parsed
from vpclint.limits import Limits
from vpclint.parse.cloudformation.template import ParsedTemplate, parse_template
from vpclint.topology.models import ParseError, Topology


class CloudFormationFrontEnd:
    name = "cloudformation"

    def claims(self, path: Path) -> bool:
        return path.name.lower().endswith(DOCUMENTS)

    def parse(self, source: SourceText, limits: Limits) -> ParsedTemplate | None:
        """The decoded template, or None when the file is YAML/JSON but no template."""
        try:
            parsed = parse_template(source, limits)
            return without_unread_parts(parsed) if parsed is not None else None
        except (RecursionError, MemoryError) as problem:
            # The loaders bound depth and size themselves; this is the last line of defence so
            # that one hostile file never stops the run.
            return ParsedTemplate(
                display=source.display,
                format="yaml",
                error=ParseError(
                    location=source.location(),
                    message=f"the file is too large or deep to read ({type(problem).__name__})",
                ),
            )

    def summarize(self, parsed: ParsedTemplate) -> TemplateSummary:
        return TemplateSummary.of(parsed)

    def evaluate(self, parsed: Sequence[Any], settings: EvaluationSettings) -> Topology:
        """The part of the topology of parse results in hand (tests, scripts)."""
        templates = [item for item in parsed if isinstance(item, ParsedTemplate)]
        return evaluate_parsed(self, templates, settings)

    def units(self, files: Sequence[ParsedInput], settings: EvaluationSettings) -> Units:
        return template_units(files, settings)
