"""``vpclint cidr explain|overlaps|contains|divide``: CIDR math that reads no project.

The predicates exit 0 when true, 1 when false and 2 on bad input, so scripts can branch on them.
"""

from __future__ import annotations

import argparse
import json
import textwrap
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from vpclint import __version__
from vpclint.planning.calculator import (
    CidrInputError,
    Comparison,
    Division,
    Explanation,
    compare,
    containment_sentence,
    divide,
    explain,
    overlap_sentence,
    parse_block,
    parse_written,
    range_text,
)
from vpclint.planning.subnetting import (
    PlanError,
    cidrsubnets_refusal,
    parse_prefix,
    parse_subnet_spec,
)
from vpclint.topology.kinds import PROVIDERS

RESERVATIONS = (
    "Usable addresses leave out what each provider keeps in a subnet: AWS the first four and the "
    "last, in IPv4 and IPv6 subnets "
    "(https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html); Azure the first four "
    "and the last "
    "(https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq); Google Cloud the "
    "first two and the last two "
    "(https://cloud.google.com/vpc/docs/subnets#unusable-ip-addresses-in-every-subnet)."
)


def command(argv: Sequence[str], stdout: TextIO) -> int:
    from vpclint.commands.common import ArgumentParser, UsageError

    arguments = ArgumentParser(
        prog="vpclint cidr",
        description="CIDR math for IPv4 and IPv6, without reading a project.",
    )
    actions = arguments.add_subparsers(dest="action", required=True, metavar="ACTION")
    explaining = actions.add_parser(
        "explain",
        help="network, last address, netmask, size, usable addresses, special-purpose range",
        description="Describe each block or address: its network and last address, netmask "
        "and wildcard (IPv4), addresses in total and usable as a subnet per provider, the "
        "special-purpose range it lies in, and its canonical form.",
        epilog=RESERVATIONS,
    )
    explaining.add_argument("blocks", nargs="+", metavar="CIDR|IP")
    overlapping = actions.add_parser(
        "overlaps",
        help="exit 0 when A overlaps any of the others, 1 when none",
        description="Whether the first block shares an address with any of the others; exit 0 "
        "when one does, 1 when none does, 2 on bad input.",
    )
    overlapping.add_argument("first", metavar="A")
    overlapping.add_argument("others", nargs="+", metavar="B")
    containing = actions.add_parser(
        "contains",
        help="exit 0 when OUTER contains every INNER, 1 when not",
        description="Whether every INNER block or address lies within OUTER; exit 0 when all "
        "do, 1 when one does not, 2 on bad input.",
    )
    containing.add_argument("first", metavar="OUTER")
    containing.add_argument("others", nargs="+", metavar="INNER")
    dividing = actions.add_parser(
        "divide",
        help="aligned pieces with their cidrsubnet() and !Cidr expressions",
        description="Divide a block into aligned pieces and print the Terraform cidrsubnet() / "
        "cidrsubnets() and CloudFormation !Cidr expressions that produce each one.",
        epilog="Examples: divide 10.0.0.0/16 --into 4; divide 2600:1f14:ab:cd00::/56 --prefix /64 "
        "--into 6; divide 10.0.0.0/20 --sizes 2x/22,4x/24.",
    )
    dividing.add_argument("block", metavar="CIDR")
    dividing.add_argument("--prefix", help="size of the pieces, e.g. /24 or /64")
    dividing.add_argument("--into", type=int, metavar="K", help="how many pieces")
    dividing.add_argument(
        "--sizes", metavar="SPEC", help="pieces of several sizes, largest first: 2x/22,4x/24"
    )
    for sub in (explaining, overlapping, containing, dividing):
        sub.add_argument("--format", choices=("text", "json"), default="text")
    args = arguments.parse_args(list(argv))
    try:
        return _ACTIONS[args.action](args, stdout)
    except (CidrInputError, PlanError) as error:
        raise UsageError(str(error)) from None


def _explain(args: argparse.Namespace, stdout: TextIO) -> int:
    explanations = [explain(parse_written(text)) for text in args.blocks]
    if args.format == "json":
        _write_json({"blocks": [_explanation_dict(item) for item in explanations]}, stdout)
    else:
        stdout.write("\n".join(_explanation_text(item) for item in explanations))
    return 0


def _explanation_dict(item: Explanation) -> dict[str, Any]:
    written = item.written
    block = written.block
    return {
        "input": written.text,
        "cidr": str(block),
        "ip_version": block.version,
        "address": written.is_address,
        "host_bits_set": written.host_bits_set,
        "network": str(block.network_address),
        "last": str(item.last),
        "prefix": block.prefixlen,
        "netmask": item.netmask,
        "wildcard": item.wildcard,
        "addresses": item.addresses,
        "usable": item.usable,
        "range": {
            "category": item.range.category,
            "text": range_text(item.range),
            "ranges": [
                {"cidr": str(entry.block), "name": entry.name, "reference": entry.reference}
                for entry in item.range.ranges
            ],
        },
    }


def _count(number: int) -> str:
    """``65,536``; beyond a million also the power of two, which is how IPv6 sizes are read."""
    if number >= 1 << 20 and number & (number - 1) == 0:
        return f"{number:,} (2^{number.bit_length() - 1})"
    return f"{number:,}"


def _explanation_text(item: Explanation) -> str:
    written = item.written
    block = written.block
    if written.is_address:
        title = f"{written.text}  one address ({block})"
    elif written.host_bits_set:
        title = f"{written.text}  host bits set: the block is {block}; write {block}"
    else:
        title = str(block)
    rows = [
        ("network", str(block.network_address)),
        ("last", str(item.last)),
        ("prefix", f"/{block.prefixlen}"),
    ]
    if item.netmask is not None and item.wildcard is not None:
        rows += [("netmask", item.netmask), ("wildcard", item.wildcard)]
    rows.append(("addresses", _count(item.addresses)))
    usable = [
        f"{PROVIDERS[provider].name} {_count(count)}"
        for provider, count in item.usable.items()
        if count is not None
    ]
    undocumented = [PROVIDERS[p].name for p, count in item.usable.items() if count is None]
    note = f" ({' and '.join(undocumented)}: not documented for IPv6)" if undocumented else ""
    rows.append(("usable", ", ".join(usable) + " as a subnet" + note))
    rows.append(("range", range_text(item.range)))
    return "\n".join([title, *(f"  {label:<10} {value}" for label, value in rows)]) + "\n"


def _predicate(
    args: argparse.Namespace,
    stdout: TextIO,
    holds: Callable[[Comparison], bool],
    sentence: Callable[[Comparison], str],
    every: bool,
) -> int:
    first = parse_written(args.first)
    comparisons = [compare(first, parse_written(text)) for text in args.others]
    results = [holds(comparison) for comparison in comparisons]
    answer = all(results) if every else any(results)
    if args.format == "json":
        _write_json(
            {
                "question": args.action,
                "answer": answer,
                "pairs": [
                    {
                        "first": comparison.first.label,
                        "second": comparison.second.label,
                        "answer": result,
                        "shared": str(comparison.shared) if comparison.shared else None,
                        "message": sentence(comparison),
                    }
                    for comparison, result in zip(comparisons, results, strict=True)
                ],
            },
            stdout,
        )
    else:
        stdout.write("".join(sentence(comparison) + "\n" for comparison in comparisons))
    return 0 if answer else 1


def _overlaps(args: argparse.Namespace, stdout: TextIO) -> int:
    return _predicate(
        args, stdout, lambda pair: pair.shared is not None, overlap_sentence, every=False
    )


def _contains(args: argparse.Namespace, stdout: TextIO) -> int:
    return _predicate(
        args, stdout, lambda pair: pair.first_contains_second, containment_sentence, every=True
    )


def _divide(args: argparse.Namespace, stdout: TextIO) -> int:
    block = parse_block(args.block)
    if args.sizes is not None and (args.prefix is not None or args.into is not None):
        raise PlanError("--sizes gives every piece's size; it excludes --prefix and --into")
    division = divide(
        block,
        prefix=None if args.prefix is None else parse_prefix(args.prefix, block.version),
        into=args.into,
        sizes=parse_subnet_spec(args.sizes, block.version) if args.sizes is not None else (),
    )
    if args.format == "json":
        _write_json(_division_dict(division), stdout)
    else:
        stdout.write(_division_text(division))
    return 0


def _division_dict(division: Division) -> dict[str, Any]:
    return {
        "cidr": str(division.block),
        "pieces": [
            {
                "cidr": str(piece.block),
                "addresses": piece.block.num_addresses,
                "terraform": piece.terraform,
                "cloudformation": piece.cloudformation,
            }
            for piece in division.pieces
        ],
        "terraform": division.terraform_all,
        "cloudformation": division.cloudformation_all,
        "free": [str(block) for block in division.free],
    }


def _division_text(division: Division) -> str:
    pieces = division.pieces
    sizes = sorted({piece.block.prefixlen for piece in pieces})
    size_text = "/" + ", /".join(str(size) for size in sizes)
    many = len(pieces) != 1
    lines = [f"{division.block} in {len(pieces):,} piece{'s' if many else ''} ({size_text}):"]
    blocks = [piece.block for piece in pieces]
    column = max(len("all at once:"), *(len(str(block)) for block in blocks)) + 2
    lines.append("  Terraform:")
    lines += [f"    {piece.block!s:<{column}}{piece.terraform}" for piece in pieces]
    every = division.terraform_all or f"none: {cidrsubnets_refusal(division.block, blocks)}"
    lines.append(f"    {'all at once:':<{column}}{every}")
    lines.append("  CloudFormation:")
    lines += [f"    {piece.block!s:<{column}}{piece.cloudformation}" for piece in pieces]
    if division.cloudformation_all is not None:
        lines.append(f"    {'all at once:':<{column}}{division.cloudformation_all}")
    free = "  ".join(str(block) for block in division.free) or "none"
    lines += textwrap.wrap(
        free, 80, initial_indent="  Left free: ", subsequent_indent="    ", break_long_words=False
    )
    return "\n".join(lines) + "\n"


def _write_json(document: dict[str, Any], stdout: TextIO) -> None:
    head = {"version": "1", "tool": {"name": "vpclint", "version": __version__}}
    stdout.write(json.dumps({**head, **document}, indent=2) + "\n")


_ACTIONS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "explain": _explain,
    "overlaps": _overlaps,
    "contains": _contains,
    "divide": _divide,
}
