"""Offline models of public registry modules, for when they are not downloaded.

A model is a small Terraform module written for vpclint: it declares the inputs that shape the
address plan and creates the resources with the same addresses as the real module, and the
outputs callers use. It is evaluated like any local module; the objects it creates point at the
user's module block, and each address block at the module argument it came from. A model may
call another model (terraform-google-modules/network calls its vpc and subnets submodules).
"""

from __future__ import annotations

from functools import lru_cache

from vpclint.evaluate.terraform import registry_gcp_network, registry_vpc
from vpclint.evaluate.terraform.module_model import RegistryModel


@lru_cache(maxsize=1)
def all_models() -> tuple[RegistryModel, ...]:
    return (registry_vpc.MODEL, *registry_gcp_network.MODELS)


def model_for(source: str) -> RegistryModel | None:
    return next((model for model in all_models() if model.matches(source)), None)


def is_model_file(file: str) -> bool:
    return any(model.display == file for model in all_models())
