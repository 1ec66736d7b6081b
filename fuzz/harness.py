"""What every fuzz target shares: one input through the whole pipeline, and the checks on it.

An input is written into a scratch project folder and linted by the same pieces the command line
uses (discovery, the front ends' parse and evaluate, every rule, suppressions, the reporters). A
crash is any exception, a rule that crashed (VPC901), a finding outside the file it names, or a
JSON report that is not valid JSON. libFuzzer's own flags (``-runs``, ``-max_total_time``,
``-timeout``) pass through; ``--keep-going=DIR`` saves each distinct crash there and carries on,
for triage runs.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import pkgutil
import re
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import atheris

with atheris.instrument_imports(include=["vpclint", "hcl2"]):
    import vpclint

    # Every module now, so that the ones the pipeline imports lazily are instrumented too.
    for module in pkgutil.walk_packages(vpclint.__path__, "vpclint."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    from vpclint.api import RuleContext
    from vpclint.check.registry import all_rules
    from vpclint.config import Config
    from vpclint.discover.sources import decode
    from vpclint.pipeline import RunRequest, run
    from vpclint.report import RENDERERS, Report

    RULES = all_rules()

REPOSITORY = Path(__file__).resolve().parent.parent
FIXTURES = REPOSITORY / "fixtures"
SEEDS = Path(__file__).resolve().parent / "seeds"
KNOWN_CODES = frozenset(rule.code for rule in RULES)

# The file a tfvars input is linted with: it declares the variables the input gives values to.
VARIABLES_TF = (SEEDS / "companion" / "variables.tf").read_bytes()


class FuzzFailure(Exception):
    """A property of the linter's output that an input broke."""


def _line_count(data: bytes) -> int:
    """The lines a finding may name: of the text, or of the raw bytes when the file is not text
    (a binary file is reported at its first NUL byte, which may lie on any line)."""
    text, _ = decode(data)
    if text is None:
        raw = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        return raw.count(b"\n") + 1
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.count("\n") + 1


class Project:
    """A scratch folder that holds one input at a time and is linted like a user's project."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="vpclint-fuzz-")).resolve()
        os.chdir(self.root)  # display paths are relative to the working directory

    def lint(self, files: Mapping[str, bytes]) -> None:
        for child in self.root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        for name, data in files.items():
            (self.root / name).write_bytes(data)
        request = RunRequest(
            paths=[self.root], project_root=self.root, config=Config(), environment={}, jobs=1
        )
        result = run(request, RULES)
        crashed = [finding for finding in result.findings if finding.code == "VPC901"]
        if crashed:
            _raise_rule_crash(result.topology, crashed[0].message)
        lines = {name: _line_count(data) for name, data in files.items()}
        for finding in result.findings:
            if finding.code not in KNOWN_CODES:
                raise FuzzFailure(f"unknown code {finding.code}")
            if finding.file in lines and not 1 <= finding.line <= lines[finding.file]:
                raise FuzzFailure(
                    f"{finding.code} at line {finding.line} of {finding.file}, "
                    f"which has {lines[finding.file]} lines: {finding.message}"
                )
        report = Report(
            findings=result.findings,
            rules=RULES,
            files_linted=result.count_files("parsed"),
            files_failed=result.count_files("failed"),
            files_skipped=result.count_files("skipped"),
        )
        json.loads(RENDERERS["json"](report))


def _raise_rule_crash(topology: Any, message: str) -> None:
    """Run the rules again outside the engine so that the crash keeps its traceback."""
    for rule in RULES:
        if rule.check is not None:
            list(rule.run(topology, RuleContext(options=dict(rule.options))))
    raise FuzzFailure(message)


def seed_files(patterns: Iterable[str], extra_folder: str | None = None) -> list[Path]:
    found = [path for pattern in patterns for path in sorted(FIXTURES.rglob(pattern))]
    if extra_folder is not None and (SEEDS / extra_folder).is_dir():
        found += sorted(path for path in (SEEDS / extra_folder).iterdir() if path.is_file())
    return [path for path in found if path.is_file()]


def _split_arguments(argv: list[str]) -> tuple[list[str], Path | None]:
    keep_going: Path | None = None
    passed: list[str] = []
    for argument in argv:
        if argument.startswith("--keep-going="):
            keep_going = Path(argument.split("=", 1)[1]).resolve()
        else:
            passed.append(argument)
    return passed, keep_going


def main(target: str, lint_input: Callable[[Project, bytes], None], seeds: Iterable[Path]) -> None:
    """Seed a corpus folder, then hand over to libFuzzer with the remaining arguments."""
    arguments, keep_going = _split_arguments(sys.argv)
    work = Path(tempfile.gettempdir()) / "vpclint-fuzz" / target
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        data = seed.read_bytes()
        (corpus / hashlib.sha1(data).hexdigest()).write_bytes(data)
    flags = [argument for argument in arguments[1:] if argument.startswith("-")]
    folders = [argument for argument in arguments[1:] if not argument.startswith("-")]
    if not any(flag.startswith("-artifact_prefix=") for flag in flags):
        flags.append(f"-artifact_prefix={work}/crash-")
    if not any(flag.startswith("-timeout=") for flag in flags):
        flags.append("-timeout=30")  # a hang is a crash: no input may take this long
    project = Project()
    lint_input(project, b"")  # builds the HCL grammar once, outside the per-input timeout
    seen: set[str] = set()

    def one_input(data: bytes) -> None:
        if keep_going is None:
            lint_input(project, data)
            return
        try:
            lint_input(project, data)
        except Exception as error:
            frames = traceback.extract_tb(error.__traceback__)
            where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
            signature = f"{type(error).__name__} at {where}"
            if isinstance(error, FuzzFailure):  # one per kind of broken property
                signature = "FuzzFailure " + re.sub(r"\d+", "N", str(error).split(":")[0])
            if signature in seen:
                return
            seen.add(signature)
            keep_going.mkdir(parents=True, exist_ok=True)
            name = hashlib.sha1(data).hexdigest()[:12]
            (keep_going / f"{target}-{name}.input").write_bytes(data)
            (keep_going / f"{target}-{name}.txt").write_text(
                signature + "\n\n" + "".join(traceback.format_exception(error))
            )
            print(f"\n=== new crash: {signature} -> {name}", file=sys.stderr, flush=True)

    atheris.Setup([arguments[0], *flags, str(corpus), *folders], one_input)
    atheris.Fuzz()
