"""Terragrunt's own evaluation, as Terragrunt documents and implements it: includes and their
merge strategies, locals, the path functions, get_env, read_terragrunt_config, dependencies.

Each case is a small project whose module turns one input into a VPC's CIDR, so what vpclint
evaluated for the input is what the network's block says.
"""

from __future__ import annotations

from pathlib import Path

from tests.files import write
from tests.terraform.conftest import evaluate_folder
from vpclint.topology.models import Network, Topology, UnknownKind

NETWORK_MODULE = """variable "cidr" {
  type = string
}

variable "extra" {
  type    = list(string)
  default = []
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
}

resource "aws_vpc_ipv4_cidr_block_association" "extra" {
  count      = length(var.extra)
  vpc_id     = aws_vpc.this.id
  cidr_block = var.extra[count.index]
}

output "id" {
  value = aws_vpc.this.id
}

output "cidr" {
  value = aws_vpc.this.cidr_block
}
"""


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    return write(tmp_path, {"modules/net/main.tf": NETWORK_MODULE, **files})


def networks(topology: Topology) -> dict[str, Network]:
    """Networks by their unit (the part of the key before the resource address)."""
    found: dict[str, Network] = {}
    for network in topology.networks:
        unit, _, address = network.key.partition("::")
        assert address == "aws_vpc.this"
        found[unit.rsplit("/", 2)[-2] + "/" + unit.rsplit("/", 1)[-1]] = network
    return found


def cidrs(network: Network) -> list[str | None]:
    return [block.cidr for block in network.ipv4_blocks]


def unit(inputs: str, *, header: str = "", source: str = "../../modules/net") -> str:
    return f'{header}\nterraform {{\n  source = "{source}"\n}}\n\ninputs = {inputs}\n'


def test_a_unit_runs_its_module_with_its_inputs_and_the_module_is_no_root(tmp_path: Path) -> None:
    root = project(tmp_path, {"live/a/terragrunt.hcl": unit('{ cidr = "10.1.0.0/16" }')})
    topology = evaluate_folder(root)
    assert {key: cidrs(n) for key, n in networks(topology).items()} == {"live/a": ["10.1.0.0/16"]}
    assert not topology.not_analysed


def test_subdirectory_and_ref_in_a_local_source(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "live/a/terragrunt.hcl": unit(
                '{ cidr = "10.1.0.0/16" }', source="../../modules//net?ref=v1"
            )
        },
    )
    assert cidrs(networks(evaluate_folder(root))["live/a"]) == ["10.1.0.0/16"]


DEEPER = "../../../modules/net"
ROOT_CONFIG = """locals {
  env    = read_terragrunt_config(find_in_parent_folders("env.hcl"))
  prefix = "10.${local.env.locals.number}"
}

inputs = {
  cidr  = "${local.prefix}.0.0/16"
  extra = ["100.64.0.0/24"]
}
"""


def test_include_find_in_parent_folders_locals_and_read_terragrunt_config(tmp_path: Path) -> None:
    # find_in_parent_folders() starts in the folder above the unit's and is evaluated in the
    # unit's context even inside the included file, so each unit finds its own env.hcl.
    include = 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n'
    root = project(
        tmp_path,
        {
            "live/root.hcl": ROOT_CONFIG,
            "live/prod/env.hcl": "locals {\n  number = 20\n}\n",
            "live/dev/env.hcl": "locals {\n  number = 30\n}\n",
            # env.hcl beside a unit's own terragrunt.hcl would not be found: the search starts
            # in the folder above the unit's
            "live/prod/net/env.hcl": "locals {\n  number = 99\n}\n",
            "live/prod/net/terragrunt.hcl": include + unit("{}", source=DEEPER),
            "live/dev/net/terragrunt.hcl": include
            + unit('{ extra = ["100.64.1.0/24"] }', source=DEEPER),
        },
    )
    found = networks(evaluate_folder(root))
    # shallow merge (the default): the unit's inputs replace the included ones key by key
    assert cidrs(found["prod/net"]) == ["10.20.0.0/16", "100.64.0.0/24"]
    assert cidrs(found["dev/net"]) == ["10.30.0.0/16", "100.64.1.0/24"]


def test_merge_strategies(tmp_path: Path) -> None:
    def including(strategy: str) -> str:
        return (
            f'include "root" {{\n  path = find_in_parent_folders("root.hcl")\n'
            f'  merge_strategy = "{strategy}"\n}}\n'
        )

    root = project(
        tmp_path,
        {
            "live/root.hcl": 'inputs = {\n  cidr = "10.9.0.0/16"\n  extra = ["100.64.0.0/24"]\n}\n',
            "live/deep/terragrunt.hcl": including("deep") + unit('{ extra = ["100.64.1.0/24"] }'),
            "live/shallow/terragrunt.hcl": including("shallow")
            + unit('{ extra = ["100.64.1.0/24"] }'),
            "live/none/terragrunt.hcl": including("no_merge")
            + unit('{ extra = ["100.64.1.0/24"] }'),
        },
    )
    topology = evaluate_folder(root)
    found = networks(topology)
    # deep: lists are the included list followed by the unit's
    assert cidrs(found["live/deep"]) == ["10.9.0.0/16", "100.64.0.0/24", "100.64.1.0/24"]
    assert cidrs(found["live/shallow"]) == ["10.9.0.0/16", "100.64.1.0/24"]
    # no_merge: the included inputs are not the unit's; its cidr has no value
    none, extra = found["live/none"].ipv4_blocks
    assert none.cidr is None and none.unknown is not None
    assert "cidr" in none.unknown.reason
    assert extra.cidr == "100.64.1.0/24"


def test_expose_path_functions_and_get_parent_terragrunt_dir(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "live/root.hcl": (
                "locals {\n  octet = length(path_relative_to_include())\n}\n"
                "inputs = {\n  where = path_relative_to_include()\n}\n"
            ),
            "live/ab/terragrunt.hcl": (
                'include "root" {\n  path = find_in_parent_folders("root.hcl")\n'
                "  expose = true\n}\n"
                "terraform {\n"
                '  source = "${get_parent_terragrunt_dir()}/../modules/net"\n}\n'
                'inputs = {\n  cidr = "10.${include.root.locals.octet}.0.0/16"\n}\n'
            ),
        },
    )
    # path_relative_to_include() in the included file is "ab" (the unit's folder relative to
    # root.hcl's): two characters long.
    assert cidrs(networks(evaluate_folder(root))["live/ab"]) == ["10.2.0.0/16"]


def test_get_env_with_default_and_required(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "live/a/terragrunt.hcl": unit('{ cidr = get_env("NET_A", "10.1.0.0/16") }'),
            "live/b/terragrunt.hcl": unit('{ cidr = get_env("NET_B", "10.2.0.0/16") }'),
            "live/c/terragrunt.hcl": unit('{ cidr = get_env("NET_C") }'),
        },
    )
    found = networks(evaluate_folder(root, environment={"NET_B": "10.22.0.0/16"}))
    assert cidrs(found["live/a"]) == ["10.1.0.0/16"]
    assert cidrs(found["live/b"]) == ["10.22.0.0/16"]
    (missing,) = found["live/c"].ipv4_blocks
    assert missing.unknown is not None and missing.unknown.kind == UnknownKind.ERROR
    assert "get_env" in missing.unknown.reason and "NET_C" in missing.unknown.reason


def test_a_terragrunt_function_vpclint_does_not_evaluate_is_named(tmp_path: Path) -> None:
    root = project(
        tmp_path, {"live/a/terragrunt.hcl": unit('{ cidr = run_cmd("echo", "10.0.0.0/8") }')}
    )
    (block,) = networks(evaluate_folder(root))["live/a"].ipv4_blocks
    assert block.unknown is not None and "run_cmd()" in block.unknown.reason


def test_dependency_outputs_are_the_other_units_module_outputs(tmp_path: Path) -> None:
    dependency = (
        'dependency "base" {\n  config_path = "../base"\n'
        '  mock_outputs = { cidr = "192.168.0.0/16" }\n}\n'
    )
    root = project(
        tmp_path,
        {
            "live/base/terragrunt.hcl": unit('{ cidr = "10.5.0.0/16" }'),
            "live/next/terragrunt.hcl": unit(
                "{ cidr = cidrsubnet(dependency.base.outputs.cidr, 0, 0) }", header=dependency
            ),
        },
    )
    topology = evaluate_folder(root)
    assert cidrs(networks(topology)["live/next"]) == ["10.5.0.0/16"]  # not the mock
    assert not topology.not_analysed


def test_mock_outputs_only_when_the_dependency_cannot_be_evaluated(tmp_path: Path) -> None:
    dependency = (
        'dependency "gone" {\n  config_path = "../gone"\n'
        '  mock_outputs = { cidr = "192.168.0.0/16" }\n}\n'
    )
    root = project(
        tmp_path,
        {
            "live/next/terragrunt.hcl": unit(
                "{ cidr = dependency.gone.outputs.cidr }", header=dependency
            ),
        },
    )
    topology = evaluate_folder(root)
    (block,) = networks(topology)["live/next"].ipv4_blocks
    assert block.cidr == "192.168.0.0/16"
    # the block says it is only assumed, and where the mock comes from
    assert block.assumed is not None and "mock output of dependency 'gone'" in block.assumed
    (mocked,) = topology.not_analysed
    assert "mock_outputs" in mocked.message and mocked.location.line == 1


def test_a_value_computed_from_a_mock_output_is_assumed_too(tmp_path: Path) -> None:
    dependency = (
        'dependency "gone" {\n  config_path = "../gone"\n'
        '  mock_outputs = { prefix = "192.168" }\n}\n'
    )
    root = project(
        tmp_path,
        {
            "live/next/terragrunt.hcl": unit(
                '{ cidr = cidrsubnet("${dependency.gone.outputs.prefix}.0.0/16", 8, 3) }',
                header=dependency,
            ),
            "live/real/terragrunt.hcl": unit('{ cidr = cidrsubnet("192.168.0.0/16", 8, 3) }'),
        },
    )
    found = networks(evaluate_folder(root))
    (assumed,) = found["live/next"].ipv4_blocks
    assert assumed.cidr == "192.168.3.0/24" and assumed.assumed is not None
    (real,) = found["live/real"].ipv4_blocks
    assert real.cidr == "192.168.3.0/24" and real.assumed is None


def test_a_dependency_cycle_is_an_unknown_not_a_hang(tmp_path: Path) -> None:
    def depends_on(other: str) -> str:
        return f'dependency "other" {{\n  config_path = "../{other}"\n}}\n'

    root = project(
        tmp_path,
        {
            "live/a/terragrunt.hcl": unit(
                "{ cidr = dependency.other.outputs.cidr }", header=depends_on("b")
            ),
            "live/b/terragrunt.hcl": unit(
                "{ cidr = dependency.other.outputs.cidr }", header=depends_on("a")
            ),
        },
    )
    found = networks(evaluate_folder(root))
    for name in ("live/a", "live/b"):
        (block,) = found[name].ipv4_blocks
        assert block.cidr is None and block.unknown is not None


def test_a_generate_block_with_literal_terraform_is_part_of_the_unit(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "live/a/terragrunt.hcl": (
                'generate "net" {\n  path     = "net.tf"\n  contents = <<EOF\n'
                'resource "aws_vpc" "this" {\n  cidr_block = "10.7.0.0/16"\n}\nEOF\n}\n'
            )
        },
    )
    (network,) = evaluate_folder(root).networks
    assert cidrs(network) == ["10.7.0.0/16"]
    # reported at the line of the generated text inside terragrunt.hcl
    assert network.location.file.endswith("live/a/terragrunt.hcl")
    assert network.location.line == 4


def test_a_remote_source_is_not_analysed_unless_downloaded(tmp_path: Path) -> None:
    source = "git::https://git.example.com/acme/modules.git//net?ref=v1"
    root = write(
        tmp_path, {"live/a/terragrunt.hcl": unit('{ cidr = "10.1.0.0/16" }', source=source)}
    )
    topology = evaluate_folder(root)
    assert not topology.networks
    (item,) = topology.not_analysed
    assert source in item.message and ".terragrunt-cache" in item.message
    # Once Terragrunt downloaded it, the copy in the unit's .terragrunt-cache is read.
    write(root, {"live/a/.terragrunt-cache/h1/h2/net/main.tf": NETWORK_MODULE})
    topology = evaluate_folder(root)
    assert cidrs(networks(topology)["live/a"]) == ["10.1.0.0/16"]
    assert not topology.not_analysed


def test_terragrunt_hcl_json_is_read_as_its_hcl_twin(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "live/root.hcl": "locals {\n  second = 44\n}\n",
            "live/a/terragrunt.hcl.json": """{
  "include": {"root": {"path": "${find_in_parent_folders(\\"root.hcl\\")}", "expose": true}},
  "terraform": {"source": "../../modules//net"},
  "dependency": {"b": {"config_path": "../b"}},
  "inputs": {
    "cidr": "10.${include.root.locals.second}.0.0/16",
    "extra": ["${dependency.b.outputs.cidr}"]
  }
}
""",
            "live/b/terragrunt.hcl": unit('{ cidr = "100.64.0.0/16" }'),
        },
    )
    topology = evaluate_folder(root)
    assert cidrs(networks(topology)["live/a"]) == ["10.44.0.0/16", "100.64.0.0/16"]
