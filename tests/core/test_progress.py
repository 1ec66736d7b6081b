"""The progress bar: only for long runs, erased at the end, never in machine output."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from vpclint.cli import main
from vpclint.parse.stage import progress_bar


def _clock(times: list[float]) -> Iterator[float]:
    yield from times


def test_a_short_parse_shows_no_bar() -> None:
    stream = io.StringIO()
    ticks = _clock([0.0, 0.1, 0.2, 0.3])
    show = progress_bar(stream, delay=0.5, clock=lambda: next(ticks))
    for done in range(1, 5):
        show(done, 4)
    assert stream.getvalue() == ""


def test_a_long_parse_shows_the_bar_then_erases_it() -> None:
    stream = io.StringIO()
    ticks = _clock([0.0, 0.6, 1.2, 1.8])
    show = progress_bar(stream, delay=0.5, clock=lambda: next(ticks))
    for done in range(1, 5):
        show(done, 4)
    text = stream.getvalue()
    assert "parsing [" in text and "2/4" in text and "3/4" in text
    assert text.endswith("\r")
    assert text.rsplit("\r", 2)[-2].strip() == ""  # the last thing written blanks the line


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("arguments", "shown"),
    [
        ([], True),
        (["--quiet"], False),
        (["--format", "json"], False),
    ],
)
def test_the_bar_is_only_for_people_watching_text_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arguments: list[str], shown: bool
) -> None:
    for index in range(30):
        (tmp_path / f"m{index}.tf").write_text(
            f'resource "aws_vpc" "v{index}" {{\n  cidr_block = "10.{index}.0.0/16"\n}}\n'
        )
    (tmp_path / ".vpclint.toml").write_text("")
    monkeypatch.chdir(tmp_path)
    ticks = iter(range(1000))
    monkeypatch.setattr("vpclint.parse.stage.time", SimpleNamespace(monotonic=lambda: next(ticks)))
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    main(["--no-cache", "--jobs", "1", *arguments, "."], stdout=io.StringIO(), stderr=terminal)
    assert ("parsing [" in terminal.getvalue()) is shown
    piped = io.StringIO()
    monkeypatch.setattr("sys.stderr", piped)
    main(["--no-cache", "--jobs", "1", *arguments, "."], stdout=io.StringIO(), stderr=piped)
    assert "parsing [" not in piped.getvalue()
