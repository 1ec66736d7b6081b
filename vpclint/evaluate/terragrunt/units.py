"""A project's Terragrunt units and the module folder each one runs.

Every discovered ``terragrunt.hcl`` is a unit unless a unit includes it (then it is a parent
configuration: the unit's settings, not a unit of its own). A unit runs the module its
``terraform { source = ... }`` names, or its own folder's ``.tf`` files when it names none.
A local source may use Terragrunt's ``//`` subdirectory form and a ``?ref=``; a remote one is
read only where Terragrunt downloaded it into the unit's ``.terragrunt-cache``, or where vpclint
models the registry module; otherwise it is not analysed, with the reason.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import vpclint.evaluate.observed as observed
from vpclint.discover.sources import display_path
from vpclint.evaluate.terraform.module_model import RegistryModel
from vpclint.evaluate.terraform.registry_models import model_for
from vpclint.evaluate.terraform.values import UnknownValue

CACHE_FOLDER = ".terragrunt-cache"
_REMOTE = re.compile(r"^[a-z0-9]+::|^[a-z0-9+.-]+://|^[\w.-]+\.[a-z]{2,}/", re.IGNORECASE)
_REGISTRY = re.compile(r"^tfr://(?:registry\.terraform\.io)?/(?P<module>[^?]+)(?:\?.*)?$")


def unit_name(directory: Path) -> str:
    """How findings, the map and inventories name a unit (``live/prod/vpc``): the key its
    resources are attributed to, as a Terraform root's is its folder."""
    return display_path(directory)


@dataclass(frozen=True)
class ModuleSource:
    """Where a unit's module is: a folder, a modelled registry module, or why neither."""

    directory: Path | None = None
    registry_module: RegistryModel | None = None
    not_read: str | None = None


def split_source(source: str) -> tuple[str, str]:
    """The package and its ``//`` subdirectory, as go-getter splits a source (the ``://`` of a
    scheme is not a subdirectory separator); the ``?ref=`` query is dropped from both."""
    scheme_end = source.find("://")
    start = scheme_end + 3 if scheme_end >= 0 else 0
    package, query_start = source, source.find("?", start)
    if query_start >= 0:
        package = source[:query_start]
    separator = package.find("//", start)
    if separator < 0:
        return package, ""
    return package[:separator], package[separator + 2 :]


def is_remote(source: str) -> bool:
    return bool(_REMOTE.match(source)) and not source.startswith("file://")


def locate_module(source: Any, unit_directory: Path) -> ModuleSource:
    """The folder a unit's evaluated ``terraform.source`` names."""
    if isinstance(source, UnknownValue):
        return ModuleSource(not_read=f"its terraform.source is not known: {source.reason}")
    if not isinstance(source, str):
        return ModuleSource(not_read="its terraform.source is not a string")
    registry = _REGISTRY.match(source)
    if is_remote(source):
        cached = _cached_download(unit_directory, split_source(source)[1])
        if isinstance(cached, Path):
            return ModuleSource(directory=cached)
        package, subdirectory = split_source(source)
        module = registry.group("module") if registry else package
        if not registry and subdirectory:
            module = f"{package}//{subdirectory}"  # a submodule is a model of its own
        model = model_for(module)
        if model is not None:
            return ModuleSource(registry_module=model)
        return ModuleSource(
            not_read=f"its module comes from {source}; vpclint reads it once Terragrunt has "
            f"downloaded it ({CACHE_FOLDER} in the unit's folder){cached}"
        )
    package, subdirectory = split_source(source.removeprefix("file://"))
    directory = Path(os.path.normpath(os.path.join(unit_directory, package, subdirectory)))
    return ModuleSource(directory=directory)


def _cached_download(unit_directory: Path, subdirectory: str) -> Path | str:
    """The module folder Terragrunt downloaded for the unit (``.terragrunt-cache/H1/H2/`` and
    the source's subdirectory), when there is exactly one; else why not (appended to the
    message)."""
    cache = unit_directory / CACHE_FOLDER
    observed.note_directory(cache)
    if not cache.is_dir():
        return ""
    found: list[Path] = []
    for first in sorted(cache.iterdir()):
        observed.note_directory(first)
        if not first.is_dir() or first.is_symlink():
            continue
        for second in sorted(first.iterdir()):
            candidate = second / subdirectory if subdirectory else second
            observed.note_directory(candidate)
            if candidate.is_dir() and any(
                name.endswith((".tf", ".tf.json")) for name in os.listdir(candidate)
            ):
                found.append(candidate)
    if len(found) == 1:
        return found[0]
    if found:
        return f"; {CACHE_FOLDER} holds {len(found)} downloads of it, and vpclint does not guess"
    return ""
