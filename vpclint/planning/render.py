"""The address map and the planner's proposals as terminal text and as JSON.

The text is a tree per network that stays within 80 columns wherever the content allows (long
resource addresses are never cut: they are what a user searches for) and carries no colour or
cursor codes, so it reads the same in a terminal, a pipe or a CI log.
"""

from __future__ import annotations

import json
import math
import textwrap
from dataclasses import dataclass
from typing import Any

from vpclint import __version__
from vpclint.planning.addressmap import AddressMap, MapClaim, MapFinding, MapNetwork, MapSubnet
from vpclint.planning.planner import Plan

WIDTH = 80
BAR_WIDTH = 20


@dataclass(frozen=True)
class _Glyphs:
    branch: str
    last: str
    pipe: str
    space: str
    full: str
    empty: str


UNICODE = _Glyphs("├─ ", "└─ ", "│  ", "   ", "█", "░")
ASCII = _Glyphs("|- ", "`- ", "|  ", "   ", "#", ".")


def render_map_json(address_map: AddressMap) -> str:
    return json.dumps(address_map.model_dump(mode="json"), indent=2) + "\n"


def _count(addresses: int | None) -> str:
    """An address count for a table column: an IPv6 subnet's 2**64 as a power of two."""
    if addresses is None:
        return ""
    if addresses >= 2**32 and addresses & (addresses - 1) == 0:
        return f"2^{addresses.bit_length() - 1}"
    if addresses >= 2**32:
        return f"~2^{round(math.log2(addresses))}"
    return f"{addresses:,}"


def utilization_bar(used: int, size: int, glyphs: _Glyphs = ASCII, width: int = BAR_WIDTH) -> str:
    """``[####......]``: a share that is not zero never draws as empty, a partial one never full."""
    if size <= 0:
        return ""
    filled = round(width * used / size)
    if used and not filled:
        filled = 1
    if used < size and filled == width:
        filled = width - 1
    return "[" + glyphs.full * filled + glyphs.empty * (width - filled) + "]"


def render_map_text(address_map: AddressMap, unicode: bool = True) -> str:
    glyphs = UNICODE if unicode else ASCII
    sections = [_network_text(network, glyphs) for network in address_map.networks]
    summary = address_map.summary
    tail = (
        f"{summary.networks} network{'s' if summary.networks != 1 else ''}, "
        f"{summary.subnets} subnet range{'s' if summary.subnets != 1 else ''}"
    )
    if summary.unresolved:
        tail += f", {summary.unresolved} unresolved"
    if summary.findings:
        tail += "; findings: " + ", ".join(
            f"{code} x{count}" for code, count in summary.findings.items()
        )
    tail = _wrap_list(tail)
    if not address_map.networks:
        return f"No networks found.\n{tail}\n"
    return "\n".join(sections) + "\n" + tail + "\n"


def _wrap_list(text: str) -> str:
    """Wrap at ", " only, so an entry such as ``VPC201 x1`` stays on one line."""
    lines = [""]
    for index, item in enumerate(text.split(", ")):
        piece = item if index == 0 else ", " + item
        if lines[-1] and len(lines[-1]) + len(piece) > WIDTH:
            lines[-1] += ","
            lines.append("  " + item)
        else:
            lines[-1] += piece
    return "\n".join(lines)


def _fits(first: str, second: str) -> bool:
    return len(first) + len(second) <= WIDTH


def _network_text(network: MapNetwork, glyphs: _Glyphs) -> str:
    title = network.address
    if network.name and network.name not in network.address:
        title += f' "{network.name}"'
    title += f"  {network.provider}"
    where = f"  {network.file}:{network.line}"
    if network.repository:
        where = f"  from {network.repository}"
    lines = [title + where] if _fits(title, where) else [title, glyphs.pipe + where.strip()]

    sections: list[tuple[str, list[str]]] = [("blocks", _block_lines(network))]
    if network.size:
        bar = utilization_bar(network.used, network.size, glyphs)
        share = f"{100 * (network.utilization or 0):.1f}%"
        sections.append(
            ("used", [f"{bar} {share:>6}  {network.used:,} of {network.size:,} addresses"])
        )
    if network.subnets:
        sections.append(("subnets", []))
    if network.size:
        sections.append(("free", _free_lines(network) or ["none"]))
    if network.claims:
        sections.append(("claims", [_claim_line(claim) for claim in network.claims]))
    if network.overlaps:
        sections.append(
            (
                "overlaps",
                [
                    f"{overlap.cidr} with reserved range {overlap.other} ({overlap.other_cidr})"
                    if overlap.reserved
                    else f"{overlap.cidr} with {overlap.other_cidr} of {overlap.other}"
                    + (
                        f" in {overlap.other_file}"
                        if overlap.other == network.address and overlap.other_file
                        else ""
                    )
                    for overlap in network.overlaps
                ]
                + ([f"and {network.more_overlaps:,} more"] if network.more_overlaps else []),
            )
        )
    if network.findings:
        sections.append(("findings", []))

    for position, (label, body) in enumerate(sections):
        last = position == len(sections) - 1
        head = glyphs.last if last else glyphs.branch
        indent = glyphs.space if last else glyphs.pipe
        if label == "subnets":
            column = _cidr_column(network.subnets)
            lines.append(f"{head}{'subnets':<{column + 3}}{'size':>6}{'usable':>8}")
            lines.extend(indent + row for row in _subnet_lines(network.subnets, glyphs, column))
            continue
        if label == "findings":
            lines.append(f"{head}findings")
            lines.extend(indent + row for row in _finding_lines(network.findings, glyphs))
            continue
        label_text = f"{label:<9}"
        room = WIDTH - len(head) - len(label_text)
        wrapped = [
            part if number == 0 else "  " + part
            for row in body
            for number, part in enumerate(
                textwrap.wrap(row, room, subsequent_indent="", break_long_words=False) or [row]
            )
        ]
        for index, row in enumerate(wrapped):
            prefix = head + label_text if index == 0 else indent + " " * len(label_text)
            lines.append(prefix + row)
    return "\n".join(lines) + "\n"


def _block_lines(network: MapNetwork) -> list[str]:
    rows = []
    for block in network.ipv4 + network.ipv6:
        family = "IPv6 " if block.version == 6 else ""
        if block.cidr is None:
            rows.append(f"? ({family}{block.origin}) unresolved: {block.unknown}")
        else:
            rows.append(f"{block.cidr} ({family}{block.origin})")
    if not rows:
        if network.provider == "gcp":
            return ["none (a GCP network's space is its subnets' ranges)"]
        return ["none"]
    return rows


def _claim_line(claim: MapClaim) -> str:
    cidr = claim.cidr if claim.cidr is not None else "?"
    text = f"{cidr} {claim.purpose} of {claim.address}"
    if claim.provider_default:
        text += " (provider default)"
    if claim.unknown is not None:
        text += f", unresolved: {claim.unknown}"
    return text


def _free_lines(network: MapNetwork) -> list[str]:
    room = WIDTH - len(ASCII.branch) - 9
    text = "  ".join(gap.cidr for gap in network.free)
    return textwrap.wrap(text, width=room, break_long_words=False) if text else []


def _tags(subnet: MapSubnet) -> str:
    tags = [finding.code for finding in subnet.findings]
    codes = set(tags)
    if subnet.overlaps and "VPC202" not in codes:
        tags.append("overlap")
    if subnet.inside is False and "VPC201" not in codes:
        tags.append("outside")
    return "[" + " ".join(dict.fromkeys(tags)) + "]" if tags else ""


def _cidr_column(subnets: list[MapSubnet]) -> int:
    """As wide as the longest CIDR plus a space, so long resource addresses keep their room."""
    return max((len(subnet.cidr or "?") for subnet in subnets), default=1) + 1


def _subnet_lines(subnets: list[MapSubnet], glyphs: _Glyphs, column: int) -> list[str]:
    rows: list[str] = []
    for index, subnet in enumerate(subnets):
        last = index == len(subnets) - 1
        head = glyphs.last if last else glyphs.branch
        label = subnet.address + (f" ({subnet.range})" if subnet.range else "")
        if subnet.cidr is None:
            row = f"{head}{'?':<{column}}{'':>6}{'':>8}  {label}"
            rows.append(row)
            reason = f"unresolved: {subnet.unknown}"
            continuation = (glyphs.space if last else glyphs.pipe) + " " * 4
            rows.extend(
                continuation + part
                for part in textwrap.wrap(reason, WIDTH - 3 - len(continuation)) or [reason]
            )
            continue
        size, usable = _count(subnet.size), _count(subnet.usable)
        row = f"{head}{subnet.cidr:<{column}}{size:>6}{usable:>8}  {label}"
        tags = _tags(subnet)
        if tags and _fits(row, "   " + tags + " "):
            row += " " + tags
        elif tags:
            rows.append(row)
            row = (glyphs.space if last else glyphs.pipe) + " " * (column + 17) + tags
        rows.append(row)
    return rows


def _finding_lines(findings: list[MapFinding], glyphs: _Glyphs) -> list[str]:
    rows: list[str] = []
    for index, finding in enumerate(findings):
        last = index == len(findings) - 1
        head = glyphs.last if last else glyphs.branch
        continuation = glyphs.space if last else glyphs.pipe
        text = f"{finding.code} {finding.message}"
        first, *rest = textwrap.wrap(text, WIDTH - 6, break_long_words=False) or [text]
        rows.append(head + first)
        rest = textwrap.wrap(" ".join(rest), WIDTH - 8, break_long_words=False)
        rows.extend(continuation + "  " + part for part in rest)
    return rows


# ---------------------------------------------------------------------------------------------
# The planner's answer


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """``vpclint plan --format json``, schema version 1 (documented in docs/map.md)."""
    return {
        "version": "1",
        "tool": {"name": "vpclint", "version": __version__},
        "ip_version": plan.version,
        "prefix": plan.prefix,
        "within": [str(space) for space in plan.within],
        "requested": plan.count,
        "complete": plan.complete,
        "blocks": [
            {
                "cidr": str(proposal.block),
                "size": int(proposal.block.size),
                "subnets": [
                    {
                        "cidr": str(subnet.cidr),
                        "size": subnet.cidr.num_addresses,
                        "terraform": subnet.terraform,
                        "cloudformation": subnet.cloudformation,
                    }
                    for subnet in proposal.subnets
                ],
                "terraform": proposal.terraform_all,
            }
            for proposal in plan.proposals
        ],
        "avoided": [
            {"cidr": str(item.network), "holder": item.holder, "kind": item.kind}
            for item in plan.taken
        ],
        "unresolved": [
            {"resource": item.resource, "reason": item.reason} for item in plan.unresolved
        ],
        "inside": [{"cidr": str(item.network), "holder": item.holder} for item in plan.inside],
    }


def render_plan_json(plan: Plan) -> str:
    return json.dumps(plan_to_dict(plan), indent=2) + "\n"


def render_plan_text(plan: Plan) -> str:
    spaces = ", ".join(str(space) for space in plan.within)
    counts = {
        kind: len({item.holder for item in plan.taken if item.kind == kind})
        for kind in ("network", "subnet", "reserved")
    }
    avoided = (
        f"(avoiding {counts['network']} network{'s' if counts['network'] != 1 else ''}, "
        f"{counts['subnet']} subnet{'s' if counts['subnet'] != 1 else ''} and "
        f"{counts['reserved']} reserved range{'s' if counts['reserved'] != 1 else ''}):"
    )
    title = f"Free /{plan.prefix} block{'s' if plan.count != 1 else ''} in {spaces}"
    lines = [f"{title} {avoided}"] if _fits(title, " " + avoided) else [title, avoided]
    for host in plan.inside:
        lines.append(f"Inside {host.network} of {host.holder}: its subnets are avoided, not it.")
    for proposal in plan.proposals:
        lines.append(f"  {proposal.block}")
        if not proposal.subnets:
            continue
        # As wide as the longest IPv4 CIDR, wider for IPv6 ones.
        column = max(18, *(len(str(subnet.cidr)) for subnet in proposal.subnets))
        lines.append("    Terraform:")
        for subnet in proposal.subnets:
            lines.append(f"      {subnet.cidr!s:<{column}} {subnet.terraform}")
        if proposal.terraform_all is not None:
            lines.append(f"      {'all at once:':<{column}} {proposal.terraform_all}")
        lines.append("    CloudFormation:")
        for subnet in proposal.subnets:
            lines.append(f"      {subnet.cidr!s:<{column}} {subnet.cloudformation}")
    if not plan.complete:
        found = len(plan.proposals)
        lines.append(
            f"Only {found} of {plan.count} /{plan.prefix} blocks fit."
            if found
            else f"No free /{plan.prefix} block fits."
        )
    if plan.unresolved:
        many = len(plan.unresolved) != 1
        lines.append(
            f"Note: {len(plan.unresolved)} IPv{plan.version} block{'s are' if many else ' is'} "
            "unresolved, "
            f"so a proposal may still overlap {'them' if many else 'it'}:"
        )
        for item in plan.unresolved:
            for index, part in enumerate(
                textwrap.wrap(f"{item.resource}: {item.reason}", WIDTH - 6) or [item.resource]
            ):
                lines.append(("  - " if index == 0 else "    ") + part)
    return "\n".join(lines) + "\n"
