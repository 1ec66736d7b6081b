"""Property tests: random and mutated HCL, YAML and JSON through the whole command line.

Whatever the input, ``vpclint --format json`` must exit 0 or 1 (never 2, never a traceback),
print valid JSON, and report only known codes at lines that exist in the file they name.
Generated inputs are shaped like infrastructure code (network resources, CIDR functions,
intrinsics, count/for_each) so that they reach evaluation and the rules, not only the parsers.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.soundness import COMPANION_TF, assert_sound, lint_folder, write_project

REPOSITORY = Path(__file__).resolve().parents[2]
FIXTURE_FILES = sorted(
    path
    for path in [
        *(REPOSITORY / "fixtures").rglob("*"),
        *(REPOSITORY / "fuzz" / "seeds").rglob("*"),
    ]
    if path.is_file()
    and path.name.endswith((".tf", ".tfvars", ".yaml", ".yml", ".json"))
    and path.stat().st_size < 20_000
)

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@contextmanager
def _scratch_project() -> Iterator[Path]:
    """A fresh folder as the working directory (hypothesis examples cannot share tmp_path)."""
    previous = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="vpclint-property-") as folder:
        os.chdir(folder)
        try:
            yield Path(folder)
        finally:
            os.chdir(previous)


def lint_files(files: Mapping[str, bytes]) -> dict[str, Any]:
    with _scratch_project() as root:
        write_project(root, files)
        _, document, _ = lint_folder(Path("."))
        assert_sound(document, files)
        return document


# -- mutations of our own fixtures ------------------------------------------------------------


def _byte_mutation(data: bytes, draw: st.DrawFn) -> bytes:
    position = draw(st.integers(0, max(len(data), 1) - 1))
    kind = draw(st.sampled_from(["delete", "insert", "replace", "duplicate", "truncate"]))
    length = draw(st.integers(1, 64))
    if kind == "delete":
        return data[:position] + data[position + length :]
    if kind == "insert":
        return data[:position] + draw(st.binary(min_size=1, max_size=16)) + data[position:]
    if kind == "replace":
        special = st.sampled_from([b"{", b"}", b"[", b"]", b'"', b"'", b"$", b"\\", b"\x00", b":"])
        return (
            data[:position]
            + draw(special | st.binary(min_size=1, max_size=4))
            + data[position + 1 :]
        )
    if kind == "duplicate":
        return data[:position] + data[position : position + length] * 2 + data[position + length :]
    return data[:position]


def _line_mutation(data: bytes, draw: st.DrawFn) -> bytes:
    lines = data.split(b"\n")
    index = draw(st.integers(0, len(lines) - 1))
    other = draw(st.integers(0, len(lines) - 1))
    kind = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent", "crlf"]))
    if kind == "delete":
        del lines[index]
    elif kind == "duplicate":
        lines.insert(other, lines[index])
    elif kind == "swap":
        lines[index], lines[other] = lines[other], lines[index]
    elif kind == "indent":
        lines[index] = b"  " + lines[index]
    elif kind == "dedent":
        lines[index] = lines[index].lstrip()
    else:
        return b"\r\n".join(lines)
    return b"\n".join(lines)


@st.composite
def mutated_fixture(draw: st.DrawFn) -> tuple[str, bytes]:
    path = draw(st.sampled_from(FIXTURE_FILES))
    data = path.read_bytes()
    for _ in range(draw(st.integers(1, 4))):
        mutate = draw(st.sampled_from([_byte_mutation, _line_mutation]))
        data = mutate(data, draw)
    return path.name, data


def _with_companion(name: str, data: bytes) -> dict[str, bytes]:
    if name.endswith((".tfvars", ".tfvars.json")):
        return {"main.tf": COMPANION_TF.read_bytes(), name: data}
    return {name: data}


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(mutated_fixture())
def test_mutated_fixtures_never_crash(case: tuple[str, bytes]) -> None:
    name, data = case
    lint_files(_with_companion(name, data))


# -- random Terraform ---------------------------------------------------------------------------

CIDRS = st.sampled_from(
    [
        "10.0.0.0/16",
        "10.0.0.0/8",
        "10.1.2.0/24",
        "0.0.0.0/0",
        "192.168.1.1/33",
        "10.0.0.1/16",
        "2001:db8::/56",
        "fd00::/8",
        "::/0",
        "not-a-cidr",
        "",
        "10.0.0.0",
        "256.1.1.1/8",
    ]
)
NUMBERS = st.one_of(
    st.integers(-5, 300),
    st.sampled_from([0, 1, 24, 32, 128, 2**31, 2**63, 10**30, -(2**63)]),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
)
REFERENCES = st.sampled_from(
    [
        "var.cidr",
        "var.newbits",
        "var.subnets",
        "var.regions",
        "local.base",
        "local.list",
        "local.self",
        "count.index",
        "each.key",
        "each.value",
        "aws_vpc.main.cidr_block",
        "aws_vpc.main.id",
        "aws_vpc.main[0].cidr_block",
        "aws_subnet.each",
        "aws_subnet.each[*].cidr_block",
        "module.net.cidr",
        "data.aws_vpc.peer.cidr_block",
        "path.module",
        "terraform.workspace",
        "self.cidr_block",
        "nothing.here",
    ]
)
FUNCTIONS = [
    "cidrsubnet",
    "cidrsubnets",
    "cidrhost",
    "cidrnetmask",
    "length",
    "element",
    "concat",
    "flatten",
    "lookup",
    "merge",
    "keys",
    "values",
    "tolist",
    "toset",
    "tomap",
    "format",
    "join",
    "split",
    "range",
    "slice",
    "zipmap",
    "try",
    "can",
    "coalesce",
    "compact",
    "distinct",
    "min",
    "max",
    "contains",
    "index",
    "replace",
    "substr",
    "jsonencode",
    "jsondecode",
    "tostring",
    "tonumber",
    "one",
    "sort",
    "setproduct",
    "chunklist",
    "pow",
    "parseint",
    "regex",
    "transpose",
    "sum",
    "file",
    "templatefile",
    "no_such_function",
]


def _hcl_string(text: str) -> str:
    return json.dumps(text).replace("${", "$${").replace("%{", "%%{")


# Longer than Python's int() converts (4300 digits): once an internal error in every front end.
TOO_LONG_NUMBER = "9" * 4400


def hcl_expressions() -> st.SearchStrategy[str]:
    leaves = st.one_of(
        CIDRS.map(_hcl_string),
        NUMBERS.map(lambda number: repr(number) if not isinstance(number, float) else f"{number}"),
        st.just(TOO_LONG_NUMBER),
        st.sampled_from(["true", "false", "null"]),
        REFERENCES,
        st.text(max_size=8).map(_hcl_string),
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        arguments = st.lists(inner, max_size=4).map(", ".join)
        return st.one_of(
            st.tuples(st.sampled_from(FUNCTIONS), arguments).map(lambda f: f"{f[0]}({f[1]})"),
            st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
            st.lists(st.tuples(st.sampled_from(["a", "b", "app", "db"]), inner), max_size=3).map(
                lambda pairs: "{" + ", ".join(f"{key} = {value}" for key, value in pairs) + "}"
            ),
            st.tuples(inner, inner, inner).map(
                lambda parts: f"{parts[0]} ? {parts[1]} : {parts[2]}"
            ),
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "%", "==", "&&"]), inner).map(
                lambda parts: f"({parts[0]} {parts[1]} {parts[2]})"
            ),
            st.tuples(inner, inner).map(lambda parts: f"[for i, v in {parts[0]} : {parts[1]}]"),
            st.tuples(inner, inner).map(
                lambda parts: f"{{ for k, v in {parts[0]} : k => {parts[1]} }}"
            ),
            st.tuples(inner, inner).map(lambda parts: f"{parts[0]}[{parts[1]}]"),
            inner.map(lambda part: f'"net-${{{part}}}"'),
        )

    return st.recursive(leaves, extend, max_leaves=12)


RESOURCE_TYPES = [
    "aws_vpc",
    "aws_subnet",
    "aws_vpc_ipv4_cidr_block_association",
    "aws_vpc_ipv6_cidr_block_association",
    "aws_vpc_peering_connection",
    "aws_ec2_transit_gateway_vpc_attachment",
    "azurerm_virtual_network",
    "azurerm_subnet",
    "google_compute_network",
    "google_compute_subnetwork",
    "aws_instance",
]
ATTRIBUTES = [
    "cidr_block",
    "ipv6_cidr_block",
    "vpc_id",
    "peer_vpc_id",
    "address_space",
    "address_prefixes",
    "ip_cidr_range",
    "network",
    "assign_generated_ipv6_cidr_block",
    "count",
    "for_each",
]


@st.composite
def terraform_files(draw: st.DrawFn) -> str:
    expression = hcl_expressions()
    blocks = [
        'variable "cidr" {\n  default = ' + draw(expression) + "\n}",
        'variable "newbits" {\n  default = ' + draw(expression) + "\n}",
        "locals {\n  base = "
        + draw(expression)
        + "\n  list = "
        + draw(expression)
        + "\n  self = local.self\n}",
    ]
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(RESOURCE_TYPES))
        name = draw(st.sampled_from(["main", "each", "peer", "a"]))
        attributes = draw(
            st.lists(st.tuples(st.sampled_from(ATTRIBUTES), expression), max_size=5, unique_by=str)
        )
        lines = [f"  {key} = {value}" for key, value in dict(attributes).items()]
        comment = draw(st.sampled_from(["", "# vpclint: ignore[VPC201] reason: test\n"]))
        blocks.append(f'{comment}resource "{kind}" "{name}" {{\n' + "\n".join(lines) + "\n}")
    if draw(st.booleans()):
        blocks.append(
            'module "net" {\n  source = "'
            + draw(st.sampled_from(["./net", ".", "../outside", "git::https://x/y"]))
            + '"\n  cidr = '
            + draw(expression)
            + "\n}"
        )
    return "\n\n".join(blocks) + "\n"


@PROPERTY_SETTINGS
@given(terraform_files())
def test_random_terraform_never_crashes(text: str) -> None:
    lint_files({"main.tf": text.encode()})


@PROPERTY_SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(["cidr", "newbits", "subnets", "regions", "unknown"]),
        hcl_expressions(),
        max_size=5,
    )
)
def test_random_tfvars_never_crash(values: dict[str, str]) -> None:
    tfvars = "".join(f"{name} = {value}\n" for name, value in values.items())
    lint_files({"main.tf": COMPANION_TF.read_bytes(), "terraform.tfvars": tfvars.encode()})


# -- random JSON: Terraform JSON, tfvars JSON, plans ---------------------------------------------

JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**64), 2**64),
    st.floats(allow_nan=False, allow_infinity=False),
    CIDRS,
    st.text(max_size=10),
    hcl_expressions().map(lambda expression: "${" + expression + "}"),
)
JSON_KEYS = st.sampled_from(
    [
        "resource",
        "variable",
        "locals",
        "module",
        "output",
        "default",
        "aws_vpc",
        "aws_subnet",
        "google_compute_subnetwork",
        "main",
        "cidr_block",
        "vpc_id",
        "count",
        "for_each",
        "source",
        "//",
        "address",
        "values",
        "resources",
        "child_modules",
        "root_module",
        "planned_values",
        "configuration",
        "module_calls",
        "expressions",
        "references",
        "type",
        "name",
        "mode",
        "index",
    ]
)


def json_values() -> st.SearchStrategy[Any]:
    return st.recursive(
        JSON_LEAVES,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(JSON_KEYS, inner, max_size=4),
        max_leaves=25,
    )


@st.composite
def terraform_json_files(draw: st.DrawFn) -> tuple[str, bytes]:
    value = draw(json_values())
    kind = draw(st.sampled_from(["main.tf.json", "terraform.tfvars.json", "plan.json"]))
    if kind == "main.tf.json":
        document: Any = {
            "resource": {draw(st.sampled_from(RESOURCE_TYPES)): {"main": value}},
            "locals": draw(st.dictionaries(st.sampled_from(["base", "list"]), json_values())),
        }
    elif kind == "plan.json":
        document = {
            "format_version": "1.2",
            "terraform_version": "1.7.0",
            "planned_values": {"root_module": value},
            "configuration": draw(json_values()),
        }
    else:
        document = value
    return kind, json.dumps(document, indent=draw(st.sampled_from([None, 2]))).encode()


@PROPERTY_SETTINGS
@given(terraform_json_files())
def test_random_terraform_json_never_crashes(case: tuple[str, bytes]) -> None:
    name, data = case
    lint_files(_with_companion(name, data))


# -- random CloudFormation ---------------------------------------------------------------------

CFN_TYPES = [
    "AWS::EC2::VPC",
    "AWS::EC2::Subnet",
    "AWS::EC2::VPCCidrBlock",
    "AWS::EC2::VPCPeeringConnection",
    "AWS::EC2::TransitGatewayAttachment",
    "AWS::EC2::SubnetCidrBlock",
    "AWS::EC2::Instance",
    "AWS::CloudFormation::Stack",
]
CFN_PROPERTIES = [
    "CidrBlock",
    "Ipv6CidrBlock",
    "VpcId",
    "PeerVpcId",
    "AmazonProvidedIpv6CidrBlock",
    "Ipv6CidrBlocks",
    "SubnetId",
    "AvailabilityZone",
]


def intrinsics() -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        CIDRS,
        st.integers(-3, 300),
        st.sampled_from([TOO_LONG_NUMBER, "²", "1e400"]),
        st.sampled_from(["Vpc", "Cidr", "AWS::Region", "AWS::NoValue", "Missing", "Subnet"]),
        st.booleans(),
        st.none(),
    )

    def extend(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        arguments = st.lists(inner, max_size=4)
        return st.one_of(
            inner.map(lambda value: {"Ref": value}),
            arguments.map(lambda items: {"Fn::Cidr": items}),
            arguments.map(lambda items: {"Fn::Select": items}),
            arguments.map(lambda items: {"Fn::FindInMap": items}),
            arguments.map(lambda items: {"Fn::If": items}),
            arguments.map(lambda items: {"Fn::Join": items}),
            arguments.map(lambda items: {"Fn::Split": items}),
            arguments.map(lambda items: {"Fn::GetAtt": items}),
            inner.map(lambda value: {"Fn::GetAZs": value}),
            inner.map(lambda value: {"Fn::ImportValue": value}),
            st.one_of(inner, st.just("${Vpc.CidrBlock}-${AWS::Region}")).map(
                lambda value: {"Fn::Sub": value}
            ),
            arguments,
        )

    return st.recursive(leaves, extend, max_leaves=12)


@st.composite
def cloudformation_templates(draw: st.DrawFn) -> dict[str, Any]:
    value = intrinsics()
    resources = {}
    for index in range(draw(st.integers(1, 5))):
        name = draw(st.sampled_from(["Vpc", "Subnet", "Peer", "Extra", f"R{index}"]))
        properties = draw(st.dictionaries(st.sampled_from(CFN_PROPERTIES), value, max_size=4))
        resource: dict[str, Any] = {"Type": draw(st.sampled_from(CFN_TYPES))}
        if draw(st.booleans()):
            resource["Properties"] = properties
        if draw(st.booleans()):
            resource["Condition"] = draw(st.sampled_from(["IsProd", "Missing"]))
        resources[name] = resource
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {
            "Cidr": {"Type": "String", "Default": draw(CIDRS)},
            "Count": {"Type": "Number", "Default": draw(st.integers(-1, 300))},
        },
        "Mappings": {"Net": {"eu-west-1": {"Cidr": draw(value)}}},
        "Conditions": {"IsProd": draw(value)},
        "Resources": resources,
        "Outputs": {"Out": {"Value": draw(value), "Export": {"Name": "net"}}},
    }


@PROPERTY_SETTINGS
@given(cloudformation_templates(), st.sampled_from(["json", "yaml"]))
def test_random_cloudformation_never_crashes(template: dict[str, Any], form: str) -> None:
    if form == "json":
        lint_files({"template.json": json.dumps(template, indent=1).encode()})
    else:
        lint_files({"template.yaml": yaml.safe_dump(template, sort_keys=False).encode()})


@PROPERTY_SETTINGS
@given(st.binary(max_size=300), st.sampled_from(["main.tf", "template.yaml", "main.tf.json"]))
def test_random_bytes_never_crash(data: bytes, name: str) -> None:
    lint_files({name: data})
