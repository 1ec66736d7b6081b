"""vpclint against its peers on the same synthetic repository, in one session.

    python benchmarks/run.py [--scale 1,5] [--runs 3] [--peer-runs 1] [--out FILE]

Generates the workload with ``../shared/bench/gen_corpus.py`` at each scale (1x = 500 Terraform
modules + 500 CloudFormation templates), times vpclint's scenarios (cold, warm, one file
changed, one staged file, --version, empty folder), checkov, cfn-lint and a bare python-hcl2
parse on the same files, checks that vpclint's findings are complete and identical however it
runs, and writes a markdown table. See benchmarks/README.md.

Exit status: 0 all correctness checks passed (or the workload generator is absent), 1 a check
failed, 2 the harness could not run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import workload
from workload import BENCHMARKS, DEFAULT_WORK, PROJECT_ROOT, Workload

DEFAULT_TOOLS = BENCHMARKS / ".tools"
DEFAULT_OUT = BENCHMARKS / "results" / "latest.md"
HCL2_FLOOR = BENCHMARKS / "hcl2_floor.py"
# Each peer lives in its own virtualenv: checkov pins a fork of python-hcl2 (bc-python-hcl2)
# that installs the same ``hcl2`` module as vpclint's python-hcl2.
PEER_PACKAGES = {"checkov": "checkov", "cfn-lint": "cfn-lint"}
# Exit codes that mean "ran and reported" rather than "crashed".
VPCLINT_OK = {0, 1}
CHECKOV_OK = {0, 1}
CFN_LINT_OK = {0, 2, 4, 6, 8, 10, 12, 14}
TIMEOUT_SECONDS = 3600
COPIES = 10_000  # instances of each of the two VPCs of the overlap-reporting row


# --------------------------------------------------------------------------------------------
# Measuring one child process
# --------------------------------------------------------------------------------------------


@dataclass
class Sample:
    """One run of one command: wall and CPU seconds, the largest process's peak RSS."""

    wall: float
    cpu: float
    max_rss_mb: float
    returncode: int
    stdout: str = field(repr=False)
    stderr: str = field(repr=False)
    timed_out: bool = False


# Linux records the peak RSS of the process image a child replaces at exec, so a child spawned by
# this harness (which grows as it keeps every run's output) would inherit the harness's size as
# its ru_maxrss. Each command is therefore spawned by this small launcher (python -S, ~10 MB),
# which reports the command's own rusage from wait4.
_LAUNCHER = """
import json, os, sys, time
result, command = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
try:
    pid = os.posix_spawnp(command[0], command, os.environ)
except OSError as error:
    sys.stderr.write(f"cannot start {command[0]}: {error}\\n")
    sys.exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
with open(result, "w") as handle:
    json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
               "max_rss_kb": usage.ru_maxrss, "returncode": os.waitstatus_to_exitcode(status)},
              handle)
"""


def measure(
    command: Sequence[str], cwd: Path, env: dict[str, str], timeout: float = TIMEOUT_SECONDS
) -> Sample:
    """Run ``command`` and read its resource usage from ``wait4`` (through the launcher).

    wait4's rusage covers the child and every descendant it reaped (vpclint's worker processes),
    so CPU is the whole tree's user+sys; ru_maxrss is the peak of the largest single process.
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        result = Path(scratch) / "rusage.json"
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-S", "-c", _LAUNCHER, str(result), *command],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,  # a timeout kills the whole process group
        )
        expired = threading.Event()
        timer = threading.Timer(timeout, _kill_group, (process.pid, expired))
        timer.start()
        try:
            launcher_code = process.wait()
        finally:
            timer.cancel()
        outer_wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        try:
            usage = json.loads(result.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # killed on timeout, or the command did not start
            usage = {"wall": outer_wall, "cpu": 0.0, "max_rss_kb": 0, "returncode": launcher_code}
        return Sample(
            wall=float(usage["wall"]),
            cpu=float(usage["cpu"]),
            max_rss_mb=int(usage["max_rss_kb"]) / 1024,  # KiB on Linux
            returncode=int(usage["returncode"]),
            stdout=stdout,
            stderr=stderr,
            timed_out=expired.is_set(),
        )


def _kill_group(pid: int, expired: threading.Event) -> None:
    expired.set()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


@dataclass
class Measurement:
    """All runs of one scenario at one scale; the table shows medians."""

    key: str
    scale: int
    samples: list[Sample]
    ok_codes: set[int] | None
    peer: bool = False

    @property
    def wall(self) -> float:
        return statistics.median(sample.wall for sample in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(sample.cpu for sample in self.samples)

    @property
    def rss(self) -> float:
        return statistics.median(sample.max_rss_mb for sample in self.samples)

    @property
    def timed_out(self) -> bool:
        return any(sample.timed_out for sample in self.samples)

    @property
    def crashed(self) -> list[Sample]:
        if self.ok_codes is None:
            return []
        return [sample for sample in self.samples if sample.returncode not in self.ok_codes]


# --------------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------------


@dataclass
class Scenario:
    key: str
    label: str
    command: list[str]
    cwd: Path
    runs: int
    ok_codes: set[int] | None = None
    before_each: Callable[[int], None] | None = None
    # Called once, then one untimed run: the cache then holds exactly the files as they are
    # when the first timed run's edit is made (not whatever the scenario before left).
    settle: Callable[[], None] | None = None
    peer: bool = False
    timeout: float = TIMEOUT_SECONDS


def vpclint_command() -> list[str]:
    """vpclint from the environment running this script (its console script, else -m)."""
    script = Path(sys.executable).parent / "vpclint"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "vpclint"]


def peer_executable(tools: Path, name: str) -> Path:
    return tools / name / "bin" / name


def ensure_peer(tools: Path, name: str) -> Path | None:
    """The peer's executable, installing it into its own virtualenv the first time."""
    executable = peer_executable(tools, name)
    if executable.is_file():
        return executable
    venv = tools / name
    log = tools / f"{name}-install.log"
    print(f"installing {PEER_PACKAGES[name]} into {venv} (once; takes minutes) ...", flush=True)
    tools.mkdir(parents=True, exist_ok=True)
    with log.open("w") as handle:
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", PEER_PACKAGES[name]],
        ]
        for step in steps:
            if subprocess.run(step, stdout=handle, stderr=handle, check=False).returncode != 0:
                print(f"  could not install {name}; see {log}", flush=True)
                return None
    return executable if executable.is_file() else None


class ChangedFile:
    """One .tf file whose content changes before every run (an appended comment)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.original = path.read_bytes()

    def change(self, run: int) -> None:
        self.path.write_bytes(self.original + f"\n# benchmark edit {run}\n".encode())

    def restore(self) -> None:
        self.path.write_bytes(self.original)


class CidrEdit(ChangedFile):
    """A real edit to the address plan: one subnet of a module moves to a free index and back
    on alternate runs, so every run's topology differs from the last run's and the rules run
    (a comment-only edit leaves the topology as it was, and the last findings are reused)."""

    ORIGINAL = b"index = 60"
    EDITED = b"index = 62"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        if self.ORIGINAL not in self.original:
            raise workload.WorkloadError(f"{path} has no `{self.ORIGINAL.decode()}` to edit")

    def change(self, run: int) -> None:
        edited = self.original.replace(self.ORIGINAL, self.EDITED, 1)
        self.path.write_bytes(edited if run % 2 == 0 else self.original)


def write_copies(folder: Path) -> None:
    """Two ``count = 10000`` VPCs with one CIDR: 20,000 networks that all overlap each other,
    200 million pairs of which max-partners lets about 220,000 findings through."""
    resources = "".join(
        f'resource "aws_vpc" "{name}" {{\n  count      = {COPIES}\n'
        '  cidr_block = "10.0.0.0/16"\n}\n\n'
        for name in ("first", "second")
    )
    (folder / ".vpclint.toml").write_text("", encoding="utf-8")
    (folder / "main.tf").write_text(resources, encoding="utf-8")


def copies_check(prefix: str, findings: list[dict[str, Any]]) -> Check:
    """Every copy overlaps every copy before it: max-partners findings each, then a summary."""
    networks = 2 * COPIES
    cap = 10  # VPC204's default max-partners
    expected = sum(min(earlier, cap) + (earlier > cap) for earlier in range(networks))
    found = sum(1 for finding in findings if finding.get("code") == "VPC204")
    return Check(
        f"{prefix} two count = {COPIES:,} VPCs: every overlap reported, capped",
        found == expected,
        f"{found:,} VPC204 findings, {expected:,} expected",
    )


def vpclint_scenarios(
    work: Workload,
    empty: Path,
    copies: Path,
    runs: int,
    changed: ChangedFile,
    staged_file: ChangedFile,
    cidr_edit: CidrEdit,
    staged_cidr_edit: CidrEdit,
) -> list[Scenario]:
    vpclint = vpclint_command()
    root = work.root
    cache = root / ".vpclint_cache"
    staged = _staged_file(work)

    def clear_cache(_: int) -> None:
        shutil.rmtree(cache, ignore_errors=True)

    edits = (changed, staged_file, cidr_edit, staged_cidr_edit)

    def restore_all() -> None:
        for edited in edits:
            edited.restore()

    def lint(
        key: str, label: str, arguments: list[str], before_each: Callable[[int], None] | None = None
    ) -> Scenario:
        command = [*vpclint, "--format", "json", *arguments]
        # An edit scenario measures runs after one edit each: settled on the unedited files.
        settle = restore_all if before_each is not None and key != "fill" else None
        return Scenario(key, label, command, root, runs, VPCLINT_OK, before_each, settle)

    return [
        Scenario("python", "python -c pass (interpreter start-up, for reference)",
                 [sys.executable, "-c", "pass"], root, runs, {0}),
        Scenario("version", "vpclint --version", [*vpclint, "--version"], root, runs, {0}),
        Scenario("empty", "vpclint on an empty folder", [*vpclint, "--format", "json", "."],
                 empty, runs, VPCLINT_OK),
        lint("cold_jobs1", "vpclint cold, --jobs 1", ["--no-cache", "--jobs", "1", "."]),
        lint("cold", "vpclint cold, default jobs", ["--no-cache", "."]),
        lint("cold_tf", "vpclint cold, default jobs, Terraform half", ["--no-cache", "terraform"]),
        lint("cold_cfn", "vpclint cold, default jobs, CloudFormation half",
             ["--no-cache", "cloudformation"]),
        lint("fill", "vpclint first run, filling the cache", ["."], clear_cache),
        lint("warm", "vpclint warm, nothing changed", ["."]),
        lint("warm_changed", "vpclint warm, one .tf file changed", ["."], changed.change),
        lint("warm_cidr", "vpclint warm, one subnet's CIDR changed (the rules run)", ["."],
             cidr_edit.change),
        lint("staged", "vpclint on one staged, just-edited file, warm (pre-commit)",
             [str(staged.relative_to(root))], staged_file.change),
        lint("staged_cidr", "vpclint on one staged file whose subnet's CIDR changed, warm "
             "(pre-commit; the rules run)",
             [str(staged.relative_to(root))], staged_cidr_edit.change),
        Scenario("copies", f"vpclint cold on two count = {COPIES:,} VPCs with one CIDR "
                 "(overlap reporting)", [*vpclint, "--format", "json", "--no-cache", "."],
                 copies, runs, VPCLINT_OK),
    ]  # fmt: skip


def _staged_file(work: Workload) -> Path:
    """A file of the first module with a deliberate overlap: what a pre-commit run would see."""
    modules = sorted(unit for side, unit in work.expected_overlaps if side == "terraform")
    module = modules[0] if modules else "mod_0000"
    return work.terraform / module / "network.tf"


def peer_scenarios(
    work: Workload, tools: Path, runs: int, available: dict[str, Path | None], timeout: float
) -> list[Scenario]:
    root = work.root
    scenarios = [
        Scenario("hcl2_floor", "bare python-hcl2 parse, Terraform half (1 process)",
                 [sys.executable, str(HCL2_FLOOR), "terraform"], root, runs, {0},
                 peer=True, timeout=timeout),
    ]  # fmt: skip
    checkov = available.get("checkov")
    if checkov is not None:
        for framework, half, label in (
            ("terraform", "terraform", "checkov, Terraform half"),
            ("cloudformation", "cloudformation", "checkov, CloudFormation half"),
        ):
            scenarios.append(
                Scenario(
                    f"checkov_{framework}",
                    label,
                    [str(checkov), "-d", half, "--framework", framework, "--skip-download",
                     "--quiet", "--compact"],
                    root,
                    runs,
                    CHECKOV_OK,
                    peer=True,
                    timeout=timeout,
                )
            )  # fmt: skip
    cfn_lint = available.get("cfn-lint")
    if cfn_lint is not None:
        templates = [str(path.relative_to(root)) for path in work.cloudformation_sources()]
        scenarios.append(
            Scenario("cfn_lint", "cfn-lint, CloudFormation half",
                     [str(cfn_lint), "--format", "parseable", "--", *templates],
                     root, runs, CFN_LINT_OK, peer=True, timeout=timeout)
        )  # fmt: skip
    return scenarios


def child_environment() -> dict[str, str]:
    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    env.pop("FORCE_COLOR", None)
    # checkov: no version check against PyPI and no platform mapping download during the run;
    # the timing is about analysing files, not about network latency.
    env["CKV_SKIP_PACKAGE_UPDATE_CHECK"] = "true"
    env["BC_SKIP_MAPPING"] = "TRUE"
    return env


def compile_vpclint() -> None:
    """Byte-compile vpclint's modules, as pip does when it installs vpclint from a wheel (and
    did for the peers). An editable install under PYTHONDONTWRITEBYTECODE, which containers
    often set, would otherwise compile every module on every run: 0.2 s more for each."""
    code = (
        "import compileall, importlib.util\n"
        "for name in ('vpclint', 'vpclint.rules'):\n"
        "    spec = importlib.util.find_spec(name)\n"
        "    for folder in spec.submodule_search_locations or ():\n"
        "        compileall.compile_dir(folder, quiet=1)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def run_scenario(scenario: Scenario, scale: int, env: dict[str, str]) -> Measurement:
    samples: list[Sample] = []
    if scenario.settle is not None:
        scenario.settle()
        measure(scenario.command, scenario.cwd, env, scenario.timeout)
    for run in range(scenario.runs):
        if scenario.before_each is not None:
            scenario.before_each(run)
        samples.append(measure(scenario.command, scenario.cwd, env, scenario.timeout))
    measurement = Measurement(scenario.key, scale, samples, scenario.ok_codes, scenario.peer)
    note = " TIMED OUT" if measurement.timed_out else " CRASHED" if measurement.crashed else ""
    print(
        f"  {scale}x {scenario.label:<52} wall {measurement.wall:8.2f} s  "
        f"cpu {measurement.cpu:8.2f} s  rss {measurement.rss:7.1f} MB{note}",
        flush=True,
    )
    return measurement


# --------------------------------------------------------------------------------------------
# Correctness
# --------------------------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    passed: bool
    detail: str
    blocking: bool = True  # a peer that crashed is worth a warning, not a failed run

    @property
    def verdict(self) -> str:
        return "PASS" if self.passed else "FAIL" if self.blocking else "WARN"


def vpclint_document(sample: Sample) -> dict[str, Any] | None:
    try:
        document = json.loads(sample.stdout)
    except json.JSONDecodeError:
        return None
    return document if isinstance(document, dict) else None


def findings_of(sample: Sample) -> list[dict[str, Any]] | None:
    document = vpclint_document(sample)
    findings = document.get("findings") if document is not None else None
    return findings if isinstance(findings, list) else None


_CHECKOV_TOTALS = re.compile(r"Passed checks: (\d+), Failed checks: (\d+)")
_CFN_LINT_FINDING = re.compile(r"^[^\n]*:\d+:\d+:\d+:\d+:[EWI]\d+:", re.MULTILINE)


def work_done(key: str, sample: Sample) -> str:
    """What a run reported doing, so a fast run that skipped the work shows up as such."""
    if key.startswith("checkov"):
        totals = [tuple(map(int, match)) for match in _CHECKOV_TOTALS.findall(sample.stdout)]
        passed = sum(item[0] for item in totals)
        failed = sum(item[1] for item in totals)
        return f"{passed:,} checks passed, {failed:,} failed"
    if key == "cfn_lint":
        return f"{len(_CFN_LINT_FINDING.findall(sample.stdout)):,} findings"
    if key == "hcl2_floor":
        return sample.stdout.strip() or sample.stderr.strip()[-200:]
    document = vpclint_document(sample)
    if document is None:
        return "no JSON output"
    summary = document.get("summary", {})
    files = summary.get("files", {})
    codes = Counter(str(finding.get("code")) for finding in document.get("findings", []))
    by_code = ", ".join(f"{code} x{count}" for code, count in sorted(codes.items()))
    return (
        f"{files.get('linted', '?')} files linted, {files.get('failed', '?')} failed, "
        f"{files.get('skipped', '?')} skipped; {summary.get('findings', '?')} findings"
        + (f" ({by_code})" if by_code else "")
    )


def check_scale(work: Workload, results: dict[str, Measurement]) -> list[Check]:
    checks: list[Check] = []
    prefix = f"{work.scale}x"
    for measurement in results.values():
        for sample in measurement.crashed:
            what = (
                "timed out"
                if sample.timed_out
                else f"exit {sample.returncode}: {sample.stderr.strip()[-300:]}"
            )
            checks.append(
                Check(f"{prefix} {measurement.key} ran", False, what, not measurement.peer)
            )
    cold = results.get("cold")
    if cold is None:
        return checks
    reference = findings_of(cold.samples[0])
    if reference is None:
        checks.append(Check(f"{prefix} JSON output", False, "vpclint printed no JSON findings"))
        return checks
    checks.append(overlap_check(prefix, work, reference))
    document = vpclint_document(cold.samples[0]) or {}
    files = document.get("summary", {}).get("files", {})
    failed, linted = files.get("failed"), files.get("linted")
    checks.append(
        Check(
            f"{prefix} the workload is linted and every file parses",
            failed == 0 and isinstance(linted, int) and linted > 0,
            f"{linted} files linted, {failed} failed to parse"
            + "".join(
                f"; {finding.get('file')}: {finding.get('message')}"
                for finding in reference
                if finding.get("code") == "VPC001"
            )[:300],
        )
    )
    for key, label in (
        ("cold_jobs1", "--jobs 1 vs default jobs"),
        ("warm", "warm cache vs cold"),
        ("warm_changed", "one file changed (comment only) vs cold"),
    ):
        other = results.get(key)
        if other is None:
            continue
        mismatched = [
            run for run, sample in enumerate(other.samples) if findings_of(sample) != reference
        ]
        checks.append(
            Check(
                f"{prefix} same findings, {label}",
                not mismatched,
                f"{len(reference)} findings in every run"
                if not mismatched
                else f"runs {mismatched} differ from the cold default-jobs run",
            )
        )
    staged = results.get("staged")
    if staged is not None:
        checks.append(staged_check(prefix, work, reference, staged))
    copies = results.get("copies")
    copied = findings_of(copies.samples[0]) if copies is not None else None
    if copied is not None:
        checks.append(copies_check(prefix, copied))
    return checks


def staged_check(
    prefix: str, work: Workload, reference: list[dict[str, Any]], staged: Measurement
) -> Check:
    """A run on one file reports what the whole-project run reports about that file.

    pre-commit passes only the staged files; the findings that involve them (as the reported
    place or a related one) must not depend on whether the rest of the project was named.
    """
    name = str(_staged_file(work).relative_to(work.root))

    def involves(finding: dict[str, Any]) -> bool:
        places = [finding.get("file"), *(r.get("file") for r in finding.get("related", []))]
        return name in places

    expected = [finding for finding in reference if involves(finding)]
    mismatched = [
        run for run, sample in enumerate(staged.samples) if findings_of(sample) != expected
    ]
    return Check(
        f"{prefix} one staged file: the whole-project findings about it",
        not mismatched and bool(expected),
        f"{len(expected)} findings involve {name}"
        + (f"; runs {mismatched} report otherwise" if mismatched else ""),
    )


def overlap_check(prefix: str, work: Workload, findings: list[dict[str, Any]]) -> Check:
    found: set[tuple[str, str]] = set()
    invalid_reported: set[tuple[str, str]] = set()
    elsewhere: list[str] = []
    for finding in findings:
        if finding.get("suppressed"):
            continue
        unit = workload.unit_of(str(finding.get("file", "")))
        if finding.get("code") == "VPC002" and unit in work.invalid_overlaps:
            invalid_reported.add(unit)
        if finding.get("code") != "VPC203":
            continue
        if unit in work.expected_overlaps:
            found.add(unit)
        else:
            elsewhere.append(f"{finding.get('file')}:{finding.get('line')}")
    missing = sorted(work.expected_overlaps - found)
    total = len(work.expected_overlaps)
    detail = f"{len(found)}/{total} deliberate peered overlaps reported as VPC203"
    if missing:
        shown = ", ".join(f"{side}/{unit}" for side, unit in missing[:6])
        detail += f"; missing {len(missing)}: {shown}{' ...' if len(missing) > 6 else ''}"
    if elsewhere:
        detail += f"; {len(elsewhere)} VPC203 outside them: {', '.join(elsewhere[:4])}"
    unreported = work.invalid_overlaps - invalid_reported
    if work.invalid_overlaps:
        detail += (
            f"; {len(invalid_reported)}/{len(work.invalid_overlaps)} overlaps of invalid CIDRs "
            "reported as VPC002 instead"
        )
    passed = not missing and not elsewhere and not unreported
    return Check(f"{prefix} {OVERLAP_CHECK}", passed, detail)


# --------------------------------------------------------------------------------------------
# Machine and versions
# --------------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0
    return {
        "cpu": cpu,
        "cores": str(cores),
        "memory": memory,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "load_start": _load(),
        "load_end": "?",
    }


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "0"


def _first_line(command: Sequence[str], cwd: Path = PROJECT_ROOT) -> str:
    try:
        completed = subprocess.run(
            list(command), cwd=cwd, capture_output=True, text=True, timeout=300, check=False
        )
    except OSError:
        return "?"
    lines = (completed.stdout or completed.stderr).strip().splitlines()
    return lines[0].strip() if lines else "?"


def versions(available: dict[str, Path | None]) -> dict[str, str]:
    found = {
        "vpclint": _first_line([*vpclint_command(), "--version"]),
        "vpclint commit": _first_line(["git", "rev-parse", "--short", "HEAD"]),
        "python-hcl2": _first_line(
            [
                sys.executable,
                "-c",
                "from importlib.metadata import version; print(version('python-hcl2'))",
            ]
        ),
    }
    for name, executable in available.items():
        if executable is not None:
            found[name] = _first_line([str(executable), "--version"])
    # "cfn-lint 1.58.0" and "3.3.30" alike become "cfn-lint 1.58.0", "checkov 3.3.30".
    return {name: value.removeprefix(name).strip() for name, value in found.items()}


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------

ROW_ORDER = [
    "python",
    "version",
    "empty",
    "cold_jobs1",
    "cold",
    "cold_tf",
    "cold_cfn",
    "fill",
    "warm",
    "warm_changed",
    "warm_cidr",
    "staged",
    "staged_cidr",
    "copies",
    "hcl2_floor",
    "checkov_terraform",
    "checkov_cloudformation",
    "cfn_lint",
]
WORK_ROWS = [
    "cold",
    "cold_tf",
    "cold_cfn",
    "staged",
    "staged_cidr",
    "copies",
    "hcl2_floor",
    "checkov_terraform",
    "checkov_cloudformation",
    "cfn_lint",
]
RATIOS = [
    ("checkov / vpclint, Terraform half", "checkov_terraform", "cold_tf", 10.0),
    ("checkov / vpclint, CloudFormation half", "checkov_cloudformation", "cold_cfn", None),
    ("cfn-lint / vpclint, CloudFormation half", "cfn_lint", "cold_cfn", 10.0),
    ("bare python-hcl2 parse / vpclint, Terraform half", "hcl2_floor", "cold_tf", None),
]
TIME_TARGETS = [
    ("warm, nothing changed", "warm", 1.0),
    ("warm, one file changed", "warm_changed", 1.5),
    ("one staged, just-edited file, warm", "staged", 1.0),
    ("two count = 10,000 VPCs with one CIDR", "copies", 10.0),
]
GROWTH_TARGET = 5.5
OVERLAP_CHECK = "all peered overlaps found"
BUSY_LOAD = 0.5
MEMORY_TARGET_MB = 500.0


def _seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def _ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.1f}x" if denominator > 0 else "n/a"


def render(
    scales: list[int],
    workloads: dict[int, Workload],
    results: dict[int, dict[str, Measurement]],
    labels: dict[str, str],
    checks: list[Check],
    info: dict[str, str],
    tool_versions: dict[str, str],
    runs: int,
    peer_runs: int,
    command: str,
) -> str:
    lines: list[str] = []
    add = lines.append
    add("## Benchmark: vpclint and its peers on the same files")
    add("")
    add(
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} RAM, "
        f"Python {info['python']}, {info['os']}. Load average (1 min) at start "
        f"{info['load_start']}, at end {info['load_end']}."
    )
    add("Versions: " + ", ".join(f"{name} {value}" for name, value in tool_versions.items()) + ".")
    if max(float(info["load_start"]), float(info["load_end"])) > BUSY_LOAD:
        add("")
        add(
            "> **Other processes were busy during this session**: wall times (and to a lesser "
            "degree CPU times) are inflated; compare ratios from the same session only."
        )
    add("")
    for scale in scales:
        work = workloads[scale]
        add(
            f"- Workload {scale}x: {work.modules:,} Terraform modules ({work.terraform_files:,} "
            f".tf files, {work.terraform_bytes / 1e6:.1f} MB) and {work.templates:,} "
            f"CloudFormation templates ({work.cloudformation_bytes / 1e6:.1f} MB), "
            f"{len(work.expected_overlaps) + len(work.invalid_overlaps)} deliberate peered "
            "overlaps." + workload_caveat(work)
        )
    add("")
    add(
        f"Median of {runs} runs for vpclint, {peer_runs} for the peers and the python-hcl2 floor. "
        "CPU = user+sys of the process and its workers; memory = peak RSS of the largest "
        "process."
    )
    add("")
    header = ["Scenario"]
    for scale in scales:
        header += [f"{scale}x wall", f"{scale}x CPU", f"{scale}x peak RSS"]
    grow = len(scales) > 1
    if grow:
        growth = f"{scales[-1]}x/{scales[0]}x"
        header += [f"{growth} wall", f"{growth} CPU", f"{growth} RSS"]
    add("| " + " | ".join(header) + " |")
    add("|" + "|".join(["---"] + ["--:"] * (len(header) - 1)) + "|")
    for key in ROW_ORDER:
        row = [labels.get(key, key)]
        present = [results[scale].get(key) for scale in scales]
        if all(item is None for item in present):
            continue
        for item in present:
            if item is None:
                row += ["n/a"] * 3
            else:
                crashed = " (timed out)" if item.timed_out else " (crashed)" if item.crashed else ""
                row += [_seconds(item.wall) + crashed, _seconds(item.cpu), f"{item.rss:.0f} MB"]
        if grow:
            first, last = present[0], present[-1]
            if first is not None and last is not None:
                row += [
                    _ratio(last.wall, first.wall),
                    _ratio(last.cpu, first.cpu),
                    _ratio(last.rss, first.rss),
                ]
            else:
                row += ["n/a"] * 3
        add("| " + " | ".join(row) + " |")
    add("")
    add("### Ratios and targets (wall time; CPU time in brackets; same session)")
    add("")
    incomplete = any(check.name.endswith(OVERLAP_CHECK) and not check.passed for check in checks)
    if incomplete:
        add(
            "> vpclint did not report every deliberate overlap in this session (see "
            "Correctness), so its figures do not describe a complete analysis: no target "
            "counts as met."
        )
        add("")

    def verdict(met: list[bool]) -> str:
        return "void" if incomplete and met else _verdict(met)

    add("| Measure | " + " | ".join(f"{scale}x" for scale in scales) + " | Target | Met |")
    add("|---|" + "--:|" * len(scales) + "---|---|")
    for label, numerator, denominator, target in RATIOS:
        values = []
        met: list[bool] = []
        for scale in scales:
            top, bottom = results[scale].get(numerator), results[scale].get(denominator)
            if top is None or bottom is None:
                values.append("n/a")
                continue
            ratio = top.wall / bottom.wall if bottom.wall > 0 else 0.0
            cpu_ratio = top.cpu / bottom.cpu if bottom.cpu > 0 else 0.0
            bound = ">" if top.timed_out else ""
            values.append(f"{bound}{ratio:.1f}x ({bound}{cpu_ratio:.1f}x)")
            if target is not None:
                met.append(ratio >= target)
        target_text = f">= {target:.0f}x" if target is not None else "-"
        add(f"| {label} | " + " | ".join(values) + f" | {target_text} | {verdict(met)} |")
    for label, key, limit in TIME_TARGETS:
        values = []
        met = []
        for scale in scales:
            item = results[scale].get(key)
            values.append("n/a" if item is None else _seconds(item.wall))
            if item is not None and scale == 1:
                met.append(item.wall < limit)
        add(f"| {label} | " + " | ".join(values) + f" | < {limit} s at 1x | {verdict(met)} |")
    peak = results[scales[0]].get("cold")
    if peak is not None and scales[0] == 1:
        add(
            f"| peak RSS, cold default jobs | {peak.rss:.0f} MB"
            + " | " * (len(scales) - 1)
            + f" | < {MEMORY_TARGET_MB:.0f} MB at 1x | {verdict([peak.rss < MEMORY_TARGET_MB])} |"
        )
    if grow:
        for key in ("cold", "cold_jobs1", "warm"):
            first, last = results[scales[0]].get(key), results[scales[-1]].get(key)
            if first is None or last is None:
                continue
            factor = (scales[-1] / scales[0]) * GROWTH_TARGET / 5
            wall, rss = last.wall / first.wall, last.rss / first.rss
            cpu = last.cpu / first.cpu
            add(
                f"| growth {scales[0]}x->{scales[-1]}x, {labels[key]}: wall (CPU), RSS | "
                + " | " * (len(scales) - 1)
                + f"{wall:.1f}x ({cpu:.1f}x), {rss:.1f}x | <= {factor:.1f}x | "
                + f"{verdict([wall <= factor, rss <= factor])} |"
            )
    add("")
    add("### What each run reported (first run)")
    add("")
    for scale in scales:
        for key in WORK_ROWS:
            item = results[scale].get(key)
            if item is not None:
                add(f"- {scale}x {labels.get(key, key)}: {work_done(key, item.samples[0])}")
    add("")
    add("### Correctness")
    add("")
    for check in checks:
        add(f"- {check.verdict}: {check.name} ({check.detail})")
    add("")
    add(f"Reproduce: `{command}`")
    add("")
    return "\n".join(lines)


def workload_caveat(work: Workload) -> str:
    """What the generator wrote beyond its address plan (2,048 networks per side)."""
    notes = []
    if work.invalid_overlaps:
        notes.append(
            f"{len(work.invalid_overlaps)} of the overlaps share a CIDR that is not valid "
            "(the generator writes 10.256.x.x beyond 2,048 templates or modules), which vpclint "
            "must report as invalid (VPC002), not as an overlap; the check expects the other "
            f"{len(work.expected_overlaps)}"
        )
    if work.cross_side_collisions:
        notes.append(
            f"{work.cross_side_collisions} Terraform networks reuse a CloudFormation network's "
            "block (same overflow), so unpeered overlaps (VPC204) are expected too"
        )
    return (" Note: " + "; ".join(notes) + ".") if notes else ""


def _verdict(met: list[bool]) -> str:
    if not met:
        return "-"
    return "yes" if all(met) else "**no**"


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def _scales(value: str) -> list[int]:
    try:
        scales = sorted({int(part) for part in value.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected scales like 1,5, got {value!r}") from None
    if not scales or scales[0] < 1:
        raise argparse.ArgumentTypeError("scales are positive whole numbers")
    return scales


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/run.py", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument("--scale", type=_scales, default=[1, 5], help="workload scales (1,5)")
    parser.add_argument("--runs", type=int, default=3, help="runs per vpclint scenario (3)")
    parser.add_argument(
        "--peer-runs", type=int, default=1, help="runs of checkov, cfn-lint, python-hcl2 (1)"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="markdown table file")
    parser.add_argument(
        "--work", type=Path, default=DEFAULT_WORK, help="scratch folder for the workloads"
    )
    parser.add_argument(
        "--tools", type=Path, default=DEFAULT_TOOLS, help="folder of the peers' virtualenvs"
    )
    parser.add_argument(
        "--peer-scales",
        type=_scales,
        help="run the peers only at these scales (default: every scale)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=TIMEOUT_SECONDS,
        help="seconds before a peer run is killed and reported as timed out (3600)",
    )
    parser.add_argument(
        "--no-peers", action="store_true", help="time vpclint only (no checkov/cfn-lint/hcl2)"
    )
    arguments = parser.parse_args(list(argv))
    if arguments.runs < 1 or arguments.peer_runs < 1:
        parser.error("--runs and --peer-runs must be at least 1")
    return arguments


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    if not workload.generator_available():
        print(f"skipped: the workload generator {workload.GENERATOR} is absent", flush=True)
        return 0
    env = child_environment()
    compile_vpclint()
    probe = measure([*vpclint_command(), "--version"], PROJECT_ROOT, env, timeout=120)
    if probe.returncode != 0:
        print(f"vpclint does not run from {sys.executable}: {probe.stderr.strip()}", flush=True)
        return 2
    available: dict[str, Path | None] = {}
    if not arguments.no_peers:
        for name in PEER_PACKAGES:
            available[name] = ensure_peer(arguments.tools.resolve(), name)
    info = machine()
    tool_versions = versions(available)
    print(
        f"machine: {info['cpu']}, {info['cores']} cores, {info['memory']}, "
        f"Python {info['python']}; " + ", ".join(f"{k} {v}" for k, v in tool_versions.items()),
        flush=True,
    )
    work_folder = arguments.work.resolve()
    workloads: dict[int, Workload] = {}
    results: dict[int, dict[str, Measurement]] = {}
    labels: dict[str, str] = {}
    checks: list[Check] = []
    table = ""
    for scale in arguments.scale:
        print(f"generating the {scale}x workload in {work_folder} ...", flush=True)
        try:
            work = workload.generate(scale, work_folder)
        except workload.WorkloadError as error:
            print(f"cannot build the workload: {error}", flush=True)
            return 2
        workloads[scale] = work
        changed = ChangedFile(work.terraform_sources()[-1])
        staged_file = ChangedFile(_staged_file(work))
        cidr_edit = CidrEdit(work.terraform_sources()[0].parent / "network.tf")
        staged_cidr_edit = CidrEdit(_staged_file(work))
        scenarios: list[Scenario] = []
        with (
            tempfile.TemporaryDirectory(prefix="vpclint-empty-") as empty,
            tempfile.TemporaryDirectory(prefix="vpclint-copies-") as copies,
        ):
            write_copies(Path(copies))
            scenarios += vpclint_scenarios(
                work,
                Path(empty),
                Path(copies),
                arguments.runs,
                changed,
                staged_file,
                cidr_edit,
                staged_cidr_edit,
            )
            if not arguments.no_peers and scale in (arguments.peer_scales or [scale]):
                scenarios += peer_scenarios(
                    work, arguments.tools, arguments.peer_runs, available, arguments.timeout
                )
            results[scale] = {}
            try:
                for scenario in scenarios:
                    labels[scenario.key] = scenario.label
                    results[scale][scenario.key] = run_scenario(scenario, scale, env)
            finally:
                changed.restore()
                staged_file.restore()
                cidr_edit.restore()
                staged_cidr_edit.restore()
        checks += check_scale(work, results[scale])
        info["load_end"] = _load()
        # Written after every scale, so a long 5x session that is cut short keeps the 1x table.
        table = render(
            list(results),
            workloads,
            results,
            labels,
            checks,
            info,
            tool_versions,
            arguments.runs,
            arguments.peer_runs,
            reproduce_command(arguments),
        )
        write_report(arguments.out, table, info, tool_versions, results, checks)
    print()
    print(table)
    print(f"wrote {arguments.out} and {arguments.out.with_suffix('.json')}")
    failed = [check for check in checks if not check.passed and check.blocking]
    print("correctness: " + ("PASS" if not failed else f"FAIL ({len(failed)} checks)"))
    return 1 if failed else 0


def reproduce_command(arguments: argparse.Namespace) -> str:
    options = ["--scale", ",".join(map(str, arguments.scale)), "--runs", str(arguments.runs)]
    options += ["--no-peers"] if arguments.no_peers else ["--peer-runs", str(arguments.peer_runs)]
    if arguments.peer_scales and not arguments.no_peers:
        options += ["--peer-scales", ",".join(map(str, arguments.peer_scales))]
    return "python benchmarks/run.py " + " ".join(options)


def write_report(
    out: Path,
    table: str,
    info: dict[str, str],
    tool_versions: dict[str, str],
    results: dict[int, dict[str, Measurement]],
    checks: list[Check],
) -> None:
    """The markdown table, and beside it every sample as JSON (without the tools' output)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(table, encoding="utf-8")
    raw = {
        "machine": info,
        "versions": tool_versions,
        "measurements": {
            str(scale): {
                key: [
                    {k: v for k, v in asdict(sample).items() if k not in ("stdout", "stderr")}
                    | {"stderr_tail": sample.stderr[-500:]}
                    for sample in measurement.samples
                ]
                for key, measurement in by_key.items()
            }
            for scale, by_key in results.items()
        },
        "checks": [asdict(check) for check in checks],
    }
    out.with_suffix(".json").write_text(json.dumps(raw, indent=2), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
