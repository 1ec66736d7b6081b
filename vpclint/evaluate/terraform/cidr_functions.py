"""Terraform's CIDR functions, bit for bit: cidrsubnet, cidrsubnets, cidrhost, cidrnetmask.

Terraform parses prefixes with its own copy of Go's pre-1.17 ``net`` parser (leading zeros in IPv4
octets are accepted as decimal) and computes with the go-cidr library, whose big-integer quirks
(a negative ``netnum`` is accepted by magnitude) are reproduced here because a linter must report
the value Terraform would actually create. Results are checked against Terraform itself in the
differential tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from vpclint.evaluate.terraform.values import EvaluationError

_BIG = 0xFFFFFF
_V4_IN_V6 = 0xFFFF << 32
_UINT64 = (1 << 64) - 1


@dataclass(frozen=True)
class GoNetwork:
    """A parsed prefix as Go holds it: address bytes (4 or 16), its integer and mask length."""

    value: int
    size: int  # 4 or 16 bytes
    prefix: int

    @property
    def bits(self) -> int:
        return self.size * 8


def _dtoi(text: str) -> tuple[int, int, bool]:
    number = 0
    index = 0
    while index < len(text) and text[index].isascii() and text[index].isdigit():
        number = number * 10 + int(text[index])
        if number >= _BIG:
            return _BIG, index, False
        index += 1
    if index == 0:
        return 0, 0, False
    return number, index, True


def _xtoi(text: str) -> tuple[int, int, bool]:
    number = 0
    index = 0
    while index < len(text) and text[index] in "0123456789abcdefABCDEF":
        number = number * 16 + int(text[index], 16)
        if number >= _BIG:
            return 0, index, False
        index += 1
    if index == 0:
        return 0, index, False
    return number, index, True


def _parse_ipv4(text: str) -> list[int] | None:
    octets: list[int] = []
    for position in range(4):
        if not text:
            return None
        if position > 0:
            if text[0] != ".":
                return None
            text = text[1:]
        number, consumed, ok = _dtoi(text)
        if not ok or number > 0xFF:
            return None
        text = text[consumed:]
        octets.append(number)
    if text:
        return None
    return octets


def _parse_ipv6(text: str) -> list[int] | None:
    address = [0] * 16
    ellipsis = -1
    if len(text) >= 2 and text[0] == ":" and text[1] == ":":
        ellipsis = 0
        text = text[2:]
        if not text:
            return address
    index = 0
    while index < 16:
        number, consumed, ok = _xtoi(text)
        if not ok or number > 0xFFFF:
            return None
        if consumed < len(text) and text[consumed] == ".":
            if ellipsis < 0 and index != 12:
                return None
            if index + 4 > 16:
                return None
            ipv4 = _parse_ipv4(text)
            if ipv4 is None:
                return None
            address[index : index + 4] = ipv4
            text = ""
            index += 4
            break
        address[index] = number >> 8
        address[index + 1] = number & 0xFF
        index += 2
        text = text[consumed:]
        if not text:
            break
        if text[0] != ":" or len(text) == 1:
            return None
        text = text[1:]
        if text[0] == ":":
            if ellipsis >= 0:
                return None
            ellipsis = index
            text = text[1:]
            if not text:
                break
    if text:
        return None
    if index < 16:
        if ellipsis < 0:
            return None
        shift = 16 - index
        for position in range(index - 1, ellipsis - 1, -1):
            address[position + shift] = address[position]
        for position in range(ellipsis + shift - 1, ellipsis - 1, -1):
            address[position] = 0
    elif ellipsis >= 0:
        return None
    return address


def _from_bytes(data: list[int]) -> int:
    return int.from_bytes(bytes(data), "big")


def _mask(prefix: int, bits: int) -> int:
    return ((1 << bits) - 1) ^ ((1 << (bits - prefix)) - 1)


def parse_go_cidr(text: str) -> GoNetwork:
    """Go's ``net.ParseCIDR`` (as vendored by Terraform): the masked network, or an error."""
    slash = text.find("/")
    if slash < 0:
        raise EvaluationError(f"invalid CIDR address: {text}")
    address, mask_text = text[:slash], text[slash + 1 :]
    size = 4
    parsed = _parse_ipv4(address)
    if parsed is None:
        size = 16
        parsed = _parse_ipv6(address)
    prefix, consumed, ok = _dtoi(mask_text)
    if parsed is None or not ok or consumed != len(mask_text) or prefix < 0 or prefix > 8 * size:
        raise EvaluationError(f"invalid CIDR address: {text}")
    value = _from_bytes(parsed) & _mask(prefix, size * 8)
    return GoNetwork(value=value, size=size, prefix=prefix)


def format_ip(value: int, size: int) -> str:
    """Go's ``net.IP.String``: IPv4 (also for IPv4-mapped IPv6) or RFC 5952 IPv6."""
    if size == 4:
        return ".".join(str((value >> shift) & 0xFF) for shift in (24, 16, 8, 0))
    if value >> 32 == 0xFFFF:
        return format_ip(value & 0xFFFFFFFF, 4)
    groups = [(value >> (112 - 16 * index)) & 0xFFFF for index in range(8)]
    best_start, best_length = -1, 0
    index = 0
    while index < 8:
        if groups[index] == 0:
            end = index
            while end < 8 and groups[end] == 0:
                end += 1
            if end - index > best_length:
                best_start, best_length = index, end - index
            index = end
        else:
            index += 1
    if best_length < 2:
        return ":".join(f"{group:x}" for group in groups)
    head = ":".join(f"{group:x}" for group in groups[:best_start])
    tail = ":".join(f"{group:x}" for group in groups[best_start + best_length :])
    return f"{head}::{tail}"


def format_network(value: int, size: int, prefix: int) -> str:
    """Go's ``net.IPNet.String``: an IPv4-mapped network prints as IPv4 with its mask trimmed."""
    if size == 16 and value >> 32 == 0xFFFF:
        return f"{format_ip(value & 0xFFFFFFFF, 4)}/{max(prefix - 96, 0)}"
    return f"{format_ip(value, size)}/{prefix}"


def cidrsubnet(prefix: str, newbits: int, netnum: int, max_new_bits: int | None = None) -> str:
    network = parse_go_cidr(prefix)
    new_prefix = network.prefix + newbits
    if new_prefix > network.bits:
        raise EvaluationError(
            f"insufficient address space to extend prefix of {network.prefix} by {newbits}"
        )
    # A negative newbits makes Go shift by a huge unsigned amount: every netnum passes.
    max_netnum = _UINT64 if newbits < 0 or newbits >= 64 else (1 << newbits) - 1
    if (abs(netnum) & _UINT64) > max_netnum:
        raise EvaluationError(
            f"prefix extension of {newbits} does not accommodate a subnet numbered {netnum}"
        )
    if max_new_bits is not None and newbits > max_new_bits:
        raise _TooManyBits(newbits, max_new_bits)
    value = _insert(network, netnum, network.bits - new_prefix)
    if new_prefix < 0:
        # Go's net.CIDRMask gives no mask for a negative length, and a net.IPNet without one
        # prints as "<nil>": Terraform returns that string (which is no CIDR) rather than failing.
        return "<nil>"
    return format_network(value, network.size, new_prefix)


class _TooManyBits(Exception):
    def __init__(self, newbits: int, limit: int) -> None:
        super().__init__(
            f"cidrsubnet adds {newbits} bits, over the limit of {limit} "
            "(raise `limits.max-subnet-bits`)"
        )


TooManyBits = _TooManyBits


def _insert(network: GoNetwork, number: int, shift: int) -> int:
    """go-cidr's insertNumIntoIP: OR as big integers (two's complement for negatives), keep the
    magnitude's bytes; a result wider than the address makes go-cidr panic, which Terraform
    reports as an error."""
    value = abs(network.value | (number << shift))
    if value.bit_length() > network.bits:
        raise EvaluationError("the number does not fit in the address (Terraform fails here)")
    return value


def cidrhost(prefix: str, hostnum: int) -> str:
    network = parse_go_cidr(prefix)
    host_bits = network.bits - network.prefix
    max_host = (1 << host_bits) - 1
    magnitude = _go_int64(hostnum & _UINT64) if hostnum >= 0 else hostnum
    number = hostnum
    if hostnum < 0:
        magnitude = -hostnum - 1
        number = max_host - magnitude
    if magnitude > max_host:
        raise EvaluationError(
            f"prefix of {network.prefix} does not accommodate a host numbered {number}"
        )
    is_v4 = network.size == 4 or network.value >> 32 == 0xFFFF
    shift = (32 if network.size == 4 else 128) - (32 if is_v4 else 128)
    return format_ip(_insert(network, number, shift), network.size)


def _go_int64(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def cidrnetmask(prefix: str) -> str:
    network = parse_go_cidr(prefix)
    if not (network.size == 4 or network.value >> 32 == 0xFFFF):
        raise EvaluationError(f"IPv6 addresses cannot have a netmask: {prefix}")
    mask = _mask(network.prefix, network.bits)
    if network.size == 16:
        # The mask of an IPv4-mapped network is a 16-byte value that Go prints as IPv6.
        return format_ip(mask, 16) if mask >> 32 != 0xFFFF else format_ip(mask & 0xFFFFFFFF, 4)
    return format_ip(mask, 4)


def cidrsubnets(prefix: str, newbits: list[int]) -> list[str]:
    network = parse_go_cidr(prefix)
    if not newbits:
        return []
    if network.size == 16 and network.value >> 32 == 0xFFFF:
        # go-cidr turns an IPv4-mapped address into 4 bytes but keeps its 16-byte mask, so
        # Terraform never finds room for a subnet: every such call fails.
        raise EvaluationError(
            "argument 1: not enough remaining address space (IPv4-mapped IPv6 prefix)"
        )
    bits = network.bits
    modulus = 1 << bits
    first_length = newbits[0] + network.prefix
    if 0 <= first_length <= bits:
        current_prefix = first_length
        current = ((network.value - 1) % modulus) & _mask(first_length, bits)
    else:
        current_prefix = network.prefix
        current = network.value
    results: list[str] = []
    network_mask = _mask(network.prefix, bits)
    for position, extension in enumerate(newbits, start=1):
        if extension < 1:
            raise EvaluationError(f"argument {position}: must extend prefix by at least one bit")
        if extension > 32:
            raise EvaluationError(
                f"argument {position}: may not extend prefix by more than 32 bits"
            )
        length = extension + network.prefix
        if length > bits:
            protocol = "IPv4" if network.size == 4 else "IPv6"
            raise EvaluationError(
                f"argument {position}: would extend prefix to {length} bits, which is too long "
                f"for an {protocol} address"
            )
        current_last = current | ((1 << (bits - current_prefix)) - 1)
        widened = current_last & _mask(length, bits)
        last = widened | ((1 << (bits - length)) - 1)
        following = (last + 1) % modulus
        following &= _mask(length, bits)
        if following == 0 or (following & network_mask) != network.value:
            raise EvaluationError(
                f"argument {position}: not enough remaining address space for a subnet with a "
                f"prefix of {length} bits after "
                f"{format_network(current, network.size, current_prefix)}"
            )
        current, current_prefix = following, length
        results.append(format_network(current, network.size, current_prefix))
    return results
