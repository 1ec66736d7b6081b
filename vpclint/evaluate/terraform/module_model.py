"""What an offline model of a public registry module is (the models: ``registry_models``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from vpclint.parse.terraform import syntax as s
from vpclint.parse.terraform.hcl import parse_hcl


@dataclass(frozen=True, eq=False)
class RegistryModel:
    """One public module vpclint models, and how its objects point back at the user's call."""

    # The file name the model's own nodes carry; never shown (locations move to the call).
    display: str
    sources: re.Pattern[str]
    text: str = field(repr=False)
    # (resource type, resource name, attribute) -> the module argument its value comes from,
    # with the item's attribute after a dot when the argument is a list or map of objects.
    argument_of: Mapping[tuple[str, str, str], str] = field(default_factory=dict)
    # For an argument that is a list of objects and a resource made per item with for_each:
    # the item's attribute that the for_each key is made from (``subnet_name``).
    item_key: str | None = None

    def matches(self, source: str) -> bool:
        return bool(self.sources.match(source.strip()))

    @cached_property
    def body(self) -> s.Body:
        return parse_hcl(self.text, max_depth=200)


def github_or_registry(registry: str, repository: str, submodule: str = "") -> re.Pattern[str]:
    """The sources a module is called by: the registry address (optionally with its host) and
    the GitHub repository over https, ssh or git::, at any ref; ``submodule`` the ``//modules/x``
    part."""
    sub = re.escape(submodule)
    return re.compile(
        rf"^(?:registry\.terraform\.io/)?{re.escape(registry)}{sub}$"
        rf"|^(?:git::)?(?:https://|ssh://git@|git@)?github\.com[/:]{re.escape(repository)}"
        rf"(?:\.git)?{sub}(?:\?ref=[^/]*)?$",
        re.IGNORECASE,
    )
