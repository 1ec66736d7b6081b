"""Parsing: line numbers, parse errors in plain words, pure and picklable results."""

from __future__ import annotations

import pickle
from pathlib import Path

from tests.files import write
from tests.terraform.conftest import FIXTURES, evaluate_folder, parse_folder
from vpclint.discover.sources import SourceText
from vpclint.evaluate.terraform.frontend import TerraformFrontEnd
from vpclint.limits import Limits


def _source(path: Path, text: str) -> SourceText:
    return SourceText(path=path, display=path.name, text=text)


def test_unparsable_file_is_vpc001_with_line_and_others_still_evaluated(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "broken.tf": 'resource "aws_vpc" "a" {\n  cidr_block = \n}\n',
            "good.tf": 'resource "aws_vpc" "b" { cidr_block = "10.0.0.0/16" }\n',
        },
    )
    topology = evaluate_folder(tmp_path)
    (error,) = topology.parse_errors
    assert error.location.file.endswith("broken.tf")
    assert error.location.line == 2
    assert "expected an expression" in error.message
    assert [network.address for network in topology.networks] == ["aws_vpc.b"]
    statuses = {Path(entry.path).name: entry.status for entry in topology.files}
    assert statuses == {"broken.tf": "failed", "good.tf": "parsed"}


def test_merge_conflict_marker_is_named(tmp_path: Path) -> None:
    text = '<<<<<<< HEAD\nresource "aws_vpc" "a" {}\n=======\n>>>>>>> branch\n'
    parsed = TerraformFrontEnd().parse(_source(tmp_path / "x.tf", text), Limits())
    assert parsed is not None and parsed.error is not None
    assert "merge-conflict marker" in parsed.error.message
    assert parsed.error.location.line == 1


def test_parse_result_is_picklable_and_equal_for_equal_content() -> None:
    first = parse_folder(FIXTURES / "expressions")
    second = parse_folder(FIXTURES / "expressions")
    assert first == second
    assert pickle.loads(pickle.dumps(first)) == first


def test_json_that_is_not_a_plan_is_left_to_other_front_ends(tmp_path: Path) -> None:
    frontend = TerraformFrontEnd()
    template = '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}'
    assert frontend.claims(tmp_path / "stack.json")
    assert frontend.parse(_source(tmp_path / "stack.json", template), Limits()) is None
    assert not frontend.claims(tmp_path / "stack.yaml")


def test_crlf_and_deep_nesting(tmp_path: Path) -> None:
    text = 'resource "aws_vpc" "a" {\r\n\r\n  cidr_block = "10.0.0.0/16"\r\n}\r\n'
    write(tmp_path, {})
    (tmp_path / "main.tf").write_bytes(text.encode())
    (network,) = evaluate_folder(tmp_path).networks
    assert network.ipv4_blocks[0].location.line == 3
    deep = "x = " + "[" * 5000 + "]" * 5000 + "\n"
    parsed = TerraformFrontEnd().parse(_source(tmp_path / "deep.tf", deep), Limits(max_depth=200))
    assert parsed is not None and parsed.error is not None
    assert "deeper than 200" in parsed.error.message


def test_tf_json_resolves_templates_with_lines(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf.json": """{
  "variable": {"cidr": {"default": "10.9.0.0/16"}},
  "resource": {
    "aws_vpc": {"main": {"cidr_block": "${var.cidr}"}},
    "aws_subnet": {
      "a": {
        "vpc_id": "${aws_vpc.main.id}",
        "cidr_block": "${cidrsubnet(var.cidr, 8, 3)}"
      }
    }
  }
}
"""
        },
    )
    topology = evaluate_folder(tmp_path)
    (subnet,) = topology.subnets
    assert subnet.ipv4_blocks[0].cidr == "10.9.3.0/24"
    assert subnet.ipv4_blocks[0].location.line == 8
    assert subnet.network.key == topology.networks[0].key
