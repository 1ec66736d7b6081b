"""A persistent cache of parse results, keyed by file content, vpclint's code and settings.

Like ruff's ``.ruff_cache``: ``.vpclint_cache/`` at the project root (``--cache-dir`` elsewhere,
``--no-cache`` to bypass). Entries are written atomically (temp file + rename), so concurrent runs
never read half an entry. Stale entries (another version, or unused for a week) and temp files
left by a killed run are removed.

The cache folder lives inside the repository being linted, so its content is untrusted: a pull
request could commit a crafted entry, or symlinks where vpclint expects its own folders and files.
Hence:

- every operation below the cache folder goes through :class:`CacheFolder`, which opens one
  component at a time relative to its parent's descriptor with ``O_NOFOLLOW``: a symlink in the
  cache is never followed by a read, a write, a removal or a clean-up (a linked folder counts as
  absent, a linked entry as a miss), and only regular files are read or removed;
- a cache folder that is itself a symlink, or is owned by another user, is refused for the run;
- every entry is signed with an HMAC whose key stays in the user's own cache folder (outside the
  repository); a key that is too short is replaced, a key that is a symlink, is not the user's
  or lies inside the linted project is refused, and so is the cache for that run;
- an entry whose signature verifies is still unpickled by :func:`load_data`, which admits only
  vpclint's data classes and a few standard containers: even a leaked key runs no code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import errno
import hashlib
import hmac
import io
import os
import pickle
import secrets
import stat
import time
from pathlib import Path
from typing import Any, NoReturn

from vpclint import __version__

CACHE_FOLDER = ".vpclint_cache"
STALE_AFTER_SECONDS = 7 * 24 * 3600
# A temp file this old belongs to no running write: a run was killed between create and rename.
STALE_TEMP_AFTER_SECONDS = 3600
# Raised when what the cache holds changes shape within a version (a development build): older
# entries then miss instead of coming back without a field.
ENTRY_FORMAT = "6"
KEY_SIZE = 32
_SIGNATURE_SIZE = 32
# Far above any real entry (a 5x benchmark's largest pack is a few MB): a planted giant file is
# a miss, not a read of all of it.
MAX_ENTRY_BYTES = 1 << 30
_TEMP_PREFIX = ".tmp-"
# Below the cache folder vpclint writes <version>/<2 hex>/<entry>; nothing deeper is its own.
_MAX_DEPTH = 3

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | _CLOEXEC
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | _CLOEXEC


class CacheRefused(Exception):
    """The cache cannot be used safely for this run; the message says why."""


def _user_cache_home() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base)
    try:
        return Path.home() / ".cache"
    except (RuntimeError, KeyError) as error:  # no HOME and no passwd entry
        raise CacheRefused("no home folder to keep the cache's signing key in") from error


def _read_regular(
    path: str | Path, dir_fd: int | None = None, limit: int = MAX_ENTRY_BYTES
) -> tuple[bytes, os.stat_result] | None:
    """The bytes of a regular file opened without following a symlink, or None (a link, a FIFO,
    a device, a folder, missing or larger than ``limit``)."""
    try:
        descriptor = os.open(path, _READ_FLAGS, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks: list[bytes] = []
        remaining = info.st_size
        while remaining > 0:
            chunk = os.read(descriptor, remaining)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks), info
    except OSError:
        return None
    finally:
        os.close(descriptor)


def _write_new(name: str, data: bytes, dir_fd: int, mode: int = 0o666) -> None:
    """Create ``name`` in the folder ``dir_fd`` (never through a symlink; an existing name,
    link or not, raises FileExistsError)."""
    descriptor = os.open(name, _CREATE_FLAGS, mode, dir_fd=dir_fd)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)


def _replace_atomically(name: str, data: bytes, dir_fd: int, mode: int = 0o666) -> None:
    """Write ``name`` in ``dir_fd`` by temp file and rename: readers see the old or the new
    bytes, and a link at ``name`` is replaced itself, never its target."""
    temporary = _TEMP_PREFIX + secrets.token_hex(8)
    _write_new(temporary, data, dir_fd, mode)
    try:
        os.replace(temporary, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=dir_fd)
        raise


def signing_key(project_root: Path | None = None) -> bytes:
    """The machine-local secret that signs cache entries, at
    ``<XDG_CACHE_HOME or ~/.cache>/vpclint/cache-key`` (created once, readable by its user).

    Raises CacheRefused when no trustworthy key can be had: its folder lies inside the linted
    project (the repository could have committed the key), it is a symlink or another user's
    file, or it cannot be created.
    """
    folder = _user_cache_home() / "vpclint"
    if project_root is not None:
        real_folder = Path(os.path.realpath(folder))
        if real_folder.is_relative_to(os.path.realpath(project_root)):
            raise CacheRefused(
                f"the signing key folder {folder} is inside the linted project "
                "(set XDG_CACHE_HOME outside it)"
            )
    path = folder / "cache-key"
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise CacheRefused(f"cannot read the signing key {path}: {error.strerror}") from error
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            # Not replaced: the link is the user's own doing (a dotfiles setup, say), and
            # following it could sign with a key someone else can read. They remove it.
            raise CacheRefused(f"the signing key {path} is a symlink")
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
            raise CacheRefused(f"the signing key {path} is not a file of the current user")
        found = _read_regular(path, limit=4096)
        if found is not None and len(found[0]) >= KEY_SIZE:
            return found[0]
    key = secrets.token_bytes(KEY_SIZE)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(folder, _FOLDER_FLAGS)
        try:
            if info is None:
                return _create_key(key, descriptor)
            # Too short (empty, truncated): never used, replaced as a whole.
            _replace_atomically("cache-key", key, descriptor, 0o600)
        finally:
            os.close(descriptor)
    except OSError as error:
        raise CacheRefused(f"cannot write the signing key in {folder}: {error.strerror}") from error
    return key


def _create_key(key: bytes, folder: int) -> bytes:
    temporary = _TEMP_PREFIX + secrets.token_hex(8)
    _write_new(temporary, key, folder, 0o600)
    try:
        # Keep the first key if another run created one meanwhile: entries it signed stay valid.
        os.link(temporary, "cache-key", src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
    except FileExistsError:
        found = _read_regular("cache-key", dir_fd=folder, limit=4096)
        if found is not None and len(found[0]) >= KEY_SIZE:
            key = found[0]
        else:
            os.replace(temporary, "cache-key", src_dir_fd=folder, dst_dir_fd=folder)
            return key
    except OSError:  # a file system without hard links
        os.replace(temporary, "cache-key", src_dir_fd=folder, dst_dir_fd=folder)
        return key
    os.unlink(temporary, dir_fd=folder)
    return key


class CacheFolder:
    """The cache folder of a run, reached only through descriptors opened with ``O_NOFOLLOW``.

    Folders are named by their parts below the cache folder (``(version, "ab")``); their
    descriptors are kept for the run, so an entry costs one open like a plain path would.
    """

    def __init__(self, path: Path, project_root: Path | None = None) -> None:
        self.path = path
        self.project_root = project_root
        self.refused: str | None = None  # why the cache is not used, once known
        self._key: bytes | None = None
        self._folders: dict[tuple[str, ...], int] = {}
        self._unusable: set[tuple[str, ...]] = set()  # links or files where a folder should be
        self._prepared = False

    @classmethod
    def open(cls, path: Path, project_root: Path) -> CacheFolder:
        """The cache folder checked up front: raises CacheRefused when it cannot be used."""
        folder = cls(path, project_root)
        folder.check()
        folder.key()
        return folder

    def check(self) -> None:
        """Refuse a cache folder that is a symlink, not a folder, or another user's."""
        try:
            info = os.lstat(self.path)
        except FileNotFoundError:
            return
        except OSError as error:
            self._refuse(f"cannot read the cache folder {self.path}: {error.strerror}")
        if stat.S_ISLNK(info.st_mode):
            self._refuse(f"the cache folder {self.path} is a symlink")
        if not stat.S_ISDIR(info.st_mode):
            self._refuse(f"the cache folder {self.path} is not a folder")
        if info.st_uid != os.getuid():
            self._refuse(f"the cache folder {self.path} belongs to another user")

    def _refuse(self, reason: str) -> NoReturn:
        self.refused = reason
        raise CacheRefused(reason)

    def key(self) -> bytes:
        if self.refused is not None:
            raise CacheRefused(self.refused)
        if self._key is None:
            try:
                self._key = signing_key(self.project_root)
            except CacheRefused as refusal:
                self._refuse(str(refusal))
        return self._key

    def folder(self, parts: tuple[str, ...], create: bool = False) -> int | None:
        """The descriptor of the folder at ``parts`` (None: missing, or not a real folder)."""
        descriptor = self._folders.get(parts)
        if descriptor is not None:
            return descriptor
        if parts in self._unusable or self.refused is not None:
            return None
        if parts:
            parent = self.folder(parts[:-1], create)
            if parent is None:
                return None
            opened = self._open_folder(parts, parent, create)
        else:
            opened = self._open_root(create)
        if opened is not None:
            self._folders[parts] = opened
        return opened

    def _open_root(self, create: bool) -> int | None:
        try:
            self.check()
            try:
                descriptor = os.open(self.path, _FOLDER_FLAGS)
            except FileNotFoundError:
                if not create:
                    return None
                self.path.mkdir(parents=True, exist_ok=True)
                descriptor = os.open(self.path, _FOLDER_FLAGS)
        except CacheRefused:
            return None
        except OSError:
            return None  # a cache that cannot be written (read-only checkout) costs speed
        if os.fstat(descriptor).st_uid != os.getuid():  # swapped since check()
            os.close(descriptor)
            self.refused = f"the cache folder {self.path} belongs to another user"
            return None
        return descriptor

    def _open_folder(self, parts: tuple[str, ...], parent: int, create: bool) -> int | None:
        name = parts[-1]
        try:
            return os.open(name, _FOLDER_FLAGS, dir_fd=parent)
        except FileNotFoundError:
            if not create:
                return None
        except OSError:  # a symlink (ELOOP) or a file (ENOTDIR) where the folder should be
            self._unusable.add(parts)
            return None
        try:
            os.mkdir(name, dir_fd=parent)
        except FileExistsError:
            pass
        except OSError:
            return None
        try:
            return os.open(name, _FOLDER_FLAGS, dir_fd=parent)
        except OSError:
            return None

    def read(self, parts: tuple[str, ...], name: str) -> tuple[bytes, os.stat_result] | None:
        """A regular file's bytes and status (None: missing, a link, not a regular file)."""
        folder = self.folder(parts)
        return None if folder is None else _read_regular(name, dir_fd=folder)

    def touch(self, parts: tuple[str, ...], name: str) -> None:
        """Mark an entry as used now (through a descriptor: a link is never touched)."""
        folder = self.folder(parts)
        if folder is None:
            return
        with contextlib.suppress(OSError):
            descriptor = os.open(name, _READ_FLAGS, dir_fd=folder)
            try:
                if stat.S_ISREG(os.fstat(descriptor).st_mode):
                    os.utime(descriptor)
            finally:
                os.close(descriptor)

    def write(self, parts: tuple[str, ...], name: str, data: bytes) -> None:
        """Write an entry atomically; raises OSError when it cannot be written."""
        folder = self.folder(parts, create=True)
        if folder is None:
            raise OSError(errno.ENOENT, "no cache folder", str(self.path.joinpath(*parts)))
        self._prepare()
        _replace_atomically(name, data, folder)

    def remove(self, parts: tuple[str, ...], name: str) -> None:
        """Remove an entry if it is a regular file (a link or a folder is left alone)."""
        folder = self.folder(parts)
        if folder is None:
            return
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.lstat(name, dir_fd=folder).st_mode):
                os.unlink(name, dir_fd=folder)

    def _prepare(self) -> None:
        """Mark the folder as a cache for git and backup tools (existing names are kept)."""
        if self._prepared:
            return
        self._prepared = True
        root = self.folder(())
        if root is None:
            return
        for name, text in (
            (".gitignore", "# Created by vpclint automatically.\n*\n"),
            (
                "CACHEDIR.TAG",
                "Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by vpclint.\n",
            ),
        ):
            with contextlib.suppress(OSError):
                _write_new(name, text.encode(), root)

    def clean(self, keep: str, now: float) -> int:
        """Remove every folder but ``keep`` and, in ``keep``, entries unused for a week and
        temp files of killed runs; returns the files removed. Only regular files, checked
        with lstat, are removed; a link is never followed."""
        root = self.folder(())
        if root is None:
            return 0
        removed = 0
        for entry in _entries(root):
            if entry.is_dir(follow_symlinks=False) and entry.name != keep:
                removed += _remove_tree(root, entry.name, _MAX_DEPTH)
            elif entry.name.startswith(_TEMP_PREFIX):
                removed += _remove_if_older(root, entry, STALE_TEMP_AFTER_SECONDS, now)
        kept = self.folder((keep,))
        if kept is None:
            return removed
        for sub in _entries(kept):
            if not sub.is_dir(follow_symlinks=False):
                continue
            folder = self.folder((keep, sub.name))
            if folder is None:
                continue
            for entry in _entries(folder):
                age = (
                    STALE_TEMP_AFTER_SECONDS if entry.name.startswith(".") else STALE_AFTER_SECONDS
                )
                removed += _remove_if_older(folder, entry, age, now)
        return removed

    def close(self) -> None:
        for descriptor in self._folders.values():
            with contextlib.suppress(OSError):
                os.close(descriptor)
        self._folders.clear()

    def __del__(self) -> None:
        self.close()


def _entries(folder: int) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as found:
            return list(found)
    except OSError:
        return []


def _remove_if_older(folder: int, entry: os.DirEntry[str], age: float, now: float) -> int:
    try:
        info = entry.stat(follow_symlinks=False)
        if stat.S_ISREG(info.st_mode) and now - info.st_mtime > age:
            os.unlink(entry.name, dir_fd=folder)
            return 1
    except OSError:
        pass
    return 0


def _remove_tree(parent: int, name: str, depth: int) -> int:
    """Remove the regular files and then the folders of ``name`` in ``parent``, never
    following a link and no deeper than ``depth`` (vpclint's own folders are shallow)."""
    try:
        folder = os.open(name, _FOLDER_FLAGS, dir_fd=parent)
    except OSError:
        return 0
    removed = 0
    try:
        for entry in _entries(folder):
            if entry.is_dir(follow_symlinks=False):
                if depth > 1:
                    removed += _remove_tree(folder, entry.name, depth - 1)
            elif entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.name, dir_fd=folder)
                    removed += 1
    finally:
        os.close(folder)
    with contextlib.suppress(OSError):
        os.rmdir(name, dir_fd=parent)
    return removed


# What cache entries hold besides vpclint's own data classes (found by recording every class
# the entries of the benchmark workload and the test suite name, plus their close kin).
_STANDARD_CLASSES = {
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("builtins", "bytearray"),
    ("builtins", "complex"),
    ("builtins", "slice"),
    ("builtins", "range"),
    ("collections", "OrderedDict"),
    ("collections", "defaultdict"),
    ("collections", "Counter"),
    ("collections", "deque"),
    ("pathlib", "PosixPath"),
    ("pathlib", "PurePosixPath"),
    ("pathlib", "WindowsPath"),
    ("pathlib", "PureWindowsPath"),
    ("ipaddress", "IPv4Network"),
    ("ipaddress", "IPv6Network"),
    ("ipaddress", "IPv4Address"),
    ("ipaddress", "IPv6Address"),
    ("ipaddress", "IPv4Interface"),
    ("ipaddress", "IPv6Interface"),
}
# vpclint's own classes that are plain data without being dataclasses or models.
_PLAIN_DATA_CLASSES = {("vpclint.parse.cloudformation.nodes", "TaggedValue")}


def _is_data_class(found: type) -> bool:
    """A class whose construction and state setting run no code of the entry's choosing:
    dataclasses, pydantic models, enums, and subclasses of builtin values."""
    from pydantic import BaseModel

    return (
        dataclasses.is_dataclass(found)
        or issubclass(found, BaseModel | enum.Enum)
        or issubclass(found, str | int | float | bytes | tuple | list | dict | frozenset | set)
    )


# The classes admitted so far: each is checked once per process, not once per entry.
_ADMITTED: dict[tuple[str, str], type] = {}


class _DataUnpickler(pickle.Unpickler):
    """An unpickler that finds only data classes: no function, no class of another library,
    so REDUCE and BUILD can only make vpclint's values."""

    def find_class(self, module: str, name: str) -> Any:
        found = _ADMITTED.get((module, name))
        if found is not None:
            return found
        if (module, name) in _STANDARD_CLASSES or (
            module.startswith("vpclint.") and "." not in name
        ):
            candidate = super().find_class(module, name)
            if (
                isinstance(candidate, type)
                and candidate.__module__ == module
                and candidate.__qualname__ == name
                and (
                    (module, name) in _STANDARD_CLASSES
                    or (module, name) in _PLAIN_DATA_CLASSES
                    or _is_data_class(candidate)
                )
            ):
                _ADMITTED[(module, name)] = candidate
                return candidate
        raise pickle.UnpicklingError(f"cache entries never hold {module}.{name}")


def load_data(payload: bytes) -> Any:
    """Unpickle a cache entry, admitting only data classes (see :class:`_DataUnpickler`)."""
    return _DataUnpickler(io.BytesIO(payload)).load()


def payload_digest(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()[:32]


class ParseCache:
    """Parse results on disk under ``folder/<version>/``; a miss is ``None``."""

    def __init__(self, folder: Path | CacheFolder, settings_fingerprint: str) -> None:
        self.files = folder if isinstance(folder, CacheFolder) else CacheFolder(folder)
        self.fingerprint = settings_fingerprint

    def entry_key(self, frontend_names: str, data: bytes, name: str) -> str:
        """The entry for one file; its reported path is part of the key, as results embed it."""
        digest = hashlib.sha256()
        for part in (__version__, ENTRY_FORMAT, self.fingerprint, frontend_names, name):
            digest.update(part.encode(errors="surrogateescape"))
            digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> Any | None:
        found = self.get_with_digest(key)
        return found[0] if found is not None else None

    def get_with_digest(self, key: str) -> tuple[Any, str] | None:
        """The entry and the digest of its bytes (see :meth:`put`); None on a miss."""
        parts = (__version__, key[:2])
        found = self.files.read(parts, key[2:])
        if found is None:
            return None
        blob, info = found
        signature, payload = blob[:_SIGNATURE_SIZE], blob[_SIGNATURE_SIZE:]
        try:
            expected = hmac.new(self.files.key(), payload, hashlib.sha256).digest()
        except CacheRefused:
            return None
        if not hmac.compare_digest(signature, expected):
            return None
        try:
            value = load_data(payload)
        except Exception:  # an entry from an incompatible build: recompute it
            return None
        if time.time() - info.st_mtime > STALE_AFTER_SECONDS / 2:
            self.files.touch(parts, key[2:])  # keep entries still in use from being cleaned
        return value, payload_digest(payload)

    def put(self, key: str, value: Any) -> str:
        """Store ``value``; returns the digest of its pickled bytes, equal for equal values
        that pickle alike (whether or not the cache could be written)."""
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return "unstored:" + os.urandom(16).hex()  # equal to no other value's digest
        try:
            signature = hmac.new(self.files.key(), payload, hashlib.sha256).digest()
            self.files.write((__version__, key[:2]), key[2:], signature + payload)
        except (OSError, CacheRefused):
            pass  # a cache that cannot be written (read-only checkout, full disk) costs speed
        return payload_digest(payload)

    def remove(self, key: str) -> None:
        """Delete an entry no longer needed (a miss for any run that still looks for it)."""
        self.files.remove((__version__, key[:2]), key[2:])

    def clean(self) -> int:
        """Remove other versions' folders, entries unused for a week and temp files left by
        killed runs; returns the files removed.

        Runs at most once a day per cache folder, so warm runs do not pay for a full scan.
        """
        root = self.files.folder(())
        if root is None:
            return 0
        now = time.time()
        with contextlib.suppress(OSError):
            info = os.lstat(".last-clean", dir_fd=root)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime < 24 * 3600:
                return 0
        with contextlib.suppress(OSError):
            # Non-blocking: a FIFO planted as the marker must not stall the run.
            flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC
            descriptor = os.open(".last-clean", flags, 0o666, dir_fd=root)
            try:
                os.utime(descriptor)
            finally:
                os.close(descriptor)
        return self.files.clean(__version__, now)
