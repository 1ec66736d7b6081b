"""The parse stage: every discovered file to its front end's parse result, cached and in parallel.

A parse result depends only on the file's bytes, its name and the limits, so it is cached by
content and computed in worker processes; the results are the same with any number of jobs.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from vpclint.cache.store import ParseCache
from vpclint.discover.sources import decode_source, read_bytes
from vpclint.discover.suffixes import DOCUMENTS, INFRASTRUCTURE_BY_NAME
from vpclint.evaluate.contract import FrontEnd, ParsedInput
from vpclint.evaluate.observed import content_state
from vpclint.limits import Limits
from vpclint.topology.models import ParseError, SourceFile, Topology

# Markers that make an unreadable or oversized YAML/JSON file count as infrastructure code (so it
# is reported as VPC001); without them such a file is not ours and is skipped silently.
_IAC_MARKERS = (b"AWSTemplateFormatVersion", b"AWS::EC2::", b'"AWS::', b"terraform_version")
# Below this many files to parse, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD = 24


@dataclass
class ParsedFile:
    """One file after the parse stage: which front end took it, its parse result and summary.

    ``key`` is the file's cache key (its content, name and the settings); ``digest`` is that of
    the parse result itself, so an edit that changes no result (a comment, a blank line at the
    end) changes no digest and the units that read the file are reused. A file whose summary the
    last run left (see :mod:`vpclint.cache.units`) comes back with ``loaded`` false and no
    result: :meth:`ParseStage.load` reads it if evaluation asks for it.
    """

    display: str
    frontend: str | None = None
    result: Any = None
    error: ParseError | None = None
    summary: Any = None
    key: str = ""
    digest: str = ""
    loaded: bool = True

    def header(self) -> ParsedFile:
        """This file without its parse result: what the next run needs to know it by its key."""
        return replace(self, result=None, loaded=False)


def default_jobs() -> int:
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


def parse_bytes(
    data: bytes, path: Path, display: str, frontends: Sequence[FrontEnd], limits: Limits
) -> ParsedFile:
    """Let the first front end that recognises the file parse it."""
    source = decode_source(data, path, display)
    if isinstance(source, ParseError):
        return _unreadable(path, data[:65536], source)
    for frontend in frontends:
        if frontend.claims(path):
            result = frontend.parse(source, limits)
            if result is not None:
                return ParsedFile(
                    display, frontend.name, result, summary=frontend.summarize(result)
                )
    return ParsedFile(display)


def _unreadable(path: Path, head: bytes, error: ParseError) -> ParsedFile:
    if path.name.endswith(INFRASTRUCTURE_BY_NAME) or any(marker in head for marker in _IAC_MARKERS):
        return ParsedFile(error.location.file, error=error)
    return ParsedFile(error.location.file)


_WORKER_FRONTENDS: list[FrontEnd] = []


def _parse_batch(batch: list[tuple[bytes, str, str]], limits: dict[str, int]) -> list[ParsedFile]:
    if not _WORKER_FRONTENDS:
        from vpclint.evaluate import all_frontends

        _WORKER_FRONTENDS.extend(all_frontends())
    bounds = Limits(**limits)
    return [
        parse_bytes(data, Path(path), display, _WORKER_FRONTENDS, bounds)
        for data, path, display in batch
    ]


@dataclass
class ParseStage:
    frontends: Sequence[FrontEnd]
    limits: Limits
    cache: ParseCache | None = None
    jobs: int = 1
    progress: Callable[[int, int], None] | None = None

    _paths: dict[str, Path] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)  # parsed / cached / unread files

    def run(
        self,
        files: Sequence[tuple[Path, str]],
        known: Mapping[str, ParsedFile] | None = None,
        states: Mapping[str, str] | None = None,
    ) -> list[ParsedFile]:
        """Parse results in the order of ``files``; those whose key is ``known`` (by a header
        the last run left) come back unloaded. With the files' ``states`` (file_state by
        reported path), a file whose result is cached is not read again."""
        results: list[ParsedFile | None] = [None] * len(files)
        pending: list[tuple[int, bytes, Path, str, str | None]] = []
        names = ",".join(frontend.name for frontend in self.frontends)
        known = known or {}
        for index, (path, display) in enumerate(files):
            claimed = any(frontend.claims(path) for frontend in self.frontends)
            if not claimed:
                results[index] = ParsedFile(display)
                continue
            state = states.get(display) if states is not None else None
            if self.cache is not None and state is not None and state.startswith("file:"):
                key = self.cache.entry_key(names, state.encode(), display)
                if self._reuse(index, key, path, display, known, results):
                    continue
            data = read_bytes(path, display, self.limits.max_file_size)
            if isinstance(data, ParseError):
                results[index] = _unreadable(path, _head(path), data)
                continue
            parse_key: str | None = None
            if self.cache is not None:
                read_state = content_state(data)
                parse_key = self.cache.entry_key(names, read_state.encode(), display)
                # Not looked up yet when the file changed since its state was taken.
                if read_state != state and self._reuse(
                    index, parse_key, path, display, known, results
                ):
                    continue
            pending.append((index, data, path, display, parse_key))
            self.counts["parsed"] += 1
        self._parse(pending, results)
        return [
            result if result is not None else ParsedFile(files[i][1])
            for i, result in enumerate(results)
        ]

    def evaluation_inputs(
        self, parsed_files: Sequence[ParsedFile]
    ) -> tuple[Topology, dict[str, list[ParsedInput]]]:
        """The files no front end evaluates (unreadable, not infrastructure code) as a
        Topology of their own, and every other file as its front end's evaluation receives it,
        by front end: a result not loaded is read from the cache when evaluation asks."""
        topology = Topology()
        inputs: dict[str, list[ParsedInput]] = {frontend.name: [] for frontend in self.frontends}
        for parsed in parsed_files:
            display = parsed.display
            if parsed.error is not None:
                topology.parse_errors.append(parsed.error)
                topology.files.append(SourceFile(path=display, kind="unknown", status="failed"))
            elif parsed.frontend is None:
                topology.files.append(SourceFile(path=display, kind="none", status="skipped"))
            elif parsed.loaded:
                inputs[parsed.frontend].append(
                    ParsedInput(display, parsed.summary, result=parsed.result, key=parsed.digest)
                )
            else:
                inputs[parsed.frontend].append(
                    ParsedInput(
                        display, parsed.summary, load=partial(self.load, parsed), key=parsed.digest
                    )
                )
        return topology, inputs

    def describe(self, say: Callable[[str], None], files: int) -> None:
        """Tell ``say`` how the run's files were parsed or reused (-v)."""
        counts = self.counts
        say(
            f"{files} files: {counts['parsed']} parsed, {counts['cached']} from the parse cache, "
            f"{counts['unread']} not read (their units were reused)"
        )

    def _reuse(
        self,
        index: int,
        key: str,
        path: Path,
        display: str,
        known: Mapping[str, ParsedFile],
        results: list[ParsedFile | None],
    ) -> bool:
        """Whether the file's result is known from the last run's header or the cache."""
        assert self.cache is not None
        self._paths[key] = path
        header = known.get(key)
        if header is not None and header.display == display:
            results[index] = header
            self.counts["unread"] += 1
            return True
        found = self.cache.get_with_digest(key)
        if found is not None and isinstance(found[0], ParsedFile):
            results[index] = replace(found[0], key=key, digest=found[1])
            self.counts["cached"] += 1
            return True
        return False

    def load(self, header: ParsedFile) -> Any:
        """The parse result of a file that came back unloaded: from the cache, else parsed."""
        self.counts["unread"] -= 1
        cached = self.cache.get(header.key) if self.cache is not None else None
        if isinstance(cached, ParsedFile):
            self.counts["cached"] += 1
            return cached.result
        self.counts["parsed"] += 1
        path = self._paths[header.key]
        data = read_bytes(path, header.display, self.limits.max_file_size)
        if isinstance(data, ParseError):
            return None
        parsed = parse_bytes(data, path, header.display, self.frontends, self.limits)
        self._store(-1, header.key, parsed, None)
        return parsed.result

    def _parse(
        self,
        pending: list[tuple[int, bytes, Path, str, str | None]],
        results: list[ParsedFile | None],
    ) -> None:
        done = 0
        total = len(pending)
        if self.jobs <= 1 or total < _PARALLEL_THRESHOLD:
            for index, data, path, display, key in pending:
                parsed = parse_bytes(data, path, display, self.frontends, self.limits)
                self._store(index, key, parsed, results)
                done += 1
                if self.progress:
                    self.progress(done, total)
            return
        # The first file is parsed here before any worker starts: the workers are forked from
        # this process and inherit what that loaded (front-end modules, python-hcl2's grammar)
        # instead of each loading it again.
        index, data, path, display, key = pending[0]
        self._store(
            index, key, parse_bytes(data, path, display, self.frontends, self.limits), results
        )
        done = 1
        # Decoded YAML/JSON documents cost more to send back from a worker than to parse here
        # (their parse is fast, their results are many small objects): they go to the end of
        # the queue, which this process works on.
        rest = sorted(pending[1:], key=lambda item: item[2].suffix.lower() in DOCUMENTS)
        # Batches balance the work while keeping the pickling overhead low. This process is
        # one of the ``jobs``: it takes batches from the end of the queue that no worker has
        # started, so its share costs no pickling, and the workers keep the rest.
        size = max(1, min(64, len(rest) // (self.jobs * 4) or 1))
        # Imported here: multiprocessing costs 0.01 s to import, and most warm runs parse
        # too few files to start workers.
        from concurrent.futures import ProcessPoolExecutor

        batches = [rest[start : start + size] for start in range(0, len(rest), size)]
        limits = asdict(self.limits)
        with ProcessPoolExecutor(max_workers=self.jobs - 1) as pool:
            futures = [
                pool.submit(_parse_batch, [(d, str(p), s) for _, d, p, s, _ in batch], limits)
                for batch in batches
            ]
            local = len(batches)
            while local > 0 and futures[local - 1].cancel():
                local -= 1
                for index, data, path, display, key in batches[local]:
                    parsed = parse_bytes(data, path, display, self.frontends, self.limits)
                    self._store(index, key, parsed, results)
                done += len(batches[local])
                if self.progress:
                    self.progress(done, total)
            for batch, future in zip(batches[:local], futures[:local], strict=True):
                for (index, _, _, _, key), parsed in zip(batch, future.result(), strict=True):
                    self._store(index, key, parsed, results)
                done += len(batch)
                if self.progress:
                    self.progress(done, total)

    def _store(
        self,
        index: int,
        key: str | None,
        parsed: ParsedFile,
        results: list[ParsedFile | None] | None,
    ) -> None:
        if self.cache is not None and key is not None:
            parsed = replace(parsed, key=key, digest=self.cache.put(key, parsed))
        if results is not None:
            results[index] = parsed


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(65536)
    except OSError:
        return b""


def progress_bar(
    stream: Any = None,
    delay: float = 0.5,
    clock: Callable[[], float] | None = None,
) -> Callable[[int, int], None]:
    """A one-line progress bar for long runs on a terminal (standard error by default): it
    appears once parsing has taken ``delay`` seconds, so a short run never flashes one, and is
    erased when parsing ends."""
    stream = stream if stream is not None else sys.stderr
    clock = clock if clock is not None else time.monotonic
    started: list[float] = []
    shown: list[bool] = []

    def show(done: int, total: int) -> None:
        now = clock()
        if not started:
            started.append(now)
        width = 30
        if done >= total:
            if shown:
                stream.write("\r" + " " * (width + 30) + "\r")
                stream.flush()
            return
        if now - started[0] < delay:
            return
        if not shown:
            shown.append(True)
        filled = width * done // max(total, 1)
        stream.write(f"\rparsing [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        stream.flush()

    return show
