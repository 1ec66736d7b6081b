"""Deferring blocks the address plan does not need: the same trees, errors, values and lines as a
whole-file parse (python-hcl2 on the whole file is the oracle)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.files import write
from tests.terraform.conftest import by_address, evaluate_folder
from vpclint.discover.sources import SourceText
from vpclint.evaluate.terraform.frontend import NETWORK_TYPES
from vpclint.limits import Limits
from vpclint.parse.terraform import TerraformFile
from vpclint.parse.terraform import syntax as s
from vpclint.parse.terraform.files import parse_terraform
from vpclint.parse.terraform.hcl import parse_deferred

# Everything that can hide a brace from a naive scanner, in blocks that are deferred, between
# blocks that are parsed.
TRICKY = r"""/* a comment with } and { and "quotes" */
variable "cidr" {
  default = "10.0.0.0/16" # the } here is a comment
}

resource "aws_instance" "web" {
  count     = 2
  user_data = <<-EOT
    #!/bin/sh
    echo "}" '{' ${var.cidr} EOT is not the end
      EOTX neither
    EOT
  tags = { Name = "web-${count.index}}", Other = "$${not} %%{ an } interpolation" }
  // a } comment
  lifecycle { ignore_changes = [tags] }
}
resource "aws_vpc" "main" { cidr_block = var.cidr } resource "aws_iam_role" "r" {
  policy = jsonencode({ Statement = [{ Action = "s3:*", Resource = "arn:aws:s3:::b/*" }] })
  description = "%{ if true }yes } %{ else }no{%{ endif }"
  name = "${ { a = "}" }["a"] }${"{"}"
}
data aws_ami "ubuntu" {
  filter {
    name   = "name"
    values = ["ubuntu/*/{x}"]
  }
}

# vpclint: ignore[VPC301] the block below is deferred but keeps its suppression
resource "aws_security_group" "sg" {
  ingress {
    cidr_blocks = [var.cidr]
  }
}

locals {
  heredoc = <<EOF
}}} {{{ " ' /* #
EOF
  division = 10 / 2 # not a comment start
}
"""


def _parse(text: str, network_types: frozenset[str] | None = NETWORK_TYPES) -> s.Body | None:
    source = SourceText(path=Path("main.tf"), display="main.tf", text=text)
    parsed = parse_terraform(source, Limits(), network_types)
    assert parsed is not None
    return parsed.body if parsed.error is None else None


def _without_names(parsed: TerraformFile | None) -> TerraformFile | None:
    """The result without the referenced names worked out for the module (a whole-file parse
    without deferring has no use for them)."""
    if parsed is None or parsed.body is None:
        return parsed
    return replace(parsed, body=replace(parsed.body, referenced=None))


def _reassembled(body: s.Body) -> tuple[s.Block, ...]:
    blocks = [*body.blocks, *(parse_deferred(deferred) for deferred in body.deferred)]
    return tuple(sorted(blocks, key=lambda block: (block.line, block.column)))


def test_deferred_blocks_parse_to_the_same_tree_as_the_whole_file() -> None:
    selective = _parse(TRICKY)
    whole = _parse(TRICKY, network_types=None)
    assert selective is not None and whole is not None
    deferred = [(block.labels[0], block.line) for block in selective.deferred]
    assert deferred == [
        ("aws_instance", 6),
        ("aws_iam_role", 17),
        ("aws_ami", 22),
        ("aws_security_group", 30),
    ]
    assert [block.type for block in selective.blocks] == ["variable", "resource", "locals"]
    assert _reassembled(selective) == whole.blocks
    assert selective.comments == whole.comments


def test_suppression_above_a_deferred_block_keeps_its_target() -> None:
    source = SourceText(path=Path("main.tf"), display="main.tf", text=TRICKY)
    selective = parse_terraform(source, Limits(), NETWORK_TYPES)
    whole = parse_terraform(source, Limits())
    assert selective is not None and whole is not None
    assert selective.suppressions == whole.suppressions
    (suppression,) = selective.suppressions
    assert suppression.target is not None and suppression.target.line == 30


@pytest.mark.parametrize(
    "broken",
    [
        'resource "aws_instance" "a" {\n  ami = "x"\n',  # missing brace
        'resource "aws_instance" "a" {\n  ami = "x\n}\n',  # unterminated string
        'resource "aws_instance" "a" {\n  data = <<EOF\n  x\n}\n',  # unterminated heredoc
        'resource "aws_instance" "a" {\n  /* never closed\n}\n',
        'resource "aws_instance" "a" {\n  ami = @x\n}\n',
        'resource "aws_instance" "a" {\n  ami = f(]\n}\n',
        'resource "aws_instance" "a" {\n<<<<<<< HEAD\n  ami = "x"\n=======\n>>>>>>> b\n}\n',
        'ami = "x"\nresource "aws_instance" "a" {}\n',  # a top-level attribute
    ],
)
def test_text_the_scanner_cannot_vouch_for_is_parsed_whole(broken: str) -> None:
    text = 'resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n}\n' + broken
    source = SourceText(path=Path("main.tf"), display="main.tf", text=text)
    selective = parse_terraform(source, Limits(), NETWORK_TYPES)
    whole = parse_terraform(source, Limits())
    assert _without_names(selective) == whole
    assert selective is not None
    assert selective.body is None or not selective.body.deferred


def test_error_in_a_parsed_block_is_reported_as_for_the_whole_file() -> None:
    text = (
        'resource "aws_instance" "a" {\n  ami = "x"\n}\n'
        'resource "aws_subnet" "s" {\n  cidr_block = \n}\n'
    )
    source = SourceText(path=Path("main.tf"), display="main.tf", text=text)
    selective = parse_terraform(source, Limits(), NETWORK_TYPES)
    assert selective is not None and selective.error is not None
    assert _without_names(selective) == parse_terraform(source, Limits())
    assert selective.error.location.line == 5


def test_values_and_counts_read_from_deferred_blocks(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "plan.tf": (
                'resource "terraform_data" "plan" {\n'
                '  input = { cidr = "10.1.0.0/16" }\n'
                "}\n"
                'resource "aws_instance" "web" {\n'
                "  count = 3\n"
                "}\n"
            ),
            "network.tf": (
                'resource "aws_vpc" "main" {\n'
                "  cidr_block = terraform_data.plan.input.cidr\n"
                "}\n"
                'resource "aws_subnet" "per_instance" {\n'
                "  count      = length(aws_instance.web)\n"
                "  vpc_id     = aws_vpc.main.id\n"
                "  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)\n"
                "}\n"
            ),
        },
    )
    topology = evaluate_folder(tmp_path)
    assert not topology.parse_errors
    (network,) = topology.networks
    assert network.ipv4_blocks[0].cidr == "10.1.0.0/16"
    assert network.ipv4_blocks[0].location.line == 2
    subnets = by_address(topology.subnets)
    assert sorted(subnets) == [f"aws_subnet.per_instance[{index}]" for index in range(3)]
    assert subnets["aws_subnet.per_instance[2]"].ipv4_blocks[0].cidr == "10.1.2.0/24"


def test_referenced_deferred_block_python_hcl2_rejects_is_a_parse_error(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'resource "aws_vpc" "main" {\n'
                "  cidr_block = terraform_data.plan.input\n"
                "}\n"
                'resource "terraform_data" "plan" {\n'
                "  input = \n"
                "}\n"
            ),
        },
    )
    topology = evaluate_folder(tmp_path)
    (error,) = topology.parse_errors
    assert error.location.file.endswith("main.tf")
    assert error.location.line == 5
    (network,) = topology.networks
    assert network.ipv4_blocks[0].cidr is None
