"""The address map as one self-contained HTML page: inline CSS, SVG and script, nothing fetched.

Each network is a band made of its IPv4 blocks (side by side; a block's width grows with its size
but a small secondary block stays visible), with its subnet ranges drawn at their place inside,
free gaps shaded, and overlaps in red: subnets that overlap each other, subnets outside every
block, and the part of a block that another network also uses. Every drawn range has a tooltip
(SVG title) and, with script, a details panel on hover or focus.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

import netaddr

from vpclint.planning.addressmap import AddressMap, MapFinding, MapNetwork, MapSubnet

WIDTH = 1000
BAND_HEIGHT = 46
MIN_BLOCK_SHARE = 0.12  # of the band, so a /24 next to a /16 stays visible
MIN_RANGE_WIDTH = 2.0
GAP = 6.0

_STYLE = """
:root { --ink: #1d2430; --muted: #5b6576; --line: #c9d1dc; --block: #f4f6f9;
  --free: #dff3e4; --free-edge: #8fcf9f; --subnet: #4a78c2; --subnet-edge: #2d518d;
  --bad: #d23c3c; --secondary: #7a62b8; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
  color: var(--ink); background: #fff; }
header { padding: 18px 24px 8px; border-bottom: 1px solid var(--line); }
h1 { font-size: 20px; margin: 0 0 4px; }
.summary { color: var(--muted); margin: 0; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 10px 0 4px; padding: 0;
  list-style: none; color: var(--muted); font-size: 13px; }
.legend span { display: inline-block; width: 14px; height: 10px; margin-right: 5px;
  vertical-align: -1px; border: 1px solid var(--line); }
.key-subnet { background: var(--subnet); } .key-free { background: var(--free); }
.key-overlap { background: var(--bad); } .key-block { background: var(--block); }
.key-secondary { background: var(--secondary); }
main { padding: 8px 24px 40px; }
section.network { padding: 12px 0 10px; border-bottom: 1px solid #eef1f5; }
.title { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: baseline; }
.title h2 { font-size: 15px; margin: 0; font-family: ui-monospace, Menlo, Consolas, monospace; }
.meta { color: var(--muted); font-size: 13px; }
.badge { font-size: 12px; padding: 0 6px; border-radius: 8px; background: #eef1f5; }
.badge.bad { background: #fbe3e3; color: #8f1f1f; }
svg.band { width: 100%; height: auto; display: block; margin: 6px 0 2px; }
svg.band text { font: 11px ui-monospace, Menlo, Consolas, monospace; pointer-events: none; }
rect.block { fill: var(--block); stroke: #9aa6b8; stroke-width: 1; }
rect.block.overlap { stroke: var(--bad); stroke-width: 2.5; }
rect.free { fill: var(--free); stroke: var(--free-edge); stroke-width: 0.5; }
rect.subnet { fill: var(--subnet); stroke: var(--subnet-edge); stroke-width: 0.75; }
rect.subnet.secondary { fill: var(--secondary); }
rect.subnet.overlap, rect.subnet.outside { fill: var(--bad); stroke: #7d1010; }
rect.network-overlap { fill: url(#hatch); stroke: var(--bad); stroke-width: 1.5;
  stroke-dasharray: 4 2; }
rect.range:hover, rect.range:focus { stroke: #000; stroke-width: 2; outline: none; }
text.block-label { fill: var(--muted); }
text.subnet-label { fill: #fff; }
ul.findings, ul.notes { margin: 4px 0 0; padding-left: 18px; font-size: 13px; }
ul.findings code { font-weight: 600; }
.error code { color: #8f1f1f; } .warning code { color: #8a5a00; } .info code { color: #345; }
#details { position: fixed; right: 16px; bottom: 16px; max-width: 420px; padding: 10px 12px;
  background: #1d2430; color: #fff; border-radius: 6px; font-size: 13px; white-space: pre-line;
  box-shadow: 0 4px 16px rgba(0,0,0,.25); display: none; }
#details.shown { display: block; }
.empty { color: var(--muted); }
"""

_SCRIPT = """
(function () {
  var panel = document.getElementById('details');
  function show(event) {
    var text = event.target.getAttribute('data-details');
    if (!text) { return; }
    panel.textContent = text;
    panel.classList.add('shown');
  }
  function hide() { panel.classList.remove('shown'); }
  document.querySelectorAll('[data-details]').forEach(function (node) {
    node.addEventListener('mouseenter', show);
    node.addEventListener('focus', show);
    node.addEventListener('mouseleave', hide);
    node.addEventListener('blur', hide);
  });
})();
"""

_DEFS = (
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="rgba(210,60,60,0.18)"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#d23c3c" stroke-width="2"/></pattern></defs>'
)


@dataclass(frozen=True)
class _Segment:
    """A part of the band: one network block (or, for a GCP network, one subnet range)."""

    network: netaddr.IPNetwork
    x: float
    width: float
    label: str

    def place(self, inner: netaddr.IPNetwork) -> tuple[float, float]:
        """x and width of a range inside this segment, clipped to it, never thinner than 2px."""
        first = max(int(inner.first), int(self.network.first))
        last = min(int(inner.last), int(self.network.last))
        scale = self.width / int(self.network.size)
        x = self.x + (first - int(self.network.first)) * scale
        width = max((last - first + 1) * scale, MIN_RANGE_WIDTH)
        end = self.x + self.width
        return min(x, end - width), width


def _segments(spaces: list[tuple[netaddr.IPNetwork, str]], width: float) -> list[_Segment]:
    if not spaces:
        return []
    total = sum(int(space.size) for space, _ in spaces)
    shares = [max(int(space.size) / total, MIN_BLOCK_SHARE) for space, _ in spaces]
    usable = width - GAP * (len(spaces) - 1)
    scale = usable / sum(shares)
    segments = []
    x = 0.0
    for (space, label), share in zip(spaces, shares, strict=True):
        segments.append(_Segment(space, x, share * scale, label))
        x += share * scale + GAP
    return segments


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _rect(
    classes: str, x: float, y: float, width: float, height: float, details: str, title: str
) -> str:
    return (
        f'<rect class="{classes} range" x="{x:.2f}" y="{y:.2f}" width="{width:.2f}" '
        f'height="{height:.2f}" tabindex="0" data-details="{_attr(details)}">'
        f"<title>{escape(title)}</title></rect>"
    )


def _subnet_details(network: MapNetwork, subnet: MapSubnet) -> str:
    lines = [
        f"{subnet.address}" + (f" ({subnet.range})" if subnet.range else ""),
        f"{subnet.cidr}: {subnet.size:,} addresses, {subnet.usable:,} usable",
        f"in {network.address}",
        f"{subnet.file}:{subnet.line}",
    ]
    if subnet.ipv6:
        lines.append("IPv6 " + ", ".join(subnet.ipv6))
    if subnet.inside is False:
        lines.append("outside every block of the network")
    if subnet.overlaps:
        more = f" and {subnet.more_overlaps:,} more" if subnet.more_overlaps else ""
        lines.append("overlaps " + ", ".join(subnet.overlaps) + more)
    lines.extend(f"{finding.code} {finding.message}" for finding in subnet.findings)
    return "\n".join(lines)


def _network_svg(network: MapNetwork) -> str:
    known = [subnet for subnet in network.subnets if subnet.cidr is not None]
    blocks = [
        (netaddr.IPNetwork(block.cidr), f"{block.cidr} ({block.origin})")
        for block in network.ipv4
        if block.cidr is not None
    ]
    outside = [subnet for subnet in known if subnet.inside is False]
    if not blocks:
        # No block of its own (GCP custom mode): the band is its subnet ranges.
        blocks = [(netaddr.IPNetwork(subnet.cidr or ""), subnet.address) for subnet in known]
        outside = []
    if not blocks and not outside:
        return ""
    outside_width = 0.0
    if outside:
        outside_width = min(240.0, 70.0 + 30.0 * len(outside))
    segments = _segments(blocks, WIDTH - (outside_width + GAP if outside else 0))
    top, height = 16.0, BAND_HEIGHT
    parts = [
        f'<svg class="band" viewBox="0 0 {WIDTH} {top + height + 4:.0f}" role="img" '
        f'aria-label="{_attr("address space of " + network.address)}">',
        _DEFS,
    ]
    overlapping_blocks = {overlap.cidr for overlap in network.overlaps}
    lanes = _lanes(known)
    for segment in segments:
        block_cidr = str(segment.network)
        classes = "block overlap" if block_cidr in overlapping_blocks else "block"
        parts.append(
            _rect(
                classes,
                segment.x,
                top,
                segment.width,
                height,
                f"{segment.label}\n{int(segment.network.size):,} addresses",
                segment.label,
            )
        )
        parts.append(
            f'<text class="block-label" x="{segment.x + 2:.2f}" y="{top - 4:.2f}">'
            f"{escape(segment.label)}</text>"
        )
        for gap in network.free:
            gap_network = netaddr.IPNetwork(gap.cidr)
            if gap.block != block_cidr:
                continue
            x, width = segment.place(gap_network)
            parts.append(
                _rect(
                    "free",
                    x,
                    top + 2,
                    width,
                    height - 4,
                    f"free {gap.cidr}\n{gap.size:,} addresses",
                    f"free {gap.cidr}",
                )
            )
        for subnet, lane in zip(known, lanes, strict=True):
            subnet_network = netaddr.IPNetwork(subnet.cidr or "")
            if not (
                subnet_network.first <= segment.network.last
                and segment.network.first <= subnet_network.last
            ):
                continue
            parts.append(_subnet_rect(network, subnet, segment, subnet_network, top, height, lane))
        for overlap in network.overlaps:
            if overlap.cidr != block_cidr:
                continue
            mine, theirs = netaddr.IPNetwork(overlap.cidr), netaddr.IPNetwork(overlap.other_cidr)
            shared = mine if mine.size <= theirs.size else theirs
            x, width = segment.place(shared)
            other = (
                ("reserved range " if overlap.reserved else "")
                + overlap.other
                + (
                    f" ({overlap.other_repository})"
                    if overlap.other_repository
                    and not overlap.other.startswith(overlap.other_repository)
                    else ""
                )
            )
            parts.append(
                _rect(
                    "network-overlap",
                    x,
                    top - 1,
                    width,
                    height + 2,
                    f"{shared} is also used by {other}\n({overlap.other_cidr})",
                    f"overlaps {overlap.other} {overlap.other_cidr}",
                )
            )
    if outside:
        x0 = WIDTH - outside_width
        parts.append(f'<text class="block-label" x="{x0 + 2:.2f}" y="{top - 4:.2f}">outside</text>')
        slot = outside_width / len(outside)
        for index, subnet in enumerate(outside):
            parts.append(
                _rect(
                    "subnet outside",
                    x0 + index * slot,
                    top + 6,
                    max(slot - 3, MIN_RANGE_WIDTH),
                    height - 12,
                    _subnet_details(network, subnet),
                    f"{subnet.address} {subnet.cidr} (outside the network)",
                )
            )
    parts.append("</svg>")
    return "".join(parts)


def _lanes(subnets: list[MapSubnet]) -> list[int]:
    """Overlapping subnets alternate between the upper and lower half of the band, so each stays
    visible and can be hovered (the later of two equal subnets would hide the earlier)."""
    lanes = []
    earlier: set[str] = set()
    for subnet in subnets:
        label = subnet.address + (f" ({subnet.range})" if subnet.range else "")
        lanes.append(sum(1 for other in subnet.overlaps if other in earlier) % 2)
        earlier.add(label)
    return lanes


def _subnet_rect(
    network: MapNetwork,
    subnet: MapSubnet,
    segment: _Segment,
    subnet_network: netaddr.IPNetwork,
    top: float,
    height: float,
    lane: int,
) -> str:
    x, width = segment.place(subnet_network)
    classes = ["subnet"]
    if subnet.range:
        classes.append("secondary")
    if subnet.overlaps or any(finding.code == "VPC202" for finding in subnet.findings):
        classes.append("overlap")
    if subnet.inside is False:
        classes.append("outside")
    y, h = top + 6, height - 12
    if subnet.overlaps:
        h = (height - 12) / 2
        y = top + 6 + h * lane
    rect = _rect(
        " ".join(classes),
        x,
        y,
        width,
        h,
        _subnet_details(network, subnet),
        f"{subnet.address} {subnet.cidr}",
    )
    if width >= 7.0 * len(subnet.cidr or "") + 6:
        rect += (
            f'<text class="subnet-label" x="{x + 3:.2f}" y="{y + h / 2 + 4:.2f}">'
            f"{escape(subnet.cidr or '')}</text>"
        )
    return rect


def _findings_list(findings: list[MapFinding]) -> str:
    if not findings:
        return ""
    items = "".join(
        f'<li class="{finding.severity}"><code>{escape(finding.code)}</code> '
        f"{escape(finding.message)}</li>"
        for finding in findings
    )
    return f'<ul class="findings">{items}</ul>'


def _network_section(network: MapNetwork) -> str:
    clash = any(not overlap.reserved for overlap in network.overlaps) or any(
        subnet.overlaps or subnet.inside is False for subnet in network.subnets
    )
    reserved = any(overlap.reserved for overlap in network.overlaps)
    bad = clash or reserved
    title = escape(network.address)
    meta = [escape(network.provider), escape(f"{network.file}:{network.line}")]
    if network.name and network.name not in network.address:
        meta.insert(0, f"&ldquo;{escape(network.name)}&rdquo;")
    if network.repository:
        meta.append(f"from {escape(network.repository)}")
    if network.utilization is not None:
        meta.append(
            f'<span class="badge">{100 * network.utilization:.1f}% used: '
            f"{network.used:,} of {network.size:,}</span>"
        )
    if clash:
        meta.append('<span class="badge bad">overlap</span>')
    if reserved:
        meta.append('<span class="badge bad">reserved range</span>')
    notes: list[str] = []
    notes.extend(
        f"IPv6 {escape(block.cidr)} ({escape(block.origin)})"
        for block in network.ipv6
        if block.cidr is not None
    )
    notes.extend(
        f"{'IPv6' if block.version == 6 else 'IPv4'} block ({escape(block.origin)}) not "
        f"resolved: {escape(block.unknown or '')}"
        for block in network.ipv4 + network.ipv6
        if block.cidr is None
    )
    if network.more_overlaps:
        notes.append(
            f"{network.more_overlaps:,} more overlaps with other networks or reserved ranges than "
            f"the {len(network.overlaps)} drawn"
        )
    notes.extend(
        f"unresolved subnet {escape(subnet.address)}: {escape(subnet.unknown or '')}"
        for subnet in network.subnets
        if subnet.cidr is None
    )
    subnet_findings = [
        finding
        for subnet in network.subnets
        for finding in subnet.findings
        if finding not in network.findings
    ]
    unique = list(dict.fromkeys(network.findings + subnet_findings))
    notes_html = (
        '<ul class="notes">' + "".join(f"<li>{note}</li>" for note in notes) + "</ul>"
        if notes
        else ""
    )
    return (
        f'<section class="network{" has-overlap" if bad else ""}" '
        f'data-address="{_attr(network.address)}" data-provider="{_attr(network.provider)}">'
        f'<div class="title"><h2>{title}</h2><span class="meta">{" &middot; ".join(meta)}</span>'
        f"</div>{_network_svg(network)}{notes_html}{_findings_list(unique)}</section>"
    )


def render_map_html(address_map: AddressMap) -> str:
    summary = address_map.summary
    counts = ", ".join(f"{code} &times;{count}" for code, count in summary.findings.items())
    text = (
        f"{summary.networks} networks, {summary.subnets} subnet ranges"
        + (f", {summary.unresolved} unresolved" if summary.unresolved else "")
        + (f"; findings: {counts}" if counts else "")
    )
    sections = "".join(_network_section(network) for network in address_map.networks)
    if not sections:
        sections = '<p class="empty">No networks found.</p>'
    data = json.dumps(address_map.model_dump(mode="json")).replace("</", "<\\/")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # No request may leave the page: no scripts, styles, fonts or images from anywhere.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<title>vpclint address map</title><style>{_STYLE}</style></head><body>"
        f'<header><h1>Address map</h1><p class="summary">{text}</p>'
        '<ul class="legend"><li><span class="key-block"></span>network block</li>'
        '<li><span class="key-subnet"></span>subnet</li>'
        '<li><span class="key-secondary"></span>secondary range</li>'
        '<li><span class="key-free"></span>free</li>'
        '<li><span class="key-overlap"></span>overlap or outside the network</li></ul>'
        f"</header><main>{sections}</main>"
        '<div id="details" role="status" aria-live="polite"></div>'
        f'<script type="application/json" id="map-data">{data}</script>'
        f"<script>{_SCRIPT}</script></body></html>\n"
    )
