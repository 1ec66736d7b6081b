"""Why a template could not be loaded, with the place it happened."""

from __future__ import annotations

from typing import Literal

LoadProblem = Literal["syntax", "limit", "unsafe", "multiple-documents"]


class LoadError(Exception):
    """A template that cannot be decoded; ``problem`` tells a broken file from a hostile one."""

    def __init__(
        self, message: str, line: int = 1, column: int = 1, problem: LoadProblem = "syntax"
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.problem = problem
