"""A limit's message tells the user which option to raise: that option must be one the
configuration accepts, and raising it must lift the limit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import vpclint
from tests.files import write
from tests.hostile.conftest import run_vpclint
from vpclint.config import load_config

# An option named in a message: `max-steps` or `limits.max-steps` (rule options live in rules/,
# whose messages name `rules.CODE` options checked by the rules' own tests).
_NAMED_OPTION = re.compile(r"`(?:limits\.)?(max-[a-z-]+)`")


def options_named_in_messages() -> list[str]:
    package = Path(vpclint.__file__).parent
    named = {
        match.group(1)
        for source in package.rglob("*.py")
        if "rules" not in source.relative_to(package).parts
        for match in _NAMED_OPTION.finditer(source.read_text(encoding="utf-8"))
    }
    return sorted(named)


def test_messages_name_limits_at_all() -> None:
    # The scan below must see the messages it checks, or it would pass on nothing.
    assert {"max-steps", "max-expansion", "max-file-size", "max-subnet-bits"} <= set(
        options_named_in_messages()
    )


@pytest.mark.parametrize("option", options_named_in_messages())
def test_every_limit_a_message_names_is_accepted_by_the_config(tmp_path: Path, option: str) -> None:
    config_file = tmp_path / ".vpclint.toml"
    config_file.write_text(f"[limits]\n{option} = 123456\n")
    limits = load_config(config_file).limits
    assert getattr(limits, option.replace("-", "_")) == 123456


SUBNET = (
    'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n'
    '  ipv6_cidr_block = "fd00:10::/48"\n}\n\n'
    'resource "aws_subnet" "deep" {\n  vpc_id = aws_vpc.main.id\n'
    '  cidr_block = "10.0.1.0/24"\n'
    "  ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 30, 5)\n}\n"
)


def test_the_subnet_bits_limit_names_an_option_that_lifts_it(tmp_path: Path) -> None:
    # By default any split Terraform accepts is evaluated: the limit applies once lowered.
    root = write(tmp_path, {"main.tf": SUBNET, ".vpclint.toml": "[limits]\nmax-subnet-bits = 24\n"})
    limited = run_vpclint("--format", "json", ".", cwd=root)
    [unresolved] = [f for f in limited.findings("VPC004") if "cidrsubnet" in f["message"]]
    option = re.search(r"raise `([a-z.-]+)`", unresolved["message"])
    assert option is not None, unresolved["message"]
    section, _, key = option.group(1).rpartition(".")
    assert section == "limits"
    (root / ".vpclint.toml").write_text(f"[limits]\n{key} = 32\n")
    lifted = run_vpclint("--format", "json", ".", cwd=root)
    assert lifted.returncode in (0, 1) and lifted.stderr == "", lifted.stderr
    assert not [f for f in lifted.findings("VPC004") if "cidrsubnet" in f["message"]]
