"""Evaluation by units, each reused from the last run while nothing it depended on changed.

A pre-commit hook lints the whole project on every commit, and evaluating a monorepo takes
seconds even when every parse result comes from the cache. Yet one edited file changes the
evaluation of only a small part of it: a Terraform root module (with the modules it calls), or
the CloudFormation templates linked to one another by exports. A front end therefore plans its
evaluation in such *units* (:class:`~vpclint.evaluate.contract.Units`), and :class:`UnitMemo`
runs them, recording for each one what it depended on:

- the parse results it read (``ParsedInput.result``, each with the digest of the result: an
  edit that leaves a file's parse result as it was, such as a comment, reaches no unit),
- the states it named with :func:`~vpclint.evaluate.contract.depend`, which the front end's
  ``Units.state`` works out again cheaply before evaluating (the member files of a module
  folder, say), digested here, and
- file-system facts (:mod:`vpclint.evaluate.observed`: called folders outside discovery,
  ``modules.json``, ``file()`` targets, symlinks).

The next run reuses the unit's output when all of them still hold, and reads no parse result
for it. A unit's output must depend on nothing else (no state shared between units): cold and warm
runs then build the same topology, which the tests check by editing files between runs.

Each output also has a digest of its content (:func:`content_digest`): when a re-evaluated unit
gives what it gave before, the topology is unchanged and the pipeline reuses the last findings
instead of running the rules again (early cutoff), without even unpickling the reused outputs.

The memo of one project lives in the cache folder (see :class:`MemoStore`), signed like every
entry of :class:`~vpclint.cache.store.ParseCache` and keyed by everything that applies to every unit
(vpclint's code, the evaluation settings and the files they name, the working directory); a
change there starts a new memo.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic_core import PydanticSerializationError

import vpclint.evaluate.observed as observed
from vpclint import __version__
from vpclint.cache.results import code_fingerprint
from vpclint.cache.store import CacheFolder, ParseCache, load_data
from vpclint.evaluate.contract import FILE, EvaluationSettings, Unit, Units, recording_reads
from vpclint.evaluate.observed import Facts
from vpclint.topology.models import Topology

if TYPE_CHECKING:
    from vpclint.parse.stage import ParsedFile

_MISSING: Any = object()
_MAX_PACKS = 16  # packs a run may read before their live outputs are written into one


def content_digest(value: Any) -> str:
    """A digest of a unit output's content: equal for equal outputs in any run.

    Pickled bytes will not do: they depend on which equal objects happen to be shared and on
    the order of sets, which changes with each interpreter's hash seed.
    """
    digest = hashlib.sha256()
    _feed(digest, value)
    return digest.hexdigest()


def _feed(digest: Any, value: Any) -> None:
    if isinstance(value, BaseModel):
        try:
            dumped = value.model_dump_json().encode()
        except PydanticSerializationError:
            # A file name that is not UTF-8 (surrogates in a str) has no JSON; repr escapes it.
            dumped = repr(value.model_dump()).encode()
        digest.update(b"M" + type(value).__name__.encode() + dumped)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(b"D" + type(value).__name__.encode())
        for item in dataclasses.fields(value):
            _feed(digest, getattr(value, item.name))
    elif isinstance(value, list | tuple):
        digest.update(b"L%d" % len(value))
        for item in value:
            _feed(digest, item)
    elif isinstance(value, set | frozenset):
        digest.update(b"S%d" % len(value))
        for item in sorted(value, key=repr):
            _feed(digest, item)
    elif isinstance(value, dict):
        digest.update(b"{%d" % len(value))
        for key in sorted(value, key=repr):
            _feed(digest, key)
            _feed(digest, value[key])
    else:
        digest.update(b"V" + repr(value).encode() + b"\0")


class Deferred:
    """A reused unit's output, still pickled: unpickled only when the topology is assembled
    (an unchanged topology never is, see :class:`EvaluatedPart`)."""

    __slots__ = ("blob",)

    def __init__(self, blob: bytes) -> None:
        self.blob = blob


def resolve(output: Any) -> Any:
    """A unit's output, unpickled if it was reused."""
    return load_data(output.blob) if isinstance(output, Deferred) else output


@dataclass
class EvaluatedPart:
    """A front end's part of the topology: its digest at once, the topology on demand.

    ``digest`` (None when not every unit's output digest is known) stands for everything the
    part would hold; when the whole topology's digest is the last run's, the last findings
    stand and the part is never assembled, so reused outputs are never unpickled.
    """

    digest: str | None
    assemble: Callable[[], Topology]


def state_of(*parts: object) -> str:
    """A short digest of a dependency's state (a folder's members and their keys, say)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


@dataclass
class UnitRecord:
    """How a unit was evaluated: what it depended on, and where its output is stored."""

    dependencies: dict[str, str]
    facts: Facts
    output_key: str
    pack: str = ""  # the store entry holding the output with others of the same run
    digest: str = ""  # of the output itself: equal outputs, equal digests


@dataclass
class MemoData:
    """What one run leaves for the next: each front end's units, and each file's header."""

    settings: str
    units: dict[str, dict[str, UnitRecord]] = field(default_factory=dict)
    headers: dict[str, Any] = field(default_factory=dict)  # parse-cache key -> ParsedFile
    packs: dict[str, int] = field(default_factory=dict)  # pack -> outputs it holds


class UnitMemo:
    """One front end's units: reuse those still valid, evaluate and remember the others."""

    def __init__(
        self,
        previous: Mapping[str, UnitRecord] | None,
        current_keys: Mapping[str, str],
        load_output: Callable[[UnitRecord], Any] | None = None,
    ) -> None:
        self._previous = previous or {}
        self._current_keys = current_keys  # display -> result digest, for every file of the run
        self._load_output = load_output
        self.kept: dict[str, UnitRecord] = {}
        self.blobs: dict[str, bytes] = {}  # output key -> pickled output, of every kept unit
        self.new_outputs: set[str] = set()  # output keys of the units evaluated in this run
        # (unit, output digest) in the order the front end planned: what its part of the
        # topology was built from (see outputs_digest).
        self.trail: list[tuple[str, str]] = []
        self.reused = 0
        self.evaluated = 0

    @classmethod
    def disabled(cls) -> UnitMemo:
        """A memo that remembers nothing from before (no cache)."""
        return cls(None, {})

    def evaluate(self, plan: Units) -> EvaluatedPart:
        """The front end's part: each unit's output reused or evaluated, its digest at once."""
        states: dict[str, str | None] = {}

        def state(name: str) -> str | None:
            # States are the same all run (the contract): each is digested once.
            if name not in states:
                found = plan.state(name)
                states[name] = None if found is None else state_of(found)
            return states[name]

        outputs = [self._output(unit, state) for unit in plan.units]
        digests = self.outputs_digest()
        digest = None if digests is None else state_of(digests, content_digest(plan.known))
        return EvaluatedPart(digest, lambda: plan.assemble([resolve(item) for item in outputs]))

    def _output(self, unit: Unit, state: Callable[[str], str | None]) -> Any:
        """The unit's output: the last run's while every dependency it recorded is in the same
        state and every fact it observed holds (a :class:`Deferred`), otherwise evaluated."""
        name = unit.key
        record = self._previous.get(name)
        if (
            record is not None
            and self._load_output is not None
            and self._still_valid(record, state)
        ):
            blob = self._load_output(record)
            if isinstance(blob, bytes) and record.digest:
                observed.replay(record.facts)
                self.kept[name] = record
                self.blobs[record.output_key] = blob
                self.trail.append((name, record.digest))
                self.reused += 1
                return Deferred(blob)
        with recording_reads() as reads, observed.recording() as facts:
            output = unit.evaluate()
        dependencies = {
            read: found if read.startswith(FILE) else state(read) or ""
            for read, found in reads.items()
        }
        output_key = state_of(name, sorted(dependencies.items()), sorted(facts.items()))
        digest = ""
        if self._load_output is not None:  # a memo that is kept: the output is stored
            self.blobs[output_key] = pickle.dumps(output, protocol=pickle.HIGHEST_PROTOCOL)
            digest = content_digest(output)
            self.new_outputs.add(output_key)
        self.kept[name] = UnitRecord(dependencies, dict(facts), output_key, digest=digest)
        self.trail.append((name, digest))
        self.evaluated += 1
        return output

    def outputs_digest(self) -> str | None:
        """A digest of every unit output this run used, in order; None when not all are known.

        Equal digests mean equal outputs, so an edit that changes no output (a comment, an
        instance type) leaves the front end's part of the topology as it was.
        """
        if any(not digest for _, digest in self.trail):
            return None
        return state_of(self.trail)

    def _still_valid(self, record: UnitRecord, state: Callable[[str], str | None]) -> bool:
        for name, recorded in record.dependencies.items():
            if name.startswith(FILE):
                current = self._current_keys.get(name[len(FILE) :])
            else:
                current = state(name) or ""
            if current != recorded:
                return False
        return observed.still_true(record.facts)


class MemoStore:
    """The memo of one (project, working directory) in the cache folder: an index (each file's
    header, each unit's record) and the units' outputs in packs, one written per run with the
    outputs of the units it evaluated. Reading a thousand outputs from one entry is several
    times faster than from a thousand; packs whose outputs are mostly replaced are compacted."""

    def __init__(self, folder: Path | CacheFolder, project_root: Path) -> None:
        self.store = ParseCache(folder, "evaluation-units")
        identity = repr((os.getcwd(), str(project_root.resolve()))).encode()
        self.slot = self.store.entry_key("units", identity, "memo")
        self._packs: dict[str, dict[str, Any]] = {}

    def load(self, settings: str) -> MemoData | None:
        """The last run's memo when it was made with the same ``settings`` digest."""
        found = self.store.get(self.slot)
        return found if isinstance(found, MemoData) and found.settings == settings else None

    def memo(self, previous: MemoData | None, frontend: str, keys: Mapping[str, str]) -> UnitMemo:
        units = previous.units.get(frontend) if previous is not None else None
        return UnitMemo(units, keys, self._output)

    def _output(self, record: UnitRecord) -> Any:
        pack = self._packs.get(record.pack)
        if pack is None:
            found = self.store.get(self._pack_entry(record.pack)) if record.pack else None
            pack = self._packs[record.pack] = found if isinstance(found, dict) else {}
        return pack.get(record.output_key, _MISSING)

    def save(
        self, memo: MemoData, memos: Mapping[str, UnitMemo], previous: MemoData | None
    ) -> None:
        """Write this run's memo: a pack of the new outputs (or of all, to compact), the index."""
        live = {
            record.output_key: record.pack
            for unit_memo in memos.values()
            for record in unit_memo.kept.values()
        }
        new = {key for unit_memo in memos.values() for key in unit_memo.new_outputs}
        old_packs = previous.packs if previous is not None else {}
        referenced = {pack for key, pack in live.items() if key not in new}
        held = sum(old_packs.get(pack, 0) for pack in referenced)
        compact = held > 2 * (len(live) - len(new)) + 64 or len(referenced) > _MAX_PACKS
        written = set(live) if compact else new
        outputs = {
            key: blob
            for unit_memo in memos.values()
            for key, blob in unit_memo.blobs.items()
            if key in written
        }
        packs = {pack: old_packs[pack] for pack in referenced if pack in old_packs and not compact}
        if outputs:
            pack = state_of(sorted(outputs))
            self.store.put(self._pack_entry(pack), outputs)
            packs[pack] = len(outputs)
            for unit_memo in memos.values():
                for record in unit_memo.kept.values():
                    if record.output_key in outputs:
                        record.pack = pack
        memo.units = {frontend: unit_memo.kept for frontend, unit_memo in memos.items()}
        memo.packs = packs
        self.store.put(self.slot, memo)

    def _pack_entry(self, pack: str) -> str:
        return self.store.entry_key("unit-outputs", pack.encode(), "pack")


class EvaluationCache:
    """The cache around one run's parsing and evaluation: the parse cache, and the units'
    memo of the last run with the same code and settings. Without a cache folder it keeps
    nothing and every unit is evaluated."""

    def __init__(
        self, folder: CacheFolder | None, settings: EvaluationSettings, frontends: Sequence[str]
    ) -> None:
        self.parse_cache: ParseCache | None = None
        self._store: MemoStore | None = None
        self._previous: MemoData | None = None
        self._settings = ""
        self._memos: dict[str, UnitMemo] = {}
        if folder is not None:
            # Parse results too depend on the code, not only on the version: a development
            # install or a patched build with the same version must not reuse another's.
            code = state_of(code_fingerprint(()))
            self.parse_cache = ParseCache(folder, state_of(repr(settings.limits), code))
            self.parse_cache.clean()
            # Units of evaluation are reused only by a run with the same code and settings.
            self._store = MemoStore(folder, settings.project_root)
            self._settings = memo_settings(settings, frontends, code)
            self._previous = self._store.load(self._settings)

    @property
    def headers(self) -> Mapping[str, Any] | None:
        """Each file's header the last run left (parse-cache key -> ParsedFile), if any."""
        return self._previous.headers if self._previous is not None else None

    def evaluate(
        self, plans: Mapping[str, Units], parsed_files: Sequence[ParsedFile]
    ) -> dict[str, EvaluatedPart]:
        """Each front end's part (by front end), its units reused from the last run where
        still valid; then this run's units and files are remembered for the next."""
        current_keys = {  # the digest of every evaluated file's parse result
            parsed.display: parsed.digest
            for parsed in parsed_files
            if parsed.frontend is not None and parsed.error is None
        }
        parts: dict[str, EvaluatedPart] = {}
        for frontend, plan in plans.items():
            if self._store is None:
                memo = UnitMemo.disabled()
            else:
                memo = self._store.memo(self._previous, frontend, current_keys)
            self._memos[frontend] = memo
            parts[frontend] = memo.evaluate(plan)
        if self._store is not None:
            headers = {
                parsed.key: parsed.header() if parsed.loaded else parsed
                for parsed in parsed_files
                if parsed.key
            }
            self._store.save(MemoData(self._settings, headers=headers), self._memos, self._previous)
        return parts

    def describe(self, say: Callable[[str], None]) -> None:
        """Tell ``say`` how many units each front end evaluated and reused (-v)."""
        for name, memo in self._memos.items():
            units = f"{memo.evaluated} unit" + ("" if memo.evaluated == 1 else "s")
            say(f"{name}: {units} evaluated, {memo.reused} reused from the last run")


def memo_settings(settings: EvaluationSettings, frontends: Sequence[str], code: str) -> str:
    """Everything every unit of evaluation depends on: vpclint's code, the working directory
    (reported paths are relative to it), the settings and the files they name."""
    named_files = [
        *settings.var_files,
        *(f for files in settings.parameter_files.values() for f in files),
    ]
    return state_of(
        __version__,
        code,
        str(Path.cwd().resolve()),
        # Of the environment only TF_VAR_* matter (`_` alone differs between shells).
        repr(dataclasses.replace(settings, environment={})),
        sorted(item for item in settings.environment.items() if item[0].startswith("TF_VAR_")),
        frontends,
        [(str(path), observed.file_state(str(path))) for path in named_files],
    )


def combined(
    parts: Mapping[str, EvaluatedPart],
    known: Any,
    assemble: Callable[[list[Topology]], Topology],
) -> EvaluatedPart:
    """The front ends' parts (by front end) and ``known`` (what the run adds to them) as one:
    digested when every part is, ``assemble`` given the parts' topologies."""
    digests = [(name, part.digest) for name, part in parts.items()]
    digest = (
        None
        if any(found is None for _, found in digests)
        else state_of(digests, content_digest(known))
    )
    return EvaluatedPart(digest, lambda: assemble([part.assemble() for part in parts.values()]))
