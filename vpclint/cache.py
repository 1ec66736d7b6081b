"""A persistent cache of parse results, keyed by file content, vpclint version and settings.

Like ruff's ``.ruff_cache``: ``.vpclint_cache/`` at the project root (``--cache-dir`` elsewhere,
``--no-cache`` to bypass). Entries are written atomically (temp file + rename), so concurrent runs
never read half an entry. Stale entries (another version, or unused for a week) are removed.

The cache folder lives inside the repository being linted, so its content is untrusted: a pull
request could commit a crafted entry. Every entry is signed with an HMAC whose key stays in the
user's own cache folder (outside the repository) and is created on first use; an entry whose
signature does not verify is ignored and never unpickled.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from vpclint import __version__

CACHE_FOLDER = ".vpclint_cache"
STALE_AFTER_SECONDS = 7 * 24 * 3600
# Raised when what the cache holds changes shape within a version (a development build): older
# entries then miss instead of coming back without a field.
ENTRY_FORMAT = "5"
_SIGNATURE_SIZE = 32


def _user_cache_home() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    return Path(base) if base else Path.home() / ".cache"


def _signing_key() -> bytes:
    """The machine-local secret that signs cache entries (created once, readable by its user)."""
    folder = _user_cache_home() / "vpclint"
    path = folder / "cache-key"
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    descriptor, temporary = tempfile.mkstemp(dir=folder)
    try:
        os.write(descriptor, key)
    finally:
        os.close(descriptor)
    os.chmod(temporary, 0o600)
    try:
        # Keep the first key if another run created one meanwhile: entries it signed stay valid.
        os.link(temporary, path)
    except FileExistsError:
        key = path.read_bytes()
    except OSError:
        os.replace(temporary, path)
        return key
    os.unlink(temporary)
    return key


def payload_digest(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()[:32]


class ParseCache:
    """Parse results on disk under ``folder/<version>/``; a miss is ``None``."""

    def __init__(self, folder: Path, settings_fingerprint: str) -> None:
        self.root = folder
        self.folder = folder / __version__
        self.fingerprint = settings_fingerprint
        self._key: bytes | None = None
        # Folders this instance made sure of: a run writes thousands of entries into 256
        # folders, and a mkdir and a stat per entry were a tenth of a first run's cache writes.
        self._ready: set[Path] = set()
        self.hits = 0
        self.misses = 0

    def _signing(self) -> bytes:
        if self._key is None:
            self._key = _signing_key()
        return self._key

    def entry_key(self, frontend_names: str, data: bytes, name: str) -> str:
        """The entry for one file; its reported path is part of the key, as results embed it."""
        digest = hashlib.sha256()
        for part in (__version__, ENTRY_FORMAT, self.fingerprint, frontend_names, name):
            digest.update(part.encode(errors="surrogateescape"))
            digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key[2:]

    def get(self, key: str) -> Any | None:
        found = self.get_with_digest(key)
        return found[0] if found is not None else None

    def get_with_digest(self, key: str) -> tuple[Any, str] | None:
        """The entry and the digest of its bytes (see :meth:`put`); None on a miss."""
        path = self._path(key)
        try:
            blob = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        signature, payload = blob[:_SIGNATURE_SIZE], blob[_SIGNATURE_SIZE:]
        expected = hmac.new(self._signing(), payload, hashlib.sha256).digest()
        if not hmac.compare_digest(signature, expected):
            self.misses += 1
            return None
        try:
            value = pickle.loads(payload)
        except Exception:  # an entry from an incompatible build: recompute it
            self.misses += 1
            return None
        self.hits += 1
        if time.time() - path.stat().st_mtime > STALE_AFTER_SECONDS / 2:
            os.utime(path)  # keep entries that are still in use from being cleaned away
        return value, payload_digest(payload)

    def put(self, key: str, value: Any) -> str:
        """Store ``value``; returns the digest of its pickled bytes, equal for equal values
        that pickle alike (whether or not the cache could be written)."""
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return "unstored:" + os.urandom(16).hex()  # equal to no other value's digest
        path = self._path(key)
        try:
            signature = hmac.new(self._signing(), payload, hashlib.sha256).digest()
            self._prepare()
            if path.parent not in self._ready:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._ready.add(path.parent)
            descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(signature + payload)
            os.replace(temporary, path)
        except OSError:
            pass  # a cache that cannot be written (read-only checkout, full disk) costs speed
        return payload_digest(payload)

    def remove(self, key: str) -> None:
        """Delete an entry no longer needed (a miss for any run that still looks for it)."""
        with contextlib.suppress(OSError):
            self._path(key).unlink()

    def _prepare(self) -> None:
        if self.root in self._ready:
            return
        self._ready.add(self.root)
        if (self.root / ".gitignore").exists():
            return
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / ".gitignore").write_text("# Created by vpclint automatically.\n*\n")
        (self.root / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This file is a cache directory tag created by vpclint.\n"
        )

    def clean(self) -> int:
        """Remove other versions' folders and entries unused for a week; returns entries removed.

        Runs at most once a day per cache folder, so warm runs do not pay for a full scan.
        """
        removed = 0
        marker = self.root / ".last-clean"
        now = time.time()
        try:
            if now - marker.stat().st_mtime < 24 * 3600:
                return 0
        except OSError:
            pass
        if not self.root.is_dir():
            return 0
        with contextlib.suppress(OSError):
            marker.touch()
        for child in self.root.iterdir():
            if child.is_dir() and child.name != __version__:
                removed += _remove_tree(child)
        if self.folder.is_dir():
            for entry in self.folder.glob("*/*"):
                try:
                    if now - entry.stat().st_mtime > STALE_AFTER_SECONDS:
                        entry.unlink()
                        removed += 1
                except OSError:
                    continue
        return removed


def _remove_tree(folder: Path) -> int:
    removed = 0
    for path in sorted(folder.rglob("*"), key=lambda item: len(item.parts), reverse=True):
        try:
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink()
                removed += 1
        except OSError:
            continue
    with contextlib.suppress(OSError):
        folder.rmdir()
    return removed
